"""The house style and deterministic saving of figures.

Matplotlib stamps PDFs with a creation date and both formats with its version; with
those removed, a fixed font and a fixed hash salt, the same figure gives the same bytes
on every run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from nero.outputs import atomic_path  # noqa: E402

FIGURE_DPI = 300

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "figure.dpi": 100,
    "savefig.dpi": FIGURE_DPI,
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,
    "svg.hashsalt": "nero",
    "path.simplify": True,
}

#: Colour-blind safe palette (Okabe & Ito 2008), in a fixed order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def apply_style() -> None:
    """Set the study's matplotlib style for the figures that follow."""
    plt.rcParams.update(STYLE)
    plt.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=PALETTE)


def figure(width: float = 6.0, height: float = 4.0, **kwargs):
    """A new figure and axes in the house style (size in inches)."""
    apply_style()
    return plt.subplots(figsize=(width, height), **kwargs)


def save_figure(fig, targets: Iterable[str | os.PathLike], caption: str | None = None) -> list[Path]:
    """Save ``fig`` to every target path (format from the suffix: .png, .pdf, .svg).

    Each file is written atomically and without timestamps or software stamps, so
    reruns give identical bytes. The figure is closed afterwards.

    Parameters
    ----------
    fig
        A matplotlib figure.
    targets
        Output paths, e.g. ``["results/x.png", "results/x.pdf"]``.
    caption
        Optional caption drawn under the axes (kept short; the report carries the long one).
    """
    if caption:
        fig.text(0.01, -0.02, caption, ha="left", va="top", fontsize=7, wrap=True)
    written = []
    for target in targets:
        target = Path(target)
        fmt = target.suffix.lstrip(".").lower()
        metadata = {
            "png": {"Software": None},
            "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
            "svg": {"Creator": None, "Date": None},
        }.get(fmt)
        if metadata is None:
            raise ValueError(f"{target}: unsupported figure format {fmt!r} (expected .png, .pdf or .svg)")
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=fmt, dpi=FIGURE_DPI, metadata=metadata)
        written.append(target)
    plt.close(fig)
    return written
