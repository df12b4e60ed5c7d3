"""The registration document of the claims registry, for deposit before the real data are unblinded.

:func:`registration_document` writes, as Markdown, every claim with its rule as text, the
thresholds with their sources, the float tolerance, the changelog and the registry's
sha256 (the digest of its parsed content, as in results/claims.json, and the sha256 of the
file's bytes when a path is given). The date is the registry's ``registered`` date or one
passed in; no wall-clock time is read, so the document is byte-reproducible and its own
sha256 identifies the deposit.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from nero.claims.registry import Registry
from nero.claims.rules import render_rule, selection_text
from nero.claims.select import fmt


def _cell(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).replace("|", "\\|").strip()


def registration_document(registry: Registry, date: str | None = None, registry_path: str | None = None) -> str:
    """The registration document (Markdown) of ``registry``.

    Parameters
    ----------
    registry
        A loaded registry (:func:`nero.claims.load_registry`).
    date
        ``YYYY-MM-DD`` of the deposit; default the registry's ``registered`` date.
    registry_path
        The registry file, to record the sha256 of its bytes beside the content digest.

    Returns
    -------
    str
    """
    date = date or registry.registered
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(date)):
        raise ValueError(f"registration date {date!r}: expected YYYY-MM-DD")
    lines = [
        f"# Registration of the claims and decision rules: {registry.title}",
        "",
        f"- Registration date: {date}",
        f"- Registry content sha256: `{registry.digest}`",
    ]
    if registry_path:
        digest = hashlib.sha256(Path(registry_path).read_bytes()).hexdigest()
        lines.append(f"- Registry file `{Path(registry_path).name}` sha256: `{digest}`")
    lines += [
        f"- Float tolerance: {registry.tolerance:g} (absolute and relative; numbers this close are equal)",
        f"- Claims: {len(registry.claims)}; descriptive facts: {len(registry.facts)}; thresholds: {len(registry.thresholds)}; changes since the first "
        f"registration: {len(registry.changelog)}",
        "",
        "## Thresholds",
        "",
        "| name | value | source |",
        "| --- | --- | --- |",
    ]
    for name in sorted(registry.thresholds):
        lines.append(
            f"| `{name}` | {fmt(registry.thresholds[name])} | {_cell(registry.threshold_sources.get(name, ''))} |"
        )
    lines += ["", "## Claims and rules", ""]
    for claim in registry.claims:
        lines += [
            f"### `{claim.id}` ({claim.study})",
            "",
            f"> {_cell(claim.statement)}",
            "",
            f"- Analysis: {_cell(claim.analysis)}",
            f"- Statistic: {_cell(claim.statistic)}",
            f"- Rule: {_cell(render_rule(claim.rule, registry.thresholds))}",
        ]
        if claim.inconclusive_by_design:
            lines.append(f"- Inconclusive by design: {_cell(claim.inconclusive_by_design)}")
        if claim.inconclusive_when:
            lines.append(f"- Inconclusive when: {_cell(render_rule(claim.inconclusive_when, registry.thresholds))}")
        if claim.requires:
            lines.append("- Requires: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(claim.requires.items())))
        if claim.note:
            lines.append(f"- Note: {_cell(claim.note)}")
        lines.append("")
    if registry.facts:
        lines += ["## Descriptive facts (shown with their figures, never given a verdict)", ""]
        for fact in registry.facts:
            lines += [
                f"### `{fact.id}` ({fact.study})",
                "",
                f"> {_cell(fact.statement)}",
                "",
                f"- Analysis: {_cell(fact.analysis)}",
                f"- Why no verdict: {_cell(fact.why_no_verdict)}",
                "- Figures shown: " + "; ".join(_cell(r.get("label") or selection_text(r)) for r in fact.readings),
                "",
            ]
    lines += [
        "## Changelog",
        "",
        "| date | claim | old rule | new rule | reason | motivating figure |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in registry.changelog:
        lines.append(
            "| " + " | ".join(_cell(e[k]) for k in ("date", "claim", "old_rule", "new_rule", "reason", "figure")) + " |"
        )
    return "\n".join(lines) + "\n"


__all__ = ["registration_document"]
