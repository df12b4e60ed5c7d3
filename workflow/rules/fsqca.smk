# Study 2 fsQCA on the clean survey (nero.fsqca): calibration, necessity, truth table,
# minimization for SCO and ~SCO, the configuration chart, robustness and predictive validity;
# and the further analyses of fsqca.analyses (the scale-up side: CAP as outcome, SCO as a
# condition of CAP), one folder results/fsqca/<analysis>/ each.

FSQCA = "results/fsqca"
# The tables of the main study and of each further analysis: the library's lists.
from nero.fsqca.study import ANALYSIS_TABLES as FSQCA_ANALYSIS_TABLES, STUDY_TABLES as FSQCA_TABLES


rule analyse_fsqca:
    input:
        verified=verified("survey"),
        clean="results/survey/clean.csv",
    output:
        tables=[fsqca_output(name) for name in FSQCA_TABLES],
        solutions=f"{FSQCA}/solutions.json",
        summary=f"{FSQCA}/summary.json",
    params:
        settings=config["fsqca"],
        seed=SEED,
    log:
        f"{LOGS}/analyse_fsqca.log",
    benchmark:
        f"{BENCH}/analyse_fsqca.tsv"
    script:
        "../scripts/fsqca_study.py"

rule fsqca_frequency_cut_sensitivity:
    input:
        solutions=f"{FSQCA}/frequency_cut_solutions.csv",
        main=f"{FSQCA}/solutions.csv",
        esa=f"{FSQCA}/solutions_esa.csv",
        verdicts=f"{FSQCA}/robustness_verdicts.csv",
        registry=config.get("claims", {}).get("registry", "config/claims.yaml"),
        schema=config.get("claims", {}).get("schema", "config/claims.schema.yaml"),
    output:
        table=f"{FSQCA}/frequency_cut_sensitivity.csv",
    params:
        outcome=config["fsqca"]["outcome"],
        archetypes=config["integration"]["archetypes"],
    log:
        f"{LOGS}/fsqca_frequency_cut_sensitivity.log",
    benchmark:
        f"{BENCH}/fsqca_frequency_cut_sensitivity.tsv"
    script:
        "../scripts/fsqca_frequency_cut.py"


ALL_TARGETS.append(f"{FSQCA}/frequency_cut_sensitivity.csv")

FSQCA_ANALYSES = sorted(config["fsqca"].get("analyses") or {})


rule analyse_fsqca_outcome:
    input:
        verified=verified("survey"),
        clean="results/survey/clean.csv",
    output:
        tables=[
            reported(f"{FSQCA}/{{analysis}}/{name}.csv", f"fsqca_analysis_{name}.rst", "fsQCA scale-up")
            for name in FSQCA_ANALYSIS_TABLES
        ],
        solutions=f"{FSQCA}/{{analysis}}/solutions.json",
        summary=f"{FSQCA}/{{analysis}}/summary.json",
    wildcard_constraints:
        analysis="|".join(FSQCA_ANALYSES) or "no-analysis",
    params:
        settings=config["fsqca"],
    log:
        f"{LOGS}/analyse_fsqca_outcome_{{analysis}}.log",
    benchmark:
        f"{BENCH}/analyse_fsqca_outcome_{{analysis}}.tsv"
    script:
        "../scripts/fsqca_analysis.py"


rule draw_fsqca_figures:
    input:
        chart=f"{FSQCA}/configuration_chart.csv",
        xy=f"{FSQCA}/xy_memberships.csv",
        xy_fit=f"{FSQCA}/xy_fit.csv",
        survival=f"{FSQCA}/robustness_survival.csv",
    output:
        chart_png=report(f"{FSQCA}/figures/configuration_chart.png", caption="../report/fsqca_chart_figure.rst", category="fsQCA"),
        chart_pdf=f"{FSQCA}/figures/configuration_chart.pdf",
        xy_png=report(f"{FSQCA}/figures/xy_plots.png", caption="../report/fsqca_xy_plots.rst", category="fsQCA"),
        xy_pdf=f"{FSQCA}/figures/xy_plots.pdf",
        robustness_png=report(f"{FSQCA}/figures/robustness_overview.png", caption="../report/fsqca_robustness_figure.rst", category="fsQCA"),
        robustness_pdf=f"{FSQCA}/figures/robustness_overview.pdf",
    params:
        conditions=config["fsqca"]["conditions"],
        outcome=config["fsqca"]["outcome"],
    log:
        f"{LOGS}/draw_fsqca_figures.log",
    script:
        "../scripts/fsqca_figures.py"


ALL_TARGETS.extend([f"{FSQCA}/summary.json", f"{FSQCA}/figures/configuration_chart.png"])
ALL_TARGETS.extend(f"{FSQCA}/{name}/summary.json" for name in FSQCA_ANALYSES)
