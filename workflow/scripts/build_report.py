"""Snakemake script: write results/report.html from every report()-flagged output."""

import json

from nero.outputs import atomic_write_text, log_to
from nero.report import ReportItem, build_report

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    items = [ReportItem(**item) for item in json.loads(snakemake.params.catalog)]
    text = build_report(items, snakemake.input.provenance, workdir=".")
    atomic_write_text(snakemake.output[0], text)
