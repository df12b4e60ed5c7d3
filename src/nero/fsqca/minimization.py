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
from dataclasses import dataclass

import numpy as np

from nero.fsqca._cover import DEFAULT_SEARCH_BUDGET, expand_models, solve_chart
from nero.fsqca._errors import FsqcaError, MinimizationError
from nero.fsqca._primes import MAX_CONDITIONS, find_prime_implicants, rows_of_term
from nero.fsqca.fit import Term, term_sort_key, term_string
from nero.fsqca.solution import Solution, _fit_models, _mask_of, _term_of
from nero.fsqca.truthtable import TruthTable, excluded_rows

__all__ = ["DEFAULT_MAX_MODELS", "SOLUTION_TYPES", "Solution", "minimize", "minimize_all", "parse_dir_exp"]

SOLUTION_TYPES = ("conservative", "parsimonious", "intermediate")

#: Default cap on the number of tied models listed.
DEFAULT_MAX_MODELS = 1000


# --------------------------------------------------------------------------- helpers


def parse_dir_exp(
    dir_exp: Mapping[str, object] | Sequence[str] | str | None, conditions: Sequence[str]
) -> dict[str, int | None]:
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
                raise FsqcaError(
                    f"directional expectation for {cond!r}, which is not a condition; expected one of: "
                    + ", ".join(conditions)
                )
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
            raise FsqcaError(
                f"directional expectation {s!r} names no condition; expected one of: " + ", ".join(conditions)
            )
        seen.setdefault(name, set()).add(0 if neg else 1)
    for name, vals in seen.items():
        out[name] = next(iter(vals)) if len(vals) == 1 else None
    return out


@dataclass
class _Chart:
    terms: list[Term]  # canonical order
    masks: list[int]
    bits: list[int]
    coverage: np.ndarray  # bool n_pi x n_pos
    models: list[tuple[int, ...]]  # PI indices
    n_models: int
    exact: bool
    min_terms: int
    methods: list[str]
    upper: int | None = 0  # upper bound on n_models (= n_models when exact; None: unknown)


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
    return _Chart(
        terms=terms,
        masks=masks,
        bits=bits,
        coverage=coverage,
        models=models,
        n_models=sol.count,
        exact=sol.exact,
        min_terms=sol.size,
        methods=sorted({c.method for c in sol.components}),
        upper=sol.upper,
    )


def _excluded_codes(tt: TruthTable, exclude: Iterable[int | str] | None) -> set[int]:
    observed = set(tt.observed_codes.tolist()) | set(tt.positive_codes.tolist())
    return set(tt.excluded) | excluded_rows(exclude, tt.conditions, observed)


def _settings(tt: TruthTable, excluded: set[int], dir_exp: dict | None = None) -> dict:
    s = {
        "incl_cut": tt.incl_cut,
        "n_cut": tt.n_cut,
        "pri_cut": tt.pri_cut,
        "excluded_rows": sorted(c + 1 for c in excluded),
    }
    if tt.incl_cut0 is not None:
        s["incl_cut0"] = tt.incl_cut0
    if dir_exp is not None:
        s["dir_exp"] = {c: ("-" if v is None else v) for c, v in dir_exp.items()}
    return s


def _build(
    kind: str, tt: TruthTable, chart: _Chart, max_models: int, settings: dict, counterfactuals: list[dict] | None = None
) -> Solution:
    models_terms = [[chart.terms[i] for i in m] for m in chart.models]
    term_fits, model_fits = _fit_models(tt, models_terms)
    pis = [term_string(t, tt.conditions) for t in chart.terms]
    sole = chart.coverage.sum(axis=0) == 1
    essential = [pis[i] for i in range(len(pis)) if (chart.coverage[i] & sole).any()]
    observed = frozenset(int(c) for c in tt.observed_codes) | frozenset(int(c) for c in tt.negative_codes)
    return Solution(
        kind=kind,
        outcome=tt.outcome,
        conditions=list(tt.conditions),
        models=[[term_string(t, tt.conditions) for t in m] for m in models_terms],
        model_fit=model_fits,
        term_fit=term_fits,
        prime_implicants=pis,
        essential=essential,
        min_terms=chart.min_terms,
        n_models=chart.n_models,
        n_models_exact=chart.exact,
        n_models_upper=chart.n_models if chart.exact else chart.upper,
        truncated=len(chart.models) < chart.n_models,
        settings=settings,
        counterfactuals=counterfactuals or [],
        method="; ".join(chart.methods),
        _terms=models_terms,
        _chart=chart.coverage,
        _positive_rows=[int(c) + 1 for c in tt.positive_codes],
        _observed=observed,
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


def _intermediate(
    tt: TruthTable,
    cons: _Chart,
    pars: _Chart,
    excluded: set[int],
    de: dict[str, int | None],
    max_models: int,
    budget: int,
) -> tuple[_Chart, list[dict]]:
    """Solve every (conservative, parsimonious) model pair with its easy counterfactuals; one chart of all."""
    k = tt.k
    pos = set(int(c) for c in tt.positive_codes)
    observed = set(int(c) for c in tt.observed_codes) | set(int(c) for c in tt.negative_codes) | excluded
    de_idx = {i: de[c] for i, c in enumerate(tt.conditions)}
    # complete only if every conservative and parsimonious model was listed and every pair solved exactly
    total_exact = cons.exact and pars.exact and len(cons.models) == cons.n_models and len(pars.models) == pars.n_models
    pair_charts, pairs = [], []
    for ci, cmodel in enumerate(cons.models, start=1):
        cterms = [cons.terms[i] for i in cmodel]
        for pj, pmodel in enumerate(pars.models, start=1):
            pterms = [pars.terms[i] for i in pmodel]
            assumptions = _simplifying_assumptions(pterms, k, pos, observed)
            easy = _easy_counterfactuals(cterms, pterms, de_idx, assumptions, k)
            allowed = np.zeros(1 << k, dtype=bool)
            allowed[list(pos)] = True
            if easy:
                allowed[list(easy)] = True
            chart = _solve(tt, allowed, max_models, budget)
            total_exact = total_exact and chart.exact and len(chart.models) == chart.n_models
            pair_charts.append(chart)
            pairs.append(
                {
                    "conservative_model": ci,
                    "parsimonious_model": pj,
                    "easy_counterfactuals": sorted(r + 1 for r in easy),
                    "difficult_counterfactuals": sorted(r + 1 for r in assumptions - easy),
                }
            )
    return _union_chart(tt, pair_charts, pairs, total_exact, max_models), pairs


def _simplifying_assumptions(pterms: list[Term], k: int, pos: set[int], unusable: set[int]) -> set[int]:
    """The remainders a parsimonious model's terms cover (its simplifying assumptions)."""
    assumptions: set[int] = set()
    for p in pterms:
        mask, bits = _mask_of(p, k)
        assumptions.update(r for r in rows_of_term(mask, bits, k).tolist() if r not in pos and r not in unusable)
    return assumptions


def _easy_counterfactuals(
    cterms: list[Term], pterms: list[Term], de_idx: dict[int, int | None], assumptions: set[int], k: int
) -> set[int]:
    """Simplifying assumptions that agree with the directional expectations (Ragin's easy counterfactuals).

    Each conservative term is reduced to the parsimonious term's conditions plus those whose
    value the expectations allow; the assumptions inside a reduced term are easy.
    """
    selection: list[Term] = []
    for c in cterms:
        cset = set(c)
        for p in pterms:
            if not set(p) <= cset:
                continue
            pconds = {cond for cond, _ in p}
            selection.append(tuple((cc, v) for cc, v in c if cc in pconds or de_idx[cc] is None or de_idx[cc] == v))
    easy = set()
    for res in selection:
        mask, bits = _mask_of(res, k)
        easy.update(r for r in assumptions if (r & mask) == bits)
    return easy


def _union_chart(
    tt: TruthTable, pair_charts: list[_Chart], pairs: list[dict], total_exact: bool, max_models: int
) -> _Chart:
    """One chart over the union of the pairs' models, terms in canonical order; each pair gets its model numbers."""
    k = tt.k
    pair_models = [[tuple(chart.terms[i] for i in m) for m in chart.models] for chart in pair_charts]
    union = dict.fromkeys(m for models in pair_models for m in models)
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
    min_terms = min((chart.min_terms for chart in pair_charts), default=0)
    methods = sorted({mth for chart in pair_charts for mth in chart.methods})
    return _Chart(
        terms=all_terms,
        masks=[_mask_of(t, k)[0] for t in all_terms],
        bits=[_mask_of(t, k)[1] for t in all_terms],
        coverage=coverage,
        models=model_idx[:max_models],
        n_models=n_models,
        exact=total_exact,
        min_terms=min_terms,
        methods=methods,
        upper=n_models if total_exact else None,
    )


def minimize(
    tt: TruthTable,
    solution: str = "parsimonious",
    *,
    dir_exp: Mapping[str, object] | Sequence[str] | str | None = None,
    exclude: Iterable[int | str] | None = None,
    max_models: int = DEFAULT_MAX_MODELS,
    search_budget: int = DEFAULT_SEARCH_BUDGET,
) -> Solution:
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


def minimize_all(
    tt: TruthTable, *, dir_exp=None, exclude=None, max_models: int = DEFAULT_MAX_MODELS
) -> dict[str, Solution]:
    """The conservative, parsimonious and (with ``dir_exp``) intermediate solutions."""
    out = {
        "conservative": minimize(tt, "conservative", max_models=max_models),
        "parsimonious": minimize(tt, "parsimonious", exclude=exclude, max_models=max_models),
    }
    if dir_exp is not None:
        out["intermediate"] = minimize(tt, "intermediate", dir_exp=dir_exp, exclude=exclude, max_models=max_models)
    return out
