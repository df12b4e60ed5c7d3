"""The verdict qualified by the design (nero.design.operating): a verdict the design cannot back is
"inconclusive by design", at the edges of both limits, with the rule's outcome kept beside it."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from nero.design.operating import (
    MAX_FALSE_SUPPORT,
    MIN_POWER,
    NO_RATES,
    TOLERANCE,
    agrees_with_truth,
    annotate_claims,
    annotate_record,
    operating_characteristics,
    qualify_verdict,
)

NAN = math.nan


def _operating(rows):
    """Operating rows from (claim, power, power R, false support, false support R), MCSE binomial."""
    out = []
    for claim, power, power_r, null, null_r in rows:
        out.append(
            {
                "claim_id": claim,
                "power_planted": power,
                "power_planted_mcse": math.sqrt(power * (1 - power) / power_r) if power_r else NAN,
                "power_planted_replications": power_r,
                "support_under_null": null,
                "support_under_null_mcse": math.sqrt(null * (1 - null) / null_r) if null_r else NAN,
                "support_under_null_replications": null_r,
                "support_weak": NAN,
                "support_weak_mcse": NAN,
                "support_weak_replications": 0,
                "truth_weak": "",
                "decidable": power >= MIN_POWER - TOLERANCE and null <= MAX_FALSE_SUPPORT + TOLERANCE,
                "design_note": "n",
                "design_reference": "r",
            }
        )
    return pd.DataFrame(out)


def test_the_limits_are_the_briefs():
    assert (MIN_POWER, MAX_FALSE_SUPPORT, TOLERANCE) == (0.80, 0.05, 1e-9)


@pytest.mark.parametrize(
    "power, expected",
    [
        (0.79999, "inconclusive"),  # below .80 by far more than the tolerance
        (0.80 - 2e-9, "inconclusive"),  # below by more than the tolerance
        (0.80 - 5e-10, "not supported"),  # within the tolerance: on the limit
        (0.80, "not supported"),  # exactly on the limit: the verdict stands
        (0.80001, "not supported"),
        (16 / 20, "not supported"),  # a share k / R exactly .80
        (NAN, "not supported"),  # power unknown: the design has not judged it
    ],
)
def test_not_supported_with_power_at_the_edge(power, expected):
    verdict, why = qualify_verdict("not supported", power, 0.05, 80, 0.0, 0.0, 80)
    assert verdict == expected
    assert (why != "") == (expected == "inconclusive")


@pytest.mark.parametrize(
    "null, expected",
    [
        (0.05, "supported"),  # exactly on the limit: the verdict stands
        (1 / 20, "supported"),  # a share k / R exactly .05
        (0.05 + 5e-10, "supported"),  # within the tolerance
        (0.05 + 2e-9, "inconclusive"),  # above by more than the tolerance
        (0.05001, "inconclusive"),
        (0.35, "inconclusive"),
        (NAN, "supported"),  # false support unknown
    ],
)
def test_supported_with_false_support_at_the_edge(null, expected):
    verdict, why = qualify_verdict("supported", 0.95, 0.02, 80, null, 0.02, 140)
    assert verdict == expected
    assert (why != "") == (expected == "inconclusive")


def test_each_limit_touches_only_its_own_direction():
    # low power never touches a "supported"; high false support never touches a "not supported"
    assert qualify_verdict("supported", 0.20, 0.04, 80, 0.0, 0.0, 80) == ("supported", "")
    assert qualify_verdict("not supported", 0.95, 0.02, 80, 0.60, 0.04, 140) == ("not supported", "")
    # both low power and high false support: each rule outcome is qualified by the limit that concerns it
    assert qualify_verdict("supported", 0.20, 0.04, 80, 0.35, 0.04, 140)[0] == "inconclusive"
    assert qualify_verdict("not supported", 0.20, 0.04, 80, 0.35, 0.04, 140)[0] == "inconclusive"
    # an inconclusive rule outcome stays inconclusive, unqualified
    assert qualify_verdict("inconclusive", 0.20, 0.04, 80, 0.35, 0.04, 140) == ("inconclusive", "")
    with pytest.raises(ValueError, match="rule verdict 'maybe'"):
        qualify_verdict("maybe")


def test_the_reason_states_the_figures_in_words():
    _, why = qualify_verdict("not supported", 0.7125, 0.0506, 80, 0.0, 0.0, 80)
    assert why == (
        "inconclusive by design: the rule says not supported, but where the claim is true it supports it in only "
        "71% of studies (power .71, MCSE .05, 80 replicates < .80), so this 'not supported' cannot tell a false "
        "claim from a miss"
    )
    _, why = qualify_verdict("supported", 0.95, 0.02, 80, 0.35, 0.0403, 140)
    assert why == (
        "inconclusive by design: the rule says supported, but where the claim is false it still supports it in "
        "35% of studies (false support .35, MCSE .04, 140 replicates > .05), so this 'supported' cannot tell a "
        "true claim from a false one"
    )


def _claims():
    return pd.DataFrame(
        {
            "claim_id": ["low_power", "on_power", "cmv", "on_null", "both", "rule_open", "no_rates"],
            "statement": ["s"] * 7,
            "verdict": [
                "not supported",
                "not supported",
                "supported",
                "supported",
                "supported",
                "inconclusive",
                "not supported",
            ],
            "flags": [""] * 7,
            "evidence": ["e.csv"] * 7,
            "reason": ["", "", "", "", "", "no rows selected", ""],
        }
    )


def test_annotate_claims_keeps_the_rules_outcome_and_qualifies_the_verdict():
    operating = _operating(
        [
            ("low_power", 0.20, 80, 0.0, 140),
            ("on_power", 0.80, 80, 0.0, 140),
            ("cmv", 1.0, 80, 0.35, 140),
            ("on_null", 1.0, 80, 0.05, 140),
            ("both", 0.20, 80, 0.35, 140),
            ("rule_open", 0.20, 80, 0.35, 140),
        ]
    )
    out = annotate_claims(_claims(), operating)
    assert list(out["claim_id"]) == list(_claims()["claim_id"])  # the claims' order
    got = out.set_index("claim_id")
    assert got["verdict"].to_dict() == {
        "low_power": "inconclusive",
        "on_power": "not supported",
        "cmv": "inconclusive",
        "on_null": "supported",
        "both": "inconclusive",
        "rule_open": "inconclusive",
        "no_rates": "not supported",
    }
    assert got["rule_verdict"].to_dict() == _claims().set_index("claim_id")["verdict"].to_dict()
    assert got["qualified"].to_dict() == {
        "low_power": True,
        "on_power": False,
        "cmv": True,
        "on_null": False,
        "both": True,
        "rule_open": False,
        "no_rates": False,
    }
    assert got["qualified"].dtype == bool
    assert got.loc["low_power", "reason"].startswith("inconclusive by design: the rule says not supported")
    assert got.loc["cmv", "reason"].startswith("inconclusive by design: the rule says supported")
    assert got.loc["rule_open", "reason"] == "no rows selected" == got.loc["rule_open", "rule_reason"]
    assert got.loc["low_power", "rule_reason"] == ""
    assert got.loc["no_rates", "design_note"] == NO_RATES and "has not judged" in NO_RATES
    cols = list(out.columns)
    assert cols[:6] == ["claim_id", "statement", "verdict", "rule_verdict", "qualified", "power_planted"]
    assert cols[-3:] == ["evidence", "reason", "rule_reason"]


def test_annotate_claims_is_idempotent_and_handles_one_row_and_empty_tables():
    operating = _operating([("low_power", 0.20, 80, 0.0, 140)])
    one = annotate_claims(_claims().iloc[:1], operating)
    assert len(one) == 1 and one.iloc[0]["verdict"] == "inconclusive" and one.iloc[0]["rule_verdict"] == "not supported"
    again = annotate_claims(one, operating)  # the rule's columns are the input's, not the qualified ones
    assert again.iloc[0]["verdict"] == "inconclusive"
    empty = annotate_claims(_claims().iloc[:0], operating)
    assert empty.empty and {"verdict", "rule_verdict", "qualified", "rule_reason"} <= set(empty.columns)


def test_annotate_claims_with_no_design_rates_keeps_every_verdict():
    rates = pd.DataFrame(
        {
            "scenario": ["planted_n218", "null_n218"],
            "process": ["planted", "null"],
            "n": [218, 218],
            "claim_id": ["a", "a"],
            "replications": [20, 20],
            "supported": [0.9, 0.0],
        }
    )
    truths = {"planted_n218": {"a": "planted true"}, "null_n218": {"a": "planted false"}}
    operating = operating_characteristics(rates, truths, 218, claim_ids=["a", "z"])
    claims = pd.DataFrame({"claim_id": ["z"], "verdict": ["supported"]})
    out = annotate_claims(claims, operating).iloc[0]
    assert out["verdict"] == "supported" and not out["qualified"] and out["design_note"] == NO_RATES


def test_annotate_record_makes_the_json_tell_the_csvs_verdicts():
    operating = _operating([("low_power", 0.20, 80, 0.0, 140), ("cmv", 1.0, 80, 0.35, 140)])
    table = annotate_claims(_claims(), operating)
    record = {
        "registry_sha256": "x",
        "counts": {"supported": 3, "not supported": 3, "inconclusive": 1},
        "claims": [
            {"claim_id": c, "verdict": v, "reason": r, "figures": [{"label": "f"}], "flags": [], "evidence": ["e.csv"]}
            for c, v, r in zip(_claims()["claim_id"], _claims()["verdict"], _claims()["reason"], strict=True)
        ],
    }
    out = json.loads(json.dumps(annotate_record(record, table), allow_nan=False))  # NaN written as null
    by_id = {c["claim_id"]: c for c in out["claims"]}
    assert {c: by_id[c]["verdict"] for c in by_id} == dict(zip(table["claim_id"], table["verdict"], strict=True))
    assert by_id["low_power"]["rule_verdict"] == "not supported" and by_id["low_power"]["qualified"] is True
    assert by_id["low_power"]["figures"] == [{"label": "f"}] and by_id["low_power"]["evidence"] == ["e.csv"]
    assert by_id["no_rates"]["power_planted"] is None
    assert out["counts"] == {"supported": 2, "not supported": 2, "inconclusive": 3}  # low_power, cmv qualified
    assert out["rule_counts"] == {"supported": 3, "not supported": 3, "inconclusive": 1}
    with pytest.raises(ValueError, match=r"only in the record \[\], only in the table \['both', 'cmv'"):
        annotate_record({"claims": record["claims"][:2]}, table)


@pytest.mark.parametrize(
    "verdict, truth, decidable, agrees",
    [
        ("supported", "planted true", True, True),
        ("inconclusive", "planted true", True, False),  # a decidable claim must get the truth's verdict
        ("not supported", "planted true", True, False),
        ("inconclusive", "planted true", False, True),  # inconclusive by design
        ("supported", "planted true", False, True),
        ("not supported", "planted true", False, False),  # never the opposite verdict
        ("not supported", "planted false", True, True),
        ("inconclusive", "planted false", False, True),
        ("supported", "planted false", False, False),
        ("inconclusive", "not identifiable by this design", False, True),
        ("supported", "not identifiable by this design", False, False),
        ("not supported", "not identifiable by this design", False, False),
    ],
)
def test_agrees_with_truth(verdict, truth, decidable, agrees):
    assert agrees_with_truth(verdict, truth, decidable) is agrees


def test_agrees_with_truth_rejects_unknown_values():
    with pytest.raises(ValueError, match="truth 'true'"):
        agrees_with_truth("supported", "true", True)
    with pytest.raises(ValueError, match="verdict 'yes'"):
        agrees_with_truth("yes", "planted true", True)
