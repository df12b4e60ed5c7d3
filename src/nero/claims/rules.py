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

The figures and outcomes are in :mod:`nero.claims.outcome`, the evaluation of a leaf in
:mod:`nero.claims.leaf` and the rules as text in :mod:`nero.claims.rule_text`; this module
holds the combinators, and every name stays importable from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nero.claims.leaf import evaluate_leaf
from nero.claims.outcome import Figure, Outcome, RuleContext, resolve_limit  # noqa: F401 - re-exported
from nero.claims.rule_text import render_rule, rule_claims, rule_tables  # noqa: F401 - re-exported
from nero.claims.select import describe_where, fmt  # noqa: F401 - re-exported

#: Aggregates over the selected rows (``value``: exactly one row).
AGGREGATES = ("value", "count", "share", "min", "max", "mean", "sum", "nunique")
#: Row quantifiers: every / some / no selected row passes the comparison.
QUANTIFIERS = ("all", "any", "none")
#: The keys that make a node a combinator (exactly one per node) or a leaf (``table``).
NODE_KINDS = ("all", "any", "not", "at_least", "claim", "across_models", "table")


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
    import numpy as np
    import pandas as pd

    from nero.claims.select import filter_mask

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
