"""The audit's comparison of rebuilt tables with the reference set."""

import json

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


def test_outputs_are_written_atomically_with_ordinary_permissions(tmp_path):
    import os
    import stat

    import pytest

    from nero.outputs import atomic_path, atomic_write_text

    path = atomic_write_text(tmp_path / "t.csv", "a\n1\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    with pytest.raises(RuntimeError):
        with atomic_path(tmp_path / "half.csv") as tmp:
            tmp.write_text("partial")
            raise RuntimeError("crash mid-write")
    assert not (tmp_path / "half.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


@pytest.mark.slow
def test_shipped_study_reproduces_the_committed_reference(repo_root, tmp_path):
    """`nero audit` on this checkout: the raw data match their manifest and a rebuild
    reproduces every table in results-reference/ (regenerate it deliberately with
    `nero audit --results results --update-reference` when a change moves results)."""
    from nero.provenance.audit import run_audit

    report = run_audit(repo_root, keep=tmp_path / "rebuild", stream=None)
    assert report.ok, report.summary()
    assert len(report.tables_passed) == len([p for p in (repo_root / "results-reference").rglob("*") if p.is_file()])
