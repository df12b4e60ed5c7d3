"""Benchmark of the claims stage (prints figures; not a timed test).

The design analysis evaluates the whole registry once per Monte Carlo replicate, so the
cost of :func:`nero.claims.evaluate_claims` on in-memory tables matters. Prints the time
to load and validate config/claims.yaml, to read the tables it names from a results
folder (default: results-reference/, the shipped study's built tables), and the median
time of one evaluation over ``--repeat`` calls.

Usage::

    python benchmarks/bench_claims.py [--results results-reference] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=str(REPO / "results-reference"))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    start = time.perf_counter()
    from nero.claims import evaluate_claims, load_registry, read_tables

    registry = load_registry(REPO / "config" / "claims.yaml")
    loaded = time.perf_counter()
    tables = read_tables(args.results, registry.tables())
    read = time.perf_counter()
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = evaluate_claims(registry, tables)
        times.append(time.perf_counter() - t0)
    leaves = sum(len(c.figures) for c in result.claims)
    print(f"claims: {len(registry.claims)}, figures (leaves) evaluated: {leaves}, tables read: {len(tables)}")
    print(f"import + load and validate the registry: {1000 * (loaded - start):.0f} ms")
    print(f"read the tables: {1000 * (read - loaded):.0f} ms")
    print(
        f"evaluate_claims: median {1000 * statistics.median(times):.0f} ms over {args.repeat} calls "
        f"(min {1000 * min(times):.0f} ms)"
    )


if __name__ == "__main__":
    main()
