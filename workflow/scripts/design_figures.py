"""Snakemake script: power and recovery curves against N, and the rates under the other processes."""

import pandas as pd

from nero.figures.design import plot_design_curves
from nero.outputs import log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    out = snakemake.output
    plot_design_curves(pd.read_csv(snakemake.input.rates), [out.png, out.pdf], alpha=float(snakemake.params.alpha))
