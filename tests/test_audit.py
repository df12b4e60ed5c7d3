"""The audit's comparison of rebuilt tables with the reference set."""

import json
import re
import shutil

import pytest

from nero.provenance.audit import compare_results, reference_tables, update_reference


def _results(root, value=0.5, text="INST*EFF"):
    (root / "fsqca").mkdir(parents=True)
    (root / "logs").mkdir()
    (root / "fsqca" / "fit.csv").write_text(f"term,inclS,label\nA,{value},{text}\nB,0.9,x\n")
    (root / "sem.json").write_text(json.dumps({"cfa": {"chi2": 85.306, "df": 24}}))
    (root / "logs" / "rule.log").write_text("not audited\n")
    (root / "provenance.json").write_text("{}")
    return root


def test_reference_set_holds_tables_only(tmp_path):
    results = _results(tmp_path / "results")
    assert reference_tables(results) == ["fsqca/fit.csv", "sem.json"]


def test_identical_rebuild_passes(tmp_path):
    results = _results(tmp_path / "results")
    update_reference(results, tmp_path / "ref")
    report = compare_results(tmp_path / "ref", results)
    assert report.ok, report.summary()
    assert report.tables_passed == ["fsqca/fit.csv", "sem.json"]
    assert "AUDIT PASSED" in report.summary()


def test_moved_cells_are_named(tmp_path):
    update_reference(_results(tmp_path / "a"), tmp_path / "ref")
    rebuilt = _results(tmp_path / "b", value=0.51, text="INST*~EFF")
    report = compare_results(tmp_path / "ref", rebuilt)
    assert not report.ok
    assert set(report.tables_failed) == {"fsqca/fit.csv"}
    moved = {(c.column, c.reference, c.rebuilt) for c in report.cells}
    assert moved == {("inclS", "0.5", "0.51"), ("label", "INST*EFF", "INST*~EFF")}
    assert "fsqca/fit.csv [row 1 (term=A), inclS]" in report.summary()


def test_tolerance_is_applied(tmp_path):
    update_reference(_results(tmp_path / "a", value=0.5), tmp_path / "ref")
    rebuilt = _results(tmp_path / "b", value=0.5000000001)
    assert compare_results(tmp_path / "ref", rebuilt).ok
    assert not compare_results(tmp_path / "ref", rebuilt, rtol=0, atol=0).ok


def test_json_values_and_missing_tables(tmp_path):
    update_reference(_results(tmp_path / "a"), tmp_path / "ref")
    rebuilt = _results(tmp_path / "b")
    (rebuilt / "sem.json").write_text(json.dumps({"cfa": {"chi2": 86.0, "df": 24}}))
    (rebuilt / "fsqca" / "fit.csv").unlink()
    report = compare_results(tmp_path / "ref", rebuilt)
    assert report.tables_failed == {"fsqca/fit.csv": "not rebuilt", "sem.json": "1 values differ"}
    assert [(c.column, c.reference, c.rebuilt) for c in report.cells] == [("cfa.chi2", 85.306, 86.0)]


def test_audit_of_an_existing_build(tmp_path):
    """audit_build: the raw data against their manifest and the build's tables against the
    reference, without a rebuild; an examiner's results/ is compared when given."""
    from nero.provenance import write_manifest
    from nero.provenance.audit import audit_build

    build = tmp_path / "build"
    _results(build / "results")
    raw = build / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "wave.csv").write_text("x\n1\n")
    write_manifest(raw)
    update_reference(build / "results", tmp_path / "ref")
    report = audit_build(build, tmp_path / "ref")
    assert report.ok, report.summary()
    assert report.tables_passed == ["fsqca/fit.csv", "sem.json"] and report.results_check is None

    (raw / "wave.csv").write_text("x\n2\n")
    (build / "results" / "sem.json").write_text(json.dumps({"cfa": {"chi2": 86.0, "df": 24}}))
    report = audit_build(build, tmp_path / "ref", results_dir=tmp_path / "nowhere")
    assert not report.ok
    assert report.raw_changed == ["changed: wave.csv"] and report.tables_failed == {"sem.json": "1 values differ"}
    assert "does not exist" in report.summary()


def test_outputs_are_written_atomically_with_ordinary_permissions(tmp_path):
    import os
    import stat

    import pytest

    from nero.outputs import atomic_path, atomic_write_text

    path = atomic_write_text(tmp_path / "t.csv", "a\n1\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    # the SEM tables and the raw-data manifest are written by the same mechanism (they were 0600)
    from nero.provenance.manifest import write_manifest
    from nero.sem._common import write_text

    more = tmp_path.parent / f"{tmp_path.name}-more"
    (more / "raw").mkdir(parents=True)
    (more / "raw" / "wave.csv").write_text("x\n")
    for written in (write_text(more / "sem.csv", "a\n"), write_manifest(more / "raw")):
        assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask, written
    with pytest.raises(RuntimeError):
        with atomic_path(tmp_path / "half.csv") as tmp:
            tmp.write_text("partial")
            raise RuntimeError("crash mid-write")
    assert not (tmp_path / "half.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


@pytest.mark.slow
@pytest.mark.study
def test_shipped_study_reproduces_the_committed_reference(repo_root, shipped_study, tmp_path):
    """The shipped study built from scratch (the session's build, a copy of this checkout's
    workflow, config and data): its raw data match their manifest and its tables reproduce
    every table in results-reference/ (regenerate it deliberately with `nero audit --results
    results --update-reference` when a change moves results). `nero audit` compares in the
    same way after its own rebuild (tests/test_workflow.py runs that rebuild)."""
    from nero.provenance.audit import audit_build

    report = audit_build(shipped_study, repo_root / "results-reference")
    assert report.ok, report.summary()
    assert len(report.tables_passed) == len([p for p in (repo_root / "results-reference").rglob("*") if p.is_file()])

    # What the examiner reads is byte-identical across rebuilds: every figure (and so the
    # report and notebooks that embed them) removed from a copy of the build and rebuilt there
    # equals the first build.
    from nero.provenance.examiner import compare_trees
    from nero.testing import run_snakemake

    first = shipped_study / "results"
    copy = tmp_path / "rebuild"
    shutil.copytree(shipped_study, copy, symlinks=True)
    rebuilt = copy / "results"
    figures = [p for p in rebuilt.rglob("*") if p.suffix in (".png", ".pdf", ".svg") and "logs" not in p.parts]
    assert figures
    for path in figures:
        path.unlink()
    run_snakemake(copy)
    assert all(path.is_file() for path in figures)
    second = compare_trees(first, rebuilt)
    assert second.ok, second.summary()
    assert not [d for d in second.differ], second.summary()

    # an edited number in the report is found by the audit, naming the file and the line
    page = rebuilt / "report.html"
    text = page.read_text(encoding="utf-8")
    # a number the examiner reads: in a table cell (the page's CSS has decimals too)
    match = re.search(r"<td[^>]*>([^<>]*?)(\d+\.\d{2,})", text)
    assert match, "no decimal number in report.html"
    number = match.group(2)
    changed = number[:-1] + ("1" if number[-1] != "1" else "2")
    page.write_text(text[: match.start(2)] + changed + text[match.end(2) :], encoding="utf-8")
    from nero.provenance.audit import AuditReport, check_results_dir

    audit = check_results_dir(AuditReport(), rebuilt, first)
    assert not audit.ok
    summary = audit.summary()
    assert "report.html (page)" in summary and changed in summary and number in summary and "text line" in summary


def _tree(root, report_number="0.512", png=b"\x89PNG one", table="x,b\nA,1.5\n"):
    import json

    (root / "sem").mkdir(parents=True)
    (root / "sem" / "fit.csv").write_text(table)
    (root / "sem" / "path.png").write_bytes(png)
    (root / "report.html").write_text(
        f"<html><head><style>p {{}}</style></head><body><h1>Report</h1><table><tr><td>CFI</td><td>{report_number}</td></tr>"
        '</table><img src="data:image/png;base64,aGVsbG8="></body></html>'
    )
    book = {
        "cells": [{"cell_type": "code", "outputs": [{"output_type": "stream", "text": ["n = 218\n"]}]}],
        "metadata": {"papermill": {"duration": 1.0}},
    }
    (root / "study.ipynb").write_text(json.dumps(book))
    (root / "logs").mkdir()
    (root / "logs" / "rule.log").write_text("run-specific\n")
    (root / "provenance.json").write_text('{"command": "one"}')
    return root


def test_examiner_results_equal_to_the_rebuild_pass(tmp_path):
    from nero.provenance.examiner import compare_trees

    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    (b / "logs" / "rule.log").write_text("another run\n")
    (b / "provenance.json").write_text('{"command": "two"}')
    book = json.loads((b / "study.ipynb").read_text())
    book["metadata"]["papermill"]["duration"] = 9.0
    (b / "study.ipynb").write_text(json.dumps(book))
    result = compare_trees(a, b)
    assert result.ok, result.summary()
    assert sorted(result.compared) == ["report.html", "sem/fit.csv", "sem/path.png", "study.ipynb"]


def test_every_kind_of_examiner_difference_is_named(tmp_path):
    from nero.provenance.audit import AuditReport, check_results_dir

    results = _tree(tmp_path / "results", report_number="0.519", png=b"\x89PNG two", table="x,b\nA,1.6\n")
    book = json.loads((results / "study.ipynb").read_text())
    book["cells"][0]["outputs"][0]["text"] = ["n = 217\n"]
    (results / "study.ipynb").write_text(json.dumps(book))
    (results / "old_table.csv").write_text("left,over\n")
    rebuilt = _tree(tmp_path / "rebuilt")
    (rebuilt / "new.csv").write_text("a\n1\n")
    report = check_results_dir(AuditReport(), results, rebuilt)
    assert not report.ok
    text = report.summary()
    assert "AUDIT FAILED" in text
    assert "report.html (page)" in text and "'CFI | 0.519 |'" in text and "'CFI | 0.512 |'" in text
    assert "sem/fit.csv (table)" in text and "results has '1.6', rebuild has '1.5'" in text
    assert "sem/path.png (figure)" in text and "sha256" in text
    assert "study.ipynb (notebook outputs)" in text and "n = 217" in text
    assert "missing in results/ (the rebuild makes it): new.csv" in text
    assert "in results/ but not made by the rebuild: old_table.csv" in text


def test_audit_notes_an_absent_results_folder(tmp_path):
    from nero.provenance.audit import AuditReport, check_results_dir

    report = check_results_dir(AuditReport(), tmp_path / "results", _tree(tmp_path / "rebuilt"))
    assert report.ok and "does not exist" in report.summary()


def test_run_provenance_differs_as_provenance_not_as_a_result(tmp_path):
    """The report's run-provenance block and the examiner notebook's run-provenance cell differ (another
    commit, a dirty tree): listed as provenance and the comparison passes; a number outside them still
    fails it."""
    from nero.provenance.audit import AuditReport, check_results_dir

    def tree(root, commit, dirty, cfi="0.512"):
        root.mkdir(parents=True)
        (root / "report.html").write_text(
            f"<html><body><h1>Report</h1><table><tr><td>CFI</td><td>{cfi}</td></tr></table>"
            f'<h2 id="provenance">Provenance</h2><p>raw ok</p><div class="run-provenance"><h3>Code</h3>'
            f"<p>git commit <code>{commit}</code> (uncommitted changes: {dirty})</p><div><p>nested</p></div></div>"
            "<p>after</p></body></html>"
        )
        book = {
            "cells": [
                {"cell_type": "code", "metadata": {}, "outputs": [{"output_type": "stream", "text": [f"CFI {cfi}\n"]}]},
                {
                    "cell_type": "code",
                    "metadata": {"tags": ["run-provenance"]},
                    "outputs": [
                        {"output_type": "stream", "text": [f"git commit: {{'commit': '{commit}', 'dirty': {dirty}}}\n"]}
                    ],
                },
            ],
            "metadata": {},
        }
        (root / "examiner.ipynb").write_text(json.dumps(book))
        (root / "examiner.html").write_text(
            f'<html><body><div class="jp-Cell celltag_run-provenance"><pre>git commit: {commit} {dirty}</pre></div>'
            f'<div class="jp-Cell"><pre>CFI {cfi}</pre></div></body></html>'
        )
        return root

    results = tree(tmp_path / "results", "abc123", False)
    rebuilt = tree(tmp_path / "rebuilt", "abc123", True)
    report = check_results_dir(AuditReport(), results, rebuilt)
    assert report.ok, report.summary()
    text = report.summary()
    assert "AUDIT PASSED" in text and "NOTE run provenance differs" in text
    for name in ("report.html", "examiner.ipynb", "examiner.html"):
        assert f"{name} (run provenance)" in text
    assert "uncommitted changes: False" in text and "uncommitted changes: True" in text
    assert [d.path for d in report.results_check.provenance] == ["examiner.html", "examiner.ipynb", "report.html"]

    # the same provenance and a changed result: the result fails, the provenance is not listed
    moved = tree(tmp_path / "moved", "abc123", False, cfi="0.519")
    report = check_results_dir(AuditReport(), results, moved)
    assert not report.ok
    assert sorted(d.path for d in report.results_check.differ) == ["examiner.html", "examiner.ipynb", "report.html"]
    assert report.results_check.provenance == []


# --------------------------------------------------------------------------- what a rebuild copies


def _toy_workflow(root):
    """A two-rule workflow reading a raw file, a file of another folder and its config; one folder unused."""
    (root / "config").mkdir(parents=True)
    (root / "config" / "config.yaml").write_text("raw_dir: raw\n")
    for rel, text in (("raw/a.csv", "a\n"), ("extra/in.txt", "b\n"), ("unused/notes.txt", "never read\n")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "Snakefile").write_text(
        'configfile: "config/config.yaml"\n\n'
        'rule all:\n    input: "results/out.txt"\n\n'
        'rule make:\n    input: "extra/in.txt", config["raw_dir"] + "/a.csv"\n'
        '    output: "results/out.txt"\n    shell: "cat {input} > {output}"\n'
    )
    return root


def test_a_rebuild_copies_what_the_workflow_reads_and_fails_on_an_input_left_out(tmp_path, monkeypatch):
    """The copy list comes from the workflow's declared inputs (Snakemake's job graph): a folder the
    workflow reads is copied without being named anywhere, an unused one is not, and a copy list
    that leaves out a declared input stops the rebuild naming the file."""
    from nero.provenance import audit

    repo = _toy_workflow(tmp_path / "repo")
    inputs = audit.workflow_inputs(repo)
    assert inputs == ["extra/in.txt", "raw/a.csv"]
    assert audit.rebuild_inputs(repo, inputs) == ["Snakefile", "config", "extra", "raw"]
    proc = audit.rebuild_study(repo, tmp_path / "rebuild", cores="1", stream=None)
    assert proc.returncode == 0, proc.stdout
    assert (tmp_path / "rebuild" / "results" / "out.txt").read_text() == "b\na\n"
    assert not (tmp_path / "rebuild" / "unused").exists()

    forgetful = audit.rebuild_inputs
    monkeypatch.setattr(audit, "rebuild_inputs", lambda r, i=None: [u for u in forgetful(r, i) if u != "extra"])
    with pytest.raises(
        audit.RebuildInputError, match=r"would not copy these inputs of the workflow: \['extra/in.txt'\]"
    ):
        audit.rebuild_study(repo, tmp_path / "rebuild2", cores="1", stream=None)
    assert not (tmp_path / "rebuild2" / "results").exists()  # nothing ran


def test_uncovered_inputs_at_the_edges():
    inputs = ["data/raw/a.csv", "data/truth/t.json", "Snakefile", "design-reference/x.csv"]
    assert audit_uncovered(inputs, ["data/raw", "data/truth", "Snakefile", "design-reference"]) == []
    assert audit_uncovered(inputs, ["data/raw", "Snakefile", "design-reference"]) == ["data/truth/t.json"]
    assert audit_uncovered(inputs, ["data", "Snakefile", "design-reference/"]) == []  # a parent folder holds them
    assert audit_uncovered(inputs, ["data/ra", "data/truth", "Snakefile", "design-reference"]) == ["data/raw/a.csv"]
    assert audit_uncovered([], []) == [] and audit_uncovered(["Snakefile"], []) == ["Snakefile"]


def audit_uncovered(inputs, copied):
    from nero.provenance.audit import uncovered_inputs

    return uncovered_inputs(inputs, copied)


def test_the_study_rebuild_copies_every_input_folder_it_declares(repo_root):
    """On the study itself: the raw folder, the synthetic truth map, the notebooks and the shipped
    design reference beside the workflow and its config; leaving one out uncovers its files."""
    from nero.provenance.audit import rebuild_inputs, uncovered_inputs, workflow_inputs

    inputs = workflow_inputs(repo_root)
    copied = rebuild_inputs(repo_root, inputs)
    assert copied == ["Snakefile", "config", "data/raw", "data/truth", "design-reference", "notebooks", "workflow"]
    assert uncovered_inputs(inputs, copied) == []
    assert "data/truth/claims_truth.json" in inputs and "data/raw/MANIFEST.sha256" in inputs
    for folder in ("data/truth", "design-reference", "notebooks"):
        left_out = uncovered_inputs(inputs, [c for c in copied if c != folder])
        assert left_out and all(p.startswith(folder + "/") for p in left_out), folder
