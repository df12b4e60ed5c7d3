"""Snakemake script: the synthetic study's planted truth against what the shipped results recovered."""

import json
import logging

import pandas as pd

from nero.design.recovery import planted_vs_recovered
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    inp = snakemake.input
    truth = json.loads(open(inp.truth, encoding="utf-8").read())
    tables = {path.removeprefix("results/"): pd.read_csv(path) for path in inp.tables}
    table = planted_vs_recovered(truth, pd.read_csv(inp.claims), tables)
    logging.info(
        "planted versus recovered: %d of %d rows agree\n%s",
        int(table["agrees"].eq(True).sum()),
        len(table),
        table.to_string(),
    )
    write_csv(table, snakemake.output[0])
