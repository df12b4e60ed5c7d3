"""Snakemake script: one further fsQCA of fsqca.analyses (e.g. CAP as outcome) into results/fsqca/<analysis>/."""

import logging
from pathlib import Path

import pandas as pd

from nero.fsqca.settings import FsqcaSettings
from nero.fsqca.study import run_fsqca_analysis
from nero.outputs import log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    clean = pd.read_csv(snakemake.input.clean)
    result = run_fsqca_analysis(
        clean, FsqcaSettings.from_config(snakemake.params.settings), snakemake.wildcards.analysis
    )
    logging.info(result.summary())
    result.write(Path(snakemake.output.summary).parent)
