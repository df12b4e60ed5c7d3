"""Figures of the literature review: the PRISMA 2020 flow diagram and the keyword map."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nero.figures.style import PALETTE, figure, repel_labels, save_figure

NBSP = "\u00a0"


def _box(ax, x, y, w, h, text, face="white"):
    """A flow-diagram box with its text inside: the box grows to the text's height (and the
    text shrinks to the box's width) so no line touches the border."""
    from matplotlib.patches import FancyBboxPatch

    label = ax.text(
        x + 0.015,
        y + h / 2,
        text.replace("(n = ", f"(n ={NBSP}"),
        ha="left",
        va="center",
        fontsize=6.5,
        wrap=False,
        gid="box-text",
    )
    fig = ax.figure
    fig.canvas.draw()
    box = label.get_window_extent(fig.canvas.get_renderer()).transformed(ax.transData.inverted())
    for size in (6.0, 5.5, 5.0):
        if box.width <= w - 0.03:
            break
        label.set_fontsize(size)
        box = label.get_window_extent(fig.canvas.get_renderer()).transformed(ax.transData.inverted())
    if box.height > h - 0.02:  # grow the box downwards around the text
        grow = box.height - h + 0.02
        y, h = y - grow, h + grow
        label.set_position((x + 0.015, y + h / 2))
    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0.005,rounding_size=0.01",
            linewidth=0.8,
            edgecolor="#333333",
            facecolor=face,
            zorder=0,
        )
    )


def _arrow(ax, x0, y0, x1, y1):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops={"arrowstyle": "-|>", "lw": 0.8, "color": "#333333"})


def _lines(title: str, items: dict, width: int = 36) -> str:
    import textwrap

    # the count never breaks from its "(n =": a no-break space joins them
    return title + "".join(
        "\n"
        + textwrap.fill(
            f"{k} (n ={NBSP}{v})", width, initial_indent="   ", subsequent_indent="      ", break_on_hyphens=False
        )
        for k, v in items.items()
    )


def prisma_figure(counts: dict, targets: list[str]) -> None:
    """PRISMA 2020 flow diagram (databases on the left, other methods on the right) from the counts."""
    db, other = counts["databases"], counts["other"]
    fig, ax = figure(7.2, 8.0)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    lw, rw, xr, xo = 0.29, 0.31, 0.32, 0.66
    rows = [0.86, 0.68, 0.52, 0.37, 0.20]
    h = [0.10, 0.06, 0.07, 0.12, 0.08]
    ax.text(0.33, 0.975, "Identification of studies via databases", ha="center", fontsize=8, weight="bold")
    ax.text(0.82, 0.975, "Via other methods", ha="center", fontsize=8, weight="bold")
    _box(
        ax,
        0.01,
        rows[0],
        lw,
        h[0],
        _lines("Records identified from:", {**db["identified"], "total": sum(db["identified"].values())}),
        "#EAF2FA",
    )
    _box(
        ax,
        xr,
        rows[0],
        rw,
        h[0],
        _lines(
            "Records removed before screening:", {"duplicates": db["duplicates_removed"], **db["removed_other_reasons"]}
        ),
    )
    _box(ax, 0.01, rows[1], lw, h[1], f"Records screened\n(n = {db['screened']})")
    _box(
        ax,
        xr,
        rows[1],
        rw,
        h[1] + 0.045,
        _lines(f"Records excluded (n = {db['excluded_screening']}):", db["excluded_screening_reasons"]),
    )
    _box(ax, 0.01, rows[2], lw, h[2], f"Reports sought for retrieval\n(n = {db['sought']})")
    _box(ax, xr, rows[2], rw, h[2], f"Reports not retrieved\n(n = {db['not_retrieved']})")
    _box(ax, 0.01, rows[3], lw, h[3], f"Reports assessed for eligibility\n(n = {db['assessed']})")
    _box(ax, xr, rows[3] - 0.05, rw, h[3] + 0.05, _lines("Reports excluded:", db["excluded_reports"]))
    _box(ax, xo, rows[0], 0.33, h[0], _lines("Records identified from:", other["identified"]), "#EAF2FA")
    _box(
        ax,
        xo,
        rows[2],
        0.33,
        h[2],
        f"Reports sought for retrieval\n(n = {other['sought']})\nnot retrieved (n = {other['not_retrieved']})",
    )
    _box(
        ax,
        xo,
        rows[3] - 0.05,
        0.33,
        h[3] + 0.05,
        _lines(f"Reports assessed (n = {other['assessed']})\nexcluded:", other["excluded_reports"]),
    )
    _box(
        ax,
        0.01,
        rows[4] - 0.1,
        0.6,
        h[4],
        f"Studies included in review\n(n = {counts['included_total']}: {db['included']} via databases, {other['included']} via other methods)",
        "#E8F5EC",
    )
    for k in range(3):
        _arrow(ax, 0.16, rows[k], 0.16, rows[k + 1] + h[k + 1])
    _arrow(ax, 0.16, rows[3], 0.16, rows[4] - 0.1 + h[4])
    for k, y in enumerate(rows[:4]):
        _arrow(ax, 0.01 + lw, y + h[k] / 2, xr, y + h[k] / 2)
    _arrow(ax, xo + 0.165, rows[0], xo + 0.165, rows[2] + h[2])
    _arrow(ax, xo + 0.165, rows[2], xo + 0.165, rows[3] + h[3])
    _arrow(ax, xo + 0.165, rows[3] - 0.05, 0.5, rows[4] - 0.1 + h[4])
    save_figure(fig, targets)


def keyword_map_figure(items: pd.DataFrame, links: pd.DataFrame, targets: list[str], max_links: int = 150) -> None:
    """Static keyword map: circles sized by occurrences, coloured by cluster, strongest links drawn."""
    fig, ax = figure(7.0, 5.5)
    pos = {r.id: (r.x, r.y) for r in items.itertuples()}
    strongest = links.sort_values(["strength", "id1", "id2"], ascending=[False, True, True]).head(max_links)
    top = strongest["strength"].max() if len(strongest) else 1
    for r in strongest.itertuples():
        (x0, y0), (x1, y1) = pos[r.id1], pos[r.id2]
        ax.plot([x0, x1], [y0, y1], color="#BBBBBB", lw=0.3 + 1.5 * r.strength / top, alpha=0.6, zorder=1)
    colors = [PALETTE[(k - 1) % len(PALETTE)] for k in items["cluster"]]
    sizes = 30 + 400 * np.sqrt(items["occurrences"] / items["occurrences"].max())
    ax.scatter(items["x"], items["y"], s=sizes, c=colors, alpha=0.85, edgecolors="white", linewidths=0.5, zorder=2)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_aspect("equal", adjustable="datalim")
    labels = [
        ax.text(
            r.x,
            r.y,
            r.label,
            fontsize=6.5,
            ha="center",
            va="center",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
        )
        for r in items.itertuples()
    ]
    repel_labels(ax, labels)
    # each cluster named after its most frequent keyword (ties: the first label in order)
    names = {
        k: group.sort_values(["occurrences", "label"], ascending=[False, True])["label"].iloc[0]
        for k, group in items.groupby("cluster")
    }
    handles = [
        ax.scatter([], [], s=40, c=PALETTE[(k - 1) % len(PALETTE)], label=f"Cluster {k}: {names[k]}")
        for k in sorted(names)
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=min(3, len(handles)),
        frameon=False,
        fontsize=7,
    )
    save_figure(fig, targets)
