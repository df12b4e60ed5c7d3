# Measurement model and SEM robustness checks on the clean survey (nero.sem).

SEM_TABLES = [
    "balance_variant", "baron_kenny", "baron_kenny_models", "cfa_fit", "cfa_loadings",
    "cmv_difference_tests", "cmv_models", "conditional_effects", "convergence", "direct_effect",
    "fornell_larcker", "fornell_larcker_checks", "harman", "htmt", "htmt_checks",
    "indirect_effects", "interaction_plot", "invariance", "invariance_tests", "johnson_neyman",
    "latent_mediation", "latent_mediation_fit", "marker_adjustment", "marker_correlations",
    "moderated_mediation", "moderation_coefficients", "moderation_r2_change", "nonresponse",
    "process_equations", "reliability", "sobel",
]
SEM_MODELS = [
    "cfa_model.txt", "cmv_model1_method_only.txt", "cmv_model2_trait_only.txt",
    "cmv_model3_method_trait.txt", "latent_mediation_model.txt",
]
# Tables an examiner reads in the report, with their caption files (workflow/report/sem_<name>.rst).
SEM_REPORTED = [
    "cfa_fit", "cfa_loadings", "reliability", "fornell_larcker", "htmt", "harman",
    "cmv_difference_tests", "marker_adjustment", "nonresponse", "invariance_tests",
    "baron_kenny", "indirect_effects", "sobel", "conditional_effects", "johnson_neyman",
    "moderated_mediation", "latent_mediation", "convergence",
]


rule check_sem:
    input:
        verified=verified("survey"),
        clean="results/survey/clean.csv",
        codebook=CODEBOOK,
    output:
        tables=[sem_output(name) for name in SEM_TABLES],
        models=[f"results/sem/{name}" for name in SEM_MODELS],
        summary="results/sem/summary.json",
    params:
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/check_sem.log",
    benchmark:
        f"{BENCH}/check_sem.tsv"
    threads: 2
    script:
        "../scripts/sem_checks.py"


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
