"""The examiner's report: thesis order, complete tables, no machine paths, no network, loads in a browser."""

import json
import re

import pandas as pd
import pytest

from nero.figures import figure, save_figure
from nero.manuscript.build import make_table
from nero.manuscript.playbook import Card, cards_html
from nero.manuscript.registry import load_registry, resolve
from nero.markup import csp_meta, inline_scripts
from nero.report import ReportItem, build_report
from nero.report.browser import check_page, find_chromium
from nero.report.page import COLLAPSE_ROWS

REGISTRY = {
    "research_questions": [{"id": "RQ1", "question": "Which configurations suffice?", "answered_in": ["fsqca"]}],
    "sections": {"study1": "Study 1", "fsqca": "fsQCA"},
    "items": [
        {
            "id": "long_table",
            "kind": "table",
            "section": "fsqca",
            "title": "A long table",
            "source": ["results/x/long.csv"],
            "builder": "copy",
            "note": "N = {n} firms; {rows} rows.",
            "caption": "Every row.",
        },
        {
            "id": "plot",
            "kind": "figure",
            "section": "fsqca",
            "title": "A plot",
            "source": ["results/x/plot.png"],
            "note": "A note.",
        },
        {
            "id": "wide_table",
            "kind": "table",
            "section": "study1",
            "title": "A wide table",
            "source": ["results/x/wide.csv"],
            "builder": "copy",
            "note": "Wide.",
        },
        {
            "id": "missing",
            "kind": "table",
            "section": "study1",
            "title": "Not made here",
            "source": ["results/x/nothing.csv"],
            "builder": "copy",
            "note": "",
        },
    ],
}


@pytest.fixture()
def small_study(tmp_path):
    results = tmp_path / "results" / "x"
    results.mkdir(parents=True)
    fig, ax = figure(3, 2)
    ax.plot([0, 1, 2], [1, 0, 2])
    save_figure(fig, [results / "plot.png"])
    n_long = COLLAPSE_ROWS + 15
    pd.DataFrame(
        {
            "term": [f"T{i}" for i in range(n_long)],
            "p": [0.0004 + i / 1000 for i in range(n_long)],
            "inclS": [0.912345] * n_long,
            "n": [218] * n_long,
        }
    ).to_csv(results / "long.csv", index=False)
    pd.DataFrame({f"a_very_long_column_name_{i}": [f"some long text value number {i} " * 3] for i in range(30)}).to_csv(
        results / "wide.csv", index=False
    )
    (results / "extra.csv").write_text("chi2,cfi,rmsea\n85.306,0.99123,0.0345\n")
    (tmp_path / "caption.rst").write_text("The *extra* table, from ``cmv``.\n")
    (tmp_path / "results" / "provenance.json").write_text(
        json.dumps(
            {
                "raw_inputs": {"survey/wave-1/export.csv": "ab" * 32},
                "seed": 1,
                "code": {"git": {"commit": "abc", "dirty": False}, "source_sha256": "cd" * 32},
                "software": {"python": "3.11.7", "platform": "Linux", "packages": {"snakemake": "9.27.1"}},
            }
        )
    )
    sections, items = load_registry(REGISTRY)
    items = resolve(items, lambda p: (tmp_path / p).exists())
    notes = {}
    (tmp_path / "results" / "tables").mkdir()
    for item in items:
        if item.kind == "table":
            sources = {p: pd.read_csv(tmp_path / p) for p in item.source}
            files = make_table(item, sources, {"codebook": {}, "coder": "coder-a"})
            for ext, data in files.items():
                (tmp_path / f"{item.stem}.{ext}").write_bytes(data)
            notes[item.id] = json.loads(files["json"])["note"]
        else:
            notes[item.id] = item.note
    appendix = [
        ReportItem("results/x/extra.csv", "fit_cmv", "Measurement and SEM", "caption.rst"),
        ReportItem("results/x/long.csv", "make_long", "fsQCA", None),
    ]
    claims = pd.DataFrame(
        [
            {
                "claim_id": "c1",
                "study": "Study 2",
                "statement": "Equifinality holds.",
                "analysis": "fsQCA",
                "statistic": "configurations",
                "rule": "n >= 2",
                "figures": "n = 4 >= 2: pass",
                "verdict": "supported",
                "flags": "",
                "evidence": "x/long.csv",
            }
        ]
    )
    cards = [
        Card(
            title="Agile Global Scaler",
            configuration="VIRT*MKT*CAP",
            archetypes=["Agile Global Scaler"],
            build=["a digital presence"],
            members=2,
            scaled_out=1,
            typical=1,
            deviant=1,
            quote="We sell online.",
            quote_from="an interviewed software firm",
            robustness="robust",
        )
    ]
    kwargs = dict(
        items=items,
        notes=notes,
        sections=sections,
        appendix=appendix,
        research_questions=REGISTRY["research_questions"],
        provenance=json.loads((tmp_path / "results" / "provenance.json").read_text()),
        playbook_html=cards_html(cards),
        rule_files={"fit_cmv": "workflow/rules/sem.smk"},
        workdir=tmp_path,
    )
    return tmp_path, items, kwargs, claims, n_long


def test_registry_numbers_only_what_the_workflow_makes(small_study):
    _, items, _, _, _ = small_study
    assert [(i.kind, i.number, i.id) for i in items] == [
        ("table", 1, "long_table"),
        ("figure", 1, "plot"),
        ("table", 2, "wide_table"),
    ]


def test_report_in_thesis_order_with_claims_first(small_study):
    root, _, kwargs, claims, n_long = small_study
    text = build_report(claims=claims, **kwargs)
    order = [
        text.index(s)
        for s in (
            'id="questions"',
            'id="claims"',
            'id="sec-study1"',
            'id="sec-fsqca"',
            'id="playbook"',
            'id="appendix"',
            'id="provenance"',
        )
    ]
    assert order == sorted(order)
    assert (
        "Table 2. <em>A wide table</em>" in text
        and "Table 1. <em>A long table</em>" in text
        and "Figure 1. <em>A plot</em>" in text
    )
    assert text.index("Table 2. <em>A wide") < text.index(
        "Table 1. <em>A long"
    )  # sections in thesis order, numbers from the registry
    assert 'class="verdict v-yes">supported' in text and 'href="x/long.csv"' in text and 'href="#table-1"' in text
    for ext in ("csv", "tex", "docx", "json"):  # every exported file of a table is linked, its note (JSON) too
        assert f'href="tables/table_01_long_table.{ext}"' in text
    assert "N = 218 firms; 40 rows." in text.replace(str(n_long), "40") or f"N = 218 firms; {n_long} rows." in text


def test_tables_complete_rounded_apa_and_collapsed_when_long(small_study):
    _, _, kwargs, claims, n_long = small_study
    text = build_report(claims=claims, **kwargs)
    long_table = re.search(r'<table id="table-1" data-rows="(\d+)">(.*?)</table>', text, re.S)
    assert int(long_table.group(1)) == n_long and long_table.group(2).count("<tr>") == n_long + 1  # header + every row
    assert "&lt; .001" in text and ".912" in text and "0.912" not in long_table.group(2)
    assert f"All {n_long} rows" in text and "<details>" in text
    assert "85.31" in text and ".991" in text  # the appendix table is rounded too (chi2 two decimals, CFI bounded)
    assert "Not made here" not in text


def test_appendix_keeps_unregistered_outputs_only(small_study):
    _, _, kwargs, claims, _ = small_study
    text = build_report(claims=claims, **kwargs)
    appendix = text[text.index('id="appendix"') : text.index('id="provenance"')]
    assert "x/extra.csv" in appendix and "<em>extra</em>" in appendix
    assert "x/long.csv</h3>" not in appendix  # numbered as Table 1, so not repeated


def test_absent_claims_are_said_plainly(small_study):
    _, _, kwargs, _, _ = small_study
    text = build_report(claims=None, **kwargs)
    assert "results/claims.csv</code> is absent" in text and "no verdict" in text


def test_no_machine_paths_and_no_network(small_study):
    root, _, kwargs, claims, _ = small_study
    text = build_report(claims=claims, **kwargs)
    assert str(root) not in text and "/tmp/" not in text
    assert not re.search(r'(src|href)="(https?:)?//', text)


def test_report_carries_a_csp_that_vouches_for_its_self_check_only(small_study):
    from nero.markup import script_hash
    from nero.report.page import SELF_CHECK

    _, _, kwargs, claims, _ = small_study
    text = build_report(claims=claims, **kwargs)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text).group(1)
    own = SELF_CHECK.strip().removeprefix("<script>").removesuffix("</script>")
    assert text.index("Content-Security-Policy") < text.index("<script>") < text.index("</head>")
    assert policy.replace("&#x27;", "'") == (
        f"default-src 'none'; script-src {script_hash(own)}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
    )


def test_report_is_deterministic(small_study):
    _, _, kwargs, claims, _ = small_study
    assert build_report(claims=claims, **kwargs) == build_report(claims=claims, **kwargs)


chromium = pytest.mark.skipif(
    find_chromium() is None, reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it)"
)


@chromium
def test_report_loads_in_headless_chromium_with_every_row_and_nothing_clipped(small_study):
    root, items, kwargs, claims, _ = small_study
    page = root / "results" / "report.html"
    page.write_text(build_report(claims=claims, **kwargs))
    result = check_page(page)
    assert result["checked"], result
    assert result["images"] == 1 and result["tables"] >= 5
    assert result["broken_images"] == [] and result["errors"] == [] and result["console_errors"] == []
    assert result["table_row_issues"] == [] and result["table_overflow"] == [] and result["remote"] == []
    assert result["csp"].startswith("default-src 'none'; script-src 'sha256-") and result["csp_violations"] == []


@chromium
def test_browser_check_catches_cut_tables_overflow_remote_and_errors(small_study):
    root, _, kwargs, claims, _ = small_study
    good = build_report(claims=claims, **kwargs)
    bad = good.replace('src="data:image/png;base64,', 'src="data:image/png;base64,AAAA', 1)
    # an error in the page's own code (a script its CSP vouches for) is reported
    own = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', bad).group(0)
    bad = bad.replace(own, csp_meta([*inline_scripts(good.split("</head>")[0]), "undefinedFunctionCall();"]))
    bad = bad.replace("</head>", "<script>undefinedFunctionCall();</script></head>")
    bad = re.sub(r"(<table id=\"table-1\".*?<tbody>)<tr>.*?</tr>", r"\1", bad, count=1, flags=re.S)  # drop a row
    bad = bad.replace('<div class="scroll"><table id="table-2"', '<div style="overflow:visible"><table id="table-2"', 1)
    bad = bad.replace("</body>", '<img alt="remote" src="http://127.0.0.1:9/x.png"></body>')
    page = root / "results" / "broken.html"
    page.write_text(bad)
    result = check_page(page)
    assert "plot" in " ".join(map(str, result["broken_images"]))
    assert any("undefinedFunctionCall" in e for e in result["errors"])
    assert any(issue.startswith("table-1:") for issue in result["table_row_issues"])
    assert any(issue.startswith("table-2:") for issue in result["table_overflow"])
    assert any("127.0.0.1" in url for url in result["remote"])


def test_executed_notebook_keeps_outputs_and_drops_run_metadata():
    import nbformat

    from nero.report.notebook import strip_run_metadata

    book = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    cell.metadata["execution"] = {"iopub.status.busy": "2026-11-29T09:34:34.219487Z"}
    cell.metadata["papermill"] = {"duration": 0.02, "start_time": "t0", "end_time": "t1", "status": "completed"}
    injected = nbformat.v4.new_code_cell('results_dir = "results"')
    injected.metadata["tags"] = ["injected-parameters"]
    book.cells = [injected, cell]
    book.metadata["papermill"] = {
        "duration": 2.9,
        "start_time": "t0",
        "end_time": "t1",
        "parameters": {"results_dir": "results"},
        "output_path": "/tmp/somewhere/results/notebooks/.x.ipynb.abc123.ipynb",
    }
    clean = strip_run_metadata(book, "results/notebooks/x.ipynb")
    assert clean.metadata.papermill == {
        "parameters": {"results_dir": "results"},
        "output_path": "results/notebooks/x.ipynb",
    }
    assert clean.cells[0].id == "injected-parameters"
    assert clean.cells[1].metadata == {"papermill": {"status": "completed"}}
    assert clean.cells[1].outputs == cell.outputs and clean.cells[1].id == cell.id
    assert "2026" not in nbformat.writes(clean) and "/tmp" not in nbformat.writes(clean)
    assert book.metadata.papermill["duration"] == 2.9  # the input is not modified


def test_executed_notebook_keeps_one_parameters_cell_the_values_the_run_used():
    """Papermill keeps the notebook's defaults cell and injects a second: the page showed two parameters cells."""
    import nbformat

    from nero.report.notebook import single_parameters_cell

    book = nbformat.v4.new_notebook()
    defaults = nbformat.v4.new_code_cell('results_dir = "results"')
    defaults.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell('# Parameters\nresults_dir = "/elsewhere"\n')
    injected.metadata["tags"] = ["injected-parameters"]
    work = nbformat.v4.new_code_cell("1 + 1")
    work.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=3)]
    for count, cell in enumerate([defaults, injected, work], start=1):
        cell.execution_count = count
    book.cells = [nbformat.v4.new_markdown_cell("# Title"), defaults, injected, work]
    one = single_parameters_cell(book)
    code = [c for c in one.cells if c.cell_type == "code"]
    assert [c.source for c in code] == [injected.source, "1 + 1"]
    assert code[0].metadata["tags"] == ["parameters", "injected-parameters"]
    assert [c.execution_count for c in code] == [1, 2] and code[1].outputs[0]["execution_count"] == 2
    assert len(book.cells) == 4  # the input is not modified
    plain = nbformat.v4.new_notebook()
    plain.cells = [defaults, work]
    assert [c.source for c in single_parameters_cell(plain).cells] == [
        defaults.source,
        "1 + 1",
    ]  # no injected cell: kept


def test_notebook_tables_are_rounded_without_index_nan_exponent_or_cut_cells():
    import pandas as pd

    from nero.report.notebook import table_html, table_text

    long_text = "a case list " * 40
    frame = pd.DataFrame(
        {
            "term": ["INST:VIRT", "<script>x</script>"],
            "b": [0.24647763, -1.5],
            "p": [3.5007748e-12, 0.0532],
            "vif": [float("nan"), 1.0585667],
            "cases": [long_text, ""],
        }
    )
    text, page = table_text(frame), table_html(frame, "results/sem/x.csv (2 rows)")
    for shown in (text, page):
        assert "e-" not in shown and "NaN" not in shown and "nan" not in shown and long_text.strip() in shown
        assert "< .001" in shown.replace("&lt;", "<") and "0.25" in shown and ".053" in shown
    assert not text.splitlines()[1].startswith("0")  # no index column
    assert "<script>" not in page and "&lt;script&gt;" in page and "<th></th>" not in page
