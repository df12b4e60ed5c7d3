# Claims: every claim of the thesis (config/claims.yaml) decided by its rule on the result
# tables (nero.claims; docs/claims.md). The registry is validated when the workflow starts,
# so a malformed claim stops the run before any job, naming the claim id and the key.

# It is then checked against the study: a threshold that names a config key (e.g. the fsQCA
# necessity cuts) must equal it, or the run stops (one definition of "necessary"); a claim that
# requires a construct or analysis the study lacks is logged here and comes out inconclusive.

import logging as _claims_logging

import nero.claims
import nero.claims.inventory
from nero.config import load_yaml as _claims_load_yaml

CLAIMS = config.get("claims", {"registry": "config/claims.yaml", "schema": "config/claims.schema.yaml"})
try:
    CLAIMS_REGISTRY = nero.claims.load_registry(CLAIMS["registry"], CLAIMS["schema"])
except nero.claims.RegistryError as exc:
    raise WorkflowError(str(exc)) from None
_claims_config_problems = nero.claims.inventory.config_problems(CLAIMS_REGISTRY, config)
if _claims_config_problems:
    raise WorkflowError(f"{CLAIMS['registry']} disagrees with the study config:\n  " + "\n  ".join(_claims_config_problems))
CLAIMS_STUDY = nero.claims.inventory.study_inventory(config, _claims_load_yaml(config["codebook"]))
for _claim in CLAIMS_REGISTRY.claims:
    for _problem in nero.claims.inventory.requirement_problems(_claim, CLAIMS_STUDY):
        _claims_logging.getLogger("nero.claims").warning("claim %s will be inconclusive: %s", _claim.id, _problem)

# The power and false-support rate of every claim from the shipped design (design.smk, rule
# score_design_claims, appends its output here when design-reference/ ships); read when the DAG is built.
CLAIMS_OPERATING = []


rule evaluate_claims:
    input:
        registry=CLAIMS["registry"],
        schema=CLAIMS["schema"],
        tables=lambda wildcards: registry_tables(CLAIMS_REGISTRY, "evaluate_claims"),
        multiverse="results/multiverse/claims.csv",
        operating=lambda wildcards: CLAIMS_OPERATING,
    output:
        table=report("results/claims.csv", caption="../report/claims.rst", category="Claims"),
        record="results/claims.json",
        facts="results/facts.csv",
    params:
        study=CLAIMS_STUDY,
    log:
        f"{LOGS}/evaluate_claims.log",
    script:
        "../scripts/claims_evaluate.py"


rule draw_causal_model:
    input:
        config_file="config/config.yaml",
    output:
        png=report("results/figures/causal_model.png", caption="../report/causal_model.rst", category="Claims"),
    params:
        model=config["sem"].get("causal_model"),
    log:
        f"{LOGS}/draw_causal_model.log",
    script:
        "../scripts/draw_causal_model.py"


ALL_TARGETS.extend(["results/claims.csv", "results/claims.json", "results/figures/causal_model.png"])
