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

    text = ("Building DAG of jobs...\n"
            "output_file\tdate\trule\tlog-file(s)\tstatus\tplan\n"
            "results/a.csv\tSun Nov 29 05:33:53 2026\tclean\tresults/logs/a.log\tok\tno update\n"
            "results/b.csv\tSun Nov 29 05:33:53 2026\tcheck\tresults/logs/b.log\tupdated input files\tupdate pending\n"
            "results/report.html\tSun Nov 29 05:33:53 2026\treport\tresults/logs/r.log\tok\tupdate pending\n"
            "results/c.png\t-\tdraw\tresults/logs/c.log\tmissing\tupdate pending\n")
    outputs = parse_summary(text)
    assert outputs["output_file"].tolist() == ["results/a.csv", "results/b.csv", "results/report.html", "results/c.png"]
    report = StatusReport(outputs=outputs, failures=[("results/logs/b.log", "x.csv, row 3: bad")], lock=LockState("free"))
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
