"""The minimum-cover solver (counting and listing tied covers) against brute force."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from nero.fsqca._cover import expand_models, solve_chart


@st.composite
def charts(draw):
    n_rows = draw(st.integers(min_value=1, max_value=9))
    n_cls = draw(st.integers(min_value=1, max_value=12))
    covs = draw(st.lists(st.integers(min_value=1, max_value=(1 << n_rows) - 1), min_size=n_cls, max_size=n_cls))
    # every row coverable, classes distinct (as classes of prime implicants are)
    for r in range(n_rows):
        if not any((c >> r) & 1 for c in covs):
            covs.append(1 << r)
    covs = sorted(set(covs))
    mult = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=len(covs), max_size=len(covs)))
    return n_rows, covs, mult


def _brute(n_rows, covs, mult):
    full = (1 << n_rows) - 1
    for size in range(1, len(covs) + 1):
        found = [c for c in itertools.combinations(range(len(covs)), size) if _union(covs, c) == full]
        if found:
            return size, found
    raise AssertionError


def _union(covs, combo):
    u = 0
    for j in combo:
        u |= covs[j]
    return u


@settings(max_examples=150, database=None, deadline=None)
@given(charts())
def test_exact_count_and_listing(chart):
    n_rows, covs, mult = chart
    size, covers = _brute(n_rows, covs, mult)
    sol = solve_chart(covs, mult, n_rows)
    assert sol.size == size and sol.exact
    assert sol.count == sum(math.prod(mult[j] for j in c) for c in covers)
    members, start = [], 0
    for m in mult:
        members.append(list(range(start, start + m)))
        start += m
    models = expand_models(sol, members, limit=10**6)
    expected = {tuple(sorted(p)) for c in covers for p in itertools.product(*(members[j] for j in c))}
    assert len(models) == len(set(models)) == sol.count
    assert set(models) == expected
    capped = expand_models(sol, members, limit=3)
    assert len(capped) == min(3, sol.count) and set(capped) <= expected


@settings(max_examples=60, database=None, deadline=None)
@given(charts())
def test_fallback_listing_is_complete_when_it_ends(chart):
    """Count budget exhausted: the depth-first listing still finds every tied cover (exact)."""
    n_rows, covs, mult = chart
    size, covers = _brute(n_rows, covs, mult)
    sol = solve_chart(covs, mult, n_rows, search_budget=1, max_models=10**9)
    exact = sum(math.prod(mult[j] for j in c) for c in covers)
    assert sol.size == size and sol.exact and sol.count == exact == sol.upper
    members, start = [], 0
    for m in mult:
        members.append(list(range(start, start + m)))
        start += m
    expected = {tuple(sorted(p)) for c in covers for p in itertools.product(*(members[j] for j in c))}
    assert set(expand_models(sol, members, limit=10**6)) == expected


@settings(max_examples=60, database=None, deadline=None)
@given(charts(), st.integers(min_value=1, max_value=5))
def test_fallback_stopped_early_gives_valid_covers_and_bounds(chart, cap):
    """Listing stopped at the cap (or by its node or work budget): valid covers, lower <= true <= upper."""
    n_rows, covs, mult = chart
    size, covers = _brute(n_rows, covs, mult)
    exact = sum(math.prod(mult[j] for j in c) for c in covers)
    for kwargs in ({"max_models": cap}, {"list_budget": 1}, {"max_models": cap, "work_budget": 1}):
        sol = solve_chart(covs, mult, n_rows, search_budget=1, **kwargs)
        assert sol.size == size
        assert 1 <= sol.count <= exact <= sol.upper
        if sol.exact:
            assert sol.count == exact
        members, start = [], 0
        for m in mult:
            members.append(list(range(start, start + m)))
            start += m
        for comp in sol.components:
            for cover in comp.covers:
                assert len(cover) == comp.size
                assert _union(covs, cover) & comp.rows == comp.rows
        listed = expand_models(sol, members, limit=10**6)
        assert all(len(m) == size for m in listed)
        if kwargs == {"max_models": cap}:
            # the listing has its own (default) budget: never fewer listed than exist below the cap
            assert len(listed) >= min(cap, exact)
        elif len(listed) < min(cap, exact):
            # a listing starved of its budget may list fewer: then the count says it is a lower bound
            assert not sol.exact
