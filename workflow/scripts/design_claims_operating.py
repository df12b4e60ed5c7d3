"""Snakemake script: the power and false-support rate of every claim of the registry from the shipped design."""

import json
import logging

import pandas as pd

from nero.claims import load_registry
from nero.design.operating import operating_characteristics
from nero.design.truth import claim_truths
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    inp = snakemake.input
    design = json.loads(open(inp.summary, encoding="utf-8").read())["design_config"]
    truths = {
        name: claim_truths(spec["process"], int(spec["n"]), spec.get("effect_scale"), spec.get("overrides"))
        for name, spec in design["scenarios"].items()
    }
    study_n = len(pd.read_csv(inp.clean, usecols=[0]))
    ids = [claim.id for claim in load_registry(inp.registry, inp.schema).claims]
    status = str(pd.read_csv(inp.status)["status"].iloc[0])
    rates = pd.read_csv(inp.rates)
    # rates of ids that are no claim of the registry now (e.g. a claim made a descriptive fact since the
    # design was run) have no truth and decide nothing here
    dropped = sorted(set(rates["claim_id"]) - set(ids))
    if dropped:
        logging.info("design rates of ids that are not claims of the registry, not scored: %s", ", ".join(dropped))
    rates = rates[rates["claim_id"].isin(ids)]
    operating = operating_characteristics(rates, truths, study_n, claim_ids=ids, reference=status)
    logging.info("operating characteristics at N = %d (%s):\n%s", study_n, status, operating.to_string())
    write_csv(operating, snakemake.output[0])
