"""Benchmark of the exact fsQCA minimizer on noisy data (prints figures; not a timed test).

Data: 300 cases, every condition and the outcome drawn from Beta(0.2, 0.2); truth table
with incl.cut 0.85 and PRI cut 0.6; parsimonious solution (remainders included). For
k = 8, 10, 12, 14, 16 conditions it prints the CPU time (truth table + minimization,
including the listing of up to --max-models models and their fit), the wall time, the
peak resident memory of a fresh process, the number of prime implicants, the minimum
number of terms and the number of tied minimal models: exact, or -- when the exact count
exceeds its deterministic budget -- a lower bound marked ">=" with the listing size and
the upper bound C(N, terms). With --structure it also prints the treewidth of the chart's
row graph (positive rows joined when one prime implicant covers both), bounded from below
by minor-min-width and from above by min-fill: exact counting methods that exploit
structure (component splitting, frontier decision diagrams, tree-decomposition dynamic
programming) keep tables exponential in that width.

Goals (issue 15, CPU seconds on 2 shared cores, counts exact): k = 12 under 3 s, k = 14
under 15 s, k = 16 under 60 s, memory under 2 GB. The reference text printed at the end
(R QCA 3.25.1 and setqca, as reported in issue 15) is for comparison, not a test.

Usage::

    python benchmarks/bench_fsqca.py [--k 8 10 12 14 16] [--cases 300] [--seed 1] [--structure]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
import warnings


def row_graph_treewidth(coverages: list[frozenset]) -> tuple[int, int]:
    """Lower and upper bounds on the treewidth of the row graph of a prime implicant chart.

    The graph has one node per positive row and an edge between two rows that one prime
    implicant covers. Lower bound: minor-min-width (repeatedly contract a node of minimum
    degree into its neighbour of minimum degree; the largest minimum degree met bounds the
    treewidth from below). Upper bound: networkx's min-fill-in elimination ordering.
    """
    import networkx as nx
    from networkx.algorithms.approximation import treewidth_min_fill_in

    graph = nx.Graph()
    for cov in coverages:
        rows = sorted(cov)
        graph.add_nodes_from(rows)
        graph.add_edges_from((a, b) for i, a in enumerate(rows) for b in rows[i + 1 :])
    upper = treewidth_min_fill_in(graph)[0] if graph.number_of_nodes() else 0
    lower, minor = 0, graph.copy()
    while minor.number_of_nodes() > 1:
        node = min(minor.nodes, key=lambda v: (minor.degree(v), v))
        lower = max(lower, minor.degree(node))
        if minor.degree(node) == 0:
            minor.remove_node(node)
            continue
        into = min(minor.neighbors(node), key=lambda v: (minor.degree(v), v))
        minor = nx.contracted_nodes(minor, into, node, self_loops=False)
    return lower, upper


def _chart_coverages(tt, sol) -> list[frozenset]:
    """Distinct sets of positive rows covered by the solution's prime implicants."""
    from nero.fsqca.truthtable import rows_matching

    positive = {int(c): i for i, c in enumerate(tt.positive_codes.tolist())}
    return sorted(
        {
            frozenset(positive[int(c)] for c in rows_matching(pi, tt.conditions).tolist() if int(c) in positive)
            for pi in sol.prime_implicants
        },
        key=sorted,
    )


def _one(k: int, cases: int, seed: int, max_models: int, structure: bool, queue) -> None:
    import numpy as np
    import pandas as pd

    from nero import fsqca

    rng = np.random.default_rng(seed)
    values = rng.beta(0.2, 0.2, size=(cases, k + 1))
    cols = [f"X{j + 1}" for j in range(k)]
    data = pd.DataFrame(values, columns=cols + ["Y"], index=[f"case{i + 1}" for i in range(cases)])
    start = time.perf_counter()
    cpu = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fsqca.HalfMembershipWarning)
        tt = fsqca.truth_table(data, "Y", cols, incl_cut=0.85, pri_cut=0.6)
        sol = fsqca.minimize(tt, "parsimonious", max_models=max_models)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    width = row_graph_treewidth(_chart_coverages(tt, sol)) if structure else None
    queue.put(
        {
            "width": width,
            "classes": len(_chart_coverages(tt, sol)) if structure else None,
            "k": k,
            "seconds": elapsed,
            "cpu": cpu,
            "upper": sol.n_models_upper,
            "peak_mb": peak_kb / 1024,
            "positive": int(tt.positive_codes.size),
            "negative": int(tt.negative_codes.size),
            "prime_implicants": len(sol.prime_implicants),
            "min_terms": sol.min_terms,
            "n_models": sol.n_models,
            "exact": sol.n_models_exact,
            "listed": len(sol.models),
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, nargs="+", default=[8, 10, 12, 14, 16], help="numbers of conditions")
    parser.add_argument("--cases", type=int, default=300, help="number of cases (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--max-models", type=int, default=1000, help="cap on the models listed (default 1000)")
    parser.add_argument(
        "--structure",
        action="store_true",
        help="also print the treewidth bounds of the chart's row graph (after the timing)",
    )
    args = parser.parse_args(argv)
    ctx = mp.get_context("spawn")
    print(f"noisy data: {args.cases} cases, Beta(0.2, 0.2), incl.cut 0.85, pri.cut 0.6, parsimonious, seed {args.seed}")
    header = f"{'k':>3} {'CPU s':>8} {'wall s':>8} {'peak MB':>8} {'OUT=1':>6} {'OUT=0':>6} {'PIs':>8} {'terms':>6}  tied models"
    print(header)
    for k in args.k:
        queue = ctx.Queue()
        proc = ctx.Process(target=_one, args=(k, args.cases, args.seed, args.max_models, args.structure, queue))
        proc.start()
        res = queue.get()
        proc.join()
        count = (
            f"{res['n_models']} (exact)"
            if res["exact"]
            else f">= {res['n_models']} (lower bound; {res['listed']} listed; upper bound {float(res['upper']):.3g})"
        )
        print(
            f"{res['k']:>3} {res['cpu']:>8.2f} {res['seconds']:>8.2f} {res['peak_mb']:>8.0f} {res['positive']:>6} "
            f"{res['negative']:>6} {res['prime_implicants']:>8} {res['min_terms']:>6}  {count}",
            flush=True,
        )
        if res["width"] is not None:
            print(
                f"{'':>3} row graph: {res['positive']} rows, {res['classes']} coverage classes, "
                f"treewidth >= {res['width'][0]} and <= {res['width'][1]}",
                flush=True,
            )
    print(REFERENCE)
    return 0


REFERENCE = """
Reference (published behaviour, as reported in issue 15; not measured here):
  R QCA 3.25.1 (minimize, CCubes): crashes at k = 10 on this data; reports "no solutions"
    at k = 12 and 14 although solutions exist; an intermediate solution R needs 554 s for
    takes nero 7.8 s.
  setqca (Python): drops tied models; needs 6.8 s at k = 10 and does not finish k = 12
    within 300 s.
  An independent HiGHS enumeration with no-good cuts finds at least 60 minimum covers at
    k = 14 and 16; the exact number of tied models there is known to no tool."""


if __name__ == "__main__":
    sys.exit(main())
