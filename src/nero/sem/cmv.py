"""Common-method variance: Harman's test, competing CFA models, marker adjustment."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from nero.tolerances import at_least, below_alpha

from ._common import SemInputError, frame_text, numeric_frame
from .cfa import DEFAULT_MAX_ITER, DEFAULT_TIME_LIMIT, CFAResult, fit_cfa
from .fitindices import chi2_difference
from .syntax import measurement_syntax


@dataclass
class HarmanResult:
    """Harman's single-factor test (Podsakoff et al. 2003).

    All items enter one unrotated principal-component analysis of their correlation
    matrix (the usual SPSS implementation); CMV is flagged when the first component
    explains 50% or more of the total variance.
    """

    n_items: int
    n_obs: int
    first_share: float
    n_eigen_above_1: int
    eigenvalues: np.ndarray
    threshold: float = 0.5

    @property
    def cmv_flag(self) -> bool:
        return bool(at_least(self.first_share, self.threshold))  # within CUT_TOL of the threshold reaches it

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "test": "Harman single factor (unrotated PCA of the item correlations)",
                    "n_items": self.n_items,
                    "n_obs": self.n_obs,
                    "first_factor_variance_share": self.first_share,
                    "n_eigenvalues_above_1": self.n_eigen_above_1,
                    "threshold": self.threshold,
                    "cmv_flag": self.cmv_flag,
                }
            ]
        )

    def summary(self) -> str:
        return (
            f"Harman's single-factor test: the first unrotated component explains "
            f"{100 * self.first_share:.1f}% of the variance of {self.n_items} items "
            f"({self.n_eigen_above_1} eigenvalues > 1); threshold {100 * self.threshold:.0f}% -> "
            f"{'CMV flagged' if self.cmv_flag else 'no dominant single factor'}"
        )


def harman_single_factor(data: pd.DataFrame, items: Sequence[str], threshold: float = 0.5) -> HarmanResult:
    """Harman's single-factor test over ``items``; see :class:`HarmanResult`."""
    frame = numeric_frame(data, list(items), what="data", min_rows=len(items) + 1)
    eig = np.sort(np.linalg.eigvalsh(frame.corr().to_numpy()))[::-1]
    return HarmanResult(len(items), len(frame), float(eig[0] / eig.sum()), int(np.sum(eig > 1.0)), eig, threshold)


@dataclass
class CompetingModelsResult:
    """The three CFA models of the CMV check and their chi-square difference tests."""

    models: dict[str, CFAResult]
    comparisons: pd.DataFrame
    method_loadings: str

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([m.fit_row() for m in self.models.values()])

    def summary(self) -> str:
        return (
            "Competing CFA models (method-only, trait-only, method-trait with a common latent factor "
            f"[{self.method_loadings} loadings])\n{frame_text(self.to_frame())}\n"
            f"Chi-square difference tests:\n{frame_text(self.comparisons)}"
        )


def _compare(restricted: CFAResult, free: CFAResult, label: str) -> dict:
    row = {"comparison": label, "restricted": restricted.name, "free": free.name}
    if restricted.fit and free.fit and restricted.converged and free.converged:
        row.update(chi2_difference(restricted.fit["chi2"], restricted.fit["df"], free.fit["chi2"], free.fit["df"]))
        row["delta_cfi"] = free.fit["cfi"] - restricted.fit["cfi"]
    else:
        row.update({"delta_chi2": math.nan, "delta_df": math.nan, "p": math.nan, "delta_cfi": math.nan})
        row["note"] = "not tested: a model did not converge"
    return row


def cmv_competing_models(
    data: pd.DataFrame,
    factors: Mapping[str, Sequence[str]],
    method_loadings: str = "equal",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_iter: int = DEFAULT_MAX_ITER,
    missing: str = "fiml",
) -> CompetingModelsResult:
    """Method-only, trait-only and method-trait CFA models with chi-square difference tests.

    Model 1 (method-only): every item on one factor. Model 2 (trait-only): each item
    on its construct, constructs correlated. Model 3 (method-trait): Model 2 plus a
    common latent factor on every item, orthogonal to the traits (``method_loadings``
    'equal': unit loadings and a free variance, one extra parameter, which semopy
    cannot hang on; 'free': marker plus free loadings, which can take minutes and is
    run under the time limit). Model 1 is nested in Model 2 (factor correlations = 1),
    Model 2 in Model 3 (method variance = 0; a boundary test, so its p is conservative).
    """
    items = [i for its in factors.values() for i in its]
    one = measurement_syntax({"METHOD": items}, header="Model 1: method-only (all items on one factor)")
    two = measurement_syntax(dict(factors), header="Model 2: trait-only")
    three = measurement_syntax(
        dict(factors),
        method_factor="CMV",
        method_loadings=method_loadings,
        header="Model 3: method-trait (traits + common latent factor)",
    )
    models = {}
    for name, text in (("Model 1: method-only", one), ("Model 2: trait-only", two), ("Model 3: method-trait", three)):
        models[name] = fit_cfa(
            data, text, time_limit=time_limit, max_iter=max_iter, std_se=False, name=name, missing=missing
        )
    m1, m2, m3 = models.values()
    comparisons = pd.DataFrame([_compare(m1, m2, "Model 1 vs Model 2"), _compare(m2, m3, "Model 2 vs Model 3")])
    return CompetingModelsResult(models, comparisons, method_loadings)


@dataclass
class MarkerAdjustmentResult:
    """Lindell & Whitney (2001) marker-variable adjustment of the construct correlations."""

    r_m: float
    r_m_rule: str
    marker: str
    n_obs: int
    marker_correlations: pd.DataFrame
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        return (
            f"Marker-variable adjustment (Lindell & Whitney 2001), marker {self.marker}, "
            f"r_M = {self.r_m:.3f} ({self.r_m_rule}), N = {self.n_obs}\n"
            f"Correlations with the marker:\n{frame_text(self.marker_correlations)}\n"
            f"Adjusted correlations r_A = (r - r_M)/(1 - r_M), t = r_A/sqrt((1 - r_A^2)/(N - 3)):\n"
            f"{frame_text(self.table)}"
        )


def marker_adjustment(
    data: pd.DataFrame,
    variables: Sequence[str],
    marker: str,
    r_m: str | float = "smallest",
) -> MarkerAdjustmentResult:
    """Marker-variable adjustment of every correlation among ``variables``.

    Hand-written (Lindell & Whitney 2001, eqs. 4-5): r_A = (r_U - r_M)/(1 - r_M) and
    t(N - 3) = r_A / sqrt((1 - r_A^2)/(N - 3)). ``r_m``: 'smallest' takes the smallest
    positive correlation of the marker with the substantive variables (their
    recommendation), 'second_smallest' the more conservative second-smallest one, or a
    number. A negative or absent positive marker correlation gives r_M = 0.
    """
    frame = numeric_frame(data, [*variables, marker], what="data", min_rows=5)
    n = len(frame)
    corr = frame.corr()
    mc = corr.loc[list(variables), marker]
    positive = np.sort(mc[mc > 0].to_numpy())
    if isinstance(r_m, str):
        if r_m == "smallest":
            value = float(positive[0]) if len(positive) else 0.0
        elif r_m == "second_smallest":
            value = float(positive[1]) if len(positive) > 1 else (float(positive[0]) if len(positive) else 0.0)
        else:
            raise SemInputError("marker_adjustment: r_m must be 'smallest', 'second_smallest' or a number")
        rule = f"{r_m.replace('_', ' ')} positive correlation of the marker"
    else:
        value = float(r_m)
        rule = "given"
    rows = []
    for i, a in enumerate(variables):
        for b in variables[i + 1 :]:
            r = float(corr.loc[a, b])
            ra = (r - value) / (1 - value)
            t = ra / math.sqrt(max(1 - ra**2, 1e-300) / (n - 3))
            rows.append(
                {
                    "variable_1": a,
                    "variable_2": b,
                    "r": r,
                    "r_adjusted": ra,
                    "t": t,
                    "df": n - 3,
                    "p": float(2 * stats.t.sf(abs(t), n - 3)),
                    "p_unadjusted": float(2 * stats.t.sf(abs(r) * math.sqrt((n - 2) / (1 - r**2)), n - 2)),
                    "significant_unadjusted": None,
                    "significant_adjusted": None,
                }
            )
    table = pd.DataFrame(rows)
    if len(table):
        # p within nero.tolerances.P_TOL of .05 is not below it
        table["significant_unadjusted"] = below_alpha(table["p_unadjusted"].to_numpy(dtype=float), 0.05)
        table["significant_adjusted"] = below_alpha(table["p"].to_numpy(dtype=float), 0.05)
    mcor = pd.DataFrame({"variable": list(variables), "r_with_marker": mc.to_numpy()})
    return MarkerAdjustmentResult(value, rule, marker, n, mcor, table)
