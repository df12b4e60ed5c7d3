# Claims: every claim of the thesis (config/claims.yaml) decided by its rule on the result
# tables (nero.claims; docs/claims.md). The registry is validated when the workflow starts,
# so a malformed claim stops the run before any job, naming the claim id and the key.

from nero.claims import RegistryError, load_registry

CLAIMS = config.get("claims", {"registry": "config/claims.yaml", "schema": "config/claims.schema.yaml"})
try:
    CLAIMS_REGISTRY = load_registry(CLAIMS["registry"], CLAIMS["schema"])
except RegistryError as exc:
    raise WorkflowError(str(exc)) from None


rule evaluate_claims:
    input:
        registry=CLAIMS["registry"],
        schema=CLAIMS["schema"],
        tables=claims_tables,
    output:
        table=report("results/claims.csv", caption="../report/claims.rst", category="Claims"),
        record="results/claims.json",
    log:
        f"{LOGS}/evaluate_claims.log",
    script:
        "../scripts/claims_evaluate.py"


ALL_TARGETS.extend(["results/claims.csv", "results/claims.json"])
