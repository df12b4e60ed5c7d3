# Figures that span the stages: the pipeline DAG.


rule draw_pipeline_dag:
    input:
        "Snakefile",
        # relative paths: an absolute one would make a copied or moved build rerun ("set of input
        # files changed") and put a machine path into the recorded lineage
        sorted(os.path.relpath(p, workflow.basedir) for p in Path(workflow.basedir, "workflow", "rules").glob("*.smk")),
    output:
        png=report("results/figures/pipeline_dag.png", caption="../report/pipeline_dag.rst", category="Pipeline"),
        pdf="results/figures/pipeline_dag.pdf",
        dot="results/figures/pipeline_dag.dot",
    log:
        f"{LOGS}/draw_pipeline_dag.log",
    script:
        "../scripts/draw_pipeline_dag.py"


ALL_TARGETS.extend(["results/figures/pipeline_dag.png", "results/figures/pipeline_dag.pdf"])
