"""Import: one wave's export files -> one harmonised text table with canonical names.

The import maps each export's columns to the codebook (:func:`map_columns`), drops the
columns that identify people or places (``privacy_drop``), and validates the result
with :func:`export_schema` (pandera, lazy: every failure is reported at once, each
with file, row, column, value and what was expected). Cells stay text: text-entry firm
variables are parsed during cleaning, where harmless formatting is fixed and logged.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nero.survey.codebook import Codebook, load_codebook
from nero.survey.errors import SurveyInputError, cell
from nero.survey.mapping import map_columns
from nero.survey.readers import read_export
from nero.survey.readers_export import SurveyExport
from nero.survey.schemas import export_schema

log = logging.getLogger("nero.survey")

#: Export files a wave folder may hold; other files (README, notes) are not read.
EXPORT_SUFFIXES = (".csv", ".sav")


def harmonise_export(export: SurveyExport, codebook: Codebook, wave: str) -> pd.DataFrame:
    """Rename an export's columns to canonical names and drop the privacy columns.

    Parameters
    ----------
    export : SurveyExport
    codebook : Codebook
    wave : str
        The wave (folder name); its ``wave_ids`` apply.

    Returns
    -------
    pandas.DataFrame
        Columns in :meth:`Codebook.canonical_order` (those present), text cells,
        ``NA`` where empty, plus ``wave``, ``source_file`` (``<wave>/<file name>``) and
        ``source_row`` (the row number in the file).

    Raises
    ------
    SurveyInputError
        Listing every unknown, missing or conflicting column and the codebook entry to add.
    """
    source = f"{wave}/{Path(export.path).name}"
    mapping = map_columns(export.columns, export.import_ids, codebook, wave, file=export.path)
    if not mapping.ok:
        raise SurveyInputError(mapping.problems(codebook))
    data = export.data[list(mapping.mapping)].rename(columns=mapping.mapping)
    # Text-entry answers keep their raw text (cleaning normalises them and logs the fix);
    # every other cell loses surrounding blanks.
    text_entry = {n for n, q in codebook.firm_variables.items() if q.kind in ("integer", "number")}
    for column in data.columns:
        if column not in text_entry:
            data[column] = data[column].map(lambda v: v.strip() if isinstance(v, str) else v)
    data = data.mask(data.map(lambda v: isinstance(v, str) and not v.strip()))
    data.insert(0, "source_row", [export.row_number(i) for i in range(len(data))])
    data.insert(0, "source_file", source)
    data.insert(0, "wave", wave)
    order = [c for c in codebook.canonical_order() if c in data.columns]
    return data[order].reset_index(drop=True)


def _failure_lines(failures: pd.DataFrame, frame: pd.DataFrame, codebook: Codebook, limit: int = 200) -> list[str]:
    lines = []
    for _, failure in failures.iterrows():
        column = failure["column"]
        index = failure["index"]
        if pd.isna(index) or column is None or (isinstance(column, float) and pd.isna(column)):
            lines.append(f"{failure.get('check')}: {failure.get('failure_case')}")
            continue
        row = frame.loc[int(index)]
        wave = row.get("wave")
        value = failure["failure_case"]
        check = str(failure["check"])
        if check.startswith("field_uniqueness") or check == "unique":
            check = "a ResponseId not used by another response"
        lines.append(
            cell(
                row["source_file"],
                int(row["source_row"]),
                codebook.column_of(column, wave),
                "" if value is None or (isinstance(value, float) and pd.isna(value)) else value,
                check,
            )
        )
    lines = sorted(set(lines), key=lines.index)
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more"]
    return lines


def validate_export(frame: pd.DataFrame, codebook: Codebook) -> None:
    """Validate a harmonised wave table with :func:`export_schema`, all failures at once.

    Raises
    ------
    SurveyInputError
        One line per failing cell: file, row, column (as named in the export), value,
        what was expected.
    """
    import pandera.errors as pae

    schema = export_schema(codebook)
    try:
        schema.validate(frame.reset_index(drop=True), lazy=True)
    except pae.SchemaErrors as exc:
        failures = exc.failure_cases
        lines = _failure_lines(failures, frame.reset_index(drop=True), codebook)
        raise SurveyInputError(
            f"{len(lines)} malformed cell(s) in the survey export(s):\n  " + "\n  ".join(lines)
        ) from None


@dataclass
class WaveImport:
    """The imported table of one wave and what was read to make it."""

    wave: str
    frame: pd.DataFrame
    exports: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def summary(self) -> str:
        files = "; ".join(f"{Path(e.path).name} ({e.format}, {len(e.data)} rows)" for e in self.exports)
        return f"wave {self.wave}: {len(self.frame)} responses from {files}"

    def to_frame(self) -> pd.DataFrame:
        return self.frame


def wave_export_files(folder: str | os.PathLike) -> list[Path]:
    """The export files of a wave folder (``.csv``/``.sav``, not hidden), sorted."""
    folder = Path(folder)
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in EXPORT_SUFFIXES
    )


def import_wave(files: list[str | os.PathLike], codebook: Codebook | dict | str, wave: str) -> WaveImport:
    """Read, map, privacy-filter and validate every export file of one wave.

    Parameters
    ----------
    files : list of path-like
        The wave's export files (files with other suffixes are skipped).
    codebook : Codebook, dict or path
    wave : str
        The wave name (its folder name); must be listed in the codebook's ``waves``.

    Returns
    -------
    WaveImport

    Raises
    ------
    SurveyInputError
        Unknown wave, no export file, unreadable file, unknown/missing columns, malformed
        cells, or a ResponseId used twice (within a file or across the wave's files).
    """
    codebook = load_codebook(codebook)
    codebook.check_wave(wave)
    paths = [Path(f) for f in files if Path(f).suffix.lower() in EXPORT_SUFFIXES and not Path(f).name.startswith(".")]
    if not paths:
        raise SurveyInputError(f"wave {wave}: no export file (.csv or .sav) among {[str(f) for f in files]}")
    exports = [read_export(p) for p in sorted(paths)]
    warnings = [
        f"{e.path}: no responses (only the {e.header_rows} header rows); wave {wave} has 0 received responses "
        "from this file"
        for e in exports
        if e.data.empty
    ]
    for warning in warnings:
        log.warning(warning)
    frames = [harmonise_export(e, codebook, wave) for e in exports]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    validate_export(frame, codebook)
    frame = frame.sort_values(["response_id"], kind="stable").reset_index(drop=True)
    return WaveImport(wave=wave, frame=frame, exports=exports, warnings=warnings)


def read_wave_table(path: str | os.PathLike) -> pd.DataFrame:
    """Read an imported wave table written by the ``import_wave`` rule (text cells)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame.astype(object).mask(frame.eq(""))
    frame["source_row"] = frame["source_row"].astype(int)
    return frame
