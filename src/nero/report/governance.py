"""The claims' governance in the report: the descriptive facts (shown without a verdict), the
declared causal model, the specification sensitivity rows, the registry's sha256 and its
changelog (after the verdicts table)."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import pandas as pd


def _num(value: Any) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    return "" if v != v else f"{v:.3f}"


def _evidence_link(path: str) -> str:
    """A link from results/report.html to a results/ file (the evidence of a fact)."""
    href = path[len("results/") :] if path.startswith("results/") else "../" + path
    return f'<a href="{html.escape(href)}">{html.escape(path.removeprefix("results/"))}</a>'


def facts_html(facts: list[dict[str, Any]] | None) -> str:
    """The descriptive facts of ``results/claims.json``: statement, figures, why no verdict, evidence.

    Shown apart from the verdicts and with no badge: a fact is a statement no rule can test
    (docs/claims.md). Empty string when there are none.
    """
    if not facts:
        return ""
    rows = []
    for fact in facts:
        figures = "<br>".join(
            html.escape(f"{f.get('label')} = {f.get('value')}")
            if f.get("result") == "shown"
            else html.escape(f"{f.get('label')}: missing ({f.get('reason')})")
            for f in fact.get("figures") or []
        )
        evidence = "<br>".join(_evidence_link(str(p)) for p in fact.get("evidence") or [])
        rows.append(
            f'<tr><td class="t"><code>{html.escape(str(fact.get("fact_id", "")))}</code></td>'
            f'<td class="t">{html.escape(str(fact.get("statement", "")))}'
            f'<div class="note">Analysis: {html.escape(str(fact.get("analysis", "")))}</div></td>'
            f'<td class="t">{figures}</td>'
            f'<td class="t"><span class="note">{html.escape(str(fact.get("why_no_verdict", "")))}</span></td>'
            f'<td class="t">{evidence}</td></tr>'
        )
    return (
        '<h3 id="facts">Descriptive facts (no verdict)</h3><p class="note">Statements of the thesis that no rule '
        "can test, shown with their figures and evidence and never given a verdict (registry <code>facts</code>, "
        "<code>results/facts.csv</code>).</p>"
        f'<div class="scroll"><table class="facts" data-rows="{len(facts)}"><thead><tr><th>Fact</th>'
        "<th>Statement</th><th>Figures</th><th>Why no verdict</th><th>Evidence</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def governance_html(
    record: dict | None, causal_png: str | Path | None = None, sensitivity: pd.DataFrame | None = None
) -> str:
    """HTML fragment: descriptive facts, conceptual-model figure, specification sensitivity, registry hash and changelog.

    Parameters
    ----------
    record
        The loaded ``results/claims.json`` (registry sha256, registration date, tolerance,
        changelog), or None.
    causal_png
        The drawn causal model (``results/figures/causal_model.png``), or None.
    sensitivity
        ``results/sem/specification_sensitivity.csv``, or None.

    The descriptive facts of ``record`` (:func:`facts_html`) come first, right after the verdicts.
    """
    parts = [facts_html((record or {}).get("facts"))]
    if causal_png and Path(causal_png).is_file():
        data = base64.b64encode(Path(causal_png).read_bytes()).decode("ascii")
        parts.append(
            '<h3 id="causal-model">Conceptual model: the declared causal model</h3>'
            '<p class="note">The DAG of <code>sem.causal_model</code> (config/config.yaml). Every regression '
            "and SEM specification takes its covariates from it: no descendant of an exposure, of the mediator "
            "or of the outcome (log_employees grows with CAP; log_foreign_markets and years_abroad with SCO).</p>"
            f'<img alt="Declared causal model of Study 2" src="data:image/png;base64,{data}">'
        )
    if sensitivity is not None and len(sensitivity):
        rows = "".join(
            f'<tr><td class="t">{html.escape(str(r.effect))}</td><td class="t">{html.escape(str(r.specification))}</td>'
            f"<td>{_num(r.estimate)}</td><td>[{_num(r.ci_low)}, {_num(r.ci_high)}]</td><td>{_num(r.p)}</td>"
            f'<td class="t"><span class="note">{html.escape(str(r.covariates))}</span></td></tr>'
            for r in sensitivity.itertuples(index=False)
        )
        parts.append(
            '<h3 id="specification-sensitivity">Specification sensitivity</h3><p class="note">The effects the '
            "claims read, with the causal model's covariates (the verdicts) and with every control (the "
            "specification before the causal model was declared), from "
            "<code>results/sem/specification_sensitivity.csv</code>.</p>"
            f'<div class="scroll"><table data-rows="{len(sensitivity)}"><thead><tr><th>effect</th>'
            "<th>specification</th><th>estimate</th><th>95% CI</th><th>p</th><th>covariates</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
    if record:
        log = record.get("changelog") or []
        rows = "".join(
            "<tr>"
            + "".join(
                f'<td class="t">{html.escape(str(e.get(k, "")))}</td>'
                for k in ("date", "claim", "old_rule", "new_rule", "reason", "figure")
            )
            + "</tr>"
            for e in log
        )
        parts.append(
            '<h3 id="registry">Registry</h3>'
            f"<p>Rules and thresholds registered {html.escape(str(record.get('registered', '')))}; registry "
            f"sha256 <code>{html.escape(str(record.get('registry_sha256', '')))}</code>; every float "
            f"comparison within {html.escape(str(record.get('tolerance', '')))}. The registration document: "
            "<code>nero claims register --out registration.md</code>.</p>"
            f"<details><summary>Changelog ({len(log)} changes after the first registration)</summary>"
            f'<div class="scroll"><table data-rows="{len(log)}"><thead><tr><th>date</th><th>claim</th>'
            "<th>old rule</th><th>new rule</th><th>reason</th><th>motivating figure</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div></details>"
        )
    return "".join(parts)


__all__ = ["facts_html", "governance_html"]
