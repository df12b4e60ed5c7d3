"""The report's planted-versus-recovered section (synthetic stand-in only).

Renders ``results/truth/planted_vs_recovered.csv`` (:func:`nero.design.recovery.planted_vs_recovered`):
each claim's planted truth beside its verdict, each planted population parameter beside its
estimate, with agreement. The rule that writes the table exists only when ``data/truth/`` holds
a truth map that declares the data synthetic, so a study on real data has no such section.
"""

from __future__ import annotations

import html
import math

import pandas as pd


def _cell(value) -> str:
    """A number to 4 decimals, a blank for NaN, text escaped."""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4f}"
    return html.escape(str(value))


def _agrees(value) -> str:
    text = str(value).strip().lower()
    return {"true": "yes", "false": "<strong>no</strong>"}.get(text, "not scored")


def _rule(row) -> str:
    """Where the verdict is qualified by the design: the rule's outcome and why, below the verdict."""
    rule = str(getattr(row, "rule_verdict", "") or "")
    if not rule or rule == "nan" or rule == str(row.recovered):
        return ""
    return f'<div class="note rule-outcome">rule outcome: {html.escape(rule)}; {_cell(row.reading)}</div>'


def planted_html(table: pd.DataFrame) -> str:
    """The section's HTML: a count of agreements and one table for claims, one for parameters."""
    t = table.copy()
    scored = t["agrees"].astype(str).str.lower().isin(["true", "false"])
    agree = t["agrees"].astype(str).str.lower().eq("true")
    parts = [
        f"<p>The shipped data are a synthetic stand-in generated from a known truth "
        f"(<code>data/truth/claims_truth.json</code>). Of {int(scored.sum())} scored rows, "
        f"{int(agree.sum())} agree with what was planted ({int((t['kind'] == 'claim').sum())} claims, "
        f"{int((t['kind'] == 'parameter').sum())} population parameters). Parameters are latent population "
        "values; the study estimates them on observed scores, so agreement is on presence and sign (effects: the "
        "95% interval excludes 0) or on the side of the claim's cut (shares, necessity), not on equality.</p>"
    ]
    claims = t[t["kind"] == "claim"]
    rows = "".join(
        f'<tr><td class="t"><code>{_cell(r.name)}</code></td><td class="t">{_cell(r.planted)}</td>'
        f'<td class="t">{_cell(r.expected)}</td><td class="t">{_cell(r.recovered)}{_rule(r)}</td>'
        f'<td class="t">{_agrees(r.agrees)}</td></tr>'
        for r in claims.itertuples(index=False)
    )
    parts.append(
        f'<div class="scroll"><table data-rows="{len(claims)}"><thead><tr><th>Claim</th><th>Planted</th>'
        f"<th>Verdict the truth calls for</th><th>Verdict computed</th><th>Agrees</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )
    params = t[t["kind"] == "parameter"]
    rows = "".join(
        f'<tr><td class="t"><code>{_cell(r.name)}</code></td><td class="t">{_cell(r.planted)}</td>'
        f'<td class="t">{_cell(r.expected)}</td><td class="t">{_cell(r.recovered)}</td>'
        f'<td class="t">{_cell(r.ci_low)} {_cell(r.ci_high)}</td><td class="t">{_cell(r.source)}</td>'
        f'<td class="t">{_agrees(r.agrees)}<div class="note">{_cell(r.reading)}</div></td></tr>'
        for r in params.itertuples(index=False)
    )
    parts.append(
        f'<div class="scroll"><table data-rows="{len(params)}"><thead><tr><th>Parameter</th>'
        "<th>Planted (latent)</th><th>Planted reading</th><th>Estimate</th><th>95% interval</th>"
        f"<th>Source</th><th>Agrees</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )
    return "".join(parts)


__all__ = ["planted_html"]
