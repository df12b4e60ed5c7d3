# Study 2 fsQCA on the clean survey (nero.fsqca): calibration, necessity, truth table,
# minimization for SCO and ~SCO, the configuration chart, robustness and predictive validity;
# and the further analyses of fsqca.analyses (the scale-up side: CAP as outcome, SCO as a
# condition of CAP), one folder results/fsqca/<analysis>/ each.

FSQCA = "results/fsqca"
FSQCA_TABLES = [
    "anchors", "configuration_chart", "contradictory_assumptions", "core_peripheral", "counterfactuals", "frequency_cut",
    "frequency_cut_solutions", "memberships", "necessity",
    "necessity_negated", "predictive_validity", "robustness_cases", "robustness_failures", "robustness_fit",
    "robustness_runs", "robustness_survival", "robustness_verdicts", "skewness", "solutions", "solutions_esa", "truth_table",
    "truth_table_negated", "xy_fit", "xy_memberships",
]
FSQCA_REPORTED = [
    "anchors", "skewness", "necessity", "frequency_cut", "truth_table", "solutions", "configuration_chart",
    "robustness_verdicts", "robustness_fit", "predictive_validity", "contradictory_assumptions",
    "solutions_esa",
]


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
    log:
        f"{LOGS}/fsqca_frequency_cut_sensitivity.log",
    benchmark:
        f"{BENCH}/fsqca_frequency_cut_sensitivity.tsv"
    script:
        "../scripts/fsqca_frequency_cut.py"


ALL_TARGETS.append(f"{FSQCA}/frequency_cut_sensitivity.csv")

FSQCA_ANALYSES = sorted(config["fsqca"].get("analyses") or {})
FSQCA_ANALYSIS_TABLES = [
    "anchors", "contradictory_assumptions", "counterfactuals", "frequency_cut", "necessity", "necessity_negated",
    "solutions", "solutions_esa", "truth_table", "truth_table_negated",
]
FSQCA_ANALYSIS_REPORTED = ["necessity", "truth_table", "solutions", "solutions_esa"]


rule analyse_fsqca_outcome:
    input:
        verified=verified("survey"),
        clean="results/survey/clean.csv",
    output:
        tables=[
            report(f"{FSQCA}/{{analysis}}/{name}.csv", caption=f"../report/fsqca_analysis_{name}.rst", category="fsQCA scale-up")
            if name in FSQCA_ANALYSIS_REPORTED else f"{FSQCA}/{{analysis}}/{name}.csv"
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
