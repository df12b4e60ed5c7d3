"""A real single-node SLURM runs a small design target and a part of the study.

.ci/slurm-up installs (if needed) and starts Debian's slurmctld, slurmd and munge on this
machine; the workflow then runs through ``--profile profiles/slurm``
(snakemake-executor-plugin-slurm submitting with sbatch and polling squeue), and the
tables must equal those of a local run of the same targets. No mock of sbatch or
squeue. Skipped, with the reason, only where the cluster cannot be started (no root,
no apt-get or Debian's packages) or the SLURM executor plugin is not installed (it is not
part of a local install: ``make install-cluster``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
import yaml

from nero.testing import REPO, copy_workflow, run_snakemake

pytestmark = [pytest.mark.slow, pytest.mark.study]

#: Targets: the design analysis (true values and two batches on SLURM, gather locally) and
#: the survey stage of the study (raw-data check, both waves' imports, the cleaning).
TARGETS = ["analyse_design", "results/survey/clean.csv"]
#: Tables that must be byte-identical between the SLURM run and the local run.
COMPARED = [
    "results/design/replicates.csv",
    "results/design/rates.csv",
    "results/design/design_table.csv",
    "results/design/truth.csv",
    "results/survey/clean.csv",
    "results/survey/exclusion_log.csv",
    "results/survey/flow.csv",
]
#: SLURM runs are killed (not terminated: a hung status check ignores SIGTERM) after this.
SLURM_TIMEOUT = 900


def _start_cluster() -> None:
    if importlib.util.find_spec("snakemake_executor_plugin_slurm") is None:
        pytest.skip(
            "snakemake-executor-plugin-slurm is not installed: run `make install-cluster` "
            "(requirements-cluster.lock; .ci/run does)"
        )
    proc = subprocess.run([str(REPO / ".ci" / "slurm-up")], capture_output=True, text=True, timeout=900)
    if proc.returncode == 2:
        pytest.skip(f"no SLURM here: {(proc.stdout + proc.stderr).strip()}")
    assert proc.returncode == 0, f".ci/slurm-up failed:\n{proc.stdout}\n{proc.stderr}"


def _small_design(work):
    """The copy's config with a tiny design (two replicates of one scenario, one per batch)."""
    path = work / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["design"] = {
        "replications": 2,
        "batch_size": 1,
        "n_boot": 50,
        "alpha": 0.05,
        "truth_draws": 5000,
        "scenarios": {"planted_n100": {"process": "planted", "n": 100}},
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _workflow(dest):
    work = copy_workflow(dest)
    shutil.copytree(REPO / "data", work / "data")
    shutil.copytree(REPO / "profiles", work / "profiles")
    _small_design(work)
    return work


def _cancel_leftovers(work) -> None:
    """scancel every job still queued from ``work`` (by its working directory)."""
    proc = subprocess.run(["squeue", "-h", "-o", "%i %Z"], capture_output=True, text=True)
    ids = [line.split()[0] for line in proc.stdout.splitlines() if str(work) in line]
    if ids:
        subprocess.run(["scancel", *ids], check=False)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same targets through SLURM and locally. The SLURM run mostly waits (sbatch, job
    start, status polls), so the local run goes alongside it rather than before it."""
    _start_cluster()
    local = _workflow(tmp_path_factory.mktemp("local"))
    cluster = _workflow(tmp_path_factory.mktemp("slurm"))
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", MPLBACKEND="Agg")
    output = cluster.parent / "slurm-run.log"
    with output.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                "timeout",
                "-s",
                "KILL",
                str(SLURM_TIMEOUT),
                sys.executable,
                "-m",
                "snakemake",
                "--profile",
                "profiles/slurm",
                *TARGETS,
            ],
            cwd=cluster,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,
        )
        try:
            run_snakemake(local, *TARGETS)
            returncode = proc.wait()
        finally:
            if proc.poll() is None:  # the local run failed: stop the SLURM run too
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            _cancel_leftovers(cluster)
    text = output.read_text(encoding="utf-8")
    assert returncode == 0, f"snakemake --profile profiles/slurm failed ({returncode}):\n{text[-6000:]}"
    return local, cluster, text


def test_jobs_ran_as_slurm_jobs(runs):
    _, _, output = runs
    # the plugin deletes the logs of successful jobs; its submission lines name each job's rule
    submitted = re.findall(r"submitted with SLURM jobid (\d+) \(log: \S*/slurm_logs/(rule_\w+)/", output)
    rules = {rule for _, rule in submitted}
    assert {
        "rule_compute_design_truth",
        "rule_simulate_design_batch",
        "rule_import_survey_wave",
        "rule_clean_survey",
    } <= rules, output[-3000:]
    # truth, two batches, the raw-data check of the survey part, two wave imports, the cleaning
    assert len({jobid for jobid, _ in submitted}) >= 7, output[-3000:]


def test_slurm_tables_equal_the_local_run(runs):
    local, cluster, _ = runs
    for rel in COMPARED:
        assert (cluster / rel).read_bytes() == (local / rel).read_bytes(), f"{rel} differs between SLURM and local"


def test_design_batches_equal_the_local_run(runs):
    local, cluster, _ = runs
    batches = sorted(p.relative_to(local) for p in (local / "results" / "design" / "batches").rglob("*.csv"))
    assert len(batches) == 2
    for rel in batches:
        assert (cluster / rel).read_bytes() == (local / rel).read_bytes(), f"{rel} differs"
