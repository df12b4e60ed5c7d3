"""The truth map (nero.simulate.truth_map): what each process plants for every claim.

Checked against the parameters that make each truth (closed-form cases and parameter
changes that must flip it), against the study's own estimators on a large population
sample (the latent truth and the observed estimand agree in sign), and the shipped file
``data/truth/claims_truth.json`` against the generator.
"""

import json

import numpy as np
import pytest
import yaml

from nero.claims import load_registry
from nero.simulate import DGPParameters, claims_truth
from nero.simulate.scenarios import NO_CEILING
from nero.simulate.study_files import _json_bytes
from nero.simulate.truth_map import (
    NOT_IDENTIFIABLE,
    PLANTED_FALSE,
    PLANTED_TRUE,
    RELEVANCE_MIN,
    cmv_inflation,
    expected_verdict,
    population_effects,
)
from nero.testing import REPO

DRAWS = 50_000
REGISTRY = load_registry(REPO / "config" / "claims.yaml")


@pytest.fixture(scope="module")
def planted():
    return claims_truth("planted", draws=DRAWS)


def test_every_claim_of_the_registry_has_a_truth(planted):
    assert set(planted["claims"]) == {c.id for c in REGISTRY.claims}
    assert {v["truth"] for v in planted["claims"].values()} == {PLANTED_TRUE, PLANTED_FALSE, NOT_IDENTIFIABLE}
    for entry in planted["claims"].values():
        assert entry["why"] and isinstance(entry["parameters"], dict) and entry["parameters"]


def test_planted_process(planted):
    c = {k: v["truth"] for k, v in planted["claims"].items()}
    assert c["study2.logic_inversion.necessity"] == PLANTED_TRUE
    assert c["study2.capacity_boosting"] == PLANTED_TRUE
    assert c["integration.archetypes_matched"] == PLANTED_TRUE
    # no recipe joins INST and VIRT; the total effect of INST x VIRT on SCO is negative
    assert c["study2.orchestration"] == PLANTED_FALSE
    assert c["study2.ambidexterity_multiplier"] == PLANTED_FALSE
    assert c["study2.logic_inversion.mediation"] == PLANTED_FALSE and c["study2.logic_inversion"] == PLANTED_FALSE
    assert c["study2.scale_out_to_scale_up"] == NOT_IDENTIFIABLE
    pop = planted["population"]
    assert pop["amb_on_cap"] > 0.3 and pop["amb_indirect_via_cap"] > 0.2 and pop["amb_total_on_sco"] < -0.05
    assert pop["mkt_on_cap"] > 0.2 and pop["cap_necessity_inclN"] > 0.9 and pop["cap_necessity_RoN"] > RELEVANCE_MIN


def test_the_threshold_of_the_truth_map_equals_the_registry():
    from nero.simulate import truth_map

    t = REGISTRY.thresholds
    assert truth_map.RELEVANCE_MIN == t["necessity_relevance"]
    assert truth_map.NECESSITY_MIN == t["necessity_consistency"]
    assert truth_map.CMV_INFLATION_MAX == t["cmv_marker_max"]
    assert truth_map.AVE_MIN == t["ave_min"]


def test_null_and_weak_processes():
    null = {k: v["truth"] for k, v in claims_truth("null", draws=DRAWS)["claims"].items()}
    for claim in (
        "study2.equifinality",
        "integration.archetypes_matched",
        "study2.logic_inversion.necessity",
        "study2.logic_inversion.mediation",
        "study2.ambidexterity_multiplier",
        "study2.orchestration",
    ):
        assert null[claim] == PLANTED_FALSE, claim
    assert null["study2.capacity_boosting"] == PLANTED_TRUE  # the main effects on CAP are kept
    weak = claims_truth("weak", draws=DRAWS)
    assert weak["effect_scale"] == 0.5
    assert weak["claims"]["study2.logic_inversion.necessity"]["truth"] == PLANTED_FALSE  # inclN .81 < .90
    assert weak["population"]["cap_necessity_inclN"] < 0.9


@pytest.mark.parametrize(
    "overrides,claim,truth",
    [
        ({"cap_coef": {"MKT": 0.0}}, "study2.capacity_boosting", PLANTED_FALSE),
        ({"method_loading": 0.55}, "survey.no_common_method_bias", PLANTED_FALSE),
        (
            {"sco_ceiling_offset": NO_CEILING, "sco_fuzzy_weight": 0.0},
            "study2.logic_inversion.necessity",
            PLANTED_FALSE,
        ),
        ({"sco_fuzzy_weight": 0.0}, "study2.equifinality", PLANTED_FALSE),
    ],
)
def test_changing_the_parameter_that_makes_a_truth_flips_it(overrides, claim, truth):
    assert claims_truth("planted", draws=20_000)["claims"][claim]["truth"] == PLANTED_TRUE
    assert claims_truth("planted", overrides=overrides, draws=20_000)["claims"][claim]["truth"] == truth


def test_without_the_interaction_ambidexterity_has_no_effect_on_capacity():
    from nero.simulate.truth_map import EFFECT_TOLERANCE

    pop = claims_truth("planted", overrides={"cap_coef": {"INSTxVIRT": 0.0}}, draws=DRAWS)["population"]
    assert abs(pop["amb_on_cap"]) < EFFECT_TOLERANCE and abs(pop["amb_indirect_via_cap"]) < EFFECT_TOLERANCE


def test_cmv_inflation_closed_form():
    """Two constructs of k items with loading l and method loading m: m^2 / (l^2 + m^2 + (1 - l^2 - m^2) / k)."""
    params = DGPParameters(loadings={"A": (0.8,) * 4, "B": (0.8,) * 4}, method_loading=0.3)
    expected = 0.09 / (0.64 + 0.09 + (1 - 0.64 - 0.09) / 4)
    assert cmv_inflation(params) == round(expected, 4)


def test_expected_verdicts():
    assert [expected_verdict(t) for t in (PLANTED_TRUE, PLANTED_FALSE, NOT_IDENTIFIABLE)] == [
        "supported",
        "not supported",
        "inconclusive",
    ]


def test_shipped_claims_truth_file_is_the_generators():
    shipped = (REPO / "data" / "truth" / "claims_truth.json").read_bytes()
    assert shipped == _json_bytes(claims_truth("planted", n_firms=218))
    assert json.loads(shipped)["claims"]["study2.scale_out_to_scale_up"]["truth"] == NOT_IDENTIFIABLE


def test_latent_truth_and_the_studys_estimand_agree_in_sign():
    """The truth reads latent scores; the study estimates on observed construct means with the
    causal model's covariates. On a large population sample their signs agree, so a verdict
    read from the observed estimate is scored against the right truth."""
    from nero.design.truth import population_sample
    from nero.sem.families import specification_covariates
    from nero.sem.process_equations import fit_equation
    from nero.sem.settings import SemSettings
    from nero.sem.study import design_frame
    from nero.simulate.codebook import load_codebook

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    s = SemSettings.from_config(config["sem"])
    params = DGPParameters()
    sample = population_sample(params, 40_000, load_codebook(), seed=7)
    design, controls = design_frame(sample, s)
    covs = ["INST", "VIRT", *specification_covariates(s, design, controls, ["INST", "VIRT", "AMB"], "SCO", "CAP")]
    assert "log_foreign_markets" not in covs and "log_employees" not in covs and "EFF" in covs
    total = fit_equation(design, "SCO", ["AMB", *covs]).coef.loc["AMB", "coeff"]
    a = fit_equation(design, "CAP", ["AMB", *covs]).coef.loc["AMB", "coeff"]
    b = fit_equation(design, "SCO", ["CAP", "AMB", *covs]).coef.loc["CAP", "coeff"]
    mkt_covs = specification_covariates(s, design, controls, ["MKT"], "CAP")
    mkt = fit_equation(design, "CAP", ["MKT", *[c for c in mkt_covs if c != "MKT"]]).coef.loc["MKT", "coeff"]
    pop = population_effects(params, draws=DRAWS)
    assert np.sign(total) == np.sign(pop["amb_total_on_sco"]) == -1
    assert np.sign(a * b) == np.sign(pop["amb_indirect_via_cap"]) == 1
    assert np.sign(mkt) == np.sign(pop["mkt_on_cap"]) == 1


def test_design_scores_a_replicate_against_the_truth_map():
    from nero.design.truth import claim_truths, false_supports

    truths = claim_truths("null", 218)
    assert truths["study2.equifinality"] == PLANTED_FALSE and truths["study2.capacity_boosting"] == PLANTED_TRUE
    verdicts = {
        "study2.equifinality": "supported",
        "study2.capacity_boosting": "supported",
        "study2.orchestration": "inconclusive",
        "study2.scale_out_to_scale_up": "not supported",
    }
    assert false_supports(verdicts, truths) == ["study2.equifinality"]
    assert false_supports({"unknown.claim": "supported"}, truths) == ["unknown.claim"]
