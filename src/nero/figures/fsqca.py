"""Figures of the fsQCA study: the configuration chart, XY plots and the robustness overview."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nero.figures.style import PALETTE, figure, save_figure

_MARKERS = {
    "core present": ("o", 260, True),
    "peripheral present": ("o", 90, True),
    "core absent": ("X", 260, False),
    "peripheral absent": ("X", 90, False),
}


def plot_configuration_chart(
    chart: pd.DataFrame, conditions: list[str], targets, title: str, fit_rows: list[str] | None = None
):
    """Draw a configuration chart in Fiss's notation.

    Large circles are core conditions, small ones peripheral; filled circles mark a
    condition's presence and crossed circles its absence; a blank cell means the
    condition does not matter. Fit figures (``fit_rows``) are printed below.
    """
    fit_rows = [r for r in (fit_rows or []) if r in chart.index]
    configs = list(chart.columns)
    n_rows = len(conditions) + len(fit_rows)
    fig, ax = figure(max(4.0, 1.25 * len(configs) + 2.0), 0.42 * n_rows + 1.4)
    for j, config in enumerate(configs):
        for i, condition in enumerate(conditions):
            cell = chart.loc[condition, config]
            if cell in _MARKERS:
                marker, size, filled = _MARKERS[cell]
                if filled:
                    ax.scatter(j, -i, s=size, marker="o", color="#222222")
                else:
                    ax.scatter(j, -i, s=size, marker="o", facecolors="white", edgecolors="#222222", linewidths=1.2)
                    ax.scatter(j, -i, s=size * 0.55, marker="x", color="#222222", linewidths=1.2)
        for k, row in enumerate(fit_rows):
            value = chart.loc[row, config]
            ax.text(
                j,
                -(len(conditions) + k),
                "" if pd.isna(value) else f"{float(value):.3f}",
                ha="center",
                va="center",
                fontsize=8,
            )
    ax.set_yticks([-i for i in range(n_rows)], list(conditions) + fit_rows)
    ax.set_xticks(range(len(configs)), [f"C{j + 1}" for j in range(len(configs))])
    ax.tick_params(length=0)
    ax.set_xlim(-0.6, len(configs) - 0.4)
    ax.set_ylim(-n_rows + 0.4, 0.6)
    ax.axhline(-len(conditions) + 0.5, color="#999999", lw=0.6)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.tick_top()  # no title inside the figure: the caption carries it (APA)
    legend = "\n".join(f"C{j + 1} = {c}" for j, c in enumerate(configs))
    note = (
        "Large circle: core condition; small: peripheral. Filled: present; crossed: absent; blank: does not matter.\n"
        + legend
    )
    return save_figure(fig, targets, caption=note)


def plot_xy(
    x: np.ndarray,
    y: np.ndarray,
    targets,
    x_label: str,
    y_label: str = "SCO (outcome)",
    title: str | None = None,
    consistency: float | None = None,
    coverage: float | None = None,
):
    """XY plot of membership in a solution term (x) against the outcome (y), with the diagonal.

    Cases above the diagonal are consistent with sufficiency; the upper-right quadrant
    holds the typical cases.
    """
    fig, ax = figure(3.6, 3.6)
    ax.plot([0, 1], [0, 1], color="#999999", lw=0.8)
    ax.axhline(0.5, color="#dddddd", lw=0.6)
    ax.axvline(0.5, color="#dddddd", lw=0.6)
    ax.scatter(x, y, s=9, color=PALETTE[0], alpha=0.7, linewidths=0)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    parts = []
    if consistency is not None:
        parts.append(f"consistency {consistency:.3f}")
    if coverage is not None:
        parts.append(f"coverage {coverage:.3f}")
    ax.set_title((title or x_label) + ("\n" + ", ".join(parts) if parts else ""), fontsize=8.5)
    return save_figure(fig, targets)


def plot_xy_grid(memberships: pd.DataFrame, outcome: pd.Series, fit: pd.DataFrame, targets, outcome_label: str = "SCO"):
    """One XY panel per column of ``memberships`` (solution terms and the solution), in a grid."""
    names = list(memberships.columns)
    cols = min(3, len(names))
    rows = int(np.ceil(len(names) / cols))
    fig, axes = figure(3.0 * cols, 3.1 * rows, nrows=rows, ncols=cols, squeeze=False)
    for k, ax in enumerate(axes.flat):
        if k >= len(names):
            ax.axis("off")
            continue
        name = names[k]
        ax.plot([0, 1], [0, 1], color="#999999", lw=0.8)
        ax.scatter(memberships[name], outcome, s=7, color=PALETTE[k % len(PALETTE)], alpha=0.7, linewidths=0)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        label = name if len(name) <= 34 else name[:31] + "..."
        incl = fit.loc[name, "inclS"] if name in fit.index else np.nan
        cov = fit.loc[name, "covS"] if name in fit.index else np.nan
        ax.set_title(f"{label}\nincl {incl:.3f}, cov {cov:.3f}", fontsize=7.5)
        ax.set_xlabel("membership", fontsize=7)
        ax.set_ylabel(outcome_label, fontsize=7)
    fig.tight_layout()
    return save_figure(fig, targets)


def plot_robustness_overview(survival: pd.DataFrame, targets, title: str = "Robustness of the configurations"):
    """Horizontal bars: the share of robustness runs in which each configuration survives, by test family.

    ``survival`` has columns ``configuration``, ``family`` and ``share`` (0..1).
    """
    configs = sorted(survival["configuration"].unique())
    families = sorted(survival["family"].unique())
    fig, ax = figure(6.4, 0.55 * len(configs) * max(1, len(families)) / 1.5 + 1.5)
    height = 0.8 / max(1, len(families))
    for f, family in enumerate(families):
        part = survival[survival["family"] == family].set_index("configuration").reindex(configs)
        ax.barh(
            np.arange(len(configs)) + f * height,
            part["share"].fillna(0),
            height=height,
            color=PALETTE[f % len(PALETTE)],
            label=family,
        )
    ax.set_yticks(np.arange(len(configs)) + height * (len(families) - 1) / 2, configs)
    ax.set_xlim(0, 1)
    ax.axvline(0.8, color="#999999", lw=0.7, ls="--", label="robust from .80 of runs")
    ax.set_xlabel("share of runs in which the configuration survives")
    # legend beside the bars, never over them; no title inside the figure (the caption carries it)
    ax.legend(
        frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="test family", title_fontsize=7
    )
    fig.tight_layout()
    return save_figure(fig, targets)
