"""Hostile inputs stay data: an allowed outside folder is read and recorded; markup from the raw
inputs (transcripts, code names, memos, survey answers, bibliographic records) never becomes live
markup in a page, a notebook or an export; a missed escape is stopped by the pages' CSP (browser)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from badinput_corpus import INT01_PATH, RAW, REPO, copy_interviews, int01_text, rewrite_qde
from hostile_markup import HOSTILE, PAYLOADS, PWNED, page_title
from test_corpus import run_cli

from nero.manuscript.export import table_exports
from nero.manuscript.playbook import Card, cards_html, playbook_page
from nero.markup import html_text, live_markup, quote_html
from nero.report import ReportItem, build_report
from nero.report.browser import check_page, find_chromium, load_page
from nero.report.notebook import notebook_html
from nero.report.page import table_html

chromium = pytest.mark.skipif(
    find_chromium() is None, reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it)"
)


# ------------------------------------------------------------------ the scanner itself


def test_the_scanner_finds_every_payload_live_and_none_once_escaped():
    found = live_markup(f"<html><head></head><body>{HOSTILE}</body></html>")
    assert "<script> outside <head>" in found and "<img onerror=...>" in found and "<svg onload=...>" in found
    assert "<a href=javascript:...>" in found and "<img src=http://127.0.0.1:9/remote.png>" in found
    assert "<iframe>" in found
    assert live_markup(f"<html><head><script>own()</script></head><body>{html_text(HOSTILE)}</body></html>") == []
    assert (
        live_markup('<html><body><a href="https://doi.org/10.1/x">doi</a></body></html>') == []
    )  # a link is not a load


# ------------------------------------------------------------------ an allowed outside folder


def _allowed_root_project(root: Path, text: str) -> tuple[Path, Path]:
    outside = root / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    source = outside / "INT01.txt"
    source.write_text(text, encoding="utf-8", newline="")
    copy_interviews(root)
    rewrite_qde(root, lambda x: x.replace(INT01_PATH, 'plainTextPath="relative://../../outside/INT01.txt"', 1))
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    config["qual"]["allowed_source_roots"] = [str(outside)]
    (root / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return source, root / "config.yaml"


def test_a_configured_allowed_root_is_read_and_its_checksum_recorded_for_the_audit(tmp_path):
    from nero.provenance.comparison import compare_json

    source, config = _allowed_root_project(tmp_path, int01_text())
    project = str(tmp_path / "in" / "interviews" / "study1.qdpx")
    status, message = run_cli(["qual", "import", project, "--out", str(tmp_path / "out")])
    assert status == 2 and "outside the raw folder" in message  # without the config: refused
    status, message = run_cli(["qual", "import", project, "--out", str(tmp_path / "out"), "--config", str(config)])
    assert status == 0, message
    meta = json.loads((tmp_path / "out" / "project.json").read_text(encoding="utf-8"))
    location = f"{tmp_path / 'outside'}/INT01.txt"
    assert meta["external_files"] == [
        {
            "location": location,
            "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            "bytes": source.stat().st_size,
        }
    ]
    assert [s["location"] for s in meta["sources"] if s["name"] == "INT01_FirmA"] == [location]
    assert any("outside the raw folder (an allowed root)" in w for w in meta["warnings"])
    # the same text as the shipped archive member: the same selections as the reference build
    reference = pd.read_csv(REPO / "results-reference" / "study1" / "selections.csv", dtype=str, keep_default_na=False)
    rebuilt = pd.read_csv(tmp_path / "out" / "selections.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(rebuilt, reference)
    # the outside file changes (one character): project.json changes where the audit compares it
    source.write_text(int01_text().replace("the ", "thE ", 1), encoding="utf-8", newline="")
    status, message = run_cli(["qual", "import", project, "--out", str(tmp_path / "out2"), "--config", str(config)])
    assert status == 0, message
    problem, diffs = compare_json(tmp_path / "out" / "project.json", tmp_path / "out2" / "project.json", "project.json")
    assert problem is not None or diffs, "the audit does not see the outside file change"
    assert "external_files" in json.dumps([str(d) for d in diffs]) + str(problem)


def test_an_archive_source_needs_no_root_and_records_no_external_file(tmp_path):
    copy_interviews(tmp_path)
    status, message = run_cli(
        ["qual", "import", str(tmp_path / "in" / "interviews" / "study1.qdpx"), "--out", str(tmp_path / "out")]
    )
    assert status == 0, message
    meta = json.loads((tmp_path / "out" / "project.json").read_text(encoding="utf-8"))
    assert "external_files" not in meta


def test_a_transcript_beside_the_project_is_read_and_named_relative_to_the_raw_folder(tmp_path):
    folder = copy_interviews(tmp_path, transcripts=True)
    rewrite_qde(tmp_path, lambda x: x.replace(INT01_PATH, 'plainTextPath="relative://transcripts/INT01_FirmA.txt"', 1))
    (tmp_path / "in" / "MANIFEST.sha256").write_text("", encoding="utf-8")  # marks in/ as the raw folder
    status, message = run_cli(["qual", "import", str(folder / "study1.qdpx"), "--out", str(tmp_path / "out")])
    assert status == 0, message
    meta = json.loads((tmp_path / "out" / "project.json").read_text(encoding="utf-8"))
    assert [s["location"] for s in meta["sources"] if s["name"] == "INT01_FirmA"] == [
        "interviews/transcripts/INT01_FirmA.txt"
    ]
    assert "external_files" not in meta and str(tmp_path) not in json.dumps(meta["sources"])


# ------------------------------------------------------------------ hostile text into pages and exports


def hostile_cards() -> list[Card]:
    return [
        Card(
            title=f"Strategy {HOSTILE}",
            configuration=f"INST*{HOSTILE}",
            archetypes=[HOSTILE],
            build=[HOSTILE],
            first=[HOSTILE],
            avoid=[HOSTILE],
            either=[HOSTILE],
            members=3,
            scaled_out=2,
            typical=1,
            deviant=1,
            robustness=HOSTILE,
            quote=HOSTILE,
            quote_from=HOSTILE,
            evidence=[[HOSTILE, "#table-48"]],
        )
    ]


def hostile_report(root: Path) -> str:
    """A report whose every raw-derived field (tables, claims, questions, appendix CSV/JSON/text, provenance
    file names, Playbook cards) holds the payloads."""
    results = root / "results" / "x"
    results.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"code_path": [f"Enablers/{HOSTILE}"], "text": [HOSTILE], "n": [3]}).to_csv(
        results / "quotes.csv", index=False
    )
    (results / "memo.json").write_text(json.dumps({"memo": HOSTILE}), encoding="utf-8")
    (results / "notes.txt").write_text(HOSTILE, encoding="utf-8")
    claims = pd.DataFrame(
        {
            "claim_id": ["H1"],
            "statement": [HOSTILE],
            "analysis": [HOSTILE],
            "verdict": ["supported"],
            "flags": [HOSTILE],
            "figures": [HOSTILE],
            "rule": [HOSTILE],
            "evidence": ["x/quotes.csv"],
            "power_planted": [0.5],
            "power_planted_replications": [10],
            "decidable": [False],
            "design_note": [HOSTILE],
            "design_reference": [f"design reference: STALE, {HOSTILE}"],
        }
    )
    planted = pd.DataFrame(
        {
            "kind": ["claim", "parameter"],
            "name": ["H1", HOSTILE],
            "planted": [HOSTILE, 0.5],
            "expected": [HOSTILE, HOSTILE],
            "recovered": [HOSTILE, 0.4],
            "ci_low": [None, 0.1],
            "ci_high": [None, 0.7],
            "source": [HOSTILE, HOSTILE],
            "agrees": [True, HOSTILE],
            "reading": [HOSTILE, HOSTILE],
        }
    )
    appendix = [
        ReportItem(f"results/x/{name}", "qual_import", "Study 1") for name in ("quotes.csv", "memo.json", "notes.txt")
    ]
    return build_report(
        items=[],
        notes={},
        sections={},
        appendix=appendix,
        claims=claims,
        provenance={"raw_inputs": {f"interviews/{HOSTILE}.txt": "0" * 64}, "code": {}, "software": {}},
        research_questions=[{"id": "RQ1", "question": HOSTILE, "claims": ["H1"]}],
        planted=planted,
        playbook_html=cards_html(hostile_cards()),
        workdir=root,
    )


def hostile_notebook(markdown_quote: bool = False) -> dict:
    """A notebook whose outputs show the payloads as the study notebooks do (escaped quote blocks, DataFrames,
    printed text); with ``markdown_quote`` also the way the Study 1 notebook used to (a Markdown output)."""
    import nbformat

    book = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()")
    frame = pd.DataFrame({"case": ["Firm A"], "text": [HOSTILE]})
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": quote_html(HOSTILE, f"Firm A, {HOSTILE}"),
                "text/plain": "<IPython.core.display.HTML object>",
            },
        ),
        nbformat.v4.new_output("display_data", data={"text/html": frame._repr_html_(), "text/plain": repr(frame)}),
        nbformat.v4.new_output("stream", name="stdout", text=HOSTILE + "\n"),
    ]
    if markdown_quote:
        cell.outputs.append(
            nbformat.v4.new_output("display_data", data={"text/markdown": f"> {HOSTILE}\n>\n> *Firm A*"})
        )
    book.cells = [nbformat.v4.new_markdown_cell("# Study 1"), cell]
    return book


def test_report_and_playbook_hold_every_payload_as_text(tmp_path):
    text = hostile_report(tmp_path)
    assert live_markup(text) == []
    assert text.count(html_text(PAYLOADS[0])) >= 20  # the payload is there, as text, in every field
    playbook = playbook_page(hostile_cards())
    assert live_markup(playbook) == [] and html_text(PAYLOADS[0]) in playbook
    assert "script-src &#x27;none&#x27;; style-src &#x27;unsafe-inline&#x27;; img-src data:" in playbook


def test_a_hostile_survey_answer_stays_data_through_cleaning(tmp_path):
    """A text-entry firm variable carrying the payloads: dropped by out_of_range, quoted in the exclusion
    log as data, and shown escaped in the report table and in a notebook's DataFrame."""
    from badinput_corpus import copy_survey, set_cell, wave_file

    copy_survey(tmp_path)
    dropped = set(pd.read_csv(REPO / "results-reference" / "survey" / "exclusion_log.csv", dtype=str)["ResponseId"])
    wave = pd.read_csv(wave_file(tmp_path), dtype=str, skiprows=[1, 2])
    row = next(i for i, rid in enumerate(wave["ResponseId"]) if rid not in dropped) + 4  # a usable response
    set_cell(row, "Q10", HOSTILE)(tmp_path)  # Q10: employees, a text-entry firm variable
    out = tmp_path / "out"
    status, message = run_cli(
        [
            "survey",
            "clean",
            str(tmp_path / "in" / "survey"),
            "--codebook",
            str(tmp_path / "in" / "codebook.yaml"),
            "--out",
            str(out),
        ]
    )
    assert status == 0, message
    log = pd.read_csv(out / "exclusion_log.csv", dtype=str, keep_default_na=False)
    hostile_rows = log[log.apply(lambda row: PAYLOADS[0] in " ".join(row), axis=1)]
    assert len(hostile_rows) == 1 and hostile_rows.iloc[0]["rule"] == "out_of_range"
    assert live_markup(f"<html><body>{table_html(log, 'log')}</body></html>") == []
    assert live_markup(f"<html><body>{log._repr_html_()}</body></html>") == []


def test_a_hostile_bibliographic_record_stays_data(tmp_path):
    from nero.slr.readers import read_export

    source = RAW / "slr" / "searches" / "scopus_supplement" / "scopus.ris"
    text = source.read_text(encoding="utf-8")
    title = re.search(r"^TI  - (.*)$", text, re.M).group(1)
    hostile = text.replace(f"TI  - {title}", f"TI  - {HOSTILE}", 1)
    if "\nAB  - " in hostile:
        hostile = re.sub(r"^AB  - .*$", f"AB  - {HOSTILE}", hostile, count=1, flags=re.M)
    else:
        hostile = hostile.replace(f"TI  - {HOSTILE}", f"TI  - {HOSTILE}\nAB  - {HOSTILE}", 1)
    path = tmp_path / "scopus.ris"
    path.write_text(hostile, encoding="utf-8")
    _, records = read_export(path)
    assert records.iloc[0]["title"] == HOSTILE  # kept verbatim as data
    assert HOSTILE in set(records["abstract"])
    page = f"<html><body>{table_html(records[['title', 'abstract']], 'records')}</body></html>"
    assert live_markup(page) == [] and html_text(PAYLOADS[3]) in page


def test_exports_escape_latex_and_neutralise_formulas():
    frame = pd.DataFrame(
        {
            "Code": [HOSTILE, '=HYPERLINK("http://127.0.0.1:9","x")', "@SUM(A1)"],
            "Quote": [r"\input{/etc/passwd} 100% $x$ #1 a_b {c} ~d ^e", "+cmd|' /C calc'!A0", "ok"],
            "r": ["-.12*", "-0.50", "\u2014"],
        }
    )
    files = table_exports(frame, "Table 1", "coding_scheme", f"Title {PAYLOADS[0]} & 50%", f"Note {HOSTILE} $")
    csv_rows = pd.read_csv(__import__("io").BytesIO(files["csv"]), dtype=str, keep_default_na=False)
    assert csv_rows["Code"].tolist()[1:] == ['\'=HYPERLINK("http://127.0.0.1:9","x")', "'@SUM(A1)"]
    assert csv_rows["Quote"].tolist()[1] == "'+cmd|' /C calc'!A0"
    assert csv_rows["r"].tolist() == ["-.12*", "-0.50", "\u2014"]  # figures unchanged
    tex = files["tex"].decode("utf-8")
    # the exporter's own line-break points (after a "/" or "*" inside a long term) are the only
    # markup it adds to a cell; without them the cell is the escaped text, whole
    assert (
        r"\textbackslash{}input\{/\allowbreak{}etc/\allowbreak{}passwd\} 100\% \$x\$ \#1 a\_b \{c\} "
        r"\textasciitilde{}d \textasciicircum{}e" in tex
    )
    assert (
        r"\textbackslash{}input\{/etc/passwd\} 100\% \$x\$ \#1 a\_b \{c\} \textasciitilde{}d \textasciicircum{}e"
        in tex.replace(r"\allowbreak{}", "")
    )
    assert r"\input{" not in tex
    # caption and note escaped too: the payload's text is there, its markup is not
    assert r"\& 50\%" in tex and "PWNED" in tex and "<script>" not in tex and "<" not in tex.replace("$<$", "")


@pytest.mark.skipif(
    shutil.which("pdflatex") is None, reason="pdflatex is not installed (Debian: texlive-latex-recommended)"
)
def test_hostile_latex_table_compiles_and_prints_the_text(tmp_path):
    """TeX itself reads the export: it compiles (no \\input of another file, no stray special character)
    and the PDF's text holds the hostile cell as written."""
    import subprocess

    cell = r"\input{/etc/hostname} 100% $x$ #1 a_b {c} ~d ^e & f"
    frame = pd.DataFrame({"Code": ["Enablers/Founder networks"], "Quote": [cell]})
    tex = table_exports(frame, "Table 1", "coding_scheme", "Title & 50%", "Note $ # _")["tex"].decode("utf-8")
    needs = re.search(r"\\usepackage\{([^}]*)\}", tex.splitlines()[0])  # the export's "% Needs:" comment
    packages = needs.group(1) if needs else "booktabs,longtable"
    document = (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{" + packages + "}"
        "\\begin{document}\n" + tex + "\\end{document}\n"
    )
    (tmp_path / "t.tex").write_text(document, encoding="utf-8")
    proc = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "t.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "/etc/hostname" not in " ".join(line for line in proc.stdout.splitlines() if line.startswith("("))
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "t.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
        assert "input{/etc/hostname} 100% $x$ #1 a_b {c}" in text.replace("\n", " ")


def test_notebook_page_shows_hostile_quotes_as_text_and_carries_the_csp():
    page = notebook_html(hostile_notebook(), "x.html")
    assert live_markup(page) == []
    assert html_text("<script>document.title=") in page or "&lt;script&gt;document.title=" in page
    assert page.count('http-equiv="Content-Security-Policy"') == 1
    # a quote shown as Markdown (as the Study 1 notebook used to) becomes live markup: the page is refused
    with pytest.raises(ValueError, match=r"y.html: the page would run or load .*<script> outside <head>.*onerror"):
        notebook_html(hostile_notebook(markdown_quote=True), "y.html")


def unchecked_notebook_page(book: dict) -> str:
    """What a notebook page would be without the check of :func:`notebook_html` (a missed escape), CSP kept."""
    import nbformat
    from nbconvert import HTMLExporter

    from nero.markup import with_csp
    from nero.outputs import self_contained_html

    page, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.from_dict(book))
    return with_csp(self_contained_html(page))


def test_study1_notebook_shows_quotes_escaped_not_as_markdown(repo_root):
    book = json.loads((repo_root / "notebooks" / "study1_qualitative.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in book["cells"] if c["cell_type"] == "code")
    assert 'Markdown(f"> {row' not in code and 'quote_html(row["text"]' in code
    audit = json.loads((repo_root / "notebooks" / "examiner_audit.ipynb").read_text(encoding="utf-8"))
    assert 'format(escape="html")' in "\n".join("".join(c["source"]) for c in audit["cells"])


# ------------------------------------------------------------------ in the browser


@chromium
def test_hostile_report_runs_nothing_and_loads_nothing_in_chromium(tmp_path):
    page = tmp_path / "results" / "report.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(hostile_report(tmp_path), encoding="utf-8")
    result = check_page(page)
    assert result["checked"], result  # the page's own script ran under its CSP
    assert "default-src 'none'" in result["csp"] and "img-src data:" in result["csp"]
    assert result["errors"] == [] and result["remote"] == [] and result["csp_violations"] == []
    dom, _ = load_page(page)
    assert PWNED not in page_title(dom) and live_markup(dom) == []


@chromium
def test_a_missed_escape_is_stopped_by_the_csp_in_chromium(tmp_path):
    page = tmp_path / "results" / "report.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(hostile_report(tmp_path).replace("</body>", HOSTILE + "</body>"), encoding="utf-8")
    result = check_page(page)
    assert result["checked"], result
    blocked = result["csp_violations"]
    assert "script-src-elem inline" in blocked, blocked  # the <script>
    assert blocked.count("script-src-attr inline") == 2, blocked  # onerror and onload
    assert "img-src http://127.0.0.1:9/remote.png" in blocked and "frame-src http://127.0.0.1:9" in blocked, blocked
    dom, _ = load_page(page)
    assert PWNED not in page_title(dom)


@chromium
def test_playbook_and_notebook_pages_run_no_injected_code_in_chromium(tmp_path):
    pages = {
        "playbook.html": playbook_page(hostile_cards()).replace("</body>", HOSTILE + "</body>"),
        "notebook.html": unchecked_notebook_page(hostile_notebook(markdown_quote=True)),
    }
    for name, text in pages.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        dom, console = load_page(path)
        assert PWNED not in page_title(dom), name
        blocked = "\n".join(line for line in console if "Content Security Policy" in line)
        for what in (
            "Executing inline script",
            "Executing inline event handler",
            "Loading the image 'http://127.0.0.1:9/remote.png'",
            "Framing 'http://127.0.0.1:9/",
        ):
            assert what in blocked, (name, what, console[-8:])
