"""Snakemake script: the PRISMA 2020 flow diagram (PNG and PDF) from the counts."""

import json
import logging
from pathlib import Path

from nero.figures.slr import prisma_figure
from nero.outputs import log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    prisma_figure(
        json.loads(Path(snakemake.input.prisma).read_text(encoding="utf-8")),
        [snakemake.output.png, snakemake.output.pdf],
    )
