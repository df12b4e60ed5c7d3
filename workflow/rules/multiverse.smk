# The multiverse of every claim (nero.multiverse; docs/multiverse.md): the claims registry
# evaluated over the declared alternatives of `multiverse:` in config/config.yaml. One job per
# family of specifications (they run in parallel; a change of one family's settings, or of the
# stage it re-runs, reruns that family alone), then one job that counts, per claim, the
# specifications and those that support it and draws each claim's specification curve.
# Rule evaluate_claims joins the counts into results/claims.csv.

import json as _multiverse_json

MULTIVERSE = config.get("multiverse") or {}
MULTIVERSE_FAMILIES = MULTIVERSE.get("families") or {}
# The config sections each stage reads (a change reruns the families of that stage).
_MULTIVERSE_SECTIONS = {
    "models": [], "thresholds": [], "fsqca": ["fsqca"], "fsqca_necessity": ["fsqca"], "sem_effects": ["sem"],
    "sem_measurement": ["sem"], "sem_nonresponse": ["sem"], "study1_typology": ["qual"], "review": ["slr"], "review_map": ["slr"],
}


def multiverse_inputs(wildcards):
    """The shipped tables the claims read, and what the family's stage starts from."""
    stage = MULTIVERSE_FAMILIES[wildcards.family]["stage"]
    inputs = {"tables": claims_tables(wildcards)}
    if stage in ("fsqca", "sem_effects", "sem_measurement", "sem_nonresponse"):
        inputs["clean"] = "results/survey/clean.csv"
    if stage in ("fsqca", "fsqca_necessity"):
        inputs["fsqca"] = ["results/fsqca/memberships.csv", "results/fsqca/solutions.csv",
                           "results/fsqca/robustness_verdicts.csv"]
    if stage in ("sem_effects", "sem_measurement", "sem_nonresponse"):
        inputs["codebook"] = config["codebook"]
    if stage == "study1_typology":
        inputs["study1"] = list(QUAL_IMPORTED.values())
    if stage == "review":
        raw = [*SLR_SEARCH_FILES, *SLR_SCREENING_FILES, str(SLR_RAW / SLR_CONF["journal_list"]),
               str(SLR_RAW / SLR_CONF["coding_sheet"]), str(SLR_RAW / SLR_CONF["thesaurus"])]
        inputs["raw"] = ancient(raw)
        inputs["checksums"] = raw_stamps(raw)  # content, not modification times, reruns it
        inputs["verified"] = verified("slr")
    if stage == "review_map":
        inputs["included"] = "results/slr/included.csv"
        inputs["thesaurus"] = ancient(str(SLR_RAW / SLR_CONF["thesaurus"]))
    return inputs


def multiverse_params(wildcards):
    """The family's declaration and the config sections its stage reads, as JSON (rerun on change)."""
    stage = MULTIVERSE_FAMILIES[wildcards.family]["stage"]
    part = {"family": MULTIVERSE_FAMILIES[wildcards.family], "seed": config["seed"],
            "statistics": MULTIVERSE.get("statistics") or {}}
    part.update({s: config.get(s) for s in _MULTIVERSE_SECTIONS[stage]})
    return _multiverse_json.dumps(part, sort_keys=True, default=str)


rule multiverse_family:
    input:
        unpack(multiverse_inputs),
        registry=CLAIMS["registry"],
        schema=CLAIMS["schema"],
    output:
        rows="results/multiverse/families/{family}.csv",
    params:
        declared=multiverse_params,
        results="results",
        study=CLAIMS_STUDY,
    wildcard_constraints:
        family="[a-z][a-z0-9_]*",
    log:
        f"{LOGS}/multiverse/{{family}}.log",
    benchmark:
        f"{BENCH}/multiverse/{{family}}.tsv"
    script:
        "../scripts/multiverse_family.py"


rule multiverse_gather:
    input:
        families=expand("results/multiverse/families/{family}.csv", family=sorted(MULTIVERSE_FAMILIES)),
        tables=claims_tables,
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
