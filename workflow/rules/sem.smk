# Measurement model and SEM robustness checks on the clean survey (nero.sem), one rule per
# analysis family (nero.sem.study.FAMILY_OUTPUTS) so that each reruns alone and they run in
# parallel; summarise_sem merges their headline lines and convergence rows.

# Tables an examiner reads in the report, with their caption files (workflow/report/sem_<name>.rst).
SEM_REPORTED = [
    "cfa_fit", "cfa_loadings", "reliability", "fornell_larcker", "htmt", "harman",
    "cmv_difference_tests", "marker_adjustment", "nonresponse", "invariance_tests",
    "baron_kenny", "indirect_effects", "sobel", "conditional_effects", "johnson_neyman",
    "moderated_mediation", "latent_mediation", "convergence", "ambidexterity_moderation",
    "ambidexterity_dimensions", "ambidexterity_index", "mediation_type", "capacity_boosting",
    "sensitivity_listwise", "robust_sensitivity",
]
SEM_FAMILIES = {
    "measurement": ["cfa_fit.csv", "cfa_loadings.csv", "reliability.csv", "fornell_larcker.csv",
                    "fornell_larcker_checks.csv", "htmt.csv", "htmt_checks.csv", "sensitivity_listwise.csv",
                    "cfa_model.txt"],
    "cmv": ["harman.csv", "cmv_models.csv", "cmv_difference_tests.csv", "marker_adjustment.csv",
            "marker_correlations.csv", "cmv_model1_method_only.txt", "cmv_model2_trait_only.txt",
            "cmv_model3_method_trait.txt"],
    "nonresponse": ["nonresponse.csv", "nonresponse_equivalence.csv"],
    "invariance": ["invariance.csv", "invariance_tests.csv"],
    "mediation": ["baron_kenny.csv", "baron_kenny_models.csv", "sobel.csv", "indirect_effects.csv",
                  "direct_effect.csv", "mediation_type.csv", "specification_sensitivity.csv"],
    "moderation": ["ambidexterity_moderation.csv", "ambidexterity_simple_slopes.csv",
                   "ambidexterity_johnson_neyman.csv", "ambidexterity_dimensions.csv", "ambidexterity_index.csv",
                   "capacity_boosting.csv", "moderation_coefficients.csv", "moderation_r2_change.csv",
                   "conditional_effects.csv", "johnson_neyman.csv", "interaction_plot.csv",
                   "moderated_mediation.csv", "process_equations.csv"],
    "latent": ["latent_mediation.csv", "latent_mediation_fit.csv", "latent_mediation_model.txt"],
    "robust": ["robust_sensitivity.csv"],
}


def sem_files(family):
    """Declared outputs of one family (report()-wrapped where the examiner reads them)."""
    out = []
    for name in SEM_FAMILIES[family]:
        stem = name.rsplit(".", 1)[0]
        out.append(sem_output(stem) if name.endswith(".csv") else f"results/sem/{name}")
    return out


SEM_INPUTS = {
    "verified": verified("survey"),
    "clean": "results/survey/clean.csv",
    "codebook": CODEBOOK,
}


rule fit_measurement_model:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("measurement"),
        part="results/sem/parts/measurement.json",
    params:
        family="measurement",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/fit_measurement_model.log",
    benchmark:
        f"{BENCH}/fit_measurement_model.tsv"
    script:
        "../scripts/sem_family.py"


rule test_common_method_variance:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("cmv"),
        part="results/sem/parts/cmv.json",
    params:
        family="cmv",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/test_common_method_variance.log",
    benchmark:
        f"{BENCH}/test_common_method_variance.tsv"
    script:
        "../scripts/sem_family.py"


rule test_nonresponse_bias:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("nonresponse"),
        part="results/sem/parts/nonresponse.json",
    params:
        family="nonresponse",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/test_nonresponse_bias.log",
    script:
        "../scripts/sem_family.py"


rule test_measurement_invariance:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("invariance"),
        part="results/sem/parts/invariance.json",
    params:
        family="invariance",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/test_measurement_invariance.log",
    benchmark:
        f"{BENCH}/test_measurement_invariance.tsv"
    script:
        "../scripts/sem_family.py"


rule test_mediation:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("mediation"),
        part="results/sem/parts/mediation.json",
    params:
        family="mediation",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/test_mediation.log",
    benchmark:
        f"{BENCH}/test_mediation.tsv"
    script:
        "../scripts/sem_family.py"


rule test_moderation:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("moderation"),
        part="results/sem/parts/moderation.json",
    params:
        family="moderation",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/test_moderation.log",
    benchmark:
        f"{BENCH}/test_moderation.tsv"
    script:
        "../scripts/sem_family.py"


rule fit_latent_mediation:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("latent"),
        part="results/sem/parts/latent.json",
    params:
        family="latent",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/fit_latent_mediation.log",
    benchmark:
        f"{BENCH}/fit_latent_mediation.tsv"
    script:
        "../scripts/sem_family.py"


rule fit_robust_sensitivity:
    input:
        **SEM_INPUTS,
    output:
        files=sem_files("robust"),
        part="results/sem/parts/robust.json",
    params:
        family="robust",
        settings=config["sem"],
        seed=SEED,
    log:
        f"{LOGS}/fit_robust_sensitivity.log",
    benchmark:
        f"{BENCH}/fit_robust_sensitivity.tsv"
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
