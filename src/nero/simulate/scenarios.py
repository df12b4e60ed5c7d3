"""Scenarios of the data-generating process: planted, null and weaker effect.

The design analysis (:mod:`nero.design`) simulates the study under processes other
than the shipped one. A scenario is a :class:`~nero.simulate.dgp.DGPParameters`
built from the planted defaults by changing existing parameters only, so the
shipped study (scenario ``planted``, no overrides) is byte-identical.

``planted``
    The shipped process (:mod:`nero.simulate.dgp`): four sufficient recipes, CAP
    necessary for SCO (the capacity ceiling), the INST x VIRT interaction on CAP
    and the mediation of ambidexterity through CAP.
``weak``
    The planted process with every planted effect multiplied by ``effect_scale``
    (``s``, default 0.5): the INST x VIRT coefficient of CAP
    (``cap_coef['INSTxVIRT']``), the weight of the recipes in SCO
    (``sco_fuzzy_weight``), the linear effects of CAP and CAP x MKT on SCO
    (``sco_cap``, ``sco_cap_x_mkt``); the capacity ceiling is raised by
    ``(1 / s - 1)`` SDs of the CAP construct mean (``sco_ceiling_offset``), so it
    binds less often; and the SCO noise (``sco_noise_sd``) is raised so that the
    population SD of the SCO construct mean stays that of the planted process
    (additive variance corrections, repeated on a fixed-seed simulation of
    50 000 firms until the SDs agree within 0.005 scale points). CAP is standardised by the DGP
    itself, so a smaller interaction leaves CAP's variance unchanged.
``null``
    ``weak`` with ``s = 0``: no recipes (SCO does not depend on the recipe
    memberships), no INST x VIRT interaction, no effect of CAP on SCO (so no
    mediation and no CAP x MKT moderation) and no capacity ceiling
    (``sco_ceiling_offset`` = :data:`NO_CEILING`); the main effects of INST,
    VIRT, EFF and MKT on CAP, the measurement model, the firm variables and the
    planted data-quality problems are unchanged, and SCO keeps the planted
    population SD.

The **contrary** processes plant the other side of the claims that the three processes above
plant the same way in every scenario, so that every claim has a process where it is true and
one where it is false (the design's power and false support, :mod:`nero.design.operating`).
Each is the planted process with a few parameters changed (:data:`CONTRARY_PROCESSES`):

``contrary``
    Every sufficient recipe orchestrates INST and VIRT together
    (:data:`~nero.simulate.dgp_parameters.ORCHESTRATED_RECIPES`: INST*VIRT*EFF*CAP and
    INST*VIRT*MKT*CAP; the networked type ``NET`` is efficiency-seeking, ``(1, 1, 1, -1)``, so
    both recipes have firms), so ambidexterity raises scale-out through capacity (a positive
    total and indirect effect of INST x VIRT on SCO); market-seeking has no effect on capacity
    (``cap_coef['MKT'] = 0``); Study 1's thirteen interviews are written from three archetypes
    only (no Agile Global Scaler). Orchestration, mediation, the logic inversion and the growth
    multiplier are planted true; capacity boosting, the four archetype recipes and the four
    strategies of Study 1 false.
``mismeasured``
    Every substantive loading times 0.7 (average squared loadings .30-.38): no construct
    reaches AVE .50 (measurement validity planted false); and the review's literature is the
    ``narrow`` one (:data:`nero.simulate.slr_works.SLR_VARIANTS`: 62 included articles, all on
    the deep transformation pathway, none coding digital international marketing), so the
    three review claims are false; the rest of the survey process as planted.
``biased``
    A strong common-method factor (``method_loading`` 0.42), late respondents who score higher
    on INST (``late_response_corr`` 0.45 on INST: d = 1.44 between the first and last
    quarter of respondents) and loadings and intercepts that differ in the second wave
    (``noninvariance`` 0.5): the common-method, non-response and invariance claims planted false.
``exclusive``
    No strategy type that combines both networks or both orientations (``type_probs`` of AMB,
    NET and ORI 0), so INST and VIRT, and EFF and MKT, are almost mutually exclusive (latent
    shares of firms in both sets below .001): the combinability claim planted false. Apart from
    ``biased`` because the common-method factor moves every item of a respondent together and
    lifts the observed share of firms in both sets to about .05-.09, near the registry's .10.
    Without the INST x VIRT interaction on CAP (``cap_coef['INSTxVIRT'] = 0``): where the two
    networks almost never meet, their latent product is another variable (nearly always of
    opposite signs), and the planted interaction would make the latent total effect of
    ambidexterity on SCO positive (+.31) while the study's estimator on the observed construct
    means finds it negative (-.03; measurement error and the clipped items); without it every
    ambidexterity claim is false on both scales.

Any scenario takes further ``overrides`` (a mapping of parameter name to value;
dict-valued parameters such as ``cap_coef`` are merged key by key), applied
after the scenario's own changes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

import numpy as np

from nero.simulate.dgp import simulate_latents
from nero.simulate.dgp_parameters import ORCHESTRATED_RECIPES, DGPParameters

#: Parameter changes of each contrary process (module docstring), applied to the planted process.
CONTRARY_PROCESSES: dict[str, dict[str, Any]] = {
    "contrary": {
        "recipes": ORCHESTRATED_RECIPES,
        "type_means": {"NET": (1.0, 1.0, 1.0, -1.0)},
        "cap_coef": {"MKT": 0.0},
        "interview_archetypes": ("Institutional Optimizer", "Strategic Explorer", "Platform Optimizer"),
    },
    "mismeasured": {
        "loadings": {
            k: tuple(round(0.7 * v, 4) for v in lam) for k, lam in DGPParameters().loadings.items() if k != "MARKER"
        },
        "slr_review": "narrow",
    },
    "biased": {
        "method_loading": 0.42,
        "late_response_corr": 0.45,
        "late_response_construct": "INST",
        "noninvariance": 0.5,
    },
    "exclusive": {
        "type_probs": {"AMB": 0.0, "NET": 0.0, "ORI": 0.0},
        "cap_coef": {"INSTxVIRT": 0.0},
    },
}

#: Scenario names understood by :func:`scenario_parameters`.
SCENARIOS = ("planted", "weak", "null", *CONTRARY_PROCESSES)

#: Default effect scale of the ``weak`` scenario.
DEFAULT_WEAK_SCALE = 0.5

#: Ceiling offset (scale points) that never binds on a 1-7 scale: "no ceiling".
NO_CEILING = 100.0

#: Firms and seed of the fixed simulation that matches SCO's population SD.
_SD_DRAWS = 50_000
_SD_SEED = 20240612
#: Additive variance corrections at most, and the SD tolerance that ends them.
_SD_STEPS = 6
_SD_TOLERANCE = 0.005


def sco_population_sd(params: DGPParameters, draws: int = _SD_DRAWS) -> float:
    """Population SD of the expected SCO construct mean ``T_SCO`` (fixed-seed simulation).

    Parameters
    ----------
    params
        DGP parameters.
    draws
        Simulated firms.

    Returns
    -------
    float
        SD rounded to 4 decimals (stable across platforms).
    """
    frame = simulate_latents(np.random.default_rng(_SD_SEED), draws, params)
    return round(float(frame["T_SCO"].std()), 4)


def _apply_overrides(params: DGPParameters, overrides: Mapping[str, Any] | None) -> DGPParameters:
    if not overrides:
        return params
    names = {f.name for f in fields(DGPParameters)}
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if key not in names:
            raise ValueError(f"unknown DGP parameter {key!r} in overrides; expected one of {sorted(names)}")
        current = getattr(params, key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            unknown = set(value) - set(current)
            if unknown and key in ("cap_coef", "type_probs", "type_means", "loadings"):
                raise ValueError(f"overrides[{key!r}]: unknown key(s) {sorted(unknown)}; expected {sorted(current)}")
            merged = dict(current)
            merged.update(value)
            changes[key] = merged
        elif isinstance(current, float):
            try:
                changes[key] = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"overrides[{key!r}] = {value!r}: expected a number") from None
        else:
            changes[key] = value
    return replace(params, **changes)


def scenario_parameters(
    scenario: str = "planted",
    effect_scale: float | None = None,
    overrides: Mapping[str, Any] | None = None,
    base: DGPParameters | None = None,
) -> DGPParameters:
    """DGP parameters of a named scenario (see the module docstring).

    Parameters
    ----------
    scenario
        ``planted``, ``weak`` or ``null``.
    effect_scale
        ``s`` of the ``weak`` scenario, in (0, 1]; default :data:`DEFAULT_WEAK_SCALE`.
        Not allowed for ``planted`` and ``null`` (use overrides there).
    overrides
        Further parameter changes, applied last.
    base
        Parameters the scenario starts from (default: the planted :class:`DGPParameters`).

    Returns
    -------
    DGPParameters

    Raises
    ------
    ValueError
        Unknown scenario, an effect scale outside (0, 1], or a bad override.
    """
    base = base or DGPParameters()
    scale = _scenario_scale(scenario, effect_scale)
    if scenario in CONTRARY_PROCESSES:
        return _apply_overrides(_apply_overrides(base, CONTRARY_PROCESSES[scenario]), overrides)
    if scale is None:
        return _apply_overrides(base, overrides)
    scaled = _scaled_default(scale) if base == DGPParameters() else _scaled(base, scale)
    return _apply_overrides(scaled, overrides)


def check_scenario(
    scenario: str = "planted",
    effect_scale: float | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> None:
    """Raise the ValueError :func:`scenario_parameters` would raise, without building the process.

    The ``weak`` and ``null`` processes take a fixed-seed simulation of 50 000 firms each
    (about 0.3 s); the workflow checks the design's scenarios at every start, so it checks
    them here. The scaling changes parameter values only, never their names or types, so the
    overrides are checked against the planted parameters.

    Raises
    ------
    ValueError
        Unknown scenario, an effect scale outside (0, 1] or on a scenario other than
        ``weak``, or a bad override.
    """
    _scenario_scale(scenario, effect_scale)
    _apply_overrides(DGPParameters(), overrides)


def _scenario_scale(scenario: str, effect_scale: float | None) -> float | None:
    """The effect scale of a scenario (None: the planted process), checked."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {list(SCENARIOS)}")
    if scenario == "planted" or scenario in CONTRARY_PROCESSES:
        if effect_scale is not None:
            raise ValueError("effect_scale applies to the 'weak' scenario only")
        return None
    if scenario == "null":
        if effect_scale is not None:
            raise ValueError("effect_scale applies to the 'weak' scenario only (null is s = 0)")
        return 0.0
    scale = DEFAULT_WEAK_SCALE if effect_scale is None else float(effect_scale)
    if not 0.0 < scale <= 1.0:
        raise ValueError(f"effect_scale must be in (0, 1]; got {effect_scale!r}")
    return scale


@functools.lru_cache(maxsize=16)
def _scaled_default(scale: float) -> DGPParameters:
    return _scaled(DGPParameters(), scale)


def _scaled(base: DGPParameters, scale: float) -> DGPParameters:
    """The planted process with every planted effect multiplied by ``scale``."""
    if scale == 1.0:
        return base
    coef = dict(base.cap_coef)
    coef["INSTxVIRT"] = base.cap_coef["INSTxVIRT"] * scale
    cap_sd_scale = base.item_scale * float(np.mean(base.loadings["CAP"]))
    offset = NO_CEILING if scale == 0.0 else base.sco_ceiling_offset + (1.0 / scale - 1.0) * cap_sd_scale
    scaled = replace(
        base,
        cap_coef=coef,
        sco_fuzzy_weight=base.sco_fuzzy_weight * scale,
        sco_cap=base.sco_cap * scale,
        sco_cap_x_mkt=base.sco_cap_x_mkt * scale,
        sco_ceiling_offset=round(offset, 6),
    )
    target = sco_population_sd(base)
    for _ in range(_SD_STEPS):
        current = sco_population_sd(scaled)
        if abs(current - target) <= _SD_TOLERANCE:
            break
        noise = float(np.sqrt(max(scaled.sco_noise_sd**2 + target**2 - current**2, base.sco_noise_sd**2)))
        scaled = replace(scaled, sco_noise_sd=round(noise, 4))
    return scaled


def effect_scale_of(scenario: str, effect_scale: float | None = None) -> float:
    """The effect scale of a process: 1 for planted and the contrary processes, 0 for null, ``s`` for weak."""
    if scenario == "null":
        return 0.0
    if scenario == "weak":
        return DEFAULT_WEAK_SCALE if effect_scale is None else float(effect_scale)
    return 1.0


def scenario_truth(
    scenario: str = "planted",
    effect_scale: float | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What a scenario plants: its recipes, necessary conditions and effects.

    Returns
    -------
    dict
        ``scenario``, ``effect_scale`` (1 planted, 0 null), ``overrides``,
        ``recipes`` (name -> conditions; empty under the null), ``necessary``
        (``['CAP']``, empty under the null), ``interaction_INSTxVIRT``,
        ``mediation`` and ``moderation_CAPxMKT`` (booleans: is the effect
        non-zero in the process).
    """
    params = scenario_parameters(scenario, effect_scale, overrides)
    scale = effect_scale_of(scenario, effect_scale)
    recipes_on = params.sco_fuzzy_weight != 0.0
    ceiling_on = params.sco_ceiling_offset < NO_CEILING
    return {
        "scenario": scenario,
        "effect_scale": scale,
        "overrides": json.loads(json.dumps(dict(overrides or {}))),
        "recipes": {name: list(conds) for name, conds in params.recipes} if recipes_on else {},
        "necessary": ["CAP"] if ceiling_on or recipes_on else [],
        "interaction_INSTxVIRT": params.cap_coef["INSTxVIRT"] != 0.0,
        "mediation": params.cap_coef["INSTxVIRT"] != 0.0 and (params.sco_cap != 0.0 or recipes_on or ceiling_on),
        "moderation_CAPxMKT": params.sco_cap_x_mkt != 0.0,
    }
