"""Robustness verdicts of the main configurations (nero.fsqca.study.verdicts_table) at their edges.

Robust: at least 80% of the test sets of every family; moderately robust: at least 50% of every
family; otherwise fragile. The overall share never decides (most runs are subsamples).
"""

import pandas as pd
import pytest

from nero.fsqca.study import verdicts_table


def _survival(anchors, cuts, subsamples, runs=(12, 10, 50)):
    shares = {"anchors": anchors, "cuts": cuts, "subsamples": subsamples}
    rows = [
        {"configuration": "A*B", "family": f, "runs": n, "survived": round(shares[f] * n), "share": shares[f]}
        for f, n in zip(shares, runs)
    ]
    total = sum(r["survived"] for r in rows) / sum(runs)
    return pd.DataFrame(
        rows
        + [
            {
                "configuration": "A*B",
                "family": "all",
                "runs": sum(runs),
                "survived": sum(r["survived"] for r in rows),
                "share": total,
            }
        ]
    )


@pytest.mark.parametrize(
    "anchors,cuts,subsamples,expected",
    [
        (0.8, 0.9, 1.0, "robust"),  # exactly on .80 in the weakest family
        (0.8 - 1e-6, 0.9, 1.0, "moderately robust"),
        (0.5, 0.7, 0.86, "moderately robust"),  # exactly on .50 (the shipped VIRT*EFF*CAP under anchors)
        (0.5 - 1e-6, 0.7, 0.86, "fragile"),
        (0.25, 1.0, 1.0, "fragile"),  # 88% of all runs, but fails three anchor shifts in four
    ],
)
def test_each_family_must_be_survived(anchors, cuts, subsamples, expected):
    row = verdicts_table(["A*B"], _survival(anchors, cuts, subsamples)).iloc[0]
    assert row["verdict"].split(":")[0] == expected
    assert row["survival_worst_family"] == pytest.approx(min(anchors, cuts, subsamples))


def test_the_overall_share_alone_no_longer_passes():
    survival = _survival(0.25, 1.0, 1.0)
    assert survival.set_index("family").loc["all", "share"] > 0.85
    assert (
        verdicts_table(["A*B"], survival)
        .iloc[0]["verdict"]
        .startswith("fragile: survives only 25% of the test sets under anchors")
    )
