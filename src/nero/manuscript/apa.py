"""Numbers as APA style (7th edition, section 6.36) asks: the rounding of a thesis table.

Every formatter takes a value and returns text; missing values become an empty string.
The rules are short enough that no library covers them in this exact form (``great_tables``
formats numbers but knows nothing of leading zeros of bounded statistics), so they are
written here:

- *p* values: three decimals without a leading zero, ``< .001`` below .001 (never ``.000``);
- statistics that cannot exceed 1 in absolute value (correlations, standardised loadings,
  alpha, CR, AVE, fit indices such as CFI and RMSEA, QCA consistency and coverage, kappa):
  no leading zero (``.85``, ``-.12``);
- other statistics: two decimals (``b``, ``SE``, ``t``, chi-square); counts as integers;
- percentages: one decimal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

#: Column-name patterns and the format each gets when a table gives none (first match wins).
DEFAULT_RULES: tuple[tuple[str, str], ...] = (
    (r"^(p|p_value|pvalue|p_change|total_p|direct_p|.*_p)$", "p"),
    (
        r"^(n|n_obs|n_\w+|df|df\d|segments.*|cases|units|coded_by_\d|frequency|count|dropped|flagged|remaining|"
        r"rank|depth|n_items|n_models|n_boot|founding_year|step|words|year)$",
        "int",
    ),
    (r"^(pct_.*|percent.*|.*_pct|share_pct)$", "pct"),
    (
        r"^(r|alpha|cr|ave|sqrt_ave|std_all|loading|min_loading|max_loading|std_se|cfi|tli|nfi|rmsea.*|srmr|"
        r"incl.*|pri|ron|cov.*|consistency|raw_coverage|unique_coverage|.*kappa.*|krippendorff_alpha|"
        r"hedges_g|survival.*|.*_share|htmt|r2|adj_r2|delta_r2|f2|.*_score|margin)$",
        "bounded3",
    ),
)


def format_p(value: object) -> str:
    """``p`` as APA asks: ``< .001``, else three decimals without the leading zero."""
    x = _number(value)
    if x is None:
        return ""
    if x < 0.001:
        return "< .001"
    if x > 0.999:
        return "> .999"
    return _strip_zero(f"{x:.3f}")


def format_bounded(value: object, digits: int = 2) -> str:
    """A statistic bounded by 1 (correlation, loading, reliability): no leading zero."""
    x = _number(value)
    if x is None:
        return ""
    if abs(x) > 1:
        return format_decimal(x, digits)
    return _strip_zero(f"{x:.{digits}f}")


def format_decimal(value: object, digits: int = 2) -> str:
    """A statistic with ``digits`` decimals (minus sign as a hyphen-minus, no ``-0.00``)."""
    x = _number(value)
    if x is None:
        return ""
    text = f"{x:.{digits}f}"
    return text[1:] if re.fullmatch(r"-0\.?0*", text) else text


def format_int(value: object) -> str:
    """A count (a float holding an integer is shown without decimals)."""
    x = _number(value)
    if x is None:
        return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return str(int(round(x))) if float(x).is_integer() else format_decimal(x, 2)


def format_pct(value: object) -> str:
    """A percentage with one decimal."""
    x = _number(value)
    return "" if x is None else f"{x:.1f}"


def format_share_pct(value: object) -> str:
    """A share (0 to 1) as a percentage with one decimal (``0.9444`` -> ``94.4``)."""
    x = _number(value)
    return "" if x is None else format_pct(100 * x)


def format_text(value: object) -> str:
    """Text as is; missing values empty; booleans as Yes/No."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if isinstance(value, (float, np.floating)):
        return format_decimal(value, 2)
    return str(value)


def stars(p: object) -> str:
    """Significance stars: * p < .05, ** p < .01, *** p < .001 (the note must say so)."""
    x = _number(p)
    if x is None:
        return ""
    return "***" if x < 0.001 else "**" if x < 0.01 else "*" if x < 0.05 else ""


FORMATTERS: dict[str, Callable[[object], str]] = {
    "p": format_p,
    "bounded": lambda v: format_bounded(v, 2),
    "bounded3": lambda v: format_bounded(v, 3),
    "num1": lambda v: format_decimal(v, 1),
    "num2": lambda v: format_decimal(v, 2),
    "num3": lambda v: format_decimal(v, 3),
    "int": format_int,
    "pct": format_pct,
    "share_pct": format_share_pct,
    "text": format_text,
}


def column_format(name: str) -> str:
    """The format a column gets by its name (``DEFAULT_RULES``), ``num2`` if no rule matches."""
    key = str(name).strip().lower()
    for pattern, kind in DEFAULT_RULES:
        if re.fullmatch(pattern, key):
            return kind
    return "num2"


def format_frame(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> pd.DataFrame:
    """Every cell of ``frame`` as text, column by column.

    Parameters
    ----------
    frame
        The table with raw values.
    formats
        Column -> format name (keys of ``FORMATTERS``); other numeric columns get the
        format their name implies (:func:`column_format`); a column no name rule covers
        that holds only whole numbers is shown as integers; text columns stay text.

    Raises
    ------
    KeyError
        A format name that does not exist (named with its column).
    """
    formats = formats or {}
    out = {}
    for column in frame.columns:
        series = frame[column]
        kind = formats.get(column)
        if kind is None:
            numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
            kind = column_format(column) if numeric else "text"
            if kind == "num2" and _whole_numbers(series):
                kind = "int"  # a column of whole numbers (counts read as floats beside empty cells)
        if kind not in FORMATTERS:
            raise KeyError(f"column {column!r}: unknown format {kind!r} (expected one of {sorted(FORMATTERS)})")
        fn = FORMATTERS[kind]
        out[column] = [fn(v) if not isinstance(v, str) or kind == "text" else _maybe(fn, v) for v in series]
    return pd.DataFrame(out, columns=frame.columns, index=frame.index).reset_index(drop=True)


def _whole_numbers(series: pd.Series) -> bool:
    values = pd.to_numeric(series, errors="coerce").dropna()
    return not values.empty and bool((values == values.round()).all())


def _maybe(fn: Callable[[object], str], text: str) -> str:
    """Format text that holds a number; leave other text alone."""
    return fn(text) if _number(text) is not None else text


def _number(value: object) -> float | None:
    if value is None or isinstance(value, (bool, np.bool_)):
        return None
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _strip_zero(text: str) -> str:
    text = text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text
    return "." + "0" * (len(text) - 2) if re.fullmatch(r"-\.0+", text) else text
