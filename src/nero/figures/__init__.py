"""Figures: one house style and byte-identical PNG/PDF output.

- :func:`apply_style` / :func:`figure` -- the study's matplotlib style (fixed fonts and sizes)
- :func:`save_figure` -- PNG (300 dpi) and PDF with no timestamps or software stamps
- :func:`rulegraph_edges`, :func:`draw_rulegraph` -- the pipeline DAG as a figure
"""

from nero.figures.dag import canonical_dot, draw_rulegraph, rulegraph_dot, rulegraph_edges
from nero.figures.style import FIGURE_DPI, apply_style, figure, save_figure

__all__ = [
    "FIGURE_DPI",
    "apply_style",
    "canonical_dot",
    "draw_rulegraph",
    "figure",
    "rulegraph_dot",
    "rulegraph_edges",
    "save_figure",
]
