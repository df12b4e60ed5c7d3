"""Missing-data report: missingness per item and per case, and Little's MCAR test.

:func:`little_mcar_test` is hand-written (no maintained Python package offers it): it
follows Little, R. J. A. (1988). A test of missing completely at random for
multivariate data with missing values. *Journal of the American Statistical
Association*, 83(404), 1198-1202, eq. (5): with the EM (maximum-likelihood) estimates
``mu`` and ``Sigma`` of a multivariate normal fitted to all cases,

    d2 = sum over missingness patterns j of n_j (ybar_j - mu_j)' Sigma_j^{-1} (ybar_j - mu_j)

where ``ybar_j`` is the mean of the observed variables of the ``n_j`` cases of pattern
``j`` and ``mu_j``, ``Sigma_j`` are the corresponding parts of ``mu`` and ``Sigma``;
under MCAR ``d2`` is asymptotically chi-square with ``sum_j p_j - p`` degrees of
freedom (``p_j`` observed variables in pattern ``j``). It is checked in
tests/survey/test_missing.py against the published value for R's ``airquality`` data
(naniar ``mcar_test``: d2 = 35.106, df = 14, p = 0.00142), against data MCAR by
construction (p roughly uniform) and data MAR by construction (tiny p).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


def em_mvn(x: np.ndarray, max_iter: int = 10_000, tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray, int]:
    """Maximum-likelihood mean and covariance of a multivariate normal with missing values (EM).

    Parameters
    ----------
    x : ndarray (n, p)
        Data with ``nan`` for missing values; rows with nothing observed are ignored.
    max_iter : int
    tol : float
        Stop when no parameter changes by more than ``tol`` (relative to its scale).

    Returns
    -------
    (mu, sigma, iterations)
        ``sigma`` is the ML covariance (divisor n).
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x).all(axis=1)]
    n, p = x.shape
    observed = ~np.isnan(x)
    patterns, inverse = np.unique(observed, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    mu = np.nanmean(x, axis=0)
    sigma = np.diag(np.nanvar(x, axis=0))
    sigma[np.isnan(sigma)] = 1.0
    for iteration in range(1, max_iter + 1):
        t1 = np.zeros(p)
        t2 = np.zeros((p, p))
        for k, pattern in enumerate(patterns):
            rows = x[inverse == k]
            o = np.flatnonzero(pattern)
            m = np.flatnonzero(~pattern)
            filled = rows.copy()
            extra = np.zeros((p, p))
            if m.size:
                s_oo = sigma[np.ix_(o, o)]
                s_mo = sigma[np.ix_(m, o)]
                coef = np.linalg.solve(s_oo, s_mo.T).T if o.size else np.zeros((m.size, 0))
                filled[:, m] = mu[m] + (rows[:, o] - mu[o]) @ coef.T if o.size else mu[m]
                extra[np.ix_(m, m)] = (sigma[np.ix_(m, m)] - coef @ s_mo.T) * len(rows)
            t1 += filled.sum(axis=0)
            t2 += filled.T @ filled + extra
        new_mu = t1 / n
        new_sigma = t2 / n - np.outer(new_mu, new_mu)
        scale = np.sqrt(np.maximum(np.diag(new_sigma), 1e-300))
        change = max(np.max(np.abs(new_mu - mu) / scale), np.max(np.abs(new_sigma - sigma) / np.outer(scale, scale)))
        mu, sigma = new_mu, new_sigma
        if change < tol:
            return mu, sigma, iteration
    return mu, sigma, max_iter


@dataclass
class LittleMCARResult:
    """Little's (1988) MCAR test."""

    statistic: float
    df: int
    p_value: float
    n_patterns: int
    n_cases: int
    n_variables: int
    note: str = ""

    def summary(self) -> str:
        if self.df == 0:
            return f"Little's MCAR test: not applicable ({self.note})"  # no missing data, or too few cases
        return (
            f"Little's MCAR test: chi2({self.df}) = {self.statistic:.3f}, p = {self.p_value:.4g} "
            f"({self.n_patterns} missingness patterns, {self.n_cases} cases, {self.n_variables} variables)"
        )

    def to_dict(self) -> dict:
        def clean(v):
            return None if isinstance(v, float) and math.isnan(v) else v

        return {
            "statistic": clean(self.statistic),
            "df": self.df,
            "p_value": clean(self.p_value),
            "n_patterns": self.n_patterns,
            "n_cases": self.n_cases,
            "n_variables": self.n_variables,
            "note": self.note,
        }


def little_mcar_test(data: pd.DataFrame | np.ndarray) -> LittleMCARResult:
    """Little's (1988) chi-square test of missing completely at random.

    Parameters
    ----------
    data : DataFrame or ndarray (n, p)
        Numeric variables, ``NaN`` where missing.

    Returns
    -------
    LittleMCARResult
        With ``df == 0`` and ``p_value`` NaN when nothing is missing (the test does
        not apply).
    """
    x = np.asarray(data, dtype=float)
    n_all, p = x.shape
    x = x[~np.isnan(x).all(axis=1)]
    observed = ~np.isnan(x)
    patterns, inverse = np.unique(observed, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    n_patterns = len(patterns) + (1 if len(x) < n_all else 0)
    if observed.all():
        return LittleMCARResult(0.0, 0, math.nan, n_patterns, n_all, p, note="no missing values")
    never = [j for j in range(p) if not observed[:, j].any()]
    if never or len(x) <= p:
        why = f"variable(s) {never} never observed" if never else f"{len(x)} cases for {p} variables"
        return LittleMCARResult(math.nan, 0, math.nan, n_patterns, n_all, p, note=f"not computable: {why}")
    try:
        mu, sigma, _ = em_mvn(x)
        d2 = 0.0
        df = 0
        for k, pattern in enumerate(patterns):
            rows = x[inverse == k]
            o = np.flatnonzero(pattern)
            diff = rows[:, o].mean(axis=0) - mu[o]
            d2 += len(rows) * float(diff @ np.linalg.solve(sigma[np.ix_(o, o)], diff))
            df += o.size
    except np.linalg.LinAlgError:
        return LittleMCARResult(
            math.nan,
            0,
            math.nan,
            n_patterns,
            n_all,
            p,
            note="not computable: the estimated covariance matrix is singular",
        )
    df -= p
    from scipy import stats

    return LittleMCARResult(float(d2), int(df), float(stats.chi2.sf(d2, df)), n_patterns, n_all, p)


@dataclass
class MissingReport:
    """Missingness per item (by wave and pooled) and per case, with Little's test."""

    items: pd.DataFrame
    cases: pd.DataFrame
    mcar: dict

    def summary(self) -> str:
        pooled = self.items[self.items["wave"] == "pooled"]
        cells = int(pooled["n_missing"].sum())
        total = int(pooled["n"].sum())
        lines = [f"missing cells: {cells} of {total} ({100 * cells / max(total, 1):.2f}%)"]
        lines += [f"{w}: {r.summary()}" for w, r in self.mcar.items()]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        return self.items

    def mcar_dict(self) -> dict:
        return {w: r.to_dict() for w, r in self.mcar.items()}


def missing_report(
    clean: pd.DataFrame,
    variables: list[str],
    wave_column: str = "wave",
    id_columns: tuple[str, ...] = ("wave", "response_id"),
    mcar_variables: list[str] | None = None,
) -> MissingReport:
    """Missing-data report of ``variables`` in a table with one row per case.

    Parameters
    ----------
    clean : DataFrame
        e.g. ``results/survey/clean.csv``.
    variables : list of str
        The variables to report (items and firm variables); Little's test uses those
        that are numeric.
    wave_column : str
    id_columns : tuple of str
        Columns identifying a case in the per-case table.
    mcar_variables : list of str, optional
        Variables of Little's test (default: the numeric ones of ``variables``).

    Returns
    -------
    MissingReport
        ``items``: wave, variable, n, n_missing, pct_missing; ``cases``: id columns,
        n_variables, n_missing, pct_missing; ``mcar``: wave (and "pooled") -> result.
    """
    waves = sorted(clean[wave_column].unique())
    rows = []
    for wave in [*waves, "pooled"]:
        part = clean if wave == "pooled" else clean[clean[wave_column] == wave]
        for variable in variables:
            missing = int(part[variable].isna().sum())
            rows.append(
                {
                    "wave": wave,
                    "variable": variable,
                    "n": int(len(part)),
                    "n_missing": missing,
                    "pct_missing": 100.0 * missing / len(part) if len(part) else math.nan,
                }
            )
    items = pd.DataFrame(rows, columns=["wave", "variable", "n", "n_missing", "pct_missing"])
    counts = clean[variables].isna().sum(axis=1)
    cases = clean[list(id_columns)].copy()
    cases["n_variables"] = len(variables)
    cases["n_missing"] = counts.astype(int).values
    cases["pct_missing"] = 100.0 * cases["n_missing"] / len(variables)
    cases = cases.sort_values(list(id_columns), kind="stable").reset_index(drop=True)
    numeric = mcar_variables or [v for v in variables if pd.api.types.is_numeric_dtype(clean[v])]
    mcar = {}
    for wave in [*waves, "pooled"]:
        part = clean if wave == "pooled" else clean[clean[wave_column] == wave]
        mcar[wave] = little_mcar_test(part[numeric])
    return MissingReport(items=items, cases=cases, mcar=mcar)


__all__ = ["LittleMCARResult", "MissingReport", "em_mvn", "little_mcar_test", "missing_report"]
