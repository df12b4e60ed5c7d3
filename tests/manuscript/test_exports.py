"""Exports for the manuscript: booktabs LaTeX and Word tables, byte-identical across runs."""

import io
import re
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
from docx import Document

from nero.manuscript.export import docx_bytes, latex_table, layout, table_exports
from nero.manuscript.registry import RegistryError, build_table, fill_note, load_registry, resolve

FRAME = pd.DataFrame({"Term": ["INST*EFF & CAP", "x_1"], "p": ["< .001", ".049"], "%": ["50.0", "12.5"]})


def test_latex_is_booktabs_with_escaped_cells_and_the_note():
    tex = latex_table(FRAME, "tab:t", "A title", "N = 218; 5% trimmed.")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "INST*\\allowbreak{}EFF \\& CAP" in tex and "x\\_1" in tex and "\\%" in tex
    assert "\\textit{Note.} \\textit{N} = 218; 5\\% trimmed." in tex and "\\label{tab:t}" in tex
    assert tex.index("Note.") < tex.index("\\end{table}")
    assert tex.startswith("% Needs: \\usepackage{booktabs,array}")
    long = latex_table(pd.concat([FRAME] * 20, ignore_index=True), "tab:l", "Long", "n")
    assert "\\begin{longtable}" in long and "longtable" in long.splitlines()[0]


def test_long_terms_break_after_their_operators_not_inside_words():
    from nero.manuscript.export import _span, _tokens, latex_cell

    # a configuration breaks after each *, a code path after each /, a word at its own hyphen
    assert _tokens("INST*~EFF*MKT*CAP") == ["INST*", "~EFF*", "MKT*", "CAP"]
    assert _tokens("Networks/Institutional/Grant schemes") == ["Networks/", "Institutional/", "Grant", "schemes"]
    assert _tokens("Efficiency-seeking") == ["Efficiency-", "seeking"]
    # no break inside significance stars, before a slash at the end, or at a minus sign
    assert _tokens(".001** a/ -0.5 x-1") == [".001**", "a/", "-0.5", "x-1"]
    assert latex_cell("A*B") == "A*\\allowbreak{}B" and latex_cell(".001**") == ".001**"
    assert latex_cell("") == "" and _tokens("") == []
    # capitals are wider: the x 1.25 applies only to a token mostly in capitals (ties are not)
    assert _span("INST*") == 5 * 1.25 and _span("seeking") == 7.0 and _span("AbCd") == 4.0 and _span("ABCd") == 5.0
    assert _span("0.5") == 3.0


def test_a_configuration_column_no_longer_forces_the_smallest_font():
    configurations = ["INST*VIRT*~EFF*MKT*CAP", "~INST*VIRT*EFF*~MKT*CAP"] * 3
    frame = pd.DataFrame(
        {
            "Solution": ["Conservative"] * 6,
            "Model": ["M1"] * 6,
            "Configuration": configurations,
            **{name: [".900"] * 6 for name in ("Consistency", "PRI", "Raw coverage", "Unique coverage")},
            **{name: ["21"] * 6 for name in ("Cases (n)", "Typical (n)", "Deviant in kind (n)")},
        }
    )
    plan = layout(frame)
    assert plan["landscape"] and plan["size"] == "footnotesize"
    # the same table whose configurations cannot break (one long word) needs a smaller font
    unbroken = frame.assign(Configuration=[c.replace("*", "") for c in configurations])
    assert layout(unbroken)["size"] in ("scriptsize", "tiny")


def test_latex_sets_symbols_as_math_and_statistics_in_italics():
    frame = pd.DataFrame(
        {"Term": ["Nguyễn × Øvergaard"], "χ²": ["1.00"], "ΔCFI": [".001"], "R²": [".20"], "p": ["< .001"]}
    )
    tex = latex_table(frame, "tab:s", "Title", "N = 218, p < .05; κ ≥ .80.")
    assert "$\\chi^2$ & $\\Delta$CFI & $R^2$ & \\textit{p}" in tex
    assert "Nguy\\~{\\^{e}}n $\\times$ \\O{}vergaard" in tex and "$<$ .001" in tex
    assert "\\textit{N} = 218, \\textit{p} $<$ .05; $\\kappa$ $\\geq$ .80." in tex
    assert not re.search(r"[^\x00-\x7f]", tex.split("\n", 1)[1])  # nothing pdfLaTeX must guess


def test_wide_tables_wrap_within_the_line_in_landscape():
    wide = pd.DataFrame({f"Column {k}": ["a rather long text that has to wrap " * 2] for k in range(10)})
    plan = layout(wide)
    assert plan["landscape"] and plan["wrap"] and sum(f for _, _, f in plan["columns"]) == pytest.approx(1)
    tex = latex_table(wide, "tab:w", "Wide", "N = 1.")
    assert "\\begin{landscape}" in tex and "pdflscape" in tex.splitlines()[0] and "p{\\dimexpr" in tex
    narrow = layout(pd.DataFrame({"A": ["1"], "B": ["2"]}))
    assert not narrow["landscape"] and not narrow["wrap"] and narrow["size"] == "footnotesize"
    counts = pd.DataFrame(
        {"Case": ["Firm A (software)"], **{f"Associations and chambers {k}": ["1"] for k in range(16)}}
    )
    assert any(layout(counts)["rotate"])  # headers of a matrix of counts turn when their words cannot fit


def test_docx_holds_the_whole_table_and_is_byte_identical(tmp_path):
    data = docx_bytes(FRAME, "Table 3", "A title", "N = 218.")
    assert data == docx_bytes(FRAME, "Table 3", "A title", "N = 218.")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core
    (tmp_path / "t.docx").write_bytes(data)
    document = Document(tmp_path / "t.docx")
    table = document.tables[0]
    assert len(table.rows) == 3 and table.rows[1].cells[0].text == "INST*EFF & CAP"
    assert [p.text for p in document.paragraphs][:2] == ["Table 3", "A title"]
    xml = table._tbl.xml
    assert "Table Grid" not in xml and "w:insideV" not in xml and "w:left " not in xml and "w:right " not in xml
    assert (
        xml.count("<w:top ") == 3 and xml.count("<w:bottom ") == 3 + 3
    )  # rule above and below the header, below the last row
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert [r.italic for r in table.rows[0].cells[1].paragraphs[0].runs] == [True]  # p in italics


def test_wide_docx_gets_a_landscape_page():
    from docx.enum.section import WD_ORIENT

    wide = pd.DataFrame({f"Column {k}": ["text"] for k in range(10)})
    (section,) = Document(io.BytesIO(docx_bytes(wide, "Table 9", "Wide", "N = 1."))).sections
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_exports_identical_in_a_fresh_process():
    code = (
        "import sys, hashlib, pandas as pd; from nero.manuscript.export import table_exports;"
        "f = pd.DataFrame({'a': ['1', '2']}); e = table_exports(f, 'Table 1', 'x', 'T', 'N');"
        "sys.stdout.write(''.join(hashlib.sha256(e[k]).hexdigest() for k in sorted(e)))"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    }
    assert len(runs) == 1


def test_registry_is_checked_and_notes_filled():
    spec = {
        "sections": {"s": "S"},
        "items": [
            {
                "id": "t",
                "kind": "table",
                "section": "s",
                "title": "T",
                "source": ["results/a.csv"],
                "note": "N = {n}; p = {p:p}.",
                "facts": {"p": ["results/a.csv", "p"]},
            }
        ],
    }
    _, items = load_registry(spec)
    (item,) = resolve(items, lambda p: True)
    table = build_table(item, {"results/a.csv": pd.DataFrame({"n": [218, 218], "p": [0.0001, 0.2]})}, {})
    assert fill_note(item, table.facts) == "N = 218; p = < .001."
    bad = {"sections": {"s": "S"}, "items": [{**spec["items"][0], "section": "nope"}]}
    with pytest.raises(RegistryError, match="item 1 \\('t'\\): section 'nope'"):
        load_registry(bad)
    with pytest.raises(KeyError, match="needs fact 'm'"):
        fill_note(item.__class__(**{**item.__dict__, "note": "{m}"}), {})
    files = table_exports(FRAME, "Table 1", "t", "T", "N")
    assert files["csv"].decode().splitlines()[0] == "Term,p,%"


def test_items_of_stages_kept_out_of_the_build_need_the_report_flag():
    spec = {
        "sections": {"s": "S"},
        "items": [
            {"id": "a", "kind": "table", "section": "s", "title": "A", "source": ["results/a.csv"]},
            {
                "id": "d",
                "kind": "table",
                "section": "s",
                "title": "D",
                "source": ["results/design/d.csv"],
                "if_reported": True,
            },
            {"id": "b", "kind": "figure", "section": "s", "title": "B", "source": ["results/b.png"]},
            {"id": "c", "kind": "table", "section": "s", "title": "C", "source": ["results/c.csv"]},
        ],
    }
    _, items = load_registry(spec)
    written = lambda p: p != "results/b.png"  # noqa: E731
    assert [(i.id, i.number) for i in resolve(items, written)] == [("a", 1), ("c", 2)]
    assert [(i.id, i.number) for i in resolve(items, written, lambda p: True)] == [("a", 1), ("d", 2), ("c", 3)]


def test_facts_read_rows_counts_and_selected_rows_and_are_inputs_not_sources():
    spec = {
        "sections": {"s": "S"},
        "items": [
            {
                "id": "t",
                "kind": "table",
                "section": "s",
                "title": "T",
                "source": ["results/a.csv"],
                "facts": {"rows_b": ["results/b.csv", "@rows"], "d": ["results/b.csv", "text[key=two]"]},
                "note": "N = {rows_b}; {d}.",
            }
        ],
    }
    _, items = load_registry(spec)
    (item,) = resolve(items, lambda p: True)
    assert item.source == ("results/a.csv",) and item.inputs == ("results/a.csv", "results/b.csv")
    assert resolve(items, lambda p: p != "results/b.csv") == []  # a fact's file missing: the table is not numbered
    b = pd.DataFrame({"key": ["one", "two"], "text": ["first", "second"]})
    table = build_table(item, {"results/a.csv": pd.DataFrame({"x": [1]}), "results/b.csv": b}, {})
    assert fill_note(item, table.facts) == "N = 2; second."
    bad = item.__class__(**{**item.__dict__, "facts": {"d": ("results/b.csv", "text[key=three]")}})
    with pytest.raises(KeyError, match="no row with key = 'three'"):
        build_table(bad, {"results/a.csv": pd.DataFrame({"x": [1]}), "results/b.csv": b}, {})


def test_supplement_and_labels():
    from nero.manuscript.build import make_table

    spec = {
        "sections": {"s": "S"},
        "labels": {"log_employees": "Employees (log)"},
        "items": [
            {
                "id": "t",
                "kind": "table",
                "section": "s",
                "title": "T",
                "source": ["results/a.csv"],
                "supplement": "all",
                "columns": {"term": "Term", "b": "b", "note": "Note"},
                "values": {"hc3": "HC3"},
                "note": "N = {rows}.",
            }
        ],
    }
    _, items = load_registry(spec)
    (item,) = resolve(items, lambda p: True)
    assert item.outputs()[-1] == "results/tables/table_01_t_supplement.csv"
    frame = pd.DataFrame(
        {"term": ["log_employees", "hc3", "INST, log_employees"], "b": [0.123456, 1.0, 2.0], "note": ["", "", ""]}
    )
    files = make_table(item, {"results/a.csv": frame}, {})
    printed = files["csv"].decode().splitlines()
    assert printed == [
        "Term,b",
        "Employees (log),0.12",
        "HC3,1.00",
        '"INST, Employees (log)",2.00',
    ]  # the empty Note column is not printed
    assert files["supplement"].decode().splitlines()[1] == "log_employees,0.123456,"
    with pytest.raises(RegistryError, match="supplement must be"):
        load_registry({**spec, "items": [{**spec["items"][0], "supplement": 3}]})
