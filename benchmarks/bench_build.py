"""Benchmark of the whole build: `make study` from clean, then with nothing to do (prints figures).

Not a timed test: the figures depend on the machine and on what else runs on it, so the load
average (``uptime``) is printed before and after each measurement. Runs in a scratch copy of
the checkout (Makefile, Snakefile, workflow/, config/, data/, src/, notebooks/, the reference
folders; modification times kept), with this checkout's virtual environment (``make
VENV=...``), so the checkout's own results/ are left alone.

Prints, for `make study` from clean, first without the warm fork server (``NERO_FORK_SERVER=0``,
"before"), then with it ("after"), each in its own copy: wall time, CPU time of every process it
started (user + system), the number of jobs and Snakemake's own "Elapsed"; the change, and the
files of results/ that differ between the two builds (logs and benchmarks aside: there should be
none). For the build with the server: the CPU of the jobs it ran (its per-job records,
``NERO_FORK_SERVER_STATS``: each child's CPU with its descendants', from ``wait4``), of the server
itself and its warm-up time, the rest (Snakemake's own process, make, the clients, jobs that ran
before the server was warm), the CPU by stage (the rule file that names each script) and the ten
jobs with most wall time (Snakemake's benchmark files; their ``cpu_time`` sees only the client of
a job the server ran). Then the wall time of a second `make study` (nothing to do: the build
stamp ends it without Snakemake, nero.provenance.buildstamp) and of Snakemake itself with
nothing to do (the same command line, stamp not consulted).

Usage::

    python benchmarks/bench_build.py [--cores 2] [--keep DIR] [--no-before]
"""

from __future__ import annotations

import argparse
import filecmp
import json
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
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"), copy_function=shutil.copy2)
        elif src.is_file():
            shutil.copy2(src, dest / name)


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the children, combined output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
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


def _stages() -> dict[str, str]:
    """Script file name -> its stage (the rule file that names it: ``workflow/rules/<stage>.smk``)."""
    stages = {}
    for smk in sorted((REPO / "workflow" / "rules").glob("*.smk")):
        for name in re.findall(r"scripts/([A-Za-z0-9_]+\.py)", smk.read_text(encoding="utf-8")):
            stages[name] = smk.stem
    return stages


def _served(stats: Path) -> tuple[list[dict], dict | None]:
    """The fork server's job records and its own record (NERO_FORK_SERVER_STATS)."""
    if not stats.is_file():
        return [], None
    records = [json.loads(line) for line in stats.read_text(encoding="utf-8").splitlines() if line.strip()]
    own = [r for r in records if r["script"] == "(fork server)"]
    return [r for r in records if r["script"] != "(fork server)"], (own[-1] if own else None)


def _clean_build(scratch: Path, venv: Path, cores: str, fork_server: bool) -> tuple[float, float, str, Path]:
    """`make study` from clean in a new copy ``scratch``: wall, CPU, output, the fork server's record."""
    _copy(scratch)
    # beside the copy, not in it: the build stamp records every file of the checkout
    stats = scratch.with_name(scratch.name + "-fork-server.jsonl")
    wall, cpu, out = _timed(_make(venv, cores), scratch, _env(fork_server, stats))
    return wall, cpu, out, stats


def _make(venv: Path, cores: str) -> list[str]:
    return ["make", "--no-print-directory", "study", f"VENV={venv}", f"CORES={cores}"]


def _env(fork_server: bool, stats: Path) -> dict[str, str]:
    """The environment of a build (the same for its no-op rerun: NERO_ variables are part of the build stamp)."""
    return dict(os.environ, NERO_FORK_SERVER="1" if fork_server else "0", NERO_FORK_SERVER_STATS=str(stats))


def _print_build(label: str, wall: float, cpu: float, out: str) -> None:
    if "an input changed while Snakemake ran" in out:
        print(f"{label}: the build stamp was not written (an input changed while Snakemake ran)")
    jobs = re.findall(r"(\d+) of (\d+) steps \(100%\) done", out)
    elapsed = re.findall(r"Elapsed time: (\S+)", out)
    print(
        f"{label}: make study from clean: {wall:.1f} s wall, {cpu:.1f} s CPU (all processes), "
        f"{jobs[-1][1] if jobs else '?'} jobs, Snakemake 'Elapsed' {elapsed[-1] if elapsed else '?'}"
    )


def _differing(a: Path, b: Path) -> list[str]:
    """Files of results/ that differ between two builds (or exist in one only); logs and benchmarks left out."""
    skip = ("logs", "benchmarks")

    def files(root: Path) -> set[str]:
        return {
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] not in skip
        }

    ra, rb = a / "results", b / "results"
    names = files(ra) | files(rb)
    return sorted(
        n
        for n in names
        if not ((ra / n).is_file() and (rb / n).is_file() and filecmp.cmp(ra / n, rb / n, shallow=False))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", default="all", help="make study CORES= (default: all)")
    parser.add_argument("--keep", help="build in this (new) folder and keep it")
    parser.add_argument(
        "--no-before", action="store_true", help="skip the clean build without the fork server (NERO_FORK_SERVER=0)"
    )
    args = parser.parse_args()
    venv = Path(sys.prefix)
    if not (venv / "pyvenv.cfg").is_file():
        sys.exit("run with the checkout's virtual environment: .venv/bin/python benchmarks/bench_build.py")

    scratch = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="nero-bench-build-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        before = None
        if not args.no_before:
            print(f"before the clean build without the fork server: {_load()}")
            wall, cpu, out, _ = _clean_build(scratch / "before", venv, args.cores, fork_server=False)
            _print_build("before (NERO_FORK_SERVER=0)", wall, cpu, out)
            before = (wall, cpu)
        print(f"before the clean build with the fork server: {_load()}")
        work = scratch / "after"
        wall, cpu, out, stats = _clean_build(work, venv, args.cores, fork_server=True)
        _print_build("after (fork server)", wall, cpu, out)
        print(f"after it: {_load()}")
        if before:
            print(
                f"  change: wall {before[0]:.1f} s -> {wall:.1f} s, CPU {before[1]:.1f} s -> {cpu:.1f} s "
                f"({cpu - before[1]:+.1f} s)"
            )
            differing = _differing(scratch / "before", work)
            print(f"  files of results/ (logs, benchmarks aside) that differ between the two builds: {len(differing)}")
            for name in differing:
                print(f"    {name}")
        jobs, own = _served(stats)
        stages = _stages()
        by_stage: dict[str, list[float]] = {}
        for record in jobs:
            stage = stages.get(record["script"], "?")
            entry = by_stage.setdefault(stage, [0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += record["cpu_user"] + record["cpu_system"]
            entry[2] += record["wall"]
        job_cpu = sum(v[1] for v in by_stage.values())
        print(f"  jobs run by the fork server: {len(jobs)}, their CPU (children included, wait4): {job_cpu:.1f} s")
        if own:
            print(
                f"  the fork server itself: {own['cpu_user'] + own['cpu_system']:.1f} s CPU, warm-up "
                f"{own['warm_up_wall']:.1f} s wall ({own['modules']} modules)"
            )
        server_cpu = own["cpu_user"] + own["cpu_system"] if own else 0.0
        rest = cpu - job_cpu - server_cpu
        print(f"  the rest (Snakemake, make, clients, jobs run before the server was warm): {rest:.1f} s CPU")
        print("  CPU by stage (jobs run by the fork server):")
        for stage, (count, stage_cpu, stage_wall) in sorted(by_stage.items(), key=lambda kv: -kv[1][1]):
            print(f"    {stage:12s} {count:3d} jobs {stage_cpu:6.1f} s CPU {stage_wall:6.1f} s wall")
        benchmarked = _benchmarks(work)
        print(
            f"  {len(benchmarked)} jobs with a benchmark file (Snakemake's cpu_time: the client's only when the "
            f"fork server ran the job); the ten with most wall time:"
        )
        for _cpu, job_wall, name in sorted(benchmarked, key=lambda r: -r[1])[:10]:
            print(f"    {name}: {job_wall:.1f} s wall")
        wall, cpu, out = _timed(_make(venv, args.cores), work, _env(True, stats))
        skipped = "nothing changed since the last complete build" in out or "Snakemake not started" in out
        print(
            f"make study, nothing to do: {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"({'build stamp: Snakemake not started' if skipped else 'Snakemake ran'})"
        )
        cores = ["--cores", str(os.cpu_count() if args.cores == "all" else args.cores)]
        wall, cpu, out = _timed([str(venv / "bin" / "snakemake"), *cores], work)
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
