"""Snakemake script: every verdict with its power and false-support rate from the shipped design."""

import json
import logging

import pandas as pd

from nero.design.operating import annotate_claims, operating_characteristics
from nero.design.truth import claim_truths
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    inp = snakemake.input
    design = json.loads(open(inp.summary, encoding="utf-8").read())["design_config"]
    truths = {name: claim_truths(spec["process"], int(spec["n"]), spec.get("effect_scale"), spec.get("overrides"))
              for name, spec in design["scenarios"].items()}
    study_n = len(pd.read_csv(inp.clean, usecols=[0]))
    operating = operating_characteristics(pd.read_csv(inp.rates), truths, study_n)
    logging.info("operating characteristics at N = %d:\n%s", study_n, operating.to_string())
    write_csv(annotate_claims(pd.read_csv(inp.claims), operating), snakemake.output[0])
