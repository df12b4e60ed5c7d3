"""Input checks shared by the fsQCA functions (columns, numbers, [0, 1], the 0.5 policy)."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nero.fsqca._errors import (
    FsqcaError,
    HalfMembershipError,
    HalfMembershipWarning,
    MembershipRangeError,
    MissingColumnError,
    MissingValueError,
    NonNumericError,
)

#: The policies for memberships of exactly 0.5 (see :class:`HalfPolicy`).
HALF_POLICIES = ("shift", "fail", "keep")

#: Default constant added to memberships of exactly 0.5 under the ``"shift"`` policy.
DEFAULT_HALF_SHIFT = 0.001


@dataclass(frozen=True)
class HalfReport:
    """Which cases had a membership of exactly 0.5, and what was done about it."""

    policy: str
    shift: float
    cells: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (case, column)

    @property
    def any(self) -> bool:
        return bool(self.cells)

    def to_dict(self) -> dict:
        return {
            "policy": self.policy,
            "shift": self.shift,
            "cells": [{"case": c, "column": col} for c, col in self.cells],
        }

    def describe(self) -> str:
        if not self.cells:
            return "no membership of exactly 0.5"
        where = ", ".join(f"{c} in {col}" for c, col in self.cells)
        if self.policy == "shift":
            return f"{len(self.cells)} membership(s) of exactly 0.5 shifted to {0.5 + self.shift:g}: {where}"
        return (
            f"{len(self.cells)} membership(s) of exactly 0.5 kept (such a case belongs to no truth table row): {where}"
        )


def as_frame(data: pd.DataFrame | dict | np.ndarray) -> pd.DataFrame:
    """Return ``data`` as a DataFrame (without copying a DataFrame)."""
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame()
    try:
        return pd.DataFrame(data)
    except (TypeError, ValueError) as exc:
        raise FsqcaError(f"expected a table (DataFrame) of cases by sets, got {type(data).__name__}") from exc


def split_names(names: str | Iterable[str] | None) -> list[str] | None:
    """``"A,B, C"`` or ``["A", "B"]`` -> ``["A", "B", "C"]``; ``None`` stays ``None``."""
    if names is None:
        return None
    if isinstance(names, str):
        parts = [p.strip() for p in names.split(",")]
        return [p for p in parts if p]
    return [str(n).strip() for n in names]


def require_columns(df: pd.DataFrame, columns: Sequence[str], what: str = "column") -> None:
    """Raise :class:`MissingColumnError` naming every missing column and the available ones."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        avail = ", ".join(map(str, df.columns))
        raise MissingColumnError(
            f"{what} {', '.join(repr(m) for m in missing)} not in the data; expected one of: {avail}"
        )
    dups = sorted({c for c in columns if list(columns).count(c) > 1})
    if dups:
        raise FsqcaError(f"{what} {', '.join(repr(d) for d in dups)} given more than once")


def numeric_values(
    values: pd.Series | Sequence | np.ndarray, column: str = "x", index: Sequence | None = None, allow_nan: bool = False
) -> np.ndarray:
    """Return ``values`` as floats, or raise :class:`NonNumericError` naming the first bad cell."""
    s = values if isinstance(values, pd.Series) else pd.Series(values, index=index)
    if s.dtype == bool:
        s = s.astype(float)
    conv = pd.to_numeric(s, errors="coerce")
    bad = conv.isna() & s.notna()
    if bad.any():
        case = bad[bad].index[0]
        raise NonNumericError(f"column {column!r}, case {case!r}: value {s[case]!r} is not numeric; expected a number")
    out = conv.to_numpy(dtype=float)
    if not allow_nan and np.isnan(out).any():
        case = s.index[int(np.flatnonzero(np.isnan(out))[0])]
        raise MissingValueError(f"column {column!r}, case {case!r}: missing value; expected a number")
    if np.isinf(out).any():
        case = s.index[int(np.flatnonzero(np.isinf(out))[0])]
        raise NonNumericError(
            f"column {column!r}, case {case!r}: value {_plain(s[case])} is infinite; expected a finite number"
        )
    return out


def _plain(value) -> str:
    """A value as the user wrote it: ``inf``, ``-inf``, ``3.5`` (never ``np.float64(inf)``)."""
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return repr(value)


def membership_values(df: pd.DataFrame, column: str) -> np.ndarray:
    """Return a column of set memberships, checking it is numeric, complete and inside [0, 1]."""
    x = numeric_values(df[column], column)
    bad = (x < 0) | (x > 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise MembershipRangeError(
            f"column {column!r}, case {df.index[i]!r}: membership {x[i]:g} is outside [0, 1]; "
            "expected a set membership score between 0 and 1 (calibrate raw values first)"
        )
    return x


def check_half_policy(policy: str, shift: float) -> None:
    if policy not in HALF_POLICIES:
        raise FsqcaError(f"half-membership policy {policy!r} unknown; expected one of {', '.join(HALF_POLICIES)}")
    if policy == "shift" and not (0 < abs(shift) < 0.5):
        raise FsqcaError(f"half-membership shift {shift!r} unusable; expected 0 < |shift| < 0.5")


def apply_half_policy(
    values: np.ndarray, column: str, cases: Sequence, policy: str, shift: float
) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Apply the 0.5 policy to one column; return the new values and the (case, column) cells hit.

    ``"shift"`` adds ``shift`` to every membership of exactly 0.5 and warns;
    ``"fail"`` raises :class:`HalfMembershipError`; ``"keep"`` keeps them and warns.
    """
    check_half_policy(policy, shift)
    hits = np.flatnonzero(np.isclose(values, 0.5, rtol=0.0, atol=1e-12))
    if hits.size == 0:
        return values, []
    cells = [(str(cases[i]), column) for i in hits]
    where = ", ".join(c for c, _ in cells)
    if policy == "fail":
        raise HalfMembershipError(
            f"column {column!r}: membership of exactly 0.5 for case(s) {where}; expected a value "
            "different from 0.5 (a case at the crossover belongs to no truth table row); "
            "choose other anchors or use the 'shift' policy"
        )
    out = values.copy()
    if policy == "shift":
        out[hits] = 0.5 + shift
        warnings.warn(
            f"column {column!r}: membership of exactly 0.5 for case(s) {where} shifted to {0.5 + shift:g}",
            HalfMembershipWarning,
            stacklevel=caller_stacklevel(),
        )
    else:
        warnings.warn(
            f"column {column!r}: membership of exactly 0.5 for case(s) {where} kept; "
            "these cases belong to no truth table row",
            HalfMembershipWarning,
            stacklevel=caller_stacklevel(),
        )
    return out, cells


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def caller_stacklevel() -> int:
    """``stacklevel`` for ``warnings.warn`` that names the first caller outside ``nero.fsqca``.

    Counted from the function that calls this one (level 1), so a warning raised deep in the
    package (``calibrate_direct`` -> ``_finish`` -> ``apply_half_policy``) points at the
    user's line, however the package's functions are nested.
    """
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def read_table(path: str, index_col: str | int | None = "auto") -> pd.DataFrame:
    """Read a CSV of cases by sets; the first column is the case label when it is unnamed or not numeric.

    Repeated column names and repeated case labels are refused (pandas would rename a
    second ``A`` to ``A.1``; a repeated label would make two cases one).
    """
    import csv

    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name.strip() and name in seen:
            raise FsqcaError(
                f"{path}, row 1: column name {name!r} appears twice (columns {seen[name]} and "
                f"{position}); expected unique set names"
            )
        seen[name] = position
    df = pd.read_csv(path)
    if index_col == "auto":
        first = df.columns[0]
        unnamed = str(first).startswith("Unnamed") or str(first).strip() == ""
        # a header-only table has no values to tell a label column by: only an unnamed one is
        textual = len(df) > 0 and not pd.api.types.is_numeric_dtype(df[first])
        if (unnamed or textual) and not df[first].is_unique:
            dup = df[first][df[first].duplicated(keep=False)]
            rows = ", ".join(
                f"{label!r} in rows {', '.join(str(i + 2) for i in dup.index[dup == label])}"
                for label in dict.fromkeys(dup)
            )
            raise FsqcaError(
                f"{path}, column {str(first)!r}: repeated case label(s): {rows}; "
                "expected one row per case with a unique label"
            )
        if unnamed or textual:
            df = df.set_index(first)
            df.index.name = None if unnamed else first
    elif index_col is not None:
        df = df.set_index(df.columns[index_col] if isinstance(index_col, int) else index_col)
    if isinstance(df.index, pd.RangeIndex):
        # no label column: cases are numbered as the data rows are, from 1 (R's row names)
        df.index = pd.RangeIndex(1, len(df) + 1)
    df.index = df.index.map(str)
    return df


def resolve_sets(df: pd.DataFrame, outcome: str, conditions) -> tuple[str, list[str]]:
    """The outcome's column name (``"~Y"`` -> ``"Y"``) and the condition columns.

    Conditions default to every other column. Raises when a column is missing, when the
    outcome is also a condition, or when no condition is left.
    """
    out_name = outcome.strip().lstrip("~").strip()
    conds = split_names(conditions)
    if conds is None:
        conds = [str(c) for c in df.columns if str(c) != out_name]
    require_columns(df, [out_name], "outcome")
    require_columns(df, conds, "condition")
    if out_name in conds:
        raise FsqcaError(f"the outcome {out_name!r} is also listed among the conditions")
    if not conds:
        raise FsqcaError("no conditions; expected at least one condition column besides the outcome")
    return out_name, conds


def used_memberships(df: pd.DataFrame, terms) -> np.ndarray:
    """Memberships (n x columns) of the columns the parsed ``terms`` use; other columns stay 0."""
    values = np.zeros((len(df), len(df.columns)))
    for c in sorted({c for t in terms for c, _ in t}):
        values[:, c] = membership_values(df, df.columns[c])
    return values
