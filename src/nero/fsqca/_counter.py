"""Exact count and listing of the minimum covers of one chart component -- written by hand.

No library counts the *minimum* covers of a set-cover instance with weighted columns (a
general #SAT counter such as Ganak handles the cardinality constraint poorly: 230 s at
k = 10 where this takes 0.1 s), so this module does it by a memoized branch and count.

``count(U, rel, b)`` is the weighted number of ``b``-subsets of the classes ``rel`` that
cover the rows ``U``. It branches on the uncovered row with the fewest candidates (the
first candidate a subset holds fixes the branch, so each subset is counted once), splits
the rows into independent components, and memoizes every state. At the top ``b`` is the
minimum cover size, so every state with a non-zero count is itself *tight*: ``b`` is the
minimum cover size of ``(U, rel)``. That is what the bounds exploit:

- **LP duality.** ``y``, an optimal dual of the covering LP of the whole component,
  stays feasible for every sub-chart (fewer rows, fewer classes), so ``ceil(y(U))`` is a
  lower bound on the covers of ``U`` at every state (with the packing bound: rows with no
  common class).
- **Reduced-cost fixing.** A class ``c`` can be in a ``b``-cover of ``U`` only if the
  rest covers ``U - c`` with ``b - 1`` classes, which needs ``y(U - c) <= b - 1``. Classes
  that fail are dropped from ``rel`` before the state is looked up, so states that differ
  only in classes no cover can use share one memo entry, and branches that cannot lead to
  a cover are never entered.

On noisy data with 12 conditions (a 40-row chart) this visits about 1,000 states instead
of 180,000. The dual values are scaled to integers and checked class by class, so every
bound is exact integer arithmetic (no floating-point tolerance decides a count).
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

#: Fixed-point scale of the dual values (exact integer arithmetic in every bound).
DUAL_SCALE = 1 << 40


#: Default work budget of one component's count (classes examined; 2-6 CPU seconds).
DEFAULT_WORK_BUDGET = 4_000_000


class _Budget(Exception):
    pass


def _popcount(x: int) -> int:
    return x.bit_count()


def _bits(x: int):
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def covering_dual(U: int, covs: list[int]) -> dict[int, int]:
    """An optimal dual of the covering LP of ``U`` by ``covs``, as integers (scale ``DUAL_SCALE``).

    The returned ``y`` is exactly feasible: for every class, the sum of ``y`` over the rows
    it covers is at most ``DUAL_SCALE`` (checked in integers after rounding down).
    """
    rows = list(_bits(U))
    pos = {r: i for i, r in enumerate(rows)}
    rr, cc = [], []
    for j, cov in enumerate(covs):
        for r in _bits(cov & U):
            rr.append(pos[r])
            cc.append(j)
    a = csr_matrix((np.ones(len(rr)), (rr, cc)), shape=(len(rows), len(covs)))
    res = linprog(np.ones(len(covs)), A_ub=-a, b_ub=-np.ones(len(rows)), bounds=(0, None), method="highs")
    if res.status != 0:  # pragma: no cover - HiGHS failure on a feasible covering LP
        return {r: 0 for r in rows}
    y = np.maximum(-np.asarray(res.ineqlin.marginals, dtype=float), 0.0)
    yi = {r: int(v * DUAL_SCALE) for r, v in zip(rows, y)}
    worst = max((sum(yi[r] for r in _bits(cov & U)) for cov in covs), default=0)
    if worst > DUAL_SCALE:  # rounding pushed a class over 1: scale down, still exact
        yi = {r: v * DUAL_SCALE // worst for r, v in yi.items()}
    return yi


def _times_linear(poly: list[int], w: int, top: int) -> list[int]:
    """``poly * (1 + w z)``, truncated above degree ``top``."""
    out = poly + [0] if len(poly) <= top else list(poly)
    for i in range(len(out) - 1, 0, -1):
        out[i] += w * poly[i - 1]
    return out


def _times(a: list[int], b: list[int], top: int) -> list[int]:
    """``a * b``, truncated above degree ``top``."""
    out = [0] * min(len(a) + len(b) - 1, top + 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b[: top + 1 - i]):
                out[i + j] += x * y
    return out


class ComponentCounter:
    """Weighted count (and listing) of the covers of one component with exactly ``b`` classes.

    Parameters
    ----------
    U0 : int
        Bitmask of the component's rows.
    cls : list of int
        Class ids of the component.
    class_cov : list of int
        Coverage bitmask of every class (indexed by class id).
    mult : list of int
        Number of prime implicants of every class (the weight of a class).
    budget : int
        Memory budget of the memo, in 64-bit words; :class:`_Budget` is raised past it.
    work_budget : int
        Work budget of the count, in classes examined by the reduced-cost fixing (a
        deterministic stand-in for time: about 0.5-1 million per CPU second);
        :class:`_Budget` is raised past it.
    """

    def __init__(
        self,
        U0: int,
        cls: list[int],
        class_cov: list[int],
        mult: list[int],
        budget: int,
        work_budget: int = DEFAULT_WORK_BUDGET,
    ):
        self.order = sorted(cls, key=lambda j: (-_popcount(class_cov[j] & U0), j))
        self.cov = [class_cov[j] & U0 for j in self.order]
        self.w = [mult[j] for j in self.order]
        self.rows_of = [list(_bits(c)) for c in self.cov]
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
        self.y = covering_dual(U0, self.cov) if len(rows) > 1 else {r: 0 for r in rows}
        self.cache: dict[tuple[int, int, int], int] = {}
        self.words = 0
        self.budget = budget
        self.work = 0
        self.work_budget = work_budget
        self.key_words = len(self.order) // 64 + len(rows) // 64 + 3

    # -- bounds -------------------------------------------------------------------------
    def _ysum(self, U: int) -> int:
        y = self.y
        s = 0
        for r in _bits(U):
            s += y[r]
        return s

    def lower(self, U: int) -> int:
        """A lower bound on the number of classes that cover ``U`` (packing and LP dual)."""
        n = 0
        V = U
        for r in self.rorder:
            if (V >> r) & 1:
                V &= ~self.nb[r]
                n += 1
                if not V:
                    break
        return max(n, -(-self._ysum(U) // DUAL_SCALE))

    def _rel(self, U: int, rel0: int, b: int | None = None) -> int:
        """The classes of ``rel0`` that can be in a ``b``-cover of ``U`` (-1: no cover)."""
        rel = 0
        x = U
        while x:
            low = x & -x
            c = self.cand[low.bit_length() - 1] & rel0
            if not c:
                return -1
            rel |= c
            x ^= low
        if b is None:
            return rel
        need = self._ysum(U) - (b - 1) * DUAL_SCALE  # y(c & U) must reach this
        if need <= 0:
            return rel
        y = self.y
        kept = 0
        self.work += _popcount(rel)
        if self.work > self.work_budget:
            raise _Budget
        for p in _bits(rel):
            s = 0
            for r in self.rows_of[p]:
                if (U >> r) & 1:
                    s += y[r]
            if s >= need:
                kept |= 1 << p
        x = U
        while x:
            low = x & -x
            if not self.cand[low.bit_length() - 1] & kept:
                return -1
            x ^= low
        return kept

    def upper(self, b: int) -> int:
        """An upper bound on ``count(U0, all, b)`` that needs no search.

        Rows of a packing (no class covers two of them) have disjoint candidate sets, and
        every cover holds at least one candidate of each; so the weighted number of
        ``b``-subsets of the classes that can be in a ``b``-cover (after reduced-cost fixing)
        and hit every packing row's candidates bounds the count:
        ``[z^b] prod_r (prod_{c in cand(r)} (1 + w_c z) - 1) * prod_{other c} (1 + w_c z)``.
        """
        U0 = 0
        for r in self.rorder:
            U0 |= 1 << r
        budget, self.work_budget = self.work_budget, float("inf")  # one pass, not a search
        try:
            rel = self._rel(U0, (1 << len(self.order)) - 1, b)
        finally:
            self.work_budget = budget
        if rel < 0:
            return 0
        packing, V = [], U0
        for r in self.rorder:
            if (V >> r) & 1:
                V &= ~self.nb[r]
                packing.append(r)
        used = 0
        poly = [1]
        for r in packing:
            group = self.cand[r] & rel
            used |= group
            factor = [1]
            for p in _bits(group):
                factor = _times_linear(factor, self.w[p], b)
            factor[0] -= 1  # at least one candidate of r
            poly = _times(poly, factor, b)
        for p in _bits(rel & ~used):
            poly = _times_linear(poly, self.w[p], b)
        return poly[b] if b < len(poly) else 0

    # -- structure ----------------------------------------------------------------------
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

    def _branch(self, U: int, rel: int) -> int:
        """The candidates of the uncovered row with the fewest candidates (the row to branch on)."""
        best, bn = 0, 1 << 30
        for r in _bits(U):
            c = self.cand[r] & rel
            n = _popcount(c)
            if n < bn:
                best, bn = c, n
        return best

    def _state(self, U: int, rel0: int, b: int):
        """The memo key of a state, or None when it has no cover."""
        if self.lower(U) > b:
            return None
        rel = self._rel(U, rel0, b)
        if rel < 0:
            return None
        return rel

    # -- count --------------------------------------------------------------------------
    def count(self, U: int, rel0: int, b: int) -> int:
        if U == 0:
            return 1 if b == 0 else 0
        if b == 0:
            return 0
        rel = self._state(U, rel0, b)
        if rel is None:
            return 0
        key = (U, rel, b)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        self.words += self.key_words
        if self.words > self.budget:
            raise _Budget
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
            total = 0
            ban = 0
            for p in _bits(self._branch(U, rel)):
                total += self.w[p] * self.count(U & ~self.cov[p], rel & ~ban & ~(1 << p), b - 1)
                ban |= 1 << p
        self.cache[key] = total
        return total

    # -- listing ------------------------------------------------------------------------
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
        nodes[0] -= 1
        if nodes[0] < 0:
            raise _Budget
        rel = self._state(U, rel0, b)
        if rel is None:
            return
        ban = 0
        for p in _bits(self._branch(U, rel)):
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
        """Class covers (tuples of positions) counted by ``count(U, rel0, b)``, in branch order."""
        if U == 0:
            if b == 0:
                yield ()
            return
        if b == 0 or not self.count(U, rel0, b):
            return
        rel = self._state(U, rel0, b)
        parts = self._split(U, rel, b)
        if parts is not None:
            sizes = [sorted(vec) for _, _, vec in parts]
            for alloc in itertools.product(*sizes):
                if sum(alloc) != b:
                    continue
                factories = [(c, crel, bb) for (c, crel, _), bb in zip(parts, alloc)]
                yield from self._product(factories)
            return
        ban = 0
        for p in _bits(self._branch(U, rel)):
            child_rel = rel & ~ban & ~(1 << p)
            rest = U & ~self.cov[p]
            if self.count(rest, child_rel, b - 1):
                for tail in self.covers(rest, child_rel, b - 1):
                    yield (p,) + tail
            ban |= 1 << p
