"""Content, not modification times, decides what reruns (nero.provenance.checksums).

On copies of the session's build of the shipped study: a raw file replaced by a copy with
other bytes and an *older* time (as ``cp -a``, ``rsync -a`` or unpacking a backup leave it),
with the manifest rewritten as the README says, reruns exactly what depends on it and
``nero status`` names it; a ``touch`` that leaves the bytes alone reruns nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from nero.provenance import write_manifest
from nero.provenance.checksums import changed_raw_files, refresh_stamps, stamp_path
from nero.provenance.runstate import build_status
from nero.testing import run_snakemake

OLD = "2020-01-01 00:00:00"


def _copy(built: Path, dest: Path) -> Path:
    shutil.copytree(built, dest, symlinks=True)
    return dest


def _touch_old(path: Path) -> None:
    subprocess.run(["touch", "-d", OLD, str(path)], check=True)
    assert path.stat().st_mtime < 1.6e9


def _replace(path: Path, data: bytes) -> None:
    """New bytes, then the older time a copy with preserved times would carry."""
    path.write_bytes(data)
    _touch_old(path)


def _outdated(work: Path) -> set[str]:
    status = build_status(work)
    assert status.error is None, status.error
    return set(status.outdated["output_file"])


# --------------------------------------------------------------------------- the library


def test_stamps_are_rewritten_only_when_the_content_changes(tmp_path):
    raw, stamps = tmp_path / "raw", tmp_path / "stamps"
    (raw / "survey").mkdir(parents=True)
    a, b = raw / "survey" / "a.csv", raw / "b.txt"
    a.write_bytes(b"x,y\n1,2\n")
    b.write_bytes(b"hello\n")
    assert refresh_stamps(raw, stamps) == sorted([str(a), str(b)])
    stamp = stamp_path(a, raw, stamps)
    assert stamp == stamps / "survey" / "a.csv.sha256"
    os.utime(stamp, (1_000_000_000, 1_000_000_000))
    # touch (new time, same bytes): the stamp keeps its time
    os.utime(a, None)
    assert refresh_stamps(raw, stamps) == [] and stamp.stat().st_mtime == 1_000_000_000
    # other bytes with an older time: the stamp is rewritten (new time)
    a.write_bytes(b"x,y\n1,3\n")
    os.utime(a, (900_000_000, 900_000_000))
    assert refresh_stamps(raw, stamps) == [str(a)] and stamp.stat().st_mtime > 1_000_000_000
    # a removed raw file loses its stamp
    b.unlink()
    assert refresh_stamps(raw, stamps) == [] and not stamp_path(b, raw, stamps).exists()


def test_stamp_holds_the_files_sha256(tmp_path):
    import hashlib

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "f.csv").write_bytes(b"abc")
    refresh_stamps(raw, tmp_path / "s")
    assert (tmp_path / "s" / "f.csv.sha256").read_text() == hashlib.sha256(b"abc").hexdigest() + "\n"


def test_changed_raw_files_by_content_and_by_stamp_time(tmp_path):
    raw, stamps, verified = tmp_path / "raw", tmp_path / "stamps", tmp_path / "verified.json"
    raw.mkdir()
    a, b = raw / "a.csv", raw / "b.csv"
    a.write_bytes(b"1\n")
    b.write_bytes(b"2\n")
    assert changed_raw_files(raw, stamps, verified) == []  # never built: nothing to compare with
    refresh_stamps(raw, stamps)
    for stamp in stamps.iterdir():
        os.utime(stamp, (1_000_000_000, 1_000_000_000))
    verified.write_text("{}")
    assert changed_raw_files(raw, stamps, verified) == []
    os.utime(a, None)  # touched, same bytes
    assert changed_raw_files(raw, stamps, verified) == []
    a.write_bytes(b"9\n")  # other bytes, older time, stamp not yet refreshed
    os.utime(a, (900_000_000, 900_000_000))
    assert changed_raw_files(raw, stamps, verified) == [str(a)]
    refresh_stamps(raw, stamps)  # a workflow read the folder (stamp newer than the verification)
    assert changed_raw_files(raw, stamps, verified) == [str(a)]
    (raw / "c.csv").write_bytes(b"new\n")  # a new file has no stamp yet
    assert changed_raw_files(raw, stamps, verified) == [str(a), str(raw / "c.csv")]


# --------------------------------------------------------------------------- the workflow


@pytest.mark.slow
@pytest.mark.study
def test_a_survey_wave_with_other_bytes_and_an_older_date_reruns_the_survey(shipped_study, tmp_path):
    """One wave-2 data row removed, the file dated 2020, the manifest rewritten: `nero status` names
    the file; wave 2's import, the cleaning and what reads it are out of date, wave 1's import and
    Study 1 are not; the rebuild's wave-2 table has one row fewer."""
    work = _copy(shipped_study, tmp_path / "wave")
    export = sorted((work / "data" / "raw" / "survey" / "wave-2").glob("*.csv"))[0]
    before = pd.read_csv(work / "results" / "survey" / "waves" / "wave-2.csv")
    lines = export.read_bytes().split(b"\r\n")
    _replace(export, b"\r\n".join(lines[:-3] + lines[-2:]))  # drop the last data row (the file ends with CRLF)
    write_manifest(work / "data" / "raw")
    status = build_status(work)
    assert f"data/raw/survey/wave-2/{export.name}" in status.raw_changed
    assert f"changed: data/raw/survey/wave-2/{export.name}" in status.summary() and not status.ok
    outdated = set(status.outdated["output_file"])
    for path in (
        "results/survey/waves/wave-2.csv",
        "results/survey/clean.csv",
        "results/sem/summary.json",
        "results/fsqca/summary.json",
        "results/report.html",
    ):
        assert path in outdated, path
    assert "results/survey/waves/wave-1.csv" not in outdated
    assert not [p for p in outdated if p.startswith(("results/study1/", "results/slr/"))]
    run_snakemake(work, "results/survey/waves/wave-2.csv")
    after = pd.read_csv(work / "results" / "survey" / "waves" / "wave-2.csv")
    assert len(after) == len(before) - 1


@pytest.mark.slow
@pytest.mark.study
def test_a_broken_refi_qda_project_with_an_older_date_fails_the_study1_import(shipped_study, tmp_path):
    """The REFI-QDA project replaced by a truncated copy dated 2020 (manifest rewritten): Study 1 is
    out of date, the survey is not, and the rebuild stops in the import naming the project."""
    work = _copy(shipped_study, tmp_path / "qdpx")
    project = work / "data" / "raw" / "interviews" / "study1.qdpx"
    data = project.read_bytes()
    _replace(project, data[: len(data) // 2])
    write_manifest(work / "data" / "raw")
    status = build_status(work)
    assert status.raw_changed == ["data/raw/MANIFEST.sha256", "data/raw/interviews/study1.qdpx"]
    outdated = set(status.outdated["output_file"])
    assert {"results/study1/selections.csv", "results/study1/typology.csv", "results/report.html"} <= outdated
    assert not [p for p in outdated if p.startswith(("results/survey/", "results/slr/"))]
    proc = run_snakemake(work, "results/study1/selections.csv", check=False)
    assert proc.returncode != 0
    assert "study1.qdpx" in proc.stdout + proc.stderr
    assert not (work / "results" / "study1" / "selections.csv").exists()  # no stale Study 1 table left


@pytest.mark.slow
@pytest.mark.study
def test_a_literature_export_with_an_older_date_reruns_the_review(shipped_study, tmp_path):
    """A literature export with one record fewer, dated 2020: the review's import reruns and the
    record table has one record fewer; the survey and Study 1 are not out of date."""
    work = _copy(shipped_study, tmp_path / "slr")
    export = work / "data" / "raw" / "slr" / "searches" / "scopus_main" / "scopus.csv"
    rel = export.relative_to(work).as_posix()
    before = pd.read_csv(work / "results" / "slr" / "records.csv")
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    text = export.read_bytes()
    lines = text.splitlines(keepends=True)
    assert len(lines) == len(frame) + 1, "one record per line expected in this export"
    _replace(export, b"".join(lines[:-1]))
    write_manifest(work / "data" / "raw")
    status = build_status(work)
    assert rel in status.raw_changed
    outdated = set(status.outdated["output_file"])
    assert {"results/slr/records.csv", "results/slr/flow.csv"} <= outdated
    assert not [p for p in outdated if p.startswith(("results/survey/", "results/study1/"))]
    run_snakemake(work, "results/slr/records.csv")
    after = pd.read_csv(work / "results" / "slr" / "records.csv")
    assert len(after) == len(before) - 1


@pytest.mark.slow
@pytest.mark.study
def test_touch_with_the_same_content_reruns_nothing(shipped_study, tmp_path):
    """Every raw file and the manifest touched (new times, same bytes): nothing is out of date,
    and a run does nothing."""
    work = _copy(shipped_study, tmp_path / "touched")
    for path in (work / "data" / "raw").rglob("*"):
        if path.is_file():
            os.utime(path, None)
    status = build_status(work)
    assert status.ok and status.raw_changed == [], status.summary()
    proc = run_snakemake(work)
    assert "Nothing to be done" in proc.stdout + proc.stderr
