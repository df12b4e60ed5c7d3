"""Snakemake script: gather the design batches into replicates, rates (with MCSEs), the report table."""

import logging

import pandas as pd

from nero.design import DesignSettings, read_batch, report_table, summarise
from nero.design.metrics import claim_rates, design_summary
from nero.outputs import log_to, write_csv, write_json

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    settings = DesignSettings.from_config(dict(snakemake.params.design))
    replicates = pd.concat([read_batch(path) for path in snakemake.input.batches], ignore_index=True)
    truth = pd.concat([read_batch(path) for path in snakemake.input.truths], ignore_index=True)  # keeps "null" as text
    rates = summarise(replicates, {s.name: s.truth() for s in settings.scenarios})
    logging.info("rates:\n%s", rates.to_string())
    write_csv(replicates, snakemake.output.replicates)
    write_csv(rates, snakemake.output.rates)
    write_csv(claim_rates(replicates), snakemake.output.claim_rates)
    write_csv(report_table(rates), snakemake.output.table)
    write_csv(truth, snakemake.output.truth)
    summary = design_summary(settings, rates, snakemake.params.seed)
    summary["design_config"] = dict(snakemake.params.design)  # as run: nero.design.shipped records it
    write_json(summary, snakemake.output.summary)
