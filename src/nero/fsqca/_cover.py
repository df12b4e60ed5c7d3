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
   (:class:`_Counter`: branch on the row with the fewest candidates, split into
   independent components, prune with a packing bound) and listed by walking the same
   branches, so the true number of tied models is known even when it is astronomically
   large and listing the first ``max_models`` never backtracks.
5. The memo has a deterministic memory budget (``search_budget``). When a component
   exceeds it (dense charts: one component of ~100 rows and thousands of classes, as on
   noisy data with 14 or more conditions), the count is abandoned and the tied covers are
   *enumerated* one by one by a depth-first search over the same branches (no memo, a
   deterministic node budget ``list_budget``). If that search ends, every tied cover was
   found: the listing is complete and the count exact again. Otherwise it stops as soon
   as ``max_models`` models are listed; if the node budget is spent first, tied covers
   are added by exchanges from those found and from the integer-programming optimum
   (replace a class by any class covering its private rows) up to the cap; the listing then
   holds at least ``max_models`` models (never fewer than exist below the cap) and the
   count is a lower bound (``exact = False``), with the upper bound ``C(N, size)``
   (``N`` prime implicants) -- the only one this solver can vouch for.

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

#: Memory budget of the exact count of tied covers, in 64-bit words of memoized states
#: (about 8 bytes each, plus the dictionary's own overhead).
DEFAULT_SEARCH_BUDGET = 20_000_000

#: Node budget of the depth-first listing used when the exact count exceeds its budget.
DEFAULT_LIST_BUDGET = 300_000


def _popcount(x: int) -> int:
    return x.bit_count()


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


@dataclass
class ComponentCovers:
    rows: int                        # bitmask of the rows of the component
    classes: list[int]               # class ids in the component
    size: int                        # minimum number of terms
    covers: list[tuple[int, ...]]    # class covers found (sorted tuples of class ids)
    exact: bool                      # the count is exact (else a lower bound)
    method: str
    count: int = 0                   # prime-implicant-level number of minimum covers
    counter: object = None           # the exact counter, which also lists the covers
    full: int = 0                    # bitmask of all classes of the counter


@dataclass
class CoverSolution:
    size: int
    components: list[ComponentCovers]
    count: int                       # prime-implicant-level number of minimum covers (or lower bound)
    exact: bool
    upper: int = 0                   # an upper bound on ``count`` (equal to it when exact)


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
    res = milp(np.ones(len(cls)), constraints=LinearConstraint(a, lb=1, ub=np.inf),
               integrality=np.ones(len(cls)), bounds=Bounds(0, 1),
               options={"mip_rel_gap": 0.25 / max(upper, 1), "disp": False})
    if res.status != 0 or res.x is None:  # pragma: no cover - HiGHS failure
        raise RuntimeError(f"the integer program for the minimum cover failed: {res.message}")
    return [cls[i] for i in np.flatnonzero(res.x > 0.5)]


class _Budget(Exception):
    pass


class _Counter:
    """Weighted count of the covers of a component with exactly ``b`` classes.

    ``count(U, rel, b)`` is the number of ``b``-subsets of the classes in ``rel``
    (weighted by their number of prime implicants) that cover the rows ``U``. It
    branches on the row with the fewest candidates (the first candidate chosen fixes
    the branch, so each subset is counted once), splits the rows into independent
    components, prunes with a packing lower bound and memoizes every state. At the top
    ``b`` is the minimum, so only minimum covers are counted. ``covers`` walks the same
    branches, entering only those with a non-zero count, so listing never backtracks.
    """

    def __init__(self, U0: int, cls: list[int], class_cov: list[int], mult: list[int], budget: int):
        self.order = sorted(cls, key=lambda j: (-_popcount(class_cov[j] & U0), j))
        self.cov = [class_cov[j] & U0 for j in self.order]
        self.w = [mult[j] for j in self.order]
        rows = list(_bits(U0))
        self.cand = {r: 0 for r in rows}
        for p, c in enumerate(self.cov):
            for r in _bits(c):
                self.cand[r] |= 1 << p
        self.nb = {r: 0 for r in rows}
        for r in rows:
            for p in _bits(self.cand[r]):
                self.nb[r] |= self.cov[p]
        # packing bound: rows with the smallest neighbourhoods first
        self.rorder = sorted(rows, key=lambda r: (_popcount(self.nb[r]), r))
        self.cache: dict[tuple[int, int, int], int] = {}
        self.words = 0
        self.budget = budget
        self.key_words = len(self.order) // 64 + len(rows) // 64 + 3

    def _rel(self, U: int, rel0: int) -> int:
        rel = 0
        x = U
        while x:
            low = x & -x
            c = self.cand[low.bit_length() - 1] & rel0
            if not c:
                return -1
            rel |= c
            x ^= low
        return rel

    def lower(self, U: int) -> int:
        n = 0
        V = U
        for r in self.rorder:
            if (V >> r) & 1:
                V &= ~self.nb[r]
                n += 1
                if not V:
                    break
        return n

    def components(self, U: int) -> list[int]:
        out = []
        rest = U
        while rest:
            comp = rest & -rest
            frontier = comp
            while frontier:
                low = frontier & -frontier
                frontier ^= low
                new = self.nb[low.bit_length() - 1] & rest & ~comp
                comp |= new
                frontier |= new
            out.append(comp)
            rest &= ~comp
        return out

    def _split(self, U: int, rel: int, b: int):
        """Per component: (rows, classes, {size: count}) for the sizes that can add up to b."""
        comps = self.components(U)
        if len(comps) < 2:
            return None
        lbs = [self.lower(c) for c in comps]
        slack = b - sum(lbs)
        parts = []
        for c, lb in zip(comps, lbs):
            crel = self._rel(c, rel)
            vec = {}
            if slack >= 0:
                for bb in range(lb, lb + slack + 1):
                    v = self.count(c, crel, bb)
                    if v:
                        vec[bb] = v
            parts.append((c, crel, vec))
        return parts

    def count(self, U: int, rel0: int, b: int) -> int:
        if U == 0:
            return 1 if b == 0 else 0
        if b == 0:
            return 0
        rel = self._rel(U, rel0)
        if rel < 0:
            return 0
        key = (U, rel, b)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        self.words += self.key_words
        if self.words > self.budget:
            raise _Budget
        if self.lower(U) > b:
            self.cache[key] = 0
            return 0
        parts = self._split(U, rel, b)
        if parts is not None:
            acc = {0: 1}
            for _, _, vec in parts:
                new: dict[int, int] = {}
                for i, a in acc.items():
                    for j, v in vec.items():
                        if i + j <= b:
                            new[i + j] = new.get(i + j, 0) + a * v
                acc = new
                if not acc:
                    break
            total = acc.get(b, 0)
        else:
            best = self._branch(U, rel)
            total = 0
            ban = 0
            for p in _bits(best):
                total += self.w[p] * self.count(U & ~self.cov[p], rel & ~ban & ~(1 << p), b - 1)
                ban |= 1 << p
        self.cache[key] = total
        return total

    def _branch(self, U: int, rel: int) -> int:
        """The candidates of the uncovered row with the fewest candidates (the row to branch on)."""
        best, bn = 0, 1 << 30
        for r in _bits(U):
            c = self.cand[r] & rel
            n = _popcount(c)
            if n < bn:
                best, bn = c, n
        return best

    def enumerate(self, U: int, rel0: int, b: int, nodes: list[int]):
        """Class covers of ``U`` with ``b`` classes, by depth-first search without memo.

        ``nodes`` is a one-element list holding the remaining node budget; the search
        raises :class:`_Budget` when it runs out. Same branching (and order) as
        :meth:`count`, so every cover is produced exactly once.
        """
        if U == 0:
            if b == 0:
                yield ()
            return
        if b == 0:
            return
        rel = self._rel(U, rel0)
        if rel < 0:
            return
        nodes[0] -= 1
        if nodes[0] < 0:
            raise _Budget
        if self.lower(U) > b:
            return
        best = self._branch(U, rel)
        ban = 0
        for p in _bits(best):
            for tail in self.enumerate(U & ~self.cov[p], rel & ~ban & ~(1 << p), b - 1, nodes):
                yield (p,) + tail
            ban |= 1 << p

    def _product(self, factories: list[tuple[int, int, int]]):
        if not factories:
            yield ()
            return
        (c, crel, bb), rest = factories[0], factories[1:]
        for first in self.covers(c, crel, bb):
            for tail in self._product(rest):
                yield first + tail

    def covers(self, U: int, rel0: int, b: int):
        """Class covers (tuples of positions) counted by ``count(U, rel0, b)``."""
        if U == 0:
            if b == 0:
                yield ()
            return
        rel = self._rel(U, rel0)
        if rel < 0 or b == 0 or not self.count(U, rel0, b):
            return
        parts = self._split(U, rel, b)
        if parts is not None:
            sizes = [sorted(vec) for _, _, vec in parts]
            for alloc in itertools.product(*sizes):
                if sum(alloc) != b:
                    continue
                factories = [(c, crel, bb) for (c, crel, _), bb in zip(parts, alloc)]
                yield from self._product(factories)
            return
        best = self._branch(U, rel)
        ban = 0
        for p in _bits(best):
            child_rel = rel & ~ban & ~(1 << p)
            rest = U & ~self.cov[p]
            if self.count(rest, child_rel, b - 1):
                for tail in self.covers(rest, child_rel, b - 1):
                    yield (p,) + tail
            ban |= 1 << p


def _listing(counter: _Counter, U0: int, size: int, max_models: int,
             list_budget: int) -> tuple[list[tuple[int, ...]], int, bool]:
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


def _exchange(U0: int, cls: list[int], class_cov: list[int], seeds: list[tuple[int, ...]],
              mult: list[int], max_covers: int, max_count: int) -> list[tuple[int, ...]]:
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


def solve_chart(class_cov: list[int], mult: list[int], n_rows: int, *, max_models: int = 1000,
                search_budget: int = DEFAULT_SEARCH_BUDGET, list_budget: int = DEFAULT_LIST_BUDGET) -> CoverSolution:
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
    """
    comps_out: list[ComponentCovers] = []
    total_size = 0
    count = 1
    exact = True
    for rows_mask, cls in _components(class_cov, n_rows):
        rows = list(_bits(rows_mask))
        if len(rows) == 1:
            comps_out.append(ComponentCovers(rows_mask, cls, 1, [(j,) for j in sorted(cls)], True, "single row"))
            total_size += 1
            count *= sum(mult[j] for j in cls)
            continue
        counter = _Counter(rows_mask, cls, class_cov, mult, search_budget)
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
            comp.count = n
        else:
            counter.cache.clear()
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
        comps_out.append(comp)
        total_size += size
        count *= comp.count
        exact = exact and comp.exact
    upper = int(count) if exact else math.comb(sum(mult), total_size)
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
