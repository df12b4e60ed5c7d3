"""End to end: the whole DAG on a small simulated study, in a temporary copy of the workflow."""

from __future__ import annotations

import shutil

import pytest

from nero.testing import copy_workflow, run_snakemake
from nero.provenance import verify_manifest
from nero.simulate import simulate_study

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_study(tmp_path_factory):
    """A temporary copy of the workflow with a small simulated study, built once."""

    work = copy_workflow(tmp_path_factory.mktemp("study"))
    simulate_study(seed=7, n_firms=150, out_dir=work / "data")
    run_snakemake(work)
    return work


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
