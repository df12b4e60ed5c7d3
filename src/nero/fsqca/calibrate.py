"""Calibration of raw values into set memberships.

* :func:`calibrate_direct` -- Ragin's direct method with three anchors (full exclusion,
  crossover, full inclusion): an S-shaped logistic (or R's piecewise linear) function.
  Anchors may be given as values or as percentiles of the data.
* :func:`calibrate_bell` -- six anchors, bell-shaped (or U-shaped) sets.
* :func:`calibrate_indirect` -- Ragin's indirect method: a fractional logit of qualitative
  membership scores on the raw values.
* :func:`calibrate_crisp` -- crisp (0/1, or multi-value) sets from thresholds.
* :func:`calibrate` -- a whole table at once; :func:`skewness` -- share of cases above 0.5.

Inclusion anchor conventions (``convention=``):

``"ragin"`` (default)
    the inclusion anchor maps to log-odds +3, membership exp(3)/(1+exp(3)) = 0.9526
    (and exclusion to 0.0474). This is fs/QCA's convention and reproduces published
    fuzzy data such as Cebotari & Vink's CVF from CVR.
``"exact"``
    the inclusion anchor maps to exactly 0.95 (R QCA's default ``idm = 0.95``).

As in R's QCA, memberships below 0.0001 are set to 0 and above 0.9999 to 1.

Memberships of exactly 0.5 (a raw value at the crossover) are never silently kept:
``half="shift"`` (default) adds ``half_shift`` (0.001) and warns, ``half="fail"`` raises
:class:`~nero.fsqca.HalfMembershipError`, ``half="keep"`` keeps them and warns. The
cells affected are listed in ``result.attrs["half_membership"]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nero.fsqca._data import (
    DEFAULT_HALF_SHIFT,
    HalfReport,
    apply_half_policy,
    as_frame,
    check_half_policy,
    membership_values,
    numeric_values,
    require_columns,
)
from nero.fsqca._errors import AnchorOrderError, FsqcaError, MembershipRangeError

#: Inclusion degree of membership of each convention.
CONVENTIONS = {"ragin": float(np.exp(3) / (1 + np.exp(3))), "exact": 0.95}


def inclusion_degree(convention: str = "ragin", idm: float | None = None) -> float:
    """Membership assigned to the full-inclusion anchor."""
    if idm is not None:
        if not 0.5 < idm < 1:
            raise AnchorOrderError(f"inclusion degree of membership {idm!r} unusable; expected 0.5 < idm < 1")
        return float(idm)
    if convention not in CONVENTIONS:
        raise FsqcaError(f"convention {convention!r} unknown; expected one of {', '.join(CONVENTIONS)}")
    return CONVENTIONS[convention]


def _series(x, name: str | None) -> tuple[pd.Series, str]:
    if isinstance(x, pd.Series):
        label = str(name if name is not None else (x.name if x.name is not None else "x"))
        return x, label
    s = pd.Series(np.asarray(x) if not isinstance(x, list) else x)
    return s, str(name if name is not None else "x")


def _resolve_anchors(values: np.ndarray, anchors: Sequence[float], percentile: bool, label: str,
                     names: Sequence[str]) -> list[float]:
    out = []
    for a, nm in zip(anchors, names):
        try:
            a = float(a)
        except (TypeError, ValueError):
            raise AnchorOrderError(f"column {label!r}: anchor {nm} = {a!r} is not a number") from None
        if not np.isfinite(a):
            raise AnchorOrderError(f"column {label!r}: anchor {nm} = {a!r} is not a finite number")
        out.append(a)
    if percentile:
        for a, nm in zip(out, names):
            if not 0 <= a <= 100:
                raise AnchorOrderError(
                    f"column {label!r}: percentile anchor {nm} = {a:g} outside [0, 100]; expected a percentile"
                )
        finite = values[~np.isnan(values)]
        if finite.size == 0:
            raise FsqcaError(f"column {label!r}: no values to take percentiles of")
        out = [float(np.percentile(finite, a)) for a in out]
    return out


def _logistic_s(x: np.ndarray, e: float, c: float, i: float, idm: float) -> np.ndarray:
    """S-shaped logistic membership with anchors e, c, i (increasing if e < i)."""
    lo = np.log(idm / (1 - idm))
    if e > i:  # decreasing set: as R, compute the increasing one and complement it
        return 1.0 - _logistic_s(x, i, c, e, idm)
    with np.errstate(over="ignore", invalid="ignore"):
        z = np.where(x >= c, (x - c) * lo / (i - c), (x - c) * lo / (c - e))
        return 1.0 / (1.0 + np.exp(-z))


def _linear_s(x: np.ndarray, e: float, c: float, i: float, above: float = 1.0, below: float = 1.0) -> np.ndarray:
    """R QCA's piecewise-linear (``logistic = FALSE``) membership function."""
    out = np.full(x.shape, np.nan)
    ok = ~np.isnan(x)
    xv = x[ok]
    if e < i:
        fs = np.where(xv <= e, 0.0,
             np.where(xv <= c, ((e - xv) / (e - c)) ** below / 2,
             np.where(xv <= i, 1 - ((i - xv) / (i - c)) ** above / 2, 1.0)))
    else:
        fs = np.where(xv <= i, 1.0,
             np.where(xv <= c, 1 - ((i - xv) / (i - c)) ** above / 2,
             np.where(xv <= e, ((e - xv) / (e - c)) ** below / 2, 0.0)))
    out[ok] = fs
    return out


def _finish(fs: np.ndarray, s: pd.Series, label: str, half: str, half_shift: float) -> pd.Series:
    fs = fs.copy()
    fs[fs < 0.0001] = 0.0
    fs[fs > 0.9999] = 1.0
    cells: list[tuple[str, str]] = []
    if np.isnan(fs).any():
        ok = ~np.isnan(fs)
        sub, cells = apply_half_policy(fs[ok], label, list(s.index[ok]), half, half_shift)
        fs[ok] = sub
    else:
        fs, cells = apply_half_policy(fs, label, list(s.index), half, half_shift)
    out = pd.Series(fs, index=s.index, name=label)
    out.attrs["half_membership"] = HalfReport(half, half_shift, tuple(cells)).to_dict()
    return out


def calibrate_direct(x, exclusion: float, crossover: float, inclusion: float, *,
                     convention: str = "ragin", idm: float | None = None, percentile: bool = False,
                     function: str = "logistic", half: str = "shift",
                     half_shift: float = DEFAULT_HALF_SHIFT, name: str | None = None) -> pd.Series:
    """Direct calibration with three anchors (S-shaped set).

    Parameters
    ----------
    x : array-like or Series
        Raw values (NaN stays NaN).
    exclusion, crossover, inclusion : float
        The anchors. ``exclusion < crossover < inclusion`` gives an increasing set,
        ``exclusion > crossover > inclusion`` a decreasing one.
    convention : {"ragin", "exact"}
        Membership at the inclusion anchor: 0.9526 (log-odds 3) or exactly 0.95.
    idm : float, optional
        Any other inclusion degree of membership (overrides ``convention``).
    percentile : bool
        Read the anchors as percentiles (0-100) of ``x`` (linear interpolation).
    function : {"logistic", "linear"}
        Ragin's logistic function or R QCA's piecewise-linear one.
    half : {"shift", "fail", "keep"}
        Policy for memberships of exactly 0.5 (see the module docstring).
    half_shift : float
        Constant added under the ``"shift"`` policy.
    name : str, optional
        Name of the result (default: the Series name).

    Returns
    -------
    Series
        Memberships in [0, 1]; ``.attrs["half_membership"]`` reports the 0.5 cells.

    Raises
    ------
    AnchorOrderError
        Anchors not strictly monotone, not numeric, or percentiles outside [0, 100].
    NonNumericError
        A raw value that is not a number.
    """
    s, label = _series(x, name)
    values = numeric_values(s, label, allow_nan=True)
    e, c, i = _resolve_anchors(values, (exclusion, crossover, inclusion), percentile, label,
                               ("exclusion", "crossover", "inclusion"))
    if not (e < c < i or e > c > i):
        raise AnchorOrderError(
            f"column {label!r}: anchors out of order (exclusion={e:g}, crossover={c:g}, inclusion={i:g}); "
            "expected exclusion < crossover < inclusion (or all reversed for a decreasing set)"
        )
    check_half_policy(half, half_shift)
    if function == "logistic":
        fs = _logistic_s(values, e, c, i, inclusion_degree(convention, idm))
    elif function == "linear":
        fs = _linear_s(values, e, c, i)
    else:
        raise FsqcaError(f"calibration function {function!r} unknown; expected 'logistic' or 'linear'")
    return _finish(fs, s, label, half, half_shift)


def calibrate_bell(x, anchors: Sequence[float], *, convention: str = "ragin", idm: float | None = None,
                   percentile: bool = False, function: str = "logistic", half: str = "shift",
                   half_shift: float = DEFAULT_HALF_SHIFT, name: str | None = None) -> pd.Series:
    """Direct calibration with six anchors: a bell-shaped (or U-shaped) set.

    Parameters
    ----------
    x : array-like or Series
        Raw values.
    anchors : sequence of six floats
        ``(e1, c1, i1, i2, c2, e2)`` with ``e1 < c1 < i1 <= i2 < c2 < e2`` for a bell
        (full membership between i1 and i2), or ``(i1, c1, e1, e2, c2, i2)``-ordered
        values ``i1 < c1 < e1 <= e2 < c2 < i2`` for a U shape (R QCA's order
        ``e1, c1, i1, i2, c2, e2`` of the arguments in both cases).
    convention, idm, percentile, function, half, half_shift, name
        As in :func:`calibrate_direct`.

    Returns
    -------
    Series
        The minimum of the rising and falling S-curves (bell), or their maximum (U).
    """
    s, label = _series(x, name)
    values = numeric_values(s, label, allow_nan=True)
    if len(anchors) != 6:
        raise AnchorOrderError(f"column {label!r}: {len(anchors)} anchors given; expected six (e1, c1, i1, i2, c2, e2)")
    e1, c1, i1, i2, c2, e2 = _resolve_anchors(values, anchors, percentile, label,
                                              ("e1", "c1", "i1", "i2", "c2", "e2"))
    bell = e1 < c1 < i1 <= i2 < c2 < e2
    ushape = i1 < c1 < e1 <= e2 < c2 < i2
    if not (bell or ushape):
        raise AnchorOrderError(
            f"column {label!r}: six anchors out of order (e1={e1:g}, c1={c1:g}, i1={i1:g}, i2={i2:g}, "
            f"c2={c2:g}, e2={e2:g}); expected e1 < c1 < i1 <= i2 < c2 < e2 (bell) or "
            "i1 < c1 < e1 <= e2 < c2 < i2 (U shape)"
        )
    check_half_policy(half, half_shift)
    if function == "logistic":
        d = inclusion_degree(convention, idm)
        rise, fall = _logistic_s(values, e1, c1, i1, d), _logistic_s(values, e2, c2, i2, d)
    elif function == "linear":
        rise, fall = _linear_s(values, e1, c1, i1), _linear_s(values, e2, c2, i2)
    else:
        raise FsqcaError(f"calibration function {function!r} unknown; expected 'logistic' or 'linear'")
    fs = np.fmin(rise, fall) if bell else np.fmax(rise, fall)
    fs[np.isnan(values)] = np.nan
    return _finish(fs, s, label, half, half_shift)


def _fractional_logit(design: np.ndarray, y: np.ndarray, max_iter: int = 200) -> np.ndarray:
    """Quasi-binomial logit fitted by iteratively reweighted least squares (as R's glm)."""
    beta = np.zeros(design.shape[1])
    for _ in range(max_iter):
        eta = np.clip(design @ beta, -30, 30)
        mu = 1 / (1 + np.exp(-eta))
        w = np.maximum(mu * (1 - mu), 1e-10)
        z = eta + (y - mu) / w
        xtw = design.T * w
        new = np.linalg.lstsq(xtw @ design, xtw @ z, rcond=None)[0]
        if np.max(np.abs(new - beta)) < 1e-10:
            beta = new
            break
        beta = new
    return 1 / (1 + np.exp(-np.clip(design @ beta, -30, 30)))


def calibrate_indirect(x, targets=None, thresholds: Sequence[float] | None = None, *,
                       design: str = "linear", half: str = "shift",
                       half_shift: float = DEFAULT_HALF_SHIFT, name: str | None = None) -> pd.Series:
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
        As in :func:`calibrate_direct`.

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
        y = numeric_values(pd.Series(np.asarray(targets, dtype=object), index=s.index), f"{label} targets")
        if len(y) != len(values):
            raise FsqcaError(f"column {label!r}: {len(y)} targets for {len(values)} cases; expected one per case")
        if ((y < 0) | (y > 1)).any():
            j = int(np.flatnonzero((y < 0) | (y > 1))[0])
            raise MembershipRangeError(f"column {label!r}, case {s.index[j]!r}: target {y[j]:g} outside [0, 1]")
    else:
        th = [float(t) for t in thresholds]
        if any(b <= a for a, b in zip(th, th[1:])):
            raise AnchorOrderError(f"column {label!r}: thresholds {th} not strictly increasing")
        y = np.zeros(len(values))
        for j, t in enumerate(th):
            y[values > t] = round((j + 1) / len(th), 3)
    if design == "linear":
        sd = values.std() or 1.0
        z = (values - values.mean()) / sd
        mat = np.column_stack([np.ones_like(z), z])
    elif design == "fracpoly":
        if (values <= 0).any():
            j = int(np.flatnonzero(values <= 0)[0])
            raise FsqcaError(f"column {label!r}, case {s.index[j]!r}: value {values[j]:g} not positive; "
                             "the fractional polynomial design needs x > 0")
        cols = [np.log(values), np.sqrt(values), values, values ** 2]
        cols = [(c - c.mean()) / (c.std() or 1.0) for c in cols]
        mat = np.column_stack([np.ones_like(values)] + cols)
    else:
        raise FsqcaError(f"design {design!r} unknown; expected 'linear' or 'fracpoly'")
    check_half_policy(half, half_shift)
    fs = np.round(_fractional_logit(mat, y), 6)
    return _finish(fs, s, label, half, half_shift)


def calibrate_crisp(x, thresholds: float | Sequence[float], *, name: str | None = None) -> pd.Series:
    """Crisp calibration: the number of thresholds at or below each value (R's ``findInterval``).

    One threshold gives a crisp set (0/1); m thresholds a multi-value set 0..m.
    """
    s, label = _series(x, name)
    values = numeric_values(s, label)
    th = [float(thresholds)] if np.isscalar(thresholds) else [float(t) for t in thresholds]
    if not th:
        raise AnchorOrderError(f"column {label!r}: no threshold given")
    if any(b <= a for a, b in zip(th, th[1:])):
        raise AnchorOrderError(f"column {label!r}: thresholds {th} out of order; expected strictly increasing values")
    out = np.searchsorted(np.asarray(th), values, side="right")
    return pd.Series(out.astype(int), index=s.index, name=label)


def calibrate(data: pd.DataFrame, anchors: Mapping[str, Sequence[float]], *, convention: str = "ragin",
              idm: float | None = None, percentile: bool = False, function: str = "logistic",
              half: str = "shift", half_shift: float = DEFAULT_HALF_SHIFT, keep: bool = False) -> pd.DataFrame:
    """Calibrate several columns at once.

    Parameters
    ----------
    data : DataFrame
        Raw values, cases by variables.
    anchors : mapping
        Column -> three anchors (S-shape, :func:`calibrate_direct`) or six (bell,
        :func:`calibrate_bell`).
    keep : bool
        Also return the columns that were not calibrated, unchanged.
    other parameters
        As in :func:`calibrate_direct`.

    Returns
    -------
    DataFrame
        Memberships; ``.attrs["half_membership"]`` lists every 0.5 cell.
    """
    df = as_frame(data)
    require_columns(df, list(anchors), "column to calibrate")
    out = {}
    cells: list[dict] = []
    for col, anc in anchors.items():
        anc = list(anc)
        kw = dict(convention=convention, idm=idm, percentile=percentile, function=function,
                  half=half, half_shift=half_shift, name=str(col))
        if len(anc) == 3:
            res = calibrate_direct(df[col], *anc, **kw)
        elif len(anc) == 6:
            res = calibrate_bell(df[col], anc, **kw)
        else:
            raise AnchorOrderError(f"column {col!r}: {len(anc)} anchors given; expected 3 (S-shape) or 6 (bell)")
        cells.extend(res.attrs["half_membership"]["cells"])
        out[col] = res
    result = pd.DataFrame(out, index=df.index)
    if keep:
        rest = [c for c in df.columns if c not in anchors]
        result = pd.concat([df[rest], result], axis=1)[list(df.columns)]
    result.attrs["half_membership"] = {"policy": half, "shift": half_shift, "cells": cells}
    return result


@dataclass
class SkewnessResult:
    """Share of cases with membership above 0.5 in each set, and the sets flagged as skewed."""

    table: pd.DataFrame
    low: float
    high: float

    @property
    def skewed(self) -> list[str]:
        return [str(s) for s in self.table.index[self.table["skewed"]]]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        head = f"skewness check: share of cases above 0.5 (flagged outside [{self.low:g}, {self.high:g}])"
        return head + "\n" + self.table.round(3).to_string()


def skewness(data: pd.DataFrame, sets: Sequence[str] | None = None, low: float = 0.2,
             high: float = 0.8) -> SkewnessResult:
    """Skewness check: per set, the share of cases with membership above 0.5.

    A set where fewer than ``low`` or more than ``high`` of the cases are (more in than
    out) is flagged: its necessity and sufficiency figures may be trivially high.
    """
    df = as_frame(data)
    names = list(df.columns) if sets is None else list(sets)
    require_columns(df, names, "set")
    rows = []
    for col in names:
        x = membership_values(df, col)
        above = int((x > 0.5).sum())
        share = above / len(x) if len(x) else float("nan")
        rows.append({"set": str(col), "n": len(x), "n_above": above, "share_above": share,
                     "skewed": bool(share < low or share > high)})
    table = pd.DataFrame(rows).set_index("set")
    return SkewnessResult(table=table, low=low, high=high)
