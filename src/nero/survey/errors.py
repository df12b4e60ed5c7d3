"""Errors raised by the survey stage.

Every error caused by the input files is a :class:`SurveyInputError` whose message
names the file, the row (counted as a person counts rows in the file, header rows
included), the column, the value found and what was expected, so that the person
holding the export can find and fix the cell.
"""

from __future__ import annotations


class SurveyInputError(ValueError):
    """A survey export or the codebook does not have the shape the pipeline expects."""


class CodebookError(SurveyInputError):
    """``config/codebook.yaml`` is incomplete or inconsistent (the message says what to add)."""


def cell(
    file: str, row: int | None = None, column: str | None = None, value: object = None, expected: str | None = None
) -> str:
    """Format one offending cell as ``file, row R, column 'C': value 'V' (expected ...)``.

    Examples
    --------
    >>> cell("w1.csv", 7, "Q3_1", "abc", "a numeric answer code")
    "w1.csv, row 7, column 'Q3_1': value 'abc' (expected a numeric answer code)"
    """
    parts = [str(file)]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    text = ", ".join(parts)
    if value is not None:
        text += f": value {str(value)!r}"
    if expected:
        text += f" (expected {expected})"
    return text
