"""Study 2 survey: import Qualtrics/SPSS exports, validate, clean, report.

Typical use::

    from nero.survey import Codebook, import_wave, clean_survey
    codebook = Codebook.load("config/codebook.yaml")
    waves = [import_wave(files, codebook, wave).frame for wave, files in ...]
    result = clean_survey(waves, codebook, config["survey"])
    result.clean, result.exclusion_log, result.flow

See docs/survey.md for the formats, the rules and their order, and the outputs.
"""

import lazy_loader

# Names load from their modules on first use (lazy_loader, SPEC 1): the workflow reads the
# codebook at every start and needs neither pandera's schemas nor the readers (0.8 s of imports).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "rules": ["RULES"],
        "cleaning": ["CleaningResult", "CleaningSettings", "clean_survey"],
        "codebook": ["Codebook", "load_codebook"],
        "mapping": ["map_columns"],
        "schemas": ["codebook_schema", "export_schema"],
        "descriptives": ["describe", "survey_descriptives"],
        "errors": ["CodebookError", "SurveyInputError"],
        "importer": ["import_wave"],
        "missing": ["little_mcar_test", "missing_report"],
        "readers_export": ["SurveyExport"],
        "readers": ["detect_format", "read_export"],
        "readers_csv": ["read_legacy_qualtrics_csv", "read_qualtrics_csv"],
        "readers_sav": ["read_sav"],
    },
)
