"""Study 2 survey: import Qualtrics/SPSS exports, validate, clean, report.

Typical use::

    from nero.survey import Codebook, import_wave, clean_survey
    codebook = Codebook.load("config/codebook.yaml")
    waves = [import_wave(files, codebook, wave).frame for wave, files in ...]
    result = clean_survey(waves, codebook, config["survey"])
    result.clean, result.exclusion_log, result.flow

See docs/survey.md for the formats, the rules and their order, and the outputs.
"""

from nero.survey.rules import RULES
from nero.survey.cleaning import CleaningResult, CleaningSettings, clean_survey
from nero.survey.codebook import Codebook, load_codebook
from nero.survey.mapping import map_columns
from nero.survey.schemas import codebook_schema, export_schema
from nero.survey.descriptives import describe, survey_descriptives
from nero.survey.errors import CodebookError, SurveyInputError
from nero.survey.importer import import_wave
from nero.survey.missing import little_mcar_test, missing_report
from nero.survey.readers_export import SurveyExport
from nero.survey.readers import detect_format, read_export
from nero.survey.readers_csv import read_legacy_qualtrics_csv, read_qualtrics_csv
from nero.survey.readers_sav import read_sav

__all__ = [
    "RULES", "CleaningResult", "CleaningSettings", "Codebook", "CodebookError", "SurveyExport",
    "SurveyInputError", "clean_survey", "codebook_schema", "describe", "detect_format", "export_schema",
    "import_wave", "little_mcar_test", "load_codebook", "map_columns", "missing_report", "read_export",
    "read_legacy_qualtrics_csv", "read_qualtrics_csv", "read_sav", "survey_descriptives",
]
