"""Words for the machine names that reach a printed table (rule ids, variable names, SE types).

The analysis tables keep their machine names (``preview_spam``, ``log_employees``, ``hc3``);
the thesis prints words. One vocabulary (``labels:`` in ``workflow/report/manuscript.yaml``,
plus an item's own ``values:``) maps a whole cell, or a snake_case word inside a cell (a
list of covariates), to its words. Written by hand: a regular-expression substitution is
all it takes, and no library keeps such a vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

#: A snake_case word (two or more parts joined by underscores), as analysis code names things.
SNAKE = re.compile(r"(?<![\w/.-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/.-])")


def relabel(frame: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` with every text cell in words: a cell equal to a key of ``labels`` is replaced
    whole, a snake_case word inside a cell that is a key is replaced by its words.

    Numbers and missing values are left alone; the frame is copied, not changed.
    """
    if not labels:
        return frame.copy()
    out = frame.copy()

    def words(value: object) -> object:
        if not isinstance(value, str):
            return value
        if value in labels:
            return labels[value]
        return SNAKE.sub(lambda m: labels.get(m.group(0), m.group(0)), value)

    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(words)
    return out


def snake_words(text: str) -> list[str]:
    """The snake_case words of ``text`` (what a printed table must not show)."""
    return SNAKE.findall(str(text))
