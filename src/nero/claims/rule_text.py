"""Claims rules as text and what they refer to: :func:`render_rule`, :func:`rule_tables`, :func:`rule_claims`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nero.claims.outcome import resolve_limit, selection_text
from nero.claims.select import fmt


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
