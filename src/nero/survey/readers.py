"""Readers for survey exports: Qualtrics CSV (current and legacy) and SPSS ``.sav``.

Every reader returns a :class:`SurveyExport` whose ``data`` hold the cells as text
(``""`` where empty) under the export's real column names, so that the same mapping,
validation and cleaning apply to every format. Row numbers in messages are counted
as a person counts rows in the file: header rows included, the first data row of a
current Qualtrics CSV is row 4.

This module is the entry point (:func:`detect_format`, :func:`read_export`); the
readers themselves live in :mod:`nero.survey.readers_csv` (both CSV formats) and
:mod:`nero.survey.readers_sav` (SPSS), and the result class in
:mod:`nero.survey.readers_export` (the package :mod:`nero.survey` offers them all).

Formats
-------
``qualtrics``, ``qualtrics-legacy``
    The current (three header rows) and legacy (two header rows) Qualtrics CSV exports;
    their layout is described in :mod:`nero.survey.readers_csv`.
``sav``
    SPSS system file written by Qualtrics, read with pyreadstat
    (:mod:`nero.survey.readers_sav`).
"""

from __future__ import annotations

import os
from pathlib import Path

from nero.survey.errors import SurveyInputError
from nero.survey.readers_csv import csv_format, read_legacy_qualtrics_csv, read_qualtrics_csv
from nero.survey.readers_export import SurveyExport
from nero.survey.readers_sav import read_sav


def detect_format(path: str | os.PathLike) -> str:
    """Which export format a file is: ``qualtrics``, ``qualtrics-legacy`` or ``sav``.

    SPSS files are recognised by their magic bytes (``$FL2``/``$FL3``; an SPSS portable
    ``.por`` file, whose header says ``SPSS PORT FILE``, is refused with the advice to save it
    as ``.sav``); CSV files by
    their header rows (an ImportId JSON row 3 -> current; ``V1`` first in row 1 ->
    legacy).

    Raises
    ------
    SurveyInputError
        If the file is none of these (the message says which header row is missing).
    """
    path = Path(path)
    if not path.is_file():
        raise SurveyInputError(f"{path}: no such file")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic in (b"$FL2", b"$FL3"):
        return "sav"
    with path.open("rb") as handle:
        head = handle.read(600)
    if path.suffix.lower() == ".por" or b"SPSS PORT FILE" in head:
        raise SurveyInputError(
            f"{path}: an SPSS portable file (.por), not a system file (.sav) or a Qualtrics CSV; open it in SPSS "
            "(or PSPP) and save it as .sav (File > Save As > SPSS Statistics .sav), or download the export from "
            "Qualtrics as SPSS .sav or CSV"
        )
    if path.suffix.lower() == ".sav":
        raise SurveyInputError(f"{path}: named .sav but not an SPSS system file (no $FL2 header)")
    return csv_format(path)


READERS = {
    "qualtrics": read_qualtrics_csv,
    "qualtrics-legacy": read_legacy_qualtrics_csv,
    "sav": read_sav,
}


def read_export(path: str | os.PathLike) -> SurveyExport:
    """Detect the format of ``path`` and read it with the matching reader."""
    return READERS[detect_format(path)](path)
