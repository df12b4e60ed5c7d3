"""Tied minimal models against an independent slow reference on noisy data (k = 4..10).

Reference: every prime implicant by brute force over all ``3^k`` terms (one pass per
literal mask), then every minimum cover of the prime implicant chart by integer
programming with no-good cuts (HiGHS through ``scipy.optimize.milp``): solve, forbid the
cover found, solve again until the optimum grows. Prime implicants with the same
coverage are one column (their number multiplies the count), so the reference counts
the models exactly and lists them all. It shares no code with the minimizer.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from nero import fsqca


def _reference_primes(k: int, positive: set[int], allowed: np.ndarray) -> dict[tuple[int, int], frozenset[int]]:
    """{(mask, bits): positive rows covered} of every prime implicant covering a positive row."""
    rows = np.arange(1 << k)
    implicant = {}
    for mask in range(1, 1 << k):
        keys = rows & mask
        bad = np.bincount(keys, weights=~allowed, minlength=1 << k)
        for bits in np.unique(keys).tolist():
            if bad[bits] == 0:
                implicant[(mask, bits)] = True
    primes = {}
    for mask, bits in implicant:
        if any(
            (mask & ~(1 << b), bits & ~(1 << b)) in implicant for b in range(k) if (mask >> b) & 1 and mask != (1 << b)
        ):
            continue
        covered = frozenset(r for r in positive if r & mask == bits)
        if covered:
            primes[(mask, bits)] = covered
    return primes


def _reference_covers(columns: list[frozenset[int]], positive: list[int], limit: int):
    """All minimum covers (tuples of column indices) by MILP with no-good cuts; None past ``limit``."""
    a = np.array([[r in col for col in columns] for r in positive], dtype=float)
    cons = [LinearConstraint(a, lb=1, ub=np.inf)]
    covers, size = [], None
    while True:
        res = milp(np.ones(len(columns)), constraints=cons, integrality=np.ones(len(columns)), bounds=Bounds(0, 1))
        if res.status != 0:
            return size, covers
        found = tuple(int(i) for i in np.flatnonzero(res.x > 0.5))
        if size is None:
            size = len(found)
            cons.append(LinearConstraint(np.ones((1, len(columns))), lb=size, ub=size))
        elif round(res.fun) > size:
            return size, covers
        covers.append(found)
        if len(covers) > limit:
            return size, None
        cut = np.zeros((1, len(columns)))
        cut[0, list(found)] = 1
        cons.append(LinearConstraint(cut, lb=-np.inf, ub=size - 1))


def _term(mask: int, bits: int, k: int, names: list[str]) -> str:
    lits = []
    for j in range(k):
        b = k - 1 - j
        if (mask >> b) & 1:
            lits.append(names[j] if (bits >> b) & 1 else "~" + names[j])
    return "*".join(lits)


@settings(
    max_examples=8,
    database=None,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.integers(min_value=4, max_value=10), st.integers(min_value=0, max_value=10**6))
def test_counts_and_listings_match_the_reference(k, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(40, 160))
    names = [f"X{j + 1}" for j in range(k)]
    data = pd.DataFrame(rng.beta(0.25, 0.25, size=(n, k + 1)), columns=names + ["Y"])
    data = data.where(np.abs(data - 0.5) > 1e-9, 0.51)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tt = fsqca.truth_table(data, "Y", names, incl_cut=0.8, pri_cut=0.5)
    positive = set(tt.positive_codes.tolist())
    assume(positive and tt.negative_codes.size)
    allowed = np.ones(1 << k, dtype=bool)
    allowed[tt.negative_codes] = False
    primes = _reference_primes(k, positive, allowed)
    columns = sorted(set(primes.values()), key=sorted)
    members = {col: [t for t, c in primes.items() if c == col] for col in columns}
    size, covers = _reference_covers(columns, sorted(positive), limit=150)
    assume(covers is not None)
    count = sum(math.prod(len(members[columns[i]]) for i in cover) for cover in covers)
    sol = fsqca.minimize(tt, "parsimonious", max_models=5001)  # every model when count <= 5000
    assert sol.min_terms == size
    assert sol.n_models == count and sol.n_models_exact
    assert set(sol.prime_implicants) == {_term(m, b, k, names) for m, b in primes}
    if count <= 5000:
        expected = {
            frozenset(_term(m, b, k, names) for m, b in pick)
            for cover in covers
            for pick in itertools.product(*(members[columns[i]] for i in cover))
        }
        assert {frozenset(m) for m in sol.models} == expected and len(sol.models) == count
    capped = fsqca.minimize(tt, "parsimonious", max_models=7)
    assert capped.n_models == count and len(capped.models) == min(7, count)
    # the stated order: the first models generated (component by component, branch by branch),
    # sorted canonically among themselves
    assert {frozenset(m) for m in capped.models} <= {frozenset(m) for m in sol.models}
