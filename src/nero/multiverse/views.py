"""The claims registry as one specification reads it, and which claims a specification touches.

A specification changes what the registry's rules see in three ways besides re-running a
stage: registry thresholds (named, or moved with the config key they restate), the column a
rule reads in a table (the bias-corrected bootstrap bounds instead of the percentile ones),
and, for the fsQCA ``across_models`` rules, one tied model alone instead of every tied model
and the ESA. :func:`specification_registry` returns the registry so changed (a copy; the
shipped registry is never modified); :func:`claim_tables` and :func:`touches` decide which
claims a specification can move.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from nero.claims import Claim, Registry
from nero.claims.rules import rule_claims, rule_tables

from .grid import Specification


def _walk_leaves(node: Any, visit) -> Any:
    """A copy of ``node`` with ``visit`` applied to every mapping that has a ``table`` key."""
    if isinstance(node, Mapping):
        out = {k: _walk_leaves(v, visit) for k, v in node.items()}
        return visit(out) if "table" in out else out
    if isinstance(node, list):
        return [_walk_leaves(v, visit) for v in node]
    return node


def substitute_columns(rule: Any, columns: Mapping[str, Mapping[str, str]]) -> Any:
    """``rule`` with each leaf on a table of ``columns`` reading the substituted column."""

    def visit(leaf: dict) -> dict:
        subst = columns.get(leaf["table"], {})
        if leaf.get("column") in subst:
            leaf["column"] = subst[leaf["column"]]
        return leaf

    return _walk_leaves(rule, visit) if columns else rule


def restrict_models(rule: Any, solution: str, model: str) -> Any:
    """``rule`` with every ``across_models`` node judged on the tied ``model`` of ``solution`` alone.

    The node keeps only the solution named ``solution`` and selects its rows of ``model``; a
    node without that solution is left as it is.
    """
    if isinstance(rule, list):
        return [restrict_models(r, solution, model) for r in rule]
    if not isinstance(rule, Mapping):
        return rule
    out = {k: restrict_models(v, solution, model) for k, v in rule.items()}
    spec = out.get("across_models")
    if isinstance(spec, Mapping):
        kept = [dict(s) for s in spec["solutions"] if s.get("name") == solution]
        if kept:
            for s in kept:
                s["where"] = {**dict(s.get("where") or {}), "model": model}
            out["across_models"] = {**spec, "solutions": kept}
    return out


def _has_across_models(node: Any, solution: str) -> bool:
    if isinstance(node, Mapping):
        spec = node.get("across_models")
        if isinstance(spec, Mapping) and any(s.get("name") == solution for s in spec.get("solutions", [])):
            return True
        return any(_has_across_models(v, solution) for v in node.values())
    if isinstance(node, list):
        return any(_has_across_models(v, solution) for v in node)
    return False


def specification_thresholds(registry: Registry, spec: Specification) -> dict[str, Any]:
    """The registry's thresholds under ``spec``: its own threshold choices, and every threshold
    that restates a config key (``config:`` in the registry) moved with that key."""
    thresholds = dict(registry.thresholds)
    settings = spec.settings
    for name, key in registry.threshold_config.items():
        if key in settings:
            thresholds[name] = settings[key]
    thresholds.update(spec.thresholds)
    return thresholds


def specification_registry(registry: Registry, spec: Specification) -> Registry:
    """A copy of ``registry`` as ``spec`` reads it (thresholds, columns, one tied model)."""
    if spec.shipped:
        return registry
    columns, model = spec.columns, spec.model
    claims = []
    for claim in registry.claims:
        rule, gate = copy.deepcopy(claim.rule), copy.deepcopy(claim.inconclusive_when)
        rule, gate = substitute_columns(rule, columns), substitute_columns(gate, columns) if gate else gate
        if model is not None:
            rule = restrict_models(rule, *model)
        claims.append(dataclasses.replace(claim, rule=rule, inconclusive_when=gate))
    return dataclasses.replace(registry, thresholds=specification_thresholds(registry, spec), claims=claims)


def _rule_nodes(registry: Registry, claim: Claim) -> list[Any]:
    """The rule and the inconclusive condition of ``claim`` and of every claim it cites (recursively)."""
    nodes, seen, todo = [], set(), [claim.id]
    while todo:
        cid = todo.pop()
        if cid in seen:
            continue
        seen.add(cid)
        c = registry.claim(cid)
        nodes += [c.rule] + ([c.inconclusive_when] if c.inconclusive_when else [])
        todo += rule_claims(c.rule)
    return nodes


def claim_tables(registry: Registry, claim: Claim) -> list[str]:
    """Every table whose content can decide ``claim``'s verdict (rule, inconclusive condition,
    and those of the claims it cites; flags never change a verdict and are left out)."""
    found: list[str] = []
    for node in _rule_nodes(registry, claim):
        found += [t for t in rule_tables(node) if t not in found]
    return found


def _threshold_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in ("threshold", "n", "<", "<=", ">", ">=") and isinstance(value, str):
                names.add(value)
            else:
                names |= _threshold_names(value)
    elif isinstance(node, list):
        for v in node:
            names |= _threshold_names(v)
    return names


def touches(registry: Registry, claim: Claim, spec: Specification, changed_tables: Iterable[str]) -> bool:
    """Whether ``spec`` can change ``claim``'s verdict.

    True when the specification changed the content of a table the claim reads
    (``changed_tables``, found by comparing with the shipped tables), moves a threshold its
    rule uses, substitutes a column it reads, or restricts one of its ``across_models`` rules.
    The shipped specification touches no claim.
    """
    if spec.shipped:
        return False
    nodes = _rule_nodes(registry, claim)
    tables = set(claim_tables(registry, claim))
    if tables & set(changed_tables):
        return True
    moved = {k for k, v in specification_thresholds(registry, spec).items() if registry.thresholds.get(k) != v}
    if moved & set().union(*(_threshold_names(n) for n in nodes)):
        return True
    for table, subst in spec.columns.items():
        if table in tables and any(_reads_column(n, table, set(subst)) for n in nodes):
            return True
    return spec.model is not None and any(_has_across_models(n, spec.model[0]) for n in nodes)


def _reads_column(node: Any, table: str, columns: set[str]) -> bool:
    if isinstance(node, Mapping):
        if node.get("table") == table and node.get("column") in columns:
            return True
        return any(_reads_column(v, table, columns) for v in node.values())
    if isinstance(node, list):
        return any(_reads_column(v, table, columns) for v in node)
    return False


def _across_sources(node: Any) -> list[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        found = []
        spec = node.get("across_models")
        if isinstance(spec, Mapping):
            found += list(spec.get("solutions", []))
        for value in node.values():
            found += _across_sources(value)
        return found
    if isinstance(node, list):
        return [s for v in node for s in _across_sources(v)]
    return []


def solution_models(registry: Registry, tables: Mapping[str, Any]) -> dict[str, list[str]]:
    """Solution name -> its tied model labels in ``tables``, for every ``across_models`` source of
    the registry (the options of a ``models`` dimension; first appearance order, as the rules)."""
    import numpy as np
    import pandas as pd

    from nero.claims.select import filter_mask

    out: dict[str, list[str]] = {}
    for claim in registry.claims:
        for source in _across_sources(claim.rule):
            frame = tables.get(source["table"])
            if not isinstance(frame, pd.DataFrame) or "model" not in frame.columns:
                continue
            mask = np.ones(len(frame), dtype=bool)
            for column, spec in (source.get("where") or {}).items():
                if column in frame.columns:
                    mask &= filter_mask(frame, column, spec, registry.thresholds, registry.tolerance)
            labels = out.setdefault(str(source["name"]), [])
            labels += [m for m in dict.fromkeys(frame[mask]["model"].astype(str)) if m not in labels]
    return out
