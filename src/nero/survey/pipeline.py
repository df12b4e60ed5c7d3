"""The survey stage end to end: raw wave folders -> every table and figure under one folder.

Used by the Snakemake scripts (one step each) and by ``nero survey clean`` (all steps).
Every output is written atomically through :mod:`nero.outputs`; everything is computed
before the first file is written, so an error leaves no partial output.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

from nero.outputs import write_csv, write_json
from nero.survey.cleaning import CleaningResult, CleaningSettings, clean_survey
from nero.survey.codebook import Codebook, load_codebook
from nero.survey.descriptives import Descriptives, survey_descriptives
from nero.survey.errors import SurveyInputError
from nero.survey.figure import save_flow_figure
from nero.survey.importer import WaveImport, import_wave, read_wave_table, wave_export_files
from nero.survey.missing import MissingReport, missing_report

log = logging.getLogger("nero.survey")

#: Output files of the cleaning step (relative to the survey results folder).
CLEAN_OUTPUTS = {
    "clean": "clean.csv",
    "exclusion_log": "exclusion_log.csv",
    "flow": "flow.csv",
    "value_fixes": "value_fixes.csv",
    "outliers": "outliers.csv",
    "harmonised": "harmonised.csv",
    "validation": "validation.csv",
}
REPORT_OUTPUTS = {
    "missing_items": "missing_items.csv",
    "missing_cases": "missing_cases.csv",
    "little_mcar": "little_mcar.json",
    "descriptives_items": "descriptives_items.csv",
    "descriptives_constructs": "descriptives_constructs.csv",
}
FIGURE_OUTPUTS = {"flow_png": "flow.png", "flow_pdf": "flow.pdf"}


def check_against_manifest(files: list[str | os.PathLike], manifest: str | os.PathLike) -> None:
    """Raise :class:`nero.provenance.RawDataChanged` unless every file matches its manifest entry.

    The wave import checks its own export files (the manifest's folder is the raw-data
    folder), so a wave's import never runs on changed raw data even though it does not
    wait for the whole-folder check ``verify_raw`` (see docs/survey.md, "Adding a wave").
    """
    from nero.provenance import RawDataChanged, read_manifest, sha256_file

    manifest = Path(manifest)
    entries = read_manifest(manifest)
    root = manifest.parent.resolve()
    problems = []
    for file in files:
        rel = Path(file).resolve().relative_to(root).as_posix()
        if rel not in entries:
            problems.append(f"  extra (not in the manifest): {rel}")
        elif sha256_file(file) != entries[rel]:
            problems.append(f"  changed: {rel}")
    if problems:
        raise RawDataChanged(
            f"{root}: the raw data do not match {manifest.name}\n"
            + "\n".join(problems)
            + "\nRaw data are read-only. Restore the files, or, if the raw data were replaced on purpose, "
            f"regenerate the manifest with `nero provenance manifest {manifest.parent}`."
        )


def write_wave_table(imported: WaveImport, path: str | os.PathLike) -> Path:
    """Write one imported wave (canonical names, privacy columns already dropped)."""
    return write_csv(imported.frame, path)


def write_cleaning(result: CleaningResult, paths: dict[str, str | os.PathLike]) -> None:
    """Write the tables of :data:`CLEAN_OUTPUTS` (keys of ``paths``) atomically."""
    for key, path in paths.items():
        write_csv(getattr(result, key), path)


def survey_reports(clean: pd.DataFrame, codebook: Codebook) -> tuple[MissingReport, Descriptives]:
    """Missing-data report (items and firm variables; Little's test over the Likert items) and descriptives."""
    variables = [*codebook.item_names, *codebook.firm_fields]
    missing = missing_report(clean, variables, mcar_variables=codebook.item_names)
    descriptives = survey_descriptives(clean, codebook.item_names, codebook.construct_names)
    return missing, descriptives


def write_reports(missing: MissingReport, descriptives: Descriptives, paths: dict[str, str | os.PathLike]) -> None:
    """Write the tables of :data:`REPORT_OUTPUTS` (keys of ``paths``) atomically."""
    write_csv(missing.items, paths["missing_items"])
    write_csv(missing.cases, paths["missing_cases"])
    write_json(missing.mcar_dict(), paths["little_mcar"])
    write_csv(descriptives.items, paths["descriptives_items"])
    write_csv(descriptives.constructs, paths["descriptives_constructs"])


def read_clean(path: str | os.PathLike) -> pd.DataFrame:
    """Read ``clean.csv`` back (text columns as text, numbers as numbers)."""
    return pd.read_csv(path, dtype={"firm_code": str, "wave": str, "response_id": str, "recorded_date": str})


def survey_wave_folders(raw_survey_dir: str | os.PathLike) -> dict[str, list[Path]]:
    """Every folder under ``raw_survey_dir`` is a wave: wave name -> its export files."""
    root = Path(raw_survey_dir)
    if not root.is_dir():
        raise SurveyInputError(f"{root}: no such folder (expected the raw survey folder with one sub-folder per wave)")
    waves = {p.name: wave_export_files(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith(".")}
    if not waves:
        raise SurveyInputError(f"{root}: no wave folder (expected {root}/<wave>/<export>.csv)")
    return waves


def run_survey(
    raw_survey_dir: str | os.PathLike,
    codebook: Codebook | dict | str,
    out_dir: str | os.PathLike,
    settings: CleaningSettings | dict | None = None,
) -> CleaningResult:
    """Import every wave, clean, report and draw the flow, writing everything under ``out_dir``.

    The layout is that of ``results/survey/`` (``waves/<wave>.csv`` plus the files of
    :data:`CLEAN_OUTPUTS`, :data:`REPORT_OUTPUTS` and :data:`FIGURE_OUTPUTS`). Nothing
    is written unless every step succeeds.
    """
    codebook = load_codebook(codebook)
    folders = survey_wave_folders(raw_survey_dir)
    for wave in folders:
        codebook.check_wave(wave)
    imports = {wave: import_wave(files, codebook, wave) for wave, files in folders.items()}
    # Round-trip through the on-disk representation so that the CLI and the DAG agree.
    frames = {wave: read_back(imported.frame) for wave, imported in imports.items()}
    result = clean_survey(frames, codebook, settings)
    for warning in result.warnings:
        log.warning(warning)
    # The reports read clean.csv as written (as the DAG's report rule does), so both paths agree byte for byte.
    missing, descriptives = survey_reports(_as_written(result.clean), codebook)
    out = Path(out_dir)
    targets = [out / "waves" / f"{wave}.csv" for wave in imports]
    targets += [out / v for v in (*CLEAN_OUTPUTS.values(), *REPORT_OUTPUTS.values(), *FIGURE_OUTPUTS.values())]
    try:
        for wave, imported in imports.items():
            write_wave_table(imported, out / "waves" / f"{wave}.csv")
        write_cleaning(result, {k: out / v for k, v in CLEAN_OUTPUTS.items()})
        write_reports(missing, descriptives, {k: out / v for k, v in REPORT_OUTPUTS.items()})
        save_flow_figure(result.flow, out / FIGURE_OUTPUTS["flow_png"], out / FIGURE_OUTPUTS["flow_pdf"])
    except BaseException:
        # a write that fails half-way (full disk, read-only folder) leaves no part of the set behind
        for target in targets:
            target.unlink(missing_ok=True)
        raise
    return result


def _as_written(clean: pd.DataFrame) -> pd.DataFrame:
    """``clean`` as :func:`read_clean` returns it after :func:`nero.outputs.write_csv`."""
    import io

    buffer = io.StringIO()
    clean.to_csv(buffer, index=False, float_format="%.10g", lineterminator="\n")
    buffer.seek(0)
    return read_clean(buffer)


def read_back(frame: pd.DataFrame) -> pd.DataFrame:
    """A wave table as :func:`read_wave_table` would return it after writing (text cells)."""
    import io

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    buffer.seek(0)
    return read_wave_table(buffer)


__all__ = [
    "CLEAN_OUTPUTS",
    "FIGURE_OUTPUTS",
    "REPORT_OUTPUTS",
    "read_clean",
    "run_survey",
    "survey_reports",
    "survey_wave_folders",
    "write_cleaning",
    "write_reports",
    "write_wave_table",
]
