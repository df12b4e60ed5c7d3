"""Snakemake script: one batch of multiverse families, every claim over their specifications (nero.multiverse)."""

import logging
from pathlib import Path

import pandas as pd

from nero.claims import load_registry, read_tables
from nero.multiverse.evaluate import SPEC_COLUMNS, run_family
from nero.multiverse.grid import batches, load_families
from nero.multiverse.views import solution_models
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    results_dir = Path(snakemake.output.rows).parents[2]  # results/, from the output path
    registry = load_registry(snakemake.input.registry, snakemake.input.schema)
    config = snakemake.config
    models = solution_models(registry, read_tables(results_dir, registry.tables()))
    frames = []
    for fam in batches(load_families(config, registry.thresholds, models))[snakemake.wildcards.batch]:
        run = run_family(
            fam,
            config,
            registry,
            results_dir,
            int(config["seed"]),
            study=dict(snakemake.params.study),
            statistics=config["multiverse"].get("statistics") or {},
        )
        logging.info(run.summary())
        frames.append(run.to_frame())
    write_csv(
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=SPEC_COLUMNS), snakemake.output.rows
    )
