"""The non-response claim's rule (config/claims.yaml) at its edges, on hand-made tables.

Supported: every construct equivalent early vs late (TOST p, Holm over the six, < alpha).
Not supported: some construct differs (difference p, Holm, < alpha) and not every construct is
equivalent. Inconclusive: neither, or a table missing. Holm's largest adjusted p is the largest
raw p when the others are small (multiplier 1), so the last construct's p decides at alpha.
"""

import pandas as pd
import pytest

from nero.claims import evaluate_claims, load_registry
from nero.testing import REPO

REGISTRY = load_registry(REPO / "config" / "claims.yaml")
CLAIM = "survey.no_nonresponse_bias"
CONSTRUCTS = ["INST", "VIRT", "EFF", "MKT", "CAP", "SCO"]
BOUND = REGISTRY.thresholds["nonresponse_equivalence_d"]


def _tables(tost_last, diff_last, bound=BOUND):
    eq = pd.DataFrame({"variable": CONSTRUCTS, "bound_d": bound, "d": 0.0,
                       "p_tost": [0.001] * 5 + [tost_last]})
    nr = pd.DataFrame({"comparison": "early vs late (first vs last 25% of response dates, within wave)",
                       "variable": CONSTRUCTS + ["log_firm_age"], "p": [0.9] * 5 + [diff_last, 0.5]})
    return {"sem/nonresponse_equivalence.csv": eq, "sem/nonresponse.csv": nr}


def _verdict(tables):
    return evaluate_claims(REGISTRY, tables).verdict(CLAIM)


@pytest.mark.parametrize("tost_last,diff_last,expected", [
    (0.0499, 0.9, "supported"),          # just below alpha: every construct equivalent
    (0.05, 0.9, "inconclusive"),         # exactly on alpha (within the registry tolerance): not below
    (0.0501, 0.9, "inconclusive"),       # just above, and no difference: cannot decide
    (0.30, 0.0499 / 6 * 0.999, "not supported"),  # differs after Holm (p * 6 < alpha), not equivalent
    (0.30, 0.0501, "inconclusive"),      # raw p < alpha but Holm-adjusted (x 6) is not
    (0.0499, 0.001, "supported"),        # equivalent and (trivially) different: equivalence decides
])
def test_equivalence_difference_and_their_edges(tost_last, diff_last, expected):
    assert _verdict(_tables(tost_last, diff_last)) == expected


def test_missing_tables_are_inconclusive_never_not_supported():
    tables = _tables(0.30, 0.0001)
    assert _verdict({"sem/nonresponse.csv": tables["sem/nonresponse.csv"]}) == "inconclusive"
    assert _verdict({"sem/nonresponse_equivalence.csv": _tables(0.0499, 0.9)["sem/nonresponse_equivalence.csv"]}) \
        == "supported"  # equivalence shown: the difference table is not needed
    assert _verdict({"sem/nonresponse_equivalence.csv": _tables(0.30, 0.9)["sem/nonresponse_equivalence.csv"]}) \
        == "inconclusive"


def test_a_table_made_with_another_bound_does_not_support():
    assert _verdict(_tables(0.0499, 0.9, bound=BOUND + 0.1)) != "supported"
    assert REGISTRY.thresholds["nonresponse_equivalence_d"] == pytest.approx(0.5)
