"""Figures of the design analysis: power and recovery against N, and the false positives."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np
import pandas as pd

from nero.figures.style import PALETTE, figure, save_figure

#: Curves of the left panel (planted process): metric -> legend label.
CURVES = {
    "recovery_all": "all four recipes recovered",
    "recovery_PO": "Platform Optimizer recovered",
    "necessity_CAP": "CAP passes necessity (0.90)",
    "indirect_rejects": "indirect effect: CI excludes 0",
    "interaction_rejects": "INST x VIRT on CAP: p < .05",
}
#: Markers of the curves, in CURVES order.
MARKERS = ("o", "s", "^", "D", "v")
#: Bar colours of the other processes (Okabe-Ito vermilion, sky blue, purple, black, orange, green,
#: blue, yellow): eight, so the null, weak and four contrary processes each have their own.
BAR_COLOURS = (PALETTE[5], PALETTE[4], PALETTE[3], PALETTE[7], PALETTE[1], PALETTE[2], PALETTE[0], PALETTE[6])
#: Bars of the right panel (every non-planted-N scenario): metric -> label.
BARS = {
    "recovery_all": "all four recipes",
    "spurious_configuration": "spurious configuration",
    "necessity_CAP": "CAP necessary",
    "indirect_rejects": "indirect CI excludes 0",
    "interaction_rejects": "INST x VIRT p < .05",
}


def plot_design_curves(rates: pd.DataFrame, targets: Iterable[str | os.PathLike], alpha: float = 0.05) -> list:
    """Left: rates against N under the planted process (error bars: 1.96 MCSE);
    right: the same rates under every other process (weak, null) at its N.

    Parameters
    ----------
    rates : DataFrame
        ``results/design/rates.csv``.
    targets : paths
        Output files (.png, .pdf).
    alpha : float
        Nominal level, drawn as a reference line on the right panel.
    """
    fig, (left, right) = figure(9.0, 3.6, ncols=2, gridspec_kw={"width_ratios": [1.35, 1]})
    planted = rates[rates["process"] == "planted"]
    for k, (metric, label) in enumerate(CURVES.items()):
        part = planted[planted["metric"] == metric].sort_values("n")
        if part.empty:
            continue
        # a small horizontal offset per curve keeps coinciding curves (e.g. all at 1) visible
        left.errorbar(
            part["n"] + (k - 2) * 3,
            part["estimate"],
            yerr=1.96 * part["mcse"],
            marker=MARKERS[k % len(MARKERS)],
            ms=3.5,
            lw=1.2,
            capsize=2,
            color=PALETTE[k % len(PALETTE)],
            label=label,
        )
    left.set_xlabel("usable firms (N)")
    left.set_ylabel("share of replicates")
    left.set_ylim(-0.02, 1.02)
    left.set_title("planted process: power and recovery")
    left.axvline(218, color="0.6", lw=0.8, ls=":")
    left.legend(loc="lower right", frameon=False)
    others = rates[rates["process"] != "planted"]
    scenarios = list(dict.fromkeys(others["scenario"]))
    width = 0.8 / max(len(scenarios), 1)
    x = np.arange(len(BARS))
    for j, name in enumerate(scenarios):
        part = others[others["scenario"] == name].set_index("metric")
        values = [part["estimate"].get(m, np.nan) for m in BARS]
        errors = [1.96 * part["mcse"].get(m, np.nan) for m in BARS]
        right.bar(
            x + (j - (len(scenarios) - 1) / 2) * width,
            values,
            width,
            yerr=errors,
            capsize=2,
            color=BAR_COLOURS[j % len(BAR_COLOURS)],
            label=name,
            error_kw={"lw": 0.8},
        )
    right.axhline(alpha, color="0.4", lw=0.8, ls="--")
    right.set_xticks(x)
    right.set_xticklabels(list(BARS.values()), rotation=30, ha="right")
    right.set_ylim(0, 1.02)
    right.set_title("other processes (dashed: nominal level)")
    if scenarios:
        right.legend(loc="upper right", frameon=False)
    fig.tight_layout()
    return save_figure(fig, targets)
