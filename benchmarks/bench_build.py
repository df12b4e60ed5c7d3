"""Benchmark of the whole build: `make study` from clean, then with nothing to do (prints figures).

Not a timed test: the figures depend on the machine and on what else runs on it, so the load
average (``uptime``) is printed before and after each measurement. Runs in a scratch copy of
the checkout (Makefile, Snakefile, workflow/, config/, data/, src/, notebooks/, the reference
folders; modification times kept), with this checkout's virtual environment (``make
VENV=...``), so the checkout's own results/ are left alone.

Prints, for `make study` from clean: wall time, CPU time of every process it started (user +
system), the number of jobs and Snakemake's own "Elapsed"; the CPU of the jobs that have a
benchmark file (results/benchmarks/, Snakemake's ``cpu_time``) and the ten with most CPU; then the wall time of a second `make study` (nothing to do: the build
stamp ends it without Snakemake, nero.provenance.buildstamp) and of Snakemake itself with
nothing to do (the same command line, stamp not consulted).

Usage::

    python benchmarks/bench_build.py [--cores 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COPIED = [
    "Makefile",
    "Snakefile",
    "pyproject.toml",
    "requirements.lock",
    "requirements-cluster.lock",
    "workflow",
    "config",
    "data",
    "src",
    "notebooks",
    "results-reference",
    "design-reference",
]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


def _copy(dest: Path) -> None:
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"), copy_function=shutil.copy2)
        elif src.is_file():
            shutil.copy2(src, dest / name)


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the children, combined output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return wall, cpu, proc.stdout + proc.stderr


def _benchmarks(work: Path) -> list[tuple[float, float, str]]:
    """(CPU seconds, wall seconds, job) of every job with a benchmark file, most CPU first.

    CPU, not wall: on a shared machine a job's wall time says more about the other work than
    about the job. Snakemake's ``cpu_time`` column samples the job's processes (children
    included) while it runs and misses what ran between two samples, the imports at a job's
    start above all: a lower bound (docs/pipeline.md compares it with each process's own record).
    """
    rows = []
    for path in (work / "results" / "benchmarks").rglob("*.tsv"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) >= 2:
            header, values = lines[0].split("\t"), lines[1].split("\t")
            record = dict(zip(header, values, strict=False))
            cpu = float(record.get("cpu_time") or "nan")
            rows.append((cpu, float(record["s"]), str(path.relative_to(work / "results" / "benchmarks"))))
    return sorted(rows, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", default="all", help="make study CORES= (default: all)")
    parser.add_argument("--keep", help="build in this (new) folder and keep it")
    args = parser.parse_args()
    venv = Path(sys.prefix)
    if not (venv / "pyvenv.cfg").is_file():
        sys.exit("run with the checkout's virtual environment: .venv/bin/python benchmarks/bench_build.py")

    scratch = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nero-bench-build-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        _copy(scratch)
        make = ["make", "--no-print-directory", "study", f"VENV={venv}", f"CORES={args.cores}"]
        print(f"before the clean build: {_load()}")
        wall, cpu, out = _timed(make, scratch)
        jobs = re.findall(r"(\d+) of (\d+) steps \(100%\) done", out)
        elapsed = re.findall(r"Elapsed time: (\S+)", out)
        print(
            f"make study from clean: {wall:.1f} s wall, {cpu:.1f} s CPU (all processes), "
            f"{jobs[-1][1] if jobs else '?'} jobs, Snakemake 'Elapsed' {elapsed[-1] if elapsed else '?'}"
        )
        print(f"after it: {_load()}")
        benchmarked = _benchmarks(scratch)
        print(
            f"  {len(benchmarked)} jobs with a benchmark file: {sum(r[0] for r in benchmarked):.1f} s CPU of the "
            f"{cpu:.1f}; the ten with most CPU:"
        )
        for job_cpu, job_wall, name in benchmarked[:10]:
            print(f"    {name}: {job_cpu:.1f} s CPU, {job_wall:.1f} s wall")
        wall, cpu, out = _timed(make, scratch)
        skipped = "Nothing to be done" in out
        print(
            f"make study, nothing to do: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"({'build stamp: Snakemake not started' if skipped else 'Snakemake ran'})"
        )
        cores = ["--cores", str(os.cpu_count() if args.cores == "all" else args.cores)]
        wall, cpu, out = _timed([str(venv / "bin" / "snakemake"), *cores], scratch)
        print(
            f"snakemake itself, nothing to do: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"({'nothing to be done' if 'Nothing to be done' in out else 'RAN JOBS'})"
        )
        print(f"at the end: {_load()}")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
