"""The house style and deterministic saving of figures.

Matplotlib stamps PDFs with a creation date and both formats with its version; with
those removed, a fixed font and a fixed hash salt, the same figure gives the same bytes
on every run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import matplotlib
import matplotlib.text

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


def text_boxes(fig) -> list[tuple[str, object]]:
    """Every visible, non-empty text of a drawn figure with its box in display units."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_visible() and text.get_text().strip() and text.get_figure() is not None:
            out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


def overlapping_texts(fig, pad: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes (grown by ``pad`` pixels) overlap: labels that would print
    on top of each other."""
    boxes = text_boxes(fig)
    pairs = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if (
                box_a.x0 - pad < box_b.x1
                and box_b.x0 - pad < box_a.x1
                and box_a.y0 - pad < box_b.y1
                and box_b.y0 - pad < box_a.y1
            ):
                pairs.append((a, b))
    return pairs


def repel_labels(ax, texts, steps: int = 200, pad: float = 1.0) -> None:
    """Move overlapping text labels apart (vertically, then sideways) until no two overlap.

    Written by hand: a few lines of pairwise pushing in display space are enough for a
    keyword map, and the usual package for it (adjustText) is not among the pinned
    dependencies. Deterministic: labels are visited in the given order.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    for _ in range(steps):
        moved = False
        boxes = [t.get_window_extent(renderer) for t in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                if a.x0 - pad < b.x1 and b.x0 - pad < a.x1 and a.y0 - pad < b.y1 and b.y0 - pad < a.y1:
                    dy = (a.y1 - b.y0 + pad) if (a.y0 + a.y1) <= (b.y0 + b.y1) else -(b.y1 - a.y0 + pad)
                    dx = (
                        0.0
                        if abs(dy) <= a.height
                        else (a.width / 4 if (a.x0 + a.x1) <= (b.x0 + b.x1) else -a.width / 4)
                    )
                    x, y = ax.transData.transform(texts[j].get_position())
                    texts[j].set_position(to_data.transform((x + dx, y + dy / 2 + (0.5 if dy >= 0 else -0.5))))
                    x, y = ax.transData.transform(texts[i].get_position())
                    texts[i].set_position(to_data.transform((x - dx, y - dy / 2 - (0.5 if dy >= 0 else -0.5))))
                    boxes[i], boxes[j] = texts[i].get_window_extent(renderer), texts[j].get_window_extent(renderer)
                    moved = True
        if not moved:
            return
