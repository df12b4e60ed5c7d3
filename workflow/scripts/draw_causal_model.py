"""Snakemake script: the declared causal model (sem.causal_model) as the conceptual-model figure."""

from nero.outputs import log_to
from nero.sem.causal import CausalModel, draw_causal_model

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    draw_causal_model(CausalModel.from_config(snakemake.params.model), snakemake.output.png)
