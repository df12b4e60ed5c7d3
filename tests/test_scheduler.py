"""The local run's scheduler without the default job-rate limiter (nero.provenance.scheduler)."""

import subprocess
import sys
from types import SimpleNamespace

import pytest

from nero.provenance.scheduler import DEFAULT_LIMIT, drop_default_rate_limiter


def _workflow(max_jobs=100, timespan=1, local=True, limiter=True):
    rate = SimpleNamespace(max_jobs=max_jobs, timespan=timespan) if limiter else None
    return SimpleNamespace(local_exec=local, scheduler=SimpleNamespace(job_rate_limiter=rate))


def test_the_default_limiter_of_a_local_run_is_dropped():
    workflow = _workflow()
    assert DEFAULT_LIMIT == (100, 1.0)
    assert drop_default_rate_limiter(workflow) is True
    assert workflow.scheduler.job_rate_limiter is None
    assert drop_default_rate_limiter(workflow) is False  # nothing left to drop


@pytest.mark.parametrize(
    ("max_jobs", "timespan"),
    [(99, 1), (101, 1), (100, 2), (100, 0.5), (50, 60)],
    ids=["fewer jobs", "more jobs", "longer timespan", "shorter timespan", "per minute"],
)
def test_a_limit_the_user_chose_is_kept(max_jobs, timespan):
    workflow = _workflow(max_jobs, timespan)
    assert drop_default_rate_limiter(workflow) is False
    assert (workflow.scheduler.job_rate_limiter.max_jobs, workflow.scheduler.job_rate_limiter.timespan) == (
        max_jobs,
        timespan,
    )


def test_a_cluster_run_keeps_its_limiter():
    workflow = _workflow(local=False)
    assert drop_default_rate_limiter(workflow) is False
    assert workflow.scheduler.job_rate_limiter is not None


def test_no_scheduler_or_no_limiter():
    assert drop_default_rate_limiter(SimpleNamespace(local_exec=True)) is False
    assert drop_default_rate_limiter(SimpleNamespace(local_exec=True, scheduler=None)) is False
    assert drop_default_rate_limiter(_workflow(limiter=False)) is False


SNAKEFILE = """
onstart:
    from nero.provenance.scheduler import drop_default_rate_limiter
    print("limiter dropped:", drop_default_rate_limiter(workflow))

rule all:
    input: expand("out/{i}.txt", i=range(5))

rule one:
    output: "out/{i}.txt"
    shell: "echo {wildcards.i} > {output}"
"""


@pytest.mark.parametrize(("extra", "dropped"), [([], True), (["--max-jobs-per-timespan", "3/1s"], False)])
def test_a_real_snakemake_run_completes_without_it(tmp_path, extra, dropped):
    (tmp_path / "Snakefile").write_text(SNAKEFILE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *extra],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"limiter dropped: {dropped}" in proc.stdout + proc.stderr
    assert sorted(p.read_text() for p in (tmp_path / "out").iterdir()) == [f"{i}\n" for i in range(5)]
    assert "6 of 6 steps (100%) done" in proc.stderr


def test_make_study_and_the_audit_schedule_alike_and_name_a_real_rule():
    import re
    from pathlib import Path

    from nero.provenance.audit import STUDY_SCHEDULER_ARGS

    root = Path(__file__).parents[1]
    study_args = re.search(r"^STUDY_ARGS := (.*)$", (root / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert " ".join(STUDY_SCHEDULER_ARGS) in study_args
    prioritized = STUDY_SCHEDULER_ARGS[STUDY_SCHEDULER_ARGS.index("--prioritize") + 1]
    # a name that is no rule would be taken for a file name and prioritise nothing
    rules = "".join(p.read_text(encoding="utf-8") for p in (root / "workflow" / "rules").glob("*.smk"))
    assert re.search(rf"^rule {prioritized}:", rules, re.M)


def test_the_audit_prioritises_the_multiverse_only_where_the_workflow_has_it(tmp_path):
    """The study's workflow gets every scheduling argument of `make study`; a workflow without the
    prioritised rule gets the greedy scheduler alone (Snakemake refuses a --prioritize target no
    rule makes)."""
    from pathlib import Path

    from nero.provenance.audit import STUDY_SCHEDULER_ARGS, scheduler_args

    root = Path(__file__).parents[1]
    assert scheduler_args(root) == list(STUDY_SCHEDULER_ARGS)
    (tmp_path / "Snakefile").write_text('rule all:\n    input: "out.txt"\n')
    assert scheduler_args(tmp_path) == ["--scheduler", "greedy"]
    (tmp_path / "workflow" / "rules").mkdir(parents=True)
    (tmp_path / "workflow" / "rules" / "multiverse.smk").write_text("rule multiverse_gather:\n    output: 'x'\n")
    assert scheduler_args(tmp_path) == list(STUDY_SCHEDULER_ARGS)
    # a rule whose name only begins like it does not count
    (tmp_path / "workflow" / "rules" / "multiverse.smk").write_text("rule multiverse_gather_all:\n    output: 'x'\n")
    assert scheduler_args(tmp_path) == ["--scheduler", "greedy"]
