"""Snakemake script: inter-coder reliability (agreement, Cohen's kappa, Krippendorff's alpha) on the double-coded subset."""

import logging

from nero.outputs import log_to, write_csv
from nero.qual.data import StudyData
from nero.qual.reliability import choose_second_coder, reliability_table

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    study = StudyData.read(snakemake.input.selections, snakemake.input.cases, snakemake.input.project)
    settings = snakemake.params.settings
    primary = snakemake.params.coder
    second = choose_second_coder(study.selections, primary, snakemake.params.second_coder)
    result = reliability_table(
        study.selections,
        study.codebook,
        primary,
        second,
        study.source_lengths(),
        acceptable=settings["acceptable"],
        tentative=settings["tentative"],
    )
    logging.info(result.summary())
    write_csv(result.table, snakemake.output[0])
