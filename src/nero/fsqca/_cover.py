"""All minimum covers of a prime implicant chart -- written by hand.

The chart (prime implicants x positive rows) is solved exactly:

1. Prime implicants with the same coverage form a *class*; a minimum cover never holds
   two of a class, and every member of a class can replace another. Covers are found
   over classes and expanded to prime implicants at the end, so the number of tied
   models is the sum over class covers of the product of the class sizes (exact, even
   when it is astronomically large).
2. Rows linked by no class are independent: the chart splits into connected components,
   solved one by one (minimum size = sum, covers = product).
3. Per component, the minimum number of terms comes from exact integer programming
   (``scipy.optimize.milp`` / HiGHS) on the cyclic core (dominated classes and rows
   removed, which keeps the optimum), unless a packing lower bound already meets a
   greedy cover.
4. The covers of that size are *counted* exactly by a memoized branch and count
   (:class:`nero.fsqca._counter.ComponentCounter`: branch on the row with the fewest
   candidates, split into independent components, prune and fix classes by LP duality) and listed by walking the same
   branches, so the true number of tied models is known even when it is astronomically
   large and listing the first ``max_models`` never backtracks.
5. The count has deterministic budgets: memory (``search_budget``, memo words) and work
   (``work_budget``, classes examined by the reduced-cost fixing, a stand-in for time).
   When a component exceeds them (dense charts: one component of ~100 rows and thousands
   of classes, as on noisy data with 14 or more conditions), the count is abandoned and
   the tied covers are *enumerated* one by one by a depth-first search over the same
   branches (no memo; a node budget ``list_budget`` and the work budget again). If that
   search ends, every tied cover was found: the listing is complete and the count exact
   again. Otherwise it stops as soon as ``max_models`` models are listed; if a budget is
   spent first, tied covers are added by exchanges from those found and from the
   integer-programming optimum (replace a class by any class covering its private rows)
   up to the cap; the listing then holds at least ``max_models`` models (never fewer than
   exist below the cap) and the count is a lower bound (``exact = False``). The upper
   bound then is :meth:`ComponentCounter.upper`: the weighted number of ``size``-subsets
   of the classes left by reduced-cost fixing that hold a candidate of every row of a
   packing (rows no class shares), which every cover must.

Everything is deterministic: no time limits, fixed orders.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from nero.fsqca._counter import DEFAULT_WORK_BUDGET, ComponentCounter, _bits, _Budget, _popcount

#: Memory budget of the exact count of tied covers, in 64-bit words of memoized states
#: (about 8 bytes each, plus the dictionary's own overhead).
DEFAULT_SEARCH_BUDGET = 20_000_000

#: Node budget of the depth-first listing used when the exact count exceeds its budget.
DEFAULT_LIST_BUDGET = 300_000


@dataclass
class ComponentCovers:
    rows: int  # bitmask of the rows of the component
    classes: list[int]  # class ids in the component
    size: int  # minimum number of terms
    covers: list[tuple[int, ...]]  # class covers found (sorted tuples of class ids)
    exact: bool  # the count is exact (else a lower bound)
    method: str
    count: int = 0  # prime-implicant-level number of minimum covers (or lower bound)
    upper: int = 0  # an upper bound on ``count`` (equal to it when exact)
    counter: object = None  # the exact counter, which also lists the covers
    full: int = 0  # bitmask of all classes of the counter


@dataclass
class CoverSolution:
    size: int
    components: list[ComponentCovers]
    count: int  # prime-implicant-level number of minimum covers (or lower bound)
    exact: bool
    upper: int = 0  # an upper bound on ``count`` (equal to it when exact)


def _components(class_cov: list[int], n_rows: int) -> list[tuple[int, list[int]]]:
    parent = list(range(n_rows))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for cov in class_cov:
        rs = list(_bits(cov))
        for r in rs[1:]:
            a, b = find(rs[0]), find(r)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, int] = {}
    for r in range(n_rows):
        root = find(r)
        groups[root] = groups.get(root, 0) | (1 << r)
    comps = []
    for root in sorted(groups):
        rows = groups[root]
        cls = [j for j, cov in enumerate(class_cov) if cov & rows]
        comps.append((rows, cls))
    return comps


def _greedy(U: int, cls: list[int], class_cov: list[int]) -> list[int]:
    chosen = []
    while U:
        best = max(cls, key=lambda j: (_popcount(class_cov[j] & U), -j))
        chosen.append(best)
        U &= ~class_cov[best]
    return chosen


def _core(rows: list[int], cls: list[int], class_cov: list[int]) -> tuple[list[int], list[int]]:
    """Cyclic core: drop dominated classes and dominating rows until nothing changes."""
    rows = list(rows)
    cls = list(cls)
    while True:
        changed = False
        rmask = 0
        for r in rows:
            rmask |= 1 << r
        covs = {j: class_cov[j] & rmask for j in cls}
        order = sorted(cls, key=lambda j: (-_popcount(covs[j]), j))
        kept: list[int] = []
        for j in order:
            cj = covs[j]
            if cj == 0 or any(cj & ~covs[i] == 0 for i in kept):
                changed = True
                continue
            kept.append(j)
        cls = sorted(kept)
        cand = {r: 0 for r in rows}
        for pos, j in enumerate(cls):
            for r in _bits(class_cov[j] & rmask):
                cand[r] |= 1 << pos
        keep_rows = []
        for s in rows:
            dominated = False
            for r in rows:
                if r == s or cand[r] & ~cand[s]:
                    continue
                # every class covering r covers s: s is covered whenever r is
                # (of identical rows the first is kept)
                if cand[r] != cand[s] or r < s:
                    dominated = True
                    break
            if dominated:
                changed = True
            else:
                keep_rows.append(s)
        rows = keep_rows
        if not changed:
            return rows, cls


def _milp_min(rows: list[int], cls: list[int], class_cov: list[int], upper: int) -> list[int]:
    """Exact minimum cover of ``rows`` by ``cls`` (HiGHS); returns the class ids chosen."""
    pos = {r: i for i, r in enumerate(rows)}
    rr, cc = [], []
    rmask = 0
    for r in rows:
        rmask |= 1 << r
    for jj, j in enumerate(cls):
        for r in _bits(class_cov[j] & rmask):
            rr.append(pos[r])
            cc.append(jj)
    a = csr_matrix((np.ones(len(rr)), (rr, cc)), shape=(len(rows), len(cls)))
    res = milp(
        np.ones(len(cls)),
        constraints=LinearConstraint(a, lb=1, ub=np.inf),
        integrality=np.ones(len(cls)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.25 / max(upper, 1), "disp": False},
    )
    if res.status != 0 or res.x is None:  # pragma: no cover - HiGHS failure
        raise RuntimeError(f"the integer program for the minimum cover failed: {res.message}")
    return [cls[i] for i in np.flatnonzero(res.x > 0.5)]


def _listing(
    counter: ComponentCounter, U0: int, size: int, max_models: int, list_budget: int
) -> tuple[list[tuple[int, ...]], int, bool]:
    """Depth-first listing of the minimum class covers (the fallback of :func:`solve_chart`).

    Returns the class covers found (class ids, sorted tuples), their number of prime-
    implicant-level models and whether the search ended (then the listing is complete).
    """
    nodes = [list_budget]
    found: list[tuple[int, ...]] = []
    weight = 0
    full = (1 << len(counter.order)) - 1
    try:
        for cover in counter.enumerate(U0, full, size, nodes):
            found.append(tuple(sorted(counter.order[p] for p in cover)))
            weight += math.prod(counter.w[p] for p in cover)
            if weight >= max_models:
                return found, weight, False
    except _Budget:
        return found, weight, False
    return found, weight, True


def _exchange(
    U0: int,
    cls: list[int],
    class_cov: list[int],
    seeds: list[tuple[int, ...]],
    mult: list[int],
    max_covers: int,
    max_count: int,
) -> list[tuple[int, ...]]:
    """Tied minimum covers reachable from ``seeds`` by replacing one class at a time."""
    cands: dict[int, list[int]] = {r: [] for r in _bits(U0)}
    for j in cls:
        for r in _bits(class_cov[j] & U0):
            cands[r].append(j)
    seen = set(seeds)
    queue = deque(sorted(seen))
    count = sum(math.prod(mult[j] for j in s) for s in seen)
    while queue and len(seen) < max_covers and count < max_count:
        cover = queue.popleft()
        for c in cover:
            others = 0
            for d in cover:
                if d != c:
                    others |= class_cov[d]
            private = class_cov[c] & U0 & ~others
            if private == 0:
                continue
            r = min(_bits(private), key=lambda x: (len(cands[x]), x))
            for d in cands[r]:
                if d in cover or private & ~class_cov[d]:
                    continue
                new = tuple(sorted([x for x in cover if x != c] + [d]))
                if new not in seen:
                    seen.add(new)
                    queue.append(new)
                    count += math.prod(mult[j] for j in new)
                    if len(seen) >= max_covers or count >= max_count:
                        break
            if len(seen) >= max_covers or count >= max_count:
                break
    return sorted(seen)


def solve_chart(
    class_cov: list[int],
    mult: list[int],
    n_rows: int,
    *,
    max_models: int = 1000,
    search_budget: int = DEFAULT_SEARCH_BUDGET,
    list_budget: int = DEFAULT_LIST_BUDGET,
    work_budget: int = DEFAULT_WORK_BUDGET,
) -> CoverSolution:
    """All minimum covers of the rows ``0..n_rows-1`` by classes with coverage bitmasks.

    Parameters
    ----------
    class_cov : list of int
        Coverage bitmask of each class.
    mult : list of int
        Number of prime implicants in each class.
    max_models : int
        In the fallback (count budget exhausted), stop listing tied covers once this many
        models are listed.
    search_budget : int
        Memory budget of the exact count, in 64-bit words of memoized states.
    list_budget : int
        Node budget of the depth-first listing of the fallback.
    work_budget : int
        Work budget (classes examined) of the exact count, and again of the listing.
    """
    comps_out: list[ComponentCovers] = []
    total_size = 0
    count = 1
    exact = True
    for rows_mask, cls in _components(class_cov, n_rows):
        rows = list(_bits(rows_mask))
        if len(rows) == 1:
            single = ComponentCovers(rows_mask, cls, 1, [(j,) for j in sorted(cls)], True, "single row")
            single.count = single.upper = sum(mult[j] for j in cls)
            comps_out.append(single)
            total_size += 1
            count *= single.count
            continue
        counter = ComponentCounter(rows_mask, cls, class_cov, mult, search_budget, work_budget)
        lower = counter.lower(rows_mask)
        greedy = _greedy(rows_mask, cls, class_cov)
        if lower == len(greedy):
            size, seed, method = lower, tuple(sorted(greedy)), "bounds"
        else:
            core_rows, core_cls = _core(rows, cls, class_cov)
            best = _milp_min(core_rows, core_cls, class_cov, len(greedy))
            size, seed, method = len(best), tuple(sorted(best)), "integer programming"
        full = (1 << len(counter.order)) - 1
        try:
            n = counter.count(rows_mask, full, size)
        except _Budget:
            n = None
        if n is not None:
            comp = ComponentCovers(rows_mask, cls, size, [], True, method + " + exact count")
            comp.counter, comp.full = counter, full
            comp.count = comp.upper = n
        else:
            counter.cache.clear()
            counter.work = 0  # the listing has a work budget of its own
            covers, weight, complete = _listing(counter, rows_mask, size, max_models, list_budget)
            if not complete and weight < max_models:
                # node budget spent first: add the tied covers reachable from the found ones and
                # the integer-programming optimum by exchanging one class at a time (each keeps
                # a minimum cover), up to the cap
                extra = _exchange(rows_mask, cls, class_cov, sorted({*covers, seed}), mult, 100_000, max_models)
                covers = sorted({*covers, *extra})
                weight = sum(math.prod(mult[j] for j in c) for c in covers)
            method += " + depth-first listing" + ("" if complete else " and exchanges (count: lower bound)")
            comp = ComponentCovers(rows_mask, cls, size, covers, complete, method)
            comp.count = weight
            comp.upper = weight if complete else max(weight, counter.upper(size))
        comps_out.append(comp)
        total_size += size
        count *= comp.count
        exact = exact and comp.exact
    upper = int(count) if exact else math.prod(comp.upper for comp in comps_out)
    return CoverSolution(size=total_size, components=comps_out, count=int(count), exact=exact, upper=upper)


def _class_covers(comp: ComponentCovers):
    if getattr(comp, "counter", None) is None:
        yield from comp.covers
        return
    counter = comp.counter
    for cover in counter.covers(comp.rows, comp.full, comp.size):
        yield tuple(sorted(counter.order[p] for p in cover))


def expand_models(solution: CoverSolution, members: list[list[int]], limit: int) -> list[tuple[int, ...]]:
    """Prime-implicant-level models (sorted tuples of PI ids), at most ``limit`` of them.

    ``members[j]`` lists the prime implicants of class ``j`` in canonical order. Models
    are generated component by component in a fixed order; the caller sorts them.
    """
    comps = solution.components

    def per_component(i: int):
        if i == len(comps):
            yield ()
            return
        for cover in _class_covers(comps[i]):
            for tail in per_component(i + 1):
                yield cover + tail

    def models():
        for cover in per_component(0):
            for pick in itertools.product(*(members[j] for j in cover)):
                yield tuple(sorted(pick))

    return list(itertools.islice(models(), limit))
