"""Snakemake script: new codes per successive interview and the Guest-Namey-Chen saturation point."""

import logging

from nero.outputs import log_to, write_csv, write_json
from nero.qual.analysis import saturation_curve
from nero.qual.data import StudyData

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    study = StudyData.read(snakemake.input.selections, snakemake.input.cases, snakemake.input.project)
    settings = snakemake.params.settings
    result = saturation_curve(
        study.selections,
        study.codebook,
        study.cases,
        snakemake.params.coder,
        base_size=settings["base_size"],
        run_length=settings["run_length"],
        threshold=settings["threshold"],
    )
    logging.info(result.summary())
    write_csv(result.table, snakemake.output.table)
    write_json(result.to_dict(), snakemake.output.summary)
