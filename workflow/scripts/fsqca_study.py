"""Snakemake script: the Study 2 fsQCA on the clean survey (every table under results/fsqca/)."""

import logging
from pathlib import Path

import pandas as pd

from nero.fsqca.settings import FsqcaSettings
from nero.fsqca.study import run_fsqca_study
from nero.outputs import log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    clean = pd.read_csv(snakemake.input.clean)
    result = run_fsqca_study(clean, FsqcaSettings.from_config(snakemake.params.settings), seed=snakemake.params.seed)
    logging.info(result.summary())
    result.write(Path(snakemake.output.summary).parent)
