"""Building ``report.html`` in thesis order: self-contained (images inlined, no network).

The page carries a Content-Security-Policy (:func:`nero.markup.with_csp`): only its own
self-check script runs and images load only from ``data:`` URLs, so text from the raw
inputs, escaped everywhere, could not run or call out even if an escape were missed.

Order: the study in brief and its research questions; the claims with their verdicts;
the numbered tables and figures of the manuscript registry, chapter by chapter, each with
caption, note and links to its files, rule, log and raw inputs; the SME Playbook
(Annex E); an appendix with every ``report()``-flagged output the registry does not
number; the provenance of the run.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nero.manuscript import apa
from nero.manuscript.registry import Item
from nero.markup import with_csp
from nero.report.answers import answer_questions, answers_html
from nero.report.lineage_records import Lineage, lineage, relative
from nero.report.operating import operating_html
from nero.report.page import CSS, SELF_CHECK, STUDY_IN_BRIEF, table_html
from nero.report.planted import planted_html
from nero.report.spec_curves import multiverse_cell

CATEGORY_ORDER = [
    "Literature review",
    "Study 1",
    "Survey",
    "Measurement and SEM",
    "fsQCA",
    "Integration",
    "Claims",
    "Design analysis",
    "Pipeline",
]
VERDICT_CLASS = {"supported": "v-yes", "not supported": "v-no", "inconclusive": "v-maybe"}


@dataclass(frozen=True)
class ReportItem:
    """One ``report()``-flagged result (shown in the appendix unless the registry numbers it)."""

    path: str
    rule: str
    category: str
    caption: str | None = None


def _rst_to_html(text: str) -> str:
    """The little reStructuredText the captions use: paragraphs, *emphasis*, ``code``."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        escaped = html.escape(" ".join(line.strip() for line in para.splitlines()))
        escaped = re.sub(r"``(.+?)``", r"<code>\1</code>", escaped)
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
        escaped = re.sub(r"\*(.+?)\*", r"<em>\1</em>", escaped)
        out.append(f"<p>{escaped}</p>")
    return "\n".join(out)


def _href(path: str) -> str:
    """Link from ``results/report.html`` to a workdir-relative ``path``."""
    return path[len("results/") :] if path.startswith("results/") else "../" + path


def _link(path: str, text: str | None = None) -> str:
    return f'<a href="{html.escape(_href(path))}">{html.escape(text or path)}</a>'


def _image_html(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


class ReportBuilder:
    """Assemble the report from loaded pieces (see :func:`build_report`)."""

    def __init__(self, workdir: str | os.PathLike, rule_files: dict[str, str], raw_dir: str = "data/raw") -> None:
        self.workdir = Path(workdir)
        self.rule_files = rule_files
        self.lineage = Lineage(self.workdir, raw_dir)

    def links(self, item_outputs: list[str], sources: list[str]) -> str:
        """Links of one item: its files, then each source's rule, log and raw inputs."""
        parts = []
        if item_outputs:
            parts.append("Files: " + ", ".join(_link(p, p.rsplit(".", 1)[-1].upper()) for p in item_outputs))
        rules, logs, raws = [], [], []
        for source in sources:
            info = self.lineage.record(source)
            if info is None:
                continue
            rule = info["rule"] or ""
            rule_file = self.rule_files.get(rule)
            rules.append(f"<code>{html.escape(rule)}</code>" + (f" ({_link(rule_file)})" if rule_file else ""))
            logs.extend(info["log"])
            raws.extend(self.lineage.raw_inputs(source))
        parts.append("Source: " + ", ".join(_link(s) for s in sources))
        if rules:
            parts.append("Rule: " + ", ".join(dict.fromkeys(rules)))
        if logs:
            parts.append("Log: " + ", ".join(_link(p) for p in dict.fromkeys(logs)))
        raws = sorted(set(raws))
        raw_html = ""
        if raws:
            links = ", ".join(_link(p) for p in raws)
            raw_html = (
                f"<br>Raw inputs ({len(raws)}): {links}"
                if len(raws) <= 4
                else f"<details><summary>Raw inputs ({len(raws)})</summary>{links}</details>"
            )
        return '<div class="lineage">' + "<br>".join(parts) + raw_html + "</div>"

    def numbered_item(self, item: Item, note: str) -> str:
        """One numbered table or figure."""
        anchor = f"{item.kind}-{item.number}"
        head = f'<h3 id="{anchor}">{html.escape(item.label)}. <em>{html.escape(item.title)}</em></h3>'
        caption = f'<p class="caption">{html.escape(item.caption)}</p>' if item.caption else ""
        if item.kind == "table":
            frame = pd.read_csv(self.workdir / f"{item.stem}.csv", dtype=str, keep_default_na=False)
            body = table_html(frame, anchor)
            outputs = item.outputs()
        else:
            body = _image_html(self.workdir / item.source[0], item.title)
            pdf = item.source[0][:-4] + ".pdf"
            outputs = [item.source[0]] + ([pdf] if (self.workdir / pdf).is_file() else [])
        note_html = f'<p class="tnote"><em>Note.</em> {html.escape(note)}</p>' if note else ""
        return f'<div class="item">{head}{caption}{body}{note_html}{self.links(outputs, list(item.source))}</div>'

    def appendix_item(self, item: ReportItem) -> str:
        """One flagged output the registry does not number, shown whole."""
        path = self.workdir / item.path
        caption = _rst_to_html(Path(self.workdir, item.caption).read_text(encoding="utf-8")) if item.caption else ""
        suffix = path.suffix.lower()
        if suffix == ".png":
            body = _image_html(path, path.name)
        elif suffix == ".csv":
            body = table_html(apa.format_frame(pd.read_csv(path)), "appendix-" + re.sub(r"\W+", "-", item.path))
        elif suffix == ".json":
            text = json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2, ensure_ascii=False)
            body = f"<details><summary>JSON ({len(text.splitlines())} lines)</summary><pre>{html.escape(text)}</pre></details>"
        else:
            body = f"<details><summary>Text</summary><pre>{html.escape(path.read_text(encoding='utf-8', errors='replace'))}</pre></details>"
        return (
            f'<div class="item"><h3>{html.escape(item.path.removeprefix("results/"))}</h3><div class="caption">{caption}</div>'
            f"{body}{self.links([], [item.path])}</div>"
        )


def _qualified(claims: pd.DataFrame) -> list[tuple[str, str]]:
    """(claim id, rule outcome) of every claim whose verdict the design qualified (rule outcome differs)."""
    if "rule_verdict" not in claims.columns:
        return []
    rule = claims["rule_verdict"].fillna("").astype(str)
    differs = (rule != "") & (rule != claims["verdict"].astype(str))
    return list(zip(claims.loc[differs, "claim_id"].astype(str), rule[differs]))


def claims_html(claims: pd.DataFrame | None, anchors: dict[str, str]) -> str:
    """The claims and their verdicts, each linked to its evidence (or a plain statement that there are none)."""
    if claims is None:
        return (
            '<p class="warning"><strong>No verdicts yet.</strong> <code>results/claims.csv</code> is absent: the '
            "claims stage (<code>config/claims.yaml</code>, <code>workflow/rules/claims.smk</code>) is not part of "
            "this workflow, so this report shows no verdict. Every result below is still shown in full.</p>"
        )
    counts = claims["verdict"].value_counts()
    summary = ", ".join(f"{int(counts[v])} {v}" for v in ("supported", "not supported", "inconclusive") if v in counts)
    qualified = _qualified(claims)
    if qualified:
        summary += (
            f"; {len(qualified)} of them inconclusive by design, where the rule's outcome is one the design "
            "cannot back (the rule says " + ", ".join(f"{v} on {c}" for c, v in qualified) + ")"
        )
    rows = []
    for row, record in zip(claims.astype(object).fillna("").itertuples(index=False), claims.to_dict("records")):
        evidence = []
        for path in [p.strip() for p in str(row.evidence).split(";") if p.strip()]:
            rel = path if path.startswith("results/") else f"results/{path}"
            target = anchors.get(rel)
            evidence.append(
                _link(rel, path.removeprefix("results/"))
                + (f' (<a href="#{target}">{target.replace("-", " ").title()}</a>)' if target else "")
            )
        flags = f'<br><span class="flag">{html.escape(str(row.flags))}</span>' if str(row.flags) else ""
        cls = VERDICT_CLASS.get(str(row.verdict), "v-maybe")
        rule = str(record.get("rule_verdict", "") or "")
        if rule and rule != "nan" and rule != str(row.verdict):  # qualified by the design: the rule's outcome and why
            flags = (
                f'<div class="note rule-outcome">Rule outcome: <strong>{html.escape(rule)}</strong>. '
                f"{html.escape(str(row.reason))}</div>{flags}"
            )
        rows.append(
            f'<tr><td class="t"><code>{html.escape(str(row.claim_id))}</code></td>'
            f'<td class="t">{html.escape(str(row.statement))}<div class="note">Analysis: {html.escape(str(row.analysis))}</div></td>'
            f'<td class="t"><span class="verdict {cls}">{html.escape(str(row.verdict))}</span>{flags}</td>'
            f'<td class="t">{html.escape(str(row.figures))}<details><summary>Decision rule</summary>'
            f'<div class="note">{html.escape(str(row.rule))}</div></details></td>'
            f'<td class="t">{"<br>".join(evidence)}</td>'
            f'<td class="t">{operating_html(record)}</td>'
            + multiverse_cell(
                row.claim_id, getattr(row, "specifications", ""), getattr(row, "specifications_supporting", "")
            )
            + "</tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "Claim",
            "Statement",
            "Verdict",
            "Figures that decided it",
            "Evidence",
            "This design at the study's N",
            "Specifications (multiverse)",
        )
    )
    return (
        f"<p>{len(claims)} claims: {html.escape(summary)}. Each verdict is computed from a rule fixed before the "
        "results (<code>config/claims.yaml</code>) and qualified by the design analysis: a 'not supported' from a "
        "rule with power below .80, or a 'supported' from a rule with false support above .05, is inconclusive by "
        "design, with the rule's outcome and why below the badge; flags mark unexpected results beside the claim "
        "they touch.</p>"
        f'<div class="scroll"><table class="claims" data-rows="{len(claims)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


#: Class of the report's block of run provenance (git commit and state, source fingerprint,
#: software); nero.provenance.examiner.RUN_PROVENANCE names the same class.
RUN_PROVENANCE_CLASS = "run-provenance"


def provenance_html(provenance: dict) -> str:
    """Raw checksums, code version and key package versions of the run."""
    raw = provenance.get("raw_inputs", {})
    rows = "".join(
        f'<tr><td class="t"><code>{html.escape(k)}</code></td><td class="t"><code>{html.escape(str(v))}</code></td></tr>'
        for k, v in raw.items()
    )
    git = provenance.get("code", {}).get("git", {})
    software = provenance.get("software", {})
    packages = software.get("packages", {})
    key = [
        "snakemake",
        "numpy",
        "pandas",
        "scipy",
        "statsmodels",
        "threadpoolctl",
        "pandera",
        "matplotlib",
        "krippendorff",
        "lxml",
        "python-docx",
    ]
    pk = "".join(
        f'<tr><td class="t">{p}</td><td class="t">{html.escape(packages.get(p, "not installed"))}</td></tr>'
        for p in key
    )
    # The code version and software environment describe the run, not the study: `nero audit`
    # compares the block marked RUN_PROVENANCE_CLASS as provenance, never as a changed result.
    return (
        "<h3>Raw inputs (sha256)</h3>"
        f'<div class="scroll"><table data-rows="{len(raw)}"><thead><tr><th>file</th><th>sha256</th></tr></thead><tbody>{rows}</tbody></table></div>'
        f'<div class="{RUN_PROVENANCE_CLASS}">'
        "<h3>Code</h3>"
        f"<p>git commit <code>{html.escape(str(git.get('commit')))}</code> (uncommitted changes: {html.escape(str(git.get('dirty')))}); "
        f"source fingerprint <code>{html.escape(str(provenance.get('code', {}).get('source_sha256')))}</code>; "
        f"seed {html.escape(str(provenance.get('seed')))}.</p>"
        f"<h3>Software</h3><p>Python {html.escape(str(software.get('python')))} on {html.escape(str(software.get('platform')))}.</p>"
        f'<div class="scroll"><table data-rows="{len(key)}"><thead><tr><th>package</th><th>version</th></tr></thead><tbody>{pk}</tbody></table></div>'
        f'<p class="note">All {len(packages)} package versions are in {_link("results/provenance.json", "provenance.json")}.</p>'
        "</div>"
    )


def build_report(
    *,
    items: list[Item],
    notes: dict[str, str],
    sections: dict[str, str],
    appendix: list[ReportItem],
    provenance: dict,
    claims: pd.DataFrame | None = None,
    claims_governance: str = "",
    research_questions: list[dict] | None = None,
    planted: pd.DataFrame | None = None,
    playbook_html: str = "",
    rule_files: dict[str, str] | None = None,
    workdir: str | os.PathLike = ".",
    raw_dir: str = "data/raw",
    title: str = "Network Ambidexterity: examiner's report",
) -> str:
    """Return the report's HTML text.

    Parameters
    ----------
    items
        Numbered tables and figures (resolved registry, thesis order).
    notes
        Item id -> the note with its facts filled in.
    sections
        Section key -> heading, in thesis order.
    appendix
        Every ``report()``-flagged output; those that are a source of a numbered item
        are left out of the appendix.
    provenance
        The loaded ``results/provenance.json``.
    claims
        The loaded ``results/claims.csv``, or None when the claims stage is absent.
    claims_governance
        HTML after the verdicts (:func:`nero.report.governance.governance_html`: the causal
        model, the specification sensitivity, the registry's hash and changelog).
    research_questions
        ``[{"id": "RQ1", "question": ..., "answered_in": [section keys], "claims": [claim ids]}]``; with
        ``claims`` and the verdicts, each question is answered from its claims' verdicts
        (:func:`nero.report.answers.answer_questions`).
    planted
        ``results/truth/planted_vs_recovered.csv`` (synthetic stand-in only), or None: shown after
        the verdicts (:func:`nero.report.planted.planted_html`).
    playbook_html
        The SME Playbook cards (HTML fragment).
    rule_files
        Rule name -> its workdir-relative rule file.
    workdir
        The workflow's working directory (files and ``.snakemake/metadata``).
    """
    builder = ReportBuilder(workdir, rule_files or {}, raw_dir)
    anchors = {}
    for item in items:
        for source in item.source:
            anchors.setdefault(source, f"{item.kind}-{item.number}")
    nav = ['<li><a href="#questions">Research questions</a></li>', '<li><a href="#claims">Claims and verdicts</a></li>']
    parts = []
    rq = research_questions or []
    if rq:
        lis = "".join(
            f"<li><strong>{html.escape(q['id'])}.</strong> {html.escape(q['question'])}"
            + (
                ' <span class="note">Answered in: '
                + "; ".join(
                    f'<a href="#sec-{s}">{html.escape(sections[s])}</a>'
                    for s in q.get("answered_in", [])
                    if s in sections
                )
                + "</span>"
                if q.get("answered_in")
                else ""
            )
            + "</li>"
            for q in rq
        )
        parts.append(f'<h2 id="questions">Research questions</h2><ol class="rq">{lis}</ol>')
        if claims is not None and any("claims" in q for q in rq):  # each answered from its claims' verdicts
            parts.append(answers_html(answer_questions(rq, claims)))
    else:
        parts.append('<h2 id="questions">Research questions</h2><p>None listed in the registry.</p>')
    parts.append(f'<h2 id="claims">Claims and verdicts</h2>{claims_html(claims, anchors)}{claims_governance}')
    if planted is not None:
        nav.append('<li><a href="#planted">Planted versus recovered</a></li>')
        parts.append(f'<h2 id="planted">Planted versus recovered (synthetic stand-in)</h2>{planted_html(planted)}')
    used = [s for s in sections if any(i.section == s for i in items)]
    for key in used:
        nav.append(f'<li><a href="#sec-{key}">{html.escape(sections[key])}</a></li>')
        parts.append(f'<h2 id="sec-{key}">{html.escape(sections[key])}</h2>')
        parts.extend(builder.numbered_item(i, notes.get(i.id, "")) for i in items if i.section == key)
    if playbook_html:
        nav.append('<li><a href="#playbook">Annex E. SME Playbook</a></li>')
        parts.append(
            f'<h2 id="playbook">Annex E. SME Playbook</h2><p class="note">Also as its own page: {_link("results/playbook.html", "playbook.html")}.</p>{playbook_html}'  # noqa: E501
        )
    numbered = {s for i in items for s in i.source}
    rest = [a for a in appendix if a.path not in numbered]
    if rest:
        nav.append('<li><a href="#appendix">Appendix. Other outputs</a></li>')
        parts.append(
            f'<h2 id="appendix">Appendix. Other outputs</h2><p>Every other output a rule flags for the report ({len(rest)}), grouped by stage.</p>'
        )
        by_category: dict[str, list[ReportItem]] = {}
        for a in rest:
            by_category.setdefault(a.category or "Other", []).append(a)
        order = [c for c in CATEGORY_ORDER if c in by_category] + sorted(
            c for c in by_category if c not in CATEGORY_ORDER
        )
        for category in order:
            parts.append(f'<h3 class="cat">{html.escape(category)}</h3>')
            parts.extend(builder.appendix_item(a) for a in sorted(by_category[category], key=lambda a: a.path))
    nav.append('<li><a href="#provenance">Provenance</a></li>')
    parts.append(f'<h2 id="provenance">Provenance</h2>{provenance_html(provenance)}')
    text = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style>{SELF_CHECK}</head><body>"
        f"<h1>{html.escape(title)}</h1>{STUDY_IN_BRIEF}<nav><ul>{''.join(nav)}</ul></nav>"
        + "\n".join(parts)
        + "</body></html>\n"
    )
    return with_csp(_scrub(text, workdir))


def _scrub(text: str, workdir: str | os.PathLike) -> str:
    """Replace any absolute path of the working directory left in ``text`` by a relative one."""
    root = str(Path(workdir).resolve())
    return text.replace(root + "/", "").replace(root, ".") if root != "/" else text


__all__ = ["ReportItem", "build_report", "claims_html", "lineage", "relative"]
