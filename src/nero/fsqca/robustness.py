"""Robustness of a QCA solution (Oana & Schneider's protocol, SetMethods' figures).

* :func:`run_analysis` -- one analysis from raw or calibrated data: calibration (optional),
  subsample (optional), truth table and minimization.
* :func:`robustness_fit` -- SetMethods' robustness fit of an initial solution (IS) against
  test-set solutions (TS):

  ============  =============================================================
  TS_min        the intersection of all TS (fuzzy minimum)
  TS_max        their union (fuzzy maximum)
  robust core   IS * TS_min
  RF_cov        covS(IS * TS) / covS(IS)
  RF_cons       inclS(IS) / inclS(IS * TS)
  RF_SC         sum(min(IS, TS)) / sum(max(IS, TS))   (set coincidence)
  ============  =============================================================

  each for TS = TS_min and TS = TS_max. (SetMethods' ``robustness.fit`` loops only over
  the last test set by mistake; here every test set enters.)
* :func:`robustness_tests` -- re-run under changed anchors, consistency and frequency
  cuts and subsamples, and compute the figures; :func:`anchor_variants`,
  :func:`cut_variants` and :func:`subsample_variants` build the usual test sets.

A test set solution is evaluated on all cases, with the calibration of that test set
(for a subsample test, the full data calibrated the same way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nero.fsqca._data import DEFAULT_HALF_SHIFT, as_frame, membership_values
from nero.fsqca._errors import FsqcaError, MissingColumnError
from nero.fsqca.calibration import calibrate
from nero.fsqca.fit import _clean, expression_membership, outcome_values, parse_expression, sufficiency_fit
from nero.fsqca.minimization import DEFAULT_MAX_MODELS, minimize
from nero.fsqca.solution import Solution
from nero.fsqca.truthtable import TruthTable, truth_table


def solution_membership(solution: Solution, data: pd.DataFrame, model: int = 0) -> pd.Series:
    """Membership of every case of ``data`` in model ``model`` of ``solution``."""
    df = as_frame(data)
    conds = list(solution.conditions)
    missing = [c for c in conds if c not in df.columns]
    if missing:
        raise MissingColumnError(f"condition(s) {', '.join(map(repr, missing))} not in the data")
    values = np.column_stack([membership_values(df, c) for c in conds])
    terms = parse_expression(solution.expression(model), conds)
    return pd.Series(expression_membership(values, terms), index=df.index, name=solution.expression(model))


@dataclass
class AnalysisRun:
    """One analysis: the memberships used, the truth table and the solution."""

    label: str
    data: pd.DataFrame
    truth_table: TruthTable
    solution: Solution
    spec: dict = field(default_factory=dict)


def run_analysis(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    incl_cut: float | Sequence[float] = 0.8,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    solution: str = "parsimonious",
    dir_exp=None,
    anchors: Mapping[str, Sequence[float]] | None = None,
    convention: str = "ragin",
    cases: Sequence | None = None,
    exclude=None,
    max_models: int = DEFAULT_MAX_MODELS,
    half: str = "shift",
    half_shift: float = DEFAULT_HALF_SHIFT,
    label: str = "",
) -> AnalysisRun:
    """Calibrate (if ``anchors``), subsample (if ``cases``), build the truth table, minimize.

    Parameters
    ----------
    data : DataFrame
        Raw values when ``anchors`` is given (the columns named there are calibrated,
        the others used as they are), memberships otherwise.
    anchors : mapping, optional
        Column -> (exclusion, crossover, inclusion) or six bell anchors.
    cases : sequence, optional
        Labels of the cases to analyse (a subsample); the calibration uses all cases.
    other parameters
        As in :func:`~nero.fsqca.truth_table` and :func:`~nero.fsqca.minimize`.
    """
    df = as_frame(data)
    if anchors:
        cal = calibrate(df, anchors, convention=convention, half=half, half_shift=half_shift, keep=True)
    else:
        cal = df
    sub = cal
    if cases is not None:
        wanted = [str(c) for c in cases]
        idx = {str(c): c for c in cal.index}
        missing = [c for c in wanted if c not in idx]
        if missing:
            raise FsqcaError(f"subsample case(s) {', '.join(missing[:5])} not in the data")
        sub = cal.loc[[idx[c] for c in wanted]]
    tt = truth_table(
        sub, outcome, conditions, incl_cut=incl_cut, n_cut=n_cut, pri_cut=pri_cut, half=half, half_shift=half_shift
    )
    sol = minimize(
        tt, solution, dir_exp=dir_exp if solution == "intermediate" else None, exclude=exclude, max_models=max_models
    )
    spec = {
        "incl_cut": incl_cut,
        "n_cut": n_cut,
        "pri_cut": pri_cut,
        "anchors": dict(anchors or {}),
        "n_cases": len(sub),
    }
    return AnalysisRun(label=label, data=cal, truth_table=tt, solution=sol, spec=spec)


@dataclass
class RobustnessFit:
    """SetMethods' robustness fit figures (see the module docstring)."""

    figures: dict[str, float]
    core: pd.Series
    initial_fit: dict[str, float]
    core_fit: dict[str, float]
    cases: dict[str, int]
    n_tests: int

    def to_frame(self) -> pd.DataFrame:
        rows = {
            "TS_min": {k[:-4]: v for k, v in self.figures.items() if k.endswith("_min")},
            "TS_max": {k[:-4]: v for k, v in self.figures.items() if k.endswith("_max")},
        }
        return pd.DataFrame(rows).T[["RF_cov", "RF_cons", "RF_SC"]]

    def to_dict(self) -> dict:
        return {
            "figures": {k: _clean(v) for k, v in self.figures.items()},
            "initial_fit": {k: _clean(v) for k, v in self.initial_fit.items()},
            "core_fit": {k: _clean(v) for k, v in self.core_fit.items()},
            "cases": self.cases,
            "n_tests": self.n_tests,
        }

    def summary(self, digits: int = 3) -> str:
        lines = [f"robustness fit over {self.n_tests} test set(s)", self.to_frame().round(digits).to_string()]
        lines.append("robust core (IS * TS_min): " + ", ".join(f"{k} {v:.{digits}f}" for k, v in self.core_fit.items()))
        lines.append("cases: " + ", ".join(f"{k} {v}" for k, v in self.cases.items()))
        return "\n".join(lines)


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b else float("nan")


def robustness_fit(
    initial: pd.Series | np.ndarray, tests: Sequence[pd.Series | np.ndarray], outcome: pd.Series | np.ndarray
) -> RobustnessFit:
    """Robustness fit of an initial solution against test-set solutions.

    Parameters
    ----------
    initial : Series or array
        Membership of each case in the initial solution (see :func:`solution_membership`).
    tests : sequence of Series or arrays
        Memberships in each test-set solution, same cases in the same order.
    outcome : Series or array
        Membership in the outcome.

    Returns
    -------
    RobustnessFit
    """
    if len(tests) == 0:
        raise FsqcaError("no test set; expected at least one test-set solution")
    is_ = np.asarray(initial, dtype=float)
    y = np.asarray(outcome, dtype=float)
    ts = np.vstack([np.asarray(t, dtype=float) for t in tests])
    if ts.shape[1] != is_.size or y.size != is_.size:
        raise FsqcaError(
            f"{is_.size} cases in the initial solution, {ts.shape[1]} in the test sets and "
            f"{y.size} in the outcome; expected the same cases everywhere"
        )
    ts_min, ts_max = ts.min(axis=0), ts.max(axis=0)
    fit_is = sufficiency_fit(is_, y)
    figures = {}
    for tag, t in (("min", ts_min), ("max", ts_max)):
        core = np.minimum(is_, t)
        fc = sufficiency_fit(core, y)
        figures[f"RF_cov_{tag}"] = _ratio(fc["covS"], fit_is["covS"])
        figures[f"RF_cons_{tag}"] = _ratio(fit_is["inclS"], fc["inclS"])
        figures[f"RF_SC_{tag}"] = _ratio(np.minimum(is_, t).sum(), np.maximum(is_, t).sum())
    core = np.minimum(is_, ts_min)
    index = initial.index if isinstance(initial, pd.Series) else pd.RangeIndex(is_.size)
    yin = y > 0.5
    cases = {
        "robust typical": int(((is_ > 0.5) & (ts_min > 0.5) & yin).sum()),
        "shaky typical": int(((is_ > 0.5) & (ts_min <= 0.5) & yin).sum()),
        "possible typical": int(((is_ <= 0.5) & (ts_max > 0.5) & yin).sum()),
        "robust deviant": int(((is_ > 0.5) & (ts_min > 0.5) & ~yin).sum()),
    }
    return RobustnessFit(
        figures=figures,
        core=pd.Series(core, index=index, name="robust core"),
        initial_fit=fit_is,
        core_fit=sufficiency_fit(core, y),
        cases=cases,
        n_tests=ts.shape[0],
    )


@dataclass
class RobustnessReport:
    """The initial analysis, every test set (its settings, model and fit) and the figures."""

    initial: AnalysisRun
    tests: list[AnalysisRun]
    failures: dict[str, str]
    fit: RobustnessFit | None
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        return {
            "table": [{k: _clean(v) for k, v in r.items()} for r in self.table.reset_index().to_dict("records")],
            "failures": self.failures,
            "fit": self.fit.to_dict() if self.fit else None,
        }

    def summary(self, digits: int = 3) -> str:
        lines = ["robustness tests", self.table.round(digits).to_string()]
        for label, err in self.failures.items():
            lines.append(f"{label}: failed ({err})")
        if self.fit is not None:
            lines.append(self.fit.summary(digits))
        return "\n".join(lines)


def robustness_tests(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    initial: Mapping | None = None,
    tests: Sequence[Mapping] = (),
    solution: str = "parsimonious",
    dir_exp=None,
    model: int = 0,
    max_models: int = DEFAULT_MAX_MODELS,
) -> RobustnessReport:
    """Re-run the analysis for every test set and compute the robustness fit.

    Parameters
    ----------
    data : DataFrame
        Raw values (when the specifications carry ``anchors``) or memberships.
    outcome, conditions, solution, dir_exp, max_models
        As in :func:`run_analysis`.
    initial : mapping
        Keyword arguments of :func:`run_analysis` for the initial solution (``incl_cut``,
        ``n_cut``, ``pri_cut``, ``anchors``, ``convention``, ``cases``...).
    tests : sequence of mappings
        One per test set: a ``label`` and the settings that differ from ``initial``
        (see :func:`anchor_variants`, :func:`cut_variants`, :func:`subsample_variants`).
    model : int
        Which tied model stands for a solution (SetMethods uses the first).
    """
    base = dict(initial or {})
    base.setdefault("label", "initial")
    init = run_analysis(data, outcome, conditions, solution=solution, dir_exp=dir_exp, max_models=max_models, **base)
    runs, failures = [], {}
    for i, t in enumerate(tests, start=1):
        spec = {**{k: v for k, v in base.items() if k != "label"}, **dict(t)}
        spec.setdefault("label", f"test {i}")
        if "anchors" in t and base.get("anchors"):
            spec["anchors"] = {**base["anchors"], **t["anchors"]}
        try:
            runs.append(
                run_analysis(
                    data, outcome, conditions, solution=solution, dir_exp=dir_exp, max_models=max_models, **spec
                )
            )
        except FsqcaError as exc:
            failures[spec["label"]] = str(exc)
    _, y = outcome_values(init.data, outcome)
    is_m = solution_membership(init.solution, init.data, min(model, len(init.solution.models) - 1))
    ts_m = [solution_membership(r.solution, r.data, min(model, len(r.solution.models) - 1)) for r in runs]
    fit = robustness_fit(is_m, [t.to_numpy() for t in ts_m], y) if ts_m else None
    rows = []
    for r in [init] + runs:
        mf = r.solution.model_fit[min(model, len(r.solution.models) - 1)]
        rows.append(
            {
                "label": r.label,
                "incl_cut": r.spec["incl_cut"],
                "n_cut": r.spec["n_cut"],
                "pri_cut": r.spec["pri_cut"],
                "n_cases": r.spec["n_cases"],
                "model": r.solution.expression(min(model, len(r.solution.models) - 1)),
                "n_models": r.solution.n_models,
                "inclS": mf["inclS"],
                "PRI": mf["PRI"],
                "covS": mf["covS"],
            }
        )
    table = pd.DataFrame(rows).set_index("label")
    return RobustnessReport(initial=init, tests=runs, failures=failures, fit=fit, table=table)


def anchor_variants(
    anchors: Mapping[str, Sequence[float]],
    shift: float = 0.1,
    which: str = "crossover",
    sets: Sequence[str] | None = None,
) -> list[dict]:
    """Test sets moving one anchor of one set at a time, up and down.

    Parameters
    ----------
    anchors : mapping
        Column -> (exclusion, crossover, inclusion) of the initial calibration.
    shift : float
        Move by this share of the distance between exclusion and inclusion.
    which : {"crossover", "exclusion", "inclusion", "all"}
        The anchor moved (``"all"`` moves the three together).
    sets : sequence of str, optional
        Sets to vary (default: all in ``anchors``).
    """
    pos = {"exclusion": [0], "crossover": [1], "inclusion": [2], "all": [0, 1, 2]}
    if which not in pos:
        raise FsqcaError(f"anchor {which!r} unknown; expected one of {', '.join(pos)}")
    out = []
    for s in sets or list(anchors):
        a = [float(v) for v in anchors[s]]
        if len(a) != 3:
            raise FsqcaError(f"set {s!r}: anchor variants need three anchors, got {len(a)}")
        step = shift * (a[2] - a[0])
        for sign, word in ((1, "+"), (-1, "-")):
            b = list(a)
            for p in pos[which]:
                b[p] = a[p] + sign * step
            out.append({"label": f"{s} {which} {word}{shift:g}", "anchors": {s: tuple(b)}})
    return out


def cut_variants(
    incl_cuts: Sequence[float] = (), n_cuts: Sequence[int] = (), pri_cuts: Sequence[float] = ()
) -> list[dict]:
    """Test sets changing one cut at a time."""
    out = [{"label": f"incl.cut {c:g}", "incl_cut": c} for c in incl_cuts]
    out += [{"label": f"n.cut {c}", "n_cut": c} for c in n_cuts]
    out += [{"label": f"pri.cut {c:g}", "pri_cut": c} for c in pri_cuts]
    return out


def subsample_variants(cases: Sequence, n_draws: int = 10, fraction: float = 0.9, seed: int = 0) -> list[dict]:
    """Test sets on random subsamples (without replacement) of the cases."""
    if not 0 < fraction <= 1:
        raise FsqcaError(f"fraction {fraction!r} unusable; expected 0 < fraction <= 1")
    rng = np.random.default_rng(seed)
    labels = [str(c) for c in cases]
    size = max(1, int(round(fraction * len(labels))))
    out = []
    for i in range(1, n_draws + 1):
        pick = sorted(rng.choice(len(labels), size=size, replace=False).tolist())
        out.append({"label": f"subsample {i}", "cases": [labels[j] for j in pick]})
    return out
