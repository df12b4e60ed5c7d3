"""The state of a build folder: what is out of date and why, failed rules, and the lock.

``nero status`` asks Snakemake itself (``snakemake --summary``: every output with the
rule that makes it, its status and whether an update is pending), so "out of date"
means exactly what the next ``make study`` will rebuild. Failed rules are read from
their logs (:func:`nero.outputs.failed_rule_errors`).

The lock: Snakemake locks the folder while it runs (``.snakemake/locks/``). A build that
is killed (power cut, ``kill -9``, a closed laptop) leaves the lock behind and the next
run refuses to start. :func:`lock_state` tells a stale lock (no Snakemake process works
in the folder) from a live one (a build is running: leave it alone);
:func:`clear_stale_lock` removes only a stale one, which is what ``snakemake --unlock``
would do.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nero.outputs import failed_rule_errors
from nero.provenance.checksums import changed_raw_files

#: Statuses of ``snakemake --summary`` that mean the file is current.
CURRENT = ("ok",)
#: Where the workflow keeps the raw files' checksum stamps, and its record of the last verification.
CHECKSUMS = "results/provenance/checksums"
VERIFIED = "results/provenance/raw_verified.json"


@dataclass
class LockState:
    """``state`` is ``free``, ``held`` (a Snakemake process works in the folder) or ``stale``."""

    state: str
    lock_files: list[str] = field(default_factory=list)
    pids: list[int] = field(default_factory=list)

    def describe(self) -> str:
        if self.state == "free":
            return "lock: none (no build is running)"
        if self.state == "held":
            return (
                f"lock: held by a running build (Snakemake process {', '.join(map(str, self.pids))}); "
                "wait for it to finish, or stop it, before starting another build here"
            )
        return (
            "lock: STALE (left by a build that was killed; no Snakemake process works in this folder). "
            "`make study` removes it and reruns the incomplete jobs; by hand: snakemake --unlock, "
            "then snakemake --rerun-incomplete"
        )


def _snakemake_pids(workdir: Path) -> list[int]:
    """Processes other than this one running Snakemake with ``workdir`` as their working directory."""
    pids = []
    proc = Path("/proc")
    if not proc.is_dir():
        return pids
    own = {os.getpid(), os.getppid()}
    target = workdir.resolve()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) in own:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            if "snakemake" not in cmdline:
                continue
            if Path(os.readlink(entry / "cwd")).resolve() == target:
                pids.append(int(entry.name))
        except OSError:
            continue
    return sorted(pids)


def lock_state(workdir: str | os.PathLike = ".") -> LockState:
    """Whether ``workdir``'s Snakemake lock is absent, held by a running build, or stale."""
    workdir = Path(workdir)
    locks = sorted(str(p) for p in (workdir / ".snakemake" / "locks").glob("*.lock"))
    pids = _snakemake_pids(workdir)
    if pids:
        return LockState("held", locks, pids)
    return LockState("stale" if locks else "free", locks, [])


def clear_stale_lock(workdir: str | os.PathLike = ".") -> LockState:
    """Remove the lock files of a killed build; a lock held by a running build is left alone."""
    state = lock_state(workdir)
    if state.state == "stale":
        for path in state.lock_files:
            Path(path).unlink(missing_ok=True)
    return state


@dataclass
class StatusReport:
    """What ``nero status`` found."""

    outputs: pd.DataFrame
    failures: list[tuple[str, str]]
    lock: LockState
    error: str | None = None
    #: Raw files whose content changed since the raw data were last verified (whatever their dates).
    raw_changed: list[str] = field(default_factory=list)

    @property
    def outdated(self) -> pd.DataFrame:
        """Outputs that exist but will be rebuilt, or are missing."""
        frame = self.outputs
        return frame[(frame["plan"] != "no update") | (~frame["status"].isin(CURRENT))]

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.outdated.empty
            and not self.failures
            and not self.raw_changed
            and self.lock.state != "stale"
        )

    def summary(self) -> str:
        lines = []
        if self.error:
            lines.append(f"nero status: Snakemake could not evaluate the workflow:\n{self.error}")
        outdated = self.outdated
        if self.raw_changed:
            lines.append(
                f"raw inputs: {len(self.raw_changed)} file(s) changed since the last build (by content, "
                "whatever their dates); what depends on them is rebuilt:"
            )
            lines += [f"  changed: {path}" for path in self.raw_changed]
        if not self.outputs.empty:
            if outdated.empty:
                lines.append(f"results: all {len(self.outputs)} outputs are up to date")
            else:
                lines.append(
                    f"results: {len(outdated)} of {len(self.outputs)} outputs are out of date "
                    "(rebuilt by the next `make study`):"
                )
                for row in outdated.itertuples(index=False):
                    if row.status == "missing" or row.date == "-":
                        why = "missing"
                    elif row.status in CURRENT:
                        why = "an input of it is out of date"
                    else:
                        why = row.status
                    lines.append(f"  {row.output_file}  [{row.rule}]  {why}")
        for path, message in self.failures:
            first = message.splitlines()[0] if message else "(no message)"
            lines.append(f"failed: {path}: {first}")
        lines.append(self.lock.describe())
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "error": self.error,
            "outdated": self.outdated.to_dict(orient="records"),
            "n_outputs": int(len(self.outputs)),
            "raw_changed": self.raw_changed,
            "failed": [{"log": p, "message": m} for p, m in self.failures],
            "lock": {"state": self.lock.state, "lock_files": self.lock.lock_files, "pids": self.lock.pids},
        }


def parse_summary(text: str) -> pd.DataFrame:
    """The table of ``snakemake --summary`` (tab-separated, header ``output_file date rule ...``)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("output_file\t")), None)
    columns = ["output_file", "date", "rule", "log_files", "status", "plan"]
    if start is None:
        return pd.DataFrame(columns=columns)
    rows = [line.split("\t") for line in lines[start + 1 :] if line.count("\t") >= 5]
    frame = pd.DataFrame([r[:6] for r in rows], columns=columns)
    return frame


def build_status(workdir: str | os.PathLike = ".", log_dir: str = "results/logs") -> StatusReport:
    """Ask Snakemake what is out of date in ``workdir`` and read the failed rules' logs."""
    workdir = Path(workdir)
    lock = lock_state(workdir)
    # before Snakemake reads the workflow (which refreshes the checksum stamps)
    raw_changed = raw_changes_since_build(workdir)
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--summary", "--nolock"],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=dict(os.environ, OMP_NUM_THREADS="1"),
    )
    outputs = parse_summary(proc.stdout)
    error = None
    if proc.returncode != 0:
        error = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
    failures = failed_rule_errors(workdir / log_dir)
    if not outputs.empty:
        # a failed rule whose output is current again (fixed and rebuilt) is no longer a failure
        current_logs = set()
        for row in outputs.itertuples(index=False):
            if row.status in CURRENT and row.plan == "no update":
                current_logs.update(part.strip() for part in str(row.log_files).split(","))
        failures = [(p, m) for p, m in failures if os.path.relpath(p, workdir) not in current_logs]
    return StatusReport(outputs=outputs, failures=failures, lock=lock, error=error, raw_changed=raw_changed)


def raw_changes_since_build(workdir: str | os.PathLike = ".") -> list[str]:
    """Raw files of ``workdir`` (its config's ``raw_dir``) whose content changed since the last
    verification of the raw data (:func:`nero.provenance.checksums.changed_raw_files`), relative
    to ``workdir``; empty before the first build or without a readable config."""
    from nero.config import ConfigError, load_yaml

    workdir = Path(workdir)
    try:
        config = load_yaml(workdir / "config" / "config.yaml")
        raw_dir = workdir / str(config["raw_dir"])
    except (OSError, ConfigError, KeyError, TypeError):
        return []
    return [os.path.relpath(p, workdir) for p in changed_raw_files(raw_dir, workdir / CHECKSUMS, workdir / VERIFIED)]
