"""Readers for survey exports: Qualtrics CSV (current and legacy) and SPSS ``.sav``.

Every reader returns a :class:`SurveyExport` whose ``data`` hold the cells as text
(``""`` where empty) under the export's real column names, so that the same mapping,
validation and cleaning apply to every format. Row numbers in messages are counted
as a person counts rows in the file: header rows included, the first data row of a
current Qualtrics CSV is row 4.

Formats
-------
``qualtrics``
    The current CSV export: three header rows (column names, question text, ImportId
    JSON such as ``{"ImportId":"QID3_1"}``), UTF-8 (with or without BOM).
``qualtrics-legacy``
    The legacy CSV export: two header rows, the first holding ``V1..Vn`` for metadata
    (real names in the second row) and question ids for questions (question text in
    the second row), UTF-8 with BOM and a trailing empty column.
``sav``
    SPSS system file written by Qualtrics, read with pyreadstat: numeric codes (value
    labels are kept as metadata, never substituted), user-missing codes set to empty.
"""

from __future__ import annotations

import ast
import csv
import datetime as _dt
import io
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nero.survey.errors import SurveyInputError

_V_NAME = re.compile(r"^V\d+$")
FORMATS = ("qualtrics", "qualtrics-legacy", "sav")


@dataclass
class SurveyExport:
    """One export file as read.

    Attributes
    ----------
    path : str
        The file.
    format : str
        One of :data:`FORMATS`.
    data : pandas.DataFrame
        One row per response, text cells (``""`` where empty), real column names.
    header_rows : int
        Rows before the first response (3, 2 or 0); data row ``i`` (0-based) is file
        row ``header_rows + 1 + i``.
    import_ids : dict
        Column -> ImportId (current CSV only; ``None`` elsewhere).
    labels : dict
        Column -> question text or SPSS variable label (shown, never used for mapping).
    value_labels : dict
        Column -> {code: label} (SPSS only).
    user_missing : dict
        Column -> list of user-missing codes set to empty (SPSS only).
    """

    path: str
    format: str
    data: pd.DataFrame
    header_rows: int
    import_ids: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    value_labels: dict = field(default_factory=dict)
    user_missing: dict = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.data.columns)

    def row_number(self, position: int) -> int:
        """File row of the data row at 0-based ``position``."""
        return self.header_rows + 1 + int(position)

    def summary(self) -> str:
        return (f"{self.path}: {self.format} export, {len(self.data)} responses, "
                f"{len(self.data.columns)} columns, {self.header_rows} header rows")

    def to_dict(self) -> dict:
        return {
            "file": self.path, "format": self.format, "rows": int(len(self.data)),
            "columns": self.columns, "header_rows": self.header_rows,
            "import_ids": {k: v for k, v in self.import_ids.items() if v},
            "value_labels": {k: {str(c): l for c, l in v.items()} for k, v in self.value_labels.items()},
            "user_missing": self.user_missing,
        }


# ---------------------------------------------------------------------------------------
# text and CSV records
# ---------------------------------------------------------------------------------------

def _decode(path: Path) -> str:
    """The file as text: UTF-8 (BOM allowed), or a clear error naming the row and byte."""
    raw = path.read_bytes()
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
    first = records[0]
    second = records[1] if len(records) > 1 else []
    third = records[2] if len(records) > 2 else []
    if third and _is_import_row(third):
        return "qualtrics"
    if _is_legacy_names(first):
        return "qualtrics-legacy"
    if second and _is_import_row(second):
        raise SurveyInputError(
            f"{path}, row 2: holds the ImportIds, so the question-text header row is missing "
            "(expected three header rows: column names, question text, ImportId JSON)"
        )
    if any(_import_id(c) for c in first):
        raise SurveyInputError(
            f"{path}, row 1: holds ImportIds, so the column-name header rows are missing "
            "(expected three header rows: column names, question text, ImportId JSON)"
        )
    if "ResponseId" in first or "ResponseID" in first:
        found = 1 + (1 if second and not _looks_like_data(second) else 0)
        raise SurveyInputError(
            f"{path}, row {found + 1}: expected the ImportId header row (cells like {{\"ImportId\":\"QID3_1\"}}) "
            f"but found {', '.join(repr(c) for c in (records[found] if len(records) > found else [])[:3])}...; "
            f"the export has {found} header row(s) instead of three (column names, question text, ImportId JSON). "
            "Export again from Qualtrics (Data & Analysis > Export > CSV, numeric values)"
        )
    raise SurveyInputError(
        f"{path}, row 1: not a Qualtrics export (no ResponseId column, no ImportId header row, "
        f"no legacy V1..Vn header); first cells: {', '.join(repr(c) for c in first[:4])}"
    )


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
    names = [n.strip() for n in records[0]]
    if names and not names[-1]:
        names = names[:-1]
    _check_names(path, names)
    rows = _check_widths(path, records, len(names), first_data=4)
    texts, ids = rows[1], rows[2]
    import_ids = {n: _import_id(i) for n, i in zip(names, ids)}
    for position, (name, cell) in enumerate(zip(names, ids), start=1):
        if cell.strip() and import_ids[name] is None:
            raise SurveyInputError(
                f"{path}, row 3, column {name!r}: value {cell!r} (expected ImportId JSON such as {{\"ImportId\":\"QID3_1\"}})"
            )
    return SurveyExport(
        path=str(path), format="qualtrics", data=_frame(rows[3:], names), header_rows=3,
        import_ids=import_ids, labels=dict(zip(names, texts)),
    )


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
    first = [c.strip() for c in records[0]]
    if first and not first[-1]:
        first = first[:-1]
    rows = _check_widths(path, records, len(first), first_data=3)
    second = rows[1]
    names = [second[i].strip() if _V_NAME.match(n) else n for i, n in enumerate(first)]
    labels = {name: (second[i] if not _V_NAME.match(first[i]) else first[i]) for i, name in enumerate(names)}
    for position, (name, v_name) in enumerate(zip(names, first), start=1):
        if not name:
            raise SurveyInputError(
                f"{path}, row 2, column {v_name!r}: empty (expected the real column name of {v_name})"
            )
    _check_names(path, names)
    return SurveyExport(
        path=str(path), format="qualtrics-legacy", data=_frame(rows[2:], names), header_rows=2,
        import_ids={n: None for n in names}, labels=labels,
    )


# ---------------------------------------------------------------------------------------
# SPSS
# ---------------------------------------------------------------------------------------

def _sav_text(value) -> str:
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


#: SPSS print formats (without width) that hold a date, a date and time, or a time of day;
#: values are seconds since 1582-10-14 (dates and datetimes) or seconds since midnight.
_SAV_DATE = ("DATE", "ADATE", "EDATE", "JDATE", "SDATE", "QYR", "MOYR", "WKYR")
_SAV_TIME = ("TIME", "DTIME", "MTIME")
_SPSS_EPOCH = _dt.datetime(1582, 10, 14)


def _sav_kind(spss_format: str | None) -> str | None:
    """``date``, ``datetime``, ``time`` or ``None`` for an SPSS print format such as ``DATE11``."""
    name = re.sub(r"[\d.]+$", "", (spss_format or "").upper())
    if name in ("DATETIME", "YMDHMS"):
        return "datetime"
    if name in _SAV_DATE:
        return "date"
    if name in _SAV_TIME:
        return "time"
    return None


def _sav_temporal_text(value, kind: str) -> str:
    """SPSS seconds as ISO text: ``2000-01-01`` (date), ``2000-01-01 10:10:10`` (datetime), ``10:10:10`` (time).

    Converted with :mod:`datetime` (years 1-9999), not pandas, so dates outside pandas'
    nanosecond range (before 1677 or after 2262) are read, and an empty cell stays empty.

    Examples
    --------
    >>> _sav_temporal_text(13166064000.0, "date")
    '2000-01-01'
    >>> _sav_temporal_text(36610.0, "time")
    '10:10:10'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    seconds = float(value)
    if kind == "time":
        whole = int(round(seconds))
        sign = "-" if whole < 0 else ""
        whole = abs(whole)
        return f"{sign}{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    moment = _SPSS_EPOCH + _dt.timedelta(seconds=round(seconds))
    return moment.date().isoformat() if kind == "date" else moment.strftime("%Y-%m-%d %H:%M:%S")


def _is_user_missing(value, ranges: list[dict]) -> bool:
    for rng in ranges:
        lo, hi = rng.get("lo"), rng.get("hi")
        try:
            if isinstance(value, str):
                if value == lo or value == hi:
                    return True
            elif lo is not None and hi is not None and float(lo) <= float(value) <= float(hi):
                return True
        except (TypeError, ValueError):
            continue
    return False


def read_sav(path: str | os.PathLike) -> SurveyExport:
    """Read an SPSS ``.sav`` export through pyreadstat.

    Numeric codes are kept (value labels go to ``value_labels``); user-missing codes
    (``missing_ranges`` of the file, e.g. -99 "No answer") become empty cells and are
    listed in ``user_missing``. Row numbers are case numbers (1 = first case).
    """
    import pyreadstat

    path = Path(path)
    try:
        # Dates stay SPSS seconds here and are written as ISO text below: pandas cannot hold
        # dates before 1677 or after 2262, which real files contain (birth years typed as 1066).
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True, apply_value_formats=False,
                                          disable_datetime_conversion=True)
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError
        raise SurveyInputError(f"{path}: not a readable SPSS .sav file ({type(exc).__name__}: {exc})") from None
    ranges = meta.missing_ranges or {}
    user_missing: dict[str, list] = {}
    text = {}
    for column in frame.columns:
        values = frame[column].tolist()
        col_ranges = ranges.get(column, [])
        kind = _sav_kind((meta.original_variable_types or {}).get(column))
        found = []
        cells = []
        for value in values:
            if col_ranges and value is not None and not (isinstance(value, float) and math.isnan(value)) \
                    and _is_user_missing(value, col_ranges):
                found.append(value)
                cells.append("")
            elif kind is not None:
                cells.append(_sav_temporal_text(value, kind))
            else:
                cells.append(_sav_text(value))
        if found:
            user_missing[column] = sorted({_sav_text(v) for v in found})
        text[column] = cells
    data = pd.DataFrame(text, columns=list(frame.columns), dtype=object)
    labels = dict(zip(meta.column_names, meta.column_labels or [None] * len(meta.column_names)))
    return SurveyExport(
        path=str(path), format="sav", data=data, header_rows=0,
        import_ids={c: None for c in frame.columns}, labels={k: v or "" for k, v in labels.items()},
        value_labels={k: dict(v) for k, v in (meta.variable_value_labels or {}).items()},
        user_missing=user_missing,
    )


# ---------------------------------------------------------------------------------------
# dispatch
# ---------------------------------------------------------------------------------------

def detect_format(path: str | os.PathLike) -> str:
    """Which export format a file is: ``qualtrics``, ``qualtrics-legacy`` or ``sav``.

    SPSS files are recognised by their magic bytes (``$FL2``/``$FL3``); CSV files by
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
    if path.suffix.lower() == ".sav":
        raise SurveyInputError(f"{path}: named .sav but not an SPSS system file (no $FL2 header)")
    return _detect_csv(path, _records(path))


READERS = {
    "qualtrics": read_qualtrics_csv,
    "qualtrics-legacy": read_legacy_qualtrics_csv,
    "sav": read_sav,
}


def read_export(path: str | os.PathLike) -> SurveyExport:
    """Detect the format of ``path`` and read it with the matching reader."""
    return READERS[detect_format(path)](path)


__all__ = [
    "FORMATS", "SurveyExport", "detect_format", "read_export", "read_legacy_qualtrics_csv",
    "read_qualtrics_csv", "read_sav",
]
