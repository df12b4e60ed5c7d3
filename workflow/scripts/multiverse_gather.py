"""Snakemake script: every claim over every specification (results/multiverse/claims.csv,
specifications.csv) and the specification curve of each claim (nero.multiverse)."""

import logging
from pathlib import Path

import pandas as pd

from nero.claims import load_registry
from nero.multiverse.curve import draw_curve
from nero.multiverse.evaluate import gather
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    results_dir = Path(snakemake.output.claims).parents[1]  # results/, from the output path
    registry = load_registry(snakemake.input.registry, snakemake.input.schema)
    frames = [pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in snakemake.input.batches]
    result = gather(
        registry,
        results_dir,
        frames,
        study=dict(snakemake.params.study),
        statistics=snakemake.config["multiverse"].get("statistics") or {},
    )
    logging.info(result.summary())
    write_csv(result.specifications, snakemake.output.specifications)
    write_csv(result.to_frame(), snakemake.output.claims)
    for path in snakemake.output.curves:
        claim_id = Path(path).stem
        draw_curve(result.specifications[result.specifications["claim_id"] == claim_id], claim_id, path)
