"""Snakemake script: merge the records of one work (DOI, then title + year + first author), logging every merge."""

import logging

from nero.outputs import log_to, write_csv
from nero.slr.dedup import deduplicate
from nero.slr.searches import load_table

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    result = deduplicate(load_table(snakemake.input.records), prefer=snakemake.params.prefer)
    logging.info(result.summary())
    write_csv(result.unique, snakemake.output.unique)
    write_csv(result.log, snakemake.output.log)
    write_csv(result.groups, snakemake.output.groups)
