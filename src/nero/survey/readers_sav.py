"""Reader of SPSS ``.sav`` survey exports (as Qualtrics writes them), through pyreadstat.

Numeric codes are kept (value labels are metadata, never substituted), user-missing
codes become empty cells, and dates, date-times and times are written as ISO text.
Use :func:`nero.survey.readers.read_export` to read a file whose format is not known.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from pathlib import Path

import pandas as pd

from nero.survey.errors import SurveyInputError
from nero.survey.readers_export import SurveyExport


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

    Numeric codes are kept (value labels go to ``value_labels``, keyed by the code as text
    as the cells hold it: ``"1"``, ``"2.5"``); user-missing codes
    (``missing_ranges`` of the file, e.g. -99 "No answer") become empty cells and are
    listed in ``user_missing``. Row numbers are case numbers (1 = first case).
    """
    path = Path(path)
    frame, meta = _load_sav(path)
    ranges = meta.missing_ranges or {}
    user_missing: dict[str, list] = {}
    text = {}
    for column in frame.columns:
        kind = _sav_kind((meta.original_variable_types or {}).get(column))
        cells, found = _sav_column_text(frame[column].tolist(), ranges.get(column, []), kind)
        if found:
            user_missing[column] = sorted({_sav_text(v) for v in found})
        text[column] = cells
    data = pd.DataFrame(text, columns=list(frame.columns), dtype=object)
    labels = dict(zip(meta.column_names, meta.column_labels or [None] * len(meta.column_names)))
    return SurveyExport(
        path=str(path),
        format="sav",
        data=data,
        header_rows=0,
        import_ids={c: None for c in frame.columns},
        labels={k: v or "" for k, v in labels.items()},
        # keyed by the code as its cells read ("1", not pyreadstat's 1.0), so a label is looked up by the cell text
        value_labels={
            k: {_sav_text(c): label for c, label in v.items()} for k, v in (meta.variable_value_labels or {}).items()
        },
        user_missing=user_missing,
    )


def _load_sav(path: Path):
    """The file's numeric frame and metadata, or a clear error if pyreadstat cannot read it."""
    import pyreadstat

    try:
        # Dates stay SPSS seconds here and are written as ISO text below: pandas cannot hold
        # dates before 1677 or after 2262, which real files contain (birth years typed as 1066).
        return pyreadstat.read_sav(
            str(path), user_missing=True, apply_value_formats=False, disable_datetime_conversion=True
        )
    except Exception as exc:  # pyreadstat raises its own ReadstatError / PyreadstatError
        raise SurveyInputError(f"{path}: not a readable SPSS .sav file ({type(exc).__name__}: {exc})") from None


def _sav_column_text(values: list, col_ranges: list[dict], kind: str | None) -> tuple[list[str], list]:
    """One column's cells as text, and the user-missing values that were set to empty."""
    found = []
    cells = []
    for value in values:
        if (
            col_ranges
            and value is not None
            and not (isinstance(value, float) and math.isnan(value))
            and _is_user_missing(value, col_ranges)
        ):
            found.append(value)
            cells.append("")
        elif kind is not None:
            cells.append(_sav_temporal_text(value, kind))
        else:
            cells.append(_sav_text(value))
    return cells, found


__all__ = ["read_sav"]
