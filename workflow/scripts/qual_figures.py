"""Snakemake script: one Study-1 figure (saturation curve or theme heatmap) as PNG and PDF."""

import json
import logging
from pathlib import Path

import pandas as pd

from nero.outputs import log_to
from nero.qual.figures import saturation_figure, save_figure, theme_heatmap

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    kind = snakemake.params.kind
    if kind == "saturation":
        table = pd.read_csv(snakemake.input.table, keep_default_na=False, dtype={"case": str})
        summary = json.loads(Path(snakemake.input.summary).read_text(encoding="utf-8"))
        fig = saturation_figure(table, summary)
    elif kind == "theme_heatmap":
        fig = theme_heatmap(pd.read_csv(snakemake.input.matrix, dtype={"case": str}))
    else:
        raise ValueError(f"unknown Study-1 figure {kind!r}")
    save_figure(fig, snakemake.output.png, snakemake.output.pdf)
