"""Skewness check of calibrated sets: the share of cases with membership above 0.5."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from nero.fsqca._data import as_frame, membership_values, require_columns


@dataclass
class SkewnessResult:
    """Share of cases with membership above 0.5 in each set, and the sets flagged as skewed."""

    table: pd.DataFrame
    low: float
    high: float

    @property
    def skewed(self) -> list[str]:
        return [str(s) for s in self.table.index[self.table["skewed"]]]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        head = f"skewness check: share of cases above 0.5 (flagged outside [{self.low:g}, {self.high:g}])"
        return head + "\n" + self.table.round(3).to_string()


def skewness(
    data: pd.DataFrame, sets: Sequence[str] | None = None, low: float = 0.2, high: float = 0.8
) -> SkewnessResult:
    """Skewness check: per set, the share of cases with membership above 0.5.

    A set where fewer than ``low`` or more than ``high`` of the cases are (more in than
    out) is flagged: its necessity and sufficiency figures may be trivially high.
    """
    df = as_frame(data)
    names = list(df.columns) if sets is None else list(sets)
    require_columns(df, names, "set")
    rows = []
    for col in names:
        x = membership_values(df, col)
        above = int((x > 0.5).sum())
        share = above / len(x) if len(x) else float("nan")
        rows.append(
            {
                "set": str(col),
                "n": len(x),
                "n_above": above,
                "share_above": share,
                "skewed": bool(share < low or share > high),
            }
        )
    table = pd.DataFrame(rows).set_index("set")
    return SkewnessResult(table=table, low=low, high=high)
