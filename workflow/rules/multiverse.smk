# The multiverse of every claim (nero.multiverse; docs/multiverse.md): the claims registry
# evaluated over the declared alternatives of `multiverse:` in config/config.yaml. One job per
# batch of families of specifications (they run in parallel; a change of a batch's families, or
# of the config sections their stages read, reruns that batch alone), then one job that counts,
# per claim, the specifications and those that support it and draws each claim's curve.
# Rule evaluate_claims joins the counts into results/claims.csv.

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


_MULTIVERSE_TABLES = []


def multiverse_tables(wildcards):
    """claims_tables, computed once for the multiverse jobs (it asks every rule about every table)."""
    if not _MULTIVERSE_TABLES:
        _MULTIVERSE_TABLES.append(claims_tables(wildcards))
    return _MULTIVERSE_TABLES[0]


def multiverse_inputs(wildcards):
    """The shipped tables the claims read, and what the batch's stages start from."""
    stages = {MULTIVERSE_FAMILIES[f]["stage"] for f in MULTIVERSE_BATCHES[wildcards.batch]}
    inputs = {"tables": multiverse_tables(wildcards)}
    if stages & {"fsqca", "fsqca_necessity", "sem_effects", "sem_measurement", "sem_nonresponse"}:
        inputs["clean"] = "results/survey/clean.csv"
    if stages & {"fsqca", "fsqca_necessity"}:
        inputs["fsqca"] = ["results/fsqca/memberships.csv", "results/fsqca/solutions.csv",
                           "results/fsqca/robustness_verdicts.csv"]
    if stages & {"sem_effects", "sem_measurement", "sem_nonresponse"}:
        inputs["codebook"] = config["codebook"]
    if "study1_typology" in stages:
        inputs["study1"] = list(QUAL_IMPORTED.values())
    if "review" in stages:
        raw = [*SLR_SEARCH_FILES, *SLR_SCREENING_FILES, str(SLR_RAW / SLR_CONF["journal_list"]),
               str(SLR_RAW / SLR_CONF["coding_sheet"]), str(SLR_RAW / SLR_CONF["thesaurus"])]
        inputs["raw"] = ancient(raw)
        inputs["checksums"] = raw_stamps(raw)  # content, not modification times, reruns it
        inputs["verified"] = verified("slr")
    if "review_map" in stages:
        inputs["included"] = "results/slr/included.csv"
        inputs["thesaurus"] = ancient(str(SLR_RAW / SLR_CONF["thesaurus"]))
    return inputs


def multiverse_params(wildcards):
    """The batch's family declarations and the config sections their stages read, as JSON (rerun on change)."""
    names = MULTIVERSE_BATCHES[wildcards.batch]
    part = {"families": {n: MULTIVERSE_FAMILIES[n] for n in names}, "seed": config["seed"],
            "statistics": MULTIVERSE.get("statistics") or {}}
    for n in names:
        part.update({s: config.get(s) for s in _MULTIVERSE_SECTIONS[MULTIVERSE_FAMILIES[n]["stage"]]})
    return _multiverse_json.dumps(part, sort_keys=True, default=str)


rule multiverse_batch:
    input:
        unpack(multiverse_inputs),
        registry=CLAIMS["registry"],
        schema=CLAIMS["schema"],
    output:
        rows="results/multiverse/batches/{batch}.csv",
    params:
        declared=multiverse_params,
        results="results",
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
        results="results",
        study=CLAIMS_STUDY,
    log:
        f"{LOGS}/multiverse/gather.log",
    benchmark:
        f"{BENCH}/multiverse/gather.tsv"
    script:
        "../scripts/multiverse_gather.py"


ALL_TARGETS.extend(["results/multiverse/claims.csv", "results/multiverse/specifications.csv"])
