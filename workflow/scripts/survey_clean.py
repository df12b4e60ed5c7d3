"""Snakemake script: apply the cleaning rules to every wave; write the clean table and its logs."""

import logging
from pathlib import Path

from nero.outputs import log_to
from nero.survey.cleaning import clean_survey
from nero.survey.codebook import Codebook
from nero.survey.importer import read_wave_table
from nero.survey.pipeline import CLEAN_OUTPUTS, write_cleaning

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    codebook = Codebook.load(snakemake.input.codebook)
    waves = {Path(path).stem: read_wave_table(path) for path in snakemake.input.waves}
    result = clean_survey(waves, codebook, dict(snakemake.params.settings))
    logging.info("\n%s", result.summary())
    for warning in result.warnings:
        logging.warning(warning)
    write_cleaning(result, {key: getattr(snakemake.output, key) for key in CLEAN_OUTPUTS})
