"""Exact Boolean minimization of a truth table: conservative, parsimonious, intermediate.

* **conservative** (complex): prime implicants of the positive rows only (no remainder
  is assumed to produce the outcome).
* **parsimonious**: remainders are don't cares -- a term is admissible iff it covers no
  negative row (``OUT = 0``, contradictions ``C`` and excluded remainders).
* **intermediate**: R QCA's algorithm (``C_getEC``): for every pair of a conservative
  and a parsimonious model, a conservative term ``c`` and a parsimonious term ``p``
  contained in it give the term made of ``p``'s literals plus the literals of ``c``
  that agree with the directional expectations or have none; the remainders used by the
  parsimonious model (its simplifying assumptions) that fall in such a term are the
  *easy counterfactuals*. The positive rows plus the easy counterfactuals are then
  minimized (everything else excluded) and the chart solved over the positive rows.

Every solution lists **all** tied minimal models: the models with the fewest terms that
cover every positive row (R QCA's rule for ``all.sol = FALSE``), from the complete set of
prime implicants (see :mod:`nero.fsqca._primes` and :mod:`nero.fsqca._cover`, both
written by hand). When their number exceeds ``max_models`` the first ones (in canonical
order within a fixed generation order) are listed and ``n_models`` gives the true count;
if the chart is too large to enumerate exhaustively ``n_models_exact`` is False and
``n_models`` is a lower bound.

Canonical order: terms as R QCA orders prime implicants (fewer literals first, then
condition by condition in data order with ``~X`` before ``X`` before absent), models by
the positions of their terms in that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nero.fsqca._cover import DEFAULT_SEARCH_BUDGET, expand_models, solve_chart
from nero.fsqca._errors import FsqcaError, MinimizationError
from nero.fsqca._primes import MAX_CONDITIONS, find_prime_implicants, rows_of_term
from nero.fsqca.fit import (
    Term,
    _clean,
    parse_expression,
    sufficiency_fit,
    term_membership,
    term_sort_key,
    term_string,
    unique_coverages,
)
from nero.fsqca.truthtable import TruthTable, rows_matching

SOLUTION_TYPES = ("conservative", "parsimonious", "intermediate")

#: Default cap on the number of tied models listed.
DEFAULT_MAX_MODELS = 1000


# --------------------------------------------------------------------------- helpers

def _term_of(mask: int, bits: int, k: int) -> Term:
    return tuple((j, (bits >> (k - 1 - j)) & 1) for j in range(k) if (mask >> (k - 1 - j)) & 1)


def _mask_of(term: Term, k: int) -> tuple[int, int]:
    mask = bits = 0
    for c, v in term:
        mask |= 1 << (k - 1 - c)
        bits |= v << (k - 1 - c)
    return mask, bits


def parse_dir_exp(dir_exp: Mapping[str, object] | Sequence[str] | str | None,
                  conditions: Sequence[str]) -> dict[str, int | None]:
    """Directional expectations -> {condition: 1 (present), 0 (absent) or None (none)}.

    Accepts ``["A", "~B"]``, ``"A,~B"`` or ``{"A": 1, "B": 0, "C": "-"}``; conditions not
    mentioned (or given both ways) have no expectation.
    """
    out: dict[str, int | None] = {c: None for c in conditions}
    if dir_exp is None:
        return out
    if isinstance(dir_exp, str):
        dir_exp = [p.strip() for p in dir_exp.split(",") if p.strip()]
    if isinstance(dir_exp, Mapping):
        for cond, val in dir_exp.items():
            if cond not in out:
                raise FsqcaError(f"directional expectation for {cond!r}, which is not a condition; expected one of: "
                                 + ", ".join(conditions))
            if val in (1, "1", True, "present"):
                out[cond] = 1
            elif val in (0, "0", False, "absent"):
                out[cond] = 0
            elif val in (None, "-", "both", "none"):
                out[cond] = None
            else:
                raise FsqcaError(f"directional expectation {val!r} for {cond!r}; expected 1, 0 or '-'")
        return out
    seen: dict[str, set[int]] = {}
    for item in dir_exp:
        s = str(item).strip()
        neg = s.startswith("~")
        name = s.lstrip("~").strip()
        if name not in out:
            raise FsqcaError(f"directional expectation {s!r} names no condition; expected one of: " + ", ".join(conditions))
        seen.setdefault(name, set()).add(0 if neg else 1)
    for name, vals in seen.items():
        out[name] = next(iter(vals)) if len(vals) == 1 else None
    return out


@dataclass
class _Chart:
    terms: list[Term]              # canonical order
    masks: list[int]
    bits: list[int]
    coverage: np.ndarray           # bool n_pi x n_pos
    models: list[tuple[int, ...]]  # PI indices
    n_models: int
    exact: bool
    min_terms: int
    methods: list[str]


def _solve(tt: TruthTable, allowed: np.ndarray, max_models: int, budget: int = DEFAULT_SEARCH_BUDGET) -> _Chart:
    k = tt.k
    pos = tt.positive_codes
    pis = find_prime_implicants(k, pos, allowed)
    if len(pis) == 0:  # pragma: no cover - a positive row is always its own implicant
        raise MinimizationError("no prime implicant covers the positive rows")
    terms = [_term_of(int(m), int(b), k) for m, b in zip(pis.masks, pis.bits)]
    if any(len(t) == 0 for t in terms):
        raise MinimizationError(
            "every configuration is either positive or a usable remainder: all conditions are "
            "minimized away (the solution would be the empty term); check the truth table"
        )
    order = sorted(range(len(terms)), key=lambda i: term_sort_key(terms[i], k))
    terms = [terms[i] for i in order]
    masks = [int(pis.masks[i]) for i in order]
    bits = [int(pis.bits[i]) for i in order]
    coverage = pis.coverage[order]
    # classes of identical coverage, in order of first member
    packed = np.packbits(coverage, axis=1)
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    class_order = np.argsort(first, kind="stable")
    rank = np.empty_like(class_order)
    rank[class_order] = np.arange(class_order.size)
    cls_of_pi = rank[inverse]
    n_cls = class_order.size
    members: list[list[int]] = [[] for _ in range(n_cls)]
    for i, c in enumerate(cls_of_pi.tolist()):
        members[c].append(i)
    class_cov = []
    for c in range(n_cls):
        row = coverage[members[c][0]]
        cov = 0
        for r in np.flatnonzero(row).tolist():
            cov |= 1 << r
        class_cov.append(cov)
    mult = [len(m) for m in members]
    sol = solve_chart(class_cov, mult, pos.size, max_models=max_models, search_budget=budget)
    models = sorted(set(expand_models(sol, members, max_models)))
    return _Chart(terms=terms, masks=masks, bits=bits, coverage=coverage, models=models,
                  n_models=sol.count, exact=sol.exact, min_terms=sol.size,
                  methods=sorted({c.method for c in sol.components}))


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
        return pd.DataFrame(self._chart, index=pd.Index(self.prime_implicants, name="PI"),
                            columns=pd.Index(self._positive_rows, name="row"))

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
            fits.append({"model": f"M{i}", "expression": self.expression(i - 1), "terms": terms,
                         "overall": {c: _clean(v) for c, v in mf.items()}})
        out = {
            "kind": self.kind,
            "outcome": self.outcome,
            "conditions": list(self.conditions),
            "models": [list(m) for m in self.models],
            "fit": fits,
            "min_terms": self.min_terms,
            "n_models": self.n_models,
            "n_models_exact": self.n_models_exact,
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
        count = f"{self.n_models}" if self.n_models_exact else f"at least {self.n_models}"
        head = (f"{self.kind} solution for {self.outcome} (incl.cut {s.get('incl_cut')}, n.cut {s.get('n_cut')}, "
                f"pri.cut {s.get('pri_cut')}): {count} tied model(s) with {self.min_terms} term(s)")
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
            lines.append(f"C{cf['conservative_model']}P{cf['parsimonious_model']}: easy counterfactuals (rows) "
                         f"{cf['easy_counterfactuals'] or 'none'}")
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
        frame = pd.DataFrame(rows, index=pd.Index([term_string(t, names) for t in terms], name="term"),
                             columns=["inclS", "PRI", "covS", "covU", "cases"])
        term_fits.append(frame)
        whole = np.max(np.vstack(members), axis=0)
        model_fits.append(sufficiency_fit(whole, tt.y))
    return term_fits, model_fits


def _excluded_codes(tt: TruthTable, exclude: Iterable[int | str] | None) -> set[int]:
    out = set(tt.excluded)
    observed = set(tt.observed_codes.tolist()) | set(tt.positive_codes.tolist())
    for item in exclude or ():
        if isinstance(item, str) and not item.strip().isdigit():
            codes = rows_matching(item, tt.conditions).tolist()
        else:
            rn = int(item)
            if not 1 <= rn <= (1 << tt.k):
                raise FsqcaError(f"excluded row {rn} does not exist; expected a row number between 1 and {1 << tt.k}")
            codes = [rn - 1]
        out.update(c for c in codes if c not in observed)
    return out


def _settings(tt: TruthTable, excluded: set[int], dir_exp: dict | None = None) -> dict:
    s = {"incl_cut": tt.incl_cut, "n_cut": tt.n_cut, "pri_cut": tt.pri_cut,
         "excluded_rows": sorted(c + 1 for c in excluded)}
    if tt.incl_cut0 is not None:
        s["incl_cut0"] = tt.incl_cut0
    if dir_exp is not None:
        s["dir_exp"] = {c: ("-" if v is None else v) for c, v in dir_exp.items()}
    return s


def _build(kind: str, tt: TruthTable, chart: _Chart, max_models: int, settings: dict,
           counterfactuals: list[dict] | None = None) -> Solution:
    k = tt.k
    models_terms = [[chart.terms[i] for i in m] for m in chart.models]
    term_fits, model_fits = _fit_models(tt, models_terms)
    pis = [term_string(t, tt.conditions) for t in chart.terms]
    sole = chart.coverage.sum(axis=0) == 1
    essential = [pis[i] for i in range(len(pis)) if (chart.coverage[i] & sole).any()]
    observed = frozenset(int(c) for c in tt.observed_codes) | frozenset(int(c) for c in tt.negative_codes)
    return Solution(
        kind=kind, outcome=tt.outcome, conditions=list(tt.conditions),
        models=[[term_string(t, tt.conditions) for t in m] for m in models_terms],
        model_fit=model_fits, term_fit=term_fits, prime_implicants=pis, essential=essential,
        min_terms=chart.min_terms, n_models=chart.n_models, n_models_exact=chart.exact,
        truncated=len(chart.models) < chart.n_models, settings=settings,
        counterfactuals=counterfactuals or [], method="; ".join(chart.methods),
        _terms=models_terms, _chart=chart.coverage,
        _positive_rows=[int(c) + 1 for c in tt.positive_codes], _observed=observed,
    )


def _check(tt: TruthTable) -> None:
    if not isinstance(tt, TruthTable):
        raise FsqcaError(f"expected a TruthTable (see truth_table()), got {type(tt).__name__}")
    if tt.k > MAX_CONDITIONS:
        raise MinimizationError(f"{tt.k} conditions; the exact minimizer handles at most {MAX_CONDITIONS}")
    if tt.positive_codes.size == 0:
        raise MinimizationError(
            f"nothing to explain: no truth table row has OUT = 1 for {tt.outcome} "
            f"(incl.cut {tt.incl_cut:g}, n.cut {tt.n_cut}, pri.cut {tt.pri_cut:g}); lower the cuts or check the data"
        )


def _conservative(tt: TruthTable, max_models: int, budget: int) -> _Chart:
    allowed = np.zeros(1 << tt.k, dtype=bool)
    allowed[tt.positive_codes] = True
    return _solve(tt, allowed, max_models, budget)


def _parsimonious(tt: TruthTable, excluded: set[int], max_models: int, budget: int) -> _Chart:
    negatives = set(tt.negative_codes.tolist()) | excluded
    if not negatives:
        raise MinimizationError(
            "no negative row and no excluded remainder: with remainders as don't cares every "
            "condition is minimized away; check the truth table"
        )
    allowed = np.ones(1 << tt.k, dtype=bool)
    allowed[np.fromiter(negatives, dtype=np.int64)] = False
    return _solve(tt, allowed, max_models, budget)


def _intermediate(tt: TruthTable, cons: _Chart, pars: _Chart, excluded: set[int], de: dict[str, int | None],
                  max_models: int, budget: int) -> tuple[_Chart, list[dict]]:
    k = tt.k
    pos = set(int(c) for c in tt.positive_codes)
    observed = set(int(c) for c in tt.observed_codes) | set(int(c) for c in tt.negative_codes) | excluded
    de_idx = {i: de[c] for i, c in enumerate(tt.conditions)}
    union: dict[tuple[Term, ...], None] = {}
    pair_models: list[list[tuple[Term, ...]]] = []
    pairs = []
    # complete only if every conservative and parsimonious model was listed and every pair solved exactly
    total_exact = (cons.exact and pars.exact and len(cons.models) == cons.n_models
                   and len(pars.models) == pars.n_models)
    min_terms = None
    methods: set[str] = set()
    for ci, cmodel in enumerate(cons.models, start=1):
        cterms = [cons.terms[i] for i in cmodel]
        for pj, pmodel in enumerate(pars.models, start=1):
            pterms = [pars.terms[i] for i in pmodel]
            sa: set[int] = set()
            for p in pterms:
                mask, bits = _mask_of(p, k)
                sa.update(r for r in rows_of_term(mask, bits, k).tolist() if r not in pos and r not in observed)
            selection: list[Term] = []
            for c in cterms:
                cset = set(c)
                for p in pterms:
                    if not set(p) <= cset:
                        continue
                    pconds = {ci_ for ci_, _ in p}
                    res = tuple((cc, v) for cc, v in c
                                if cc in pconds or de_idx[cc] is None or de_idx[cc] == v)
                    selection.append(res)
            easy = set()
            for res in selection:
                mask, bits = _mask_of(res, k)
                easy.update(r for r in sa if (r & mask) == bits)
            allowed = np.zeros(1 << k, dtype=bool)
            allowed[list(pos)] = True
            if easy:
                allowed[list(easy)] = True
            chart = _solve(tt, allowed, max_models, budget)
            models = [tuple(chart.terms[i] for i in m) for m in chart.models]
            total_exact = total_exact and chart.exact and len(chart.models) == chart.n_models
            methods.update(chart.methods)
            min_terms = chart.min_terms if min_terms is None else min(min_terms, chart.min_terms)
            for m in models:
                union.setdefault(m, None)
            pair_models.append(models)
            pairs.append({"conservative_model": ci, "parsimonious_model": pj,
                          "easy_counterfactuals": sorted(r + 1 for r in easy),
                          "difficult_counterfactuals": sorted(r + 1 for r in sa - easy)})
    # one chart over the union of the pairs' models, terms in canonical order
    all_terms = sorted({t for m in union for t in m}, key=lambda t: term_sort_key(t, k))
    index = {t: i for i, t in enumerate(all_terms)}
    model_idx = sorted(tuple(sorted(index[t] for t in m)) for m in union)
    pos_codes = tt.positive_codes
    coverage = np.zeros((len(all_terms), pos_codes.size), dtype=bool)
    for i, t in enumerate(all_terms):
        mask, bits = _mask_of(t, k)
        coverage[i] = (pos_codes & mask) == bits
    ordered = [tuple(all_terms[i] for i in m) for m in model_idx]
    lookup = {m: n for n, m in enumerate(ordered)}
    for pair, models in zip(pairs, pair_models):
        pair["models"] = sorted(lookup[tuple(sorted(m, key=lambda t: index[t]))] + 1 for m in models)
    n_models = len(model_idx)
    if len(model_idx) > max_models:
        model_idx = model_idx[:max_models]
    chart = _Chart(terms=all_terms, masks=[_mask_of(t, k)[0] for t in all_terms],
                   bits=[_mask_of(t, k)[1] for t in all_terms], coverage=coverage, models=model_idx,
                   n_models=n_models, exact=total_exact, min_terms=min_terms or 0, methods=sorted(methods))
    return chart, pairs


def minimize(tt: TruthTable, solution: str = "parsimonious", *,
             dir_exp: Mapping[str, object] | Sequence[str] | str | None = None,
             exclude: Iterable[int | str] | None = None, max_models: int = DEFAULT_MAX_MODELS,
             search_budget: int = DEFAULT_SEARCH_BUDGET) -> Solution:
    """Minimize a truth table exactly.

    Parameters
    ----------
    tt : TruthTable
        From :func:`~nero.fsqca.truth_table` (use ``outcome="~Y"`` there for the
        negated outcome).
    solution : {"conservative", "parsimonious", "intermediate"}
        Which solution ("complex" is accepted for "conservative").
    dir_exp : list, str or dict
        Directional expectations for the intermediate solution, e.g. ``["A", "~B"]``,
        ``"A,~B"`` or ``{"A": 1, "B": 0, "C": "-"}``; conditions not named have none.
    exclude : iterable of int or str
        Remainders never to use as simplifying assumptions (R row numbers or expressions
        such as ``"A*~B"``): contradictory simplifying assumptions, remainders that
        contradict a necessity claim, untenable ones (the enhanced standard analysis).
    max_models : int
        Cap on the number of tied models listed (their true number is ``n_models``).
    search_budget : int
        Memory budget (64-bit words) of the exact count of tied models; past it the
        count becomes a lower bound (``n_models_exact = False``). Deterministic.

    Returns
    -------
    Solution

    Raises
    ------
    MinimizationError
        Nothing to explain, or nothing to minimize against.
    """
    if solution == "complex":
        solution = "conservative"
    if solution not in SOLUTION_TYPES:
        raise FsqcaError(f"solution {solution!r} unknown; expected one of {', '.join(SOLUTION_TYPES)}")
    if int(max_models) < 1:
        raise FsqcaError(f"max_models {max_models!r} unusable; expected a whole number >= 1")
    _check(tt)
    excluded = _excluded_codes(tt, exclude)
    if solution == "conservative":
        chart = _conservative(tt, max_models, search_budget)
        return _build("conservative", tt, chart, max_models, _settings(tt, set()))
    if solution == "parsimonious":
        chart = _parsimonious(tt, excluded, max_models, search_budget)
        return _build("parsimonious", tt, chart, max_models, _settings(tt, excluded))
    if dir_exp is None:
        raise FsqcaError("the intermediate solution needs directional expectations (dir_exp), e.g. ['A', '~B']")
    de = parse_dir_exp(dir_exp, tt.conditions)
    cons = _conservative(tt, max_models, search_budget)
    pars = _parsimonious(tt, excluded, max_models, search_budget)
    chart, pairs = _intermediate(tt, cons, pars, excluded, de, max_models, search_budget)
    return _build("intermediate", tt, chart, max_models, _settings(tt, excluded, de), pairs)


def minimize_all(tt: TruthTable, *, dir_exp=None, exclude=None,
                 max_models: int = DEFAULT_MAX_MODELS) -> dict[str, Solution]:
    """The conservative, parsimonious and (with ``dir_exp``) intermediate solutions."""
    out = {"conservative": minimize(tt, "conservative", max_models=max_models),
           "parsimonious": minimize(tt, "parsimonious", exclude=exclude, max_models=max_models)}
    if dir_exp is not None:
        out["intermediate"] = minimize(tt, "intermediate", dir_exp=dir_exp, exclude=exclude, max_models=max_models)
    return out


# --------------------------------------------------------------------------- enhanced standard analysis

def contradictory_simplifying_assumptions(solution: Solution, negated: Solution) -> list[int]:
    """Remainders (R row numbers) assumed to produce both the outcome and its negation.

    Parameters
    ----------
    solution, negated : Solution
        Parsimonious (or intermediate) solutions for ``Y`` and ``~Y`` on the same conditions.
    """
    if list(solution.conditions) != list(negated.conditions):
        raise FsqcaError("the two solutions use different conditions; expected the same conditions for Y and ~Y")
    a: set[int] = set()
    for i in range(len(solution.models)):
        a.update(solution.simplifying_assumptions(i))
    b: set[int] = set()
    for i in range(len(negated.models)):
        b.update(negated.simplifying_assumptions(i))
    return sorted(a & b)


def remainders_contradicting_necessity(tt: TruthTable, necessary: Iterable[str]) -> list[int]:
    """Remainders (R row numbers) outside a condition claimed necessary (e.g. ``"A"``, ``"B + ~C"``)."""
    observed = set(tt.observed_codes.tolist()) | set(tt.positive_codes.tolist())
    out: set[int] = set()
    everything = set(range(1 << tt.k))
    for expr in necessary:
        inside = set(rows_matching(expr, tt.conditions).tolist())
        out.update(r for r in everything - inside if r not in observed)
    return sorted(r + 1 for r in out)


def untenable_remainders(tt: TruthTable, untenable: Iterable[str]) -> list[int]:
    """Remainders (R row numbers) inside expressions declared untenable (e.g. ``"A*~B"``)."""
    observed = set(tt.observed_codes.tolist()) | set(tt.positive_codes.tolist())
    out: set[int] = set()
    for expr in untenable:
        parse_expression(expr, tt.conditions)
        out.update(r for r in rows_matching(expr, tt.conditions).tolist() if r not in observed)
    return sorted(r + 1 for r in out)


@dataclass
class EnhancedStandardAnalysis:
    """Solutions after excluding problematic remainders (Schneider & Wagemann's ESA)."""

    solutions: dict[str, Solution]
    excluded: dict[str, list[int]]

    @property
    def excluded_rows(self) -> list[int]:
        return sorted({r for rows in self.excluded.values() for r in rows})

    def to_frame(self) -> pd.DataFrame:
        return pd.concat({k: s.to_frame() for k, s in self.solutions.items()}, names=["solution", None])

    def to_dict(self) -> dict:
        return {"excluded": self.excluded, "excluded_rows": self.excluded_rows,
                "solutions": {k: s.to_dict() for k, s in self.solutions.items()}}

    def summary(self) -> str:
        lines = ["enhanced standard analysis"]
        for reason, rows in self.excluded.items():
            lines.append(f"  excluded ({reason}): {', '.join(map(str, rows)) or 'none'}")
        for s in self.solutions.values():
            lines.append(s.summary())
        return "\n".join(lines)


def enhanced_standard_analysis(tt: TruthTable, negated: TruthTable | None = None, *,
                               necessary: Iterable[str] = (), untenable: Iterable[str] = (),
                               dir_exp=None, max_models: int = DEFAULT_MAX_MODELS) -> EnhancedStandardAnalysis:
    """Enhanced standard analysis: minimize without untenable or contradictory assumptions.

    Parameters
    ----------
    tt : TruthTable
        Truth table of the outcome.
    negated : TruthTable, optional
        Truth table of the negated outcome (``truth_table(data, "~Y", ...)``); when given,
        contradictory simplifying assumptions (used by both parsimonious solutions) are
        excluded.
    necessary : iterable of str
        Conditions (or disjunctions) claimed necessary: remainders outside them are excluded.
    untenable : iterable of str
        Expressions naming impossible or untenable remainders.
    dir_exp : optional
        Directional expectations (adds the intermediate solution).
    """
    excluded: dict[str, list[int]] = {}
    if negated is not None:
        excluded["contradictory simplifying assumptions"] = contradictory_simplifying_assumptions(
            minimize(tt, "parsimonious", max_models=max_models),
            minimize(negated, "parsimonious", max_models=max_models))
    necessary = list(necessary)
    if necessary:
        excluded["contradict a necessity claim"] = remainders_contradicting_necessity(tt, necessary)
    untenable = list(untenable)
    if untenable:
        excluded["untenable"] = untenable_remainders(tt, untenable)
    rows = sorted({r for v in excluded.values() for r in v})
    sols = minimize_all(tt, dir_exp=dir_exp, exclude=rows, max_models=max_models)
    return EnhancedStandardAnalysis(solutions=sols, excluded=excluded)
