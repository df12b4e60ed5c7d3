"""The decision-rule language of the claims registry, and its evaluator.

A rule reads cells of result tables and compares them with named thresholds of the
registry. Leaves address a table by its results-relative path (``sem/cfa_fit.csv``),
select rows with ``where``, take a ``column`` (or a ``key`` of a JSON document),
optionally aggregate, and compare with ``op`` against a ``threshold`` (a registry name)
or a literal ``value``. Combinators are ``all``, ``any``, ``not``, ``at_least`` and
``claim`` (the verdict of another claim). docs/claims.md describes every key.

Evaluation is three-valued (Kleene logic): a leaf is ``True``, ``False`` or ``None``
(unknown: the table, column, row or value is missing). ``all`` is false as soon as one
part is false, unknown if no part is false but one is unknown; ``any`` dually;
``at_least n`` is true with n true parts, false when the true and unknown parts together
cannot reach n. The claims stage turns true/false/unknown into supported / not
supported / inconclusive, so a missing table never becomes a verdict.

Why this evaluator is written by hand: the rules must (1) address cells of many pandas
tables and JSON documents by path, row filter and column, (2) treat a missing table or
cell as *unknown* rather than false, and (3) report, for every leaf, the figure that
decided it and the threshold's name, so the verdict can be traced. The rule engines on
PyPI (business-rules, durable-rules, json-logic ports) evaluate two-valued conditions
on one object at a time and report only the final boolean; pandas ``query``/``eval``
run arbitrary expression strings with no notion of a missing table and unhelpful errors;
pandera validates a frame's schema, not claims across tables. What the language needs
is small (a filter, a comparison and four combinators), so it is kept here, with the
schema (config/claims.schema.yaml, jsonschema) checking the registry's structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from nero.claims.select import (
    OPERATORS,
    as_number,
    describe_where,
    filter_mask,
    fmt,
    missing,
    plain,
)

#: Aggregates over the selected rows (``value``: exactly one row).
AGGREGATES = ("value", "count", "min", "max", "mean", "sum", "nunique")
#: Row quantifiers: every / some / no selected row passes the comparison.
QUANTIFIERS = ("all", "any", "none")
#: The keys that make a node a combinator (exactly one per node) or a leaf (``table``).
NODE_KINDS = ("all", "any", "not", "at_least", "claim", "table")


@dataclass
class Figure:
    """One leaf as evaluated: what was read, the comparison and its outcome."""

    label: str
    table: str | None
    selection: str
    value: Any
    op: str | None
    limit: Any
    threshold: str | None
    result: str  # "pass", "fail" or "missing"
    reason: str = ""
    rows: list[str] = field(default_factory=list)
    quantifier: str | None = None

    def text(self) -> str:
        """One line: ``label = value op limit (threshold) [result]``."""
        if self.result == "missing":
            return f"{self.label}: missing ({self.reason})"
        limit = fmt(self.limit) + (f" ({self.threshold})" if self.threshold else "")
        rows = f" [rows: {', '.join(self.rows)}]" if self.rows else ""
        if self.quantifier:
            return f"{self.label}: {self.value} {self.op} {limit} ({self.quantifier} rows required): {self.result}{rows}"
        compare = f" {self.op} {limit}" if self.op else ""
        return f"{self.label} = {fmt(self.value)}{compare}: {self.result}{rows}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label, "table": self.table, "selection": self.selection, "value": plain(self.value),
            "op": self.op, "limit": plain(self.limit), "threshold": self.threshold, "result": self.result,
            "reason": self.reason, "rows": list(self.rows), "quantifier": self.quantifier,
        }


@dataclass
class Outcome:
    """The three-valued result of a rule with the figures and the reasons for unknowns."""

    value: bool | None
    figures: list[Figure] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


class RuleContext:
    """What a rule is evaluated against: the tables, the thresholds and earlier verdicts."""

    def __init__(self, tables: Mapping[str, Any], thresholds: Mapping[str, Any],
                 claim_values: Mapping[str, bool | None] | None = None):
        self.tables = tables
        self.thresholds = thresholds
        self.claim_values = dict(claim_values or {})


def resolve_limit(node: Mapping[str, Any], thresholds: Mapping[str, Any]) -> tuple[Any, str | None]:
    """The comparison limit of a leaf: a named registry threshold, or a literal ``value``."""
    if "threshold" in node:
        name = node["threshold"]
        return thresholds[name], name
    return node.get("value"), None


def _selection_text(node: Mapping[str, Any], thresholds: Mapping[str, Any] | None = None) -> str:
    where = describe_where(node.get("where"), thresholds)
    target = node.get("column") or node.get("key") or ""
    agg = node.get("aggregate", "value")
    text = f"{node['table']}"
    if where:
        text += f" [{where}]"
    if node.get("rows"):
        text += f" {node['rows']} rows: {target}"
    elif agg == "count":
        text += " number of rows"
    elif agg != "value":
        text += f" {agg}({target})"
    elif target:
        text += f" {target}"
    if node.get("abs"):
        text = f"|{text}|"
    return text


# --- leaves ----------------------------------------------------------------------------


def _missing_leaf(node: Mapping[str, Any], reason: str, ctx: RuleContext) -> Outcome:
    limit, name = resolve_limit(node, ctx.thresholds)
    label = node.get("label") or _selection_text(node, ctx.thresholds)
    fig = Figure(label, node.get("table"), _selection_text(node, ctx.thresholds), None, node.get("op"), limit, name, "missing", reason)
    return Outcome(None, [fig], [f"{label}: {reason}"])


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


def evaluate_leaf(node: Mapping[str, Any], ctx: RuleContext) -> Outcome:
    """Evaluate a leaf (a comparison on one table); see the module docstring."""
    table = node["table"]
    if table not in ctx.tables or ctx.tables[table] is None:
        return _missing_leaf(node, f"table {table} is not among the results", ctx)
    data = ctx.tables[table]
    op = node.get("op")
    limit, name = resolve_limit(node, ctx.thresholds)
    label = node.get("label") or _selection_text(node, ctx.thresholds)
    selection = _selection_text(node, ctx.thresholds)

    if not isinstance(data, pd.DataFrame):
        found, value = _json_value(data, node["key"])
        if not found:
            return _missing_leaf(node, f"key {node['key']!r} not in {table}", ctx)
        value = abs(value) if node.get("abs") and as_number(value) is not None else value
        result = _compare(value, op, limit)
        if result is None:
            return _missing_leaf(node, f"{node['key']} is empty or not comparable ({value!r})", ctx)
        return Outcome(result, [Figure(label, table, selection, value, op, limit, name, "pass" if result else "fail")])

    frame = data
    where, problem = _resolve_in_table(node.get("where") or {}, ctx)
    if problem:
        return _missing_leaf(node, problem, ctx)
    needed = list(where.keys())
    for spec in where.values():
        if isinstance(spec, Mapping):
            needed += [spec[k] for k in ("eq_column", "ne_column") if k in spec]
    if node.get("column"):
        needed.append(node["column"])
    absent = [c for c in needed if c not in frame.columns]
    if absent:
        return _missing_leaf(node, f"column(s) {', '.join(absent)} not in {table}", ctx)
    mask = np.ones(len(frame), dtype=bool)
    for column, spec in where.items():
        mask &= filter_mask(frame, column, spec, ctx.thresholds)
    rows = frame[mask]
    show = list(node.get("show") or [])
    where_text = describe_where(node.get("where"), ctx.thresholds) or "all rows"

    quantifier = node.get("rows")
    if quantifier:
        if rows.empty:
            return _missing_leaf(node, f"no row of {table} where {where_text}", ctx)
        results = []
        for _, row in rows.iterrows():
            value = row[node["column"]]
            value = abs(value) if node.get("abs") and as_number(value) is not None else value
            results.append((row, _compare(value, op, limit)))
        passed = [r for r, ok in results if ok is True]
        failed = [r for r, ok in results if ok is False]
        unknown = [r for r, ok in results if ok is None]
        if quantifier == "all":
            value = False if failed else (None if unknown else True)
            listed = failed or unknown
        elif quantifier == "any":
            value = True if passed else (None if unknown else False)
            listed = passed or unknown
        else:  # none
            value = False if passed else (None if unknown else True)
            listed = passed or unknown
        summary = f"{len(passed)} of {len(results)} rows have {node['column']}"
        fig = Figure(label, table, selection, summary, op, limit, name,
                     "missing" if value is None else ("pass" if value else "fail"),
                     f"{len(unknown)} empty value(s)" if value is None else "",
                     [_row_id(r, show) for r in listed] if show else [], quantifier=quantifier)
        reasons = [f"{label}: {len(unknown)} row(s) with an empty {node['column']}"] if value is None else []
        return Outcome(value, [fig], reasons)

    aggregate = node.get("aggregate", "value")
    if aggregate == "count":
        value = len(rows)
    elif aggregate == "nunique":
        value = int(rows[node["column"]].dropna().nunique())
    elif aggregate == "value":
        if len(rows) != 1:
            what = "no row" if rows.empty else f"{len(rows)} rows (the rule needs exactly one)"
            return _missing_leaf(node, f"{what} of {table} where {where_text}", ctx)
        value = rows[node["column"]].iloc[0]
        if missing(value):
            return _missing_leaf(node, f"{node['column']} is empty in {table} where {where_text}", ctx)
    else:
        if rows.empty:
            return _missing_leaf(node, f"no row of {table} where {where_text}", ctx)
        nums = rows[node["column"]].map(as_number)
        if nums.isna().any():
            return _missing_leaf(node, f"{int(nums.isna().sum())} empty or non-numeric {node['column']} value(s)", ctx)
        nums = nums.astype(float)
        if node.get("abs"):
            nums = nums.abs()
        value = float(getattr(nums, aggregate)())
    if node.get("abs") and aggregate == "value" and as_number(value) is not None:
        value = abs(as_number(value))
    result = _compare(value, op, limit)
    if result is None:
        return _missing_leaf(node, f"value {value!r} is not comparable with {limit!r}", ctx)
    listed = [_row_id(r, show) for _, r in rows.iterrows()] if show else []
    return Outcome(result, [Figure(label, table, selection, value, op, limit, name, "pass" if result else "fail",
                                   rows=listed)])


# --- combinators -----------------------------------------------------------------------


def _kleene_all(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _kleene_any(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def evaluate_rule(node: Mapping[str, Any], ctx: RuleContext) -> Outcome:
    """Evaluate a rule node (leaf or combinator) to a three-valued :class:`Outcome`."""
    if "table" in node:
        return evaluate_leaf(node, ctx)
    if "claim" in node:
        claim_id = node["claim"]
        value = ctx.claim_values.get(claim_id)
        verdict = {True: "supported", False: "not supported", None: "inconclusive"}[value]
        fig = Figure(node.get("label") or f"claim {claim_id}", None, f"claim {claim_id}", verdict, None, None, None,
                     "missing" if value is None else ("pass" if value else "fail"),
                     f"claim {claim_id} is inconclusive" if value is None else "")
        return Outcome(value, [fig], [f"claim {claim_id} is inconclusive"] if value is None else [])
    if "not" in node:
        inner = evaluate_rule(node["not"], ctx)
        return Outcome(None if inner.value is None else not inner.value, inner.figures, inner.reasons)
    parts_key = "all" if "all" in node else "any" if "any" in node else None
    if parts_key:
        parts = [evaluate_rule(p, ctx) for p in node[parts_key]]
        values = [p.value for p in parts]
        value = _kleene_all(values) if parts_key == "all" else _kleene_any(values)
    else:
        spec = node["at_least"]
        parts = [evaluate_rule(p, ctx) for p in spec["of"]]
        need = spec["n"]
        need = int(ctx.thresholds[need]) if isinstance(need, str) else int(need)
        n_true = sum(p.value is True for p in parts)
        n_unknown = sum(p.value is None for p in parts)
        value = True if n_true >= need else (False if n_true + n_unknown < need else None)
    figures = [f for p in parts for f in p.figures]
    reasons = [r for p in parts for r in p.reasons] if value is None else []
    return Outcome(value, figures, reasons)


# --- rendering -------------------------------------------------------------------------


def render_rule(node: Mapping[str, Any], thresholds: Mapping[str, Any]) -> str:
    """The rule as one line of text (the ``rule`` column of results/claims.csv)."""
    if "table" in node:
        limit, name = resolve_limit(node, thresholds)
        target = _selection_text(node, thresholds)
        shown = fmt(limit) + (f" ({name})" if name else "")
        return f"{target} {node.get('op')} {shown}"
    if "claim" in node:
        return f"claim {node['claim']} is supported"
    if "not" in node:
        return f"NOT ({render_rule(node['not'], thresholds)})"
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        return f"{key.upper()} of ({'; '.join(render_rule(p, thresholds) for p in node[key])})"
    spec = node["at_least"]
    need = spec["n"]
    need_text = f"{fmt(thresholds[need])} ({need})" if isinstance(need, str) else str(need)
    return f"AT LEAST {need_text} of ({'; '.join(render_rule(p, thresholds) for p in spec['of'])})"


def rule_tables(node: Mapping[str, Any]) -> list[str]:
    """The tables a rule reads, in order of first appearance."""
    found: list[str] = []

    def walk(n: Mapping[str, Any]) -> None:
        if "table" in n:
            for name in [n["table"], *_in_tables(n.get("where"))]:
                if name not in found:
                    found.append(name)
        elif "not" in n:
            walk(n["not"])
        elif "all" in n or "any" in n:
            for p in n.get("all", n.get("any")):
                walk(p)
        elif "at_least" in n:
            for p in n["at_least"]["of"]:
                walk(p)

    walk(node)
    return found


def _in_tables(where: Mapping[str, Any] | None) -> list[str]:
    return [spec["in_table"]["table"] for spec in (where or {}).values()
            if isinstance(spec, Mapping) and isinstance(spec.get("in_table"), Mapping) and "table" in spec["in_table"]]


def rule_claims(node: Mapping[str, Any]) -> list[str]:
    """The claim ids a rule refers to."""
    if "claim" in node:
        return [node["claim"]]
    if "not" in node:
        return rule_claims(node["not"])
    if "all" in node or "any" in node:
        return [c for p in node.get("all", node.get("any")) for c in rule_claims(p)]
    if "at_least" in node:
        return [c for p in node["at_least"]["of"] for c in rule_claims(p)]
    return []
