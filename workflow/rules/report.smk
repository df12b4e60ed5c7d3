# Report stage: results/report.html in thesis order (research questions, claims and
# verdicts, the numbered tables and figures of manuscript.smk, the SME Playbook, every other
# report()-flagged output in an appendix, provenance). Included last, so every stage's
# report() outputs are known here.

import nero.report.dag

REPORT_ITEMS = report_items()
_REPORT_OUTPUTS = {str(o) for r in workflow.rules for o in r.output}
REPORT_CLAIMS = ["results/claims.csv"] if "results/claims.csv" in _REPORT_OUTPUTS else []
REPORT_PLANTED = [p for p in ["results/truth/planted_vs_recovered.csv"] if p in _REPORT_OUTPUTS]  # synthetic data only
REPORT_GOVERNANCE = [p for p in ("results/claims.json", "results/figures/causal_model.png",
                                 "results/sem/specification_sensitivity.csv") if p in _REPORT_OUTPUTS]


rule build_report:
    input:
        results=[item["path"] for item in REPORT_ITEMS],
        captions=sorted({item["caption"] for item in REPORT_ITEMS if item["caption"]}),
        tables=[path for path in MANUSCRIPT_FILES if path.endswith((".csv", ".json"))],
        figures=[item.source[0] for item in MANUSCRIPT_ITEMS if item.kind == "figure"],
        playbook="results/manuscript/playbook_annex.html",
        claims=REPORT_CLAIMS,
        governance=REPORT_GOVERNANCE,
        planted=REPORT_PLANTED,
        provenance="results/provenance.json",
        registry="workflow/report/manuscript.yaml",
    output:
        "results/report.html",
    params:
        catalog=json.dumps(REPORT_ITEMS, sort_keys=True),
        numbered=lambda wc: json.dumps([item.to_dict() for item in MANUSCRIPT_ITEMS], sort_keys=True, ensure_ascii=False),
        rule_files=json.dumps(nero.report.dag.rule_files(workflow), sort_keys=True),
        raw_dir=str(RAW),
    log:
        f"{LOGS}/build_report.log",
    script:
        "../scripts/build_report.py"


ALL_TARGETS.append("results/report.html")


# The notebooks read built results (never recompute); each lists the results it reads.
NOTEBOOK_INPUTS = {
    "study1_qualitative": [
        f"results/study1/{name}"
        for name in [
            "codebook.csv", "code_frequencies.csv", "case_theme_matrix.csv", "theme_heatmap.png",
            "cooccurrence.csv", "saturation.csv", "saturation_summary.json", "saturation.png",
            "reliability.csv", "typology.csv", "case_summary.csv", "exemplar_quotes.csv",
            # the independent check recounts these from the coded segments (selections.csv, project.json)
            "selections.csv", "project.json",
        ]
    ],
    "study2_quantitative": [
        f"results/{name}"
        for name in [
            "survey/flow.csv", "survey/flow.png", "survey/exclusion_log.csv", "survey/missing_items.csv",
            "survey/little_mcar.json", "survey/descriptives_constructs.csv", "sem/summary.json",
            "sem/figures/path_diagram.png", "sem/figures/interaction.png", "fsqca/summary.json",
            "fsqca/figures/configuration_chart.png", "fsqca/figures/xy_plots.png",
            "fsqca/figures/robustness_overview.png", "integration/joint_display.csv",
            "integration/joint_display_unmatched.csv", "sem/ambidexterity_moderation.csv",
            "sem/ambidexterity_simple_slopes.csv", "sem/ambidexterity_johnson_neyman.csv",
            "sem/ambidexterity_dimensions.csv", "sem/ambidexterity_index.csv", "sem/mediation_type.csv",
            "sem/capacity_boosting.csv", "sem/latent_mediation_fit.csv", "sem/latent_mediation.csv",
            "sem/sensitivity_listwise.csv", "fsqca/scale_up/solutions.csv", "fsqca/scale_up_reverse/solutions.csv",
            # the independent check re-estimates the numbers of these from clean.csv, the imported waves and memberships.csv
            "survey/clean.csv", "sem/process_equations.csv", "sem/moderation_coefficients.csv", "sem/indirect_effects.csv",
            "fsqca/memberships.csv", "fsqca/solutions.csv", "fsqca/solutions_esa.csv",
        ]
    ]
    + [f"results/survey/waves/{wave}.csv" for wave in survey_waves()],
    "examiner_audit": [
        VERIFIED, "results/provenance.json", "results/survey/exclusion_log.csv", "results/report.html",
        # three numbers behind the claims, re-estimated (and the claims, where the workflow makes them)
        "results/survey/clean.csv", "results/sem/ambidexterity_moderation.csv", "results/fsqca/memberships.csv",
        "results/fsqca/solutions.csv", "results/fsqca/summary.json", "results/study1/selections.csv",
        "results/study1/reliability.csv", "results/study1/project.json", *REPORT_CLAIMS,
    ],
}


rule execute_notebook:
    input:
        notebook="notebooks/{notebook}.ipynb",
        results=lambda wildcards: NOTEBOOK_INPUTS[wildcards.notebook],
    output:
        ipynb="results/notebooks/{notebook}.ipynb",
        html="results/notebooks/{notebook}.html",
    wildcard_constraints:
        notebook="|".join(NOTEBOOK_INPUTS),
    log:
        f"{LOGS}/execute_notebook_{{notebook}}.log",
    benchmark:
        f"{BENCH}/execute_notebook_{{notebook}}.tsv"
    script:
        "../scripts/execute_notebook.py"


ALL_TARGETS.extend(expand("results/notebooks/{notebook}.html", notebook=sorted(NOTEBOOK_INPUTS)))
