"""Helpers for tests that run the Snakemake DAG on a temporary copy of the workflow.

Used by the project's own test suite and useful to anyone extending the pipeline
(e.g. to check that a new wave or a new rule builds on a small simulated study).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

#: The checkout this package was installed from (editable install: src/nero -> repo root).
REPO = Path(__file__).resolve().parents[2]


def copy_workflow(dest: str | os.PathLike, repo: str | os.PathLike | None = None) -> Path:
    """Copy what the DAG needs (Snakefile, workflow/, config/, notebooks/, the shipped design
    reference that the report shows) into ``dest``."""
    repo = Path(repo) if repo is not None else REPO
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(repo / "Snakefile", dest / "Snakefile")
    for folder in ("workflow", "config", "notebooks", "results-reference", "design-reference"):
        if (repo / folder).is_dir():
            shutil.copytree(repo / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def scheduler_args(cores: int) -> list[str]:
    """Snakemake options that spare its scheduler's CPU on a machine with ``cores`` cores.

    While jobs wait for a free core, Snakemake 9's scheduler re-evaluates once a second per
    finished job (the job-rate limiter's timers keep re-arming) and each time reads the input
    sizes of every waiting job; with many jobs waiting together (the 53 one-table exports of an
    earlier layout) this took ~30% of a full build's CPU. ``--scheduler-subsample`` makes each evaluation consider only as
    many waiting jobs as there are cores (enough to fill them): about 40% less scheduler CPU,
    and byte-identical results (checked with :func:`nero.provenance.examiner.compare_trees`).
    """
    return ["--scheduler-subsample", str(max(1, int(cores)))]


def run_snakemake(
    workdir: str | os.PathLike, *args: str, check: bool = True, timeout: int = 1500
) -> subprocess.CompletedProcess:
    """Run ``python -m snakemake --cores 2 ARGS`` in ``workdir``; raise with its output if it fails."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *scheduler_args(2), *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}")
    return proc
