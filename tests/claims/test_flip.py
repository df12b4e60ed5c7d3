"""Verdicts flip on simulated studies without the planted effects.

The same generator, seed and N as the shipped study (nero.simulate), under three
processes (nero.simulate.scenarios): the planted one (the shipped raw data), the null
process (no recipes, no INST x VIRT interaction, no effect of CAP on SCO) and the
planted process with the INST x VIRT coefficient set to zero. Each study runs through the
real chain (tests/claims/chain.py: survey cleaning, fsQCA, PROCESS, joint display); the
claims a process does not plant must come out "not supported", the planted ones
"supported".
"""

import json

import pytest

from nero.claims import evaluate_claims
from nero.simulate import scenario_parameters, scenario_truth, simulate_study
from nero.testing import REPO

from .chain import CONFIG, REGISTRY, study_tables

pytestmark = pytest.mark.slow
SEED = CONFIG["seed"]
N = 218
CONFIGURATIONAL = ["study2.equifinality", "integration.archetypes_matched"]


def _simulated(tmp_path_factory, scenario, overrides=None):
    out = tmp_path_factory.mktemp(scenario)
    params = scenario_parameters(scenario, overrides=overrides)
    truth = scenario_truth(scenario, overrides=overrides)
    simulate_study(seed=SEED, n_firms=N, out_dir=out / "data", params=params, scenario=truth)
    written = json.loads((out / "data" / "truth" / "truth.json").read_text())
    return written, evaluate_claims(REGISTRY, study_tables(out / "data", out, SEED))


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return evaluate_claims(REGISTRY, study_tables(REPO / "data", tmp_path_factory.mktemp("planted"), SEED))


@pytest.fixture(scope="module")
def null(tmp_path_factory):
    return _simulated(tmp_path_factory, "null")


@pytest.fixture(scope="module")
def no_interaction(tmp_path_factory):
    return _simulated(tmp_path_factory, "planted", {"cap_coef": {"INSTxVIRT": 0.0}})


def test_planted_study_supports_the_planted_claims(planted):
    for claim in [*CONFIGURATIONAL, "study2.logic_inversion.mediation", "study2.ambidexterity_multiplier"]:
        assert planted.verdict(claim) == "supported", planted.summary()


def test_null_process_turns_the_claims_to_not_supported(null):
    truth, result = null
    assert truth["recipes"] == [] and truth["necessary"] == []
    assert truth["scenario"]["interaction_INSTxVIRT"] is False and truth["scenario"]["mediation"] is False
    for claim in [*CONFIGURATIONAL, "study2.logic_inversion.necessity", "study2.logic_inversion.mediation",
                  "study2.logic_inversion", "study2.ambidexterity_multiplier"]:
        assert result.verdict(claim) == "not supported", result.summary()


def test_without_the_interaction_the_multiplier_is_not_supported(no_interaction, planted):
    truth, result = no_interaction
    assert truth["scenario"]["interaction_INSTxVIRT"] is False and len(truth["recipes"]) == 4
    assert planted.verdict("study2.ambidexterity_multiplier") == "supported"
    assert result.verdict("study2.ambidexterity_multiplier") == "not supported", result.summary()
    # the recipes are still planted: the configurational claims keep their verdict
    for claim in CONFIGURATIONAL:
        assert result.verdict(claim) == planted.verdict(claim), result.summary()
