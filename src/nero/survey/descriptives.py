"""Descriptive statistics per item and per construct, by wave and pooled.

Skewness and kurtosis are the bias-adjusted sample estimators G1 and G2 (excess
kurtosis) that SPSS and Stata's ``summarize, detail``-style tables report
(``scipy.stats.skew(bias=False)``, ``scipy.stats.kurtosis(bias=False)``); the SD uses
n - 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

COLUMNS = ["wave", "variable", "n", "mean", "sd", "min", "max", "skewness", "kurtosis"]


def describe(values: pd.Series) -> dict:
    """n, mean, SD, min, max, skewness (G1) and excess kurtosis (G2) of the non-missing values.

    Examples
    --------
    >>> d = describe(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]))
    >>> d["mean"], round(d["sd"], 4), d["skewness"], round(d["kurtosis"], 4)
    (3.0, 1.5811, 0.0, -1.2)
    """
    from scipy import stats

    x = values.dropna().to_numpy(dtype=float)
    n = len(x)
    out = {
        "n": n,
        "mean": math.nan,
        "sd": math.nan,
        "min": math.nan,
        "max": math.nan,
        "skewness": math.nan,
        "kurtosis": math.nan,
    }
    if n == 0:
        return out
    out.update(mean=float(x.mean()), min=float(x.min()), max=float(x.max()))
    if n > 1:
        out["sd"] = float(x.std(ddof=1))
    if n > 2 and x.std() > 0:
        out["skewness"] = float(stats.skew(x, bias=False))
    if n > 3 and x.std() > 0:
        out["kurtosis"] = float(stats.kurtosis(x, bias=False))
    return out


def describe_by_wave(table: pd.DataFrame, variables: list[str], wave_column: str = "wave") -> pd.DataFrame:
    """:func:`describe` of every variable for every wave and pooled (wave = ``"pooled"``)."""
    rows = []
    waves = sorted(table[wave_column].unique())
    for wave in [*waves, "pooled"]:
        part = table if wave == "pooled" else table[table[wave_column] == wave]
        for variable in variables:
            rows.append({"wave": wave, "variable": variable, **describe(part[variable])})
    return pd.DataFrame(rows, columns=COLUMNS)


@dataclass
class Descriptives:
    """Item and construct descriptives of the clean table."""

    items: pd.DataFrame
    constructs: pd.DataFrame

    def summary(self) -> str:
        pooled = self.constructs[self.constructs["wave"] == "pooled"]
        return "\n".join(
            f"{r.variable}: mean {r.mean:.2f}, SD {r.sd:.2f}, skew {r.skewness:.2f}, "
            f"kurtosis {r.kurtosis:.2f} (n = {r.n})"
            for r in pooled.itertuples()
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.concat(
            [self.items.assign(level="item"), self.constructs.assign(level="construct")], ignore_index=True
        )


def survey_descriptives(clean: pd.DataFrame, items: list[str], constructs: list[str]) -> Descriptives:
    """Descriptives of the items (as analysed: reverse-worded items recoded) and construct scores."""
    return Descriptives(items=describe_by_wave(clean, items), constructs=describe_by_wave(clean, constructs))


__all__ = ["Descriptives", "describe", "describe_by_wave", "survey_descriptives"]
