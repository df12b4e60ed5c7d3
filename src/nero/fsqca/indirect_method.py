"""Ragin's indirect method of calibration: a fractional logit of qualitative scores on raw values."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from nero.fsqca._calibration import _finish, _series
from nero.fsqca._data import DEFAULT_HALF_SHIFT, check_half_policy, numeric_values
from nero.fsqca._errors import AnchorOrderError, CalibrationConvergenceWarning, FsqcaError, MembershipRangeError


def calibrate_indirect(
    x,
    targets=None,
    thresholds: Sequence[float] | None = None,
    *,
    design: str = "linear",
    half: str = "shift",
    half_shift: float = DEFAULT_HALF_SHIFT,
    name: str | None = None,
) -> pd.Series:
    """Ragin's indirect method: fit a fractional logit of qualitative scores on ``x``.

    Parameters
    ----------
    x : array-like or Series
        Raw values (no missing values).
    targets : array-like, optional
        The researcher's qualitative membership of each case (e.g. 0, .2, .4, .6, .8, 1).
    thresholds : sequence of float, optional
        Instead of ``targets``: as R's QCA, a case above the j-th of m sorted thresholds
        gets the target j/m.
    design : {"linear", "fracpoly"}
        Predictors of the logit: ``x`` (Ragin) or R QCA's fractional polynomial
        ``log(x), sqrt(x), x, x^2`` (needs ``x > 0``).
    half, half_shift, name
        As in :func:`nero.fsqca.calibrate_direct`.

    Returns
    -------
    Series
        Fitted memberships (rounded to 6 decimals, as R).
    """
    s, label = _series(x, name)
    values = numeric_values(s, label)
    if (targets is None) == (thresholds is None):
        raise FsqcaError(f"column {label!r}: give either targets or thresholds for the indirect method")
    if targets is not None:
        y = _target_values(targets, s, values, label)
    else:
        y = _threshold_targets(thresholds, values, label)
    mat = _design_matrix(values, design, s, label)
    check_half_policy(half, half_shift)
    fitted, converged, clipped = _fractional_logit(mat, y)
    separated = separation(mat, y)
    if separated or not converged or clipped:
        what = (
            "has no maximum-likelihood fit: the targets are (quasi-)separated by its predictors"
            if separated
            else "did not converge"
            if not converged
            else "fitted memberships numerically 0 or 1"
        )
        warnings.warn(
            f"column {label!r}: the indirect method's logit {what} ({design} design), so the memberships "
            "are not identified; use fewer predictors (design='linear'), fewer thresholds, or targets "
            "that are not a step function of x",
            CalibrationConvergenceWarning,
            stacklevel=2,
        )
    return _finish(np.round(fitted, 6), s, label, half, half_shift)


def _target_values(targets, s: pd.Series, values: np.ndarray, label: str) -> np.ndarray:
    """The researcher's target memberships, one per case, each in [0, 1]."""
    raw = np.asarray(targets, dtype=object).ravel()
    if len(raw) != len(values):
        raise FsqcaError(f"column {label!r}: {len(raw)} targets for {len(values)} cases; expected one per case")
    y = numeric_values(pd.Series(raw, index=s.index), f"{label} targets")
    if ((y < 0) | (y > 1)).any():
        j = int(np.flatnonzero((y < 0) | (y > 1))[0])
        raise MembershipRangeError(f"column {label!r}, case {s.index[j]!r}: target {y[j]:g} outside [0, 1]")
    return y


def _threshold_targets(thresholds: Sequence[float], values: np.ndarray, label: str) -> np.ndarray:
    """Targets from m increasing thresholds, as R's QCA: j/m above the j-th (rounded to 3 decimals)."""
    th = [float(t) for t in thresholds]
    if any(b <= a for a, b in zip(th, th[1:])):
        raise AnchorOrderError(f"column {label!r}: thresholds {th} not strictly increasing")
    y = np.zeros(len(values))
    for j, t in enumerate(th):
        y[values > t] = round((j + 1) / len(th), 3)
    return y


def _design_matrix(values: np.ndarray, design: str, s: pd.Series, label: str) -> np.ndarray:
    """Constant and standardised predictors: ``x`` (linear) or log, sqrt, x, x^2 (fracpoly)."""
    if design == "linear":
        sd = values.std() or 1.0
        z = (values - values.mean()) / sd
        return np.column_stack([np.ones_like(z), z])
    if design == "fracpoly":
        if (values <= 0).any():
            j = int(np.flatnonzero(values <= 0)[0])
            raise FsqcaError(
                f"column {label!r}, case {s.index[j]!r}: value {values[j]:g} not positive; "
                "the fractional polynomial design needs x > 0"
            )
        cols = [np.log(values), np.sqrt(values), values, values**2]
        cols = [(c - c.mean()) / (c.std() or 1.0) for c in cols]
        return np.column_stack([np.ones_like(values)] + cols)
    raise FsqcaError(f"design {design!r} unknown; expected 'linear' or 'fracpoly'")


#: Linear-predictor clip of the iterations: a fitted membership within exp(-30) (about 9e-14)
#: of 0 or 1 is "numerically 0 or 1" (R's glm warns below 10 x machine epsilon).
ETA_CLIP = 30.0
#: The iterations have converged when the coefficients change by less than this ...
BETA_TOL = 1e-10
#: ... or, after the last iteration, the score (gradient of the quasi-likelihood) is below this
#: per case: the fit is at the maximum up to rounding, whatever the last bits of the iterates.
SCORE_TOL = 1e-8
#: The separation check's linear programme reaches at least 1 when the targets are separated
#: and 0 (up to the solver's tolerance, 1e-7) when not; half-way is the cut.
SEPARATION_CUT = 0.5


def separation(design: np.ndarray, y: np.ndarray) -> bool:
    """Whether the targets are (quasi-)separated by the predictors, so that no maximum-likelihood fit exists.

    The quasi-likelihood ``sum(y eta - log(1 + exp(eta)))`` keeps rising along a direction ``d``
    (and has no maximum) exactly when ``x_i'd >= 0`` for every case with target 1, ``x_i'd <= 0``
    for every case with target 0 and ``x_i'd = 0`` for every case with a target strictly
    between, with some ``x_i'd != 0`` (Albert & Anderson 1984, for 0/1 targets; a target inside
    (0, 1) pins its case). The linear programme of Konis (2007, R's ``detectseparation``)
    maximises ``sum(|x_i'd|)`` over the 0/1 cases under those signs and ``|x_i'd| <= 1``: its
    optimum is 0 without separation and at least 1 with it (scale ``d`` until a bound is
    reached), so the answer does not depend on the last bits of an iteration
    (:data:`SEPARATION_CUT`). Solved with scipy's HiGHS (``scipy.optimize.linprog``).
    """
    from scipy.optimize import linprog

    one, zero = y >= 1, y <= 0
    if not (one.any() or zero.any()):
        return False
    inner = ~(one | zero)
    cost = -(design[one].sum(axis=0) - design[zero].sum(axis=0))
    a_ub = np.vstack([-design[one], design[one], design[zero], -design[zero]])
    b_ub = np.concatenate([np.zeros(one.sum()), np.ones(one.sum()), np.zeros(zero.sum()), np.ones(zero.sum())])
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=design[inner] if inner.any() else None,
        b_eq=np.zeros(inner.sum()) if inner.any() else None,
        bounds=[(None, None)] * design.shape[1],
        method="highs",
    )
    if res.status != 0:  # the programme is bounded and d = 0 is feasible: only a solver failure lands here
        raise FsqcaError(f"the separation check of the indirect method failed: {res.message}")
    return bool(-res.fun >= SEPARATION_CUT)


def _fractional_logit(design: np.ndarray, y: np.ndarray, max_iter: int = 200) -> tuple[np.ndarray, bool, bool]:
    """Quasi-binomial logit fitted by iteratively reweighted least squares (as R's glm).

    Returns the fitted values, whether the fit converged and whether a case's linear
    predictor reached the clip at +-:data:`ETA_CLIP` (fitted values numerically 0 or 1: R's
    glm warns "fitted probabilities numerically 0 or 1 occurred"). Converged: the
    coefficients changed by less than :data:`BETA_TOL` within ``max_iter`` iterations, or the
    score at the last iterate is below :data:`SCORE_TOL` per case (an ill-conditioned but
    identified fit whose iterates move in their last bits only; a change criterion alone
    decided by those bits, and so differed by CPU). Whether a maximum exists at all is
    decided separately, by :func:`separation`. Hand-written rather than statsmodels' GLM so
    that the linear predictor is clipped as before: the results of converged fits stay
    byte-identical.
    """
    beta = np.zeros(design.shape[1])
    converged = False
    for _ in range(max_iter):
        eta = np.clip(design @ beta, -ETA_CLIP, ETA_CLIP)
        mu = 1 / (1 + np.exp(-eta))
        w = np.maximum(mu * (1 - mu), 1e-10)
        z = eta + (y - mu) / w
        xtw = design.T * w
        new = np.linalg.lstsq(xtw @ design, xtw @ z, rcond=None)[0]
        if np.max(np.abs(new - beta)) < BETA_TOL:
            beta, converged = new, True
            break
        beta = new
    eta = design @ beta
    fitted = 1 / (1 + np.exp(-np.clip(eta, -ETA_CLIP, ETA_CLIP)))
    if not converged:
        converged = bool(np.max(np.abs(design.T @ (y - fitted))) <= SCORE_TOL * len(y))
    return fitted, converged, bool((np.abs(eta) >= ETA_CLIP).any())
