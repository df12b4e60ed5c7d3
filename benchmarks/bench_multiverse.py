"""Benchmark of the multiverse (prints figures; not a timed test).

Runs every family of ``multiverse:`` in config/config.yaml over a built results folder
(default: results-reference/, the shipped study's built tables) exactly as the Snakemake
jobs do (:func:`nero.multiverse.evaluate.run_family`, then :func:`gather`), and prints per
family the specifications run, the claim rows, the CPU seconds of the family (stage re-runs
and registry evaluations, children included) and of its slowest specification, then the
gather step with every claim's curve, and the totals: the cost the grid adds to ``make study``
(the families of a ``batch`` share one job; the batch jobs run in parallel).

Usage::

    OMP_NUM_THREADS=1 python benchmarks/bench_multiverse.py [--results results-reference] [--family NAME ...]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(REPO / "results-reference"))
    parser.add_argument("--family", nargs="*", help="only these families (default: every one)")
    args = parser.parse_args()
    os.chdir(REPO)  # the config's paths (codebook, raw_dir) are relative to the project

    from nero.claims import load_registry, read_tables
    from nero.claims.inventory import study_inventory
    from nero.config import load_yaml
    from nero.multiverse.curve import draw_curve
    from nero.multiverse.evaluate import gather, run_family
    from nero.multiverse.grid import load_families
    from nero.multiverse.views import solution_models

    config = load_yaml(REPO / "config" / "config.yaml")
    registry = load_registry(REPO / "config" / "claims.yaml")
    study = study_inventory(config, load_yaml(config["codebook"]))
    statistics = config["multiverse"].get("statistics") or {}
    models = solution_models(registry, read_tables(args.results, registry.tables()))
    families = [
        f for f in load_families(config, registry.thresholds, models) if not args.family or f.name in args.family
    ]
    frames, total_cpu, total_wall, total_specs = [], 0.0, 0.0, 0
    print(
        f"{'family':<16} {'stage':<16} {'specs':>5} {'rows':>5} {'CPU s':>7} {'wall s':>7} {'slowest spec (CPU s)':>22}"
    )
    for fam in families:
        c0, w0 = _cpu(), time.perf_counter()
        run = run_family(fam, config, registry, args.results, int(config["seed"]), study=study, statistics=statistics)
        cpu, wall = _cpu() - c0, time.perf_counter() - w0
        frames.append(run.to_frame())
        slowest = max(run.seconds.values()) if run.seconds else 0.0
        print(
            f"{fam.name:<16} {fam.stage:<16} {len(run.seconds):>5} {len(run.rows):>5} {cpu:>7.1f} {wall:>7.1f} {slowest:>22.2f}"
        )
        total_cpu, total_wall, total_specs = total_cpu + cpu, total_wall + wall, total_specs + len(run.seconds)
    c0, w0 = _cpu(), time.perf_counter()
    result = gather(registry, args.results, frames, study=study, statistics=statistics)
    with tempfile.TemporaryDirectory() as scratch:
        for claim in registry.claims:
            specs = result.specifications
            draw_curve(specs[specs["claim_id"] == claim.id], claim.id, Path(scratch) / f"{claim.id}.png")
    cpu, wall = _cpu() - c0, time.perf_counter() - w0
    print(f"{'gather + curves':<16} {'':<16} {'':>5} {len(result.specifications):>5} {cpu:>7.1f} {wall:>7.1f}")
    print(
        f"total: {total_specs} specifications besides the shipped one, {total_cpu + cpu:.1f} CPU s, "
        f"{total_wall + wall:.1f} s wall in one process (the jobs add Python start-up, about 2 s each)"
    )
    print(result.summary())


if __name__ == "__main__":
    main()
