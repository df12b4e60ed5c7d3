"""Verdicts scored against the truth map on simulated studies (issue 28).

The generator (nero.simulate) writes, beside each study, the truth of every claim under its
process (``truth/claims_truth.json``, :func:`nero.simulate.claims_truth`): planted true,
planted false or not identifiable by this design. Each study runs through the real chain
(tests/claims/chain.py: survey cleaning, fsQCA with the ESA, the SEM mediation and
moderation families, joint display and archetype match). Under the null and the weak process,
under the planted process at two more seeds, and under the contrary processes ``contrary``
(every recipe joins INST and VIRT: the archetypes and capacity boosting planted false) and
``exclusive`` (no firm in both networks or both orientations: combinability and the
ambidexterity claims planted false), no claim that is planted false or not identifiable may
come out "supported" (a false support); the claims the chain cannot compute (CFA, Study 1,
the review) are inconclusive, never supported. The other two contrary processes
(``mismeasured``, ``biased``) plant false only claims the chain does not compute (measurement
validity, common-method bias, non-response, invariance, the review's corpus): there they are
scored by the design analysis's whole-study replicates (docs/design.md), not here.
"""

import json

import pytest

from nero.claims import evaluate_claims
from nero.simulate import scenario_parameters, scenario_truth, simulate_study
from nero.simulate.truth_map import PLANTED_TRUE

from .chain import CONFIG, REGISTRY, study_tables

pytestmark = pytest.mark.slow
SEED = CONFIG["seed"]
N = 218
STUDIES = {
    "null": ("null", SEED),
    "weak": ("weak", SEED),
    "planted, seed + 1": ("planted", SEED + 1),
    "planted, seed + 2": ("planted", SEED + 2),
    "contrary": ("contrary", SEED),
    "exclusive": ("exclusive", SEED),
}


@pytest.fixture(scope="module", params=list(STUDIES))
def simulated(request, tmp_path_factory):
    scenario, seed = STUDIES[request.param]
    out = tmp_path_factory.mktemp(scenario)
    params = scenario_parameters(scenario)
    simulate_study(
        seed=seed,
        n_firms=N,
        out_dir=out / "data",
        params=params,
        scenario=None if scenario == "planted" else scenario_truth(scenario),
    )
    truth = json.loads((out / "data" / "truth" / "claims_truth.json").read_text())
    return request.param, truth, evaluate_claims(REGISTRY, study_tables(out / "data", out, seed))


def test_no_claim_that_is_not_planted_true_is_supported(simulated):
    name, truth, result = simulated
    assert truth["scenario"] == STUDIES[name][0]
    false_support = [
        c.claim_id
        for c in result.claims
        if c.verdict == "supported" and truth["claims"][c.claim_id]["truth"] != PLANTED_TRUE
    ]
    assert false_support == [], f"{name}: {false_support}\n{result.summary()}"
    # the truth map covers every claim of the registry
    assert set(truth["claims"]) == {c.claim_id for c in result.claims}


def test_the_truth_map_differs_between_the_processes(simulated):
    """The null plants no recipe and no effect of ambidexterity: the configurational and
    mediation claims are planted false there, and so never supported."""
    name, truth, result = simulated
    if STUDIES[name][0] == "null":
        for claim in (
            "study2.equifinality",
            "integration.archetypes_matched",
            "study2.logic_inversion.necessity",
            "study2.logic_inversion.mediation",
            "study2.ambidexterity_multiplier",
        ):
            assert truth["claims"][claim]["truth"] == "planted false"
            assert result.verdict(claim) != "supported", result.summary()
    if STUDIES[name][0] == "planted":
        assert truth["claims"]["integration.archetypes_matched"]["truth"] == PLANTED_TRUE
    if STUDIES[name][0] == "contrary":
        # the recipes INST*VIRT*EFF*CAP and INST*VIRT*MKT*CAP join both network poles: no archetype
        for claim in ("integration.archetypes_matched", "study2.capacity_boosting"):
            assert truth["claims"][claim]["truth"] == "planted false"
            assert result.verdict(claim) != "supported", result.summary()
    if STUDIES[name][0] == "exclusive":
        assert truth["claims"]["study2.not_mutually_exclusive"]["truth"] == "planted false"
        assert result.verdict("study2.not_mutually_exclusive") != "supported", result.summary()
