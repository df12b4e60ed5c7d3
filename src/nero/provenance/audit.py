"""The examiner's audit: raw data untouched, and a rebuild reproduces the reference tables.

``nero audit`` (``make audit``)

1. compares ``data/raw`` with ``data/raw/MANIFEST.sha256``;
2. rebuilds the whole study in a temporary directory (a copy of the workflow, its config and
   every input folder the workflow declares, :func:`rebuild_inputs`), showing Snakemake's
   progress;
3. compares every table in ``results-reference/`` (small CSV and JSON files) with the
   rebuilt one, cell by cell: numbers within ``atol + rtol * |reference|``, text exactly;
4. compares what the examiner reads, the existing ``results/`` (tables, the report's
   text, the notebooks' outputs, figure bytes), with the rebuild, naming every file and
   line that differs (:mod:`nero.provenance.examiner`). An edited number in
   ``report.html``, a stale figure or a table left from an older build fails the audit.

If the raw data were changed, the rebuild still runs (on a copy whose manifest is
rewritten, so the changed value flows through) to show which tables and cells moved;
the audit fails either way.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nero.provenance.comparison import ATOL, RTOL, CellDiff, compare_csv, compare_json
from nero.provenance.examiner import compare_trees
from nero.provenance.manifest import verify_manifest, write_manifest

#: What the reference set holds (small, human-readable tables only).
REFERENCE_SUFFIXES = (".csv", ".json")
REFERENCE_MAX_BYTES = 256_000
#: Outputs that are not part of the reference: run-specific records and logs.
NOT_AUDITED = ("logs/", "benchmarks/", "provenance", "notebooks/", "report")

#: How `make study` schedules its jobs (the Makefile's STUDY_ARGS; docs/pipeline.md).
STUDY_SCHEDULER_ARGS = ("--scheduler", "greedy", "--prioritize", "multiverse_gather")


def scheduler_args(workdir: Path) -> list[str]:
    """:data:`STUDY_SCHEDULER_ARGS` for the workflow in ``workdir``: the prioritised rule only where
    the workflow defines it (Snakemake refuses a ``--prioritize`` target no rule makes)."""
    args = list(STUDY_SCHEDULER_ARGS)
    at = args.index("--prioritize")
    rule = re.compile(rf"^rule {re.escape(args[at + 1])}:", re.M)
    files = [workdir / "Snakefile", *sorted((workdir / "workflow").rglob("*.smk")), *sorted(workdir.glob("*.smk"))]
    if not any(f.is_file() and rule.search(f.read_text(encoding="utf-8")) for f in files):
        del args[at : at + 2]
    return args


@dataclass
class AuditReport:
    """What the audit found. ``ok`` when nothing differs."""

    raw_changed: list[str] = field(default_factory=list)
    tables_passed: list[str] = field(default_factory=list)
    tables_failed: dict[str, str] = field(default_factory=dict)
    cells: list[CellDiff] = field(default_factory=list)
    rebuild_error: str | None = None
    rtol: float = RTOL
    atol: float = ATOL
    #: The existing results/ compared with the rebuild (None: not compared).
    results_check: object | None = None
    results_note: str | None = None

    @property
    def ok(self) -> bool:
        results_ok = self.results_check is None or self.results_check.ok
        return not (self.raw_changed or self.tables_failed or self.rebuild_error) and results_ok

    def summary(self, max_cells: int = 40) -> str:
        lines = []
        if self.raw_changed:
            lines.append("FAIL raw data differ from data/raw/MANIFEST.sha256:")
            lines += [f"     {item}" for item in self.raw_changed]
        else:
            lines.append("PASS raw data match data/raw/MANIFEST.sha256")
        if self.rebuild_error:
            lines.append(f"FAIL the rebuild did not finish:\n{self.rebuild_error}")
        for table in self.tables_passed:
            lines.append(f"PASS {table}")
        for table, why in self.tables_failed.items():
            lines.append(f"FAIL {table}: {why}")
        if self.cells:
            lines.append(f"Cells that moved (tolerance: |diff| <= {self.atol:g} + {self.rtol:g} x |reference|):")
            lines += [f"  {cell}" for cell in self.cells[:max_cells]]
            if len(self.cells) > max_cells:
                lines.append(f"  ... and {len(self.cells) - max_cells} more")
        if self.results_check is not None:
            lines.append(self.results_check.summary("results/"))
        if self.results_note:
            lines.append(self.results_note)
        lines.append("AUDIT PASSED" if self.ok else "AUDIT FAILED")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "raw_changed": self.raw_changed,
            "tables_passed": self.tables_passed,
            "tables_failed": self.tables_failed,
            "cells": [vars(c) for c in self.cells],
            "rebuild_error": self.rebuild_error,
            "results": None if self.results_check is None else self.results_check.to_dict(),
            "results_note": self.results_note,
            "rtol": self.rtol,
            "atol": self.atol,
        }


def reference_tables(results_dir: str | os.PathLike) -> list[str]:
    """The tables under ``results_dir`` that belong in the reference set (relative paths)."""
    results_dir = Path(results_dir)
    chosen = []
    for path in sorted(results_dir.rglob("*")):
        rel = path.relative_to(results_dir).as_posix()
        if not path.is_file() or path.suffix not in REFERENCE_SUFFIXES:
            continue
        if any(rel.startswith(prefix) for prefix in NOT_AUDITED) or path.name.startswith("."):
            continue
        if path.stat().st_size > REFERENCE_MAX_BYTES:
            continue
        chosen.append(rel)
    return chosen


def update_reference(results_dir: str | os.PathLike, reference_dir: str | os.PathLike) -> list[str]:
    """Replace ``reference_dir`` with copies of the reference tables of ``results_dir``."""
    results_dir, reference_dir = Path(results_dir), Path(reference_dir)
    tables = reference_tables(results_dir)
    if reference_dir.exists():
        shutil.rmtree(reference_dir)
    for rel in tables:
        target = reference_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(results_dir / rel, target)
    return tables


def compare_results(
    reference_dir: str | os.PathLike,
    results_dir: str | os.PathLike,
    rtol: float = RTOL,
    atol: float = ATOL,
    report: AuditReport | None = None,
) -> AuditReport:
    """Compare every table of the reference set with ``results_dir``."""
    reference_dir, results_dir = Path(reference_dir), Path(results_dir)
    report = report or AuditReport(rtol=rtol, atol=atol)
    tables = sorted(p.relative_to(reference_dir).as_posix() for p in reference_dir.rglob("*") if p.is_file())
    if not tables:
        report.tables_failed[str(reference_dir)] = "the reference set is empty"
    for rel in tables:
        rebuilt = results_dir / rel
        if not rebuilt.is_file():
            report.tables_failed[rel] = "not rebuilt"
            continue
        compare = compare_csv if rel.endswith(".csv") else compare_json
        reason, cells = compare(reference_dir / rel, rebuilt, rel, rtol, atol)
        if reason:
            report.tables_failed[rel] = reason
            report.cells.extend(cells)
        else:
            report.tables_passed.append(rel)
    return report


#: The workflow's own definition: read by Snakemake when it parses the workflow (rule files,
#: scripts, report captions, the config and its schemas), so copied whole into a rebuild.
WORKFLOW_DEFINITION = ("Snakefile", "workflow", "config")
#: The folder the workflow writes (docs/architecture.md): never an input of a rebuild.
RESULTS_FOLDER = "results"


class RebuildInputError(RuntimeError):
    """The inputs a rebuild needs could not be listed, or a rebuild would miss one."""


def workflow_inputs(repo_dir: str | os.PathLike) -> list[str]:
    """Every file of ``repo_dir`` that a job of the workflow declares as input, sorted.

    Asked of Snakemake itself: ``snakemake --list-untracked`` lists the files of the folder that
    no job reads, writes or logs to (hidden files and folders are not looked at); the rest, less
    the folder the workflow writes (:data:`RESULTS_FOLDER`) and the imported library's modules
    (a rebuild reads them where they are, :func:`nero.provenance.record.library_files`), are the
    inputs. Building the job graph reads the workflow once (about 10 s) and, as every run does,
    refreshes the raw files' checksum stamps under ``results/provenance/checksums`` where a raw
    file's bytes changed.

    Raises
    ------
    RebuildInputError
        Snakemake could not build the job graph (its message is included).
    """
    from nero.provenance.record import library_files, rule_input

    repo_dir = Path(repo_dir).resolve()
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--list-untracked", "--cores", "1", "--nolock"],
        cwd=repo_dir,
        capture_output=True,
        text=True,
        env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg"),
    )
    if proc.returncode != 0:
        raise RebuildInputError(
            f"{repo_dir}: Snakemake could not list the workflow's inputs:\n{(proc.stdout + proc.stderr)[-2000:]}"
        )
    untracked = set(proc.stdout.splitlines())
    library = {rule_input(path, repo_dir) for path in library_files().values()}
    found = []
    for root, dirs, files in os.walk(repo_dir):  # as Snakemake walks it: no hidden file or folder
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            rel = (Path(root) / name).relative_to(repo_dir).as_posix()
            if name.startswith(".") or rel in untracked or rel in library:
                continue
            if rel.split("/")[0] != RESULTS_FOLDER:
                found.append(rel)
    return sorted(found)


def raw_folder(repo_dir: str | os.PathLike) -> str:
    """The raw folder of the workflow in ``repo_dir`` (``raw_dir`` of config/config.yaml), relative to it."""
    from nero.config import load_yaml

    return str(load_yaml(Path(repo_dir) / "config" / "config.yaml").get("raw_dir", "data/raw")).strip("/")


def rebuild_inputs(repo_dir: str | os.PathLike, inputs: list[str] | None = None) -> list[str]:
    """What a rebuild of ``repo_dir`` copies (paths relative to it): the workflow's definition
    (:data:`WORKFLOW_DEFINITION`) and the folder of every input the workflow declares
    (:func:`workflow_inputs`: the raw folder, a synthetic study's truth map, the notebooks, the
    shipped design reference, ...), each folder whole and none inside another.

    The raw folder (``raw_dir`` of the config) is copied whole so that the manifest check of the
    rebuild sees every file in it, a file the manifest does not list included.
    """
    repo_dir = Path(repo_dir)
    inputs = workflow_inputs(repo_dir) if inputs is None else inputs
    units = {name for name in WORKFLOW_DEFINITION if (repo_dir / name).exists()} | {raw_folder(repo_dir)}
    for rel in inputs:
        parent = rel.rsplit("/", 1)[0] if "/" in rel else rel
        units.add(parent)
    ordered = sorted(units, key=lambda u: (u.count("/"), u))
    kept: list[str] = []
    for unit in ordered:
        if not any(unit == k or unit.startswith(k + "/") for k in kept):
            kept.append(unit)
    return sorted(kept)


def uncovered_inputs(inputs: list[str], copied: list[str]) -> list[str]:
    """The ``inputs`` that no file or folder of ``copied`` holds (what a rebuild would miss)."""
    return [rel for rel in inputs if not any(rel == c or rel.startswith(c.rstrip("/") + "/") for c in copied)]


def rebuild_study(
    repo_dir: str | os.PathLike,
    workdir: str | os.PathLike,
    cores: str = "all",
    rewrite_manifest: bool = False,
    stream=sys.stderr,
) -> subprocess.CompletedProcess:
    """Copy what a rebuild of ``repo_dir`` needs (:func:`rebuild_inputs`: the workflow, config
    and every input folder it declares) into ``workdir`` and run the whole DAG.

    Snakemake's progress lines are passed through to ``stream`` as they come.

    Raises
    ------
    RebuildInputError
        A declared input the copy would not hold (the copy list and the workflow disagree).
    """
    repo_dir, workdir = Path(repo_dir), Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    inputs = workflow_inputs(repo_dir)
    copied = rebuild_inputs(repo_dir, inputs)
    missing = uncovered_inputs(inputs, copied)
    if missing:
        raise RebuildInputError(f"the rebuild would not copy these inputs of the workflow: {missing}")
    for rel in copied:
        source, target = repo_dir / rel, workdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    if rewrite_manifest:
        write_manifest(workdir / raw_folder(repo_dir))
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MPLBACKEND="Agg")
    # Scheduled as `make study` schedules (the Makefile's STUDY_ARGS): the greedy scheduler, no
    # solver process per round, the multiverse and what it reads first; the same results.
    proc = subprocess.Popen(
        [sys.executable, "-m", "snakemake", "--cores", cores, *scheduler_args(workdir)],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if stream is not None and (
            " of " in line and "steps" in line or line.startswith(("rule ", "Error", "Finished"))
        ):
            stream.write("  " + line)
            stream.flush()
    proc.wait()
    return subprocess.CompletedProcess(proc.args, proc.returncode, "".join(lines), "")


def raw_changes(raw_dir: str | os.PathLike) -> list[str]:
    """What differs between ``raw_dir`` and its ``MANIFEST.sha256`` (``changed: ...``, ``missing: ...``, ``extra: ...``)."""
    check = verify_manifest(raw_dir)
    return (
        [f"changed: {p}" for p in check.changed]
        + [f"missing: {p}" for p in check.missing]
        + [f"extra: {p}" for p in check.extra]
    )


def audit_build(
    build_dir: str | os.PathLike,
    reference_dir: str | os.PathLike,
    results_dir: str | os.PathLike | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> AuditReport:
    """Audit a study already built in ``build_dir`` without rebuilding it.

    Steps 1, 3 and 4 of :func:`run_audit` on an existing build: ``build_dir/data/raw``
    against its manifest, every table of ``reference_dir`` against ``build_dir/results``,
    and (when ``results_dir`` is given) the examiner's ``results_dir`` against the build.
    """
    build_dir = Path(build_dir)
    report = AuditReport(rtol=rtol, atol=atol)
    report.raw_changed = raw_changes(build_dir / "data" / "raw")
    report = compare_results(reference_dir, build_dir / "results", rtol, atol, report)
    if results_dir is not None:
        check_results_dir(report, Path(results_dir), build_dir / "results")
    return report


def run_audit(
    repo_dir: str | os.PathLike = ".",
    reference_dir: str | os.PathLike | None = None,
    keep: str | os.PathLike | None = None,
    cores: str = "all",
    rtol: float = RTOL,
    atol: float = ATOL,
    stream=sys.stderr,
    results_dir: str | os.PathLike | None = "results",
) -> AuditReport:
    """Verify the raw data, rebuild the study in a temporary directory, compare it with the
    reference and with the existing ``results_dir`` (relative to ``repo_dir``; ``None``: skip)."""
    repo_dir = Path(repo_dir).resolve()
    reference_dir = Path(reference_dir) if reference_dir else repo_dir / "results-reference"
    report = AuditReport(rtol=rtol, atol=atol)
    report.raw_changed = raw_changes(repo_dir / "data" / "raw")
    if stream is not None:
        stream.write(
            "raw data: CHANGED (rebuilding anyway to show what moved)\n" if report.raw_changed else "raw data: OK\n"
        )
        stream.write("rebuilding the study in a temporary directory...\n")
    tmp_root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="nero-audit-"))
    try:
        proc = rebuild_study(repo_dir, tmp_root, cores=cores, rewrite_manifest=bool(report.raw_changed), stream=stream)
        if proc.returncode != 0:
            report.rebuild_error = proc.stdout[-4000:]
            return report
        report = compare_results(reference_dir, tmp_root / "results", rtol, atol, report)
        if results_dir is not None:
            check_results_dir(report, repo_dir / results_dir, tmp_root / "results")
        return report
    finally:
        if not keep:
            shutil.rmtree(tmp_root, ignore_errors=True)


def check_results_dir(report: AuditReport, results_dir: Path, rebuilt_dir: Path) -> AuditReport:
    """Add the comparison of the examiner's ``results_dir`` with the rebuild to ``report``."""
    if not results_dir.is_dir():
        report.results_note = (
            f"note: {results_dir} does not exist (nothing built yet; `make study` builds it), "
            "so only the reference tables were compared"
        )
        return report
    report.results_check = compare_trees(results_dir, rebuilt_dir, report.rtol, report.atol)
    return report
