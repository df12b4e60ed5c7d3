"""Snakemake script: the SME Playbook (Annex E) as its own page and as card data for the report."""

import json

import pandas as pd
import yaml

from nero.manuscript.playbook import playbook_cards, playbook_page
from nero.outputs import atomic_write_text, log_to, write_json

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    with open(snakemake.input.codebook, encoding="utf-8") as handle:
        codebook = yaml.safe_load(handle)
    labels = {name: spec["label"] for name, spec in codebook["constructs"].items()}
    inputs = snakemake.input
    cards = playbook_cards(pd.read_csv(inputs.chart), pd.read_csv(inputs.solutions), pd.read_csv(inputs.robustness),
                           pd.read_csv(inputs.joint), labels)
    write_json([card.to_dict() for card in cards], snakemake.output.cards)
    atomic_write_text(snakemake.output.page, playbook_page(cards))
