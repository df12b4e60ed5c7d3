"""Snakemake script: draw the survey cleaning flow (PNG 300 dpi and PDF, deterministic bytes)."""

import logging

import pandas as pd

from nero.outputs import log_to
from nero.survey.figure import save_flow_figure

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    flow = pd.read_csv(snakemake.input.flow, dtype={"wave": str, "stage": str, "rule": str}, keep_default_na=False)
    save_flow_figure(flow, snakemake.output.png, snakemake.output.pdf)
    logging.info("wrote %s and %s", snakemake.output.png, snakemake.output.pdf)
