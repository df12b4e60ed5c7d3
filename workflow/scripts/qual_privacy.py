"""Snakemake script: fail, naming the file and the name, if a deny-listed real name is in any Study-1 output."""

import logging

from nero.outputs import log_to, write_json
from nero.qual.privacy import require_no_names

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    report = require_no_names(list(snakemake.input.outputs), snakemake.params.deny_list)
    logging.info(report.summary())
    write_json(report.to_dict(), snakemake.output[0])
