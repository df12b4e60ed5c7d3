"""Snakemake script: the shipped design results (design-reference/) into the report, with their status."""

import logging
import shutil
from pathlib import Path

import pandas as pd

from nero.design.shipped import reference_status
from nero.figures.design import plot_design_curves
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    ref, out = Path(snakemake.params.reference), snakemake.output
    status = reference_status(ref, ".", dict(snakemake.params.config))
    logging.info(status.summary())
    write_csv(status.to_frame(), out.status)
    shutil.copyfile(ref / "claim_rates.csv", out.claims)
    shutil.copyfile(ref / "design_table.csv", out.table)
    plot_design_curves(pd.read_csv(ref / "rates.csv"), [out.png, out.pdf], alpha=float(snakemake.params.alpha))
