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

The membership functions are in :mod:`nero.fsqca._calibration`, the indirect method in
:mod:`nero.fsqca.indirect_method` and the skewness check in :mod:`nero.fsqca.skewness_check`
(the package :mod:`nero.fsqca` offers them all).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from nero.fsqca._calibration import (
    _finish,
    _resolve_anchors,
    _series,
    s_curve,
)
from nero.fsqca._data import (
    DEFAULT_HALF_SHIFT,
    as_frame,
    check_half_policy,
    numeric_values,
    require_columns,
)
from nero.fsqca._errors import AnchorOrderError


def calibrate_direct(x, exclusion: float, crossover: float, inclusion: float, **options) -> pd.Series:
    """Direct calibration with three anchors (S-shaped set).

    Parameters
    ----------
    x : array-like or Series
        Raw values (NaN stays NaN).
    exclusion, crossover, inclusion : float
        The anchors. ``exclusion < crossover < inclusion`` gives an increasing set,
        ``exclusion > crossover > inclusion`` a decreasing one.

    Other Parameters
    ----------------
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
    TypeError
        A keyword that is none of the other parameters.
    """
    return _calibrate_anchored(x, (exclusion, crossover, inclusion), "s", **options)


def calibrate_bell(x, anchors: Sequence[float], **options) -> pd.Series:
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

    Other Parameters
    ----------------
    convention, idm, percentile, function, half, half_shift, name
        As in :func:`calibrate_direct`.

    Returns
    -------
    Series
        The minimum of the rising and falling S-curves (bell), or their maximum (U).
    """
    return _calibrate_anchored(x, anchors, "bell", **options)


def _calibrate_anchored(
    x,
    anchors: Sequence[float],
    shape: str,
    *,
    convention: str = "ragin",
    idm: float | None = None,
    percentile: bool = False,
    function: str = "logistic",
    half: str = "shift",
    half_shift: float = DEFAULT_HALF_SHIFT,
    name: str | None = None,
) -> pd.Series:
    """The direct method for both shapes: ``"s"`` (three anchors) or ``"bell"`` (six; bell or U).

    One function holds the options of :func:`calibrate_direct` and :func:`calibrate_bell` (their
    signature, defaults and the order of the checks: values, anchors, their order, the 0.5
    policy), so the two cannot drift apart.
    """
    s, label = _series(x, name)
    values = numeric_values(s, label, allow_nan=True)
    if shape == "s":
        e, c, i = _resolve_anchors(values, anchors, percentile, label, ("exclusion", "crossover", "inclusion"))
        if not (e < c < i or e > c > i):
            raise AnchorOrderError(
                f"column {label!r}: anchors out of order (exclusion={e:g}, crossover={c:g}, inclusion={i:g}); "
                "expected exclusion < crossover < inclusion (or all reversed for a decreasing set)"
            )
        check_half_policy(half, half_shift)
        fs = s_curve(values, e, c, i, function, convention, idm)
        return _finish(fs, s, label, half, half_shift)
    if len(anchors) != 6:
        raise AnchorOrderError(f"column {label!r}: {len(anchors)} anchors given; expected six (e1, c1, i1, i2, c2, e2)")
    e1, c1, i1, i2, c2, e2 = _resolve_anchors(values, anchors, percentile, label, ("e1", "c1", "i1", "i2", "c2", "e2"))
    bell = e1 < c1 < i1 <= i2 < c2 < e2
    ushape = i1 < c1 < e1 <= e2 < c2 < i2
    if not (bell or ushape):
        raise AnchorOrderError(
            f"column {label!r}: six anchors out of order (e1={e1:g}, c1={c1:g}, i1={i1:g}, i2={i2:g}, "
            f"c2={c2:g}, e2={e2:g}); expected e1 < c1 < i1 <= i2 < c2 < e2 (bell) or "
            "i1 < c1 < e1 <= e2 < c2 < i2 (U shape)"
        )
    check_half_policy(half, half_shift)
    rise = s_curve(values, e1, c1, i1, function, convention, idm)
    fall = s_curve(values, e2, c2, i2, function, convention, idm)
    fs = np.fmin(rise, fall) if bell else np.fmax(rise, fall)
    fs[np.isnan(values)] = np.nan
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


def calibrate(
    data: pd.DataFrame,
    anchors: Mapping[str, Sequence[float]],
    *,
    convention: str = "ragin",
    idm: float | None = None,
    percentile: bool = False,
    function: str = "logistic",
    half: str = "shift",
    half_shift: float = DEFAULT_HALF_SHIFT,
    keep: bool = False,
) -> pd.DataFrame:
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
        kw = dict(
            convention=convention,
            idm=idm,
            percentile=percentile,
            function=function,
            half=half,
            half_shift=half_shift,
            name=str(col),
        )
        res = _calibrate_column(df[col], col, list(anc), kw)
        cells.extend(res.attrs["half_membership"]["cells"])
        out[col] = res
    result = pd.DataFrame(out, index=df.index)
    if keep:
        rest = [c for c in df.columns if c not in anchors]
        result = pd.concat([df[rest], result], axis=1)[list(df.columns)]
    result.attrs["half_membership"] = {"policy": half, "shift": half_shift, "cells": cells}
    return result


def _calibrate_column(x: pd.Series, col, anc: list, kw: dict) -> pd.Series:
    """One column: three anchors an S-shaped set, six a bell (or U)."""
    if len(anc) == 3:
        return calibrate_direct(x, *anc, **kw)
    if len(anc) == 6:
        return calibrate_bell(x, anc, **kw)
    raise AnchorOrderError(f"column {col!r}: {len(anc)} anchors given; expected 3 (S-shape) or 6 (bell)")
