"""Design analysis of the early-late equivalence tests: power of the TOST and choice of its bound.

The non-response claim is supported when every construct is shown equivalent early vs late
(:func:`nero.sem.nonresponse.equivalence_tests`). That joint claim is an intersection-union
test (Berger 1982; Berger & Hsu 1996): each TOST at alpha, no multiplicity adjustment. Its
power depends on the bound (in pooled SDs), the two group sizes and the number of
constructs, all known before the data, so the bound is chosen here from the design
(Lakens 2017 lists such resource-based bounds as one justification of an equivalence bound).

Written by hand because statsmodels has no power function for the two-sample TOST (its
``power_equivalence_oneway`` is Wellek's F-based equivalence test, a different test); the
formula is Student's noncentral t, from scipy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from scipy import stats

from ._common import SemInputError, frame_text

#: Cohen's (1988) conventional standardised differences: small, medium, large.
COHEN_D = (0.2, 0.5, 0.8)


def _check(bound_d: float, n_1: int, n_2: int, alpha: float) -> None:
    if not (isinstance(bound_d, (int, float)) and math.isfinite(bound_d) and bound_d > 0):
        raise SemInputError(f"equivalence bound: expected a positive number of standard deviations, got {bound_d!r}")
    for name, n in (("n_1", n_1), ("n_2", n_2)):
        if not (isinstance(n, int) and n >= 2):
            raise SemInputError(f"group size {name}: expected an integer >= 2, got {n!r}")
    if not (0 < alpha < 0.5):
        raise SemInputError(f"alpha: expected a number in (0, .5), got {alpha!r}")


def tost_power(
    bound_d: float, n_1: int, n_2: int, alpha: float = 0.05, true_d: float = 0.0, method: str = "t"
) -> float:
    """Power of one two-sample TOST with bounds of +-``bound_d`` pooled SDs.

    With the bound a multiple of the pooled SD ``s``, the TOST rejects exactly when
    ``|T| < c``, ``T = diff / (s k)``, ``k = sqrt(1/n_1 + 1/n_2)``, ``c = bound_d / k -
    t(1 - alpha; nu)``, ``nu = n_1 + n_2 - 2``; ``T`` is noncentral t with ``nu`` df and
    noncentrality ``true_d / k``. So the power is ``P(-c < T < c)`` (0 when ``c <= 0``):
    exact for Student's TOST; for Welch's (what :func:`equivalence_tests` runs) the statistic
    is the same at equal group sizes and its df are at most ``nu`` (an approximation, checked
    by Monte Carlo in the tests). ``method='normal'``: ``c = bound_d / k - z(1 - alpha)``,
    ``T`` normal.

    Parameters
    ----------
    bound_d : float
        Equivalence bound in pooled SDs (> 0).
    n_1, n_2 : int
        Group sizes (>= 2).
    alpha : float
        Level of each one-sided test.
    true_d : float
        True standardised difference (0: no non-response bias).
    method : {'t', 'normal'}
    """
    _check(bound_d, n_1, n_2, alpha)
    k = math.sqrt(1 / n_1 + 1 / n_2)
    nu = n_1 + n_2 - 2
    if method == "t":
        c = bound_d / k - float(stats.t.ppf(1 - alpha, nu))
        dist = stats.nct(nu, true_d / k) if true_d else stats.t(nu)
    elif method == "normal":
        c = bound_d / k - float(stats.norm.ppf(1 - alpha))
        dist = stats.norm(true_d / k)
    else:
        raise SemInputError(f"method: expected 't' or 'normal', got {method!r}")
    if c <= 0:
        return 0.0
    return float(dist.cdf(c) - dist.cdf(-c))


def joint_tost_power(bound_d: float, n_1: int, n_2: int, k: int, alpha: float = 0.05, method: str = "t") -> float:
    """Power of "all ``k`` constructs equivalent" (intersection-union, each TOST at alpha), no true difference.

    The product of the ``k`` single powers: exact when the constructs' statistics are
    independent, and a lower bound whatever their correlation under the normal
    approximation (Sidak 1967: for centred jointly normal statistics the probability that
    all lie in symmetric intervals is at least the product of the marginal ones). The
    correlation of the constructs is not known before the data, so the design uses the bound.
    """
    if not (isinstance(k, int) and k >= 1):
        raise SemInputError(f"number of constructs k: expected an integer >= 1, got {k!r}")
    return tost_power(bound_d, n_1, n_2, alpha, 0.0, method) ** k


def early_late_sizes(wave_sizes: Mapping[str, int] | Sequence[int], quantile: float) -> tuple[int, int]:
    """Sizes of the early and late groups that :func:`nero.sem.nonresponse.early_late_groups` forms.

    Per wave of ``n`` firms (with dates), ``floor(quantile * n)`` firms (at least 1) are
    early and as many late; waves of fewer than 4 firms contribute none.
    """
    sizes = list(wave_sizes.values()) if isinstance(wave_sizes, Mapping) else list(wave_sizes)
    if not 0 < quantile <= 0.5:
        raise SemInputError(f"early_late_quantile: expected a number in (0, .5], got {quantile!r}")
    total = 0
    for n in sizes:
        if n >= 4:
            total += max(math.floor(quantile * n), 1)
    return total, total


@dataclass
class BoundChoice:
    """Joint power of the early-late equivalence claim at candidate bounds, and the chosen bound."""

    table: pd.DataFrame
    chosen: float | None
    minimal_d: float
    n_1: int
    n_2: int
    k: int
    alpha: float
    target: float

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        chosen = "none of the candidates" if self.chosen is None else f"d = {self.chosen:g}"
        return (
            f"Early-late equivalence (TOST, {self.k} constructs, intersection-union, alpha {self.alpha}) at "
            f"{self.n_1} vs {self.n_2} firms: smallest candidate with joint power >= {self.target}: {chosen} "
            f"(smallest d reaching it: {self.minimal_d:.3f})\n{frame_text(self.table)}"
        )


def choose_equivalence_bound(
    n_1: int, n_2: int, k: int, alpha: float = 0.05, target: float = 0.80, candidates: Sequence[float] = COHEN_D
) -> BoundChoice:
    """Smallest candidate bound whose joint TOST power (no true difference) reaches ``target``.

    Returns the single-construct power (noncentral t and normal approximation) and the joint
    power (product, :func:`joint_tost_power`) at each candidate, and the smallest bound
    reaching the target on the continuous scale (root of joint power - target, scipy brentq).
    """
    if not 0 < target < 1:
        raise SemInputError(f"target power: expected a number in (0, 1), got {target!r}")
    rows = []
    for d in sorted(float(c) for c in candidates):
        rows.append(
            {
                "bound_d": d,
                "n_1": n_1,
                "n_2": n_2,
                "k": k,
                "power_one": tost_power(d, n_1, n_2, alpha),
                "power_one_normal": tost_power(d, n_1, n_2, alpha, method="normal"),
                "power_joint": joint_tost_power(d, n_1, n_2, k, alpha),
            }
        )
    table = pd.DataFrame(rows)
    table["meets_target"] = table["power_joint"] >= target
    chosen = float(table.loc[table["meets_target"], "bound_d"].min()) if table["meets_target"].any() else None
    hi = 1.0
    while joint_tost_power(hi, n_1, n_2, k, alpha) < target:
        hi *= 2
    from scipy.optimize import brentq

    minimal = float(brentq(lambda d: joint_tost_power(d, n_1, n_2, k, alpha) - target, 1e-6, hi, xtol=1e-10))
    return BoundChoice(table, chosen, minimal, n_1, n_2, k, alpha, target)
