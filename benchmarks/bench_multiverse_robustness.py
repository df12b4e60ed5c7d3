"""What re-running the fsQCA robustness protocol per multiverse specification would cost (prints figures).

For every fsQCA specification of ``multiverse:`` (the truth tables of ``fsqca_solutions`` and the
anchor moves of ``fsqca_anchors``; a tied model alone needs no re-run) it runs the study's
protocol (:func:`nero.fsqca.study.robustness_variants` and :func:`~nero.fsqca.study.run_robustness`:
anchor moves, cut variants and subsamples, each test set re-run at the specification's other
settings) on the cleaned survey of a build, and prints its CPU seconds, the minimisations and how
many of the test sets' truth tables were already seen at an earlier specification (what a cache
of minimisations by truth-table content could share). docs/multiverse.md reports the figures.

Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_multiverse_robustness.py [--results results-reference] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(REPO / "results-reference"))
    parser.add_argument("--limit", type=int, default=0, help="stop after N specifications (0: all)")
    args = parser.parse_args()
    os.chdir(REPO)

    import pandas as pd

    import nero.fsqca.robustness as rb
    from nero.claims import load_registry, read_tables
    from nero.config import load_yaml
    from nero.fsqca.settings import FsqcaSettings
    from nero.fsqca.steps import analyse_outcome, anchors_of, calibrate_scores, construct_scores, study_anchors
    from nero.fsqca.study import robustness_variants, run_robustness
    from nero.multiverse.grid import apply_settings, load_families
    from nero.multiverse.views import solution_models

    warnings.simplefilter("ignore")
    config = load_yaml("config/config.yaml")
    registry = load_registry("config/claims.yaml")
    clean = pd.read_csv(Path(args.results) / "survey" / "clean.csv")
    seen: dict[str, int] = {}
    counts = {"minimisations": 0, "minimise_cpu": 0.0}
    real_minimize, real_truth_table = rb.minimize, rb.truth_table

    def minimize(*a, **k):
        t0 = time.process_time()
        out = real_minimize(*a, **k)
        counts["minimise_cpu"] += time.process_time() - t0
        counts["minimisations"] += 1
        return out

    def truth_table(*a, **k):
        out = real_truth_table(*a, **k)
        key = hashlib.sha1(out.table.to_csv().encode()).hexdigest()
        seen[key] = seen.get(key, 0) + 1
        return out

    rb.minimize, rb.truth_table = minimize, truth_table
    models = solution_models(registry, read_tables(args.results, registry.tables()))
    families = {f.name: f for f in load_families(config, registry.thresholds, models)}
    specs = [
        s
        for name in ("fsqca_solutions", "fsqca_anchors")
        if name in families
        for s in families[name].specifications()
        if s.model is None
    ]
    total = 0.0
    for spec in specs[: args.limit or None]:
        settings = FsqcaSettings.from_config(apply_settings(config, spec.settings)["fsqca"])
        scores, _ = construct_scores(clean, [*settings.conditions, settings.outcome])
        anchors = anchors_of(study_anchors(scores, settings))
        members = calibrate_scores(scores, anchors, settings)
        t0 = time.process_time()
        try:
            core = analyse_outcome(members, settings.outcome, list(settings.conditions), settings)
            variants, _ = robustness_variants(scores, anchors, settings, int(config["seed"]))
            run_robustness(
                scores,
                settings.outcome,
                list(settings.conditions),
                settings,
                anchors,
                core.truth_tables.n_cut,
                variants,
            )
            note = ""
        except ValueError as exc:
            note = f" (stage failed: {str(exc)[:50]})"
        dt = time.process_time() - t0
        total += dt
        print(
            f"{spec.id:58s} {dt:6.2f} CPU s; minimisations so far {counts['minimisations']}, "
            f"distinct truth tables {len(seen)} of {sum(seen.values())}{note}",
            flush=True,
        )
    n = min(len(specs), args.limit or len(specs))
    print(
        f"total {total:.1f} CPU s for {n} specifications ({total / max(n, 1):.2f} per specification); "
        f"minimisation {counts['minimise_cpu']:.1f} CPU s of it"
    )


if __name__ == "__main__":
    main()
