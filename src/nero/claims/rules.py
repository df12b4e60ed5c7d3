"""The decision-rule language of the claims registry, and its evaluator.

A rule reads cells of result tables and compares them with named thresholds of the
registry. Leaves address a table by its results-relative path (``sem/cfa_fit.csv``),
select rows with ``where``, take a ``column`` (or a ``key`` of a JSON document),
optionally aggregate, and compare with ``op`` against a ``threshold`` (a registry name)
or a literal ``value``. Combinators are ``all``, ``any``, ``not``, ``at_least``,
``claim`` (the verdict of another claim) and ``across_models`` (a rule on fsQCA
solutions evaluated in every tied model of each named solution table, e.g. the
intermediate solution's models and the enhanced standard analysis: true or false only
where every model agrees, otherwise unknown with the reason "model ambiguity" naming the
models on each side). docs/claims.md describes every key.

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

This module is the whole language: what a rule is evaluated against and returns
(:class:`RuleContext`, :class:`Outcome`, :class:`Figure`), the evaluation of a leaf and of
the combinators (:func:`evaluate_rule`), and the rules as text and what they refer to
(:func:`render_rule`, :func:`rule_tables`, :func:`rule_claims`). Row selection and the
tolerant comparison of values are in :mod:`nero.claims.select`.

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
a quantified comparison, for a family of tests decided together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nero.claims.select import (
    OPERATORS,
    TOLERANCE,
    as_number,
    describe_where,
    filter_mask,
    fmt,
    missing,
    ordered,
    plain,
)

#: Aggregates over the selected rows (``value``: exactly one row).
AGGREGATES = ("value", "count", "share", "min", "max", "mean", "sum", "nunique")
#: Row quantifiers: every / some / no selected row passes the comparison.
QUANTIFIERS = ("all", "any", "none")
#: The keys that make a node a combinator (exactly one per node) or a leaf (``table``).
NODE_KINDS = ("all", "any", "not", "at_least", "claim", "across_models", "table")


# --- what a rule returns ---------------------------------------------------------------


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
    result: str  # "pass", "fail" or "missing"; "shown" for a reading of a descriptive fact (no comparison)
    reason: str = ""
    rows: list[str] = field(default_factory=list)
    quantifier: str | None = None

    def text(self) -> str:
        """One line: ``label = value op limit (threshold) [result]``."""
        if self.result == "missing":
            return f"{self.label}: missing ({self.reason})"
        if self.result == "shown":
            return f"{self.label} = {fmt(self.value)}"
        limit = fmt(self.limit) + (f" ({self.threshold})" if self.threshold else "")
        rows = f" [rows: {', '.join(self.rows)}]" if self.rows else ""
        if self.quantifier:
            return (
                f"{self.label}: {self.value} {self.op} {limit} ({self.quantifier} rows required): {self.result}{rows}"
            )
        compare = f" {self.op} {limit}" if self.op else ""
        return f"{self.label} = {fmt(self.value)}{compare}: {self.result}{rows}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "table": self.table,
            "selection": self.selection,
            "value": plain(self.value),
            "op": self.op,
            "limit": plain(self.limit),
            "threshold": self.threshold,
            "result": self.result,
            "reason": self.reason,
            "rows": list(self.rows),
            "quantifier": self.quantifier,
        }


@dataclass
class Outcome:
    """The three-valued result of a rule with the figures and the reasons for unknowns."""

    value: bool | None
    figures: list[Figure] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


class RuleContext:
    """What a rule is evaluated against: the tables, the thresholds and earlier verdicts."""

    def __init__(
        self,
        tables: Mapping[str, Any],
        thresholds: Mapping[str, Any],
        claim_values: Mapping[str, bool | None] | None = None,
        tolerance: float = TOLERANCE,
    ):
        self.tables = tables
        self.thresholds = thresholds
        self.claim_values = dict(claim_values or {})
        self.tolerance = float(tolerance)


def resolve_limit(node: Mapping[str, Any], thresholds: Mapping[str, Any]) -> tuple[Any, str | None]:
    """The comparison limit of a leaf: a named registry threshold, or a literal ``value``."""
    if "threshold" in node:
        name = node["threshold"]
        return thresholds[name], name
    return node.get("value"), None


def selection_text(node: Mapping[str, Any], thresholds: Mapping[str, Any] | None = None) -> str:
    """What a leaf reads: ``table [where] column``, ``number of rows``, ``agg(column)``, ``|...|`` if ``abs``."""
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
    elif agg == "share":
        text += f" share of the rows where {describe_where(node.get('scope'), thresholds)}"
    elif node.get("one_sided"):
        spec = node["one_sided"]
        text += f" {target} one-sided ({spec['estimate']} {'> 0' if spec['direction'] == 'greater' else '< 0'})"
    elif agg != "value":
        text += f" {agg}({target})"
    elif target:
        text += f" {target}"
    if node.get("abs"):
        text = f"|{text}|"
    return text


# --- leaves ----------------------------------------------------------------------------


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


def read_figure(node: Mapping[str, Any], ctx: RuleContext) -> Figure:
    """What a reading of a descriptive fact shows: a leaf's value without a comparison.

    ``node`` is a leaf without ``op``, ``threshold``/``value``, ``rows``, ``one_sided`` or
    ``p_adjust`` (a ``key`` of a JSON document, or the selected rows of a table with an
    ``aggregate``, default exactly one ``value``). The figure's result is ``"shown"``, or
    ``"missing"`` with the reason when the table, key, column or row is absent.
    """
    table = node["table"]
    selection = selection_text(node, ctx.thresholds)
    label = node.get("label") or selection

    def absent(reason: str) -> Figure:
        return Figure(label, table, selection, None, None, None, None, "missing", reason)

    data = ctx.tables.get(table)
    if data is None:
        return absent(f"table {table} is not among the results")
    if not isinstance(data, pd.DataFrame):
        found, value = _json_value(data, node["key"])
        return (
            Figure(label, table, selection, value, None, None, None, "shown")
            if found
            else absent(f"key {node['key']!r} not in {table}")
        )
    rows, problem = _selected_rows(node, data, ctx)
    if problem:
        return absent(problem)
    value, problem = _aggregate(node, rows, table, describe_where(node.get("where"), ctx.thresholds) or "all rows")
    if problem:
        return absent(problem)
    return Figure(label, table, selection, value, None, None, None, "shown")


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
        return _claim_outcome(node, ctx)
    if "across_models" in node:
        return _across_models(node["across_models"], ctx)
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
        value = _at_least(spec["n"], parts, ctx)
    figures = [f for p in parts for f in p.figures]
    reasons = [r for p in parts for r in p.reasons] if value is None else []
    return Outcome(value, figures, reasons)


def _model_frames(source: Mapping[str, Any], ctx: RuleContext) -> tuple[list[tuple[str, Any]], str | None]:
    """``(label, rows of one model)`` for every model of one solution table, or why there are none."""
    frame = ctx.tables.get(source["table"])
    if not isinstance(frame, pd.DataFrame):
        return [], f"table {source['table']} is not among the results"
    where = source.get("where") or {}
    absent = [c for c in [*where, "model"] if c not in frame.columns]
    if absent:
        return [], f"column(s) {', '.join(absent)} not in {source['table']}"
    mask = np.ones(len(frame), dtype=bool)
    for column, spec in where.items():
        mask &= filter_mask(frame, column, spec, ctx.thresholds, ctx.tolerance)
    rows = frame[mask]
    if rows.empty:
        return [], f"absent evidence: no solution in {source['table']} where {describe_where(where, ctx.thresholds)}"
    models = list(dict.fromkeys(rows["model"].astype(str)))
    return [(f"{source['name']} {m}", rows[rows["model"].astype(str) == m]) for m in models], None


def _across_models(spec: Mapping[str, Any], ctx: RuleContext) -> Outcome:
    """``across_models``: the rule in every tied model of every named solution; agreement decides.

    Each solution table's rows (``where``) are split by ``model``; the inner ``rule`` is
    evaluated with the table named ``as`` replaced by one model's rows. True (false) when
    every model of every solution gives true (false); unknown when a model is unknown or a
    solution is missing, and unknown with the reason "model ambiguity" when models disagree.
    """
    labelled: list[tuple[str, Outcome]] = []
    reasons: list[str] = []
    for source in spec["solutions"]:
        frames, problem = _model_frames(source, ctx)
        if problem:
            reasons.append(f"{source['name']}: {problem}")
            continue
        for label, rows in frames:
            tables = dict(ctx.tables)
            tables[spec["as"]] = rows
            inner = RuleContext(tables, ctx.thresholds, ctx.claim_values, ctx.tolerance)
            labelled.append((label, evaluate_rule(spec["rule"], inner)))
    figures = []
    for label, outcome in labelled:
        for f in outcome.figures:
            figures.append(
                Figure(
                    f"[{label}] {f.label}",
                    f.table,
                    f.selection,
                    f.value,
                    f.op,
                    f.limit,
                    f.threshold,
                    f.result,
                    f.reason,
                    f.rows,
                    f.quantifier,
                )
            )
    holds = [label for label, o in labelled if o.value is True]
    fails = [label for label, o in labelled if o.value is False]
    unknown = [label for label, o in labelled if o.value is None]
    if reasons or unknown or not labelled:
        reasons += [r for label, o in labelled if o.value is None for r in o.reasons]
        return Outcome(None, figures, reasons or ["absent evidence: no model to evaluate"])
    if holds and fails:
        return Outcome(None, figures, [f"model ambiguity: holds in {', '.join(holds)}; fails in {', '.join(fails)}"])
    return Outcome(bool(holds), figures)


def _claim_outcome(node: Mapping[str, Any], ctx: RuleContext) -> Outcome:
    """``claim: ID``: the verdict of another claim (unknown while it is inconclusive)."""
    claim_id = node["claim"]
    value = ctx.claim_values.get(claim_id)
    verdict = {True: "supported", False: "not supported", None: "inconclusive"}[value]
    fig = Figure(
        node.get("label") or f"claim {claim_id}",
        None,
        f"claim {claim_id}",
        verdict,
        None,
        None,
        None,
        "missing" if value is None else ("pass" if value else "fail"),
        f"claim {claim_id} is inconclusive" if value is None else "",
    )
    return Outcome(value, [fig], [f"claim {claim_id} is inconclusive"] if value is None else [])


def _at_least(need: Any, parts: list[Outcome], ctx: RuleContext) -> bool | None:
    """``at_least n`` (a number or a threshold's name): true with n true parts, false when out of reach."""
    need = int(ctx.thresholds[need]) if isinstance(need, str) else int(need)
    n_true = sum(p.value is True for p in parts)
    n_unknown = sum(p.value is None for p in parts)
    return True if n_true >= need else (False if n_true + n_unknown < need else None)


# --- rules as text and what they refer to ----------------------------------------------


def render_rule(node: Mapping[str, Any], thresholds: Mapping[str, Any]) -> str:
    """The rule as one line of text (the ``rule`` column of results/claims.csv)."""
    if "table" in node:
        limit, name = resolve_limit(node, thresholds)
        target = selection_text(node, thresholds)
        shown = fmt(limit) + (f" ({name})" if name else "")
        return f"{target} {node.get('op')} {shown}"
    if "claim" in node:
        return f"claim {node['claim']} is supported"
    if "across_models" in node:
        spec = node["across_models"]
        names = ", ".join(f"{s['name']} ({s['table']})" for s in spec["solutions"])
        return (
            f"IN EVERY MODEL of [{names}] ({render_rule(spec['rule'], thresholds)}); "
            "inconclusive (model ambiguity) where they disagree"
        )
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
        elif "across_models" in n:
            for source in n["across_models"]["solutions"]:
                if source["table"] not in found:
                    found.append(source["table"])
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
    return [
        spec["in_table"]["table"]
        for spec in (where or {}).values()
        if isinstance(spec, Mapping) and isinstance(spec.get("in_table"), Mapping) and "table" in spec["in_table"]
    ]


def rule_claims(node: Mapping[str, Any]) -> list[str]:
    """The claim ids a rule refers to."""
    if "claim" in node:
        return [node["claim"]]
    if "not" in node:
        return rule_claims(node["not"])
    if "across_models" in node:
        return rule_claims(node["across_models"]["rule"])
    if "all" in node or "any" in node:
        return [c for p in node.get("all", node.get("any")) for c in rule_claims(p)]
    if "at_least" in node:
        return [c for p in node["at_least"]["of"] for c in rule_claims(p)]
    return []
