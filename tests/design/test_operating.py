"""nero.design.operating: power, false support and decidability of each claim, at the edges."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from nero.config import load_yaml
from nero.design.operating import operating_characteristics
from nero.testing import REPO


def _rates(rows):
    """claim_rates rows from (scenario, process, n, claim, replications, supported count)."""
    return pd.DataFrame(
        [
            {
                "scenario": s,
                "process": p,
                "n": n,
                "effect_scale": 1.0,
                "claim_id": c,
                "replications": r,
                "supported": k / r,
            }
            for s, p, n, c, r, k in rows
        ]
    )


TRUTHS = {
    "planted_n218": {"a": "planted true", "b": "planted false"},
    "null_n218": {"a": "planted false", "b": "planted false"},
    "weak_n218": {"a": "planted true", "b": "not identifiable by this design"},
    "planted_n500": {"a": "planted true", "b": "planted false"},
}


@pytest.mark.parametrize(
    "supported, null_supported, decidable",
    [
        (16, 1, True),  # power exactly .80, false support exactly .05: decidable (limits included)
        (15, 1, False),  # power .75 < .80
        (16, 2, False),  # false support .10 > .05
        (20, 0, True),
    ],
)
def test_decidable_exactly_at_the_limits(supported, null_supported, decidable):
    rates = _rates(
        [("planted_n218", "planted", 218, "a", 20, supported), ("null_n218", "null", 218, "a", 20, null_supported)]
    )
    out = operating_characteristics(rates, TRUTHS, 218).set_index("claim_id")
    assert out.loc["a", "power_planted"] == pytest.approx(supported / 20)
    assert out.loc["a", "power_planted_mcse"] == pytest.approx(math.sqrt(supported / 20 * (1 - supported / 20) / 20))
    assert out.loc["a", "support_under_null"] == pytest.approx(null_supported / 20)
    assert out.loc["a", "power_planted_replications"] == 20
    assert bool(out.loc["a", "decidable"]) is decidable
    assert ("cannot decide" in out.loc["a", "design_note"]) is not decidable


def test_false_support_pools_every_scenario_where_the_claim_is_false_and_reads_the_study_n_only():
    rates = _rates(
        [
            ("planted_n218", "planted", 218, "b", 20, 1),
            ("null_n218", "null", 218, "b", 10, 4),
            ("planted_n500", "planted", 500, "b", 20, 20),
            ("weak_n218", "weak", 218, "b", 10, 3),
        ]
    )
    out = operating_characteristics(rates, TRUTHS, 218).set_index("claim_id")
    # planted (false there) and null pooled: (1 + 4) / 30; the weak process is reported apart; N = 500 ignored
    assert out.loc["b", "support_under_null_replications"] == 30
    assert out.loc["b", "support_under_null"] == pytest.approx(5 / 30)
    assert out.loc["b", "support_under_null_mcse"] == pytest.approx(math.sqrt(5 / 30 * 25 / 30 / 30))
    assert (
        out.loc["b", "support_weak"] == pytest.approx(0.3)
        and out.loc["b", "truth_weak"] == "not identifiable by this design"
    )
    assert math.isnan(out.loc["b", "power_planted"]) and out.loc["b", "power_planted_replications"] == 0
    assert not out.loc["b", "decidable"]
    assert "no scenario at N = 218 plants it true" in out.loc["b", "design_note"]
    assert "false support 0.17" in out.loc["b", "design_note"]


def test_missing_or_unknown_truths_are_errors():
    rates = _rates([("planted_n218", "planted", 218, "c", 5, 5)])
    with pytest.raises(ValueError, match="no truth for claim 'c'"):
        operating_characteristics(rates, TRUTHS, 218)
    with pytest.raises(ValueError, match="no scenario 'x'"):
        operating_characteristics(_rates([("x", "planted", 218, "a", 5, 5)]), TRUTHS, 218)
    with pytest.raises(ValueError, match="expected one of"):
        operating_characteristics(rates, {"planted_n218": {"c": "maybe"}}, 218)


def test_no_scenario_at_the_study_n_leaves_nothing_decidable():
    rates = _rates([("planted_n500", "planted", 500, "a", 20, 20)])
    out = operating_characteristics(rates, TRUTHS, 218).iloc[0]
    assert out["power_planted_replications"] == 0 and out["support_under_null_replications"] == 0
    assert not out["decidable"] and "power is unknown" in out["design_note"]


def test_annotate_claims_puts_the_figures_beside_the_verdict_and_names_claims_without_rates():
    from nero.design.operating import annotate_claims

    rates = _rates([("planted_n218", "planted", 218, "a", 20, 18), ("null_n218", "null", 218, "a", 20, 0)])
    operating = operating_characteristics(rates, TRUTHS, 218)
    claims = pd.DataFrame(
        {"claim_id": ["a", "z"], "statement": ["A", "Z"], "verdict": ["supported", "not supported"], "flags": ["", ""]}
    )
    out = annotate_claims(claims, operating).set_index("claim_id")
    cols = list(out.reset_index().columns)
    assert cols[:6] == ["claim_id", "statement", "verdict", "rule_verdict", "qualified", "power_planted"]
    assert cols[-3:] == ["flags", "reason", "rule_reason"]
    assert out.loc["a", "power_planted"] == pytest.approx(0.9) and out.loc["a", "support_under_null"] == 0.0
    assert bool(out.loc["a", "decidable"]) and out.loc["a", "design_note"] == "this design can decide it"
    assert math.isnan(out.loc["z", "power_planted"]) and not bool(out.loc["z", "decidable"])
    assert "no design result" in out.loc["z", "design_note"]


def test_claim_ids_give_one_row_per_registry_claim_in_order_and_name_claims_without_rates():
    from nero.design.operating import NO_RATES

    rates = _rates(
        [
            ("planted_n218", "planted", 218, "a", 20, 18),
            ("null_n218", "null", 218, "a", 20, 0),
            ("planted_n218", "planted", 218, "b", 20, 0),
        ]
    )
    out = operating_characteristics(rates, TRUTHS, 218, claim_ids=["z", "a"], reference="design reference: STALE, x")
    assert list(out["claim_id"]) == ["z", "a"]  # registry order; b (not in the registry) left out
    assert out.iloc[0]["design_note"] == NO_RATES and not out.iloc[0]["decidable"]
    assert out.iloc[0]["power_planted_replications"] == 0 and math.isnan(out.iloc[0]["support_under_null"])
    assert out.iloc[1]["power_planted"] == pytest.approx(0.9) and bool(out.iloc[1]["decidable"])
    assert set(out["design_reference"]) == {"design reference: STALE, x"}
    with pytest.raises(ValueError, match="listed twice"):
        operating_characteristics(rates, TRUTHS, 218, claim_ids=["a", "a"])


def test_annotate_claims_reads_the_operating_file_back_from_csv(tmp_path):
    from nero.design.operating import annotate_claims
    from nero.outputs import write_csv

    rates = _rates([("planted_n218", "planted", 218, "a", 20, 15), ("null_n218", "null", 218, "a", 20, 0)])
    path = write_csv(
        operating_characteristics(rates, TRUTHS, 218, claim_ids=["a", "z"], reference="r"), tmp_path / "op.csv"
    )
    claims = pd.DataFrame({"claim_id": ["a", "z"], "verdict": ["supported", "inconclusive"]})
    out = annotate_claims(claims, pd.read_csv(path, keep_default_na=False, na_values=[""])).set_index("claim_id")
    assert out.loc["a", "power_planted"] == pytest.approx(0.75) and out.loc["a", "power_planted_replications"] == 20
    assert not out.loc["a", "decidable"] and "power 0.75" in out.loc["a", "design_note"]
    assert out.loc["a", "design_reference"] == "r" and 0 <= out.loc["a", "support_under_null"] <= 1
    assert math.isnan(out.loc["z", "power_planted"]) and not out.loc["z", "decidable"]


@pytest.mark.parametrize(
    "tables, expected",
    [
        (None, ["scale_up", "scale_up_reverse"]),  # no registry: every analysis
        ([], []),  # a registry that reads no table
        (["fsqca/solutions.csv", "sem/cfa_fit.csv"], []),  # the main fsQCA only
        (["fsqca/scale_up_reverse/solutions.csv"], ["scale_up_reverse"]),  # one analysis read
        (["fsqca/scale_up/solutions.csv", "fsqca/scale_up_reverse/necessity.csv"], ["scale_up", "scale_up_reverse"]),
    ],
)
def test_a_replicate_runs_only_the_fsqca_analyses_a_claim_reads(tables, expected):
    import dataclasses

    from nero.design.stages import analyses_read
    from nero.fsqca import FsqcaSettings

    settings = FsqcaSettings.from_config(load_yaml(REPO / "config" / "config.yaml")["fsqca"])
    assert sorted(settings.analyses) == ["scale_up", "scale_up_reverse"]
    assert analyses_read(settings, tables) == expected
    assert analyses_read(dataclasses.replace(settings, analyses={}), tables) == []


def test_the_shipped_design_config_keeps_the_scenarios_at_the_study_n_and_every_other_setting():
    from nero.design.shipped import ReferenceError, reference_config

    config = {
        "seed": 1,
        "sem": {"n_boot": 5000},
        "design": {
            "replications": 200,
            "batch_size": 25,
            "n_boot": 1000,
            "scenarios": {
                "planted_n100": {"process": "planted", "n": 100},
                "planted_n218": {"process": "planted", "n": 218},
                "null_n218": {"process": "null", "n": 218},
            },
        },
    }
    out = reference_config(config, 40, 218, 10)
    assert out["design"] == {
        "replications": 40,
        "batch_size": 10,
        "n_boot": 1000,
        "scenarios": {"planted_n218": {"process": "planted", "n": 218}, "null_n218": {"process": "null", "n": 218}},
    }
    assert out["sem"] == config["sem"] and config["design"]["replications"] == 200  # the input is not changed
    with pytest.raises(ReferenceError, match="none with n = 300"):
        reference_config(config, 40, 300, 10)
    with pytest.raises(ReferenceError, match="at least 1"):
        reference_config(config, 0, 218, 10)


def test_a_claim_not_identifiable_in_every_process_says_so_instead_of_no_simulated_stage():
    truths = {
        "planted_n218": {"d": "not identifiable by this design"},
        "null_n218": {"d": "not identifiable by this design"},
        "weak_n218": {"d": "not identifiable by this design"},
    }
    rates = _rates(
        [
            ("planted_n218", "planted", 218, "d", 20, 0),
            ("null_n218", "null", 218, "d", 20, 1),
            ("weak_n218", "weak", 218, "d", 20, 0),
        ]
    )
    row = operating_characteristics(rates, truths, 218).iloc[0]
    assert math.isnan(row["power_planted"]) and row["power_planted_replications"] == 0
    assert row["support_under_null"] == pytest.approx(1 / 40) and row["support_under_null_replications"] == 40
    assert "not identifiable by this design in every process" in row["design_note"]
    assert "no scenario" not in row["design_note"] and not row["decidable"]
    # one process where it is planted false is enough to fall back to the plain reason
    truths["null_n218"]["d"] = "planted false"
    row = operating_characteristics(rates, truths, 218).iloc[0]
    assert "no scenario at N = 218 plants it true" in row["design_note"]


def test_the_configured_scenarios_give_every_claim_both_rates_at_the_study_n():
    """The design's scenarios at N = 218 (config design.scenarios) scored against the truth map:

    every claim of the registry gets power and false support from some replicates (none blank),
    except the one not identifiable by this design, whose note says why.
    """
    import yaml

    from nero.claims import load_registry
    from nero.design import DesignSettings
    from nero.design.truth import claim_truths
    from nero.testing import REPO

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    settings = DesignSettings.from_config(config["design"])
    ids = [c.id for c in load_registry(REPO / "config" / "claims.yaml").claims]
    at_n = [s for s in settings.scenarios if s.n == 218]
    assert {s.process for s in at_n} >= {"planted", "null", "weak", "contrary", "mismeasured", "biased", "exclusive"}
    truths = {s.name: claim_truths(s.process, s.n, s.effect_scale, s.overrides or None) for s in at_n}
    rows = [(s.name, s.process, s.n, c, 10, 5) for s in at_n for c in ids]
    out = operating_characteristics(_rates(rows), truths, 218, claim_ids=ids).set_index("claim_id")
    for claim in ids:
        if claim == "study2.scale_out_to_scale_up":
            assert math.isnan(out.loc[claim, "power_planted"])
            assert "not identifiable by this design in every process" in out.loc[claim, "design_note"]
            continue
        assert out.loc[claim, "power_planted_replications"] >= 10, claim
        assert out.loc[claim, "support_under_null_replications"] >= 10, claim
        assert out.loc[claim, "power_planted"] == pytest.approx(0.5), claim
        assert "no scenario" not in out.loc[claim, "design_note"], claim


def test_the_report_cell_of_a_claim_not_identifiable_says_so():
    """Its blank power reads "not identifiable by this design", not "no scenario plants it true"."""
    from nero.report.operating import operating_html

    truths = {s: {"d": "not identifiable by this design"} for s in ("planted_n218", "null_n218")}
    rates = _rates([("planted_n218", "planted", 218, "d", 20, 0), ("null_n218", "null", 218, "d", 20, 0)])
    row = operating_characteristics(rates, truths, 218).iloc[0].to_dict()
    cell = operating_html(row)
    assert "power unknown (not identifiable by this design)" in cell and "no scenario plants it true" not in cell
    truths["null_n218"]["d"] = "planted false"
    cell = operating_html(operating_characteristics(rates, truths, 218).iloc[0].to_dict())
    assert "power unknown (no scenario plants it true)" in cell
