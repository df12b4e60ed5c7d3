"""Prime implicants of a truth table -- written by hand (no library does this).

A term is a pair ``(mask, bits)`` of row codes (bit ``k-1-j`` stands for condition
``j``): the conditions it uses and their values. It covers the rows ``r`` with
``r & mask == bits``. Given the set of *allowed* rows (rows a term may cover: the
positive rows, plus the remainders used as don't cares), a term is an implicant when
every row it covers is allowed, and a prime implicant when no term with one literal
less is an implicant (implicants are closed under adding literals, so this suffices).

Only prime implicants covering at least one positive row matter (R QCA's PI chart). All
of them are found from the positive rows: for a positive row ``r`` and a mask ``M``, the
term ``(M, r & M)`` covers the rows ``r ^ d`` for ``d`` a subset of the free conditions
``~M``, so it is an implicant iff ``all(allowed[r ^ d] for d subset of ~M)``. For all
``2^k`` masks at once this is a subset-AND transform of ``allowed[r ^ .]`` (``k``
vectorised passes), and primality another ``k`` passes: ``O(k 2^k)`` per positive row,
exact, with no search over term complexity. This replaces CCubes' search by increasing
complexity and finds the same set of prime implicants (CCubes may stop before the most
complex ones; this never does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nero.fsqca._errors import MinimizationError

#: The prime implicant search works on arrays of 2^k rows.
MAX_CONDITIONS = 20


@dataclass
class PrimeImplicants:
    """Prime implicants and the positive rows each one covers."""

    masks: np.ndarray  # int64, one per PI
    bits: np.ndarray  # int64
    coverage: np.ndarray  # bool, n_pi x n_positive (columns follow ``positive``)
    positive: np.ndarray  # int64 row codes of the positive rows

    def __len__(self) -> int:
        return int(self.masks.size)


def _subset_and(a: np.ndarray, k: int) -> None:
    """In place: a[S] = AND of a[T] over subsets T of S (superset-closed AND transform)."""
    for b in range(k):
        v = a.reshape(-1, 2, 1 << b)
        v[:, 1, :] &= v[:, 0, :]


def _has_implicant_below(imp: np.ndarray, k: int) -> np.ndarray:
    """For every mask M: is some M minus one bit an implicant?"""
    out = np.zeros_like(imp)
    for b in range(k):
        vi = imp.reshape(-1, 2, 1 << b)
        vo = out.reshape(-1, 2, 1 << b)
        vo[:, 1, :] |= vi[:, 0, :]
    return out


def find_prime_implicants(k: int, positive: np.ndarray, allowed: np.ndarray) -> PrimeImplicants:
    """All prime implicants covering at least one positive row.

    Parameters
    ----------
    k : int
        Number of conditions (at most :data:`MAX_CONDITIONS`).
    positive : array of int
        Codes of the rows to explain (each must be allowed).
    allowed : bool array of length 2^k
        Rows a term may cover (positive rows and don't-care remainders).
    """
    if k > MAX_CONDITIONS:
        raise MinimizationError(f"{k} conditions; the exact minimizer handles at most {MAX_CONDITIONS}")
    positive = np.asarray(positive, dtype=np.int64)
    full = (1 << k) - 1
    idx = np.arange(1 << k, dtype=np.int64)
    keys_parts = []
    rows_parts = []
    for ri, r in enumerate(positive.tolist()):
        g = allowed[idx ^ r]  # g[d] = allowed(r ^ d)
        _subset_and(g, k)  # g[F] = all rows r ^ d, d subset of F, allowed
        imp = g[::-1].copy()  # imp[M] = g[full ^ M] = g[full - M]
        prime = imp & ~_has_implicant_below(imp, k)
        masks = np.flatnonzero(prime).astype(np.int64)
        if masks.size == 0:
            continue
        keys_parts.append((masks << k) | (r & masks))
        rows_parts.append(np.full(masks.size, ri, dtype=np.int64))
    if not keys_parts:
        return PrimeImplicants(
            np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, positive.size), bool), positive
        )
    keys = np.concatenate(keys_parts)
    rows = np.concatenate(rows_parts)
    uniq, inverse = np.unique(keys, return_inverse=True)
    coverage = np.zeros((uniq.size, positive.size), dtype=bool)
    coverage[inverse, rows] = True
    masks = uniq >> k
    bits = uniq & full
    return PrimeImplicants(masks=masks, bits=bits, coverage=coverage, positive=positive)


def term_covers(mask: int, bits: int, codes: np.ndarray) -> np.ndarray:
    """Which of ``codes`` the term ``(mask, bits)`` covers."""
    return (np.asarray(codes, dtype=np.int64) & mask) == bits


def rows_of_term(mask: int, bits: int, k: int) -> np.ndarray:
    """All row codes covered by a term (2^(k - literals) of them)."""
    free = [b for b in range(k) if not (mask >> b) & 1]
    base = np.array([bits], dtype=np.int64)
    for b in free:
        base = np.concatenate([base, base | (1 << b)])
    return np.sort(base)
