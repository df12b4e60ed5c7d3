"""The benchmark's treewidth bounds for the row graph of a chart, on graphs of known treewidth."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "bench_fsqca", Path(__file__).resolve().parents[2] / "benchmarks" / "bench_fsqca.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _edges(pairs):
    return [frozenset(p) for p in pairs]


@pytest.mark.parametrize(
    ("coverages", "width"),
    [
        (_edges([(0, 1), (1, 2), (1, 3), (3, 4)]), 1),  # a tree
        (_edges([(i, (i + 1) % 7) for i in range(7)]), 2),  # a cycle
        ([frozenset(range(5))], 4),  # one implicant covering 5 rows: K5
        ([frozenset({0, 1, 2}), frozenset({2, 3, 4}), frozenset({4, 5})], 2),  # overlapping cliques
    ],
)
def test_bounds_equal_known_treewidth(coverages, width):
    assert bench.row_graph_treewidth(coverages) == (width, width)


def test_grid_bounds_bracket_its_treewidth():
    # the 4 x 4 grid has treewidth 4
    node = {(i, j): 4 * i + j for i in range(4) for j in range(4)}
    pairs = [
        (node[i, j], node[i + di, j + dj])
        for i in range(4)
        for j in range(4)
        for di, dj in ((0, 1), (1, 0))
        if i + di < 4 and j + dj < 4
    ]
    lower, upper = bench.row_graph_treewidth(_edges(pairs))
    assert 2 <= lower <= 4 <= upper <= 5


def test_isolated_rows_have_width_zero():
    assert bench.row_graph_treewidth([frozenset({0}), frozenset({1})]) == (0, 0)
