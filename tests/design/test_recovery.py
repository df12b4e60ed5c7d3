"""nero.design.recovery: the planted-versus-recovered table, at the edges of its agreement rules,
and on the shipped synthetic study (its truth map against results-reference/)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from nero.design.recovery import PARAMETERS, RecoveryError, planted_vs_recovered, recovery_tables

ROOT = Path(__file__).resolve().parents[2]
TOL = {"effect": 0.02, "both_share_min": 0.1, "necessity_min": 0.9, "relevance_min": 0.5}


def _tables(b=0.3, lo=0.1, hi=0.5, total=-0.12, total_p=0.002, incl=0.95, ron=0.5, both=(0.9, 0.9, 0.1, 0.1)):
    """Minimal result tables holding one row for every declared parameter."""
    n = len(both)
    return {
        "sem/ambidexterity_moderation.csv": pd.DataFrame(
            {
                "outcome": ["CAP", "CAP"],
                "term": ["INST", "INST:VIRT"],
                "b": [9.0, b],
                "ci_low": [9.0, lo],
                "ci_high": [9.0, hi],
            }
        ),
        "sem/mediation_type.csv": pd.DataFrame(
            {"x": ["AMB"], "m": ["CAP"], "y": ["SCO"], "total": [total], "total_p": [total_p]}
        ),
        "sem/process_equations.csv": pd.DataFrame(
            {
                "process_model": ["model 4"] * 2,
                "outcome": ["SCO"] * 2,
                "term": ["AMB", "CAP"],
                "coeff": [-0.2, 0.5],
                "llci": [-0.3, 0.3],
                "ulci": [-0.1, 0.6],
            }
        ),
        "sem/indirect_effects.csv": pd.DataFrame(
            {"effect": ["indirect"], "mediator": ["CAP"], "estimate": [0.1], "pct_lower": [0.05], "pct_upper": [0.2]}
        ),
        "sem/capacity_boosting.csv": pd.DataFrame(
            {"predictor": ["MKT"], "outcome": ["CAP"], "b": [0.05], "ci_low": [-0.05], "ci_high": [0.15]}
        ),
        "fsqca/memberships.csv": pd.DataFrame(
            {"INST": list(both), "VIRT": list(both), "EFF": [0.9] * n, "MKT": [0.1] * n}
        ),
        "fsqca/necessity.csv": pd.DataFrame({"expression": ["CAP"], "inclN": [incl], "RoN": [ron]}),
    }


def _truth(**population):
    pop = {
        "amb_on_cap": 0.47,
        "amb_total_on_sco": -0.12,
        "amb_direct_on_sco": -0.43,
        "cap_on_sco": 0.67,
        "amb_indirect_via_cap": 0.31,
        "mkt_on_cap": 0.01,
        "both_INST_VIRT": 0.22,
        "both_EFF_MKT": 0.05,
        "cap_necessity_inclN": 0.95,
        "cap_necessity_RoN": 0.6375,
        **population,
    }
    return {
        "synthetic": True,
        "population": pop,
        "tolerances": TOL,
        "claims": {
            "a": {"truth": "planted true", "why": "A"},
            "b": {"truth": "planted false", "why": "B"},
            "c": {"truth": "not identifiable by this design", "why": "C"},
        },
    }


CLAIMS = pd.DataFrame({"claim_id": ["a", "b", "c"], "verdict": ["supported", "supported", "inconclusive"]})


def test_claims_agree_when_the_verdict_is_the_one_their_truth_calls_for():
    out = planted_vs_recovered(_truth(), CLAIMS, _tables()).set_index("name")
    assert out.loc["a", "expected"] == "supported" and bool(out.loc["a", "agrees"]) is True
    assert out.loc["b", "expected"] == "not supported" and bool(out.loc["b", "agrees"]) is False
    assert out.loc["c", "expected"] == "inconclusive" and bool(out.loc["c", "agrees"]) is True


def test_effects_agree_on_presence_and_sign():
    out = planted_vs_recovered(_truth(), CLAIMS, _tables()).set_index("name")
    assert out.loc["amb_on_cap", "agrees"]  # planted +.47, interval [.1, .5] above 0
    assert out.loc["amb_total_on_sco", "agrees"]  # planted -.12, estimate -.12 with p .002 (no interval)
    assert out.loc["mkt_on_cap", "agrees"]  # planted .01 (within .02: absent), interval covers 0
    assert out.loc["amb_on_cap", "recovered"] == pytest.approx(0.3)
    # wrong sign: interval below 0 while +.47 is planted
    out = planted_vs_recovered(_truth(), CLAIMS, _tables(b=-0.3, lo=-0.5, hi=-0.1)).set_index("name")
    assert not out.loc["amb_on_cap", "agrees"]
    # interval touching 0 exactly is not "excludes 0": not found, disagrees with a planted effect
    out = planted_vs_recovered(_truth(), CLAIMS, _tables(lo=0.0)).set_index("name")
    assert not out.loc["amb_on_cap", "agrees"]
    # p exactly at .05 is not significant
    out = planted_vs_recovered(_truth(), CLAIMS, _tables(total_p=0.05)).set_index("name")
    assert not out.loc["amb_total_on_sco", "agrees"]
    # planted exactly at the tolerance (|.02| is not > .02): absent
    out = planted_vs_recovered(_truth(mkt_on_cap=0.02), CLAIMS, _tables()).set_index("name")
    assert out.loc["mkt_on_cap", "agrees"] and "absent" in out.loc["mkt_on_cap", "expected"]


@pytest.mark.parametrize("ron, agrees", [(0.5, True), (0.5 - 1e-12, True), (0.49, False), (0.7, True)])
def test_thresholds_agree_on_the_side_of_the_cut_exactly_at_it(ron, agrees):
    out = planted_vs_recovered(_truth(), CLAIMS, _tables(ron=ron)).set_index("name")
    assert bool(out.loc["cap_necessity_RoN", "agrees"]) is agrees


def test_share_of_firms_in_both_sets_is_computed_from_the_memberships():
    out = planted_vs_recovered(_truth(), CLAIMS, _tables(both=(0.9, 0.9, 0.1, 0.1, 0.1))).set_index("name")
    assert out.loc["both_INST_VIRT", "recovered"] == pytest.approx(0.4) and out.loc["both_INST_VIRT", "agrees"]
    assert out.loc["both_EFF_MKT", "recovered"] == 0.0 and out.loc["both_EFF_MKT", "agrees"]  # .05 < .1 and 0 < .1


def test_unknown_parameters_and_claims_without_truth_or_verdict_are_named_not_dropped():
    truth = _truth(new_parameter=1.0)
    truth["claims"]["d"] = {"truth": "planted true", "why": "D"}
    claims = pd.concat([CLAIMS, pd.DataFrame({"claim_id": ["e"], "verdict": ["supported"]})])
    out = planted_vs_recovered(truth, claims, _tables()).set_index("name")
    assert out.loc["new_parameter", "agrees"] is None and "no estimate" in out.loc["new_parameter", "reading"]
    assert out.loc["d", "agrees"] is None and out.loc["d", "reading"] == "no verdict in results/claims.csv"
    assert out.loc["e", "agrees"] is None and "no truth" in out.loc["e", "reading"]


def test_malformed_truth_or_tables_are_errors_naming_them():
    truth = _truth()
    truth["claims"]["a"] = {"truth": "maybe"}
    with pytest.raises(RecoveryError, match="claim 'a': truth 'maybe'"):
        planted_vs_recovered(truth, CLAIMS, _tables())
    tables = _tables()
    del tables["fsqca/necessity.csv"]
    with pytest.raises(RecoveryError, match="results/fsqca/necessity.csv: not read"):
        planted_vs_recovered(_truth(), CLAIMS, tables)
    tables = _tables()
    tables["sem/indirect_effects.csv"] = pd.concat([tables["sem/indirect_effects.csv"]] * 2)
    with pytest.raises(RecoveryError, match="2 rows where"):
        planted_vs_recovered(_truth(), CLAIMS, tables)
    with pytest.raises(RecoveryError, match="'population' must be an object"):
        planted_vs_recovered({"claims": {}, "tolerances": TOL}, CLAIMS, _tables())


def test_every_declared_source_exists_in_the_reference_build_and_the_shipped_parameters_are_recovered():
    """The shipped truth map against the committed reference tables (results-reference/)."""
    truth = json.loads((ROOT / "data/truth/claims_truth.json").read_text(encoding="utf-8"))
    assert set(truth["population"]) == set(PARAMETERS)  # every planted parameter has a declared estimate
    ref = ROOT / "results-reference"
    present = [t for t in recovery_tables() if (ref / t).exists()]
    if len(present) < len(recovery_tables()):
        pytest.skip(f"results-reference/ lacks {sorted(set(recovery_tables()) - set(present))}")
    tables = {t: pd.read_csv(ref / t) for t in recovery_tables()}
    claims = pd.DataFrame({"claim_id": list(truth["claims"]), "verdict": "supported"})
    out = planted_vs_recovered(truth, claims, tables)
    params = out[out["kind"] == "parameter"].set_index("name")
    assert params["agrees"].map(lambda v: v is not None and bool(v) in (True, False)).all()
    # the shipped process plants the interaction, the b path and the indirect effect; the study finds them
    for name in ("amb_on_cap", "cap_on_sco", "amb_indirect_via_cap"):
        assert params.loc[name, "agrees"], params.loc[name, "reading"]
    assert not math.isnan(params.loc["cap_necessity_inclN", "recovered"])
