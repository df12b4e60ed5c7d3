"""Fit indices of covariance-structure models, computed with lavaan's definitions.

semopy 2.3.11 reports chi2, CFI, TLI and NFI like lavaan, but its RMSEA divides by
N - 1 (lavaan: N) and it has neither SRMR nor the RMSEA confidence interval. This
module computes every index itself from the ML discrepancy, the sample covariance
(divisor N) and the model-implied covariance, following lavaan 0.6 (``lav_fit_*``):

- chi2 = N * F_ML, F_ML = log|Sigma| + tr(S Sigma^-1) - log|S| - p (+ mean part)
- baseline (independence) chi2 = N * (sum log s_ii - log|S|), df_b = p(p-1)/2 per group
- CFI = 1 - max(chi2 - df, 0) / max(chi2 - df, chi2_b - df_b, 0)       (Bentler 1990)
- TLI = (chi2_b/df_b - chi2/df) / (chi2_b/df_b - 1)                    (Tucker & Lewis 1973)
- NFI = (chi2_b - chi2) / chi2_b                                      (Bentler & Bonett 1980)
- RMSEA = sqrt(max(chi2/(N df) - 1/N, 0)) * sqrt(G)                    (Steiger 1998)
- RMSEA 90% CI: lambda with P(chi2'(df, lambda) <= chi2) = .95 / .05, sqrt(lambda/(N df))*sqrt(G)
- SRMR (Bentler): sqrt(mean over the lower triangle incl. diagonal of
  ((s_ij - sigma_ij) / sqrt(s_ii s_jj))^2), with standardised mean residuals
  (m_i - mu_i)/sqrt(s_ii) added when the model has a mean structure; multi-group:
  the N_g/N weighted mean of the group values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import optimize, stats


def ml_discrepancy(
    sample_cov: np.ndarray,
    implied_cov: np.ndarray,
    sample_mean: np.ndarray | None = None,
    implied_mean: np.ndarray | None = None,
) -> float:
    """ML discrepancy F_ML (Joreskog 1969) between S (divisor N) and Sigma; chi2 = N * F_ML."""
    S = np.asarray(sample_cov, float)
    Sigma = np.asarray(implied_cov, float)
    p = S.shape[0]
    sign, logdet_sigma = np.linalg.slogdet(Sigma)
    if sign <= 0:
        return math.inf
    _, logdet_s = np.linalg.slogdet(S)
    inv = np.linalg.inv(Sigma)
    f = logdet_sigma + float(np.trace(S @ inv)) - logdet_s - p
    if sample_mean is not None and implied_mean is not None:
        d = np.asarray(sample_mean, float) - np.asarray(implied_mean, float)
        f += float(d @ inv @ d)
    return float(f)


def baseline_chi2(sample_cov: np.ndarray, n_obs: float) -> tuple[float, int]:
    """Chi-square and df of the independence model (variances, and means if any, free)."""
    S = np.asarray(sample_cov, float)
    p = S.shape[0]
    _, logdet_s = np.linalg.slogdet(S)
    return float(n_obs * (np.sum(np.log(np.diag(S))) - logdet_s)), p * (p - 1) // 2


def srmr(
    sample_cov: np.ndarray,
    implied_cov: np.ndarray,
    sample_mean: np.ndarray | None = None,
    implied_mean: np.ndarray | None = None,
) -> float:
    """Standardised root mean square residual, lavaan's ``srmr`` (Bentler's definition).

    Hand-written: residuals (s_ij - sigma_ij) are scaled by sqrt(s_ii s_jj) of the
    *sample* variances; the mean of their squares is taken over the p(p+1)/2 elements
    of the lower triangle including the diagonal (plus p standardised mean residuals
    with a mean structure), then the square root.
    """
    S = np.asarray(sample_cov, float)
    Sigma = np.asarray(implied_cov, float)
    sd = np.sqrt(np.diag(S))
    resid = (S - Sigma) / np.outer(sd, sd)
    low = resid[np.tril_indices_from(resid)]
    total = float(np.sum(low**2))
    count = low.size
    if sample_mean is not None and implied_mean is not None:
        m = (np.asarray(sample_mean, float) - np.asarray(implied_mean, float)) / sd
        total += float(np.sum(m**2))
        count += m.size
    return math.sqrt(total / count)


def rmsea(chi2: float, df: float, n_obs: float, n_groups: int = 1) -> float:
    """RMSEA with lavaan's N (not N - 1) and the sqrt(G) multi-group factor."""
    if df <= 0:
        return 0.0 if chi2 <= df else math.nan
    return math.sqrt(max(chi2 / (n_obs * df) - 1.0 / n_obs, 0.0)) * math.sqrt(n_groups)


def rmsea_ci(chi2: float, df: float, n_obs: float, level: float = 0.90, n_groups: int = 1) -> tuple[float, float]:
    """Confidence interval of the RMSEA from the noncentral chi-square (lavaan's method).

    Hand-written, as semopy has none (Browne & Cudeck 1993; lavaan ``lav_fit_rmsea_ci``):
    the lower limit solves P(chi2'(df, lambda_L) <= chi2) = (1 + level)/2, the upper
    limit P(chi2'(df, lambda_U) <= chi2) = (1 - level)/2, both floored at zero;
    limit = sqrt(lambda / (N df)) * sqrt(G).
    """
    if df == 0:
        return (0.0, 0.0)  # a saturated model: lavaan's lav_fit_rmsea_ci gives 0, 0
    if df < 0:
        return (math.nan, math.nan)
    upper_p = (1.0 + level) / 2.0
    lower_p = (1.0 - level) / 2.0

    def solve(target: float) -> float:
        if stats.chi2.cdf(chi2, df) < target:
            return 0.0
        f = lambda lam: stats.ncx2.cdf(chi2, df, lam) - target  # noqa: E731
        hi = max(chi2, 1.0)
        while f(hi) > 0:
            hi *= 2.0
            if hi > 1e9:  # pragma: no cover - absurd chi2
                return math.nan
        return optimize.brentq(
            lambda lam: f(lam) if lam > 0 else stats.chi2.cdf(chi2, df) - target,
            0.0,
            hi,
            xtol=1e-12,
            rtol=1e-12,
            maxiter=500,
        )

    lam_lo = solve(upper_p)
    lam_hi = solve(lower_p)
    scale = math.sqrt(n_groups)
    return (math.sqrt(lam_lo / (n_obs * df)) * scale, math.sqrt(lam_hi / (n_obs * df)) * scale)


def fit_indices(
    chi2: float,
    df: int,
    n_obs: float,
    baseline: tuple[float, int],
    srmr_value: float = math.nan,
    n_groups: int = 1,
    rmsea_level: float = 0.90,
) -> dict[str, float]:
    """All reported indices from chi2, df, N and the baseline model (lavaan definitions)."""
    chi2_b, df_b = baseline
    p = float(stats.chi2.sf(chi2, df)) if df > 0 else math.nan
    denom = max(chi2 - df, chi2_b - df_b, 0.0)
    cfi = 1.0 - max(chi2 - df, 0.0) / denom if denom > 0 else 1.0
    if df > 0 and df_b > 0 and chi2_b / df_b != 1.0:
        tli = (chi2_b / df_b - chi2 / df) / (chi2_b / df_b - 1.0)
    elif df == 0 and df_b > 0:
        tli = 1.0  # a saturated model: lavaan's lav_fit_tli gives 1
    else:
        tli = math.nan
    nfi = (chi2_b - chi2) / chi2_b if chi2_b > 0 else math.nan
    lo, hi = rmsea_ci(chi2, df, n_obs, rmsea_level, n_groups)
    return {
        "chi2": float(chi2),
        "df": int(df),
        "p": p,
        "chi2_df": float(chi2 / df) if df > 0 else math.nan,
        "cfi": float(cfi),
        "tli": float(tli),
        "nfi": float(nfi),
        "rmsea": rmsea(chi2, df, n_obs, n_groups),
        "rmsea_ci_lower": lo,
        "rmsea_ci_upper": hi,
        "srmr": float(srmr_value),
        "baseline_chi2": float(chi2_b),
        "baseline_df": int(df_b),
        "n_obs": int(n_obs),
    }


def chi2_difference(chi2_restricted: float, df_restricted: int, chi2_free: float, df_free: int) -> dict[str, float]:
    """Likelihood-ratio (chi-square difference) test of two nested ML models."""
    d_chi2 = chi2_restricted - chi2_free
    d_df = df_restricted - df_free
    p = float(stats.chi2.sf(d_chi2, d_df)) if d_df > 0 else math.nan
    return {"delta_chi2": float(d_chi2), "delta_df": int(d_df), "p": p}


FIT_COLUMNS: Sequence[str] = (
    "chi2",
    "df",
    "p",
    "chi2_df",
    "cfi",
    "tli",
    "nfi",
    "rmsea",
    "rmsea_ci_lower",
    "rmsea_ci_upper",
    "srmr",
)
