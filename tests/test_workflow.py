"""End to end: the whole DAG on the shipped study, built once per session in a temporary
copy of the workflow (the ``shipped_study`` fixture of tests/conftest.py), and the audit's
full rebuild after a raw value was changed."""

from __future__ import annotations

import shutil

import pytest

from nero.provenance import verify_manifest
from nero.testing import run_snakemake

pytestmark = [pytest.mark.slow, pytest.mark.study]


@pytest.fixture(scope="module")
def built_study(shipped_study):
    """The shipped study, built once (read-only here: tests that change files work on a copy)."""
    return shipped_study


def _declared_outputs(work):
    proc = run_snakemake(work, "--summary")
    rows = [line.split("\t") for line in proc.stdout.splitlines() if "\t" in line]
    header, body = rows[0], rows[1:]
    assert header[0] == "output_file"
    return [row[0] for row in body]


def test_every_declared_output_exists_and_is_not_empty(built_study):
    outputs = _declared_outputs(built_study)
    assert "results/provenance.json" in outputs
    for rel in outputs:
        path = built_study / rel
        assert path.exists(), f"{rel} was not built"
        if path.is_file():
            assert path.stat().st_size > 0, f"{rel} is empty"


def test_second_run_does_nothing(built_study):
    proc = run_snakemake(built_study)
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_raw_data_untouched_by_the_run(built_study):
    assert verify_manifest(built_study / "data" / "raw").ok


def test_changed_raw_file_stops_the_run_naming_it(built_study, tmp_path):
    work = tmp_path / "changed"
    shutil.copytree(built_study, work, symlinks=True)
    target = sorted((work / "data" / "raw" / "survey").rglob("*.csv"))[0]
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n", 1))
    proc = run_snakemake(work, check=False)
    assert proc.returncode != 0
    rel = target.relative_to(work / "data" / "raw").as_posix()
    assert f"changed: {rel}" in proc.stdout + proc.stderr


def test_audit_fails_on_a_changed_raw_value_naming_what_moved(built_study, tmp_path):
    """`nero audit` with its real full rebuild (the one test that runs it): one survey answer
    changed in a copy of the built study. The raw change is named, the rebuild runs, the moved
    cells are named and the audit fails; everything that does not read the survey (Study 1,
    the literature review) is rebuilt identically, tables and figures alike, so two independent
    full builds agree."""
    from nero.provenance.audit import run_audit, update_reference

    reference = tmp_path / "reference"
    tables = update_reference(built_study / "results", reference)
    assert any(t.startswith("survey/") for t in tables) and any(t.startswith("sem/") for t in tables)

    work = tmp_path / "edited"
    work.mkdir()
    for folder in ("Snakefile", "workflow", "config", "notebooks", "data", "results"):
        src = built_study / folder
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, work / folder)
    export = sorted((work / "data" / "raw" / "survey" / "wave-1").glob("*.csv"))[0]
    import pandas as pd

    kept = pd.read_csv(built_study / "results" / "survey" / "clean.csv")
    response = kept.loc[kept["wave"] == "wave-1", "response_id"].iloc[0]
    lines = export.read_bytes().split(b"\r\n")
    header = lines[0].decode("utf-8-sig").split(",")
    column = header.index("Q3_1")  # INST1 in wave 1
    row = next(i for i, line in enumerate(lines) if response.encode() in line)
    cells = lines[row].decode("utf-8").split(",")
    assert cells[column] in {"1", "2", "3", "4", "5", "6", "7"}
    cells[column] = "7" if cells[column] in {"1", "2", "3"} else "1"  # a usable firm's INST1 answer
    lines[row] = ",".join(cells).encode("utf-8")
    export.write_bytes(b"\r\n".join(lines))

    report = run_audit(work, reference, stream=None)  # and compares work/results (the first build)
    assert not report.ok
    assert report.raw_changed == [f"changed: survey/wave-1/{export.name}"]
    assert report.rebuild_error is None
    assert "survey/clean.csv" in report.tables_failed
    assert any(c.table == "survey/clean.csv" and c.column == "INST1" for c in report.cells)
    text = report.summary()
    assert "FAIL raw data differ" in text and "AUDIT FAILED" in text

    # determinism of a rebuild from scratch: the tables that do not read the survey pass
    independent = [t for t in tables if t.startswith(("study1/", "slr/"))]
    assert len(independent) >= 20 and not set(independent) - set(report.tables_passed), report.summary()
    # and the examiner's comparison of the first build's results/ with the rebuild names the survey
    # outputs that moved, while Study 1 and the literature review (tables, figures) are equal
    check = report.results_check
    assert check is not None and not check.ok
    moved = {d.path for d in check.differ}
    assert "survey/clean.csv" in moved and "report.html" in moved
    assert not [p for p in moved if p.startswith(("study1/", "slr/"))], check.summary()
    assert any(p.startswith("study1/") and p.endswith(".png") for p in check.compared)


@pytest.mark.skipif(
    __import__("nero.report.browser", fromlist=["find_chromium"]).find_chromium() is None,
    reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it)",
)
def test_built_report_loads_in_headless_chromium(built_study):
    from nero.report.browser import check_page

    result = check_page(built_study / "results" / "report.html")
    assert result["checked"], result
    assert result["images"] >= 9  # every figure of the study design that the DAG draws
    assert result["broken_images"] == [] and result["errors"] == [] and result["console_errors"] == []
    # every table complete, none wider than the page without a scroll box, nothing from the network
    assert result["tables"] >= 40 and result["table_row_issues"] == [] and result["table_overflow"] == []
    assert result["remote"] == []
    # no machine path in any text output
    for path in (built_study / "results").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".csv", ".json", ".tex", ".txt"):
            assert str(built_study) not in path.read_text(encoding="utf-8", errors="replace"), path.name


def test_study_outputs_of_every_stage(built_study):
    results = built_study / "results"
    for rel in (
        "survey/clean.csv",
        "study1/typology.csv",
        "sem/cfa_fit.csv",
        "fsqca/solutions.csv",
        "integration/joint_display.csv",
        "integration/archetype_matches.csv",
        "notebooks/study2_quantitative.html",
        "report.html",
        "fsqca/figures/configuration_chart.pdf",
        "figures/pipeline_dag.png",
    ):
        assert (results / rel).stat().st_size > 0, rel
