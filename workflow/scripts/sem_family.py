"""Snakemake script: one analysis family of nero.sem (measurement, cmv, ...) on the clean survey."""

import dataclasses
import logging
from pathlib import Path

import pandas as pd

from nero.outputs import log_to
from nero.sem import SemSettings, run_sem_family
from nero.sem.study import write_family
from nero.survey.codebook import Codebook

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    clean = pd.read_csv(snakemake.input.clean)
    codebook = Codebook.load(snakemake.input.codebook)
    settings = dataclasses.replace(SemSettings.from_config(snakemake.params.settings), n_jobs=snakemake.threads)
    result = run_sem_family(snakemake.params.family, clean, codebook, settings, seed=snakemake.params.seed)
    logging.info(result.summary())
    declared = [Path(p).name for p in snakemake.output.files]
    write_family(result, Path(snakemake.output.part).parent.parent, declared, snakemake.output.part)
