# Integration: the joint display of the Study-1 archetypes and the Study-2 configurations.

INTEGRATION = "results/integration"


rule build_joint_display:
    input:
        solutions="results/fsqca/solutions.csv",
        esa="results/fsqca/solutions_esa.csv",
        xy="results/fsqca/xy_memberships.csv",
        typology="results/study1/typology.csv",
        quotes="results/study1/exemplar_quotes.csv",
        privacy="results/study1/privacy_check.json",
    output:
        table=report(f"{INTEGRATION}/joint_display.csv", caption="../report/integration_joint_display.rst", category="Integration"),
        unmatched=report(f"{INTEGRATION}/joint_display_unmatched.csv", caption="../report/integration_unmatched.rst", category="Integration"),
        matches=report(f"{INTEGRATION}/archetype_matches.csv", caption="../report/integration_archetype_matches.rst", category="Integration"),
    params:
        archetypes=config["integration"]["archetypes"],
        outcome=config["fsqca"]["outcome"],
    log:
        f"{LOGS}/build_joint_display.log",
    script:
        "../scripts/joint_display.py"


ALL_TARGETS.extend(
    [f"{INTEGRATION}/joint_display.csv", f"{INTEGRATION}/joint_display_unmatched.csv", f"{INTEGRATION}/archetype_matches.csv"]
)
