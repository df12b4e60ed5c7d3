"""Vectorised case-resampling bootstrap and jackknife of OLS coefficients; bootstrap intervals.

A bootstrap sample is a multiset of the n rows, i.e. a vector of row counts c. Its
OLS coefficients solve (X' C X) b = X' C y with C = diag(c), so with the per-row
products x_i x_i' and x_i y_i precomputed, a block of B draws needs two matrix
products (counts @ [x_i x_i'], counts @ [x_i y_i]) and a batched k x k solve instead
of B model fits. All equations of a model share the same resampled rows, as in
PROCESS. Draws come from ``numpy.random.default_rng(seed)`` in fixed blocks, so the
same data and seed give identical draws. The jackknife (each case left out) is the same
computation with the counts 1 - I; it gives the BCa interval its acceleration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from nero.tolerances import is_zero

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
    pre = _normal_equation_terms(designs)
    out = [np.empty((n_boot, k)) for k, *_ in pre]
    for start in range(0, n_boot, BLOCK):
        size = min(BLOCK, n_boot - start)
        for e, sol in enumerate(_weighted_solutions(pre, resample_counts(rng, n, size))):
            out[e][start : start + size] = sol
    return out


def jackknife_coefficients(designs: Sequence[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """OLS coefficients of every design with each case left out in turn (the jackknife).

    Leaving case i out is the row-count vector 1 - e_i, so the n leave-one-out fits are the
    bootstrap's weighted normal equations with the count matrix ``1 - I`` (no model refits).
    A fit whose design is singular without case i (a dummy with one case) gets the
    minimum-norm least-squares solution, as a singular bootstrap draw does.

    Parameters
    ----------
    designs : sequence of (X, y)
        Design matrices (n x k, constant included) and outcomes of the same n rows.

    Returns
    -------
    list of ndarray
        One n x k array per design; row i is the fit without case i.
    """
    pre = _normal_equation_terms(designs)
    n = designs[0][0].shape[0]
    out = [np.empty((n, k)) for k, *_ in pre]
    for start in range(0, n, BLOCK):
        size = min(BLOCK, n - start)
        counts = np.ones((size, n))
        counts[np.arange(size), start + np.arange(size)] = 0.0
        for e, sol in enumerate(_weighted_solutions(pre, counts)):
            out[e][start : start + size] = sol
    return out


def _normal_equation_terms(designs):
    """Per design: k, the column scales and the per-row products x_i x_i' and x_i y_i (scaled)."""
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
    return pre


def _weighted_solutions(pre, counts: np.ndarray) -> list[np.ndarray]:
    """Coefficients of every design under each row of case weights ``counts`` (size x n)."""
    size = counts.shape[0]
    out = []
    for k, scale, xx, xy in pre:
        A = (counts @ xx).reshape(size, k, k)
        c = counts @ xy
        try:
            sol = np.linalg.solve(A, c[..., None])[..., 0]
        except np.linalg.LinAlgError:
            sol = np.stack([np.linalg.lstsq(A[i], c[i], rcond=None)[0] for i in range(size)])
        out.append(sol / scale)
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


def jackknife_influence(values: np.ndarray) -> np.ndarray:
    """Empirical influence values from the jackknife: L_i = (n - 1)(mean of theta_(.) - theta_(i)).

    ``values[i]`` is the statistic with case i left out (Efron & Tibshirani 1993, eq. 14.15;
    Davison & Hinkley 1997, eq. 2.44; ``boot::empinf(type = "jack")``). Works for any n >= 2.
    """
    values = np.asarray(values, float)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"the jackknife needs the statistic without each of at least 2 cases, got {values.shape}")
    return (len(values) - 1) * (values.mean() - values)


def acceleration(influence: np.ndarray) -> float:
    """BCa acceleration a = sum L^3 / (6 (sum L^2)^(3/2)) of the empirical influence values L.

    NaN when every L is zero (no influence, ``boot::boot.ci`` stops: "estimated adjustment 'a'
    is NA") or any is not finite.
    """
    L = np.asarray(influence, float)
    ss = float(np.sum(L**2))
    if not np.all(np.isfinite(L)) or ss == 0.0:
        return math.nan
    return float(np.sum(L**3) / (6.0 * ss**1.5))


def bca_levels(
    draws: np.ndarray, estimate: float, influence: np.ndarray, level: float = 0.95
) -> tuple[float, float, float, float]:
    """Bias correction z0, acceleration a and the two adjusted quantile levels of the BCa interval.

    z0 = Phi^-1(share of finite draws strictly below the estimate); a from the influence
    values (:func:`acceleration`); level_lo/hi = Phi(z0 + (z0 + z)/(1 - a (z0 + z))) at
    z = Phi^-1((1 -+ level) / 2) (Efron 1987, eq. 2.3; DiCiccio & Efron 1996, eq. 2.13).
    An adjusted level is NaN where z0 or a is not finite (every draw on one side of the
    estimate: ``boot::boot.ci`` stops with "estimated adjustment 'w' is infinite") and where
    1 - a (z0 + z) <= 0 (the BCa transformation is not monotone there; ``boot`` does not
    check and returns a level from the wrong branch).

    Raises
    ------
    ValueError
        ``level`` not strictly between 0 and 1.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"bootstrap interval: level must be strictly between 0 and 1, got {level!r}")
    t = np.asarray(draws, float)
    t = t[np.isfinite(t)]
    share = float(np.mean(t < estimate)) if len(t) else math.nan
    z0 = float(stats.norm.ppf(share)) if 0.0 < share < 1.0 else math.nan
    a = acceleration(influence)
    out = []
    for z in stats.norm.ppf([(1 - level) / 2, (1 + level) / 2]):
        denom = 1.0 - a * (z0 + z)
        ok = math.isfinite(z0) and math.isfinite(a) and denom > 0
        out.append(float(stats.norm.cdf(z0 + (z0 + z) / denom)) if ok else math.nan)
    return z0, a, out[0], out[1]


def normal_interpolated_quantiles(draws: np.ndarray, levels: Sequence[float]) -> np.ndarray:
    """Quantiles of the draws by interpolation on the normal scale (``boot``'s ``norm.inter``).

    With the R sorted finite draws t_(1..R) and r = (R + 1) alpha, k = floor(r): t_(k) when r is
    an integer, else t_(k) + (Phi^-1(alpha) - Phi^-1(k/(R+1))) / (Phi^-1((k+1)/(R+1)) -
    Phi^-1(k/(R+1))) (t_(k+1) - t_(k)); the smallest draw for k = 0 and the largest for k >= R
    (Davison & Hinkley 1997, eq. 5.8). Written out (numpy's quantile methods have no such
    rule) so that the BCa limits equal ``boot::boot.ci(type = "bca")`` on the same draws.
    A NaN level gives NaN.
    """
    t = np.sort(np.asarray(draws, float)[np.isfinite(draws)])
    R = len(t)
    out = []
    for alpha in levels:
        if not math.isfinite(alpha) or R == 0:
            out.append(math.nan)
            continue
        rk = (R + 1) * alpha
        k = math.floor(rk)
        if k <= 0:
            out.append(float(t[0]))
        elif k >= R:
            out.append(float(t[-1]))
        elif k == rk:
            out.append(float(t[k - 1]))
        else:
            z1, z2, z3 = stats.norm.ppf([alpha, k / (R + 1), (k + 1) / (R + 1)])
            out.append(float(t[k - 1] + (z1 - z2) / (z3 - z2) * (t[k] - t[k - 1])))
    return np.array(out)


def bca_interval(draws: np.ndarray, estimate: float, influence: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Bias-corrected and accelerated (BCa) bootstrap interval (Efron 1987; DiCiccio & Efron 1996).

    The limits are the draws' quantiles (:func:`normal_interpolated_quantiles`, as ``boot``) at
    the adjusted levels of :func:`bca_levels`; the acceleration comes from ``influence``, the
    jackknife influence values of the same statistic (:func:`jackknife_influence` of its
    leave-one-case-out values). Written by hand rather than with ``scipy.stats.bootstrap(method=
    "BCa")``, which draws its own resamples and jackknifes a Python statistic case by case: here
    the interval reuses the study's seeded draws (the same ones as the percentile and BC limits)
    and the jackknife of :func:`jackknife_coefficients`, so the three intervals describe one
    bootstrap distribution. Checked against ``boot::boot.ci(type = "bca")`` given the same
    ``t0``, ``t`` and ``L`` (tests/sem/bca).

    Returns NaN limits (never a clamped guess) where ``boot.ci`` gives no interval: fewer than
    two finite draws, every draw equal (up to :data:`nero.tolerances.ZERO_TOL` of their size),
    every draw on one side of the estimate (z0 infinite), no influence (a undefined); and a NaN
    limit where 1 - a (z0 + z) <= 0.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"bootstrap interval: level must be strictly between 0 and 1, got {level!r}")
    t = np.asarray(draws, float)
    t = t[np.isfinite(t)]
    if len(t) < 2 or is_zero(np.ptp(t), np.max(np.abs(t))):
        return math.nan, math.nan
    _, _, lo, hi = bca_levels(t, estimate, influence, level)
    qlo, qhi = normal_interpolated_quantiles(t, [lo, hi])
    return float(qlo), float(qhi)


def summarise_draws(
    draws: np.ndarray, estimate: float, level: float = 0.95, jackknife: np.ndarray | None = None
) -> dict[str, float]:
    """Boot SE, percentile, bias-corrected and BCa limits of one effect.

    ``jackknife``: the effect with each case left out (n values), for the BCa acceleration;
    without it the BCa limits are NaN.
    """
    draws = np.asarray(draws, float)
    good = draws[np.isfinite(draws)]
    nan = math.nan
    if len(good) < 2:
        keys = ("boot_se", "pct_lower", "pct_upper", "bc_lower", "bc_upper", "bca_lower", "bca_upper")
        return dict.fromkeys(keys, nan)
    pl, pu = percentile_interval(good, level)
    bl, bu = bias_corrected_interval(good, estimate, level)
    al, au = (nan, nan) if jackknife is None else bca_interval(good, estimate, jackknife_influence(jackknife), level)
    return {
        "boot_se": float(np.std(good, ddof=1)),
        "pct_lower": pl,
        "pct_upper": pu,
        "bc_lower": bl,
        "bc_upper": bu,
        "bca_lower": al,
        "bca_upper": au,
    }
