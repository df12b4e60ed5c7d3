"""Progress of ``make design`` with an estimate of the time left.

``python -m nero.design.progress -- snakemake --cores 2 analyse_design`` runs the command,
passes its output through unchanged and, after each line in which Snakemake reports
``K of N steps (P%) done``, prints one line::

    design: 12 of 61 jobs done (20%), 3 min 10 s elapsed, about 12 min 57 s left

The estimate counts the batch jobs (rule ``simulate_design_batch``, which dominate; their
number is read from Snakemake's job table): the time so far divided by the batches finished,
times the batches left (batches are of equal size, so with several cores this stays a fair
estimate). Without batch jobs in the table it counts all jobs. Before the first job counted
ends it says "estimating". The command's exit status is returned unchanged.
Written by hand: Snakemake 9 has no ETA, and its log-handler plugins would need a new
dependency for one line of arithmetic.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

#: Snakemake's progress line, e.g. ``12 of 61 steps (20%) done``.
STEPS = re.compile(r"^\s*(\d+) of (\d+) steps? \(\d+%\) done")
#: The rule of the batch jobs, its row in Snakemake's job table and its "Finished" line.
BATCH_RULE = "simulate_design_batch"
BATCH_COUNT = re.compile(rf"^\s*{BATCH_RULE}\s+(\d+)\s*$")
BATCH_DONE = re.compile(rf"^\s*Finished job(?:id)?:? .*\(Rule: {BATCH_RULE}\)")


def duration(seconds: float) -> str:
    """``seconds`` as ``1 h 2 min``, ``3 min 10 s`` or ``42 s``."""
    s = int(round(max(seconds, 0.0)))
    if s >= 3600:
        return f"{s // 3600} h {s % 3600 // 60} min"
    if s >= 60:
        return f"{s // 60} min {s % 60} s"
    return f"{s} s"


@dataclass
class Progress:
    """Jobs done out of the total and the time since the start.

    Parameters
    ----------
    start : float
        Clock value at the start (seconds).
    """

    start: float
    done: int = 0
    total: int = 0
    batches: int = 0
    batches_done: int = 0

    def update(self, line: str) -> bool:
        """Read one output line; True when it was a progress line."""
        count = BATCH_COUNT.match(line)
        if count and not self.batches:  # the job table is printed at the start (and again at the end)
            self.batches = int(count.group(1))
        if BATCH_DONE.match(line):
            self.batches_done += 1
        match = STEPS.match(line)
        if not match:
            return False
        self.done, self.total = int(match.group(1)), int(match.group(2))
        return True

    def line(self, now: float) -> str:
        """The progress line at clock value ``now``."""
        elapsed = now - self.start
        share = self.done / self.total if self.total else 0.0
        done, total = (self.batches_done, self.batches) if self.batches else (self.done, self.total)
        if self.total and self.done >= self.total:
            left = "done"
        elif done == 0:
            left = "estimating the time left"
        elif done >= total:
            left = "batches done, gathering"
        else:
            left = f"about {duration(elapsed / done * (total - done))} left"
        batches = f", batches {self.batches_done} of {self.batches}" if self.batches else ""
        return (
            f"design: {self.done} of {self.total} jobs done ({share:.0%}){batches}, {duration(elapsed)} elapsed, {left}"
        )


def follow(lines, out: TextIO, clock: Callable[[], float] = time.monotonic) -> Progress:
    """Echo ``lines`` to ``out``, adding the progress line after each Snakemake progress line."""
    progress = Progress(clock())
    for line in lines:
        out.write(line)
        if progress.update(line):
            out.write(progress.line(clock()) + "\n")
        out.flush()
    return progress


def main(argv: list[str] | None = None) -> int:
    """Run the command after ``--`` and follow its output (stdout and stderr merged)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.stderr.write("usage: python -m nero.design.progress -- COMMAND [ARGS...]\n")
        return 2
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    assert proc.stdout is not None
    follow(proc.stdout, sys.stdout)
    return proc.wait()


if __name__ == "__main__":
    sys.exit(main())
