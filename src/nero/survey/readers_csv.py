"""Readers of the Qualtrics CSV exports: the current one (three header rows) and the legacy one.

``qualtrics``
    The current CSV export: three header rows (column names, question text, ImportId
    JSON such as ``{"ImportId":"QID3_1"}``), UTF-8 (with or without BOM).
``qualtrics-legacy``
    The legacy CSV export: two header rows, the first holding ``V1..Vn`` for metadata
    (real names in the second row) and question ids for questions (question text in
    the second row), UTF-8 with BOM and a trailing empty column.

Row numbers in messages are counted as a person counts rows in the file: header rows
included, the first data row of a current Qualtrics CSV is row 4. Use
:func:`nero.survey.readers.read_export` to read a file whose format is not known.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import re
from pathlib import Path

import pandas as pd

from nero.survey.errors import SurveyInputError
from nero.survey.readers_export import SurveyExport
from nero.untrusted import InputLimitError, read_file

_V_NAME = re.compile(r"^V\d+$")


def _decode(path: Path) -> str:
    """The file as text: UTF-8 (BOM allowed), or a clear error naming the row and byte.

    The file is read within :attr:`nero.untrusted.ReadLimits.file_bytes` (200 MiB).
    """
    try:
        raw = read_file(path)
    except InputLimitError as exc:
        raise SurveyInputError(str(exc)) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SurveyInputError(
            f"{path}: the file is UTF-16 encoded (it starts with a UTF-16 byte-order mark); "
            "expected a UTF-8 Qualtrics CSV. Download the export again as CSV (UTF-8) or convert it: "
            f"iconv -f UTF-16 -t UTF-8 {path.name}"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        raise SurveyInputError(
            f"{path}, row {row}: byte 0x{raw[exc.start]:02x} at position {exc.start - line_start + 1} of the row "
            f"is not UTF-8 (expected a UTF-8 Qualtrics export; the file looks like another encoding, "
            f"e.g. Windows-1252/Latin-1 after saving in Excel). Download the export again, or convert it: "
            f"iconv -f WINDOWS-1252 -t UTF-8 {path.name}"
        ) from None


def _records(path: Path) -> list[list[str]]:
    text = _decode(path)
    first_line = text.split("\n", 1)[0]
    _check_separator(path, [[cell] for cell in [first_line]] if first_line.count(",") < 2 else [])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise SurveyInputError(
            f"{path}, row {reader.line_num}: not a well-formed CSV row: {exc} "
            "(a quote is not closed or is followed by text; expected comma-separated fields)"
        ) from None
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise SurveyInputError(f"{path}: the file is empty (expected a Qualtrics export with header rows)")
    return records


def _import_id(cell: str) -> str | None:
    cell = cell.strip()
    if not cell.startswith("{"):
        return None
    try:
        payload = json.loads(cell)
    except json.JSONDecodeError:
        # older exports write the row as a Python dict: {'ImportId': 'QID3_1'}
        try:
            payload = ast.literal_eval(cell)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
    if isinstance(payload, dict) and "ImportId" in payload:
        return str(payload["ImportId"])
    return None


def _is_import_row(record: list[str]) -> bool:
    cells = [c for c in record if c.strip()]
    return bool(cells) and sum(_import_id(c) is not None for c in cells) >= max(1, len(cells) // 2)


def _is_legacy_names(record: list[str]) -> bool:
    names = [c.strip() for c in record if c.strip()]
    return bool(names) and names[0] == "V1" and sum(bool(_V_NAME.match(n)) for n in names) >= 2


def _check_separator(path: Path, records: list[list[str]]) -> None:
    """Refuse a CSV separated by semicolons or tabs (Excel in many locales saves ``;``), naming the row."""
    for number, record in enumerate(records[:3], start=1):
        joined = ",".join(record)
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if joined.count(separator) >= 3 and joined.count(separator) > 2 * len(record):
                raise SurveyInputError(
                    f"{path}, row {number}: {len(record)} comma-separated field(s) but {joined.count(separator)} "
                    f"{name}: the file is separated by {name} (as Excel saves CSV in many locales), expected commas. "
                    "Download the export again from Qualtrics (CSV), or save it as 'CSV UTF-8 (Comma delimited)'"
                )


def _detect_csv(path: Path, records: list[list[str]]) -> str:
    _check_separator(path, records)
    third = records[2] if len(records) > 2 else []
    if third and _is_import_row(third):
        return "qualtrics"
    if _is_legacy_names(records[0]):
        return "qualtrics-legacy"
    raise _header_error(path, records)


def _header_error(path: Path, records: list[list[str]]) -> SurveyInputError:
    """Why ``records`` are not a Qualtrics export: which header row is missing."""
    first = records[0]
    second = records[1] if len(records) > 1 else []
    if second and _is_import_row(second):
        return SurveyInputError(
            f"{path}, row 2: holds the ImportIds, so the question-text header row is missing "
            "(expected three header rows: column names, question text, ImportId JSON)"
        )
    if any(_import_id(c) for c in first):
        return SurveyInputError(
            f"{path}, row 1: holds ImportIds, so the column-name header rows are missing "
            "(expected three header rows: column names, question text, ImportId JSON)"
        )
    if "ResponseId" in first or "ResponseID" in first:
        return _import_row_missing(path, records)
    return SurveyInputError(
        f"{path}, row 1: not a Qualtrics export (no ResponseId column, no ImportId header row, "
        f"no legacy V1..Vn header); first cells: {', '.join(repr(c) for c in first[:4])}"
    )


def _import_row_missing(path: Path, records: list[list[str]]) -> SurveyInputError:
    """A CSV with Qualtrics column names but one or two header rows instead of three."""
    second = records[1] if len(records) > 1 else []
    found = 1 + (1 if second and not _looks_like_data(second) else 0)
    return SurveyInputError(
        f'{path}, row {found + 1}: expected the ImportId header row (cells like {{"ImportId":"QID3_1"}}) '
        f"but found {', '.join(repr(c) for c in (records[found] if len(records) > found else [])[:3])}...; "
        f"the export has {found} header row(s) instead of three (column names, question text, ImportId JSON). "
        "Export again from Qualtrics (Data & Analysis > Export > CSV, numeric values)"
    )


def csv_format(path: Path) -> str:
    """``qualtrics`` or ``qualtrics-legacy`` for the CSV at ``path``, judged from its header rows.

    Raises
    ------
    SurveyInputError
        Not UTF-8, not comma-separated, not well-formed, or no Qualtrics header rows
        (the message says which header row is missing).
    """
    return _detect_csv(path, _records(path))


def _looks_like_data(record: list[str]) -> bool:
    cells = [c for c in record if c.strip()]
    return bool(cells) and sum(bool(re.match(r"^[\d.:\- /]+$", c)) for c in cells) >= len(cells) // 2


def _check_widths(path: Path, records: list[list[str]], width: int, first_data: int) -> list[list[str]]:
    out = []
    for number, record in enumerate(records, start=1):
        if len(record) == width + 1 and not record[-1].strip():
            record = record[:-1]  # a trailing separator
        if len(record) != width:
            kind = "header row" if number < first_data else "row"
            raise SurveyInputError(
                f"{path}, {kind} {number}: has {len(record)} fields, expected {width} (one per column of row 1); "
                "a quote or separator is missing or the file was cut"
            )
        out.append(record)
    return out


def _frame(records: list[list[str]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns, dtype=object)
    return frame.astype(object)


def _check_names(path: Path, names: list[str]) -> None:
    for position, name in enumerate(names, start=1):
        if not name.strip():
            raise SurveyInputError(f"{path}, row 1: column {position} has no name (expected a column name)")
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name in seen:
            raise SurveyInputError(
                f"{path}, row 1: column name {name!r} appears twice (columns {seen[name]} and {position}); "
                "every column needs a unique name"
            )
        seen[name] = position


def _row_one_names(records: list[list[str]]) -> list[str]:
    """Row 1's names, stripped, without the empty name of a trailing separator."""
    names = [n.strip() for n in records[0]]
    if names and not names[-1]:
        names = names[:-1]
    return names


def _legacy_names(path: Path, first: list[str], second: list[str]) -> list[str]:
    """Real column names of a legacy export: ``V<k>`` columns take theirs from row 2."""
    names = [second[i].strip() if _V_NAME.match(n) else n for i, n in enumerate(first)]
    for position, (name, v_name) in enumerate(zip(names, first), start=1):  # noqa: B007
        if not name:
            raise SurveyInputError(
                f"{path}, row 2, column {v_name!r}: empty (expected the real column name of {v_name})"
            )
    _check_names(path, names)
    return names


def read_qualtrics_csv(path: str | os.PathLike) -> SurveyExport:
    """Read a current Qualtrics CSV export (three header rows).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    SurveyExport
        ``format == "qualtrics"``, ``header_rows == 3``, ImportIds from row 3.

    Raises
    ------
    SurveyInputError
        Not UTF-8, a header row missing, ragged rows, unnamed or repeated columns.
    """
    path = Path(path)
    records = _records(path)
    detected = _detect_csv(path, records)
    if detected != "qualtrics":
        raise SurveyInputError(f"{path}: a {detected} export, not a current Qualtrics CSV (use read_export)")
    names = _row_one_names(records)
    _check_names(path, names)
    rows = _check_widths(path, records, len(names), first_data=4)
    import_ids = _import_ids(path, names, rows[2])
    return SurveyExport(
        path=str(path),
        format="qualtrics",
        data=_frame(rows[3:], names),
        header_rows=3,
        import_ids=import_ids,
        labels=dict(zip(names, rows[1])),
    )


def _import_ids(path: Path, names: list[str], ids: list[str]) -> dict[str, str | None]:
    """Column -> ImportId from header row 3; a non-empty cell that is not ImportId JSON is refused."""
    import_ids = {n: _import_id(i) for n, i in zip(names, ids)}
    for position, (name, cell) in enumerate(zip(names, ids), start=1):  # noqa: B007
        if cell.strip() and import_ids[name] is None:
            raise SurveyInputError(
                f'{path}, row 3, column {name!r}: value {cell!r} (expected ImportId JSON such as {{"ImportId":"QID3_1"}})'
            )
    return import_ids


def read_legacy_qualtrics_csv(path: str | os.PathLike) -> SurveyExport:
    """Read a legacy Qualtrics CSV export (two header rows, ``V1..Vn`` names).

    Columns named ``V<k>`` in row 1 take their real name from row 2; the others
    (question ids) keep their row-1 name and row 2 is their question text. The UTF-8
    BOM and the trailing empty column of this format are removed.
    """
    path = Path(path)
    records = _records(path)
    detected = _detect_csv(path, records)
    if detected != "qualtrics-legacy":
        raise SurveyInputError(f"{path}: a {detected} export, not a legacy Qualtrics CSV (use read_export)")
    if len(records) < 2:
        raise SurveyInputError(f"{path}: the second header row (real column names) is missing")
    first = _row_one_names(records)
    rows = _check_widths(path, records, len(first), first_data=3)
    second = rows[1]
    names = _legacy_names(path, first, second)
    labels = {name: (second[i] if not _V_NAME.match(first[i]) else first[i]) for i, name in enumerate(names)}
    return SurveyExport(
        path=str(path),
        format="qualtrics-legacy",
        data=_frame(rows[2:], names),
        header_rows=2,
        import_ids={n: None for n in names},
        labels=labels,
    )


__all__ = ["csv_format", "read_legacy_qualtrics_csv", "read_qualtrics_csv"]
