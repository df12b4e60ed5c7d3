"""Snakemake script: missing-data report (with Little's MCAR test) and descriptives of the clean table."""

import logging

from nero.outputs import log_to
from nero.survey.codebook import Codebook
from nero.survey.pipeline import REPORT_OUTPUTS, read_clean, survey_reports, write_reports

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    codebook = Codebook.load(snakemake.input.codebook)
    missing, descriptives = survey_reports(read_clean(snakemake.input.clean), codebook)
    logging.info("\n%s\n%s", missing.summary(), descriptives.summary())
    write_reports(missing, descriptives, {key: getattr(snakemake.output, key) for key in REPORT_OUTPUTS})
