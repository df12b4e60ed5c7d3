"""The non-response claim's rule (config/claims.yaml) at its edges, on hand-made tables.

Supported: every construct equivalent early vs late (each TOST p < alpha, unadjusted: an
intersection-union test, Berger 1982). Not supported: some construct differs (difference p,
Holm over the six, < alpha) and not every construct is equivalent. Inconclusive: neither, or a
table missing.
"""

import pandas as pd
import pytest

from nero.claims import evaluate_claims, load_registry
from nero.testing import REPO

REGISTRY = load_registry(REPO / "config" / "claims.yaml")
CLAIM = "survey.no_nonresponse_bias"
CONSTRUCTS = ["INST", "VIRT", "EFF", "MKT", "CAP", "SCO"]
BOUND = REGISTRY.thresholds["nonresponse_equivalence_d"]


def _tables(tost_last, diff_last, bound=BOUND, tost_others=0.001):
    eq = pd.DataFrame({"variable": CONSTRUCTS, "bound_d": bound, "d": 0.0, "p_tost": [tost_others] * 5 + [tost_last]})
    nr = pd.DataFrame(
        {
            "comparison": "early vs late (first vs last 25% of response dates, within wave)",
            "variable": CONSTRUCTS + ["log_firm_age"],
            "p": [0.9] * 5 + [diff_last, 0.5],
        }
    )
    return {"sem/nonresponse_equivalence.csv": eq, "sem/nonresponse.csv": nr}


def _verdict(tables):
    return evaluate_claims(REGISTRY, tables).verdict(CLAIM)


@pytest.mark.parametrize(
    "tost_last,diff_last,expected",
    [
        (0.0499, 0.9, "supported"),  # just below alpha: every construct equivalent
        (0.05, 0.9, "inconclusive"),  # exactly on alpha (within the registry tolerance): not below
        (0.0501, 0.9, "inconclusive"),  # just above, and no difference: cannot decide
        (0.30, 0.0499 / 6 * 0.999, "not supported"),  # differs after Holm (p * 6 < alpha), not equivalent
        (0.30, 0.0501, "inconclusive"),  # raw p < alpha but Holm-adjusted (x 6) is not
        (0.0499, 0.001, "supported"),  # equivalent and (trivially) different: equivalence decides
    ],
)
def test_equivalence_difference_and_their_edges(tost_last, diff_last, expected):
    assert _verdict(_tables(tost_last, diff_last)) == expected


@pytest.mark.parametrize(
    "tost_last,expected",
    [
        (0.0499, "supported"),  # every TOST p just below alpha: equivalent, no adjustment (Holm: .30)
        (0.05, "inconclusive"),  # one exactly at alpha: not below
        (0.0501, "inconclusive"),  # one just above
    ],
)
def test_intersection_union_every_tost_at_alpha_unadjusted(tost_last, expected):
    assert _verdict(_tables(tost_last, 0.9, tost_others=0.0499)) == expected


def test_missing_tables_are_inconclusive_never_not_supported():
    tables = _tables(0.30, 0.0001)
    assert _verdict({"sem/nonresponse.csv": tables["sem/nonresponse.csv"]}) == "inconclusive"
    assert (
        _verdict({"sem/nonresponse_equivalence.csv": _tables(0.0499, 0.9)["sem/nonresponse_equivalence.csv"]})
        == "supported"
    )  # equivalence shown: the difference table is not needed
    assert (
        _verdict({"sem/nonresponse_equivalence.csv": _tables(0.30, 0.9)["sem/nonresponse_equivalence.csv"]})
        == "inconclusive"
    )


def test_a_table_made_with_another_bound_does_not_support():
    assert _verdict(_tables(0.0499, 0.9, bound=BOUND + 0.1)) != "supported"
    assert REGISTRY.thresholds["nonresponse_equivalence_d"] == pytest.approx(0.8)


def test_the_registry_bound_is_the_design_choice_and_the_config_agrees():
    """The bound is the smallest conventional d with joint power >= .80 at the design's group sizes."""
    import yaml

    from nero.sem.equivalence_design import choose_equivalence_bound, early_late_sizes
    from nero.simulate.study import split_firms

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    n_study = config["design"]["scenarios"]["planted_n218"]["n"]
    n_1, n_2 = early_late_sizes(split_firms(n_study, ("wave-1", "wave-2")), config["sem"]["early_late_quantile"])
    choice = choose_equivalence_bound(n_1, n_2, len(CONSTRUCTS), REGISTRY.thresholds["alpha"])
    assert choice.chosen == BOUND == config["sem"]["nonresponse_equivalence_d"]
