"""The claims' governance in the report: the declared causal model, the specification
sensitivity rows, the registry's sha256 and its changelog (after the verdicts table)."""

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


def governance_html(
    record: dict | None, causal_png: str | Path | None = None, sensitivity: pd.DataFrame | None = None
) -> str:
    """HTML fragment: conceptual-model figure, specification sensitivity, registry hash and changelog.

    Parameters
    ----------
    record
        The loaded ``results/claims.json`` (registry sha256, registration date, tolerance,
        changelog), or None.
    causal_png
        The drawn causal model (``results/figures/causal_model.png``), or None.
    sensitivity
        ``results/sem/specification_sensitivity.csv``, or None.
    """
    parts = []
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


__all__ = ["governance_html"]
