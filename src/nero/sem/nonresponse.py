"""Non-response bias: early vs late respondents and wave vs wave (Armstrong & Overton 1977)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from nero.tolerances import below_alpha

from ._common import SemInputError, frame_text, require_columns


def welch_t_test(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    """Welch's unequal-variance t-test with the Welch-Satterthwaite df and Hedges' g."""
    a = np.asarray(a, float)
    a = a[np.isfinite(a)]
    b = np.asarray(b, float)
    b = b[np.isfinite(b)]
    n1, n2 = len(a), len(b)
    if n1 < 2 or n2 < 2:
        return {
            "n_1": n1,
            "n_2": n2,
            "mean_1": math.nan,
            "mean_2": math.nan,
            "sd_1": math.nan,
            "sd_2": math.nan,
            "difference": math.nan,
            "t": math.nan,
            "df": math.nan,
            "p": math.nan,
            "hedges_g": math.nan,
        }
    v1, v2 = a.var(ddof=1), b.var(ddof=1)
    se2 = v1 / n1 + v2 / n2
    res = stats.ttest_ind(a, b, equal_var=False)
    df = se2**2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1)) if se2 > 0 else math.nan
    pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
    j = 1 - 3 / (4 * (n1 + n2) - 9)
    return {
        "n_1": n1,
        "n_2": n2,
        "mean_1": float(a.mean()),
        "mean_2": float(b.mean()),
        "sd_1": math.sqrt(v1),
        "sd_2": math.sqrt(v2),
        "difference": float(a.mean() - b.mean()),
        "t": float(res.statistic),
        "df": float(df),
        "p": float(res.pvalue),
        "hedges_g": float(j * (a.mean() - b.mean()) / pooled) if pooled > 0 else math.nan,
    }


@dataclass
class NonresponseResult:
    """Welch t-tests of early vs late respondents and of each wave against the first."""

    table: pd.DataFrame
    groups: pd.DataFrame
    alpha: float = 0.05

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def n_significant(self) -> int:
        return int(below_alpha(self.table["p"].to_numpy(dtype=float), self.alpha).sum())

    def summary(self) -> str:
        cols = ["comparison", "variable", "n_1", "n_2", "mean_1", "mean_2", "t", "df", "p"]
        return (
            f"Non-response bias (Welch t-tests; {self.n_significant} of {len(self.table)} differ at "
            f"p < {self.alpha})\n{frame_text(self.table[cols])}"
        )


def early_late_groups(
    data: pd.DataFrame, date_column: str = "recorded_date", quantile: float = 0.25, by: str | None = "wave"
) -> pd.Series:
    """Label each row 'early' (first quantile of response date), 'late' (last) or NaN.

    With ``by`` (default the wave), quartiles are taken within each wave, so that the
    fielding dates of different waves do not make every wave-1 firm 'early'.
    """
    require_columns(data, [date_column] + ([by] if by else []), "data")
    dates = pd.to_datetime(data[date_column], errors="coerce")
    if dates.isna().all():
        raise SemInputError(f"data: column {date_column!r} must hold dates (ISO format expected)")
    label = pd.Series(np.nan, index=data.index, dtype=object)
    groups = [data.index] if not by else [idx for _, idx in data.groupby(by, sort=True).groups.items()]
    for idx in groups:
        d = dates.loc[idx].dropna()
        if len(d) < 4:
            continue
        ranks = d.rank(method="first")
        lo = ranks <= math.floor(quantile * len(d)) if quantile * len(d) >= 1 else ranks <= 1
        hi = ranks > len(d) - max(math.floor(quantile * len(d)), 1)
        label.loc[d.index[lo.to_numpy()]] = "early"
        label.loc[d.index[hi.to_numpy()]] = "late"
    return label


def nonresponse_tests(
    data: pd.DataFrame,
    variables: Sequence[str],
    date_column: str = "recorded_date",
    wave_column: str | None = "wave",
    quantile: float = 0.25,
    within_wave: bool = True,
    alpha: float = 0.05,
) -> NonresponseResult:
    """Early vs late respondents and wave comparisons on ``variables`` (Welch t-tests).

    Parameters
    ----------
    data : DataFrame
        The clean survey table.
    variables : sequence of str
        Numeric controls and construct scores to compare.
    date_column : str
        Response date; early = first ``quantile`` of dates, late = last ``quantile``
        (ties broken by row order), within each wave when ``within_wave``.
    wave_column : str or None
        Wave label; every later wave is compared with the first (sorted) wave.
    """
    require_columns(data, list(variables), "data")
    for v in variables:
        if not pd.api.types.is_numeric_dtype(data[v]):
            raise SemInputError(f"data: column {v!r} must be numeric for the non-response tests")
    by = wave_column if (within_wave and wave_column and wave_column in data.columns) else None
    label = early_late_groups(data, date_column, quantile, by)
    rows = []
    comparison = f"early vs late (first vs last {int(round(quantile * 100))}% of response dates" + (
        ", within wave)" if by else ")"
    )
    for v in variables:
        row = {"comparison": comparison, "variable": v, "group_1": "early", "group_2": "late"}
        row.update(welch_t_test(data.loc[label == "early", v], data.loc[label == "late", v]))
        rows.append(row)
    if wave_column and wave_column in data.columns:
        waves = sorted(pd.unique(data[wave_column].dropna()), key=str)
        for w in waves[1:]:
            for v in variables:
                row = {"comparison": f"{waves[0]} vs {w}", "variable": v, "group_1": str(waves[0]), "group_2": str(w)}
                row.update(
                    welch_t_test(data.loc[data[wave_column] == waves[0], v], data.loc[data[wave_column] == w, v])
                )
                rows.append(row)
    table = pd.DataFrame(rows)
    table["significant"] = below_alpha(table["p"].to_numpy(dtype=float), alpha)  # p within P_TOL of alpha: not below
    groups = pd.DataFrame({"row": data.index, "early_late": label.to_numpy()})
    return NonresponseResult(table, groups, alpha)


def equivalence_tests(
    data: pd.DataFrame,
    variables: Sequence[str],
    groups: pd.Series,
    bound_d: float,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Equivalence of early and late respondents: Welch TOST per variable, each at alpha.

    Two one-sided tests (Schuirmann 1987; Lakens 2017) of H0: the mean difference early -
    late lies outside ``(-bound, +bound)``, ``bound = bound_d`` times the pooled standard
    deviation of the two groups (a standardised equivalence bound, Cohen's d). The library
    is :func:`statsmodels.stats.weightstats.ttost_ind` with ``usevar='unequal'`` (Welch SE and
    df, as the difference tests of :func:`nonresponse_tests`); ``p_tost`` is the larger of the
    two one-sided p values and ``equivalent`` is ``p_tost < alpha`` (p within the project's
    tolerance of alpha: not below). No multiplicity adjustment: "every variable is
    equivalent" is an intersection-union test (Berger 1982; Berger & Hsu 1996), whose error
    is controlled at alpha when each TOST is at alpha; an adjustment (Holm) belongs to the
    difference side ("some variable differs"), as in :func:`nonresponse_tests`' readers. The
    90% confidence interval of the difference (``ci90_low``, ``ci90_high``) lies inside the
    bounds exactly when the TOST rejects at .05. Power and the choice of the bound:
    :mod:`nero.sem.equivalence_design`.

    Parameters
    ----------
    data : DataFrame
        The clean survey table.
    variables : sequence of str
        Numeric columns to compare (the construct scores).
    groups : Series
        'early' / 'late' / NaN per row of ``data`` (:func:`early_late_groups`).
    bound_d : float
        Equivalence bound in pooled standard deviations (> 0).
    """
    from statsmodels.stats.weightstats import ttost_ind

    if not (isinstance(bound_d, (int, float)) and math.isfinite(bound_d) and bound_d > 0):
        raise SemInputError(f"equivalence bound: expected a positive number of standard deviations, got {bound_d!r}")
    require_columns(data, list(variables), "data")
    rows = []
    for v in variables:
        if not pd.api.types.is_numeric_dtype(data[v]):
            raise SemInputError(f"data: column {v!r} must be numeric for the equivalence tests")
        a = data.loc[groups == "early", v].to_numpy(float)
        b = data.loc[groups == "late", v].to_numpy(float)
        a, b = a[np.isfinite(a)], b[np.isfinite(b)]
        row: dict = {
            "comparison": "early vs late (TOST)",
            "variable": v,
            "n_1": len(a),
            "n_2": len(b),
            "bound_d": float(bound_d),
        }
        if len(a) < 2 or len(b) < 2:
            rows.append({**row, "p_tost": math.nan})
            continue
        v1, v2 = a.var(ddof=1), b.var(ddof=1)
        pooled = math.sqrt(((len(a) - 1) * v1 + (len(b) - 1) * v2) / (len(a) + len(b) - 2))
        bound = bound_d * pooled
        p, lower, upper = ttost_ind(a, b, -bound, bound, usevar="unequal")
        se = math.sqrt(v1 / len(a) + v2 / len(b))
        df = float(lower[2])
        diff = float(a.mean() - b.mean())
        half = float(stats.t.ppf(0.95, df)) * se
        rows.append(
            {
                **row,
                "mean_1": float(a.mean()),
                "mean_2": float(b.mean()),
                "difference": diff,
                "pooled_sd": pooled,
                "d": diff / pooled if pooled > 0 else math.nan,
                "bound_low": -bound,
                "bound_high": bound,
                "ci90_low": diff - half,
                "ci90_high": diff + half,
                "df": df,
                "t_lower": float(lower[0]),
                "p_lower": float(lower[1]),
                "t_upper": float(upper[0]),
                "p_upper": float(upper[1]),
                "p_tost": float(p),
            }
        )
    table = pd.DataFrame(rows)
    table["equivalent"] = [bool(below_alpha(p, alpha)) if p == p else None for p in table["p_tost"]]
    return table
