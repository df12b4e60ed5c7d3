"""The contrary processes of the generator (nero.simulate.scenarios): each plants what its truth map says.

Every claim the planted, null and weak processes plant the same way needs a process that plants
its other side, so the design can measure both its power and its false support. Each process is
checked on what it generates (large simulated samples of its latents, items, response times,
interviews and review), against the truth map (nero.simulate.truth_map) and against the planted
process, which must stay as it was (the shipped data: tests/simulate/test_study.py).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nero.simulate import DGPParameters, claims_truth, load_codebook, simulate_items, simulate_latents
from nero.simulate.dgp_parameters import ORCHESTRATED_RECIPES, RECIPES
from nero.simulate.scenarios import CONTRARY_PROCESSES, SCENARIOS, scenario_parameters, scenario_truth
from nero.simulate.truth_map import (
    NONRESPONSE_D,
    NOT_IDENTIFIABLE,
    PLANTED_FALSE,
    PLANTED_TRUE,
    late_response_d,
)
from nero.testing import REPO

from .conftest import SHIPPED_SEED

DRAWS = 50_000
CODEBOOK = load_codebook(REPO / "config" / "codebook.yaml")


@pytest.fixture(scope="module")
def truths():
    return {p: {c: e["truth"] for c, e in claims_truth(p, draws=DRAWS)["claims"].items()} for p in SCENARIOS}


def test_every_claim_is_planted_true_somewhere_and_false_somewhere(truths):
    """Planted, null and the contrary processes (weak apart, as the design's pooling does)."""
    scored = [p for p in SCENARIOS if p != "weak"]
    for claim in truths["planted"]:
        seen = {truths[p][claim] for p in scored}
        if claim == "study2.scale_out_to_scale_up":
            assert seen == {NOT_IDENTIFIABLE}, claim  # a direction from one survey: never identifiable
        else:
            assert {PLANTED_TRUE, PLANTED_FALSE} <= seen, (claim, seen)


def test_truth_map_of_each_contrary_process(truths):
    contrary, mis, biased, excl = truths["contrary"], truths["mismeasured"], truths["biased"], truths["exclusive"]
    for claim in (
        "study2.orchestration",
        "study2.logic_inversion.mediation",
        "study2.logic_inversion",
        "study2.ambidexterity_multiplier",
        "study2.equifinality",
        "study2.logic_inversion.necessity",
    ):
        assert contrary[claim] == PLANTED_TRUE, claim
    for claim in ("study2.capacity_boosting", "study1.four_strategies", "integration.archetypes_matched"):
        assert contrary[claim] == PLANTED_FALSE, claim
    for claim in ("survey.measurement_validity", "slr.review_corpus"):
        assert mis[claim] == PLANTED_FALSE, claim
    for claim in (
        "survey.no_common_method_bias",
        "survey.no_nonresponse_bias",
        "survey.invariance_across_waves",
    ):
        assert biased[claim] == PLANTED_FALSE, claim
        assert excl[claim] == PLANTED_TRUE, claim
    assert excl["study2.not_mutually_exclusive"] == PLANTED_FALSE
    assert biased["study2.not_mutually_exclusive"] == contrary["study2.not_mutually_exclusive"] == PLANTED_TRUE
    # what each process leaves alone stays true
    for claim in ("survey.no_common_method_bias", "survey.no_nonresponse_bias", "survey.invariance_across_waves"):
        assert contrary[claim] == mis[claim] == PLANTED_TRUE, claim
    assert biased["survey.measurement_validity"] == PLANTED_TRUE and biased["slr.review_corpus"] == PLANTED_TRUE


def test_contrary_population_values():
    truth = claims_truth("contrary", draws=DRAWS)
    pop = truth["population"]
    # a positive total effect of ambidexterity on SCO, through CAP too; no MKT -> CAP
    assert pop["amb_total_on_sco"] > 0.3 and pop["amb_indirect_via_cap"] > 0.05 and pop["amb_on_cap"] > 0.3
    assert abs(pop["mkt_on_cap"]) < 0.02
    assert truth["claims"]["study2.orchestration"]["parameters"]["recipes"] == {
        name: list(conds) for name, conds in ORCHESTRATED_RECIPES
    }
    assert scenario_truth("contrary")["recipes"] == {name: list(conds) for name, conds in ORCHESTRATED_RECIPES}


def _observed_means(params: DGPParameters, n: int, seed: int = 5):
    rng = np.random.default_rng(seed)
    latents = simulate_latents(rng, n, params)
    items = simulate_items(rng, latents, CODEBOOK, params).astype(float)
    for item in items.columns:
        if CODEBOOK["items"][item].get("reverse", False):
            items[item] = 8 - items[item]
    means = {c: items[list(s["items"])].mean(axis=1).to_numpy() for c, s in CODEBOOK["constructs"].items()}
    return latents, items, means


def _ols(y, columns):
    x = np.column_stack([np.ones(len(y)), *columns])
    return np.linalg.lstsq(x, y, rcond=None)[0][1:]


def test_contrary_recovered_on_observed_scores():
    """On 60 000 simulated firms' construct means the study's kind of regression finds the planted effects."""
    _, _, m = _observed_means(scenario_parameters("contrary"), 60_000)
    c = {k: v - v.mean() for k, v in m.items()}
    amb = c["INST"] * c["VIRT"]
    b = _ols(m["CAP"], [c["INST"], c["VIRT"], c["EFF"], c["MKT"], amb])
    assert abs(b[3]) < 0.02  # MKT -> CAP absent (observed; the planted process gives about .2)
    total = _ols(m["SCO"], [c["INST"], c["VIRT"], c["EFF"], c["MKT"], amb])
    assert total[4] > 0.05  # INST x VIRT raises SCO (the planted process lowers it)
    _, _, planted = _observed_means(DGPParameters(), 60_000)
    p = {k: v - v.mean() for k, v in planted.items()}
    assert _ols(planted["CAP"], [p["INST"], p["VIRT"], p["EFF"], p["MKT"], p["INST"] * p["VIRT"]])[3] > 0.1
    assert _ols(planted["SCO"], [p["INST"], p["VIRT"], p["EFF"], p["MKT"], p["INST"] * p["VIRT"]])[4] < -0.02


@pytest.mark.parametrize("process", ["planted", *CONTRARY_PROCESSES])
def test_latent_truth_and_observed_estimand_agree_in_sign(process):
    """The truth map reads latent effects; the study estimates them on observed construct means.

    On 60 000 firms of each process the observed regressions (the study's specification: centred
    antecedents and INST x VIRT) have the sign of every latent effect that is present (|value| >
    .05), so a verdict scored against the truth map is scored against what the study can see.
    """
    pop = claims_truth(process, draws=DRAWS)["population"]
    _, _, m = _observed_means(scenario_parameters(process), 60_000)
    c = {k: v - v.mean() for k, v in m.items()}
    x = [c["INST"], c["VIRT"], c["EFF"], c["MKT"], c["INST"] * c["VIRT"]]
    on_cap, total = _ols(m["CAP"], x), _ols(m["SCO"], x)
    observed = {"amb_on_cap": on_cap[4], "mkt_on_cap": on_cap[3], "amb_total_on_sco": total[4]}
    for effect, value in observed.items():
        if abs(pop[effect]) > 0.05:
            assert np.sign(value) == np.sign(pop[effect]), (process, effect, value, pop[effect])


def test_contrary_recipes_drive_sco():
    """SCO's fuzzy part is the maximum of the orchestrated recipes: firms in INST*VIRT*MKT*CAP score high."""
    params = scenario_parameters("contrary")
    frame = simulate_latents(np.random.default_rng(3), 40_000, params)
    assert {"f_OO", "f_OE"} <= set(frame.columns) and "f_IO" not in frame.columns
    np.testing.assert_allclose(frame["f"], np.clip(np.maximum(frame["f_OO"], frame["f_OE"]), 0.02, 0.98))
    both = frame[(frame["m_INST"] > 0.5) & (frame["m_VIRT"] > 0.5)]
    assert len(both) > 0.1 * len(frame)  # both recipes have firms (AMB, NET types)
    assert frame.loc[frame["f"] > 0.5, "T_SCO"].mean() > frame.loc[frame["f"] < 0.5, "T_SCO"].mean() + 0.5


def _mean_interitem_r(items, construct):
    cols = list(CODEBOOK["constructs"][construct]["items"])
    r = np.corrcoef(items[cols].to_numpy(), rowvar=False)
    return float(r[np.triu_indices(len(cols), 1)].mean())


def test_mismeasured_items_share_less_than_half_their_variance():
    """Mean inter-item correlation (one-factor model: the average of l_i l_j, about the AVE) below .50."""
    _, items, _ = _observed_means(scenario_parameters("mismeasured"), 30_000)
    _, planted, _ = _observed_means(DGPParameters(), 30_000)
    for construct in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO"):
        assert _mean_interitem_r(items, construct) < 0.45, construct
        assert _mean_interitem_r(planted, construct) > 0.5, construct
    ave = claims_truth("mismeasured", draws=DRAWS)["claims"]["survey.measurement_validity"]["parameters"]
    assert max(ave["average_squared_loading"][c] for c in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO")) < 0.5


def test_biased_common_method_factor_correlates_the_marker():
    """The marker shares only the method factor: its correlation with a construct is the inflation."""
    _, _, m = _observed_means(scenario_parameters("biased"), 60_000)
    _, _, p = _observed_means(DGPParameters(), 60_000)
    r_biased = min(np.corrcoef(m["MARKER"], m[c])[0, 1] for c in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO"))
    r_planted = max(np.corrcoef(p["MARKER"], p[c])[0, 1] for c in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO"))
    assert r_biased > 0.12 and r_planted < 0.06


def test_exclusive_sets_are_almost_mutually_exclusive():
    """Latent memberships, and the calibrated observed construct means (anchors 2.5 / 4 / 5.5)."""
    from nero.simulate.checks import calibrate_direct

    frame = simulate_latents(np.random.default_rng(4), 60_000, scenario_parameters("exclusive"))
    assert np.mean((frame["m_INST"] > 0.5) & (frame["m_VIRT"] > 0.5)) < 0.01
    assert np.mean((frame["m_EFF"] > 0.5) & (frame["m_MKT"] > 0.5)) < 0.01
    assert not {"AMB", "NET", "ORI"} & set(frame["type"])
    for process, low, high in (("exclusive", 0.0, 0.04), ("planted", 0.15, 0.30)):
        _, _, m = _observed_means(scenario_parameters(process), 40_000)
        member = {c: calibrate_direct(m[c]) > 0.5 for c in ("INST", "VIRT", "EFF", "MKT")}
        for a, b in (("INST", "VIRT"), ("EFF", "MKT")):
            assert low <= np.mean(member[a] & member[b]) <= high, (process, a, b)


def test_late_respondents_differ_as_planted():
    """The generator's response times: last minus first quarter of a wave's firms on INST's construct mean."""
    from nero.simulate.survey_draws import draw_wave_firms

    def d_late(params):
        """Mean d over waves of 300 firms (the generator refuses about one large wave in a few)."""
        values = []
        for seed in range(20):
            try:
                firms = draw_wave_firms(np.random.default_rng(seed), 300, "wave-1", CODEBOOK, params)
            except RuntimeError:  # "could not draw a clean response": the replicate takes its next seed too
                continue
            order = np.argsort(np.array(firms.times, dtype="datetime64[s]"), kind="stable")
            cols = list(CODEBOOK["constructs"]["INST"]["items"])
            items = np.column_stack([firms.item_arr[c] for c in cols]).astype(float)
            rev = [CODEBOOK["items"][c].get("reverse", False) for c in cols]
            items[:, rev] = 8 - items[:, rev]
            score = items.mean(axis=1)[order]
            q = len(score) // 4
            early, late = score[:q], score[-q:]
            values.append((late.mean() - early.mean()) / np.sqrt((early.var(ddof=1) + late.var(ddof=1)) / 2))
        assert len(values) >= 12
        return float(np.mean(values))

    biased = scenario_parameters("biased")
    assert d_late(biased) > NONRESPONSE_D  # observed (attenuated by measurement error) still above .8
    assert abs(d_late(DGPParameters())) < 0.15
    assert late_response_d(biased, draws=DRAWS) == pytest.approx(1.44, abs=0.03)
    assert late_response_d(DGPParameters()) == 0.0


def test_later_wave_loadings_and_intercepts_differ():
    """Item on its latent by wave: slope (loading x item scale) and intercept of the first two items of INST."""
    params = scenario_parameters("biased")
    rng = np.random.default_rng(9)
    latents = simulate_latents(rng, 60_000, params)
    slopes = {}
    for wave in ("wave-1", "wave-2"):
        items = simulate_items(np.random.default_rng(10), latents, CODEBOOK, params.for_wave(wave)).astype(float)
        eta = latents["INST"].to_numpy()
        for j, item in enumerate(CODEBOOK["constructs"]["INST"]["items"][:2]):
            slope, intercept = np.polyfit(eta, items[item].to_numpy(), 1)[0], items[item].mean()
            slopes[wave, j] = (slope, intercept)
    lam = params.loadings["INST"]
    assert slopes["wave-2", 1][0] / slopes["wave-1", 1][0] == pytest.approx(1 - params.noninvariance, abs=0.05)
    assert slopes["wave-1", 1][0] == pytest.approx(lam[1] * params.item_scale, rel=0.1)
    shift = slopes["wave-2", 0][1] - slopes["wave-1", 0][1]
    assert shift == pytest.approx(params.noninvariance * params.item_scale, rel=0.15)
    assert params.for_wave("wave-1") is params and DGPParameters().for_wave("wave-2") == DGPParameters()


def test_contrary_interviews_from_three_archetypes():
    from nero.simulate import simulate_interviews

    three = CONTRARY_PROCESSES["contrary"]["interview_archetypes"]
    written = simulate_interviews(SHIPPED_SEED, 13, three)
    assert {i.archetype for i in written} == set(three) and len(three) == 3
    assert sorted(sum(i.archetype == a for i in written) for a in three) == [4, 4, 5]
    assert {i.archetype for i in simulate_interviews(SHIPPED_SEED, 13)} == {n for n, _ in RECIPES}
    with pytest.raises(ValueError, match="institutional and a virtual"):
        simulate_interviews(1, 13, ("Institutional Optimizer", "Strategic Explorer"))
    with pytest.raises(ValueError, match="unknown"):
        simulate_interviews(1, 13, ("Digital Nomad",))


def test_narrow_review(tmp_path):
    from nero.simulate.slr import simulate_slr

    truth = simulate_slr(SHIPPED_SEED, tmp_path / "narrow", "narrow")
    shipped = simulate_slr(SHIPPED_SEED, tmp_path / "planted")
    coding = truth["coding"] if "coding" in truth else truth
    assert _included(truth) == 62 and _included(shipped) == 70
    assert set(_find(coding, "pathways")) == {"deep transformation"}
    assert "digital international marketing" not in _find(coding, "mediators")
    assert "digital international marketing" in _find(shipped, "mediators")
    with pytest.raises(ValueError, match="unknown review variant"):
        simulate_slr(1, tmp_path / "x", "broad")


def _find(record, key):
    """The first value under ``key`` anywhere in a nested truth record."""
    if isinstance(record, dict):
        if key in record:
            return record[key]
        for value in record.values():
            found = _find(value, key)
            if found is not None:
                return found
    return None


def _included(record):
    return sum(_find(record, "pathways").values())


def test_later_parameters_written_only_when_changed():
    default = DGPParameters().to_dict()
    for name in ("recipes", "late_response_corr", "noninvariance", "interview_archetypes", "slr_review", "item_wave"):
        assert name not in default
    changed = scenario_parameters("contrary").to_dict()
    assert changed["recipes"] == {n: list(c) for n, c in ORCHESTRATED_RECIPES}
    assert changed["interview_archetypes"] == list(CONTRARY_PROCESSES["contrary"]["interview_archetypes"])
    assert scenario_parameters("biased").to_dict()["noninvariance"] == 0.5


@pytest.mark.parametrize(
    "change, ok",
    [
        ({"late_response_corr": 0.999}, True),
        ({"late_response_corr": 1.0}, False),
        ({"late_response_corr": -1.0}, False),
        ({"noninvariance": 0.0}, True),
        ({"noninvariance": 0.999}, True),
        ({"noninvariance": 1.0}, False),
        ({"noninvariance": -0.01}, False),
        ({"late_response_construct": "MARKER"}, False),
        ({"recipes": (("Nobody", ("INST",)),)}, False),
        ({"interview_archetypes": ("Nobody",)}, False),
        ({"slr_review": "broad"}, False),
    ],
)
def test_parameter_checks_at_their_edges(change, ok):
    if ok:
        replace(DGPParameters(), **change)
    else:
        with pytest.raises(ValueError):
            replace(DGPParameters(), **change)


@pytest.mark.parametrize("d, truth", [(0.8, PLANTED_FALSE), (0.7999, PLANTED_TRUE), (-0.8, PLANTED_FALSE)])
def test_nonresponse_truth_at_the_bound(monkeypatch, d, truth):
    """d exactly at the registry's bound is a bias (the claim excludes differences 'as large as d = .8')."""
    from nero.simulate import truth_map

    monkeypatch.setattr(truth_map, "late_response_d", lambda params, draws=0: d)
    out = truth_map.claims_truth("planted", overrides={"late_response_corr": 0.3}, draws=2000)
    assert out["claims"]["survey.no_nonresponse_bias"]["truth"] == truth
    assert out["claims"]["survey.no_nonresponse_bias"]["parameters"]["late_minus_early_d"] == d


def test_contrary_process_takes_no_effect_scale():
    with pytest.raises(ValueError, match="weak"):
        scenario_parameters("contrary", effect_scale=0.5)
