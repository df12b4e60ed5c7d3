"""Table comparison shared by the audit and the examiner: a rebuilt table against another.

:mod:`nero.provenance.audit` compares ``results-reference/`` with a rebuild and
:mod:`nero.provenance.examiner` compares ``results/`` with it; both use these cell-by-cell
comparisons, so both apply the same tolerances: numbers are equal within
``atol + rtol * |reference|``, text (and booleans) exactly, NaN only to NaN.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: Default tolerances: tables are written with 10 significant digits; optimiser-based
#: figures (SEM fits) may move in the last digits between platforms.
RTOL = 1e-6
ATOL = 1e-8


@dataclass
class CellDiff:
    """One cell (CSV) or value (JSON) that differs beyond the tolerances."""

    table: str
    row: str
    column: str
    reference: object
    rebuilt: object

    def __str__(self) -> str:
        return f"{self.table} [row {self.row}, {self.column}]: reference {self.reference!r}, rebuilt {self.rebuilt!r}"


def _close(a, b, rtol: float, atol: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return abs(a - b) <= atol + rtol * abs(a)
    return a == b


def _as_number(value):
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def compare_csv(
    reference: Path, rebuilt: Path, name: str, rtol: float = RTOL, atol: float = ATOL
) -> tuple[str | None, list[CellDiff]]:
    """Compare two CSV tables; return (reason for failure or None, differing cells)."""
    ref = pd.read_csv(reference, dtype=str, keep_default_na=False)
    new = pd.read_csv(rebuilt, dtype=str, keep_default_na=False)
    if list(ref.columns) != list(new.columns):
        missing = [c for c in ref.columns if c not in new.columns]
        extra = [c for c in new.columns if c not in ref.columns]
        return f"columns differ (missing {missing}, extra {extra})", []
    if len(ref) != len(new):
        return f"{len(new)} rows rebuilt, {len(ref)} in the reference", []
    label = ref.columns[0]
    cells = []
    for i in range(len(ref)):
        for column in ref.columns:
            a, b = ref.at[i, column], new.at[i, column]
            if a == b:
                continue
            na, nb = _as_number(a), _as_number(b)
            if not _close(na, nb, rtol, atol):
                cells.append(CellDiff(name, f"{i + 1} ({label}={ref.at[i, label]})", column, a, b))
    return (f"{len(cells)} cells differ" if cells else None), cells


def _walk_json(a, b, path: str, out: list[tuple[str, object, object]], rtol: float, atol: float) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            _walk_json(
                a.get(key, "<absent>"), b.get(key, "<absent>"), f"{path}.{key}" if path else str(key), out, rtol, atol
            )
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _walk_json(x, y, f"{path}[{i}]", out, rtol, atol)
    elif not _close(a, b, rtol, atol):
        out.append((path, a, b))


def compare_json(
    reference: Path, rebuilt: Path, name: str, rtol: float = RTOL, atol: float = ATOL
) -> tuple[str | None, list[CellDiff]]:
    """Compare two JSON documents value by value."""
    ref = json.loads(reference.read_text(encoding="utf-8"))
    new = json.loads(rebuilt.read_text(encoding="utf-8"))
    found: list[tuple[str, object, object]] = []
    _walk_json(ref, new, "", found, rtol, atol)
    cells = [CellDiff(name, "-", path, a, b) for path, a, b in found]
    return (f"{len(cells)} values differ" if cells else None), cells
