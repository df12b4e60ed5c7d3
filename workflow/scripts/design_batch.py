"""Snakemake script: one batch of design replicates (simulate -> clean -> SEM -> fsQCA -> claims)."""

import logging

import pandas as pd

from nero.design import StudyContext, run_batch
from nero.design.replicate import load_claims
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    p = snakemake.params
    config = {
        "seed": p.seed,
        "design": dict(p.design),
        "survey": dict(p.survey),
        "sem": dict(p.sem),
        "fsqca": dict(p.fsqca),
        "qual": dict(p.qual),
        "slr": dict(p.slr),
        "integration": dict(p.integration),
    }
    claims = load_claims(snakemake.input.claims[0]) if snakemake.input.claims else None
    context = StudyContext.from_config(config, snakemake.input.codebook, claims)
    truth = pd.read_csv(snakemake.input.truth)
    batch = run_batch(context, snakemake.wildcards.scenario, int(snakemake.wildcards.batch), truth)
    logging.info("%d replicates of %s, batch %s", len(batch), snakemake.wildcards.scenario, snakemake.wildcards.batch)
    write_csv(batch, snakemake.output[0])
