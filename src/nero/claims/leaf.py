"""Evaluation of a leaf of a claims rule: one comparison on one result table or JSON document.

A leaf reads a key of a JSON document, or selects rows of a table (``where``, with
``in_table`` filters resolved against another table) and then either quantifies over
them (``rows``: all / any / none) or aggregates them (``aggregate``, default exactly one
``value``), and compares the figure with its limit. A missing table, key, column, row or
value makes the leaf unknown, never false. So does a ``count`` or ``nunique`` over no
selected row: absent evidence is not evidence of absence. A leaf that may legitimately
count zero rows names its ``scope`` (the filters that select the analysis, e.g. the model
of a solution): the count is then decided when the scope has rows, and unknown when the
analysis itself is absent. Numbers are compared within the registry's tolerance
(:func:`nero.claims.select.ordered`). ``p_adjust: holm`` replaces the p values of the
selected rows by Holm's step-down adjusted p values (statsmodels ``multipletests``) before
a quantified comparison, for a family of tests decided together. See :mod:`nero.claims.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nero.claims.outcome import Figure, Outcome, RuleContext, resolve_limit, selection_text
from nero.claims.select import OPERATORS, as_number, describe_where, filter_mask, fmt, missing, ordered


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

    def figure(
        self, value: Any, result: str, reason: str = "", rows: list[str] | None = None, quantifier: str | None = None
    ) -> Figure:
        return Figure(
            self.label,
            self.table,
            self.selection,
            value,
            self.op,
            self.limit,
            self.threshold,
            result,
            reason,
            rows if rows is not None else [],
            quantifier=quantifier,
        )


def evaluate_leaf(node: Mapping[str, Any], ctx: RuleContext) -> Outcome:
    """Evaluate a leaf (a comparison on one table); see the module docstring."""
    table = node["table"]
    if table not in ctx.tables or ctx.tables[table] is None:
        return _missing_leaf(node, f"table {table} is not among the results", ctx)
    data = ctx.tables[table]
    limit, name = resolve_limit(node, ctx.thresholds)
    leaf = _Leaf(
        node,
        table,
        node.get("op"),
        limit,
        name,
        node.get("label") or selection_text(node, ctx.thresholds),
        selection_text(node, ctx.thresholds),
    )
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
    fig = Figure(
        label,
        node.get("table"),
        selection_text(node, ctx.thresholds),
        None,
        node.get("op"),
        limit,
        name,
        "missing",
        reason,
    )
    return Outcome(None, [fig], [f"{label}: {reason}"])


def _json_leaf(leaf: _Leaf, doc: Any, ctx: RuleContext) -> Outcome:
    """A ``key`` of a JSON document compared with the limit."""
    node = leaf.node
    found, value = _json_value(doc, node["key"])
    if not found:
        return _missing_leaf(node, f"key {node['key']!r} not in {leaf.table}", ctx)
    value = _abs_if_asked(node, value)
    result = _compare(value, leaf.op, leaf.limit, ctx.tolerance)
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


def _compare(value: Any, op: str, limit: Any, tol: float) -> bool | None:
    """``value op limit``, three-valued; numbers within ``tol`` of each other are equal."""
    if missing(value) or missing(limit):
        return None
    a, b = as_number(value), as_number(limit)
    if op in ("==", "!=") and (a is None or b is None):
        return OPERATORS[op](value, limit)
    if a is None or b is None:
        return None
    return ordered(op, a, b, tol)


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
        mask &= filter_mask(frame, column, spec, ctx.thresholds, ctx.tolerance)
    return frame[mask], None


def _scope_rows(node: Mapping[str, Any], frame: pd.DataFrame, ctx: RuleContext) -> int | None:
    """Rows of the leaf's ``scope`` (None when the leaf has none or a scope column is absent)."""
    scope = node.get("scope")
    if not scope:
        return None
    if any(c not in frame.columns for c in scope):
        return 0
    mask = np.ones(len(frame), dtype=bool)
    for column, spec in scope.items():
        mask &= filter_mask(frame, column, spec, ctx.thresholds, ctx.tolerance)
    return int(mask.sum())


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
                mask &= filter_mask(other, c, sub, ctx.thresholds, ctx.tolerance)
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
    if node.get("p_adjust"):
        rows = _adjusted(rows, node["column"], node["p_adjust"])
    results = [
        (row, _compare(_abs_if_asked(node, row[node["column"]]), leaf.op, leaf.limit, ctx.tolerance))
        for _, row in rows.iterrows()
    ]
    passed = [r for r, ok in results if ok is True]
    failed = [r for r, ok in results if ok is False]
    unknown = [r for r, ok in results if ok is None]
    value, listed = _quantify(quantifier, passed, failed, unknown)
    show = list(node.get("show") or [])
    adjusted = f" ({node['p_adjust']}-adjusted)" if node.get("p_adjust") else ""
    summary = f"{len(passed)} of {len(results)} rows have {node['column']}{adjusted}"
    fig = leaf.figure(
        summary,
        "missing" if value is None else ("pass" if value else "fail"),
        f"{len(unknown)} empty value(s)" if value is None else "",
        [_row_id(r, show) for r in listed] if show else [],
        quantifier=quantifier,
    )
    reasons = [f"{leaf.label}: {len(unknown)} row(s) with an empty {node['column']}"] if value is None else []
    return Outcome(value, [fig], reasons)


def _one_sided_p(node: Mapping[str, Any], row: pd.Series, table: str) -> tuple[Any, str | None]:
    """The one-sided p value of a two-sided ``p`` in the claimed direction of ``estimate``.

    ``p / 2`` when the estimate lies on the claimed side (``greater``: above 0, ``less``:
    below 0), else ``1 - p / 2`` (the usual conversion for a symmetric test statistic).
    """
    spec = node["one_sided"]
    estimate, p = as_number(row.get(spec["estimate"])), as_number(row[node["column"]])
    if estimate is None or p is None:
        return None, f"{spec['estimate']} or {node['column']} is empty in {table}"
    on_side = estimate > 0 if spec["direction"] == "greater" else estimate < 0
    return (p / 2 if on_side else 1 - p / 2), None


def _adjusted(rows: pd.DataFrame, column: str, method: str) -> pd.DataFrame:
    """The rows with ``column`` (p values) replaced by their family-wise adjusted values.

    Holm's step-down procedure via statsmodels ``multipletests`` over the selected rows
    (the family); empty p values stay empty and are not counted in the family.
    """
    from statsmodels.stats.multitest import multipletests

    values = rows[column].map(as_number)
    present = values.notna()
    out = rows.copy()
    out[column] = out[column].astype(object)
    if present.any():
        adjusted = multipletests(values[present].astype(float).to_numpy(), method=method)[1]
        out.loc[present, column] = adjusted
    return out


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
    if node.get("aggregate") == "share":
        scoped = _scope_rows(node, ctx.tables[leaf.table], ctx)
        if not scoped:
            return _missing_leaf(
                node,
                f"absent evidence: no row of {leaf.table} where "
                f"{describe_where(node.get('scope'), ctx.thresholds)} (the share's base)",
                ctx,
            )
        value = len(rows) / scoped
    if node.get("aggregate") in ("count", "nunique") and rows.empty:
        scoped = _scope_rows(node, ctx.tables[leaf.table], ctx)
        if scoped is None:
            return _missing_leaf(node, f"absent evidence: no row of {leaf.table} where {where_text}", ctx)
        if scoped == 0:
            scope_text = describe_where(node["scope"], ctx.thresholds)
            return _missing_leaf(
                node,
                f"absent evidence: the analysis is not among the results (no row of {leaf.table} where {scope_text})",
                ctx,
            )
    if node.get("abs") and node.get("aggregate", "value") == "value" and as_number(value) is not None:
        value = abs(as_number(value))
    result = _compare(value, leaf.op, leaf.limit, ctx.tolerance)
    if result is None:
        return _missing_leaf(node, f"value {value!r} is not comparable with {leaf.limit!r}", ctx)
    show = list(node.get("show") or [])
    listed = [_row_id(r, show) for _, r in rows.iterrows()] if show else []
    return Outcome(result, [leaf.figure(value, "pass" if result else "fail", rows=listed)])


def _aggregate(node: Mapping[str, Any], rows: pd.DataFrame, table: str, where_text: str) -> tuple[Any, str | None]:
    """The figure a leaf compares: count, nunique, the one value, or min/max/mean/sum (``abs`` first)."""
    aggregate = node.get("aggregate", "value")
    if aggregate in ("count", "share"):
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
        if node.get("one_sided"):
            return _one_sided_p(node, rows.iloc[0], table)
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
