"""Snakemake script: the mediation path diagram and the interaction plot."""

import pandas as pd

from nero.figures.sem import plot_interaction, plot_path_diagram
from nero.outputs import log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    out = snakemake.output
    plot_path_diagram(
        pd.read_csv(snakemake.input.equations), pd.read_csv(snakemake.input.indirect), [out.path_png, out.path_pdf]
    )
    plot_interaction(pd.read_csv(snakemake.input.interaction), [out.interaction_png, out.interaction_pdf])
