"""Measurement model and SEM robustness checks (``nero.sem``).

An ML/FIML engine with lavaan's conventions (:mod:`nero.sem.ml`, fixed.x) fits CFA/SEM
under an iteration and a time limit; OLS regressions with PROCESS' SE types (ols,
hc0..hc4); numpy/scipy the rest: fit indices with lavaan's definitions, reliability and
discriminant validity, common-method variance, non-response bias, measurement
invariance (own multi-group ML), the Baron-Kenny sequence, PROCESS models
1/4/7/8/14/15/58 with a vectorised bootstrap, ambidexterity as an interaction with its
alternatives, the Zhao et al. mediation type, and a latent mediation.
:func:`run_sem_checks` runs every analysis family on the clean survey table,
:func:`run_sem_family` one of them. See docs/sem.md.
"""

from ._common import SemInputError, run_with_time_limit
from .ambidexterity import (
    ambidexterity_dimensions,
    ambidexterity_index,
    ambidexterity_moderation,
    capacity_boosting,
    mediation_type,
    zhao_type,
)
from .bootstrap import bias_corrected_interval, bootstrap_coefficients, percentile_interval
from .cfa import CFAResult, fit_cfa
from .cmv import cmv_competing_models, harman_single_factor, marker_adjustment
from .fitindices import baseline_chi2, chi2_difference, fit_indices, ml_discrepancy, rmsea, rmsea_ci, srmr
from .invariance import InvarianceResult, measurement_invariance
from .latent import latent_bootstrap, latent_mediation, latent_mediation_syntax
from .ml import fit_ml
from .nonresponse import early_late_groups, nonresponse_tests, welch_t_test
from .process_equations import ProcessResult, fit_equation, sobel_test
from .process_models import (
    bootstrap_indirect,
    process,
    process_model1,
    process_model4,
    process_model7,
    process_model8,
    process_model14,
    process_model15,
    process_model58,
)
from .regression import BaronKennyResult, baron_kenny_sequence
from .reliability import (
    average_variance_extracted,
    composite_reliability,
    cronbach_alpha,
    fornell_larcker,
    htmt,
    reliability_table,
)
from .settings import AmbidexteritySettings, SemSettings
from .study import (
    FAMILY_OUTPUTS,
    SemStudyResult,
    design_frame,
    run_sem_checks,
    run_sem_family,
    summarise_families,
)
from .syntax import cfa_model_from_codebook, codebook_constructs, measurement_syntax, parse_measurement

__all__ = [
    "AmbidexteritySettings",
    "SemSettings",
    "SemInputError",
    "run_with_time_limit",
    "bias_corrected_interval",
    "bootstrap_coefficients",
    "percentile_interval",
    "CFAResult",
    "cfa_model_from_codebook",
    "codebook_constructs",
    "fit_cfa",
    "measurement_syntax",
    "parse_measurement",
    "cmv_competing_models",
    "harman_single_factor",
    "marker_adjustment",
    "baseline_chi2",
    "chi2_difference",
    "fit_indices",
    "ml_discrepancy",
    "rmsea",
    "rmsea_ci",
    "srmr",
    "InvarianceResult",
    "measurement_invariance",
    "latent_bootstrap",
    "latent_mediation",
    "latent_mediation_syntax",
    "early_late_groups",
    "nonresponse_tests",
    "welch_t_test",
    "ProcessResult",
    "bootstrap_indirect",
    "fit_equation",
    "process",
    "process_model1",
    "process_model4",
    "process_model7",
    "process_model8",
    "process_model14",
    "process_model15",
    "process_model58",
    "sobel_test",
    "BaronKennyResult",
    "baron_kenny_sequence",
    "average_variance_extracted",
    "composite_reliability",
    "cronbach_alpha",
    "fornell_larcker",
    "htmt",
    "reliability_table",
    "SemStudyResult",
    "design_frame",
    "run_sem_checks",
    "run_sem_family",
    "summarise_families",
    "FAMILY_OUTPUTS",
    "fit_ml",
    "ambidexterity_dimensions",
    "ambidexterity_index",
    "ambidexterity_moderation",
    "capacity_boosting",
    "mediation_type",
    "zhao_type",
]
