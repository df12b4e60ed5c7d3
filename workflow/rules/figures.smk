# Figures that span the stages: the pipeline DAG.


rule draw_pipeline_dag:
    input:
        "Snakefile",
        sorted(str(p) for p in Path(workflow.basedir, "workflow", "rules").glob("*.smk")),
    output:
        png=report("results/figures/pipeline_dag.png", caption="../report/pipeline_dag.rst", category="Pipeline"),
        pdf="results/figures/pipeline_dag.pdf",
        dot="results/figures/pipeline_dag.dot",
    log:
        f"{LOGS}/draw_pipeline_dag.log",
    script:
        "../scripts/draw_pipeline_dag.py"


ALL_TARGETS.extend(["results/figures/pipeline_dag.png", "results/figures/pipeline_dag.pdf"])
