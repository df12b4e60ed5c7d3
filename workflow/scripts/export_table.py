"""Snakemake script: one numbered thesis table as CSV, LaTeX, Word and its note (results/tables/)."""

import json

import pandas as pd
import yaml

from nero.manuscript.build import make_table
from nero.manuscript.registry import item_from_dict
from nero.outputs import atomic_write_bytes, log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    item = item_from_dict(json.loads(snakemake.params.item))
    if f"{item.number:02d}" != snakemake.wildcards.number:
        raise ValueError(f"table {item.id!r} is number {item.number:02d} in the registry, not {snakemake.wildcards.number}")
    sources = {p: pd.read_csv(p) if p.endswith(".csv") else json.loads(open(p, encoding="utf-8").read()) for p in item.source}
    with open(snakemake.input.codebook, encoding="utf-8") as handle:
        codebook = yaml.safe_load(handle)
    files = make_table(item, sources, {"codebook": codebook, "coder": snakemake.params.coder})
    for ext, data in files.items():
        atomic_write_bytes(snakemake.output[ext], data)
