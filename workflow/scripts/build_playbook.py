"""Snakemake script: the SME Playbook (Annex E) as its own page, as the report's annex and as card data."""

import pandas as pd

from nero.manuscript.playbook import (
    caveats_html,
    diagnosis_html,
    playbook_cards,
    playbook_page,
    playbook_sections,
    policy_html,
)
from nero.manuscript.qual_tables import single_case_quotes
from nero.outputs import atomic_write_text, log_to, write_json
from nero.survey.codebook import Codebook

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    codebook = Codebook.load(snakemake.input.codebook)
    inputs, plain = snakemake.input, dict(snakemake.params.plain)
    chart, anchors = pd.read_csv(inputs.chart), pd.read_csv(inputs.anchors)
    quotes = single_case_quotes(pd.read_csv(inputs.quotes), pd.read_csv(inputs.selections))
    cards = playbook_cards(
        chart,
        pd.read_csv(inputs.solutions),
        pd.read_csv(inputs.robustness),
        pd.read_csv(inputs.joint),
        pd.read_csv(inputs.memberships),
        quotes,
        plain,
        dict(snakemake.params.evidence),
        dict(snakemake.params.short),
    )
    conditions = [c for c in chart["condition"] if c in codebook.constructs]
    write_json([card.to_dict() for card in cards], snakemake.output.cards)
    parts = {
        "diagnosis": diagnosis_html(codebook.to_dict(), anchors, conditions, plain),
        "policy": policy_html(cards, plain, conditions),
        "caveats": caveats_html(pd.read_csv(inputs.claims)),
    }
    atomic_write_text(snakemake.output.page, playbook_page(cards, **parts))
    # the report's Annex E: the same four parts under the annex heading (not the cards alone)
    atomic_write_text(snakemake.output.annex, playbook_sections(cards, **parts, level=3))
