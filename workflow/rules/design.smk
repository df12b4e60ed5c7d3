# Design analysis (nero.design): Monte Carlo over the whole chain under the scenarios of
# config `design:`. Not part of `make study` (nothing here joins ALL_TARGETS): its own
# target `make design` (rule analyse_design). Scatter-gather: the true values once per
# process, one job per batch of replications, one gather into results/design/.
# docs/design.md explains the outputs; profiles/ run the same jobs on SLURM or Kubernetes.

DESIGN = "results/design"
DESIGN_CONFIG = config.get("design")

if DESIGN_CONFIG:
    from nero.design.settings import DesignError as _DesignError, DesignSettings as _DesignSettings
    from nero.design.workflow import DesignJobs as _DesignJobs

    try:
        DESIGN_JOBS = _DesignJobs(_DesignSettings.from_config(DESIGN_CONFIG), DESIGN)
    except _DesignError as _exc:
        raise WorkflowError(str(_exc)) from None
    # The report (rule build_report) takes every report()-flagged output as input, so the design
    # outputs are flagged only once the design exists (`make design` has run) or with
    # `design.in_report: true`. A fresh `make study` never starts the Monte Carlo; once the
    # design is built, the report shows it, and a change under `design:` reruns it rather
    # than leave an outdated design in the report (delete results/design/ to drop it).
    # A design on disk that was run with another design section (e.g. `make design DESIGN_CONFIG=...`
    # with fewer replicates) stays out of the report instead of being rerun with the configured
    # one: that would start hours of Monte Carlo inside `make study` (the shipped reference is shown).
    DESIGN_IN_REPORT = bool(DESIGN_CONFIG.get("in_report", False)) or (all(
        Path(DESIGN, name).exists() for name in ("rates.csv", "design_table.csv", "truth.csv", "figures/power_recovery.png")
    ) and design_run_matches(DESIGN, DESIGN_CONFIG))

    # The claims registry (issue 12) decides the claims of every replicate when it exists.
    DESIGN_CLAIMS = [p for p in ["config/claims.yaml"] if Path(p).exists()]
    DESIGN_OUTPUTS = [
        f"{DESIGN}/replicates.csv",
        f"{DESIGN}/rates.csv",
        f"{DESIGN}/claim_rates.csv",
        f"{DESIGN}/design_table.csv",
        f"{DESIGN}/truth.csv",
        f"{DESIGN}/summary.json",
        f"{DESIGN}/figures/power_recovery.png",
        f"{DESIGN}/figures/power_recovery.pdf",
    ]

    wildcard_constraints:
        scenario="[A-Za-z0-9_]+",
        process="[A-Za-z0-9_]+",
        batch="[0-9]+",

    # The gather and the figure read only small tables: on a cluster they run on the submit host.
    localrules:
        analyse_design,
        gather_design,
        plot_design_curves,

    rule analyse_design:
        input:
            DESIGN_OUTPUTS,

    rule compute_design_truth:
        input:
            codebook=CODEBOOK,
        output:
            f"{DESIGN}/truth/{{process}}.csv",
        params:
            scenario=DESIGN_JOBS.process_scenario,
            truth_draws=DESIGN_CONFIG["truth_draws"],
            sem=config["sem"],
        log:
            f"{LOGS}/design/truth_{{process}}.log",
        benchmark:
            f"{BENCH}/design/truth_{{process}}.tsv"
        threads: 1
        resources:
            mem_mb=3000,
            runtime=15,
        script:
            "../scripts/design_truth.py"

    rule simulate_design_batch:
        input:
            codebook=CODEBOOK,
            truth=DESIGN_JOBS.truth_of_scenario,
            claims=DESIGN_CLAIMS,
        output:
            f"{DESIGN}/batches/{{scenario}}/batch_{{batch}}.csv",
        params:
            seed=SEED,
            design=DESIGN_JOBS.batch_settings,
            survey=config["survey"],
            sem=config["sem"],
            fsqca=config["fsqca"],
            qual=config["qual"],
            slr=config["slr"],
            integration=config["integration"],
        log:
            f"{LOGS}/design/{{scenario}}_batch_{{batch}}.log",
        benchmark:
            f"{BENCH}/design/{{scenario}}_batch_{{batch}}.tsv"
        threads: 1
        resources:
            mem_mb=1500,
            runtime=DESIGN_JOBS.batch_runtime,
        script:
            "../scripts/design_batch.py"

    rule gather_design:
        input:
            batches=DESIGN_JOBS.batch_files(),
            truths=DESIGN_JOBS.truth_files(),
        output:
            replicates=f"{DESIGN}/replicates.csv",
            rates=report(f"{DESIGN}/rates.csv", caption="../report/design_rates.rst", category="Design analysis") if DESIGN_IN_REPORT else f"{DESIGN}/rates.csv",
            table=report(f"{DESIGN}/design_table.csv", caption="../report/design_table.rst", category="Design analysis") if DESIGN_IN_REPORT else f"{DESIGN}/design_table.csv",
            truth=report(f"{DESIGN}/truth.csv", caption="../report/design_truth.rst", category="Design analysis") if DESIGN_IN_REPORT else f"{DESIGN}/truth.csv",
            claim_rates=f"{DESIGN}/claim_rates.csv",
            summary=f"{DESIGN}/summary.json",
        params:
            design=DESIGN_CONFIG,
            seed=SEED,
        log:
            f"{LOGS}/design/gather_design.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=5,
        script:
            "../scripts/design_gather.py"

    rule plot_design_curves:
        input:
            rates=f"{DESIGN}/rates.csv",
        output:
            png=report(f"{DESIGN}/figures/power_recovery.png", caption="../report/design_curves.rst", category="Design analysis") if DESIGN_IN_REPORT else f"{DESIGN}/figures/power_recovery.png",
            pdf=f"{DESIGN}/figures/power_recovery.pdf",
        params:
            alpha=DESIGN_CONFIG["alpha"],
        log:
            f"{LOGS}/design/plot_design_curves.log",
        threads: 1
        resources:
            mem_mb=1000,
            runtime=5,
        script:
            "../scripts/design_figures.py"


# The design results that ship with the project (design-reference/, written by `make design`
# with the commit and hashes that produced them; nero.design.shipped): every `make study` copies
# them into the report with a status table that says whether the code or the config changed since
# they were made. The rule's inputs are the design-relevant sources, so a code change reruns it;
# the design-relevant config sections are its params. It never starts the Monte Carlo.
from nero.design.shipped import CONFIG_KEYS as _REF_CONFIG_KEYS, PROVENANCE as _REF_PROVENANCE, SHIPPED_FILES as _REF_FILES, source_files as _ref_sources
from nero.provenance.record import rule_input as _rule_input

DESIGN_REFERENCE = "design-reference"
_REF_BASE = Path(workflow.basedir).resolve()
DESIGN_SHOWN = "results/design_reference"

if Path(DESIGN_REFERENCE, _REF_PROVENANCE).exists():

    rule show_design_reference:
        input:
            shipped=[f"{DESIGN_REFERENCE}/{name}" for name in (*_REF_FILES, _REF_PROVENANCE)],
            sources=[_rule_input(p, _REF_BASE) for _, p in _ref_sources(_REF_BASE)],
        output:
            status=report(f"{DESIGN_SHOWN}/status.csv", caption="../report/design_reference_status.rst", category="Design analysis"),
            claims=report(f"{DESIGN_SHOWN}/claim_rates.csv", caption="../report/design_reference_claims.rst", category="Design analysis"),
            table=report(f"{DESIGN_SHOWN}/design_table.csv", caption="../report/design_table.rst", category="Design analysis"),
            png=report(f"{DESIGN_SHOWN}/power_recovery.png", caption="../report/design_curves.rst", category="Design analysis"),
            pdf=f"{DESIGN_SHOWN}/power_recovery.pdf",
        params:
            config={key: config.get(key) for key in _REF_CONFIG_KEYS},
            reference=input_folder("shipped", DESIGN_REFERENCE),
            alpha=config.get("design", {}).get("alpha", 0.05),
        log:
            f"{LOGS}/design/show_design_reference.log",
        script:
            "../scripts/design_reference.py"

    ALL_TARGETS.extend([f"{DESIGN_SHOWN}/status.csv", f"{DESIGN_SHOWN}/power_recovery.png"])

    # Operating characteristics of every claim of the registry (power where planted true, false
    # support where planted false or not identifiable, the weak process) from the shipped rates
    # scored against the truth map of the generator (nero.simulate.claims_truth), with the shipped
    # design's status; rule evaluate_claims (claims.smk, input operating=) joins them beside each
    # verdict of results/claims.csv.
    import nero.simulate as _simulate

    if hasattr(_simulate, "claims_truth"):

        rule score_design_claims:
            input:
                rates=f"{DESIGN_REFERENCE}/claim_rates.csv",
                summary=f"{DESIGN_REFERENCE}/summary.json",
                registry=CLAIMS["registry"],
                schema=CLAIMS["schema"],
                clean="results/survey/clean.csv",
                status=f"{DESIGN_SHOWN}/status.csv",
            output:
                report(f"{DESIGN_SHOWN}/claims_operating.csv", caption="../report/design_reference_operating.rst", category="Design analysis"),
            log:
                f"{LOGS}/design/score_design_claims.log",
            script:
                "../scripts/design_claims_operating.py"

        ALL_TARGETS.append(f"{DESIGN_SHOWN}/claims_operating.csv")
        CLAIMS_OPERATING.append(f"{DESIGN_SHOWN}/claims_operating.csv")


# Planted versus recovered (synthetic stand-in only): each claim's truth and verdict, each planted
# population parameter of the truth map and its estimate in the shipped results, with agreement
# (nero.design.recovery). Real data have no data/truth/, and a truth map that does not declare the
# data synthetic is not read: then the rule and the report's section do not exist.

TRUTH_MAP = Path(RAW).parent / "truth" / "claims_truth.json"


if truth_is_synthetic(TRUTH_MAP) and "results/claims.csv" in ALL_TARGETS:
    from nero.design.recovery import recovery_tables as _recovery_tables

    rule compare_planted_recovered:
        input:
            truth=str(TRUTH_MAP),
            claims="results/claims.csv",
            tables=[f"results/{name}" for name in _recovery_tables()],
        output:
            "results/truth/planted_vs_recovered.csv",  # its own section of the report (report.smk), not the appendix
        log:
            f"{LOGS}/compare_planted_recovered.log",
        script:
            "../scripts/design_planted_vs_recovered.py"

    ALL_TARGETS.append("results/truth/planted_vs_recovered.csv")
