"""Analysis of necessary conditions.

* :func:`necessity` -- inclN, RoN and covN of every condition and its negation.
* :func:`superset_necessity` -- like R QCA's ``superSubset(relation = "necessity")``:
  disjunctions of literals (``A + ~B``) whose consistency as supersets of the outcome
  reaches ``incl_cut``, with coverage and relevance cut-offs. A disjunction that
  contains a smaller one already reaching ``incl_cut`` is trivially necessary and not
  reported; tautologies (``A + ~A``) are never formed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nero.fsqca._data import as_frame, membership_values, resolve_sets
from nero.fsqca._errors import FsqcaError
from nero.fsqca.fit import _clean, necessity_fit, outcome_values


@dataclass
class NecessityResult:
    """Necessity figures, one row per expression (inclN, RoN, covN)."""

    outcome: str
    table: pd.DataFrame
    settings: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "settings": self.settings,
            "rows": [{"expression": e, **{c: _clean(v) for c, v in r.items()}} for e, r in self.table.iterrows()],
        }

    def summary(self, digits: int = 3) -> str:
        extra = ", ".join(f"{k} {v}" for k, v in self.settings.items() if v is not None)
        head = f"necessity for {self.outcome}" + (f" ({extra})" if extra else "")
        if self.table.empty:
            return head + "\nno expression meets the cut-offs"
        return head + "\n" + self.table.round(digits).to_string()


def _prepare(data, outcome: str, conditions) -> tuple[pd.DataFrame, list[str], np.ndarray, np.ndarray]:
    df = as_frame(data)
    _, conds = resolve_sets(df, outcome, conditions)
    _, y = outcome_values(df, outcome)
    x = np.column_stack([membership_values(df, c) for c in conds])
    return df, conds, x, y


def necessity(
    data: pd.DataFrame, outcome: str, conditions: Sequence[str] | str | None = None, *, negations: bool = True
) -> NecessityResult:
    """inclN, RoN and covN of each condition (and, with ``negations``, its negation).

    Parameters
    ----------
    data : DataFrame
        Cases by sets (memberships in [0, 1]).
    outcome : str
        Outcome column (``"~Y"`` for the negated outcome).
    conditions : list of str or "A,B", optional
        Default: every other column.
    negations : bool
        Also report ``~A`` for every condition (after all the conditions).

    Returns
    -------
    NecessityResult
    """
    _, conds, x, y = _prepare(data, outcome, conditions)
    rows, names = [], []
    for j, c in enumerate(conds):
        rows.append(necessity_fit(x[:, j], y))
        names.append(c)
    if negations:
        for j, c in enumerate(conds):
            rows.append(necessity_fit(1.0 - x[:, j], y))
            names.append("~" + c)
    table = pd.DataFrame(rows, index=pd.Index(names, name="expression"), columns=["inclN", "RoN", "covN"])
    return NecessityResult(outcome=outcome.strip(), table=table)


def superset_necessity(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | str | None = None,
    *,
    incl_cut: float = 0.9,
    cov_cut: float = 0.0,
    ron_cut: float = 0.0,
    max_terms: int | None = None,
    negations: bool = True,
) -> NecessityResult:
    """Search disjunctions of literals that are necessary for the outcome.

    Parameters
    ----------
    data, outcome, conditions
        As in :func:`necessity`.
    incl_cut : float
        Minimum inclN (R's tolerance of ``sqrt(machine epsilon)`` applies).
    cov_cut, ron_cut : float
        Minimum covN and RoN of a reported disjunction.
    max_terms : int, optional
        Largest number of literals in a disjunction; default: all conditions when
        there are at most 10, else 3.
    negations : bool
        Use negated conditions as literals too.

    Returns
    -------
    NecessityResult
        Sorted by number of literals, then condition order (``~A`` before ``A``).
    """
    for nm, v in (("incl_cut", incl_cut), ("cov_cut", cov_cut), ("ron_cut", ron_cut)):
        if not 0 <= v <= 1:
            raise FsqcaError(f"{nm} {v!r} unusable; expected a value in [0, 1]")
    _, conds, x, y = _prepare(data, outcome, conditions)
    k = len(conds)
    if max_terms is None:
        max_terms = k if k <= 10 else 3
    if max_terms < 1:
        raise FsqcaError(f"max_terms {max_terms!r} unusable; expected a whole number >= 1")
    tol = float(np.finfo(float).eps ** 0.5)
    values = (0, 1) if negations else (1,)
    lit = {(j, v): (x[:, j] if v else 1.0 - x[:, j]) for j in range(k) for v in values}
    found: list[frozenset] = []
    rows, names, keys = [], [], []
    for m in range(1, min(max_terms, k) + 1):
        for combo in itertools.combinations(range(k), m):
            for signs in itertools.product(values, repeat=m):
                expr = frozenset(zip(combo, signs))
                if any(f <= expr for f in found):
                    continue
                member = np.max(np.vstack([lit[(j, v)] for j, v in zip(combo, signs)]), axis=0)
                fit = necessity_fit(member, y)
                if not fit["inclN"] >= incl_cut - tol:
                    continue
                found.append(expr)
                if fit["covN"] >= cov_cut - tol and fit["RoN"] >= ron_cut - tol:
                    rows.append(fit)
                    names.append(" + ".join(("" if v else "~") + conds[j] for j, v in zip(combo, signs)))
                    keys.append((m, tuple(sorted(zip(combo, signs)))))
    order = sorted(range(len(rows)), key=lambda i: keys[i])
    table = pd.DataFrame(
        [rows[i] for i in order],
        index=pd.Index([names[i] for i in order], name="expression"),
        columns=["inclN", "RoN", "covN"],
    )
    settings = {"incl_cut": incl_cut, "cov_cut": cov_cut, "ron_cut": ron_cut, "max_terms": max_terms}
    return NecessityResult(outcome=outcome.strip(), table=table, settings=settings)
