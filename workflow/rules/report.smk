# Report stage: results/report.html in thesis order (research questions, claims and
# verdicts, the numbered tables and figures of manuscript.smk, the SME Playbook, every other
# report()-flagged output in an appendix, provenance). Included last, so every stage's
# report() outputs are known here.

import nero.report.dag
import nero.report.notebook

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


# The notebooks read built results (never recompute); the library declares what each reads
# (nero.report.notebook.NOTEBOOK_INPUTS): one path per survey wave, the claims where a rule writes them.
NOTEBOOK_INPUTS = {
    name: nero.report.notebook.notebook_inputs(name, survey_waves(), lambda path: path in _REPORT_OUTPUTS)
    for name in nero.report.notebook.NOTEBOOK_INPUTS
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
