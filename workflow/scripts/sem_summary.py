"""Snakemake script: summary.json (headline, conventions) and convergence.csv from the families' parts."""

import json

import pandas as pd

from nero.outputs import log_to, write_csv
from nero.sem._common import SIGNIFICANT_DIGITS, write_json
from nero.sem.settings import SemSettings
from nero.sem.study import summarise_families

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    parts = [json.loads(open(path, encoding="utf-8").read()) for path in snakemake.input.parts]
    n_obs = len(pd.read_csv(snakemake.input.clean, usecols=[0]))
    info, convergence = summarise_families(
        parts, SemSettings.from_config(snakemake.params.settings), snakemake.params.seed, n_obs
    )
    write_csv(convergence, snakemake.output.convergence, digits=SIGNIFICANT_DIGITS)
    write_json(info, snakemake.output.summary)
