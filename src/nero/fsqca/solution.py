"""The result of a minimization: tied models, their fit and what they assume.

:class:`Solution` is what :func:`nero.fsqca.minimize` returns; ``_fit_models`` computes
the parameters of fit of every term and model (R QCA's ``pof``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nero.fsqca._primes import rows_of_term
from nero.fsqca.fit import Term, _clean, sufficiency_fit, term_membership, term_string, unique_coverages
from nero.fsqca.truthtable import TruthTable


def _term_of(mask: int, bits: int, k: int) -> Term:
    return tuple((j, (bits >> (k - 1 - j)) & 1) for j in range(k) if (mask >> (k - 1 - j)) & 1)


def _mask_of(term: Term, k: int) -> tuple[int, int]:
    mask = bits = 0
    for c, v in term:
        mask |= 1 << (k - 1 - c)
        bits |= v << (k - 1 - c)
    return mask, bits


@dataclass
class Solution:
    """A minimization result (see the module docstring).

    Attributes
    ----------
    kind : str
        ``"conservative"``, ``"parsimonious"`` or ``"intermediate"``.
    outcome : str
    conditions : list of str
    models : list of list of str
        The tied minimal models (each a list of terms), in canonical order.
    model_fit : list of dict
        inclS, PRI, covS of each model.
    term_fit : list of DataFrame
        Per model, one row per term: inclS, PRI, covS, covU (relative to the model), cases.
    prime_implicants : list of str
        Every prime implicant of the chart, canonical order (for the intermediate
        solution: the terms of its models).
    essential : list of str
        Prime implicants that alone cover some positive row.
    min_terms : int
        Number of terms of a minimal model.
    n_models : int
        Number of tied minimal models (a lower bound when ``n_models_exact`` is False).
    n_models_exact : bool
    n_models_upper : int or None
        An upper bound on the number of tied models (equal to ``n_models`` when exact;
        None when no bound is known, e.g. an intermediate solution built from truncated
        listings).
    truncated : bool
        Fewer models listed than exist (``max_models`` reached).
    settings : dict
        Truth-table cuts, directional expectations, excluded rows.
    counterfactuals : list of dict
        Intermediate solutions: per (conservative, parsimonious) model pair, the easy and
        the difficult counterfactuals (R row numbers) and the models obtained.
    """

    kind: str
    outcome: str
    conditions: list[str]
    models: list[list[str]]
    model_fit: list[dict]
    term_fit: list[pd.DataFrame]
    prime_implicants: list[str]
    essential: list[str]
    min_terms: int
    n_models: int
    n_models_exact: bool
    truncated: bool
    settings: dict = field(default_factory=dict)
    counterfactuals: list[dict] = field(default_factory=list)
    method: str = ""
    n_models_upper: int | None = None
    _terms: list[list[Term]] = field(default_factory=list, repr=False)
    _chart: np.ndarray | None = field(default=None, repr=False)
    _positive_rows: list[int] = field(default_factory=list, repr=False)
    _observed: frozenset = field(default_factory=frozenset, repr=False)

    # ----------------------------------------------------------------- accessors
    def expression(self, model: int = 0) -> str:
        """Model ``model`` as ``"A*~B + C"``."""
        return " + ".join(self.models[model])

    def simplifying_assumptions(self, model: int = 0) -> list[int]:
        """Remainders (R row numbers) a model covers, i.e. assumes to produce the outcome."""
        k = len(self.conditions)
        rows: set[int] = set()
        for t in self._terms[model]:
            mask, bits = _mask_of(t, k)
            rows.update(rows_of_term(mask, bits, k).tolist())
        positive = {r - 1 for r in self._positive_rows}
        return sorted(r + 1 for r in rows if r not in self._observed and r not in positive)

    def pi_chart(self) -> pd.DataFrame:
        """The prime implicant chart: prime implicants x positive rows (R row numbers)."""
        return pd.DataFrame(
            self._chart,
            index=pd.Index(self.prime_implicants, name="PI"),
            columns=pd.Index(self._positive_rows, name="row"),
        )

    # ----------------------------------------------------------------- output
    def to_frame(self) -> pd.DataFrame:
        """One row per (model, term) with its fit, and one ``(model)`` row per model."""
        parts = []
        for i, (tf, mf) in enumerate(zip(self.term_fit, self.model_fit), start=1):
            f = tf.reset_index()
            f.insert(0, "model", f"M{i}")
            parts.append(f)
            parts.append(pd.DataFrame([{"model": f"M{i}", "term": "(model)", **mf}]))
        if not parts:
            return pd.DataFrame(columns=["model", "term", "inclS", "PRI", "covS", "covU", "cases"])
        return pd.concat(parts, ignore_index=True)[["model", "term", "inclS", "PRI", "covS", "covU", "cases"]]

    def to_dict(self) -> dict:
        fits = []
        for i, (tf, mf) in enumerate(zip(self.term_fit, self.model_fit), start=1):
            terms = [{"term": t, **{c: _clean(v) for c, v in row.items()}} for t, row in tf.iterrows()]
            fits.append(
                {
                    "model": f"M{i}",
                    "expression": self.expression(i - 1),
                    "terms": terms,
                    "overall": {c: _clean(v) for c, v in mf.items()},
                }
            )
        out = {
            "kind": self.kind,
            "outcome": self.outcome,
            "conditions": list(self.conditions),
            "models": [list(m) for m in self.models],
            "fit": fits,
            "min_terms": self.min_terms,
            "n_models": self.n_models,
            "n_models_exact": self.n_models_exact,
            "n_models_upper": self.n_models_upper,
            "truncated": self.truncated,
            "prime_implicants": list(self.prime_implicants),
            "essential": list(self.essential),
            "settings": self.settings,
            "method": self.method,
        }
        if self.kind != "conservative" and len(self.conditions) <= 12:
            out["simplifying_assumptions"] = [self.simplifying_assumptions(i) for i in range(len(self.models))]
        if self.counterfactuals:
            out["counterfactuals"] = self.counterfactuals
        return out

    def summary(self, digits: int = 3, max_shown: int = 20) -> str:
        """R-like printout: models with the fit of every term and model (at most ``max_shown``)."""
        s = self.settings
        count = (
            f"{self.n_models}"
            if self.n_models_exact
            else f"at least {self.n_models} (count not exact within the search budget)"
        )
        head = (
            f"{self.kind} solution for {self.outcome} (incl.cut {s.get('incl_cut')}, n.cut {s.get('n_cut')}, "
            f"pri.cut {s.get('pri_cut')}): {count} tied model(s) with {self.min_terms} term(s)"
        )
        lines = [head]
        shown = min(len(self.models), max_shown)
        if self.truncated or shown < len(self.models):
            lines.append(f"(showing the first {shown} of {len(self.models)} listed)")
        if s.get("excluded_rows"):
            lines.append("excluded remainders (rows): " + ", ".join(map(str, s["excluded_rows"])))

        def num(v: float) -> str:
            return "" if v is None or v != v else f"{v:.{digits}f}"

        for i, (m, tf, mf) in enumerate(zip(self.models[:shown], self.term_fit, self.model_fit), start=1):
            lines.append(f"M{i}: {' + '.join(m)} -> {self.outcome}")
            width = max([len(t) for t in tf.index] + [len(f"M{i}")]) + 2
            cols = ("inclS", "PRI", "covS", "covU")
            lines.append(" " * width + "".join(f"{c:>8}" for c in cols) + "   cases")
            for t, row in tf.iterrows():
                lines.append(f"{t:<{width}}" + "".join(f"{num(row[c]):>8}" for c in cols) + f"   {row['cases']}")
            lines.append(f"{'M' + str(i):<{width}}" + "".join(f"{num(mf[c]):>8}" for c in cols[:3]))
        for cf in self.counterfactuals[:20]:
            lines.append(
                f"C{cf['conservative_model']}P{cf['parsimonious_model']}: easy counterfactuals (rows) "
                f"{cf['easy_counterfactuals'] or 'none'}"
            )
        return "\n".join(lines)


def _fit_models(tt: TruthTable, models_terms: list[list[Term]]) -> tuple[list[pd.DataFrame], list[dict]]:
    k = tt.k
    names = tt.conditions
    pos = tt.positive_codes
    row_cases = {int(c): ",".join(tt.row_cases(int(c))) for c in pos}
    cache: dict[Term, tuple[np.ndarray, dict, str]] = {}
    term_fits, model_fits = [], []
    for terms in models_terms:
        members = []
        rows = []
        for t in terms:
            if t not in cache:
                m = term_membership(tt.values, t)
                mask, bits = _mask_of(t, k)
                covered = [int(c) for c in pos if (int(c) & mask) == bits]
                cases = "; ".join(row_cases[c] for c in covered if row_cases[c])
                cache[t] = (m, sufficiency_fit(m, tt.y), cases)
            m, fit, cases = cache[t]
            members.append(m)
            rows.append({**fit, "cases": cases})
        for r, cu in zip(rows, unique_coverages(members, tt.y)):
            r["covU"] = cu
        frame = pd.DataFrame(
            rows,
            index=pd.Index([term_string(t, names) for t in terms], name="term"),
            columns=["inclS", "PRI", "covS", "covU", "cases"],
        )
        term_fits.append(frame)
        whole = np.max(np.vstack(members), axis=0)
        model_fits.append(sufficiency_fit(whole, tt.y))
    return term_fits, model_fits
