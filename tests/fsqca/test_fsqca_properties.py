"""Property tests of the exact minimizer against brute force on random truth tables.

For every random table: each model covers every positive row and no negative row (and,
for the conservative solution, no remainder); each term is a prime implicant; no cover
with fewer terms exists; and the models listed are exactly all the minimum covers.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nero import fsqca


def _rows_of(term: dict[int, int], k: int) -> set[int]:
    return {r for r in range(1 << k) if all(((r >> (k - 1 - c)) & 1) == v for c, v in term.items())}


def _parse(term: str, conditions: list[str]) -> dict[int, int]:
    out = {}
    for lit in term.split("*"):
        neg = lit.startswith("~")
        out[conditions.index(lit.lstrip("~"))] = 0 if neg else 1
    return out


def _all_terms(k: int):
    for values in itertools.product((None, 0, 1), repeat=k):
        term = {c: v for c, v in enumerate(values) if v is not None}
        if term:
            yield term


def _brute_primes(k: int, positive: set[int], allowed: set[int]) -> list[frozenset[int]]:
    """Coverage (over all rows) of every prime implicant covering a positive row."""
    implicants = {}
    for term in _all_terms(k):
        rows = _rows_of(term, k)
        if rows <= allowed and rows & positive:
            implicants[tuple(sorted(term.items()))] = rows
    primes = []
    for key, rows in implicants.items():
        term = dict(key)
        if not any(
            tuple(sorted((c, v) for c, v in term.items() if c != drop)) in implicants for drop in term if len(term) > 1
        ):
            primes.append((key, rows))
    return primes


def _brute_min_covers(primes, positive: set[int]) -> tuple[int, set[frozenset]]:
    for size in range(1, len(primes) + 1):
        found = set()
        for combo in itertools.combinations(range(len(primes)), size):
            if set().union(*(primes[i][1] for i in combo)) >= positive:
                found.add(frozenset(primes[i][0] for i in combo))
        if found:
            return size, found
    raise AssertionError("no cover")


@st.composite
def random_tables(draw):
    k = draw(st.integers(min_value=2, max_value=5))
    status = draw(st.lists(st.sampled_from("10?"), min_size=1 << k, max_size=1 << k))
    if "1" not in status:
        status[draw(st.integers(0, (1 << k) - 1))] = "1"
    if "0" not in status:
        others = [i for i, s in enumerate(status) if s != "1"]
        status[others[0] if others else 0] = "0"
    return k, status


def _data(k: int, status: list[str]) -> tuple[pd.DataFrame, list[str]]:
    conds = [chr(ord("A") + j) for j in range(k)]
    rows = []
    for code, s in enumerate(status):
        if s == "?":
            continue
        rows.append({c: (code >> (k - 1 - j)) & 1 for j, c in enumerate(conds)} | {"Y": 1 if s == "1" else 0})
    return pd.DataFrame(rows, index=[f"case{i}" for i in range(len(rows))]), conds


@settings(max_examples=60, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_tables())
def test_parsimonious_and_conservative_against_brute_force(table):
    k, status = table
    data, conds = _data(k, status)
    tt = fsqca.truth_table(data, "Y", conds, incl_cut=1)
    positive = {i for i, s in enumerate(status) if s == "1"}
    negative = {i for i, s in enumerate(status) if s == "0"}
    universe = set(range(1 << k))
    for kind, allowed in (("parsimonious", universe - negative), ("conservative", positive)):
        if kind == "parsimonious" and not negative:
            continue
        sol = fsqca.minimize(tt, kind)
        primes = _brute_primes(k, positive, allowed)
        prime_keys = {key for key, _ in primes}
        size, covers = _brute_min_covers(primes, positive)
        assert sol.min_terms == size
        assert sol.n_models == len(covers) and sol.n_models_exact
        got = set()
        for model in sol.models:
            assert len(model) == size  # no cover with fewer terms exists (brute force above)
            covered = set()
            keys = []
            for term in model:
                t = _parse(term, conds)
                rows = _rows_of(t, k)
                assert rows <= allowed, (kind, term)  # no negative row (nor remainder if conservative)
                assert tuple(sorted(t.items())) in prime_keys  # every term is a prime implicant
                for drop in t:
                    if len(t) > 1:
                        smaller = {c: v for c, v in t.items() if c != drop}
                        assert not _rows_of(smaller, k) <= allowed
                covered |= rows
                keys.append(tuple(sorted(t.items())))
            assert positive <= covered  # every positive row covered
            got.add(frozenset(keys))
        assert got == covers  # all tied minimum covers, nothing else
        assert set(sol.prime_implicants) == {
            "*".join(("" if v else "~") + conds[c] for c, v in key) for key in prime_keys
        }


@settings(max_examples=40, database=None, deadline=None)
@given(random_tables(), st.lists(st.sampled_from([1, 0, None]), min_size=5, max_size=5))
def test_intermediate_models_are_sound(table, expectations):
    k, status = table
    if "0" not in status:
        return
    data, conds = _data(k, status)
    tt = fsqca.truth_table(data, "Y", conds, incl_cut=1)
    de = {c: ("-" if e is None else e) for c, e in zip(conds, expectations)}
    sol = fsqca.minimize(tt, "intermediate", dir_exp=de)
    cons = fsqca.minimize(tt, "conservative")
    positive = {i for i, s in enumerate(status) if s == "1"}
    negative = {i for i, s in enumerate(status) if s == "0"}
    for model in sol.models:
        covered = set()
        for term in model:
            rows = _rows_of(_parse(term, conds), k)
            assert not rows & negative
            covered |= rows
        assert positive <= covered
        # never more complex than needed: at most as many terms as the conservative solution
        assert len(model) <= cons.min_terms
    if all(e is None for e in expectations):
        # no expectation: no easy counterfactual, the intermediate is the conservative solution
        assert {frozenset(m) for m in sol.models} == {frozenset(m) for m in cons.models}


@settings(max_examples=30, database=None, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_fuzzy_data_solutions_are_consistent_with_truth_table(seed):
    """On random fuzzy data the models explain exactly the OUT = 1 rows' configurations."""
    rng = np.random.default_rng(seed)
    k, n = 4, 25
    values = rng.beta(0.4, 0.4, size=(n, k + 1))
    data = pd.DataFrame(values, columns=["A", "B", "C", "D", "Y"], index=[f"c{i}" for i in range(n)])
    data = data.where(data != 0.5, 0.51)
    tt = fsqca.truth_table(data, "Y", ["A", "B", "C", "D"], incl_cut=0.75)
    if len(tt.positive_codes) == 0 or len(tt.negative_codes) == 0:
        return
    sol = fsqca.minimize(tt, "parsimonious")
    pos, neg = set(tt.positive_codes.tolist()), set(tt.negative_codes.tolist())
    for model in sol.models:
        rows = set().union(*(_rows_of(_parse(t, tt.conditions), k) for t in model))
        assert pos <= rows and not rows & neg
