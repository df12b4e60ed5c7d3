"""Snakemake script: true values of the design estimands for one process (large simulation)."""

import logging

from nero.design import true_values
from nero.outputs import log_to, write_csv
from nero.simulate import load_codebook, scenario_parameters

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    spec = dict(snakemake.params.scenario)
    params = scenario_parameters(spec["process"], spec["effect_scale"], spec["overrides"] or None)
    truth = true_values(
        params, load_codebook(snakemake.input.codebook), dict(snakemake.params.sem), n=int(snakemake.params.truth_draws)
    )
    truth.insert(0, "process", snakemake.wildcards.process)
    logging.info("true values of %s (as %s):\n%s", snakemake.wildcards.process, spec["name"], truth.to_string())
    write_csv(truth, snakemake.output[0])
