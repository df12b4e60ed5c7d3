"""Snakemake's scheduler on one machine, without the job-rate limiter's re-arming timers.

Snakemake 9 always has a job-rate limiter (the command line's default ``--max-jobs-per-timespan
100/1s``). After every pass of its scheduling loop that limiter starts a one-second timer whose
firing runs the loop again, which starts the next timer: each job that finishes (each wake-up
of the loop) adds one such chain for the rest of the run. Near the end of a build of about 70
jobs the loop ran some 20 times a second, each time resetting the waiting jobs' parameters and
reading the size of every input of the jobs it considers (a whole-study build under cProfile:
14,437 passes, 292,548 input-size look-ups, 951,797 ``stat`` calls). On a local run the limiter
has nothing to limit -- at most ``--cores`` jobs run at once, and a finished job wakes the loop
by itself -- so :func:`drop_default_rate_limiter`, called from the workflow's ``onstart``
handler, removes it there. A limit the user chose (any other count or timespan) and every
cluster run keep theirs.

Hand-written: Snakemake has no option that turns the limiter off (its value is parsed into an
object that is always set).
"""

from __future__ import annotations

from typing import Any

#: The limiter the command line sets when none is asked for: 100 jobs per 1 second.
DEFAULT_LIMIT = (100, 1.0)


def drop_default_rate_limiter(workflow: Any) -> bool:
    """Remove the scheduler's default job-rate limiter on a local run (duck-typed Snakemake objects).

    Parameters
    ----------
    workflow : snakemake.workflow.Workflow
        The running workflow (``workflow`` in a Snakefile); its ``scheduler`` exists from the
        ``onstart`` handler on.

    Returns
    -------
    bool
        Whether the limiter was removed: False without a scheduler or a limiter, on a
        cluster (non-local) run, and for a limit other than :data:`DEFAULT_LIMIT`.
    """
    scheduler = getattr(workflow, "scheduler", None)
    limiter = getattr(scheduler, "job_rate_limiter", None)
    if limiter is None or not getattr(workflow, "local_exec", False):
        return False
    if (int(limiter.max_jobs), float(limiter.timespan)) != DEFAULT_LIMIT:
        return False
    scheduler.job_rate_limiter = None
    return True
