"""Boolean expressions in R QCA's notation and the parameters of fit.

Notation (as in R's QCA): ``*`` is AND, ``+`` is OR, ``~`` is NOT, e.g. ``A*~B + C``.
Set names may contain any character but white space and ``* + ~ ( ) , { }``. A fuzzy AND is the minimum,
a fuzzy OR the maximum and a negation ``1 - x``.

Parameters of fit, with R QCA's formulas (``X`` the expression, ``Y`` the outcome,
sums over cases):

===========  ==================================================================
inclS        sum(min(X, Y)) / sum(X)
PRI          (sum(min(X, Y)) - sum(min(X, Y, 1-Y))) / (sum(X) - sum(min(X, Y, 1-Y)))
covS         sum(min(X, Y)) / sum(Y)
covU         covS(model) - covS(model without the term)
inclN        sum(min(X, Y)) / sum(Y)
RoN          sum(1 - X) / sum(1 - min(X, Y))
covN         sum(min(X, Y)) / sum(X)
===========  ==================================================================
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nero.fsqca._data import as_frame, membership_values, require_columns, used_memberships
from nero.fsqca._errors import ExpressionError

#: A conjunction: ((condition index, value), ...) with value 1 = present, 0 = negated,
#: sorted by condition index.
Term = tuple[tuple[int, int], ...]

_NAME = r"[^\s*+~(),{}]+"
_LITERAL = re.compile(rf"^\s*(~*)\s*({_NAME})\s*$")

SUFFICIENCY_COLUMNS = ("inclS", "PRI", "covS", "covU")
NECESSITY_COLUMNS = ("inclN", "RoN", "covN")


# --------------------------------------------------------------------------- expressions


def parse_expression(expression: str, conditions: Sequence[str]) -> list[Term]:
    """Parse a sum of products such as ``"A*~B + C"`` into terms over ``conditions``.

    Parameters
    ----------
    expression : str
        Terms joined by ``+``, literals joined by ``*``, negation by ``~``.
    conditions : sequence of str
        The set names the literals may use.

    Returns
    -------
    list of Term
        One tuple of ``(condition index, value)`` pairs per term (value 1 = present,
        0 = negated). A term that contains both ``A`` and ``~A`` is kept (it is empty).

    Raises
    ------
    ExpressionError
        For an empty expression or term, an unknown set name or stray characters.
    """
    if not isinstance(expression, str) or not expression.strip():
        raise ExpressionError(f"empty expression {expression!r}; expected terms like 'A*~B + C'")
    index = {str(c): i for i, c in enumerate(conditions)}
    terms: list[Term] = []
    for raw_term in expression.split("+"):
        if not raw_term.strip():
            raise ExpressionError(f"expression {expression!r}: empty term; expected terms like 'A*~B' joined by '+'")
        lits: dict[int, set[int]] = {}
        for raw_lit in raw_term.split("*"):
            m = _LITERAL.match(raw_lit)
            if not m:
                raise ExpressionError(
                    f"expression {expression!r}: cannot read {raw_lit.strip()!r}; expected a set name, "
                    "optionally preceded by '~'"
                )
            tildes, name = m.groups()
            if name not in index:
                raise ExpressionError(
                    f"expression {expression!r}: set {name!r} not in the data; expected one of: "
                    + ", ".join(map(str, conditions))
                )
            value = 0 if len(tildes) % 2 else 1
            lits.setdefault(index[name], set()).add(value)
        term: list[tuple[int, int]] = []
        for ci in sorted(lits):
            for v in sorted(lits[ci]):
                term.append((ci, v))
        terms.append(tuple(term))
    return terms


def term_string(term: Term, conditions: Sequence[str]) -> str:
    """``((0, 1), (2, 0))`` -> ``"A*~C"``; the empty term is ``"1"``."""
    if not term:
        return "1"
    return "*".join(("" if v else "~") + str(conditions[c]) for c, v in term)


def expression_string(terms: Sequence[Term], conditions: Sequence[str]) -> str:
    """Terms -> ``"A*~B + C"``."""
    return " + ".join(term_string(t, conditions) for t in terms)


def term_sort_key(term: Term, n_conditions: int) -> tuple:
    """R QCA's order of prime implicants: fewer literals first, then condition by
    condition in data order with ``~X`` before ``X`` before absent."""
    codes = [2] * n_conditions
    for c, v in term:
        codes[c] = v  # 0 negated, 1 present, 2 absent
    return (len(term), tuple(codes))


def literal_matrix(values: np.ndarray) -> np.ndarray:
    """n x k memberships -> n x k x 2 array, [..., 0] = negated, [..., 1] = present."""
    return np.stack([1.0 - values, values], axis=-1)


def term_membership(values: np.ndarray, term: Term) -> np.ndarray:
    """Fuzzy membership of each case (row of ``values``, n x k) in a conjunction."""
    if not term:
        return np.ones(values.shape[0])
    out = np.full(values.shape[0], np.inf)
    for c, v in term:
        col = values[:, c] if v else 1.0 - values[:, c]
        out = np.minimum(out, col)
    return out


def expression_membership(values: np.ndarray, terms: Sequence[Term]) -> np.ndarray:
    """Fuzzy membership in a sum of products (maximum over the terms)."""
    out = np.zeros(values.shape[0])
    for t in terms:
        out = np.maximum(out, term_membership(values, t))
    return out


def membership(data: pd.DataFrame, expression: str) -> pd.Series:
    """Membership of every case in ``expression`` (e.g. ``"A*~B + C"``).

    Parameters
    ----------
    data : DataFrame
        Cases by sets, memberships in [0, 1].
    expression : str
        A sum of products in R QCA notation.

    Returns
    -------
    Series
        Named after the expression, indexed like ``data``.
    """
    df = as_frame(data)
    names = [str(c) for c in df.columns]
    terms = parse_expression(expression, names)
    values = used_memberships(df, terms)
    return pd.Series(expression_membership(values, terms), index=df.index, name=expression)


# --------------------------------------------------------------------------- fit formulas


def _div(a: float, b: float) -> float:
    return float(a / b) if b != 0 else float("nan")


def sufficiency_fit(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """inclS, PRI and covS of ``x`` as a subset of ``y`` (arrays of memberships)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    a = np.minimum(x, y).sum()
    b = np.minimum(np.minimum(x, y), 1.0 - y).sum()
    sx = x.sum()
    return {"inclS": _div(a, sx), "PRI": _div(a - b, sx - b), "covS": _div(a, y.sum())}


def necessity_fit(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """inclN, RoN and covN of ``x`` as a superset of ``y`` (arrays of memberships)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    m = np.minimum(x, y)
    a = m.sum()
    return {"inclN": _div(a, y.sum()), "RoN": _div((1.0 - x).sum(), (1.0 - m).sum()), "covN": _div(a, x.sum())}


def unique_coverages(term_members: Sequence[np.ndarray], y: np.ndarray) -> list[float]:
    """covU of each term: coverage of the union minus coverage of the union without it."""
    y = np.asarray(y, dtype=float)
    sy = y.sum()
    if not term_members:
        return []
    stack = np.vstack(term_members)
    total = np.minimum(stack.max(axis=0), y).sum()
    out = []
    for i in range(stack.shape[0]):
        rest = np.delete(stack, i, axis=0)
        without = np.minimum(rest.max(axis=0), y).sum() if rest.shape[0] else 0.0
        out.append(_div(total - without, sy))
    return out


@dataclass
class FitResult:
    """Parameters of fit of an expression for an outcome.

    Attributes
    ----------
    expression : str
        The expression, in canonical form.
    outcome : str
        The outcome (``~Y`` for the negated outcome).
    relation : str
        ``"sufficiency"`` or ``"necessity"``.
    terms : DataFrame
        One row per term: inclS, PRI, covS, covU (sufficiency) or inclN, RoN, covN.
    overall : dict
        The same figures (without covU) for the whole expression.
    """

    expression: str
    outcome: str
    relation: str
    terms: pd.DataFrame
    overall: dict[str, float] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """Terms and, in a last row named ``expression``, the whole expression."""
        frame = self.terms.copy()
        frame.loc["expression", list(self.overall)] = list(self.overall.values())
        return frame

    def to_dict(self) -> dict:
        return {
            "expression": self.expression,
            "outcome": self.outcome,
            "relation": self.relation,
            "terms": [{"term": t, **{k: _clean(v) for k, v in row.items()}} for t, row in self.terms.iterrows()],
            "overall": {k: _clean(v) for k, v in self.overall.items()},
        }

    def summary(self, digits: int = 3) -> str:
        head = f"{self.relation} of {self.expression} for {self.outcome}"
        return head + "\n" + self.to_frame().round(digits).to_string()


def _clean(v):
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else round(float(v), 6)
    if isinstance(v, np.integer):
        return int(v)
    return v


def outcome_values(df: pd.DataFrame, outcome: str) -> tuple[str, np.ndarray]:
    """Resolve ``"Y"`` / ``"~Y"`` to (column name, memberships)."""
    name = outcome.strip()
    negate = False
    while name.startswith("~"):
        negate = not negate
        name = name[1:].strip()
    require_columns(df, [name], "outcome")
    y = membership_values(df, name)
    return name, (1.0 - y if negate else y)


def fit_parameters(data: pd.DataFrame, expression: str, outcome: str, relation: str = "sufficiency") -> FitResult:
    """Parameters of fit of ``expression`` for ``outcome``, per term and overall.

    Parameters
    ----------
    data : DataFrame
        Cases by sets (memberships in [0, 1]); must hold the outcome and every set used.
    expression : str
        A sum of products, e.g. ``"A*~B + C"`` (a single condition or ``"~A"`` works too).
    outcome : str
        Outcome column; ``"~Y"`` for the negated outcome.
    relation : {"sufficiency", "necessity"}
        Which parameters: inclS, PRI, covS, covU (sufficiency) or inclN, RoN, covN.

    Returns
    -------
    FitResult
    """
    if relation not in ("sufficiency", "necessity"):
        raise ExpressionError(f"relation {relation!r} unknown; expected 'sufficiency' or 'necessity'")
    df = as_frame(data)
    _, y = outcome_values(df, outcome)
    names = [str(c) for c in df.columns]
    terms = parse_expression(expression, names)
    values = used_memberships(df, terms)
    members = [term_membership(values, t) for t in terms]
    labels = [term_string(t, names) for t in terms]
    whole = np.max(np.vstack(members), axis=0)
    if relation == "sufficiency":
        rows = [sufficiency_fit(m, y) for m in members]
        for r, cu in zip(rows, unique_coverages(members, y)):
            r["covU"] = cu
        overall = sufficiency_fit(whole, y)
        cols = list(SUFFICIENCY_COLUMNS)
    else:
        rows = [necessity_fit(m, y) for m in members]
        overall = necessity_fit(whole, y)
        cols = list(NECESSITY_COLUMNS)
    table = pd.DataFrame(rows, index=pd.Index(labels, name="term"), columns=cols)
    return FitResult(
        expression=" + ".join(labels), outcome=outcome.strip(), relation=relation, terms=table, overall=overall
    )
