"""Power of the early-late TOST and the choice of its bound: nero.sem.equivalence_design.

Oracles: (1) Monte Carlo of normal samples, each decided by a Welch TOST with the bound a
multiple of the sample's pooled SD (vectorised here and checked against statsmodels'
``ttost_ind`` on the first replicates), within 3 Monte Carlo SEs of the closed form;
(2) Monte Carlo of the stand-in's own process with no non-response bias (the null scenario of
nero.simulate at the study's 218 firms; response order random within wave as the generator
draws it), run through :func:`early_late_groups` and :func:`equivalence_tests`; (3) the
table of docs/sem.md, which must be what the function gives. statsmodels has no power
function for the two-sample TOST (only Wellek's F-based oneway equivalence test).
"""

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nero.sem._common import SemInputError
from nero.sem.equivalence_design import (
    choose_equivalence_bound,
    early_late_sizes,
    joint_tost_power,
    tost_power,
)
from nero.testing import REPO

CONSTRUCTS = ["INST", "VIRT", "EFF", "MKT", "CAP", "SCO"]


def _welch_tost_rejects(x, y, bound_d, alpha=0.05):
    """Welch TOST per column of x (n_1 x R) and y (n_2 x R), bound = bound_d * pooled SD."""
    n1, n2 = x.shape[0], y.shape[0]
    v1, v2 = x.var(axis=0, ddof=1), y.var(axis=0, ddof=1)
    bound = bound_d * np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
    se = np.sqrt(v1 / n1 + v2 / n2)
    df = se**4 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    diff = x.mean(axis=0) - y.mean(axis=0)
    p = np.maximum(stats.t.sf((diff + bound) / se, df), stats.t.cdf((diff - bound) / se, df))
    return p < alpha, p, bound


@pytest.mark.parametrize("bound_d,n_1,n_2,true_d", [(0.5, 53, 53, 0.0), (0.8, 53, 53, 0.0), (0.6, 30, 45, 0.2)])
def test_closed_form_against_a_welch_tost_monte_carlo(bound_d, n_1, n_2, true_d):
    from statsmodels.stats.weightstats import ttost_ind

    rng = np.random.default_rng(28)
    r = 20_000
    x = rng.normal(true_d, 1, (n_1, r))
    y = rng.normal(0, 1, (n_2, r))
    rejects, p, bound = _welch_tost_rejects(x, y, bound_d)
    for i in range(5):  # the vectorised TOST is statsmodels' Welch TOST
        assert p[i] == pytest.approx(ttost_ind(x[:, i], y[:, i], -bound[i], bound[i], usevar="unequal")[0], abs=1e-12)
    power = tost_power(bound_d, n_1, n_2, true_d=true_d)
    mcse = math.sqrt(power * (1 - power) / r)
    assert abs(rejects.mean() - power) < 3 * mcse + 1e-3, (rejects.mean(), power, mcse)


def test_closed_form_values_and_the_normal_approximation():
    # at 53 vs 53: c = .5 * sqrt(26.5) - t(.95; 104) = .9143; P(|T_104| < .9143) = .637
    c = 0.5 / math.sqrt(2 / 53) - stats.t.ppf(0.95, 104)
    assert c == pytest.approx(0.9143, abs=1e-4)
    assert tost_power(0.5, 53, 53) == pytest.approx(0.637, abs=1e-3)
    assert tost_power(0.5, 53, 53, method="normal") == pytest.approx(
        2 * stats.norm.cdf(0.5 / math.sqrt(2 / 53) - stats.norm.ppf(0.95)) - 1, abs=1e-12
    )
    assert tost_power(0.8, 53, 53) == pytest.approx(0.984, abs=1e-3)
    assert joint_tost_power(0.8, 53, 53, 6) == pytest.approx(tost_power(0.8, 53, 53) ** 6, abs=1e-15)
    assert joint_tost_power(0.5, 53, 53, 6) == pytest.approx(0.067, abs=1e-3)
    assert tost_power(0.2, 53, 53) == 0.0  # c < 0: the 90% CI can never fit inside +-.2 SD
    assert tost_power(0.5, 53, 53, true_d=0.3) < tost_power(0.5, 53, 53)


def test_group_sizes_of_the_design_are_those_the_study_forms():
    from nero.design.truth import population_sample
    from nero.sem.nonresponse import early_late_groups
    from nero.simulate.codebook import load_codebook
    from nero.simulate.scenarios import scenario_parameters
    from nero.simulate.study import split_firms

    waves = split_firms(218, ("wave-1", "wave-2"))
    assert waves == {"wave-1": 119, "wave-2": 99}
    assert early_late_sizes(waves, 0.25) == (53, 53)
    sample = population_sample(scenario_parameters("null"), 218, load_codebook(), seed=1)
    sample["recorded_date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(len(sample)), unit="h")
    counts = early_late_groups(sample, "recorded_date", 0.25, "wave").value_counts()
    assert (counts["early"], counts["late"]) == (53, 53)
    assert early_late_sizes([3, 4, 7], 0.25) == (2, 2)  # < 4 firms: none; 4 and 7 firms: at least 1 each


@pytest.mark.slow
def test_joint_power_under_the_stand_ins_null_process():
    """The stand-in with no non-response bias (null scenario, 218 firms, random response order).

    Per construct the TOST rejects as often as the closed form says (within 3 MCSE); the joint
    rate is at least the product (Sidak's lower bound; the constructs correlate), 3 MCSE slack.
    """
    from nero.design.truth import population_sample
    from nero.sem.nonresponse import early_late_groups, equivalence_tests
    from nero.simulate.codebook import load_codebook
    from nero.simulate.scenarios import scenario_parameters

    params, codebook, r = scenario_parameters("null"), load_codebook(), 120
    one = {0.5: [], 0.8: []}
    for i in range(r):
        sample = population_sample(params, 218, codebook, seed=20_000 + i)
        order = np.random.default_rng(30_000 + i).permutation(len(sample))
        sample["recorded_date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(order, unit="h")
        groups = early_late_groups(sample, "recorded_date", 0.25, "wave")
        for d in one:
            one[d].append(equivalence_tests(sample, CONSTRUCTS, groups, d)["equivalent"].to_numpy(bool))
    for d, rows in one.items():
        rows = np.array(rows)
        power = tost_power(d, 53, 53)
        # construct-level rate over 6 x r tests; MCSE from r (the constructs correlate: conservative)
        assert abs(rows.mean() - power) < 3 * math.sqrt(power * (1 - power) / r), (d, rows.mean(), power)
        joint = joint_tost_power(d, 53, 53, 6)
        assert rows.all(axis=1).mean() >= joint - 3 * math.sqrt(joint * (1 - joint) / r), (d, joint)
    assert np.array(one[0.8]).all(axis=1).mean() >= 0.80


def test_the_bound_chosen_for_the_study():
    choice = choose_equivalence_bound(53, 53, 6)
    assert choice.chosen == 0.8
    assert choice.minimal_d == pytest.approx(0.734, abs=1e-3)
    assert joint_tost_power(choice.minimal_d, 53, 53, 6) == pytest.approx(0.80, abs=1e-9)
    assert choice.table["meets_target"].tolist() == [False, False, True]
    assert "d = 0.8" in choice.summary() and len(choice.to_frame()) == 3


def test_the_target_at_its_edges():
    at = joint_tost_power(0.8, 53, 53, 6)
    assert choose_equivalence_bound(53, 53, 6, target=at).chosen == 0.8  # exactly on it: reaches
    assert choose_equivalence_bound(53, 53, 6, target=at + 1e-9).chosen is None  # just above: no candidate
    assert choose_equivalence_bound(53, 53, 6, target=0.066).chosen == 0.5  # .067 at .5 just reaches
    assert choose_equivalence_bound(53, 53, 1, target=0.80).chosen == 0.8  # one construct: .637 at .5
    assert choose_equivalence_bound(800, 800, 6, target=0.80).chosen == 0.2  # a large study: .89 at .2


def test_bad_input():
    for bad in (0, -1, float("nan"), "x"):
        with pytest.raises(SemInputError, match="equivalence bound"):
            tost_power(bad, 53, 53)
    with pytest.raises(SemInputError, match="n_2"):
        tost_power(0.5, 53, 1)
    with pytest.raises(SemInputError, match="constructs k"):
        joint_tost_power(0.5, 53, 53, 0)
    with pytest.raises(SemInputError, match="target"):
        choose_equivalence_bound(53, 53, 6, target=1.0)
    with pytest.raises(SemInputError, match="method"):
        tost_power(0.5, 53, 53, method="exact")


def test_the_docs_table_is_what_the_function_gives():
    text = (REPO / "docs" / "sem.md").read_text()
    block = text[text.index("<!-- equivalence-power-table -->") : text.index("<!-- /equivalence-power-table -->")]
    rows = re.findall(r"^\| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|", block, re.M)
    table = choose_equivalence_bound(53, 53, 6).table
    assert len(rows) == len(table)
    for (d, one, normal, joint), (_, row) in zip(rows, table.iterrows()):
        assert (float(d), float(one), float(normal), float(joint)) == pytest.approx(
            (row["bound_d"], row["power_one"], row["power_one_normal"], row["power_joint"]), abs=5e-4
        )
