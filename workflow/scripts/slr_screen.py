"""Snakemake script: scope filters, two-screener screening with kappa, retrieval, AJG filter; PRISMA counts."""

import logging
from pathlib import Path

from nero.outputs import log_to, write_csv, write_json
from nero.slr.flow import included_records, prisma_table, review_flow
from nero.slr.screening import read_journal_list
from nero.slr.searches import load_table

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    settings = snakemake.params.settings
    unique, groups = load_table(snakemake.input.unique), load_table(snakemake.input.groups)
    journals = read_journal_list(Path(snakemake.input.journals), settings["rating_column"])
    result = review_flow(unique, groups, snakemake.params.screening, journals, settings)
    logging.info(result.summary())
    write_csv(result.flow, snakemake.output.flow)
    write_csv(result.agreement, snakemake.output.agreement)
    write_csv(prisma_table(result.prisma), snakemake.output.prisma_table)
    write_json(result.prisma, snakemake.output.prisma)
    write_csv(included_records(result.flow, unique), snakemake.output.included)
