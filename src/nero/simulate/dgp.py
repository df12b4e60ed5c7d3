"""The data-generating process (DGP) of the synthetic stand-in survey.

Every number the generator uses lives in :class:`DGPParameters`; its
:meth:`~DGPParameters.to_dict` is written to ``truth/truth.json`` so that each
analysis stage can test parameter recovery. The process, step by step (``i``
indexes firms):

1. **Strategy type.** ``type_i ~ Categorical(type_probs)`` over eight latent
   types: the four archetypes of Study 1 (``IO`` Institutional Optimizer, ``SE``
   Strategic Explorer, ``PO`` Platform Optimizer, ``AGS`` Agile Global Scaler)
   and four contrast types (``AMB`` ambidextrous market-seeker, ``NET``
   networked but without a strategic orientation, ``ORI`` oriented but without
   networks, ``LOW`` neither). ``type_means`` gives each type's sign pattern on
   (INST, VIRT, EFF, MKT).
2. **Antecedent latents.** ``eta_i = (type_separation * mu_type + within_sd * e_i)
   / sd_pop`` with ``e_i ~ N(0, latent_corr)``; ``sd_pop`` (per construct,
   computed from the mixture) makes each latent unit-variance in the population.
   The four latents are therefore correlated through the type mixture and
   through ``latent_corr``.
3. **Domestic capacity (CAP).** ``cap_raw = sum_k cap_coef[k] * eta_k
   + cap_coef['INSTxVIRT'] * eta_INST * eta_VIRT + N(0, cap_noise_sd)``:
   network ambidexterity (the INST x VIRT product) and market-seeking drive
   capacity; ``eta_CAP = (cap_raw - cap_pop_mean) / cap_pop_sd + cap_level``
   (population mean and SD computed once by Monte Carlo with a fixed seed), so
   CAP is unit-variance and sits ``cap_level`` above the scale midpoint.
4. **Latent set memberships.** The expected construct mean on the 7-point scale
   is ``4 + item_scale * mean(loadings) * eta``; calibrating it with anchors
   2.5 / 4 / 5.5 (direct method) gives the latent membership
   ``m_X = logistic(2 * item_scale * mean_loading_X * eta_X)``. For CAP, the
   membership used by the recipes is shifted by ``cap_gate`` (capacity must be
   clearly present before it unlocks scale-out).
5. **Scale-out (SCO).** The fuzzy part is ``f = max over recipes of min(m_c for c
   in recipe)`` over ``recipes`` (clipped to ``[sco_f_clip, 1 - sco_f_clip]``), i.e. the four
   archetype recipes (or the ``contrary`` process's orchestrated ones) are sufficient for SCO
   and CAP (in every recipe) is necessary. The expected SCO construct mean is
   ``T = 4 + sco_fuzzy_weight * logit(f) / 2 + sco_linear_weight * (sco_cap *
   eta_CAP + sco_cap_x_mkt * eta_CAP * eta_MKT) + sco_intercept + N(0, sco_noise_sd)``
   and is then capped by capacity, ``T = min(T, T_CAP + sco_ceiling_offset +
   N(0, sco_ceiling_sd))`` with ``T_CAP`` the expected CAP construct mean (the
   "logic inversion": firms do not scale out beyond what they scaled up).
   ``eta_SCO = (T - 4) / (item_scale * mean_loading_SCO)``.
6. **Items.** ``y = clip(round(4 + item_scale * (lambda * eta + theta * eps +
   method_loading * c_i)), 1, 7)`` with ``theta = sqrt(1 - lambda^2 -
   method_loading^2)``, ``eps ~ N(0, 1)`` and ``c_i ~ N(0, 1)`` a common-method
   factor shared by every item of respondent ``i`` (in the keyed direction).
   Reverse-worded items are written reversed (``8 - y``) in the raw data.
7. **Marker.** ``eta_MARKER ~ N(0, 1)`` independent of everything; its three
   items load ``marker_loadings``; they share only the common-method factor with
   the substantive items.
8. **Firm variables** (see :func:`simulate_firm_variables`).

The parameters, their defaults and the population moments used in steps 2-3 live in
:mod:`nero.simulate.dgp_parameters`.

The null and weaker-effect processes of the design analysis change these
parameters only (:mod:`nero.simulate.scenarios`); the shipped study uses the
defaults.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from nero.simulate.dgp_parameters import (
    ANTECEDENTS,
    RECIPE_CODES,
    DGPParameters,
    cap_population_moments,
    cap_raw,
    draw_antecedents,
)


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def latent_membership(eta: np.ndarray, construct: str, params: DGPParameters, shift: float = 0.0) -> np.ndarray:
    """Fuzzy membership the direct calibration (2.5 / 4 / 5.5) gives the expected construct mean."""
    slope = 2.0 * params.item_scale * float(np.mean(params.loadings[construct]))
    return _logistic(slope * (eta - shift))


def simulate_latents(rng: np.random.Generator, n: int, params: DGPParameters | None = None) -> pd.DataFrame:
    """Draw ``n`` firms' latent scores.

    Parameters
    ----------
    rng
        Random generator (consumed in a fixed order).
    n
        Number of firms.
    params
        DGP parameters; defaults to :class:`DGPParameters`.

    Returns
    -------
    pandas.DataFrame
        Columns ``type`` and the unit-scale latents ``INST, VIRT, EFF, MKT, CAP,
        SCO, MARKER, METHOD``, the latent memberships ``m_INST ... m_CAP``, the
        recipe memberships ``f_<type code>``, their maximum ``f`` and the expected
        SCO construct mean ``T_SCO``.
    """
    params = params or DGPParameters()
    types = list(params.type_means)
    cls, eta = draw_antecedents(rng, n, params)
    cap = _draw_capacity(rng, eta, params)
    frame = pd.DataFrame({"type": [types[c] for c in cls]})
    for j, name in enumerate(ANTECEDENTS):
        frame[name] = eta[:, j]
    frame["CAP"] = cap
    fuzzy = _add_memberships(frame, cap, params)
    target = _draw_sco_target(rng, fuzzy, cap, frame["MKT"].to_numpy(), params)
    frame["T_SCO"] = target
    frame["SCO"] = (target - params.item_center) / (params.item_scale * float(np.mean(params.loadings["SCO"])))
    frame["MARKER"] = rng.standard_normal(n)
    frame["METHOD"] = rng.standard_normal(n)
    return frame


def _draw_capacity(rng: np.random.Generator, eta: np.ndarray, params: DGPParameters) -> np.ndarray:
    """CAP latent (step 3): the raw score standardised by its population moments, plus ``cap_level``."""
    cap_mean, cap_sd = cap_population_moments(params)
    return (cap_raw(eta, rng.normal(0.0, params.cap_noise_sd, len(eta)), params) - cap_mean) / cap_sd + params.cap_level


def _add_memberships(frame: pd.DataFrame, cap: np.ndarray, params: DGPParameters) -> np.ndarray:
    """Add the latent memberships ``m_*`` and recipe memberships ``f_*`` and ``f`` (step 4); return ``f``."""
    members = {name: latent_membership(frame[name].to_numpy(), name, params) for name in ANTECEDENTS}
    members["CAP"] = latent_membership(cap, "CAP", params, shift=params.cap_gate)
    for name, value in members.items():
        frame[f"m_{name}"] = value
    recipe_values = []
    for recipe_name, conditions in params.recipes:
        value = np.minimum.reduce([members[c] for c in conditions])
        frame[f"f_{RECIPE_CODES[recipe_name]}"] = value
        recipe_values.append(value)
    clip = params.sco_f_clip
    fuzzy = np.clip(np.max(recipe_values, axis=0), clip, 1.0 - clip)
    frame["f"] = fuzzy
    return fuzzy


def _draw_sco_target(
    rng: np.random.Generator, fuzzy: np.ndarray, cap: np.ndarray, mkt: np.ndarray, params: DGPParameters
) -> np.ndarray:
    """Expected SCO construct mean (step 5), capped by the capacity ceiling."""
    n = len(fuzzy)
    linear = params.sco_cap * cap + params.sco_cap_x_mkt * cap * mkt
    target = (
        params.item_center
        + params.sco_fuzzy_weight * np.log(fuzzy / (1.0 - fuzzy)) / 2.0
        + params.sco_linear_weight * linear
        + params.sco_intercept
        + rng.normal(0.0, params.sco_noise_sd, n)
    )
    cap_target = params.item_center + params.item_scale * float(np.mean(params.loadings["CAP"])) * cap
    ceiling = cap_target + params.sco_ceiling_offset + rng.normal(0.0, params.sco_ceiling_sd, n)
    return np.minimum(target, ceiling)


def item_loadings(codebook: dict[str, Any], params: DGPParameters) -> dict[str, float]:
    """Loading of every canonical item (codebook order) from ``params.loadings``."""
    out: dict[str, float] = {}
    for construct, spec in codebook["constructs"].items():
        values = params.loadings[construct]
        if len(values) != len(spec["items"]):
            raise ValueError(f"{construct}: {len(spec['items'])} items but {len(values)} loadings")
        out.update(dict(zip(spec["items"], values)))
    return {item: out[item] for item in codebook["items"]}


def simulate_items(
    rng: np.random.Generator,
    latents: pd.DataFrame,
    codebook: dict[str, Any],
    params: DGPParameters | None = None,
) -> pd.DataFrame:
    """Draw the raw 7-point answers of every Likert item.

    Parameters
    ----------
    rng
        Random generator.
    latents
        Output of :func:`simulate_latents`.
    codebook
        Parsed codebook (item order, constructs, reverse flags, scale).
    params
        DGP parameters.

    Returns
    -------
    pandas.DataFrame
        One integer column per canonical item, as the respondent answered it
        (reverse-worded items already reversed, i.e. as in the raw export).
    """
    params = params or DGPParameters()
    lo, hi = codebook["scale"]["min"], codebook["scale"]["max"]
    loadings = item_loadings(codebook, params)
    n = len(latents)
    noise = rng.standard_normal((n, len(loadings)))
    method = latents["METHOD"].to_numpy()
    shifts = {}
    for construct, spec in codebook["constructs"].items():
        shifts.update(zip(spec["items"], params.item_shifts(construct, len(spec["items"]))))
    out = {}
    for j, (item, lam) in enumerate(loadings.items()):
        spec = codebook["items"][item]
        eta = latents[spec["construct"]].to_numpy()
        theta = np.sqrt(1.0 - lam**2 - params.method_loading**2)
        score = lam * eta + theta * noise[:, j] + params.method_loading * method
        if shifts[item]:
            score = score + shifts[item]
        value = np.clip(np.round(params.item_center + params.item_scale * score), lo, hi).astype(int)
        if spec.get("reverse", False):
            value = lo + hi - value
        out[item] = value
    return pd.DataFrame(out, index=latents.index)


def simulate_firm_variables(
    rng: np.random.Generator,
    latents: pd.DataFrame,
    params: DGPParameters | None = None,
    survey_year: int = 2025,
) -> pd.DataFrame:
    """Draw the firm variables (controls) of each firm.

    ``employees = clip(round(exp(log(employees_median) + employees_cap_slope *
    eta_CAP + N(0, employees_log_sd))), 2, 199)``; firm age ``= clip(round(exp(
    log(age_median) + N(0, age_log_sd))), 1, 60)`` and ``founding_year =
    survey_year - age``; ``sector ~ Categorical(sector_probs)`` (independent of
    the latents); ``foreign_markets ~ Poisson(exp(markets_log_mean +
    markets_sco_slope * eta_SCO))`` clipped to 0..60; ``years_abroad ~
    Binomial(age, years_abroad_share)`` (0 when the firm sells in no foreign
    market).

    Returns
    -------
    pandas.DataFrame
        Integer columns ``employees, founding_year, sector, foreign_markets, years_abroad``.
    """
    params = params or DGPParameters()
    n = len(latents)
    log_emp = (
        np.log(params.employees_median)
        + params.employees_cap_slope * latents["CAP"].to_numpy()
        + rng.normal(0.0, params.employees_log_sd, n)
    )
    employees = np.clip(np.round(np.exp(log_emp)), 2, 199).astype(int)
    age = np.clip(np.round(np.exp(np.log(params.age_median) + rng.normal(0.0, params.age_log_sd, n))), 1, 60).astype(
        int
    )
    codes = np.array(list(params.sector_probs), dtype=int)
    probs = np.array(list(params.sector_probs.values()), dtype=float)
    sector = codes[rng.choice(len(codes), size=n, p=probs / probs.sum())]
    rate = np.exp(params.markets_log_mean + params.markets_sco_slope * latents["SCO"].to_numpy())
    markets = np.clip(rng.poisson(rate), 0, 60).astype(int)
    years = rng.binomial(age, params.years_abroad_share).astype(int)
    years = np.where(markets == 0, 0, np.maximum(years, 1))
    return pd.DataFrame(
        {
            "employees": employees,
            "founding_year": survey_year - age,
            "sector": sector,
            "foreign_markets": markets,
            "years_abroad": years,
        },
        index=latents.index,
    )
