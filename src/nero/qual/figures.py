"""Study-1 figures: the saturation curve and the theme heatmap (PNG at 300 dpi and PDF).

The same inputs give byte-identical files: a fixed font (DejaVu Sans, shipped with
matplotlib), a fixed SVG hash salt, and no timestamps or software stamps in the
PNG / PDF metadata.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from nero.figures.style import PALETTE, STYLE  # noqa: E402
from nero.figures.style import save_figure as _save_figure  # noqa: E402

#: Colour-blind-safe colours (Okabe & Ito), as in the house palette.
BLUE, ORANGE, GREEN, GREY = PALETTE[0], PALETTE[1], PALETTE[2], "#999999"


@contextmanager
def _styled() -> Iterator[None]:
    """Draw in the study's house style (nero.figures.style)."""
    with plt.rc_context(STYLE):
        yield


def save_figure(fig: plt.Figure, *targets: str | os.PathLike) -> list[Path]:
    """Save ``fig`` to each target (PNG/PDF) with the house saver: atomic, no timestamps; closes it."""
    with _styled():
        return _save_figure(fig, targets)


def _short_case(name: object, width: int = 10) -> str:
    """A case name short enough for an axis tick: the part before a parenthesis, shortened."""
    text = str(name).split(" (")[0]
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def saturation_figure(table: pd.DataFrame, summary: dict[str, Any]) -> plt.Figure:
    """New codes per successive interview (bars) and the cumulative number of codes (line).

    Parameters
    ----------
    table
        ``saturation.csv`` (one row per interview in interview order).
    summary
        ``saturation_summary.json`` (base size, run length, threshold, saturation point).
    """
    with _styled():
        fig, ax = plt.subplots(figsize=(7.0, 4.0))
        x = table["order"].to_numpy()
        base = int(summary["base_size"])
        ax.axvspan(0.5, base + 0.5, color=GREY, alpha=0.15, lw=0)
        ax.text(
            (base + 1) / 2,
            0.98,
            f"base ({base} interviews)",
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=7,
            color="#555555",
        )
        ax.bar(x, table["new_codes"], color=BLUE, width=0.6, label="New codes in the interview")
        ax.plot(x, table["cumulative_codes"], color=ORANGE, marker="o", ms=4, lw=1.5, label="Cumulative codes")
        for xi, n in zip(x, table["new_codes"]):
            if n:
                ax.text(xi, n + 0.15, str(int(n)), ha="center", va="bottom", fontsize=7, color=BLUE)
        rule = f"base {base}, run {int(summary['run_length'])}, new information <= {float(summary['threshold']):.0%}"
        if summary.get("saturation_reached"):
            k = int(summary["saturation_interview"])
            ax.axvline(k, color=GREEN, ls="--", lw=1.2)
            ax.annotate(
                f"saturation at interview {k}\n({rule})",
                xy=(k, table["cumulative_codes"].max() * 0.55),
                xytext=(6, 0),
                textcoords="offset points",
                fontsize=7,
                color=GREEN,
                ha="left",
            )
        else:
            ax.text(
                0.99,
                0.5,
                f"saturation not reached\n({rule})",
                transform=ax.transAxes,
                ha="right",
                fontsize=7,
                color="#555555",
            )
        labels = [f"{o}\n{_short_case(c)}" for o, c in zip(x, table["case"])]
        ax.set_xticks(x, labels, fontsize=7, rotation=45 if len(x) > 16 else 0)
        ax.set_xlim(0.5, len(x) + 0.5)
        ax.set_ylim(0, max(1, int(table["cumulative_codes"].max())) + 1.5)
        ax.set_xlabel("Interview (in interview-date order)")
        ax.set_ylabel("Codes")
        ax.legend(loc="lower right", frameon=False)
        fig.tight_layout()
    return fig


def _code_label(path: str, width: int = 24) -> str:
    parts = path.split("/")
    label = " / ".join(parts[1:]) if len(parts) > 1 else path
    return "\n".join(textwrap.wrap(f"{parts[0]}: {label}" if len(parts) > 1 else label, width))


def theme_heatmap(matrix: pd.DataFrame) -> plt.Figure:
    """The case-by-theme matrix as a heatmap (cell = coded segments; counts printed in the cells).

    Parameters
    ----------
    matrix
        ``case_theme_matrix.csv``: a ``case`` column, one column per code, optionally ``total``.
    """
    codes = [c for c in matrix.columns if c not in ("case", "total")]
    values = matrix[codes].to_numpy(dtype=float)
    with _styled():
        fig, ax = plt.subplots(figsize=(max(6.0, 0.55 * len(codes) + 2.5), max(3.5, 0.38 * len(matrix) + 2.8)))
        vmax = max(1.0, float(values.max()) if values.size else 1.0)
        image = ax.imshow(values, cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
        for (i, j), v in np.ndenumerate(values):
            if v:
                ax.text(
                    j,
                    i,
                    str(int(v)),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.6 * vmax else "black",
                )
        ax.set_xticks(
            range(len(codes)),
            [_code_label(c) for c in codes],
            rotation=60,
            ha="right",
            rotation_mode="anchor",
            fontsize=7,
        )
        ax.set_yticks(range(len(matrix)), matrix["case"].astype(str).tolist(), fontsize=7)
        ax.set_xticks(np.arange(-0.5, len(codes), 1), minor=True)
        ax.set_yticks(np.arange(-0.5, len(matrix), 1), minor=True)
        ax.grid(which="minor", color="white", lw=0.8)
        ax.tick_params(which="minor", length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_ylabel("Case (interview order)")
        bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
        bar.set_label("Coded segments")
        fig.tight_layout()
    return fig
