"""Membership functions and shared steps of the calibration functions (:mod:`nero.fsqca.calibration`).

The inclusion degree of each anchor convention, reading raw values and anchors, Ragin's
logistic and R QCA's piecewise-linear S-curves, and the final rounding to 0/1 with the
policy for memberships of exactly 0.5.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nero.fsqca._data import HalfReport, apply_half_policy
from nero.fsqca._errors import AnchorOrderError, FsqcaError

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


def _resolve_anchors(
    values: np.ndarray, anchors: Sequence[float], percentile: bool, label: str, names: Sequence[str]
) -> list[float]:
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
        fs = np.where(
            xv <= e,
            0.0,
            np.where(
                xv <= c,
                ((e - xv) / (e - c)) ** below / 2,
                np.where(xv <= i, 1 - ((i - xv) / (i - c)) ** above / 2, 1.0),
            ),
        )
    else:
        fs = np.where(
            xv <= i,
            1.0,
            np.where(
                xv <= c,
                1 - ((i - xv) / (i - c)) ** above / 2,
                np.where(xv <= e, ((e - xv) / (e - c)) ** below / 2, 0.0),
            ),
        )
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


def s_curve(
    values: np.ndarray, e: float, c: float, i: float, function: str, convention: str, idm: float | None
) -> np.ndarray:
    """Membership of ``values`` on the S-curve with anchors e, c, i: ``function`` logistic or linear."""
    if function == "logistic":
        return _logistic_s(values, e, c, i, inclusion_degree(convention, idm))
    if function == "linear":
        return _linear_s(values, e, c, i)
    raise FsqcaError(f"calibration function {function!r} unknown; expected 'logistic' or 'linear'")
