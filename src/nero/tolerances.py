"""Named tolerances of every floating-point decision of the study, and the comparisons that use them.

A flag, sign, category or verdict computed from floating point must not depend on the last
bits of a number: BLAS kernels, numpy's SIMD dispatch and ``exp``/``log`` implementations
differ by CPU and move results by a few units in the last place (about 1e-16 relative).
Every decision of the library therefore compares with a stated tolerance, and a value within
that tolerance of a threshold counts as *on* the threshold. Which side "on the threshold"
falls is part of each rule and is stated with it:

- a p-value within :data:`P_TOL` of alpha is *not* below alpha (not significant): a
  Johnson-Neyman transition point, where p equals alpha by construction, is a boundary and
  is not judged significant;
- a statistic within :data:`CUT_TOL` of a cut-off that it must reach (consistency, CFI,
  reliability, alpha >= .70) reaches it; one that must stay below a cut-off (HTMT < .85,
  a drop in CFI) does not exceed it when within the tolerance;
- a value within :data:`ZERO_TOL` (relative to the scale of what it was computed from) of
  zero is zero: it has no sign, a confidence interval whose bound is zero does not exclude
  zero, and it is written as 0 (never ``-0`` or ``1e-17``).

The tolerances are far above floating-point noise (1e-16) and far below any difference a
reader would call real (results are written with 8-10 significant digits), so the
reference results do not move and every machine decides alike.
"""

from __future__ import annotations

import numpy as np

#: p-values: ``p < alpha`` means ``p < alpha - P_TOL`` (p within 1e-9 of alpha is at alpha).
P_TOL = 1e-9
#: Cut-offs on statistics of order 1 (consistency, coverage, CFI, reliability, HTMT, kappa).
CUT_TOL = 1e-9
#: Relative size below which a computed value is zero (of the scale of its inputs).
ZERO_TOL = 1e-12


def below_alpha(p, alpha: float):
    """``p < alpha`` with the tolerance :data:`P_TOL` (p within it of alpha is not below).

    Works element-wise on arrays and Series; NaN is not below (not significant).
    """
    return np.less(p, alpha - P_TOL)


def at_least(value, cut: float, tol: float = CUT_TOL):
    """``value >= cut`` with the tolerance ``tol`` (a value within it of ``cut`` reaches it)."""
    return np.greater_equal(value, cut - tol)


def below(value, cut: float, tol: float = CUT_TOL):
    """``value < cut`` with the tolerance ``tol`` (a value within it of ``cut`` is not below)."""
    return np.less(value, cut - tol)


def is_zero(value, scale=1.0, tol: float = ZERO_TOL):
    """Whether ``|value| <= tol * max(|scale|, 1e-300)``: zero up to rounding, relative to ``scale``."""
    return np.less_equal(np.abs(value), tol * np.maximum(np.abs(scale), 1e-300))


def sign(value, scale=1.0, tol: float = ZERO_TOL):
    """-1, 0 or 1: the sign of ``value``, 0 when it is zero up to rounding (:func:`is_zero`)."""
    out = np.where(is_zero(value, scale, tol), 0, np.sign(value)).astype(int)
    return int(out) if np.ndim(out) == 0 else out


def excludes_zero(low, high, scale=1.0, tol: float = ZERO_TOL):
    """Whether the interval ``[low, high]`` lies strictly on one side of zero.

    A bound that is zero up to rounding (relative to ``scale``) does not exclude zero.
    """
    return np.logical_or(sign(low, scale, tol) > 0, sign(high, scale, tol) < 0)


def snap_zero(values, scale=None, tol: float = ZERO_TOL):
    """``values`` with every entry that is zero up to rounding set to exactly 0.0 (no ``-0.0``).

    ``scale`` (default: the largest ``|value|`` of ``values``) is the size of what the values were
    computed from. Returns a float array (or a float for a scalar).
    """
    arr = np.asarray(values, dtype=float)
    if scale is None:
        finite = np.abs(arr[np.isfinite(arr)])
        scale = finite.max() if finite.size else 1.0
    out = np.where(is_zero(arr, scale, tol), 0.0, arr) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(out) if out.ndim == 0 else out
