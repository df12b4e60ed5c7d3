"""fsQCA: calibration, parameters of fit, necessity, truth tables and exact minimization.

Works on any table of cases by sets (memberships) or raw values; R QCA's notation for
expressions (``A*~B + C``) and R QCA's formulas throughout. See ``docs/fsqca.md``.

Typical use::

    from nero import fsqca
    data = fsqca.calibrate(raw, {"A": (2, 7, 9.5), "Y": (0.5, 1.5, 3)}, keep=True)
    tt = fsqca.truth_table(data, "Y", ["A", "B", "C"], incl_cut=0.8)
    sols = fsqca.minimize_all(tt, dir_exp=["A", "~B"])
    print(sols["parsimonious"].summary())
"""

from nero.fsqca._calibration import CONVENTIONS, inclusion_degree
from nero.fsqca._data import HALF_POLICIES, HalfReport, read_table
from nero.fsqca._errors import (
    AnchorOrderError,
    CalibrationConvergenceWarning,
    ConstantConditionWarning,
    ExpressionError,
    FsqcaError,
    HalfMembershipError,
    HalfMembershipWarning,
    MembershipRangeError,
    MinimizationError,
    MissingColumnError,
    MissingValueError,
    NonNumericError,
)
from nero.fsqca.calibration import calibrate, calibrate_bell, calibrate_crisp, calibrate_direct
from nero.fsqca.chart import configuration_chart, term_conditions
from nero.fsqca.esa import (
    EnhancedStandardAnalysis,
    contradictory_simplifying_assumptions,
    enhanced_standard_analysis,
    remainders_contradicting_necessity,
    untenable_remainders,
)
from nero.fsqca.fit import (
    FitResult,
    fit_parameters,
    membership,
    necessity_fit,
    parse_expression,
    sufficiency_fit,
)
from nero.fsqca.indirect_method import calibrate_indirect
from nero.fsqca.minimization import SOLUTION_TYPES, minimize, minimize_all, parse_dir_exp
from nero.fsqca.necessity_analysis import NecessityResult, necessity, superset_necessity
from nero.fsqca.robustness import (
    AnalysisRun,
    RobustnessFit,
    RobustnessReport,
    anchor_variants,
    cut_variants,
    robustness_fit,
    robustness_tests,
    run_analysis,
    solution_membership,
    subsample_variants,
)
from nero.fsqca.settings import Anchor, FsqcaSettings, FurtherAnalysis, RobustnessProtocol
from nero.fsqca.skewness_check import SkewnessResult, skewness
from nero.fsqca.solution import Solution
from nero.fsqca.truthtable import TruthTable, truth_table

__all__ = [
    "AnalysisRun",
    "Anchor",
    "AnchorOrderError",
    "CalibrationConvergenceWarning",
    "ConstantConditionWarning",
    "CONVENTIONS",
    "EnhancedStandardAnalysis",
    "ExpressionError",
    "FitResult",
    "FsqcaError",
    "FsqcaSettings",
    "FurtherAnalysis",
    "HALF_POLICIES",
    "HalfMembershipError",
    "HalfMembershipWarning",
    "HalfReport",
    "MembershipRangeError",
    "MinimizationError",
    "MissingColumnError",
    "MissingValueError",
    "NecessityResult",
    "NonNumericError",
    "RobustnessFit",
    "RobustnessProtocol",
    "RobustnessReport",
    "SOLUTION_TYPES",
    "SkewnessResult",
    "Solution",
    "TruthTable",
    "anchor_variants",
    "calibrate",
    "calibrate_bell",
    "calibrate_crisp",
    "calibrate_direct",
    "calibrate_indirect",
    "configuration_chart",
    "contradictory_simplifying_assumptions",
    "cut_variants",
    "enhanced_standard_analysis",
    "fit_parameters",
    "inclusion_degree",
    "membership",
    "minimize",
    "minimize_all",
    "necessity",
    "necessity_fit",
    "parse_dir_exp",
    "parse_expression",
    "read_table",
    "remainders_contradicting_necessity",
    "robustness_fit",
    "robustness_tests",
    "run_analysis",
    "skewness",
    "solution_membership",
    "subsample_variants",
    "sufficiency_fit",
    "superset_necessity",
    "term_conditions",
    "truth_table",
    "untenable_remainders",
]
