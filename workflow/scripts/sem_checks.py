"""Snakemake script: every measurement and structural check of nero.sem on the clean survey."""

import logging
from pathlib import Path

import pandas as pd

from nero.config import load_yaml
from nero.outputs import log_to
from nero.sem import run_sem_checks

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    clean = pd.read_csv(snakemake.input.clean)
    codebook = load_yaml(snakemake.input.codebook)
    settings = dict(snakemake.params.settings)
    settings["n_jobs"] = snakemake.threads
    result = run_sem_checks(clean, codebook, settings, seed=snakemake.params.seed)
    logging.info(result.summary())
    result.write(Path(snakemake.output.summary).parent)
