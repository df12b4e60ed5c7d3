"""Evaluation of a leaf of a claims rule: one comparison on one result table or JSON document.

A leaf reads a key of a JSON document, or selects rows of a table (``where``, with
``in_table`` filters resolved against another table) and then either quantifies over
them (``rows``: all / any / none) or aggregates them (``aggregate``, default exactly one
``value``), and compares the figure with its limit. A missing table, key, column, row or
value makes the leaf unknown, never false. See :mod:`nero.claims.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from nero.claims.outcome import Figure, Outcome, RuleContext, resolve_limit, selection_text
from nero.claims.select import OPERATORS, as_number, describe_where, filter_mask, fmt, missing


@dataclass
class _Leaf:
    """A leaf with what every figure of it repeats: its comparison, limit, label and selection."""

    node: Mapping[str, Any]
    table: str
    op: str | None
    limit: Any
    threshold: str | None
    label: str
    selection: str

    def figure(self, value: Any, result: str, reason: str = "", rows: list[str] | None = None,
               quantifier: str | None = None) -> Figure:
        return Figure(self.label, self.table, self.selection, value, self.op, self.limit, self.threshold, result,
                      reason, rows if rows is not None else [], quantifier=quantifier)


def evaluate_leaf(node: Mapping[str, Any], ctx: RuleContext) -> Outcome:
    """Evaluate a leaf (a comparison on one table); see the module docstring."""
    table = node["table"]
    if table not in ctx.tables or ctx.tables[table] is None:
        return _missing_leaf(node, f"table {table} is not among the results", ctx)
    data = ctx.tables[table]
    limit, name = resolve_limit(node, ctx.thresholds)
    leaf = _Leaf(node, table, node.get("op"), limit, name, node.get("label") or selection_text(node, ctx.thresholds),
                 selection_text(node, ctx.thresholds))
    if not isinstance(data, pd.DataFrame):
        return _json_leaf(leaf, data, ctx)
    rows, problem = _selected_rows(node, data, ctx)
    if problem:
        return _missing_leaf(node, problem, ctx)
    where_text = describe_where(node.get("where"), ctx.thresholds) or "all rows"
    if node.get("rows"):
        return _quantified_leaf(leaf, rows, where_text, ctx)
    return _aggregate_leaf(leaf, rows, where_text, ctx)


def _missing_leaf(node: Mapping[str, Any], reason: str, ctx: RuleContext) -> Outcome:
    limit, name = resolve_limit(node, ctx.thresholds)
    label = node.get("label") or selection_text(node, ctx.thresholds)
    fig = Figure(label, node.get("table"), selection_text(node, ctx.thresholds), None, node.get("op"), limit, name, "missing", reason)
    return Outcome(None, [fig], [f"{label}: {reason}"])


def _json_leaf(leaf: _Leaf, doc: Any, ctx: RuleContext) -> Outcome:
    """A ``key`` of a JSON document compared with the limit."""
    node = leaf.node
    found, value = _json_value(doc, node["key"])
    if not found:
        return _missing_leaf(node, f"key {node['key']!r} not in {leaf.table}", ctx)
    value = _abs_if_asked(node, value)
    result = _compare(value, leaf.op, leaf.limit)
    if result is None:
        return _missing_leaf(node, f"{node['key']} is empty or not comparable ({value!r})", ctx)
    return Outcome(result, [leaf.figure(value, "pass" if result else "fail")])


def _json_value(doc: Any, key: str) -> tuple[bool, Any]:
    current = doc
    for part in str(key).split("."):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return False, None
    return True, current


def _abs_if_asked(node: Mapping[str, Any], value: Any) -> Any:
    """``abs(value)`` when the leaf asks for it and the value is a number; else the value."""
    return abs(value) if node.get("abs") and as_number(value) is not None else value


def _compare(value: Any, op: str, limit: Any) -> bool | None:
    if missing(value) or missing(limit):
        return None
    if op in ("==", "!="):
        return OPERATORS[op](value, limit)
    a, b = as_number(value), as_number(limit)
    if a is None or b is None:
        return None
    return OPERATORS[op](a, b)


def _row_id(row: pd.Series, show: list[str]) -> str:
    return ", ".join(f"{c}={fmt(row[c])}" for c in show if c in row.index) or str(row.name)


# --- row selection ---------------------------------------------------------------------


def _selected_rows(node: Mapping[str, Any], frame: pd.DataFrame, ctx: RuleContext) -> tuple[pd.DataFrame, str | None]:
    """The rows of ``frame`` the leaf's ``where`` selects, or the reason they cannot be selected."""
    where, problem = _resolve_in_table(node.get("where") or {}, ctx)
    if problem:
        return frame.iloc[0:0], problem
    absent = [c for c in _needed_columns(node, where) if c not in frame.columns]
    if absent:
        return frame.iloc[0:0], f"column(s) {', '.join(absent)} not in {node['table']}"
    mask = np.ones(len(frame), dtype=bool)
    for column, spec in where.items():
        mask &= filter_mask(frame, column, spec, ctx.thresholds)
    return frame[mask], None


def _needed_columns(node: Mapping[str, Any], where: Mapping[str, Any]) -> list[str]:
    """The columns the filters and the compared ``column`` read."""
    needed = list(where.keys())
    for spec in where.values():
        if isinstance(spec, Mapping):
            needed += [spec[k] for k in ("eq_column", "ne_column") if k in spec]
    if node.get("column"):
        needed.append(node["column"])
    return needed


def _resolve_in_table(where: Mapping[str, Any], ctx: RuleContext) -> tuple[dict[str, Any], str | None]:
    """Replace ``in_table`` filters by ``in`` lists of the other table's selected values."""
    resolved: dict[str, Any] = {}
    for column, spec in where.items():
        if isinstance(spec, Mapping) and "in_table" in spec:
            ref = spec["in_table"]
            other = ctx.tables.get(ref["table"])
            if not isinstance(other, pd.DataFrame):
                return {}, f"table {ref['table']} (in_table filter on {column}) is not among the results"
            inner = dict(ref.get("where") or {})
            absent = [c for c in [ref["column"], *inner] if c not in other.columns]
            if absent:
                return {}, f"column(s) {', '.join(absent)} not in {ref['table']} (in_table filter on {column})"
            mask = np.ones(len(other), dtype=bool)
            for c, sub in inner.items():
                mask &= filter_mask(other, c, sub, ctx.thresholds)
            spec = {k: v for k, v in spec.items() if k != "in_table"}
            spec["in"] = other[mask][ref["column"]].dropna().tolist()
        resolved[column] = spec
    return resolved, None


# --- quantified and aggregated leaves ----------------------------------------------------


def _quantified_leaf(leaf: _Leaf, rows: pd.DataFrame, where_text: str, ctx: RuleContext) -> Outcome:
    """``rows: all | any | none``: every, some or no selected row passes the comparison."""
    node, quantifier = leaf.node, leaf.node["rows"]
    if rows.empty:
        return _missing_leaf(node, f"no row of {leaf.table} where {where_text}", ctx)
    results = [(row, _compare(_abs_if_asked(node, row[node["column"]]), leaf.op, leaf.limit))
               for _, row in rows.iterrows()]
    passed = [r for r, ok in results if ok is True]
    failed = [r for r, ok in results if ok is False]
    unknown = [r for r, ok in results if ok is None]
    value, listed = _quantify(quantifier, passed, failed, unknown)
    show = list(node.get("show") or [])
    summary = f"{len(passed)} of {len(results)} rows have {node['column']}"
    fig = leaf.figure(summary, "missing" if value is None else ("pass" if value else "fail"),
                      f"{len(unknown)} empty value(s)" if value is None else "",
                      [_row_id(r, show) for r in listed] if show else [], quantifier=quantifier)
    reasons = [f"{leaf.label}: {len(unknown)} row(s) with an empty {node['column']}"] if value is None else []
    return Outcome(value, [fig], reasons)


def _quantify(quantifier: str, passed: list, failed: list, unknown: list) -> tuple[bool | None, list]:
    """The three-valued verdict of a quantifier, and the rows that decided it (to list)."""
    if quantifier == "all":
        return (False if failed else (None if unknown else True)), (failed or unknown)
    if quantifier == "any":
        return (True if passed else (None if unknown else False)), (passed or unknown)
    return (False if passed else (None if unknown else True)), (passed or unknown)  # none


def _aggregate_leaf(leaf: _Leaf, rows: pd.DataFrame, where_text: str, ctx: RuleContext) -> Outcome:
    """``aggregate`` of the selected rows (default: the ``value`` of exactly one) compared with the limit."""
    node = leaf.node
    value, problem = _aggregate(node, rows, leaf.table, where_text)
    if problem:
        return _missing_leaf(node, problem, ctx)
    if node.get("abs") and node.get("aggregate", "value") == "value" and as_number(value) is not None:
        value = abs(as_number(value))
    result = _compare(value, leaf.op, leaf.limit)
    if result is None:
        return _missing_leaf(node, f"value {value!r} is not comparable with {leaf.limit!r}", ctx)
    show = list(node.get("show") or [])
    listed = [_row_id(r, show) for _, r in rows.iterrows()] if show else []
    return Outcome(result, [leaf.figure(value, "pass" if result else "fail", rows=listed)])


def _aggregate(node: Mapping[str, Any], rows: pd.DataFrame, table: str, where_text: str) -> tuple[Any, str | None]:
    """The figure a leaf compares: count, nunique, the one value, or min/max/mean/sum (``abs`` first)."""
    aggregate = node.get("aggregate", "value")
    if aggregate == "count":
        return len(rows), None
    if aggregate == "nunique":
        return int(rows[node["column"]].dropna().nunique()), None
    if aggregate == "value":
        if len(rows) != 1:
            what = "no row" if rows.empty else f"{len(rows)} rows (the rule needs exactly one)"
            return None, f"{what} of {table} where {where_text}"
        value = rows[node["column"]].iloc[0]
        if missing(value):
            return None, f"{node['column']} is empty in {table} where {where_text}"
        return value, None
    if rows.empty:
        return None, f"no row of {table} where {where_text}"
    nums = rows[node["column"]].map(as_number)
    if nums.isna().any():
        return None, f"{int(nums.isna().sum())} empty or non-numeric {node['column']} value(s)"
    nums = nums.astype(float)
    if node.get("abs"):
        nums = nums.abs()
    return float(getattr(nums, aggregate)()), None
