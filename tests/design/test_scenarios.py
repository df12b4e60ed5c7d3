"""Scenario options of the generator: planted (shipped, unchanged), weak, null."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nero.simulate import DGPParameters, scenario_parameters, scenario_truth, simulate_latents
from nero.simulate.__main__ import main as simulate_main
from nero.simulate.scenarios import NO_CEILING, sco_population_sd


def test_planted_is_the_shipped_process():
    assert scenario_parameters("planted") == DGPParameters()


def test_null_removes_recipes_interaction_and_mediation():
    params = scenario_parameters("null")
    assert params.cap_coef["INSTxVIRT"] == 0.0
    assert params.sco_fuzzy_weight == 0.0 and params.sco_cap == 0.0 and params.sco_cap_x_mkt == 0.0
    assert params.sco_ceiling_offset == NO_CEILING
    frame = simulate_latents(np.random.default_rng(3), 20000, params)
    # SCO carries no information about CAP or the recipes (population correlation 0).
    assert abs(np.corrcoef(frame["SCO"], frame["CAP"])[0, 1]) < 0.03
    assert abs(np.corrcoef(frame["SCO"], frame["f"])[0, 1]) < 0.03
    truth = scenario_truth("null")
    assert truth["recipes"] == {} and truth["necessary"] == [] and not truth["mediation"]


def test_weak_scales_effects_and_keeps_the_sco_spread():
    planted, weak = DGPParameters(), scenario_parameters("weak", 0.5)
    assert weak.cap_coef["INSTxVIRT"] == pytest.approx(0.5 * planted.cap_coef["INSTxVIRT"])
    assert weak.sco_fuzzy_weight == pytest.approx(0.5 * planted.sco_fuzzy_weight)
    assert weak.sco_noise_sd > planted.sco_noise_sd
    assert sco_population_sd(weak) == pytest.approx(sco_population_sd(planted), abs=0.01)
    assert len(scenario_truth("weak", 0.5)["recipes"]) == 4


def test_bad_scenarios_are_refused():
    with pytest.raises(ValueError, match="unknown scenario"):
        scenario_parameters("none")
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        scenario_parameters("weak", 1.5)
    with pytest.raises(ValueError, match="unknown DGP parameter 'nope'"):
        scenario_parameters("planted", overrides={"nope": 1})
    with pytest.raises(ValueError, match="unknown key"):
        scenario_parameters("planted", overrides={"cap_coef": {"INSTxWHAT": 1}})


def test_overrides_merge_dicts():
    params = scenario_parameters("planted", overrides={"cap_coef": {"INSTxVIRT": 0.1}, "sco_noise_sd": 0.3})
    assert params.cap_coef == {**DGPParameters().cap_coef, "INSTxVIRT": 0.1} and params.sco_noise_sd == 0.3


def test_cli_scenario_writes_what_it_plants(tmp_path):
    assert (
        simulate_main(
            ["--seed", "3", "--firms", "60", "--out", str(tmp_path), "--interviews", "4", "--scenario", "null"]
        )
        == 0
    )
    truth = json.loads((tmp_path / "truth" / "truth.json").read_text(encoding="utf-8"))
    assert truth["scenario"]["scenario"] == "null" and truth["recipes"] == [] and truth["necessary"] == []
    assert truth["dgp"]["cap_coef"]["INSTxVIRT"] == 0.0 and truth["usable_total"] == 60
    assert simulate_main(["--seed", "3", "--firms", "60", "--out", str(tmp_path), "--dgp-override", "x"]) == 2


@pytest.mark.parametrize(
    "scenario, scale, overrides, message",
    [
        ("none", None, None, "unknown scenario"),
        ("planted", 0.5, None, "weak' scenario only"),
        ("null", 0.5, None, r"null is s = 0"),
        ("weak", 1.5, None, r"\(0, 1\]"),
        ("weak", 0.0, None, r"\(0, 1\]"),
        ("weak", 0.5, {"nope": 1}, "unknown DGP parameter 'nope'"),
        ("null", None, {"cap_coef": {"INSTxWHAT": 1}}, "unknown key"),
        ("planted", None, {"sco_noise_sd": "wide"}, "expected a number"),
    ],
)
def test_check_scenario_refuses_what_scenario_parameters_refuses(scenario, scale, overrides, message):
    from nero.simulate.scenarios import check_scenario

    with pytest.raises(ValueError, match=message):
        check_scenario(scenario, scale, overrides)
    with pytest.raises(ValueError, match=message):
        scenario_parameters(scenario, scale, overrides)


@pytest.mark.parametrize(
    "scenario, scale, overrides",
    [
        ("planted", None, None),
        ("weak", 1.0, None),
        ("weak", None, {"cap_coef": {"INSTxVIRT": 0.1}}),
        ("null", None, {"sco_noise_sd": 0.3}),
    ],
)
def test_check_scenario_accepts_what_scenario_parameters_builds_without_simulating(
    monkeypatch, scenario, scale, overrides
):
    import nero.simulate.scenarios as scenarios

    assert scenarios.scenario_parameters(scenario, scale, overrides) is not None
    monkeypatch.setattr(scenarios, "simulate_latents", lambda *a, **k: pytest.fail("check_scenario simulated"))
    assert scenarios.check_scenario(scenario, scale, overrides) is None
