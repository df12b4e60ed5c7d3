"""The truth map: what the data-generating process plants for every claim of the thesis.

For any scenario the generator can produce (planted, null, weak at any effect scale, any
N, any parameter overrides), :func:`claims_truth` says for each claim of
config/claims.yaml whether the process makes it **planted true**, **planted false**, or
whether it is **not identifiable by this design** (the study's design cannot tell it
apart from its rival, whatever the data), each with the DGP parameters that make it so.
The claims stage's verdicts are scored against it: in the tests on the shipped study and
on simulated studies, and in the design analysis (:mod:`nero.design`), whose replicates
count a "supported" verdict on a claim that is not planted true as a false support.

How each truth is read from the process (:mod:`nero.simulate.dgp`):

- Configurational claims read the recipes (step 5): sufficiency is planted when the
  recipes enter SCO (``sco_fuzzy_weight > 0``); CAP is a planted prerequisite of SCO when
  it is in every recipe or the capacity ceiling binds (``sco_ceiling_offset`` below
  :data:`~nero.simulate.scenarios.NO_CEILING`), and its non-trivialness is the
  population relevance of necessity of the latent memberships.
- Effects are population regression coefficients of the **latent** scores on one large
  fixed-seed sample (:data:`TRUTH_DRAWS` firms), with the adjustment set of the declared
  causal model (the other antecedents, which share the strategy-type mixture): the
  INST x VIRT (ambidexterity) effects on CAP and on SCO (total, direct and the indirect
  effect through CAP) and MKT on CAP. An effect whose population value lies within
  :data:`EFFECT_TOLERANCE` of zero counts as absent.
- A direction of causation between two constructs measured once, in one survey
  (SCO -> CAP against CAP -> SCO), is not identifiable by a cross-sectional design,
  whatever the process; the parameters say which direction the process has.
- Measurement, common-method, non-response and invariance claims read the item model
  and the fielding process (loadings, ``method_loading``; the response order, independent of
  the latents unless ``late_response_corr`` orders it by a latent, then the population d of
  the last against the first quarter of respondents, :func:`late_response_d`; the same
  loadings and intercepts in every wave unless ``noninvariance`` changes a later wave's).
- Study 1 and the review: the interviews are written from the archetype scripts of
  ``interview_archetypes`` (four unless the ``contrary`` process leaves one out) and the
  review's included set is planted (``slr_truth.json``; 70 articles on both pathways unless
  ``slr_review`` is ``narrow``). The "why" of the four-archetype case keeps the wording of the
  shipped ``claims_truth.json``, which must stay byte-identical.

The function imports numpy only (no analysis package): the truth is a property of the
process, not of the study's estimators.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from nero.simulate.dgp import simulate_latents
from nero.simulate.dgp_parameters import ANTECEDENTS, RECIPES, DGPParameters
from nero.simulate.scenarios import NO_CEILING, effect_scale_of, scenario_parameters

#: The three truth values of a claim.
PLANTED_TRUE = "planted true"
PLANTED_FALSE = "planted false"
NOT_IDENTIFIABLE = "not identifiable by this design"
TRUTHS = (PLANTED_TRUE, PLANTED_FALSE, NOT_IDENTIFIABLE)

#: Firms and seed of the fixed population sample of the latent effects.
TRUTH_DRAWS = 200_000
TRUTH_SEED = 20251125
#: Latent population effects (SD units of the latents) within this distance of zero are absent.
EFFECT_TOLERANCE = 0.02
#: Population relevance of necessity (RoN) below which a necessary condition is trivial
#: (the registry's ``necessity_relevance``; the claims test checks that they agree).
RELEVANCE_MIN = 0.50
#: Population necessity consistency a planted prerequisite reaches (registry ``necessity_consistency``).
NECESSITY_MIN = 0.90
#: Share of firms in both sets (membership above 0.5) that makes two strategies combinable
#: rather than mutually exclusive (registry ``min_share_both``).
BOTH_SHARE_MIN = 0.10
#: Largest inflation of a correlation between two construct means by the common-method
#: factor that is "not a serious concern" (Cohen's small correlation, .10).
CMV_INFLATION_MAX = 0.10
#: Smallest average squared loading (AVE) of a valid construct (Fornell & Larcker 1981).
AVE_MIN = 0.50
#: Early-late difference (Cohen's d, pooled SD) of the registry's non-response claim
#: (``sem.nonresponse_equivalence_d``): a bias is planted when late respondents differ by at least this.
NONRESPONSE_D = 0.80


def late_response_d(params: DGPParameters, draws: int = TRUTH_DRAWS, seed: int = TRUTH_SEED) -> float:
    """Population Cohen's d of the latent ``late_response_construct``, last minus first quarter of respondents.

    Respondents are ordered as the generator hands out their recorded times
    (:func:`nero.simulate.survey_draws.order_times_by_latent`: by ``r * eta + sqrt(1 - r^2) * z``);
    d is the difference of the latent means of the last and the first quarter over their pooled
    SD, on one fixed-seed sample of ``draws`` firms (rounded to 4 decimals). 0 when the times are
    independent of the latents (``late_response_corr`` 0).
    """
    r = float(params.late_response_corr)
    if r == 0.0:
        return 0.0
    frame = simulate_latents(np.random.default_rng(seed), draws, params)
    eta = frame[params.late_response_construct].to_numpy()
    score = r * eta + np.sqrt(1.0 - r**2) * np.random.default_rng(seed + 1).standard_normal(draws)
    order = np.argsort(score, kind="stable")
    quarter = draws // 4
    early, late = eta[order[:quarter]], eta[order[-quarter:]]
    pooled = np.sqrt((early.var(ddof=1) + late.var(ddof=1)) / 2.0)
    return round(float((late.mean() - early.mean()) / pooled), 4)


def _ols(y: np.ndarray, columns: Mapping[str, np.ndarray]) -> dict[str, float]:
    """Population OLS coefficients of ``y`` on ``columns`` (with an intercept), by name."""
    x = np.column_stack([np.ones(len(y)), *columns.values()])
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    return {name: float(b) for name, b in zip(columns, beta[1:])}


def population_effects(params: DGPParameters, draws: int = TRUTH_DRAWS, seed: int = TRUTH_SEED) -> dict[str, float]:
    """Latent population values of the effects the claims are about (rounded to 4 decimals).

    Returns
    -------
    dict
        ``amb_on_cap`` (INST x VIRT on CAP given INST, VIRT, EFF, MKT), ``amb_total_on_sco``
        (INST x VIRT on SCO given INST, VIRT, EFF, MKT), ``amb_direct_on_sco`` (the same
        given CAP too), ``cap_on_sco`` (CAP on SCO given the antecedents and INST x VIRT),
        ``amb_indirect_via_cap`` (= ``amb_on_cap * cap_on_sco``), ``mkt_on_cap`` (MKT on
        CAP given INST, VIRT, EFF and INST x VIRT), the membership shares ``both_INST_VIRT``
        and ``both_EFF_MKT`` (firms with latent membership above 0.5 in both sets), and the
        latent necessity of CAP for SCO: ``cap_necessity_inclN`` and ``cap_necessity_RoN``.
    """
    frame = simulate_latents(np.random.default_rng(seed), draws, params)
    eta = {k: frame[k].to_numpy() for k in (*ANTECEDENTS, "CAP", "SCO")}
    centred = {k: eta[k] - eta[k].mean() for k in ANTECEDENTS}
    amb = centred["INST"] * centred["VIRT"]
    base = {"INST": centred["INST"], "VIRT": centred["VIRT"], "EFF": centred["EFF"], "MKT": centred["MKT"], "AMB": amb}
    on_cap = _ols(eta["CAP"], base)
    total = _ols(eta["SCO"], base)
    direct = _ols(eta["SCO"], {**base, "CAP": eta["CAP"]})
    m_sco = _membership(eta["SCO"], "SCO", params)
    m_cap = frame["m_CAP"].to_numpy()
    both = np.minimum(m_cap, m_sco)
    out = {
        "amb_on_cap": on_cap["AMB"],
        "amb_total_on_sco": total["AMB"],
        "amb_direct_on_sco": direct["AMB"],
        "cap_on_sco": direct["CAP"],
        "amb_indirect_via_cap": on_cap["AMB"] * direct["CAP"],
        "mkt_on_cap": on_cap["MKT"],
        "both_INST_VIRT": float(np.mean((frame["m_INST"] > 0.5) & (frame["m_VIRT"] > 0.5))),
        "both_EFF_MKT": float(np.mean((frame["m_EFF"] > 0.5) & (frame["m_MKT"] > 0.5))),
        "cap_necessity_inclN": float(both.sum() / m_sco.sum()),
        "cap_necessity_RoN": float((1 - m_cap).sum() / (1 - both).sum()),
    }
    return {k: round(v, 4) for k, v in out.items()}


def _membership(eta: np.ndarray, construct: str, params: DGPParameters) -> np.ndarray:
    slope = 2.0 * params.item_scale * float(np.mean(params.loadings[construct]))
    return 1.0 / (1.0 + np.exp(-slope * eta))


def _effect(value: float, direction: int = 1) -> bool:
    """Is a population effect present in ``direction`` (beyond :data:`EFFECT_TOLERANCE`)?"""
    return direction * value > EFFECT_TOLERANCE


def _entry(truth: str, why: str, **parameters: Any) -> dict[str, Any]:
    return {"truth": truth, "why": why, "parameters": json.loads(json.dumps(parameters))}


def cmv_inflation(params: DGPParameters) -> float:
    """Largest inflation of the correlation of two construct means by the common-method factor.

    Two unrelated constructs A and B (item means of k_A and k_B items) share only the
    method factor: cov = method_loading^2; var(mean of A) = (mean loading)^2 +
    method_loading^2 + mean(theta^2) / k. Returned over every pair of constructs.
    """
    m2 = params.method_loading**2
    var = {}
    for construct, lam in params.loadings.items():
        lam = np.asarray(lam, dtype=float)
        theta2 = 1.0 - lam**2 - m2
        var[construct] = float(lam.mean() ** 2 + m2 + theta2.mean() / len(lam))
    names = list(var)
    return round(max(m2 / np.sqrt(var[a] * var[b]) for i, a in enumerate(names) for b in names[i + 1 :]), 4)


def claims_truth(
    scenario: str = "planted",
    effect_scale: float | None = None,
    overrides: Mapping[str, Any] | None = None,
    n_firms: int | None = None,
    params: DGPParameters | None = None,
    draws: int = TRUTH_DRAWS,
) -> dict[str, Any]:
    """The truth of every claim of the registry under one process of the generator.

    Parameters
    ----------
    scenario, effect_scale, overrides
        The process (:func:`nero.simulate.scenarios.scenario_parameters`).
    n_firms
        Usable firms of the study (recorded; no truth depends on N: a claim the process
        plants is true at any N, and the design analysis measures how often a study of that
        N finds it).
    params
        Parameters to use instead of the scenario's (then ``scenario`` is only a label).
    draws
        Firms of the population sample of the latent effects.

    Returns
    -------
    dict
        ``scenario``, ``effect_scale``, ``overrides``, ``n_firms``, ``population`` (the
        latent population values of :func:`population_effects`), ``tolerances`` and
        ``claims``: claim id -> ``{truth, why, parameters}`` with ``truth`` one of
        :data:`TRUTHS`.
    """
    params = params or scenario_parameters(scenario, effect_scale, overrides)
    scale = effect_scale_of(scenario, effect_scale)
    pop = population_effects(params, draws)
    recipes_on = params.sco_fuzzy_weight != 0.0
    ceiling_on = params.sco_ceiling_offset < NO_CEILING
    recipes = {name: list(conds) for name, conds in params.recipes} if recipes_on else {}
    claims: dict[str, dict[str, Any]] = {}

    written = [name for name, _ in RECIPES if name in params.interview_archetypes]
    claims["study1.four_strategies"] = _entry(
        PLANTED_TRUE if len(written) == len(RECIPES) else PLANTED_FALSE,
        "the thirteen interviews are written from the four archetype scripts (every archetype "
        "at least twice) in every scenario; the second coder agrees with the first on most segments "
        "(planted pooled character-level alpha about .87, above the registry's .80: "
        "nero.simulate.interviews.SECOND_CODER_SAME)"
        if len(written) == len(RECIPES)
        else f"the interviews are written from {len(written)} archetype scripts only ({', '.join(written)}): "
        "no four distinct strategies to distil",
        archetypes=written,
    )
    eq = recipes_on and len(recipes) >= 2
    claims["study2.equifinality"] = _entry(
        PLANTED_TRUE if eq else PLANTED_FALSE,
        "several distinct recipes are sufficient for SCO" if eq else "no recipe enters SCO (sco_fuzzy_weight = 0)",
        recipes=recipes,
        sco_fuzzy_weight=params.sco_fuzzy_weight,
    )
    joint = [name for name, conds in recipes.items() if {"INST", "VIRT"} <= set(conds)]
    orchestrated = bool(recipes) and len(joint) == len(recipes)
    claims["study2.orchestration"] = _entry(
        PLANTED_TRUE if orchestrated else PLANTED_FALSE,
        "every planted recipe joins INST and VIRT"
        if orchestrated
        else "no recipe is planted"
        if not recipes
        else f"planted recipes without INST and VIRT together: {', '.join(n for n in recipes if n not in joint)}",
        recipes=recipes,
    )
    both_ok = pop["both_INST_VIRT"] >= BOTH_SHARE_MIN and pop["both_EFF_MKT"] >= BOTH_SHARE_MIN
    claims["study2.not_mutually_exclusive"] = _entry(
        PLANTED_TRUE if both_ok else PLANTED_FALSE,
        f"population shares of firms in both sets: INST and VIRT {pop['both_INST_VIRT']:.3f}, EFF and MKT "
        f"{pop['both_EFF_MKT']:.3f} (combinable when both >= {BOTH_SHARE_MIN})",
        type_probs=params.type_probs,
        type_means={k: list(v) for k, v in params.type_means.items()},
        both_INST_VIRT=pop["both_INST_VIRT"],
        both_EFF_MKT=pop["both_EFF_MKT"],
    )
    necessary = (ceiling_on or recipes_on) and pop["cap_necessity_inclN"] >= NECESSITY_MIN
    relevant = pop["cap_necessity_RoN"] >= RELEVANCE_MIN
    claims["study2.logic_inversion.necessity"] = _entry(
        PLANTED_TRUE if necessary and relevant else PLANTED_FALSE,
        (
            "CAP is in every recipe and the capacity ceiling caps SCO; "
            if ceiling_on and recipes_on
            else "the capacity ceiling caps SCO; "
            if ceiling_on
            else "CAP is in every recipe; "
            if recipes_on
            else "no ceiling and no recipe: SCO does not need CAP; "
        )
        + f"latent population inclN {pop['cap_necessity_inclN']:.3f} (>= {NECESSITY_MIN}), RoN "
        f"{pop['cap_necessity_RoN']:.3f} (>= {RELEVANCE_MIN})",
        sco_ceiling_offset=params.sco_ceiling_offset,
        cap_gate=params.cap_gate,
        cap_level=params.cap_level,
        recipes_on=recipes_on,
        inclN=pop["cap_necessity_inclN"],
        RoN=pop["cap_necessity_RoN"],
    )
    mediates = _effect(pop["amb_indirect_via_cap"]) and _effect(pop["amb_total_on_sco"])
    claims["study2.logic_inversion.mediation"] = _entry(
        PLANTED_TRUE if mediates else PLANTED_FALSE,
        f"indirect effect of INST x VIRT on SCO through CAP {pop['amb_indirect_via_cap']:+.4f}, total effect "
        f"{pop['amb_total_on_sco']:+.4f} (latent population values; 'leads to international scaling' needs both "
        f"above +{EFFECT_TOLERANCE})",
        cap_coef_INSTxVIRT=params.cap_coef["INSTxVIRT"],
        sco_cap=params.sco_cap,
        indirect=pop["amb_indirect_via_cap"],
        total=pop["amb_total_on_sco"],
        direct=pop["amb_direct_on_sco"],
    )
    inversion = (
        claims["study2.logic_inversion.necessity"]["truth"] == PLANTED_TRUE
        and claims["study2.logic_inversion.mediation"]["truth"] == PLANTED_TRUE
    )
    claims["study2.logic_inversion"] = _entry(
        PLANTED_TRUE if inversion else PLANTED_FALSE,
        "both the necessity and the mediation side are planted"
        if inversion
        else "the necessity side or the mediation side is not planted",
        necessity=claims["study2.logic_inversion.necessity"]["truth"],
        mediation=claims["study2.logic_inversion.mediation"]["truth"],
    )
    multiplies = _effect(pop["amb_on_cap"]) and _effect(pop["amb_total_on_sco"])
    claims["study2.ambidexterity_multiplier"] = _entry(
        PLANTED_TRUE if multiplies else PLANTED_FALSE,
        f"INST x VIRT on CAP {pop['amb_on_cap']:+.4f}, total effect on SCO {pop['amb_total_on_sco']:+.4f} "
        f"(a growth multiplier raises growth: both above +{EFFECT_TOLERANCE})",
        cap_coef_INSTxVIRT=params.cap_coef["INSTxVIRT"],
        amb_on_cap=pop["amb_on_cap"],
        amb_total_on_sco=pop["amb_total_on_sco"],
    )
    claims["study2.capacity_boosting"] = _entry(
        PLANTED_TRUE if _effect(pop["mkt_on_cap"]) else PLANTED_FALSE,
        f"MKT on CAP given INST, VIRT, EFF and INST x VIRT: {pop['mkt_on_cap']:+.4f} (cap_coef MKT "
        f"{params.cap_coef['MKT']})",
        cap_coef_MKT=params.cap_coef["MKT"],
        mkt_on_cap=pop["mkt_on_cap"],
    )
    claims["study2.scale_out_to_scale_up"] = _entry(
        NOT_IDENTIFIABLE,
        "one cross-sectional survey measures CAP and SCO once: SCO -> CAP and CAP -> SCO imply the same "
        "association and the same subset relation; the process itself has CAP -> SCO and no SCO -> CAP path",
        cap_coef=dict(params.cap_coef),
        sco_cap=params.sco_cap,
        sco_ceiling_offset=params.sco_ceiling_offset,
    )
    archetypal = recipes_on and {n: tuple(c) for n, c in recipes.items()} == dict(RECIPES)
    claims["integration.archetypes_matched"] = _entry(
        PLANTED_TRUE if archetypal else PLANTED_FALSE,
        "each archetype's network and orientation (with CAP) is a planted recipe"
        if archetypal
        else "the archetype recipes are not planted",
        recipes=recipes,
    )
    ave = {k: round(float(np.mean(np.square(v))), 4) for k, v in params.loadings.items()}
    valid = min(ave.values()) >= AVE_MIN
    claims["survey.measurement_validity"] = _entry(
        PLANTED_TRUE if valid else PLANTED_FALSE,
        f"each construct's items load on it alone (smallest average squared loading {min(ave.values()):.3f} "
        + (f">= {AVE_MIN})" if valid else f"< {AVE_MIN}: some construct's items share less than half their variance)"),
        average_squared_loading=ave,
    )
    inflation = cmv_inflation(params)
    claims["survey.no_common_method_bias"] = _entry(
        PLANTED_TRUE if inflation < CMV_INFLATION_MAX else PLANTED_FALSE,
        f"the common-method factor (loading {params.method_loading}) inflates a correlation between construct "
        f"means by at most {inflation:.3f} "
        + (
            f"(< {CMV_INFLATION_MAX}: not serious)"
            if inflation < CMV_INFLATION_MAX
            else f"(>= {CMV_INFLATION_MAX}: serious)"
        ),
        method_loading=params.method_loading,
        largest_inflation=inflation,
    )
    late_d = late_response_d(params, draws)
    if params.late_response_corr == 0.0:
        claims["survey.no_nonresponse_bias"] = _entry(
            PLANTED_TRUE,
            "response times are drawn independently of the latents and firm variables",
            response_times="independent of every latent and firm variable",
        )
    else:
        biased = abs(late_d) >= NONRESPONSE_D
        claims["survey.no_nonresponse_bias"] = _entry(
            PLANTED_FALSE if biased else PLANTED_TRUE,
            f"late respondents are ordered by {params.late_response_construct} (correlation "
            f"{params.late_response_corr} with the response order): last minus first quarter d = {late_d:.3f} "
            f"(latent population value; a bias when |d| >= {NONRESPONSE_D})",
            late_response_corr=params.late_response_corr,
            late_response_construct=params.late_response_construct,
            late_minus_early_d=late_d,
        )
    if params.noninvariance == 0.0:
        claims["survey.invariance_across_waves"] = _entry(
            PLANTED_TRUE,
            "every wave uses the same loadings and intercepts (scalar invariance by design)",
            loadings="identical in every wave",
        )
    else:
        claims["survey.invariance_across_waves"] = _entry(
            PLANTED_FALSE,
            f"in every wave after the first, each construct's first item has its intercept raised by "
            f"{params.noninvariance} SD and its second item's loading multiplied by {1 - params.noninvariance:g} "
            "(neither metric nor scalar invariance)",
            noninvariance=params.noninvariance,
            loadings_later_waves={k: list(v) for k, v in params.for_wave("wave-2").loadings.items() if k != "MARKER"},
        )
    # the review's pathways and mediators are descriptive facts of the registry (no verdict, so no truth)
    if params.slr_review == "planted":
        claims["slr.review_corpus"] = _entry(
            PLANTED_TRUE,
            "the review's searches plant exactly 70 included articles, 2011-2023 (slr_truth.json)",
            source="slr_truth.json",
        )
    else:  # the narrow literature of nero.simulate.slr_works
        claims["slr.review_corpus"] = _entry(
            PLANTED_FALSE,
            "the narrow literature plants 62 included articles, not 70 (slr_truth.json)",
            source="slr_truth.json",
            slr_review=params.slr_review,
        )
    return {
        "synthetic": True,
        "note": "Truth of every claim under this process of the SYNTHETIC stand-in (nero.simulate.truth_map); "
        "not an input of the pipeline.",
        "scenario": scenario,
        "effect_scale": scale,
        "overrides": json.loads(json.dumps(dict(overrides or {}))),
        "n_firms": n_firms,
        "population": pop,
        "population_draws": draws,
        "population_seed": TRUTH_SEED,
        "tolerances": {
            "effect": EFFECT_TOLERANCE,
            "relevance_min": RELEVANCE_MIN,
            "necessity_min": NECESSITY_MIN,
            "both_share_min": BOTH_SHARE_MIN,
            "cmv_inflation_max": CMV_INFLATION_MAX,
            "ave_min": AVE_MIN,
        },
        "claims": claims,
    }


def expected_verdict(truth: str) -> str:
    """The verdict a rule that reads the claim as worded should give: supported, not supported, inconclusive."""
    return {PLANTED_TRUE: "supported", PLANTED_FALSE: "not supported", NOT_IDENTIFIABLE: "inconclusive"}[truth]


__all__ = [
    "NOT_IDENTIFIABLE",
    "PLANTED_FALSE",
    "PLANTED_TRUE",
    "TRUTHS",
    "claims_truth",
    "cmv_inflation",
    "expected_verdict",
    "late_response_d",
    "population_effects",
]
