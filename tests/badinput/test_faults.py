"""Faults rather than bad files: a full disk, a read-only output path, a killed build,
two builds at once, a rebuild that fails after an input changed, and pages that would
load scripts from the network.

Most cases call the library or the CLI in this process; one module builds the survey
chain of the shipped study with Snakemake once and uses it for the kill, the stale lock
and the failed rebuild.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from badinput_corpus import REPO, copy_survey
from test_corpus import run_cli, snapshot

SURVEY_ARGS = ["survey", "clean", "{dir}/in/survey", "--codebook", "{dir}/in/codebook.yaml", "--out", "{dir}/out"]


def _argv(root: Path) -> list[str]:
    return [a.replace("{dir}", str(root)) for a in SURVEY_ARGS]


def test_full_disk_stand_in_leaves_no_output_and_names_the_file(tmp_path, monkeypatch):
    """ENOSPC on the fourth file written: exit 2 naming the file, no temporary or partial file left."""
    import nero.outputs

    copy_survey(tmp_path)
    before = snapshot(tmp_path / "in")
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(nero.outputs.os, "replace", replace)
    status, message = run_cli(_argv(tmp_path))
    assert status == 2, message
    assert "No space left on device" in message and "ENOSPC" in message and str(tmp_path / "out") in message
    assert "Traceback" not in message
    left = [p for p in (tmp_path / "out").rglob("*") if p.is_file()] if (tmp_path / "out").exists() else []
    assert left == [], f"partial outputs left behind: {left}"
    assert snapshot(tmp_path / "in") == before


def _file_size_limit(limit_bytes: int):
    """A ``preexec_fn`` that sets ``ulimit -f`` (RLIMIT_FSIZE) in the child; Python ignores SIGXFSZ, so a
    write past the limit fails with EFBIG ("File too large") instead of killing the process."""
    import resource

    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return apply


def test_file_too_large_names_the_file_cli(tmp_path):
    """A real `ulimit -f` of 8 KiB: the survey cleaning's larger outputs cannot be written. The CLI exits 2
    naming the output file and EFBIG, with no traceback and no partial or temporary file."""
    copy_survey(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "nero", *_argv(tmp_path)],
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limit(8192),
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    message = proc.stderr.strip().splitlines()[-1]
    assert "File too large" in message and "EFBIG" in message and "ulimit -f" in message
    named = message.split("cannot write ", 1)[1].split(":", 1)[0]
    assert named.startswith(str(tmp_path / "out")) and not Path(named).name.startswith("."), message
    assert "Traceback" not in proc.stderr
    left = [
        p for p in (tmp_path / "out").rglob("*") if p.is_file() and (p.name.startswith(".") or p.stat().st_size >= 8192)
    ]
    assert left == [], f"partial or temporary outputs left behind: {left}"


def test_file_too_large_names_the_file_in_a_rule_log(tmp_path):
    """A rule's script under `ulimit -f`: the log's closing block (what the console shows last after a
    failed build) names the output that could not be written, not only "[Errno 27] File too large"."""
    from nero.outputs import ERROR_MARK

    script = (
        "import sys\nfrom nero.outputs import atomic_write_text, log_to\n"
        "with log_to(sys.argv[1]):\n    atomic_write_text(sys.argv[2], 'x' * 100_000)\n"
    )
    log, target = tmp_path / "logs" / "rule.log", tmp_path / "results" / "big.csv"
    (tmp_path / "logs").mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", script, str(log), str(target)],
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limit(16384),
        timeout=120,
    )
    assert proc.returncode != 0
    block = log.read_text().rsplit(ERROR_MARK, 1)[1]
    assert f"cannot write {target}: file too large" in block and "ulimit -f" in block, block
    assert not target.exists() and list((tmp_path / "results").iterdir()) == []


def test_output_path_under_a_file_is_named(tmp_path):
    """An output folder that cannot be created (a file is in the way) ends with the path, not a traceback."""
    copy_survey(tmp_path)
    (tmp_path / "out").write_text("a file where the output folder should be\n")
    status, message = run_cli(_argv(tmp_path))
    assert status == 2, message
    assert str(tmp_path / "out") in message and "not a folder" in message
    assert "Traceback" not in message
    assert (tmp_path / "out").read_text() == "a file where the output folder should be\n"


def test_a_running_build_keeps_its_lock(tmp_path):
    """Two builds at once: the lock of a live Snakemake process is never cleared."""
    from nero.provenance.runstate import clear_stale_lock, lock_state

    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("data/raw/MANIFEST.sha256\n")
    # a process that runs in the folder and whose command line names snakemake
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "snakemake"], cwd=tmp_path)
    try:
        # until the child has exec'd, /proc shows the forked pytest's command line, not "snakemake"
        cmdline = Path(f"/proc/{proc.pid}/cmdline")
        deadline = time.monotonic() + 30
        while b"snakemake" not in cmdline.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.01)
        state = lock_state(tmp_path)
        assert state.state == "held" and proc.pid in state.pids
        status, message = run_cli(["status", "--repo", str(tmp_path), "--clear-stale-lock"])
        assert status == 2 and "held by a running build" in message and str(proc.pid) in message
        assert (locks / "0.input.lock").exists()
    finally:
        proc.kill()
        proc.wait()
    assert clear_stale_lock(tmp_path).state == "stale"
    assert not (locks / "0.input.lock").exists()


def test_notebook_pages_load_nothing_from_the_network():
    """nbconvert's page with its CDN scripts is made self-contained; the check finds every remote request."""
    import nbformat
    from nbconvert import HTMLExporter

    from nero.outputs import remote_references, self_contained_html

    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Study\n$x^2$")])
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(book)
    assert any("cdnjs" in url for url in remote_references(page)), "nbconvert no longer loads from a CDN?"
    clean = self_contained_html(page)
    assert remote_references(clean) == []
    assert "<h1" in clean and "Study" in clean
    # the check itself: src, href of a style sheet, module imports; not a link a reader clicks
    assert remote_references(
        '<img src="https://x/a.png"><link rel="stylesheet" href="//cdn/s.css">'
        '<script type="module">import m from "https://y/m.js"</script>'
        '<a href="https://doi.org/10.1">doi</a>'
    ) == ["https://x/a.png", "//cdn/s.css", "https://y/m.js"]


# ---------------------------------------------------------------------------------------
# Snakemake: a kill mid-build, the stale lock, and a failed rebuild after an input changed
# ---------------------------------------------------------------------------------------

TARGET = "results/survey/flow.png"


def _snakemake(work: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "1", *args],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        **kwargs,
    )


@pytest.fixture(scope="module")
def survey_build(tmp_path_factory):
    """A copy of the workflow and the shipped raw data, with the survey chain built once."""
    from nero.testing import copy_workflow

    work = copy_workflow(tmp_path_factory.mktemp("faults"))
    shutil.copytree(REPO / "data" / "raw", work / "data" / "raw")
    proc = _snakemake(work, TARGET)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return work


@pytest.mark.slow
def test_kill_mid_build_then_make_study_recovers(survey_build):
    """kill -9 during clean_survey: a stale lock is left; make study's lock step clears it and the
    rerun finishes; the raw data are untouched."""
    work = survey_build
    raw_before = snapshot(work / "data" / "raw")
    for path in (work / "results" / "survey").glob("*"):
        if path.is_file():
            path.unlink()
    (work / "results" / "logs" / "survey" / "clean_survey.log").unlink(missing_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    proc = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", "1", TARGET],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    log = work / "results" / "logs" / "survey" / "clean_survey.log"
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        if log.exists():
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the build ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    from nero.provenance.runstate import lock_state

    assert lock_state(work).state == "stale"
    status, message = run_cli(["status", "--repo", str(work), "--clear-stale-lock"])
    assert status == 0 and "removed the stale lock" in message
    rerun = _snakemake(work, "--rerun-incomplete", TARGET)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert (work / TARGET).is_file() and (work / "results" / "survey" / "clean.csv").is_file()
    assert snapshot(work / "data" / "raw") == raw_before


@pytest.mark.slow
def test_failed_rebuild_leaves_no_stale_results_and_ends_with_nero_message(survey_build):
    """An answer mistyped in wave 2 (manifest rewritten, as after replacing data on purpose): the rebuild
    fails in the wave import; the outdated clean table and flow figure are removed rather than left
    beside fresh files; the console's last lines name the file, row, column and what was expected;
    `nero status` lists what is out of date and the failed rule."""
    from nero.provenance import write_manifest

    work = survey_build
    if not (work / TARGET).is_file():
        assert _snakemake(work, "--rerun-incomplete", TARGET).returncode == 0
    export = next((work / "data" / "raw" / "survey" / "wave-2").glob("*.csv"))
    lines = export.read_bytes().split(b"\r\n")
    header = lines[0].decode("utf-8-sig").split(",")
    cells = lines[5].split(b",")
    cells[header.index("Q4_2")] = b"abc"
    lines[5] = b",".join(cells)
    export.write_bytes(b"\r\n".join(lines))
    write_manifest(work / "data" / "raw")
    raw_before = snapshot(work / "data" / "raw")
    proc = _snakemake(work, TARGET)
    assert proc.returncode != 0
    tail = proc.stderr.strip().splitlines()[-12:]
    closing = "\n".join(tail)
    assert "nero: the build stopped" in closing
    assert "wave-2/" in closing and "row 6" in closing and "'Q4_2'" in closing and "'abc'" in closing
    assert "results/logs/survey/import_wave-2.log" in closing
    log = (work / "results" / "logs" / "survey" / "import_wave-2.log").read_text()
    assert "Traceback" in log  # the traceback stays in the log
    for stale in ("results/survey/clean.csv", "results/survey/flow.png", "results/survey/waves/wave-2.csv"):
        assert not (work / stale).exists(), f"{stale} is out of date but was left in results/"
    assert (work / "results" / "logs" / "outdated_removed.txt").read_text().count("results/survey/") >= 3
    status, message = run_cli(["status", "--repo", str(work)])
    assert status == 1
    assert "results/survey/clean.csv" in message and "failed: " in message and "import_wave-2.log" in message
    assert snapshot(work / "data" / "raw") == raw_before


@pytest.mark.slow
def test_config_error_stops_snakemake_before_any_job_naming_the_key(survey_build, tmp_path):
    """fsQCA anchors out of order are refused when the workflow is read, before the survey stage runs."""
    import yaml

    work = survey_build
    config = yaml.safe_load((work / "config" / "config.yaml").read_text())
    config["fsqca"]["anchors"]["MKT"].update(exclusion=5.0, crossover=4.0, inclusion=3.0 + 3.5)
    bad = tmp_path / "config.yaml"
    bad.write_text(yaml.safe_dump(config, sort_keys=False))
    proc = _snakemake(work, "-n", "--configfile", str(bad))
    assert proc.returncode != 0
    assert "fsqca.anchors.MKT: anchors out of order" in proc.stderr + proc.stdout
