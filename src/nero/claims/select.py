"""Row selection and value comparison for the claims rules (:mod:`nero.claims.rules`).

Values come from CSV round trips and JSON, so equality is type-tolerant (``True`` equals
``'True'``, ``1`` equals ``'1.0'``) and a missing value never compares true.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

#: Default tolerance of every floating-point comparison (absolute and relative): two numbers
#: closer than ``max(TOLERANCE, TOLERANCE * max(|a|, |b|))`` compare as equal, so a figure
#: that sits on a threshold up to the last written digits (result tables keep 10 significant
#: digits) is decided the same way on every machine. The registry may set its own
#: (``tolerance`` in config/claims.yaml).
TOLERANCE = 1e-9


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    """``a`` and ``b`` equal within the absolute and relative tolerance ``tol``."""
    return abs(a - b) <= max(tol, tol * max(abs(a), abs(b)))


def ordered(op: str, a: float, b: float, tol: float = TOLERANCE) -> bool:
    """``a op b`` for an ordering operator, with numbers within ``tol`` of each other taken as equal."""
    if close(a, b, tol):
        return op in ("<=", ">=", "==")
    return {"<": a < b, "<=": a < b, ">": a > b, ">=": a > b, "==": False, "!=": True}[op]


#: Comparison operators of a leaf and of a numeric row filter (exact; the evaluator uses
#: :func:`ordered` with the registry's tolerance for numbers).
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: _same(a, b),
    "!=": lambda a, b: not _same(a, b),
    "<": lambda a, b: float(a) < float(b),
    "<=": lambda a, b: float(a) <= float(b),
    ">": lambda a, b: float(a) > float(b),
    ">=": lambda a, b: float(a) >= float(b),
}
#: Operators of a ``where`` filter given as a mapping.
FILTER_OPS = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not_in",
    "regex",
    "not_regex",
    "notnull",
    "isnull",
    "eq_column",
    "ne_column",
    "in_table",
)


def fmt(value: Any) -> str:
    """Format a figure for text: 3 decimals, scientific below 0.001, plain otherwise."""
    if value is None:
        return "NA"
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "NA"
        if v == int(v) and abs(v) < 1e9:
            return str(int(v))
        return f"{v:.2e}" if abs(v) < 0.001 else f"{v:.3f}"
    return str(value)


def plain(value: Any) -> Any:
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        value = float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_number(value: Any) -> float | None:
    if isinstance(value, (bool, np.bool_)):
        return float(bool(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in ("true", "false"):
            return 1.0 if text.lower() == "true" else 0.0
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _same(a: Any, b: Any, tol: float = TOLERANCE) -> bool:
    """Equality across the types a CSV round trip produces (True/'True', 1/1.0/'1'); numbers
    within the tolerance are equal."""
    if missing(a) or missing(b):
        return False
    na, nb = as_number(a), as_number(b)
    if na is not None and nb is not None:
        return close(na, nb, tol)
    return str(a).strip() == str(b).strip()


def filter_limit(spec: Any, thresholds: Mapping[str, Any]) -> Any:
    """A numeric filter operand: a number, or the name of a registry threshold."""
    if isinstance(spec, str) and spec in thresholds:
        return thresholds[spec]
    return spec


# --- row selection ---------------------------------------------------------------------


def filter_mask(
    frame: pd.DataFrame, column: str, spec: Any, thresholds: Mapping[str, Any], tol: float = TOLERANCE
) -> np.ndarray:
    """Boolean array: the rows of ``frame`` whose ``column`` passes the filter ``spec`` (numbers
    compared within the tolerance ``tol``)."""
    values = frame[column].tolist()
    present = np.array([not missing(v) for v in values], dtype=bool)
    if isinstance(spec, list):
        spec = {"in": spec}
    if not isinstance(spec, Mapping):
        spec = {"==": spec}
    mask = np.ones(len(values), dtype=bool)
    for op, operand in spec.items():
        if op in ("==", "!="):
            hit = np.array([_same(v, operand, tol) for v in values], dtype=bool)
            mask &= hit if op == "==" else ~hit & present
        elif op in ("<", "<=", ">", ">="):
            limit = float(filter_limit(operand, thresholds))
            nums = [as_number(v) for v in values]
            mask &= np.array(
                [n is not None and not math.isnan(n) and ordered(op, n, limit, tol) for n in nums], dtype=bool
            )
        elif op in ("in", "not_in"):
            hit = np.array([any(_same(v, o) for o in operand) for v in values], dtype=bool)
            mask &= hit if op == "in" else ~hit & present
        elif op in ("regex", "not_regex"):
            compiled = [re.compile(p) for p in (operand if isinstance(operand, list) else [operand])]
            hit = np.array(
                [ok and all(p.search(str(v)) for p in compiled) for v, ok in zip(values, present)], dtype=bool
            )
            mask &= hit if op == "regex" else ~hit & present
        elif op == "notnull":
            mask &= present if operand else ~present
        elif op == "isnull":
            mask &= ~present if operand else present
        elif op in ("eq_column", "ne_column"):
            hit = np.array([_same(a, b) for a, b in zip(values, frame[operand].tolist())], dtype=bool)
            mask &= hit if op == "eq_column" else ~hit
        else:  # the registry check refuses unknown operators before evaluation
            raise ValueError(f"unknown filter operator {op!r}")
    return mask


def describe_where(where: Mapping[str, Any] | None, thresholds: Mapping[str, Any] | None = None) -> str:
    """``where`` as text: ``archetype = 'Strategic Explorer', p < alpha``."""
    if not where:
        return ""
    parts = []
    for column, spec in where.items():
        if isinstance(spec, list):
            spec = {"in": spec}
        if not isinstance(spec, Mapping):
            spec = {"==": spec}
        for op, operand in spec.items():
            if op in ("notnull", "isnull"):
                nonempty = (op == "notnull") == bool(operand)
                parts.append(f"{column} {'is not empty' if nonempty else 'is empty'}")
            elif op in ("eq_column", "ne_column"):
                parts.append(f"{column} {'=' if op == 'eq_column' else '!='} {operand}")
            elif op == "in_table":
                inner = describe_where(operand.get("where"), thresholds)
                parts.append(f"{column} in {operand['table']}{f' [{inner}]' if inner else ''} {operand['column']}")
            elif op in ("regex", "not_regex"):
                pats = operand if isinstance(operand, list) else [operand]
                parts.append(" and ".join(f"{column} {'~' if op == 'regex' else '!~'} /{p}/" for p in pats))
            elif op in ("<", "<=", ">", ">=") and isinstance(operand, str) and thresholds and operand in thresholds:
                parts.append(f"{column} {op} {fmt(thresholds[operand])} ({operand})")
            else:
                shown = repr(operand) if isinstance(operand, str) and op in ("==", "!=") else str(operand)
                parts.append(f"{column} {'=' if op == '==' else op} {shown}")
    return ", ".join(parts)
