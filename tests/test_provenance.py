"""The raw-data manifest and the provenance record."""

import json
import subprocess

import pytest

from nero.provenance import provenance_record, read_manifest, verify_manifest, write_manifest


@pytest.fixture()
def raw(tmp_path):
    raw = tmp_path / "raw"
    (raw / "survey" / "wave-1").mkdir(parents=True)
    (raw / "survey" / "wave-1" / "export.csv").write_text("a,b\n1,2\n")
    (raw / "notes.txt").write_text("S$ 1.2m, José\n", encoding="utf-8")
    write_manifest(raw)
    return raw


def test_manifest_is_sha256sum_format(raw):
    lines = (raw / "MANIFEST.sha256").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == ["notes.txt", "survey/wave-1/export.csv"]
    # sha256sum -c accepts it (the tool examiners use by hand)
    done = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=raw, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_untouched_raw_data_pass(raw):
    check = verify_manifest(raw)
    assert check.ok
    assert sorted(check.checked) == ["notes.txt", "survey/wave-1/export.csv"]


def test_changed_missing_and_extra_files_are_all_named(raw):
    (raw / "survey" / "wave-1" / "export.csv").write_text("a,b\n1,3\n")
    (raw / "notes.txt").unlink()
    (raw / "survey" / "wave-1" / "stray.csv").write_text("x\n")
    check = verify_manifest(raw)
    assert not check.ok
    assert check.changed == ["survey/wave-1/export.csv"]
    assert check.missing == ["notes.txt"]
    assert check.extra == ["survey/wave-1/stray.csv"]
    text = check.summary()
    for name in ("survey/wave-1/export.csv", "notes.txt", "survey/wave-1/stray.csv"):
        assert name in text


def test_malformed_manifest_line_names_file_and_line(tmp_path):
    bad = tmp_path / "MANIFEST.sha256"
    bad.write_text("0" * 64 + "  ok.txt\nnot-a-hash  x.txt\n")
    with pytest.raises(ValueError, match=r"MANIFEST.sha256, line 2"):
        read_manifest(bad)


def test_cli_verify_exit_codes(raw, capsys):
    from nero.cli import main

    assert main(["provenance", "verify", str(raw), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    (raw / "notes.txt").write_text("edited\n")
    assert main(["provenance", "verify", str(raw)]) == 1
    assert "changed: notes.txt" in capsys.readouterr().out


def test_provenance_record_fields(raw, repo_root):
    record = provenance_record(
        raw_files={"notes.txt": raw / "notes.txt"},
        config_files=[repo_root / "config" / "config.yaml"],
        code_files=[repo_root / "src" / "nero" / "__init__.py"],
        command=["snakemake", "-c2"],
        repo_dir=repo_root,
    )
    import hashlib

    assert record["raw_inputs"]["notes.txt"] == hashlib.sha256((raw / "notes.txt").read_bytes()).hexdigest()
    assert record["command"] == ["snakemake", "-c2"]
    assert record["software"]["packages"]["snakemake"].startswith("9.")
    assert set(record["code"]["git"]) == {"commit", "dirty"}
    assert len(record["code"]["source_sha256"]) == 64


def test_the_manifest_hint_names_the_whole_raw_folder_after_a_new_wave(tmp_path):
    """A new wave's file is 'extra' in the survey part; the hint must not send the user to data/raw/survey."""
    from nero.provenance import verify_manifest, write_manifest

    raw = tmp_path / "raw"
    (raw / "survey" / "wave-1").mkdir(parents=True)
    (raw / "survey" / "wave-1" / "w1.csv").write_text("a\n")
    write_manifest(raw)
    (raw / "survey" / "wave-3").mkdir()
    (raw / "survey" / "wave-3" / "w3.csv").write_text("b\n")
    check = verify_manifest(raw, part="survey")
    assert check.extra == ["survey/wave-3/w3.csv"]
    assert f"nero provenance manifest {raw}`" in check.summary()
    assert f"manifest {raw}/survey" not in check.summary()


def test_status_reads_snakemakes_summary_and_explains_each_row():
    from nero.provenance.runstate import LockState, StatusReport, parse_summary

    text = (
        "Building DAG of jobs...\n"
        "output_file\tdate\trule\tlog-file(s)\tstatus\tplan\n"
        "results/a.csv\tSun Nov 29 05:33:53 2026\tclean\tresults/logs/a.log\tok\tno update\n"
        "results/b.csv\tSun Nov 29 05:33:53 2026\tcheck\tresults/logs/b.log\tupdated input files\tupdate pending\n"
        "results/report.html\tSun Nov 29 05:33:53 2026\treport\tresults/logs/r.log\tok\tupdate pending\n"
        "results/c.png\t-\tdraw\tresults/logs/c.log\tmissing\tupdate pending\n"
    )
    outputs = parse_summary(text)
    assert outputs["output_file"].tolist() == ["results/a.csv", "results/b.csv", "results/report.html", "results/c.png"]
    report = StatusReport(
        outputs=outputs, failures=[("results/logs/b.log", "x.csv, row 3: bad")], lock=LockState("free")
    )
    summary = report.summary()
    assert not report.ok
    assert "3 of 4 outputs are out of date" in summary
    assert "results/b.csv  [check]  updated input files" in summary
    assert "results/report.html  [report]  an input of it is out of date" in summary
    assert "results/c.png  [draw]  missing" in summary
    assert "failed: results/logs/b.log: x.csv, row 3: bad" in summary
    assert "results/a.csv" not in summary


def test_failed_rule_logs_end_with_the_nero_message(tmp_path):
    """log_to keeps the traceback in the log and ends it with the message the console prints last."""
    from nero.outputs import failed_rule_errors, format_failures, log_to

    log = tmp_path / "logs" / "stage" / "rule.log"
    with pytest.raises(ValueError):
        with log_to(log):
            raise ValueError("w1.csv, row 7, column 'Q3_1': value 'abc' (expected a numeric answer code)")
    text = log.read_text()
    assert "Traceback" in text and text.rstrip().endswith("(expected a numeric answer code)")
    failures = failed_rule_errors(tmp_path / "logs")
    assert failures == [(str(log), "w1.csv, row 7, column 'Q3_1': value 'abc' (expected a numeric answer code)")]
    closing = format_failures(failures)
    assert "nero: the build stopped (1 rule(s) failed)" in closing and str(log) in closing
    with log_to(log):
        pass  # a successful rerun rewrites the log: no longer a failure
    assert failed_rule_errors(tmp_path / "logs") == []


def _git_checkout(path) -> bool:
    """Whether ``path`` is a git checkout and git is installed (a tarball of the package is not)."""
    import shutil

    if shutil.which("git") is None:
        return False
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=path, capture_output=True).returncode == 0


NEEDS_GIT = pytest.mark.skipif(
    not _git_checkout(__import__("pathlib").Path(__file__).resolve().parents[1]),
    reason="needs git and a git checkout of the package (a tarball has no .git)",
)


def test_code_fingerprint_names_the_library_as_in_the_repository(repo_root):
    """The library's fingerprint is over the imported package under its repository names, so a build
    in the checkout and an audit's rebuild in a scratch copy (which imports the same library) agree;
    with the same names and bytes the fingerprint equals the one over the checkout's paths."""
    from nero.provenance.record import code_fingerprint, library_checkout, library_files

    files = library_files()
    assert files and all(name.startswith("src/nero/") and name.endswith(".py") for name in files)
    assert library_checkout() == repo_root
    in_checkout = sorted(str(p.relative_to(repo_root)) for p in (repo_root / "src" / "nero").rglob("*.py"))
    assert sorted(files) == in_checkout
    import os

    here = os.getcwd()
    try:
        os.chdir(repo_root)
        assert code_fingerprint(dict(sorted(files.items()))) == code_fingerprint(in_checkout)
    finally:
        os.chdir(here)
    assert code_fingerprint({"a.py": files["src/nero/__init__.py"]}) != code_fingerprint(
        {"b.py": files["src/nero/__init__.py"]}
    )


def test_library_sources_are_named_alike_inside_and_outside_the_workdir(repo_root, tmp_path, monkeypatch):
    """Rules take the library's modules from one function (library_inputs): relative in a checkout,
    absolute when the workflow runs elsewhere (an audit's scratch rebuild); library_name, and so the
    lineage, names each ``src/nero/...`` either way, and nothing else."""
    import shutil

    from nero.provenance.record import library_files, library_inputs, library_name
    from nero.report.lineage_records import relative

    names = list(library_files())
    inside = library_inputs(repo_root)
    assert inside == names  # a checkout: the repository's relative paths, in the same order
    outside = library_inputs(tmp_path)
    assert all(p.startswith("/") and p.endswith(n.removeprefix("src")) for p, n in zip(outside, names))
    assert [library_name(p) for p in outside] == names
    monkeypatch.chdir(repo_root)
    assert [library_name(p) for p in inside] == names
    # not the library: another file of the checkout, and a copy of a module outside the package
    assert library_name("README.md") is None and library_name("workflow/scripts/write_provenance.py") is None
    copy = tmp_path / "src" / "nero" / "cli.py"
    copy.parent.mkdir(parents=True)
    shutil.copy2(repo_root / "src" / "nero" / "cli.py", copy)
    assert library_name(copy) is None
    # the lineage names a library input the same from a checkout and from a scratch folder
    assert relative(outside[0], tmp_path) == relative(inside[0], repo_root) == names[0]
    assert relative(str(copy), tmp_path) == "src/nero/cli.py"  # inside the workdir: its own relative path
    assert relative("/elsewhere/deep/down/a/b.csv", tmp_path) == "down/a/b.csv"  # outside: the last three parts


@NEEDS_GIT
def test_git_state_in_a_clone_and_a_worktree(tmp_path, repo_root):
    """A clone (a .git folder) and this checkout (a worktree has a .git file) both give a commit;
    a tracked file edited makes the tree dirty; outside git both are None."""
    from nero.provenance import git_state

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(repo_root), str(clone)], check=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert git_state(clone) == {"commit": head, "dirty": False}
    (clone / "README.md").write_text((clone / "README.md").read_text() + "\nedited\n")
    assert git_state(clone) == {"commit": head, "dirty": True}
    assert git_state(repo_root)["commit"] is not None
    (tmp_path / "plain").mkdir()
    assert git_state(tmp_path / "plain") == {"commit": None, "dirty": None}


@NEEDS_GIT
@pytest.mark.slow
@pytest.mark.study
def test_make_study_then_audit_in_a_fresh_git_clone_with_a_dirty_tree(repo_root, tmp_path):
    """As a user gets the package: `git clone`, the study built there (what `make study` runs, with
    the clone's own library first on the path), a tracked file edited (a dirty tree), then `nero
    audit`. The results and the rebuild record the clone's commit and the same source fingerprint;
    only "uncommitted changes" differs, and that is reported as provenance, not as a changed result:
    the audit passes."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(repo_root), str(clone)], check=True)
    assert (clone / ".git").is_dir()
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.strip()
    import os
    import sys

    env = dict(
        os.environ, PYTHONPATH=str(clone / "src"), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg"
    )
    where = subprocess.run(
        [sys.executable, "-c", "import nero; print(nero.__file__)"],
        env=env,
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(clone / "src")), where
    from nero.testing import scheduler_args

    build = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *scheduler_args(2), "--rerun-incomplete"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    built = json.loads((clone / "results" / "provenance.json").read_text())
    assert built["code"]["git"] == {"commit": head, "dirty": False}
    (clone / "README.md").write_text((clone / "README.md").read_text() + "\nA local note.\n")
    keep = tmp_path / "rebuild"
    audit = subprocess.run(
        [sys.executable, "-m", "nero", "audit", "--cores", "2", "--keep", str(keep)],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    out = audit.stdout + audit.stderr
    assert audit.returncode == 0 and "AUDIT PASSED" in out, out[-6000:]
    rebuilt = json.loads((keep / "results" / "provenance.json").read_text())
    assert rebuilt["code"]["git"] == {"commit": head, "dirty": True}
    assert rebuilt["code"]["source_sha256"] == built["code"]["source_sha256"]
    assert rebuilt["code"]["source_files"] == built["code"]["source_files"]
    assert "NOTE run provenance differs" in out
    note = out[out.index("NOTE run provenance differs") :]
    assert "report.html (run provenance)" in note and "notebooks/examiner_audit.ipynb (run provenance)" in note
    assert "uncommitted changes: False" in note and "uncommitted changes: True" in note
    assert "differs:" not in out  # no result differs
