"""Building ``report.html``: self-contained (images inlined as data URIs, no network)."""

from __future__ import annotations

import base64
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

CATEGORY_ORDER = ["Survey", "Study 1", "Measurement and SEM", "fsQCA", "Integration", "Pipeline"]
MAX_TABLE_ROWS = 30

STUDY_IN_BRIEF = """
<p>This report rebuilds a sequential mixed-methods doctoral study of how resource-constrained
SMEs in Singapore scale <em>up</em> (domestic capacity) and scale <em>out</em> (foreign markets) at
once. Its framework, <em>Network Ambidexterity</em>, holds that firms succeed by orchestrating
institutional networks (agencies, grant schemes, associations, trade missions) and virtual
networks (cross-border platforms, online communities, digital ecosystems) together, under an
efficiency-seeking or a market-seeking orientation.</p>
<p><strong>Study 1</strong> codes 13 interviews and assigns each case to one of four scaling
strategies (Institutional Optimizer, Strategic Explorer, Platform Optimizer, Agile Global Scaler).
<strong>Study 2</strong> surveys Singapore SMEs, checks the measurement model, common-method
variance, non-response bias, mediation and moderation, and tests with fsQCA whether the four
configurations are sufficient for superior scale-out performance. The joint display sets each
archetype beside its Study-2 configuration.</p>
<p class="warning"><strong>Synthetic data.</strong> The real interviews and survey are confidential.
Every number here comes from the synthetic stand-in study shipped under <code>data/raw/</code>,
generated from a documented model with known truth.</p>
"""

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin-bottom:.3em}
nav ul{columns:2;font-size:.9em}.item{margin:1.2em 0 2em}
.caption{font-size:.92em;color:#333}.lineage{font-size:.78em;color:#555;background:#f6f6f6;padding:.4em .6em;border-left:3px solid #bbb}
table{border-collapse:collapse;font-size:.8em;margin:.5em 0}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right}
th{background:#eef3f8}td.t{text-align:left}img{max-width:100%;height:auto;border:1px solid #eee}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.8em}.warning{background:#fff4e0;padding:.6em;border-left:4px solid #E69F00}
.note{font-size:.8em;color:#666}.scroll{overflow:auto;max-height:32em;max-width:100%}
"""

SELF_CHECK = """
<script>
window.__reportErrors = [];
window.addEventListener('error', function (e) { window.__reportErrors.push(String(e.message || e.type)); }, true);
window.addEventListener('load', function () {
  var imgs = document.querySelectorAll('img');
  var broken = [];
  for (var i = 0; i < imgs.length; i++) {
    if (!imgs[i].complete || imgs[i].naturalWidth === 0) { broken.push(imgs[i].getAttribute('alt')); }
  }
  document.body.setAttribute('data-images', String(imgs.length));
  document.body.setAttribute('data-broken-images', JSON.stringify(broken));
  document.body.setAttribute('data-errors', JSON.stringify(window.__reportErrors));
  document.body.setAttribute('data-checked', 'yes');
});
</script>
"""


@dataclass(frozen=True)
class ReportItem:
    """One result shown in the report."""

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


def _table_html(path: Path) -> str:
    frame = pd.read_csv(path)
    note = ""
    if len(frame) > MAX_TABLE_ROWS:
        note = f'<p class="note">First {MAX_TABLE_ROWS} of {len(frame)} rows; the full table is <code>{html.escape(str(path))}</code>.</p>'
        frame = frame.head(MAX_TABLE_ROWS)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for value in values:
            if isinstance(value, float):
                if pd.isna(value):
                    cells.append("<td></td>")
                elif value.is_integer() and abs(value) < 1e15:
                    cells.append(f"<td>{int(value)}</td>")
                else:
                    cells.append(f"<td>{value:.3f}</td>")
            elif isinstance(value, (int,)) and not isinstance(value, bool):
                cells.append(f"<td>{value}</td>")
            else:
                cells.append(f'<td class="t">{html.escape(str(value))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>{note}'


def _image_html(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _body_html(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".png":
        return _image_html(path, path.name)
    if suffix == ".csv":
        return _table_html(path)
    if suffix == ".json":
        text = json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2, ensure_ascii=False)
        return f"<pre>{html.escape(text[:20000])}</pre>"
    if suffix == ".pdf":
        return f'<p class="note">PDF version: <code>{html.escape(str(path))}</code></p>'
    return f"<pre>{html.escape(path.read_text(encoding='utf-8', errors='replace')[:20000])}</pre>"


def lineage(workdir: str | os.PathLike, output: str) -> dict | None:
    """The rule, log, params and input checksums Snakemake recorded for ``output``.

    Read from ``.snakemake/metadata/`` (one JSON file per output, named by the
    URL-safe base64 of the output path); run-specific times are left out.
    """
    name = base64.urlsafe_b64encode(output.encode("utf-8")).decode("ascii")
    meta_path = Path(workdir, ".snakemake", "metadata", name)
    if not meta_path.is_file():
        name = base64.b64encode(output.encode("utf-8")).decode("ascii").replace("/", "_")
        meta_path = Path(workdir, ".snakemake", "metadata", name)
        if not meta_path.is_file():
            return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return {
        "rule": meta.get("rule"),
        "log": meta.get("log", []),
        "input": meta.get("input", []),
        "input_checksums": meta.get("input_checksums", {}),
    }


def _lineage_html(info: dict | None, item: ReportItem) -> str:
    if info is None:
        return f'<div class="lineage">Produced by rule <code>{html.escape(item.rule)}</code>.</div>'
    inputs = info["input"]
    shown = ", ".join(f"<code>{html.escape(p)}</code>" for p in inputs[:12])
    more = f" and {len(inputs) - 12} more" if len(inputs) > 12 else ""
    logs = ", ".join(f"<code>{html.escape(p)}</code>" for p in info["log"])
    return (
        f'<div class="lineage">Produced by rule <code>{html.escape(info["rule"] or item.rule)}</code> '
        f"(log {logs or 'none'}) from {shown or 'no inputs'}{more}.</div>"
    )


def _provenance_html(provenance: dict) -> str:
    raw = provenance.get("raw_inputs", {})
    rows = "".join(f'<tr><td class="t"><code>{html.escape(k)}</code></td><td class="t"><code>{v}</code></td></tr>' for k, v in raw.items())
    git = provenance.get("code", {}).get("git", {})
    software = provenance.get("software", {})
    packages = software.get("packages", {})
    key = ["snakemake", "numpy", "pandas", "scipy", "statsmodels", "semopy", "pandera", "matplotlib", "krippendorff", "lxml", "pyreadstat"]
    pk = "".join(f'<tr><td class="t">{p}</td><td class="t">{html.escape(packages.get(p, "not installed"))}</td></tr>' for p in key)
    return (
        "<h3>Raw inputs (sha256)</h3>"
        f"<table><thead><tr><th>file</th><th>sha256</th></tr></thead><tbody>{rows}</tbody></table>"
        "<h3>Code</h3>"
        f"<p>git commit <code>{html.escape(str(git.get('commit')))}</code> (uncommitted changes: {git.get('dirty')}); "
        f"source fingerprint <code>{html.escape(str(provenance.get('code', {}).get('source_sha256')))}</code>; "
        f"seed {provenance.get('seed')}.</p>"
        f"<h3>Software</h3><p>Python {html.escape(str(software.get('python')))} on {html.escape(str(software.get('platform')))}.</p>"
        f"<table><thead><tr><th>package</th><th>version</th></tr></thead><tbody>{pk}</tbody></table>"
        f'<p class="note">All {len(packages)} package versions are in <code>results/provenance.json</code>.</p>'
    )


def build_report(items: list[ReportItem], provenance_path: str | os.PathLike, workdir: str | os.PathLike = ".", title: str = "Network Ambidexterity: examiner's report") -> str:
    """Return the report's HTML text.

    Parameters
    ----------
    items
        The flagged results (paths relative to ``workdir``).
    provenance_path
        ``results/provenance.json``.
    workdir
        The workflow's working directory (for the files and ``.snakemake/metadata``).
    """
    workdir = Path(workdir)
    provenance = json.loads(Path(provenance_path).read_text(encoding="utf-8"))
    by_category: dict[str, list[ReportItem]] = {}
    for item in items:
        by_category.setdefault(item.category or "Other", []).append(item)
    order = [c for c in CATEGORY_ORDER if c in by_category] + sorted(c for c in by_category if c not in CATEGORY_ORDER)
    nav, sections = [], []
    for number, category in enumerate(order, start=1):
        anchor = f"s{number}"
        nav.append(f'<li><a href="#{anchor}">{html.escape(category)}</a></li>')
        parts = [f'<h2 id="{anchor}">{number}. {html.escape(category)}</h2>']
        for item in sorted(by_category[category], key=lambda i: i.path):
            path = workdir / item.path
            caption = _rst_to_html(Path(workdir, item.caption).read_text(encoding="utf-8")) if item.caption else ""
            parts.append(
                f'<div class="item"><h3><code>{html.escape(item.path)}</code></h3><div class="caption">{caption}</div>'
                f"{_body_html(path)}{_lineage_html(lineage(workdir, item.path), item)}</div>"
            )
        sections.append("\n".join(parts))
    nav.append('<li><a href="#provenance">Provenance</a></li>')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{CSS}</style>{SELF_CHECK}</head><body>"
        f"<h1>{html.escape(title)}</h1>{STUDY_IN_BRIEF}<nav><ul>{''.join(nav)}</ul></nav>"
        + "\n".join(sections)
        + f'<h2 id="provenance">Provenance</h2>{_provenance_html(provenance)}'
        + "</body></html>\n"
    )
