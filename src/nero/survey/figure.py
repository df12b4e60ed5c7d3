"""The cleaning flow diagram (received -> screened -> complete -> quality checks -> usable).

Drawn with matplotlib from ``flow.csv``; PNG (300 dpi) and PDF bytes are deterministic
(no creation date or software metadata, fixed font, fixed SVG hash salt).
"""

from __future__ import annotations

import os

import pandas as pd

STAGE_TITLES = {
    "received": "Responses received",
    "screened": "Screened in (live, eligible)",
    "complete": "Complete",
    "quality checks": "Passed quality checks",
    "usable": "Usable firms",
}
RULE_LABELS = {
    "preview_spam": "preview / test / spam",
    "screening": "failed screening",
    "unfinished": "unfinished",
    "duplicate": "duplicate submission",
    "attention": "failed attention check",
    "speeder": "speeder",
    "straightliner": "straight-liner",
    "out_of_range": "out-of-range value",
    "mv_outlier": "multivariate outlier",
}
STAGE_ORDER = ["received", "screened", "complete", "quality checks", "usable"]


def flow_figure(flow: pd.DataFrame):
    """A matplotlib Figure of the cleaning flow (per wave and pooled counts in each box)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from nero.figures.style import STYLE

    waves = [w for w in flow["wave"].unique() if w != "pooled"]
    pooled = flow[flow["wave"] == "pooled"]

    def count_text(stage_rows_by_wave):
        parts = [f"{w}: {stage_rows_by_wave[w]}" for w in waves]
        return "; ".join(parts)

    with plt.rc_context({**STYLE, "font.size": 8}):
        fig, ax = plt.subplots(figsize=(7.5, 7.0))
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)
        ax.axis("off")
        ys = [9.1, 7.0, 4.9, 2.8, 0.7]
        box_w, box_h = 4.6, 1.05
        x0 = 0.3
        for stage, y in zip(STAGE_ORDER, ys):
            if stage == "received":
                per_wave = {w: int(flow[(flow["wave"] == w) & (flow["step"] == 0)]["remaining"].iloc[0]) for w in waves}
                total = int(pooled[pooled["step"] == 0]["remaining"].iloc[0])
            else:
                per_wave = {}
                for w in waves:
                    rows = flow[(flow["wave"] == w) & (flow["stage"] == stage)]
                    per_wave[w] = int(rows["remaining"].iloc[-1])
                total = int(pooled[pooled["stage"] == stage]["remaining"].iloc[-1])
            ax.add_patch(
                FancyBboxPatch(
                    (x0, y - box_h / 2),
                    box_w,
                    box_h,
                    boxstyle="round,pad=0.05",
                    facecolor="#eef3f8" if stage != "usable" else "#dcebdc",
                    edgecolor="#333333",
                    linewidth=0.8,
                )
            )
            ax.text(
                x0 + box_w / 2,
                y + 0.18,
                f"{STAGE_TITLES[stage]}: n = {total}",
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
            )
            ax.text(x0 + box_w / 2, y - 0.22, count_text(per_wave), ha="center", va="center", fontsize=7.5)
        for (stage, y_from), y_to in zip(zip(STAGE_ORDER[:-1], ys[:-1]), ys[1:]):
            ax.annotate(
                "",
                xy=(x0 + box_w / 2, y_to + box_h / 2 + 0.05),
                xytext=(x0 + box_w / 2, y_from - box_h / 2 - 0.05),
                arrowprops={"arrowstyle": "-|>", "color": "#333333", "linewidth": 0.8},
            )
            target = STAGE_ORDER[STAGE_ORDER.index(stage) + 1]
            rules = pooled[pooled["stage"] == target]
            lines = []
            total_dropped = 0
            for r in rules.itertuples():
                per_wave = [int(flow[(flow["wave"] == w) & (flow["rule"] == r.rule)]["dropped"].iloc[0]) for w in waves]
                total_dropped += int(r.dropped)
                label = RULE_LABELS.get(r.rule, r.rule)
                if r.rule == "mv_outlier" and int(r.dropped) == 0:
                    flagged = [
                        int(flow[(flow["wave"] == w) & (flow["rule"] == r.rule)]["flagged"].iloc[0]) for w in waves
                    ]
                    lines.append(f"{label}s flagged, kept: {int(r.flagged)} ({' / '.join(str(v) for v in flagged)})")
                    continue
                lines.append(f"{label}: {int(r.dropped)} ({' / '.join(str(v) for v in per_wave)})")
            mid = (y_from + y_to) / 2
            text = f"Excluded: n = {total_dropped}\n" + "\n".join(lines)
            ax.annotate(
                "",
                xy=(5.55, mid),
                xytext=(x0 + box_w / 2, mid),
                arrowprops={"arrowstyle": "-|>", "color": "#777777", "linewidth": 0.7},
            )
            ax.text(
                5.65,
                mid,
                text,
                ha="left",
                va="center",
                fontsize=7,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fbf1ea", "edgecolor": "#999999", "linewidth": 0.6},
            )
        ax.text(
            5.0,
            9.95,
            f"Survey cleaning flow (counts per wave: {' / '.join(waves)})",
            ha="center",
            va="top",
            fontsize=8,
            color="#444444",
        )
    return fig


def save_flow_figure(flow: pd.DataFrame, png: str | os.PathLike, pdf: str | os.PathLike) -> None:
    """Write the flow diagram as PNG (300 dpi) and PDF with the house saver (atomic, no timestamps)."""
    import matplotlib.pyplot as plt

    from nero.figures.style import STYLE, save_figure

    with plt.rc_context(STYLE):
        save_figure(flow_figure(flow), [png, pdf])


__all__ = ["flow_figure", "save_flow_figure"]
