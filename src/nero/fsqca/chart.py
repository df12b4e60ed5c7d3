"""The configuration chart (Fiss 2011) of an intermediate solution.

Core and peripheral conditions follow Fiss (2011): a condition of an intermediate-
solution term is **core** when it also appears in a parsimonious-solution term that is
contained in that intermediate term (the parsimonious term's conditions are a subset
of the intermediate term's, with the same signs), and **peripheral** otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from nero.fsqca._errors import ExpressionError
from nero.fsqca.fit import parse_expression

CORE_PRESENT = "core present"
CORE_ABSENT = "core absent"
PERIPHERAL_PRESENT = "peripheral present"
PERIPHERAL_ABSENT = "peripheral absent"


def term_conditions(term: str) -> dict[str, int]:
    """Parse a conjunction in R QCA notation into ``{condition: 1 (present) or 0 (absent)}``.

    The literals are read by :func:`nero.fsqca.fit.parse_expression` (over the names the term
    uses, in their order); a sum of terms, a doubled negation (``~~A``) or a condition both
    present and absent is refused with a :class:`ValueError` that names the term.

    >>> term_conditions("INST*~EFF*CAP")
    {'INST': 1, 'EFF': 0, 'CAP': 1}
    """
    for part in term.split("*"):
        if "+" in part:
            raise ValueError(
                f"term {term!r}: {part.strip()!r} is not a condition or a negated condition (~NAME); "
                "a sum of terms is not one conjunction"
            )
    if re.search(r"~\s*~", term):
        raise ValueError(f"term {term!r}: a doubled negation; expected a condition or a negated condition (~NAME)")
    names = list(dict.fromkeys(part.strip().lstrip("~").strip() for part in term.split("*")))
    try:
        (parsed,) = parse_expression(term, names)
    except ExpressionError as exc:
        raise ValueError(f"term {term!r}: {exc}") from None
    out: dict[str, int] = {}
    for index, value in parsed:
        name = names[index]
        if name in out:
            raise ValueError(f"term {term!r}: condition {name} appears both present and absent")
        out[name] = value
    return out


def _contains(big: Mapping[str, int], small: Mapping[str, int]) -> bool:
    return all(big.get(k) == v for k, v in small.items())


def configuration_chart(
    intermediate_terms: Sequence[str],
    parsimonious_terms: Sequence[str],
    conditions: Sequence[str],
    term_fit: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The configuration chart: one column per intermediate term, one row per condition.

    Parameters
    ----------
    intermediate_terms, parsimonious_terms
        Terms of one intermediate model and of the parsimonious model(s).
    conditions
        Row order.
    term_fit
        Optional fit per term (index: term; columns such as inclS, PRI, covS, covU),
        appended as rows below the conditions.

    Returns
    -------
    DataFrame
        Cells ``core present``, ``core absent``, ``peripheral present``,
        ``peripheral absent`` or ``""`` (the condition does not matter).
    """
    pars = [term_conditions(t) for t in parsimonious_terms]
    columns = {}
    for term in intermediate_terms:
        inter = term_conditions(term)
        core = set()
        for p in pars:
            if _contains(inter, p):
                core |= set(p)
        cells = []
        for condition in conditions:
            if condition not in inter:
                cells.append("")
            elif condition in core:
                cells.append(CORE_PRESENT if inter[condition] else CORE_ABSENT)
            else:
                cells.append(PERIPHERAL_PRESENT if inter[condition] else PERIPHERAL_ABSENT)
        columns[term] = cells
    chart = pd.DataFrame(columns, index=list(conditions))
    chart.index.name = "condition"
    if term_fit is not None:
        fit = term_fit.reindex(list(intermediate_terms)).T
        fit.index.name = "condition"
        chart = pd.concat([chart, fit.astype(object)])
    return chart
