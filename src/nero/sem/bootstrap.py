"""Vectorised case-resampling bootstrap of OLS coefficients and bootstrap intervals.

A bootstrap sample is a multiset of the n rows, i.e. a vector of row counts c. Its
OLS coefficients solve (X' C X) b = X' C y with C = diag(c), so with the per-row
products x_i x_i' and x_i y_i precomputed, a block of B draws needs two matrix
products (counts @ [x_i x_i'], counts @ [x_i y_i]) and a batched k x k solve instead
of B model fits. All equations of a model share the same resampled rows, as in
PROCESS. Draws come from ``numpy.random.default_rng(seed)`` in fixed blocks, so the
same data and seed give identical draws.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

#: Draws per block (fixed: the random stream, hence the result, does not depend on it changing).
BLOCK = 250


def resample_counts(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """``size`` x ``n`` matrix of how often each row is drawn in each bootstrap sample."""
    idx = rng.integers(0, n, size=(size, n))
    flat = (idx + (np.arange(size) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=size * n).reshape(size, n).astype(float)


def bootstrap_coefficients(
    designs: Sequence[tuple[np.ndarray, np.ndarray]],
    n_boot: int,
    seed: int | np.random.Generator = 1,
) -> list[np.ndarray]:
    """OLS coefficients of every design over ``n_boot`` shared case resamples.

    Parameters
    ----------
    designs : sequence of (X, y)
        Design matrices (n x k, constant included) and outcomes of the same n rows.
    n_boot : int
        Number of bootstrap draws.
    seed : int or Generator
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    list of ndarray
        One ``n_boot`` x k array per design.
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n = designs[0][0].shape[0]
    pre = []
    for X, y in designs:
        X = np.asarray(X, float)
        y = np.asarray(y, float)
        scale = np.sqrt(np.mean(X**2, axis=0))
        scale[scale == 0] = 1.0
        Xs = X / scale
        k = X.shape[1]
        pre.append((k, scale, (Xs[:, :, None] * Xs[:, None, :]).reshape(n, k * k), Xs * y[:, None]))
    out = [np.empty((n_boot, k)) for k, *_ in pre]
    for start in range(0, n_boot, BLOCK):
        size = min(BLOCK, n_boot - start)
        counts = resample_counts(rng, n, size)
        for e, (k, scale, xx, xy) in enumerate(pre):
            A = (counts @ xx).reshape(size, k, k)
            c = counts @ xy
            try:
                sol = np.linalg.solve(A, c[..., None])[..., 0]
            except np.linalg.LinAlgError:
                sol = np.stack([np.linalg.lstsq(A[i], c[i], rcond=None)[0] for i in range(size)])
            out[e][start : start + size] = sol / scale
    return out


def percentile_interval(draws: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval."""
    a = (1 - level) / 2
    lo, hi = np.quantile(draws, [a, 1 - a])
    return float(lo), float(hi)


def bias_corrected_interval(draws: np.ndarray, estimate: float, level: float = 0.95) -> tuple[float, float]:
    """Bias-corrected bootstrap interval (Efron 1987; PROCESS 2.x default).

    z0 = Phi^-1(share of draws below the estimate); the limits are the draws'
    quantiles at Phi(2 z0 -+ z_{(1+level)/2}).
    """
    draws = np.asarray(draws, float)
    draws = draws[np.isfinite(draws)]
    b = len(draws)
    share = np.mean(draws < estimate)
    share = min(max(share, 0.5 / b), 1 - 0.5 / b)
    z0 = stats.norm.ppf(share)
    z = stats.norm.ppf((1 + level) / 2)
    lo, hi = stats.norm.cdf(2 * z0 - z), stats.norm.cdf(2 * z0 + z)
    qlo, qhi = np.quantile(draws, [lo, hi])
    return float(qlo), float(qhi)


def summarise_draws(draws: np.ndarray, estimate: float, level: float = 0.95) -> dict[str, float]:
    """Boot SE, percentile and bias-corrected limits of one effect."""
    draws = np.asarray(draws, float)
    good = draws[np.isfinite(draws)]
    if len(good) < 2:
        return {
            "boot_se": math.nan,
            "pct_lower": math.nan,
            "pct_upper": math.nan,
            "bc_lower": math.nan,
            "bc_upper": math.nan,
        }
    pl, pu = percentile_interval(good, level)
    bl, bu = bias_corrected_interval(good, estimate, level)
    return {"boot_se": float(np.std(good, ddof=1)), "pct_lower": pl, "pct_upper": pu, "bc_lower": bl, "bc_upper": bu}
