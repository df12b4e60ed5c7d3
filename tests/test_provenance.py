"""The raw-data manifest and the provenance record."""

import json
import subprocess
import sys

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


def test_cli_verify_exit_codes(raw):
    ok = subprocess.run([sys.executable, "-m", "nero.cli", "provenance", "verify", str(raw), "--json"], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    (raw / "notes.txt").write_text("edited\n")
    bad = subprocess.run([sys.executable, "-m", "nero.cli", "provenance", "verify", str(raw)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "changed: notes.txt" in bad.stdout


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
