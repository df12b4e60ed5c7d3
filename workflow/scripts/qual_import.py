"""Snakemake script: read the coding project once (.qdpx or coded-segments CSV) into the Study-1 intermediates."""

import logging

from nero.outputs import log_to
from nero.qual.data import import_study
from nero.untrusted import ReadLimits

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    project = import_study(
        snakemake.input.project,
        snakemake.output.selections,
        snakemake.output.cases,
        snakemake.output.project,
        raw_root=snakemake.params.raw_dir,
        allowed_roots=snakemake.params.allowed_roots,
        limits=ReadLimits(**snakemake.params.limits),
    )
    logging.info("\n%s", project.summary())
    for warning in project.warnings:
        logging.warning(warning)
