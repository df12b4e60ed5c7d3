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
    assert row["t_lower"] == pytest.approx(-1.0 + bound, abs=1e-9)     # (diff - (-bound)) / SE, SE = 1
    assert row["t_upper"] == pytest.approx(-1.0 - bound, abs=1e-9)     # (diff - bound) / SE
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


def test_holm_over_the_family_and_its_edges():
    rng = np.random.default_rng(11)
    early = rng.normal(0, 1, 400)
    late = rng.normal(0, 1, 400)
    data = pd.DataFrame({"A": [*early, *late], "B": [*early, *(late + 0.05)], "C": [*early, *(late + 0.6)]})
    groups = pd.Series(["early"] * 400 + ["late"] * 400)
    t = equivalence_tests(data, ["A", "B", "C"], groups, bound_d=0.5).set_index("variable")
    p = t["p_tost"].to_numpy()
    order = np.argsort(p)
    holm = np.maximum.accumulate(np.minimum(1, p[order] * np.array([3, 2, 1])))
    expected = np.empty(3)
    expected[order] = holm
    assert t["p_tost_holm"].to_numpy() == pytest.approx(expected, abs=1e-12)
    assert bool(t.loc["A", "equivalent"]) and not bool(t.loc["C", "equivalent"])


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
