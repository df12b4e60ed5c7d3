"""Benchmark of the design analysis (prints figures; not a timed test).

Runs ``--replicates`` replicates of the planted process at each N (default 100, 150, 218,
300, 500) at the design settings of config/config.yaml (bootstrap draws ``design.n_boot``,
claims evaluated when config/claims.yaml exists; the whole study per replicate unless
``design.whole_study`` is false or ``--survey-only``) and prints, per N, the CPU seconds per
replicate split by step: the survey chain (simulate + export + import + cleaning, the design's
SEM checks and SCO fsQCA), then the whole-study stages (simulating the Study 1 coding project
and the review's exports, the SEM families, the fsQCA study with its robustness grid and the
scale-up analyses, Study 1, the joint display, the review) and the claims; replicates per CPU
second, and the growth with N (ratio to the smallest N). Last, the projected CPU time and 2-core
wall time of the configured design (scenario Ns times replications).

Usage::

    python benchmarks/bench_design.py [--replicates 5] [--n 100 150 218 300 500] [--survey-only]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--n", type=int, nargs="+", default=[100, 150, 218, 300, 500])
    parser.add_argument("--survey-only", action="store_true", help="the survey chain only (design.whole_study false)")
    args = parser.parse_args()

    import yaml

    import nero.simulate
    import nero.simulate.slr
    from nero.design import Scenario, StudyContext, chain, replicate, stages

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    if args.survey_only:
        config["design"]["whole_study"] = False
    claims_path = REPO / "config" / "claims.yaml"
    claims = replicate.load_claims(str(claims_path)) if claims_path.exists() else None
    context = StudyContext.from_config(config, str(REPO / "config" / "codebook.yaml"), claims)

    # time each step by wrapping the chain's functions (the replicate calls them by module name)
    spent: dict[str, float] = {}

    def cpu() -> float:
        """CPU seconds of this process and its finished children (the SEM fits run in forked workers)."""
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def timed(name, fn):
        def wrapper(*a, **k):
            t0 = cpu()
            try:
                return fn(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + cpu() - t0

        return wrapper

    replicate.simulate_clean_survey = timed("simulate+clean", chain.simulate_clean_survey)
    replicate.sem_design_checks = timed("SEM", chain.sem_design_checks)
    replicate.fsqca_design_checks = timed("fsQCA", chain.fsqca_design_checks)
    replicate.claim_verdicts = timed("claims", replicate.claim_verdicts)
    # the whole-study stages are imported when a replicate runs them: wrap them where they live
    nero.simulate.simulate_interviews = timed("sim S1+SLR", nero.simulate.simulate_interviews)
    nero.simulate.write_qdpx = timed("sim S1+SLR", nero.simulate.write_qdpx)
    nero.simulate.slr.simulate_slr = timed("sim S1+SLR", nero.simulate.slr.simulate_slr)
    for name, label in (
        ("write_sem_results", "SEM fam"),
        ("write_fsqca_results", "fsQCA st"),
        ("write_study1_results", "Study 1"),
        ("write_integration_results", "joint"),
        ("write_review_results", "review"),
    ):
        setattr(stages, name, timed(label, getattr(stages, name)))
    steps = (
        "simulate+clean",
        "SEM",
        "fsQCA",
        "sim S1+SLR",
        "SEM fam",
        "fsQCA st",
        "Study 1",
        "joint",
        "review",
        "claims",
    )

    print(
        f"design settings: n_boot {context.design.n_boot}, claims {'on' if claims else 'off'}, "
        f"{'whole study' if context.whole_study else 'survey chain only'}, {args.replicates} replicates per N"
    )
    print(f"{'N':>5} {'s/replicate':>12} {'rep/s':>7} {'growth':>7}   " + " ".join(f"{k:>8}" for k in steps))
    per_n = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            scenario = Scenario(f"bench_n{n}", "planted", n)
            spent.clear()
            t0 = cpu()
            for r in range(args.replicates):
                replicate.run_replicate(context, scenario, r, tmp)
            per = (cpu() - t0) / args.replicates
            per_n[n] = per
            growth = per / per_n[args.n[0]]
            parts = " ".join(f"{spent.get(k, 0.0) / args.replicates:>8.3f}" for k in steps)
            print(f"{n:>5} {per:>12.3f} {1 / per:>7.2f} {growth:>7.2f}   {parts}")
    # projection of the configured design from a linear fit of CPU on N
    import numpy as np

    if len(per_n) > 1:
        slope, intercept = np.polyfit(list(per_n), list(per_n.values()), 1)
    else:  # one N: the same CPU per replicate at every N
        slope, intercept = 0.0, next(iter(per_n.values()))
    total = sum((intercept + slope * s.n) * context.design.replications for s in context.design.scenarios)
    print(f"CPU per replicate ~ {intercept:.3f} + {slope * 100:.3f} per 100 firms")
    print(
        f"configured design ({len(context.design.scenarios)} scenarios x {context.design.replications} replications): "
        f"~{total / 60:.1f} CPU minutes, ~{total / 120:.1f} minutes on 2 cores (plus ~2 s start-up per batch job)"
    )


if __name__ == "__main__":
    main()
