# The multiverse of every claim (nero.multiverse; docs/multiverse.md): the claims registry
# evaluated over the declared alternatives of `multiverse:` in config/config.yaml. One job per
# batch of families of specifications (they run in parallel; a change of a batch's families, or
# of the config sections their stages read, reruns that batch alone), then one job that counts,
# per claim, the specifications and those that support it and draws each claim's curve.
# Rule evaluate_claims joins the counts into results/claims.csv. The input functions
# (multiverse_tables, multiverse_inputs, multiverse_params) are in common.smk.

import json as _multiverse_json

MULTIVERSE = config.get("multiverse") or {}
MULTIVERSE_FAMILIES = MULTIVERSE.get("families") or {}
# batch -> its families (families sharing `batch` run in one job; a family without one is its own)
MULTIVERSE_BATCHES = {}
for _name, _family in MULTIVERSE_FAMILIES.items():
    MULTIVERSE_BATCHES.setdefault(_family.get("batch") or _name, []).append(_name)
# The config sections each stage reads (a change reruns the families of that stage).
_MULTIVERSE_SECTIONS = {
    "models": [], "thresholds": [], "fsqca": ["fsqca"], "fsqca_necessity": ["fsqca"], "sem_effects": ["sem"],
    "sem_measurement": ["sem"], "sem_nonresponse": ["sem"], "study1_typology": ["qual"], "review": ["slr"], "review_map": ["slr"],
}


rule multiverse_batch:
    input:
        unpack(multiverse_inputs),
        registry=CLAIMS["registry"],
        schema=CLAIMS["schema"],
    output:
        rows="results/multiverse/batches/{batch}.csv",
    params:
        declared=multiverse_params,
        study=CLAIMS_STUDY,
    wildcard_constraints:
        batch="[a-z][a-z0-9_]*",
    log:
        f"{LOGS}/multiverse/{{batch}}.log",
    benchmark:
        f"{BENCH}/multiverse/{{batch}}.tsv"
    script:
        "../scripts/multiverse_batch.py"


rule multiverse_gather:
    input:
        batches=expand("results/multiverse/batches/{batch}.csv", batch=sorted(MULTIVERSE_BATCHES)),
        tables=multiverse_tables,
        registry=CLAIMS["registry"],
        schema=CLAIMS["schema"],
    output:
        claims="results/multiverse/claims.csv",
        specifications="results/multiverse/specifications.csv",
        curves=[f"results/multiverse/curves/{c.id}.png" for c in CLAIMS_REGISTRY.claims],
    params:
        statistics=_multiverse_json.dumps(MULTIVERSE.get("statistics") or {}, sort_keys=True),
        study=CLAIMS_STUDY,
    log:
        f"{LOGS}/multiverse/gather.log",
    benchmark:
        f"{BENCH}/multiverse/gather.tsv"
    script:
        "../scripts/multiverse_gather.py"


ALL_TARGETS.extend(["results/multiverse/claims.csv", "results/multiverse/specifications.csv"])
