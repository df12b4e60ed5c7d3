"""Snakemake script: validate the coding sheet against the included set; counts and cross-tabulations."""

import logging

import pandas as pd

from nero.outputs import log_to, write_csv
from nero.slr.coding import coding_tables, validate_coding
from nero.slr.searches import load_table

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    groups, included = load_table(snakemake.input.groups), load_table(snakemake.input.included)
    sheet = pd.read_csv(snakemake.input.sheet, dtype=str, keep_default_na=False)
    coded = validate_coding(
        sheet,
        dict(zip(groups["accession"], groups["record_id"])),
        list(included["record_id"]),
        file=snakemake.input.sheet,
    )
    tables = coding_tables(coded)
    logging.info(tables.summary())
    for name in ("elements", "apmo_by_technology", "pathway_by_outcome", "pathways", "per_year", "per_journal"):
        write_csv(getattr(tables, name), snakemake.output[name])
