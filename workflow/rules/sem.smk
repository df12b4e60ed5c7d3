# Measurement model and SEM robustness checks on the clean survey (nero.sem), one rule per
# analysis family (nero.sem.study.FAMILY_OUTPUTS) so that each reruns alone and they run in
# parallel; summarise_sem merges their headline lines and convergence rows.

# The rule that runs each family of the library's table nero.sem.study.FAMILY_OUTPUTS (its
# outputs come from that table: sem_files()); the names are those of the logs, benchmarks and docs.
# A table is in the report when it has a caption file workflow/report/sem_<name>.rst (sem_output()).
SEM_FAMILY_RULES = {
    "measurement": "fit_measurement_model",
    "cmv": "test_common_method_variance",
    "nonresponse": "test_nonresponse_bias",
    "invariance": "test_measurement_invariance",
    "mediation": "test_mediation",
    "moderation": "test_moderation",
    "latent": "fit_latent_mediation",
    "robust": "fit_robust_sensitivity",
}
if set(SEM_FAMILY_RULES) != set(SEM_FAMILIES):
    raise WorkflowError(
        f"workflow/rules/sem.smk: SEM_FAMILY_RULES names the families {sorted(SEM_FAMILY_RULES)}, "
        f"but nero.sem.study.FAMILY_OUTPUTS has {sorted(SEM_FAMILIES)}; give each family one rule name"
    )

SEM_INPUTS = {
    "verified": verified("survey"),
    "clean": "results/survey/clean.csv",
    "codebook": CODEBOOK,
}


# One rule per family, generated from the library's table (as manuscript.smk does for the
# section tables): each reruns alone and they run in parallel.
for _family, _rule in SEM_FAMILY_RULES.items():

    rule:
        name:
            _rule
        input:
            **SEM_INPUTS,
        output:
            files=sem_files(_family),
            part=f"results/sem/parts/{_family}.json",
        params:
            family=_family,
            settings=config["sem"],
            seed=SEED,
        log:
            f"{LOGS}/{_rule}.log",
        benchmark:
            f"{BENCH}/{_rule}.tsv"
        script:
            "../scripts/sem_family.py"


rule summarise_sem:
    input:
        clean="results/survey/clean.csv",
        parts=[f"results/sem/parts/{family}.json" for family in SEM_FAMILIES],
    output:
        summary="results/sem/summary.json",
        convergence=sem_output("convergence"),
    params:
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/summarise_sem.log",
    script:
        "../scripts/sem_summary.py"


ALL_TARGETS.append("results/sem/summary.json")


rule draw_sem_figures:
    input:
        equations="results/sem/process_equations.csv",
        indirect="results/sem/indirect_effects.csv",
        interaction="results/sem/interaction_plot.csv",
    output:
        path_png=report("results/sem/figures/path_diagram.png", caption="../report/sem_path_diagram.rst", category="Measurement and SEM"),
        path_pdf="results/sem/figures/path_diagram.pdf",
        interaction_png=report("results/sem/figures/interaction.png", caption="../report/sem_interaction.rst", category="Measurement and SEM"),
        interaction_pdf="results/sem/figures/interaction.pdf",
    log:
        f"{LOGS}/draw_sem_figures.log",
    script:
        "../scripts/sem_figures.py"


ALL_TARGETS.extend(["results/sem/figures/path_diagram.png", "results/sem/figures/interaction.png"])
