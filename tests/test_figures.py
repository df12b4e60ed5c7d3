"""Figures are byte-identical across reruns, in PNG and PDF."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from nero.figures import canonical_dot, draw_rulegraph, figure, rulegraph_edges, save_figure
from nero.figures.sem import plot_interaction, plot_path_diagram


def _digest(paths):
    return [hashlib.sha256(open(p, "rb").read()).hexdigest() for p in paths]


def test_save_figure_is_deterministic(tmp_path):
    digests = []
    for run in range(2):
        fig, ax = figure(3, 2)
        ax.plot([1, 2, 3], [3, 1, 2], label="x")
        ax.legend()
        targets = [tmp_path / f"r{run}.png", tmp_path / f"r{run}.pdf"]
        save_figure(fig, targets)
        digests.append(_digest(targets))
    assert digests[0] == digests[1]
    assert open(tmp_path / "r0.pdf", "rb").read().find(b"CreationDate") == -1


def test_unknown_format_is_refused(tmp_path):
    fig, _ = figure()
    with pytest.raises(ValueError, match="unsupported figure format 'jpg'"):
        save_figure(fig, [tmp_path / "x.jpg"])


DOT = """digraph snakemake_dag {
    0[label = "all", color = "0.00 0.6 0.85", style="rounded"];
    1[label = "verify_raw", color = "0.40 0.6 0.85", style="rounded"];
    2[label = "write_provenance", color = "0.53 0.6 0.85", style="rounded"];
    2 -> 0
    1 -> 0
    1 -> 2
}"""


def test_rulegraph_parsing_and_drawing(tmp_path):
    rules, edges = rulegraph_edges(DOT)
    assert rules == ["all", "verify_raw", "write_provenance"]
    assert edges == [("verify_raw", "all"), ("verify_raw", "write_provenance"), ("write_provenance", "all")]
    assert '"verify_raw" -> "write_provenance";' in canonical_dot(rules, edges)
    first = draw_rulegraph(rules, edges, [tmp_path / "a.png"])
    second = draw_rulegraph(rules, edges, [tmp_path / "b.png"])
    assert _digest(first) == _digest(second)


def test_sem_figures_draw_from_their_tables(tmp_path):
    equations = pd.DataFrame(
        {
            "process_model": ["model 4"] * 3,
            "outcome": ["CAP", "SCO", "SCO"],
            "term": ["AMB", "CAP", "AMB"],
            "coeff": [0.28, 0.29, 0.10],
            "se": [0.08, 0.06, 0.07],
            "p": [0.0004, 0.00001, 0.13],
        }
    )
    indirect = pd.DataFrame({"estimate": [0.081], "bc_lower": [0.037], "bc_upper": [0.151]})
    grid = pd.DataFrame(
        {"CAP": [3, 5] * 3, "MKT": [2.9, 2.9, 3.9, 3.9, 4.9, 4.9], "SCO_hat": [3.7, 3.8, 3.7, 4.3, 3.7, 4.8]}
    )
    paths = plot_path_diagram(equations, indirect, [tmp_path / "p.png"]) + plot_interaction(grid, [tmp_path / "i.png"])
    assert all(p.stat().st_size > 10_000 for p in paths)
    with pytest.raises(ValueError, match="no coefficient of 'AMB' on 'CAP'"):
        plot_path_diagram(equations[equations.outcome != "CAP"], indirect, [tmp_path / "q.png"])


def test_documented_rule_graph_matches_the_workflow(repo_root):
    """docs/pipeline.md's diagram is kept by `make dag`; it must show the rules as they are in a
    fresh checkout (computed in a copy without results/, so leftovers such as a built design
    analysis, which joins the report, do not change it)."""
    from nero.figures.dag import checkout_rulegraph_dot, documented_edges

    rules, edges = rulegraph_edges(checkout_rulegraph_dot(repo_root))
    current = sorted(e for e in edges if "all" not in e)
    documented = documented_edges((repo_root / "docs" / "pipeline.md").read_text(encoding="utf-8"))
    assert documented == current, "docs/pipeline.md's rule graph is stale: run `make dag`"


def test_fsqca_figures_draw(tmp_path):
    import numpy as np

    from nero.figures.fsqca import plot_configuration_chart, plot_robustness_overview, plot_xy_grid
    from nero.fsqca.chart import configuration_chart

    chart = configuration_chart(
        ["INST*EFF*CAP", "VIRT*MKT*~EFF*CAP"],
        ["INST*CAP", "VIRT*MKT"],
        ["INST", "VIRT", "EFF", "MKT", "CAP"],
        pd.DataFrame({"inclS": [0.9, 0.85], "covS": [0.3, 0.2]}, index=["INST*EFF*CAP", "VIRT*MKT*~EFF*CAP"]),
    )
    a = plot_configuration_chart(
        chart, ["INST", "VIRT", "EFF", "MKT", "CAP"], [tmp_path / "c1.png"], "SCO", ["inclS", "covS"]
    )
    b = plot_configuration_chart(
        chart, ["INST", "VIRT", "EFF", "MKT", "CAP"], [tmp_path / "c2.png"], "SCO", ["inclS", "covS"]
    )
    assert _digest(a) == _digest(b)
    rng = np.random.default_rng(1)
    members = pd.DataFrame({"A*B": rng.random(50), "solution": rng.random(50)})
    fit = pd.DataFrame({"inclS": [0.8, 0.9], "covS": [0.5, 0.6]}, index=["A*B", "solution"])
    plot_xy_grid(members, pd.Series(rng.random(50)), fit, [tmp_path / "xy.png"])
    survival = pd.DataFrame(
        {"configuration": ["A*B", "A*B", "C"], "family": ["anchors", "subsamples", "anchors"], "share": [1.0, 0.7, 0.4]}
    )
    plot_robustness_overview(survival, [tmp_path / "rob.png"])
    assert all((tmp_path / f).stat().st_size > 5000 for f in ("xy.png", "rob.png"))


def test_overlap_check_finds_overlapping_labels_and_repel_separates_them():
    from nero.figures.style import overlapping_texts, repel_labels

    fig, ax = figure(3, 3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    texts = [
        ax.text(0.5, 0.5 + k * 0.005, f"keyword number {k}", ha="center", va="center", fontsize=7) for k in range(6)
    ]
    assert len(overlapping_texts(fig)) >= 5
    repel_labels(ax, texts)
    assert overlapping_texts(fig) == []
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_keyword_map_labels_do_not_overlap_and_clusters_are_named(tmp_path, monkeypatch):
    """The keyword map of the shipped review (results-reference coordinates), drawn: no two labels overlap."""
    import matplotlib.pyplot as plt

    from nero.figures import slr as slr_figures
    from nero.figures.style import overlapping_texts

    rng = np.random.default_rng(4)
    n = 40
    items = pd.DataFrame(
        {
            "id": range(n),
            "label": [f"keyword {k}" for k in range(n)],
            "x": rng.normal(0, 0.3, n),
            "y": rng.normal(0, 0.3, n),
            "cluster": rng.integers(1, 4, n),
            "occurrences": rng.integers(1, 20, n),
        }
    )
    links = pd.DataFrame({"id1": [0, 1], "id2": [2, 3], "strength": [1.0, 2.0]})
    seen = {}
    monkeypatch.setattr(slr_figures, "save_figure", lambda fig, targets: seen.setdefault("fig", fig))
    slr_figures.keyword_map_figure(items, links, [tmp_path / "k.png"])
    fig = seen["fig"]
    labels = [t for t in fig.axes[0].texts]
    assert len(labels) == n
    assert overlapping_texts(fig) == []
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    top = items.sort_values(["occurrences", "label"], ascending=[False, True]).groupby("cluster")["label"].first()
    assert legend == [f"Cluster {k}: {top[k]}" for k in sorted(top.index)]
    assert not fig.axes[0].get_title()
    plt.close(fig)


def test_prisma_text_stays_inside_its_boxes(monkeypatch, repo_root):
    import json

    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from nero.figures import slr as slr_figures

    counts = json.loads((repo_root / "results-reference" / "slr" / "prisma.json").read_text(encoding="utf-8"))
    counts["included_total"] = counts["databases"]["included"] + counts["other"]["included"]
    seen = {}
    monkeypatch.setattr(slr_figures, "save_figure", lambda fig, targets: seen.setdefault("fig", fig))
    slr_figures.prisma_figure(counts, ["x.png"])
    fig = seen["fig"]
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    texts = [t for t in ax.texts if t.get_gid() == "box-text"]
    assert len(boxes) == len(texts) == 12
    for text, box in zip(texts, boxes):
        inner = text.get_window_extent(renderer)
        assert (
            box.x0 + 2 <= inner.x0 and inner.x1 <= box.x1 - 2 and box.y0 + 2 <= inner.y0 and inner.y1 <= box.y1 - 2
        ), text.get_text()
        for line in text.get_text().splitlines():
            assert not line.rstrip().endswith("(n =") and not line.rstrip().endswith("(n =\u00a0"), line
    plt.close(fig)
