"""Snakemake script: the verdict on every claim of the registry (results/claims.csv and .json) and the
descriptive facts, shown without a verdict (results/facts.csv). With the shipped design, the verdict is
qualified by it (nero.design.operating.annotate_claims) and the JSON is written from the same table."""

import logging
from pathlib import Path

import pandas as pd

from nero.claims import evaluate_claims, load_registry, read_tables
from nero.design.operating import annotate_claims, annotate_record
from nero.multiverse.seam import join_specifications
from nero.outputs import log_to, write_csv, write_json

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    registry = load_registry(snakemake.input.registry, snakemake.input.schema)
    results_dir = Path(snakemake.output.table).parent
    names = [Path(p).relative_to(results_dir).as_posix() for p in snakemake.input.tables]
    result = evaluate_claims(registry, read_tables(results_dir, names), study=dict(snakemake.params.study))
    logging.info(result.summary())
    table = result.to_frame()
    if snakemake.input.operating:  # power and false support of each claim from the shipped design
        table = annotate_claims(table, pd.read_csv(snakemake.input.operating[0], keep_default_na=False, na_values=[""]))
    table = join_specifications(table, pd.read_csv(snakemake.input.multiverse), snakemake.input.multiverse)
    write_csv(table, snakemake.output.table)
    write_csv(result.facts_frame(), snakemake.output.facts)
    write_json(annotate_record(result.to_dict(), table), snakemake.output.record)  # one truth: the table's
