"""Snakemake script: the numbered thesis tables of one section as CSV, LaTeX, Word and note (results/tables/)."""

import copy
import json

import pandas as pd

from nero.manuscript.build import make_table
from nero.manuscript.registry import item_from_dict
from nero.outputs import atomic_write_bytes, log_to
from nero.survey.codebook import Codebook

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    items = [item_from_dict(data) for data in json.loads(snakemake.params.tables)]
    for item in items:  # the files the rule declares carry each table's registry number
        if f"{item.stem}.csv" not in snakemake.output:
            raise ValueError(
                f"table {item.id!r} is number {item.number:02d} in the registry, but the rule does not write {item.stem}.csv"
            )
    loaded = {
        p: pd.read_csv(p) if p.endswith(".csv") else json.loads(open(p, encoding="utf-8").read())
        for p in snakemake.input.sources
    }
    config = {
        "codebook": Codebook.load(snakemake.input.codebook).to_dict(),
        "coder": snakemake.params.coder,
        "numbers": dict(snakemake.params.numbers),
        "fieldwork": dict(snakemake.params.fieldwork),
    }
    for item in items:  # each table gets its own copies: one builder cannot change the next one's sources
        files = make_table(item, copy.deepcopy({p: loaded[p] for p in item.inputs}), copy.deepcopy(config))
        for key, data in files.items():
            atomic_write_bytes(item.path(key), data)
