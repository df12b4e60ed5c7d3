"""Figures of the SEM robustness checks: the mediation path diagram and the interaction plot."""

from __future__ import annotations

import pandas as pd

from nero.figures.style import PALETTE, figure, save_figure


def _stars(p: float) -> str:
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def _coef(equations: pd.DataFrame, outcome: str, term: str) -> pd.Series:
    rows = equations[(equations["outcome"] == outcome) & (equations["term"] == term)]
    if "process_model" in equations:
        model4 = rows[rows["process_model"] == "model 4"]
        rows = model4 if len(model4) else rows
    if rows.empty:
        raise ValueError(
            f"process_equations: no coefficient of {term!r} on {outcome!r} (expected a PROCESS model 4 row)"
        )
    return rows.iloc[0]


def plot_path_diagram(
    equations: pd.DataFrame,
    indirect: pd.DataFrame,
    targets,
    x: str = "AMB",
    m: str = "CAP",
    y: str = "SCO",
    labels: dict[str, str] | None = None,
):
    """Draw X -> M -> Y with the a, b and c' paths (unstandardised, HC3 SEs) and the indirect effect.

    Parameters
    ----------
    equations
        ``process_equations`` table (outcome, term, coeff, se, p).
    indirect
        ``indirect_effects`` table (estimate and bootstrap limits).
    targets
        Output paths (PNG/PDF).
    """
    labels = labels or {
        x: "Network ambidexterity\n(INST x VIRT)",
        m: "Domestic capacity\nscale-up (CAP)",
        y: "International\nscale-out (SCO)",
    }
    a, b, c = _coef(equations, m, x), _coef(equations, y, m), _coef(equations, y, x)
    fig, ax = figure(6.4, 3.4)
    pos = {x: (0.13, 0.25), m: (0.5, 0.78), y: (0.87, 0.25)}
    for node, (px, py) in pos.items():
        ax.text(
            px,
            py,
            labels[node],
            ha="center",
            va="center",
            fontsize=8.5,
            bbox={"boxstyle": "round,pad=0.5", "fc": "#E8F1FA", "ec": PALETTE[0], "lw": 1},
        )

    def arrow(src, dst, text, offset):
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        ax.annotate(
            "",
            xy=(x1 - 0.08 * (x1 - x0) / abs(x1 - x0 or 1), y1 - 0.12 * (y1 - y0)),
            xytext=(x0 + 0.09 * (x1 - x0) / abs(x1 - x0 or 1), y0 + 0.12 * (y1 - y0)),
            arrowprops={"arrowstyle": "-|>", "color": "#333333", "lw": 1.1},
        )
        ax.text((x0 + x1) / 2 + offset[0], (y0 + y1) / 2 + offset[1], text, ha="center", va="center", fontsize=8)

    arrow(x, m, f"a = {a['coeff']:.3f}{_stars(a['p'])}\n(SE {a['se']:.3f})", (-0.1, 0.05))
    arrow(m, y, f"b = {b['coeff']:.3f}{_stars(b['p'])}\n(SE {b['se']:.3f})", (0.1, 0.05))
    arrow(x, y, f"c' = {c['coeff']:.3f}{_stars(c['p'])} (SE {c['se']:.3f})", (0, -0.08))
    row = indirect.iloc[0]
    ax.text(
        0.5,
        0.02,
        f"Indirect effect a x b = {row['estimate']:.3f}, 95% bias-corrected bootstrap CI "
        f"[{row['bc_lower']:.3f}, {row['bc_upper']:.3f}]",
        ha="center",
        va="bottom",
        fontsize=8,
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    # no title inside the figure (the caption names the model); the key to the stars stays with the figure
    ax.text(0.5, 0.97, "* p < .05, ** p < .01, *** p < .001", ha="center", va="top", fontsize=7.5)
    return save_figure(fig, targets)


def plot_interaction(
    grid: pd.DataFrame,
    targets,
    x: str = "CAP",
    w: str = "MKT",
    y: str = "SCO_hat",
    x_label: str = "Domestic capacity scale-up (CAP)",
    y_label: str = "Predicted international scale-out (SCO)",
    w_label: str = "Market-seeking orientation (MKT)",
):
    """Simple slopes: predicted Y against X at the probed values of W (-1 SD, mean, +1 SD)."""
    fig, ax = figure(5.2, 3.6)
    levels = sorted(grid[w].unique())
    names = ["-1 SD", "mean", "+1 SD"] if len(levels) == 3 else [f"{v:.2f}" for v in levels]
    styles = ["--", "-", ":"]
    for i, (level, name) in enumerate(zip(levels, names)):
        part = grid[grid[w] == level].sort_values(x)
        ax.plot(
            part[x],
            part[y],
            styles[i % 3],
            marker="o",
            color=PALETTE[i],
            label=f"{w_label.split(' (')[0]} {name} ({level:.2f})",
        )
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.legend(frameon=False, loc="upper left")  # no title inside the figure: the caption carries it (APA)
    return save_figure(fig, targets)
