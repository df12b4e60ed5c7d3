"""What a claims rule is evaluated against and what it returns, and the text of a leaf's selection.

:class:`RuleContext` holds the result tables, the registry's thresholds and earlier
verdicts; a rule returns an :class:`Outcome` (true, false or unknown) with the
:class:`Figure` of each leaf it read. See :mod:`nero.claims.rules` for the language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nero.claims.select import TOLERANCE, describe_where, fmt, plain


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
