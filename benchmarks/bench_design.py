"""Benchmark of the design analysis (prints figures; not a timed test).

Runs ``--replicates`` replicates of the planted process at each N (default 100, 150, 218,
300, 500) at the design settings of config/config.yaml (bootstrap draws ``design.n_boot``,
claims evaluated when config/claims.yaml exists) and prints, per N, the CPU seconds per
replicate split by step (simulate + export + import + cleaning, SEM checks, fsQCA,
scoring and claims), replicates per CPU second, and the growth with N (ratio to the
smallest N). Last, the projected CPU time and 2-core wall time of the configured design
(scenario Ns times replications), which the issue bounds at 20 minutes on 2 cores.

Usage::

    python benchmarks/bench_design.py [--replicates 5] [--n 100 150 218 300 500]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--n", type=int, nargs="+", default=[100, 150, 218, 300, 500])
    args = parser.parse_args()

    import yaml

    from nero.design import StudyContext, Scenario
    from nero.design import chain, replicate

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    claims_path = REPO / "config" / "claims.yaml"
    claims = replicate.load_claims(str(claims_path)) if claims_path.exists() else None
    context = StudyContext.from_config(config, str(REPO / "config" / "codebook.yaml"), claims)

    # time each step by wrapping the chain's functions (the replicate calls them by module name)
    spent: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*a, **k):
            t0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - t0
        return wrapper

    replicate.simulate_clean_survey = timed("simulate+clean", chain.simulate_clean_survey)
    replicate.sem_design_checks = timed("SEM", chain.sem_design_checks)
    replicate.fsqca_design_checks = timed("fsQCA", chain.fsqca_design_checks)
    replicate.claim_verdicts = timed("claims", replicate.claim_verdicts)

    print(f"design settings: n_boot {context.design.n_boot}, claims {'on' if claims else 'off'}, "
          f"{args.replicates} replicates per N")
    print(f"{'N':>5} {'s/replicate':>12} {'rep/s':>7} {'growth':>7}   simulate+clean    SEM  fsQCA claims")
    per_n = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            scenario = Scenario(f"bench_n{n}", "planted", n)
            spent.clear()
            t0 = time.process_time()
            for r in range(args.replicates):
                replicate.run_replicate(context, scenario, r, tmp)
            cpu = (time.process_time() - t0) / args.replicates
            per_n[n] = cpu
            growth = cpu / per_n[args.n[0]]
            parts = " ".join(f"{spent.get(k, 0.0) / args.replicates:>6.3f}" for k in ("simulate+clean", "SEM", "fsQCA", "claims"))
            print(f"{n:>5} {cpu:>12.3f} {1 / cpu:>7.2f} {growth:>7.2f}   {parts}")
    # projection of the configured design from a linear fit of CPU on N
    import numpy as np

    slope, intercept = np.polyfit(list(per_n), list(per_n.values()), 1)
    total = sum((intercept + slope * s.n) * context.design.replications for s in context.design.scenarios)
    print(f"CPU per replicate ~ {intercept:.3f} + {slope * 100:.3f} per 100 firms")
    print(f"configured design ({len(context.design.scenarios)} scenarios x {context.design.replications} replications): "
          f"~{total / 60:.1f} CPU minutes, ~{total / 120:.1f} minutes on 2 cores (plus ~2 s start-up per batch job)")


if __name__ == "__main__":
    main()
