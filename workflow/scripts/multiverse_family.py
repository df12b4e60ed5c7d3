"""Snakemake script: one family of the multiverse, every claim over its specifications (nero.multiverse)."""

import logging

from nero.claims import load_registry, read_tables
from nero.multiverse.evaluate import run_family
from nero.multiverse.grid import family, load_families
from nero.multiverse.views import solution_models
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    registry = load_registry(snakemake.input.registry, snakemake.input.schema)
    config = snakemake.config
    models = solution_models(registry, read_tables(snakemake.params.results, registry.tables()))
    fam = family(load_families(config, registry.thresholds, models), snakemake.wildcards.family)
    run = run_family(fam, config, registry, snakemake.params.results, int(config["seed"]),
                     study=dict(snakemake.params.study), statistics=config["multiverse"].get("statistics") or {})
    logging.info(run.summary())
    write_csv(run.to_frame(), snakemake.output.rows)
