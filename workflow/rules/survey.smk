# Survey stage (Study 2): import each wave's export, clean, report, draw the flow.
#
# Every folder under <raw_dir>/survey/ is a wave (survey_waves()); a wave must be listed
# under `waves:` in the codebook. Adding a wave folder and its codebook entry runs the
# new wave's import and the steps downstream of it; the other waves' imports stay as
# they are (their params hold only their own part of the codebook).

import nero.survey.codebook
import nero.survey.errors
import nero.survey.pipeline as _survey_pipeline

SURVEY = "results/survey"

try:
    SURVEY_CODEBOOK = nero.survey.codebook.Codebook.load(CODEBOOK)
    for _wave in survey_waves():
        SURVEY_CODEBOOK.check_wave(_wave)
except nero.survey.errors.SurveyInputError as _exc:
    raise WorkflowError(str(_exc)) from None


wildcard_constraints:
    wave="[^/]+",


rule import_survey_wave:
    input:
        exports=survey_wave_exports,
        checksums=survey_wave_stamps,
        # The import checks its own files against the manifest instead of waiting for
        # VERIFIED: a new wave rewrites VERIFIED, which would rerun every wave's import,
        # and ancient(VERIFIED) hides new downstream jobs (snakemake issue #4166).
        manifest=ancient(RAW / "MANIFEST.sha256"),
    output:
        f"{SURVEY}/waves/{{wave}}.csv",
    params:
        # the part of the codebook this wave's import depends on (a plain dict)
        codebook=lambda wildcards: SURVEY_CODEBOOK.for_wave(wildcards.wave),
        codebook_path=CODEBOOK,
    log:
        f"{LOGS}/survey/import_{{wave}}.log",
    script:
        "../scripts/survey_import.py"


rule clean_survey:
    input:
        waves=expand(f"{SURVEY}/waves/{{wave}}.csv", wave=survey_waves()),
        codebook=CODEBOOK,
        verified=verified("survey"),
    output:
        clean=report(f"{SURVEY}/clean.csv", caption="../report/survey_clean.rst", category="Survey"),
        exclusion_log=report(f"{SURVEY}/exclusion_log.csv", caption="../report/survey_exclusion_log.rst", category="Survey"),
        flow=report(f"{SURVEY}/flow.csv", caption="../report/survey_flow_table.rst", category="Survey"),
        value_fixes=f"{SURVEY}/value_fixes.csv",
        outliers=f"{SURVEY}/outliers.csv",
        harmonised=f"{SURVEY}/harmonised.csv",
        validation=f"{SURVEY}/validation.csv",
    params:
        settings=config["survey"],
    log:
        f"{LOGS}/survey/clean_survey.log",
    benchmark:
        f"{BENCH}/survey/clean_survey.tsv"
    script:
        "../scripts/survey_clean.py"


rule report_survey:
    input:
        clean=f"{SURVEY}/clean.csv",
        codebook=CODEBOOK,
    output:
        missing_items=report(f"{SURVEY}/missing_items.csv", caption="../report/survey_missing.rst", category="Survey"),
        missing_cases=f"{SURVEY}/missing_cases.csv",
        little_mcar=f"{SURVEY}/little_mcar.json",
        descriptives_items=report(f"{SURVEY}/descriptives_items.csv", caption="../report/survey_descriptives.rst", category="Survey"),
        descriptives_constructs=report(f"{SURVEY}/descriptives_constructs.csv", caption="../report/survey_descriptives.rst", category="Survey"),
    log:
        f"{LOGS}/survey/report_survey.log",
    benchmark:
        f"{BENCH}/survey/report_survey.tsv"
    script:
        "../scripts/survey_report.py"


rule plot_survey_flow:
    input:
        flow=f"{SURVEY}/flow.csv",
    output:
        png=report(f"{SURVEY}/flow.png", caption="../report/survey_flow.rst", category="Survey"),
        pdf=f"{SURVEY}/flow.pdf",
    log:
        f"{LOGS}/survey/plot_survey_flow.log",
    script:
        "../scripts/survey_flow.py"


# Every file the survey stage writes: the library's lists (nero.survey.pipeline).
SURVEY_OUTPUTS = [
    f"{SURVEY}/{name}"
    for outputs in (_survey_pipeline.CLEAN_OUTPUTS, _survey_pipeline.REPORT_OUTPUTS, _survey_pipeline.FIGURE_OUTPUTS)
    for name in outputs.values()
]
ALL_TARGETS.extend(SURVEY_OUTPUTS)
