"""Equivalence (TOST) of early and late respondents: nero.sem.nonresponse.equivalence_tests.

Oracle: a hand-worked case whose Welch SE and df are whole numbers (early 1..5, late 2..6:
difference -1, variances 2.5, SE = 1, df = 8, pooled SD sqrt(2.5)), the two one-sided t
statistics written out and referred to Student's t with scipy; statsmodels' ttost_ind is
the library the function calls, so the oracle is computed without it.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nero.sem._common import SemInputError
from nero.sem.nonresponse import equivalence_tests


def _frame(early, late, name="X"):
    values = [*early, *late]
    groups = pd.Series(["early"] * len(early) + ["late"] * len(late))
    return pd.DataFrame({name: values}), groups


def test_hand_worked_tost():
    data, groups = _frame([1, 2, 3, 4, 5], [2, 3, 4, 5, 6])
    row = equivalence_tests(data, ["X"], groups, bound_d=1.0).iloc[0]
    bound = math.sqrt(2.5)
    assert row["difference"] == pytest.approx(-1.0, abs=1e-12)
    assert row["pooled_sd"] == pytest.approx(bound, abs=1e-12)
    assert row["df"] == pytest.approx(8.0, abs=1e-9)
    assert row["t_lower"] == pytest.approx(-1.0 + bound, abs=1e-9)  # (diff - (-bound)) / SE, SE = 1
    assert row["t_upper"] == pytest.approx(-1.0 - bound, abs=1e-9)  # (diff - bound) / SE
    assert row["p_lower"] == pytest.approx(stats.t.sf(-1.0 + bound, 8), abs=1e-12)
    assert row["p_upper"] == pytest.approx(stats.t.cdf(-1.0 - bound, 8), abs=1e-12)
    assert row["p_tost"] == pytest.approx(0.2885, abs=5e-4)  # max of the two: P(T_8 > 0.5811)
    assert row["p_tost"] == pytest.approx(max(row["p_lower"], row["p_upper"]), abs=1e-15)
    assert row["ci90_low"] == pytest.approx(-1 - stats.t.ppf(0.95, 8), abs=1e-9)
    assert row["equivalent"] is False or row["equivalent"] == False  # noqa: E712 - one variable: Holm = raw


def test_the_90_percent_interval_inside_the_bounds_is_the_tost_at_05():
    rng = np.random.default_rng(3)
    for _ in range(50):
        data, groups = _frame(rng.normal(0, 1, 40), rng.normal(rng.normal(0, 0.3), 1, 45))
        row = equivalence_tests(data, ["X"], groups, bound_d=0.5).iloc[0]
        inside = row["bound_low"] < row["ci90_low"] and row["ci90_high"] < row["bound_high"]
        assert inside == (row["p_tost"] < 0.05)


def test_each_tost_at_alpha_without_adjustment():
    """Intersection-union (Berger 1982): 'equivalent' is each TOST's own p < alpha, never a Holm p.

    Three variables whose TOST p lie between alpha / 3 and alpha: each is equivalent unadjusted
    (Holm would have declared none of them equivalent: its smallest adjusted p is 3 p_min > alpha).
    """
    rng = np.random.default_rng(5)
    found = None
    for _ in range(400):
        early, late = rng.normal(0, 1, (3, 60)), rng.normal(0, 1, (3, 60))
        data = pd.DataFrame({c: [*early[i], *late[i]] for i, c in enumerate("ABC")})
        groups = pd.Series(["early"] * 60 + ["late"] * 60)
        t = equivalence_tests(data, ["A", "B", "C"], groups, bound_d=0.4)
        if ((t["p_tost"] > 0.05 / 3) & (t["p_tost"] < 0.05)).all():
            found = t
            break
    assert found is not None
    assert "p_tost_holm" not in found.columns
    assert found["equivalent"].tolist() == [True, True, True]
    assert (found["p_tost"] * 3 > 0.05).all()  # Holm's smallest adjusted p: none would pass


def test_equivalent_at_the_edges_of_alpha():
    """p just below alpha: equivalent; exactly at alpha (within P_TOL) and just above: not."""
    data, groups = _frame([1, 2, 3, 4, 5], [2, 3, 4, 5, 6])
    p = float(equivalence_tests(data, ["X"], groups, bound_d=1.0).iloc[0]["p_tost"])  # .2885 (hand-worked above)
    for alpha, expected in ((p + 1e-6, True), (p, False), (p - 1e-6, False)):
        row = equivalence_tests(data, ["X"], groups, bound_d=1.0, alpha=alpha).iloc[0]
        assert bool(row["equivalent"]) is expected, (alpha, p)


def test_bad_bound_and_small_groups():
    data, groups = _frame([1, 2, 3], [2, 3, 4])
    for bad in (0, -0.5, float("nan"), "half"):
        with pytest.raises(SemInputError, match="equivalence bound"):
            equivalence_tests(data, ["X"], groups, bound_d=bad)
    data, groups = _frame([1.0], [2, 3, 4])
    row = equivalence_tests(data, ["X"], groups, bound_d=0.5).iloc[0]
    assert math.isnan(row["p_tost"]) and row["equivalent"] is None
    with pytest.raises(SemInputError, match="'Y'"):
        equivalence_tests(data, ["Y"], groups, bound_d=0.5)
