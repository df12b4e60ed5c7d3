# Study 1 (qualitative): import the coded interviews once, then the cross-case analyses,
# the reliability check, the typology, the figures, and a privacy check over every output.
# The library is nero.qual; docs/qual.md describes every output and the typology rule.

QUAL = config["qual"]
STUDY1 = "results/study1"
QUAL_PRIMARY = QUAL["primary_coder"]

# The intermediates every analysis rule reads (the project file is parsed once).
QUAL_IMPORTED = dict(
    selections=f"{STUDY1}/selections.csv",
    cases=f"{STUDY1}/cases.csv",
    project=f"{STUDY1}/project.json",
)


rule qual_import:
    input:
        project=ancient(RAW / QUAL["input"]),
        checksum=raw_stamps([RAW / QUAL["input"]]),
        verified=verified("interviews"),
    output:
        **QUAL_IMPORTED,
    params:
        # what the project may read: files below raw_dir (or an allowed root), within the limits
        raw_dir=input_folder("project", RAW),
        allowed_roots=QUAL.get("allowed_source_roots", []),
        limits=config.get("limits", {}),
    log:
        f"{LOGS}/qual/qual_import.log",
    benchmark:
        f"{BENCH}/qual/qual_import.tsv"
    script:
        "../scripts/qual_import.py"


rule qual_codebook:
    input:
        **QUAL_IMPORTED,
        verified=verified("interviews"),
    output:
        report(f"{STUDY1}/codebook.csv", caption="../report/qual_codebook.rst", category="Study 1"),
    params:
        coder=QUAL_PRIMARY,
    log:
        f"{LOGS}/qual/qual_codebook.log",
    script:
        "../scripts/qual_codebook.py"


rule qual_frequencies:
    input:
        **QUAL_IMPORTED,
        verified=verified("interviews"),
    output:
        frequencies=report(f"{STUDY1}/code_frequencies.csv", caption="../report/qual_code_frequencies.rst", category="Study 1"),
        matrix=report(f"{STUDY1}/case_theme_matrix.csv", caption="../report/qual_case_theme_matrix.rst", category="Study 1"),
    params:
        coder=QUAL_PRIMARY,
    log:
        f"{LOGS}/qual/qual_frequencies.log",
    script:
        "../scripts/qual_frequencies.py"


rule qual_cooccurrence:
    input:
        **QUAL_IMPORTED,
        verified=verified("interviews"),
    output:
        report(f"{STUDY1}/cooccurrence.csv", caption="../report/qual_cooccurrence.rst", category="Study 1"),
    params:
        coder=QUAL_PRIMARY,
    log:
        f"{LOGS}/qual/qual_cooccurrence.log",
    script:
        "../scripts/qual_cooccurrence.py"


rule qual_saturation:
    input:
        **QUAL_IMPORTED,
        verified=verified("interviews"),
    output:
        table=report(f"{STUDY1}/saturation.csv", caption="../report/qual_saturation_table.rst", category="Study 1"),
        summary=f"{STUDY1}/saturation_summary.json",
    params:
        coder=QUAL_PRIMARY,
        settings=QUAL["saturation"],
    log:
        f"{LOGS}/qual/qual_saturation.log",
    script:
        "../scripts/qual_saturation.py"


rule qual_reliability:
    input:
        **QUAL_IMPORTED,
        verified=verified("interviews"),
    output:
        report(f"{STUDY1}/reliability.csv", caption="../report/qual_reliability.rst", category="Study 1"),
    params:
        coder=QUAL_PRIMARY,
        second_coder=QUAL["second_coder"],
        settings=QUAL["reliability"],
    log:
        f"{LOGS}/qual/qual_reliability.log",
    benchmark:
        f"{BENCH}/qual/qual_reliability.tsv"
    script:
        "../scripts/qual_reliability.py"


rule qual_typology:
    input:
        **QUAL_IMPORTED,
        verified=verified("interviews"),
    output:
        typology=report(f"{STUDY1}/typology.csv", caption="../report/qual_typology.rst", category="Study 1"),
        quotes=report(f"{STUDY1}/exemplar_quotes.csv", caption="../report/qual_exemplar_quotes.rst", category="Study 1"),
        summary=report(f"{STUDY1}/case_summary.csv", caption="../report/qual_case_summary.rst", category="Study 1"),
    params:
        coder=QUAL_PRIMARY,
        typology=QUAL["typology"],
        exemplars=QUAL["exemplars"],
    log:
        f"{LOGS}/qual/qual_typology.log",
    script:
        "../scripts/qual_typology.py"


rule qual_saturation_figure:
    input:
        table=f"{STUDY1}/saturation.csv",
        summary=f"{STUDY1}/saturation_summary.json",
        verified=verified("interviews"),
    output:
        png=report(f"{STUDY1}/saturation.png", caption="../report/qual_saturation.rst", category="Study 1"),
        pdf=f"{STUDY1}/saturation.pdf",
    params:
        kind="saturation",
    log:
        f"{LOGS}/qual/qual_saturation_figure.log",
    script:
        "../scripts/qual_figures.py"


rule qual_theme_heatmap:
    input:
        matrix=f"{STUDY1}/case_theme_matrix.csv",
        verified=verified("interviews"),
    output:
        png=report(f"{STUDY1}/theme_heatmap.png", caption="../report/qual_theme_heatmap.rst", category="Study 1"),
        pdf=f"{STUDY1}/theme_heatmap.pdf",
    params:
        kind="theme_heatmap",
    log:
        f"{LOGS}/qual/qual_theme_heatmap.log",
    script:
        "../scripts/qual_figures.py"


# Every file the Study 1 rules above write: read off their declared outputs (one list, the rules').
STUDY1_OUTPUTS = [str(out) for rule_ in workflow.rules for out in rule_.output if str(out).startswith(f"{STUDY1}/")]


rule check_study1_privacy:
    input:
        outputs=STUDY1_OUTPUTS,
        verified=verified("interviews"),
    output:
        f"{STUDY1}/privacy_check.json",
    params:
        deny_list=QUAL["deny_list"],
    log:
        f"{LOGS}/qual/check_study1_privacy.log",
    script:
        "../scripts/qual_privacy.py"


ALL_TARGETS.extend([*STUDY1_OUTPUTS, f"{STUDY1}/privacy_check.json"])
