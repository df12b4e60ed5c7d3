"""Snakemake script: the joint display of Study 1 archetypes and Study 2 configurations, and the
archetype match of every term of every tied model and of the ESA."""

import logging

import pandas as pd

from nero.integration import archetype_matches_from_results, joint_display_from_results
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    display = joint_display_from_results(
        pd.read_csv(snakemake.input.solutions),
        pd.read_csv(snakemake.input.xy),
        snakemake.params.archetypes,
        snakemake.params.outcome,
        pd.read_csv(snakemake.input.typology),
        pd.read_csv(snakemake.input.quotes),
    )
    logging.info(display.summary())
    write_csv(display.table, snakemake.output.table)
    unmatched = pd.DataFrame(
        [{"kind": "archetype without a configuration", "name": a} for a in display.unmatched_archetypes]
        + [{"kind": "configuration without an archetype", "name": c} for c in display.unmatched_configurations],
        columns=["kind", "name"],
    )
    write_csv(unmatched, snakemake.output.unmatched)
    matches = archetype_matches_from_results(
        pd.read_csv(snakemake.input.solutions),
        pd.read_csv(snakemake.input.esa),
        snakemake.params.archetypes,
        snakemake.params.outcome,
    )
    write_csv(matches, snakemake.output.matches)
