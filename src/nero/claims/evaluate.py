"""Evaluating the claims registry on a set of result tables (pure: no file access).

:func:`evaluate_claims` takes the registry and a mapping of results-relative path to a
loaded table (a DataFrame for CSV, a dict for JSON) and returns a :class:`ClaimsResult`
with one verdict per claim: ``supported`` (the rule is true), ``not supported`` (false)
or ``inconclusive`` (the claim is undecidable by this design, ``inconclusive_by_design``;
the study lacks a construct or analysis the claim ``requires``; the claim's
``inconclusive_when`` condition holds; or the rule cannot be decided because a table, row
or value it needs is missing). Flags (unexpected results beside the claim they touch) are
raised when their condition is true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nero.claims.inventory import requirement_problems
from nero.claims.registry import Registry, load_registry
from nero.claims.rules import Figure, RuleContext, evaluate_rule, read_figure, render_rule

#: Columns of results/claims.csv (fixed by the contract; ``reason`` extends it).
COLUMNS = [
    "claim_id",
    "study",
    "statement",
    "analysis",
    "statistic",
    "rule",
    "figures",
    "verdict",
    "flags",
    "evidence",
    "reason",
]
_VERDICT = {True: "supported", False: "not supported", None: "inconclusive"}
#: Columns of results/facts.csv: the descriptive facts, shown with their figures and never given a verdict.
FACT_COLUMNS = ["fact_id", "study", "statement", "analysis", "figures", "why_no_verdict", "evidence", "reason"]


def _structured(record: ClaimVerdict | FactRecord, **extra: Any) -> dict[str, Any]:
    """A record's ``row()`` with its figures and evidence as structures (for ``claims.json``).

    The keys of ``row()`` keep their order (a value replaced in place stays where it was);
    ``missing_evidence``, ``source`` and then the ``extra`` keys not in ``row()`` follow.
    """
    out = record.row()
    out.update(
        {
            "figures": [f.to_dict() for f in record.figures],
            "evidence": list(record.evidence),
            "missing_evidence": list(record.missing_evidence),
            "source": record.source,
        }
    )
    out.update(extra)
    return out


@dataclass
class RaisedFlag:
    """A flag whose condition holds: its id, message and the figures that raised it."""

    id: str
    message: str
    figures: list[Figure]

    def text(self) -> str:
        shown = "; ".join(f.text() for f in self.figures if f.result == "pass")
        return f"{self.id}: {self.message}" + (f" ({shown})" if shown else "")


@dataclass
class ClaimVerdict:
    """The verdict on one claim with everything that decided it."""

    claim_id: str
    study: str
    statement: str
    analysis: str
    statistic: str
    rule: str
    verdict: str
    reason: str
    figures: list[Figure]
    flags: list[RaisedFlag]
    evidence: list[str]
    missing_evidence: list[str]
    source: str = ""
    thresholds: dict[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "study": self.study,
            "statement": self.statement,
            "analysis": self.analysis,
            "statistic": self.statistic,
            "rule": self.rule,
            "figures": "; ".join(f.text() for f in self.figures),
            "verdict": self.verdict,
            "flags": " | ".join(f.text() for f in self.flags),
            "evidence": ";".join(self.evidence),
            "reason": self.reason,
        }

    def to_dict(self) -> dict[str, Any]:
        return _structured(
            self,
            flags=[{"id": f.id, "message": f.message, "figures": [g.to_dict() for g in f.figures]} for f in self.flags],
            thresholds=dict(self.thresholds),
        )


@dataclass
class FactRecord:
    """A descriptive fact as read from the results: its figures and evidence, no verdict."""

    fact_id: str
    study: str
    statement: str
    analysis: str
    figures: list[Figure]
    why_no_verdict: str
    evidence: list[str]
    missing_evidence: list[str]
    source: str = ""

    @property
    def reason(self) -> str:
        """Why a figure could not be read ('' when every figure is shown)."""
        return "; ".join(f"{f.label}: {f.reason}" for f in self.figures if f.result == "missing")

    def row(self) -> dict[str, Any]:
        return {
            "fact_id": self.fact_id,
            "study": self.study,
            "statement": self.statement,
            "analysis": self.analysis,
            "figures": "; ".join(f.text() for f in self.figures),
            "why_no_verdict": self.why_no_verdict,
            "evidence": ";".join(self.evidence),
            "reason": self.reason,
        }

    def to_dict(self) -> dict[str, Any]:
        return _structured(self)


@dataclass
class ClaimsResult:
    """Verdicts on every claim of a registry (registry order)."""

    claims: list[ClaimVerdict]
    registry_digest: str = ""
    registered: str = ""
    threshold_sources: dict[str, str] = field(default_factory=dict)
    tolerance: float = 1e-9
    changelog: list[dict[str, Any]] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """One row per claim, columns :data:`COLUMNS` (the descriptive facts are in :meth:`facts_frame`)."""
        return pd.DataFrame([c.row() for c in self.claims], columns=COLUMNS)

    def facts_frame(self) -> pd.DataFrame:
        """One row per descriptive fact, columns :data:`FACT_COLUMNS` (no verdict)."""
        return pd.DataFrame([f.row() for f in self.facts], columns=FACT_COLUMNS)

    def counts(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.claims) for v in _VERDICT.values()}

    def verdict(self, claim_id: str) -> str:
        """The verdict on one claim."""
        for c in self.claims:
            if c.claim_id == claim_id:
                return c.verdict
        raise KeyError(claim_id)

    def summary(self) -> str:
        """A readable overview: one line per claim, its flags under it."""
        counts = self.counts()
        lines = [f"claims: {len(self.claims)} ({', '.join(f'{v} {k}' for k, v in counts.items())})"]
        for c in self.claims:
            lines.append(f"  [{c.verdict}] {c.claim_id}" + (f" -- {c.reason}" if c.reason else ""))
            lines += [f"      flag {f.text()}" for f in c.flags]
        if self.facts:
            lines.append(f"descriptive facts (no verdict): {len(self.facts)}")
            lines += [f"  [fact] {f.fact_id}: " + "; ".join(g.text() for g in f.figures) for f in self.facts]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: registry digest, counts, and every claim with its figures and flags."""
        return {
            "registry_sha256": self.registry_digest,
            "registered": self.registered,
            "counts": self.counts(),
            "tolerance": self.tolerance,
            "threshold_sources": dict(self.threshold_sources),
            "changelog": [dict(e) for e in self.changelog],
            "claims": [c.to_dict() for c in self.claims],
            "facts": [f.to_dict() for f in self.facts],
        }


def _present(table: str, tables: Mapping[str, Any]) -> bool:
    return table in tables and tables[table] is not None


def evaluate_claims(
    registry: Registry | Mapping[str, Any], tables: Mapping[str, Any], study: Mapping[str, Any] | None = None
) -> ClaimsResult:
    """Evaluate every claim of ``registry`` on ``tables``.

    Parameters
    ----------
    registry
        A :class:`Registry` (:func:`load_registry`) or a registry mapping (validated here).
    tables
        Results-relative path (``"sem/mediation_type.csv"``) -> DataFrame (CSV) or
        dict/list (JSON). Tables the registry names but ``tables`` lacks make the
        rules that need them unknown.
    study
        What the study has (:func:`nero.claims.inventory.study_inventory`: its
        ``constructs`` and ``analyses``). A claim whose ``requires`` names something the
        study lacks is inconclusive with that reason. None: not checked.

    Returns
    -------
    ClaimsResult
    """
    if not isinstance(registry, Registry):
        registry = load_registry(registry)
    thresholds = registry.thresholds
    values: dict[str, bool | None] = {}
    verdicts: dict[str, ClaimVerdict] = {}
    for claim in registry.order():
        ctx = RuleContext(tables, thresholds, values, registry.tolerance)
        outcome = evaluate_rule(claim.rule, ctx)
        value = outcome.value
        reason = "; ".join(dict.fromkeys(outcome.reasons)) if value is None else ""
        lacking = requirement_problems(claim, study) if study is not None else []
        if lacking:
            value, reason = None, "absent evidence: " + "; ".join(lacking)
        elif claim.inconclusive_by_design:
            value, reason = None, f"inconclusive by design: {claim.inconclusive_by_design.strip()}"
        elif claim.inconclusive_when is not None:
            gate = evaluate_rule(claim.inconclusive_when, ctx)
            if gate.value is True:
                value = None
                shown = "; ".join(f.text() for f in gate.figures if f.result == "pass")
                reason = (claim.inconclusive_reason or "the inconclusive condition holds") + (
                    f" ({shown})" if shown else ""
                )
            elif gate.value is None and value is not None:
                # the condition that would make the verdict meaningless cannot be checked (a table or
                # row it reads is missing): a verdict would rest on an unchecked premise
                value = None
                reason = "the inconclusive condition cannot be decided: " + (
                    "; ".join(dict.fromkeys(gate.reasons)) or "evidence missing"
                )
        values[claim.id] = value
        flags = []
        for flag in claim.flags:
            raised = evaluate_rule(flag["when"], ctx)
            if raised.value is True:
                flags.append(RaisedFlag(flag["id"], flag["message"], raised.figures))
        named = claim.tables()
        for ref in _referenced_claims(claim):
            named += [t for t in registry.claim(ref).tables() if t not in named]
        used = {name: thresholds[name] for name in _threshold_names(claim)}
        verdicts[claim.id] = ClaimVerdict(
            claim_id=claim.id,
            study=claim.study,
            statement=claim.statement.strip(),
            analysis=claim.analysis.strip(),
            statistic=claim.statistic.strip(),
            rule=render_rule(claim.rule, thresholds),
            verdict=_VERDICT[value],
            reason=reason,
            figures=outcome.figures,
            flags=flags,
            evidence=[f"results/{t}" for t in named if _present(t, tables)],
            missing_evidence=[f"results/{t}" for t in named if not _present(t, tables)],
            source=claim.source,
            thresholds=used,
        )
    ctx = RuleContext(tables, thresholds, values, registry.tolerance)
    facts = [
        FactRecord(
            fact_id=fact.id,
            study=fact.study,
            statement=fact.statement.strip(),
            analysis=fact.analysis.strip(),
            figures=[read_figure(node, ctx) for node in fact.readings],
            why_no_verdict=fact.why_no_verdict.strip(),
            evidence=[f"results/{t}" for t in fact.tables() if _present(t, tables)],
            missing_evidence=[f"results/{t}" for t in fact.tables() if not _present(t, tables)],
            source=fact.source,
        )
        for fact in registry.facts
    ]
    return ClaimsResult(
        [verdicts[c.id] for c in registry.claims],
        registry.digest,
        registry.registered,
        {k: registry.threshold_sources.get(k, "") for k in sorted(thresholds)},
        registry.tolerance,
        registry.changelog,
        facts,
    )


def verdicts_by_variant(
    registry: Registry | Mapping[str, Any],
    tables: Mapping[str, Any],
    variants: Mapping[Any, Mapping[str, Any]],
    reads: str,
) -> pd.DataFrame:
    """The verdicts of the claims that read table ``reads`` under variants of some tables.

    Each variant replaces some of ``tables`` (e.g. the fsQCA solutions at another frequency
    cut; ``None`` removes a table: no solution could be formed, so the claims reading it are
    inconclusive); every other table is the study's. Returns one row per variant and claim: ``variant``,
    ``claim_id``, ``verdict``, ``reason``.
    """
    if not isinstance(registry, Registry):
        registry = load_registry(registry)
    chosen = [c.id for c in registry.order() if reads in c.tables()]
    rows = []
    for label, replaced in variants.items():
        merged = dict(tables)
        for name, frame in replaced.items():
            if frame is None:
                merged.pop(name, None)
            else:
                merged[name] = frame
        result = evaluate_claims(registry, merged)
        for claim_id in chosen:
            verdict = next(v for v in result.claims if v.claim_id == claim_id)
            rows.append({"variant": label, "claim_id": claim_id, "verdict": verdict.verdict, "reason": verdict.reason})
    return pd.DataFrame(rows, columns=["variant", "claim_id", "verdict", "reason"])


def _referenced_claims(claim) -> list[str]:
    from nero.claims.rules import rule_claims

    return rule_claims(claim.rule)


def _threshold_names(claim) -> list[str]:
    names: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == "threshold" and isinstance(value, str) and value not in names:
                    names.append(value)
                elif key in ("n", "<", "<=", ">", ">=") and isinstance(value, str) and value not in names:
                    names.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(claim.rule)
    if claim.inconclusive_when:
        walk(claim.inconclusive_when)
    return names
