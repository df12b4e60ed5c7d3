"""The pandera schemas of the survey tables.

:func:`export_schema` checks an imported (text) wave table; :func:`codebook_schema` checks
the typed answers against the codebook's ranges (its failures are the evidence of the
``out_of_range`` cleaning rule).
"""

from __future__ import annotations

import re
from typing import Any

from nero.survey.codebook import Codebook

_INT_TEXT = re.compile(r"^[+-]?\d+(\.0*)?$")
_NUM_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _is_number_text(value: Any) -> bool:
    return bool(_NUM_TEXT.match(str(value).strip()))


def _is_int_text(value: Any) -> bool:
    return bool(_INT_TEXT.match(str(value).strip()))


def _is_timestamp_text(value: Any) -> bool:
    import pandas as pd

    try:
        pd.Timestamp(str(value))
    except (ValueError, TypeError):
        return False
    return True


def _in_range_text(lo: float, hi: float):
    def check(value: Any) -> bool:
        try:
            number = float(str(value))
        except ValueError:
            return True  # reported by the numeric check
        return lo <= number <= hi

    return check


def export_schema(codebook: Codebook):
    """pandera schema of an imported wave table (text cells, ``NA`` where empty).

    It catches malformed input, which stops the run: a missing or repeated ResponseId,
    metadata that are not numbers or dates or are outside what Qualtrics writes, and
    answers to coded questions (Likert items, checks, code lists) that are not numbers
    (for example a "choice text" export). Out-of-range numeric answers and unparseable
    text-entry firm variables are *not* errors here: cleaning drops them
    (rule ``out_of_range``), see :func:`codebook_schema`.
    """
    import pandera.pandas as pa

    number = pa.Check(_is_number_text, element_wise=True, error="a number")
    integer = pa.Check(_is_int_text, element_wise=True, error="a whole number")
    stamp = pa.Check(_is_timestamp_text, element_wise=True, error="a date-time such as 2025-03-14 09:30:00")
    columns = {
        "response_id": pa.Column(
            None,
            nullable=False,
            unique=True,
            checks=[pa.Check(lambda v: bool(str(v).strip()), element_wise=True, error="a non-empty ResponseId")],
        ),
        "recorded_date": pa.Column(None, nullable=False, checks=[stamp]),
        "start_date": pa.Column(None, nullable=True, required=False, checks=[stamp]),
        "end_date": pa.Column(None, nullable=True, required=False, checks=[stamp]),
        "status": pa.Column(None, nullable=False, checks=[integer]),
        "progress": pa.Column(
            None,
            nullable=False,
            checks=[number, pa.Check(_in_range_text(0, 100), element_wise=True, error="a percentage 0..100")],
        ),
        "finished": pa.Column(
            None,
            nullable=False,
            checks=[pa.Check(lambda v: str(v).strip() in {"0", "1", "0.0", "1.0"}, element_wise=True, error="0 or 1")],
        ),
        "duration_s": pa.Column(
            None,
            nullable=False,
            checks=[number, pa.Check(_in_range_text(0, float("inf")), element_wise=True, error="seconds >= 0")],
        ),
    }
    coded = [*codebook.item_names, *codebook.checks]
    coded += [n for n, q in codebook.firm_variables.items() if q.kind == "code"]
    for name in coded:
        columns[name] = pa.Column(
            None,
            nullable=True,
            checks=[
                pa.Check(
                    _is_number_text,
                    element_wise=True,
                    error="a numeric answer code (export 'numeric values', not choice text)",
                )
            ],
        )
    return pa.DataFrameSchema(columns, strict=False, name="survey export")


def codebook_schema(codebook: Codebook):
    """pandera schema of the typed answers: Likert range, allowed codes, firm-variable ranges.

    Applied (lazily, all failures at once) to the numeric table of every received
    response. Its failures are the evidence of the ``out_of_range`` cleaning rule; the
    text-entry firm variables have already been parsed (an unparseable entry is NaN and
    reported separately).
    """
    import pandera.pandas as pa

    likert = list(range(codebook.scale_min, codebook.scale_max + 1))
    scale = f"{codebook.scale_min}..{codebook.scale_max}"
    columns = {}
    for name in codebook.item_names:
        columns[name] = pa.Column(float, nullable=True, checks=[pa.Check.isin(likert, error=f"a Likert code {scale}")])
    columns["attention"] = pa.Column(
        float, nullable=True, checks=[pa.Check.isin(likert, error=f"a Likert code {scale}")]
    )
    for name, q in codebook.firm_variables.items():
        if q.kind == "string":
            continue
        checks = []
        if q.kind == "code":
            checks.append(pa.Check.isin(sorted(q.codes), error=f"one of the codes {sorted(q.codes)}"))
        else:
            if q.kind == "integer":
                checks.append(pa.Check(lambda s: (s % 1) == 0, error="a whole number"))
            if q.min is not None and q.max is not None:
                checks.append(pa.Check.in_range(q.min, q.max, error=f"a value in {q.min}..{q.max}"))
            elif q.min is not None:
                checks.append(pa.Check.ge(q.min, error=f"a value >= {q.min}"))
            elif q.max is not None:
                checks.append(pa.Check.le(q.max, error=f"a value <= {q.max}"))
        columns[name] = pa.Column(float, nullable=True, checks=checks)
    return pa.DataFrameSchema(columns, strict=False, name="codebook ranges")
