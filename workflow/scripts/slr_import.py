"""Snakemake script: read every search's export (one folder per search) into one record table."""

import logging

from nero.outputs import log_to, write_csv
from nero.slr.searches import read_searches

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    found = read_searches(snakemake.params.searches)
    logging.info(found.summary())
    for row in found.searches.itertuples():
        if not row.matches_reported:
            logging.warning(
                "%s: %d records exported but %d hits reported in search.yaml",
                row.search,
                row.records,
                row.hits_reported,
            )
    write_csv(found.records, snakemake.output.records)
    write_csv(found.searches, snakemake.output.searches)
