"""True values of the design analysis's estimands, by a large simulation.

The SEM checks estimate regression coefficients on *observed* construct means
(rounded, clipped 7-point items with measurement error and a common-method factor),
not the latent coefficients of the DGP. Their true value is therefore the population
value of the same estimator (its probability limit), which has no closed form here
(the mixture of strategy types, the capacity ceiling and the item rounding). It is
computed by applying the study's own estimators (:func:`nero.sem.study.design_frame`,
:func:`nero.sem.process_models.process_model4` without bootstrap,
:func:`nero.sem.process_equations.fit_equation`) to one very large simulated sample drawn
straight from the DGP (:func:`nero.simulate.simulate_latents`, items and firm
variables; no export or cleaning needed, the clean firms are DGP draws), with a fixed
seed. Its Monte Carlo error (reported as ``mc_se``, the HC3 standard error at that N)
is negligible beside the design's replicate-to-replicate spread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from nero.simulate import DGPParameters, simulate_firm_variables, simulate_items, simulate_latents
from nero.simulate.study import split_firms
from nero.simulate.survey import wave_window

from .chain import PRODUCT, sem_design_checks

#: Seed of the large simulation (fixed: the truth is a property of the process).
TRUTH_SEED = 20251124


def population_sample(
    params: DGPParameters,
    n: int,
    sim_codebook: Mapping[str, Any],
    seed: int = TRUTH_SEED,
    waves: tuple[str, ...] = ("wave-1", "wave-2"),
) -> pd.DataFrame:
    """A clean-table-like sample of ``n`` firms drawn straight from the DGP.

    Columns as in ``results/survey/clean.csv`` that the SEM checks read: construct
    means (reverse items recoded), ``log_employees = ln(employees)``,
    ``log_firm_age = ln(survey year - founding year + 1)``,
    ``log_foreign_markets = ln(1 + markets)``, ``years_abroad``, ``sector``, ``wave``
    (waves in the study's proportions, firm variables drawn in each wave's year, items from each
    wave's item model: :meth:`~nero.simulate.DGPParameters.for_wave`).
    """
    rng = np.random.default_rng(seed)
    codebook = dict(sim_codebook)
    parts = []
    for wave, count in split_firms(n, waves).items():
        year = wave_window(wave)[0].year
        latents = simulate_latents(rng, count, params)
        firms = simulate_firm_variables(rng, latents, params, survey_year=year)
        items = simulate_items(rng, latents, codebook, params.for_wave(wave)).astype(float)  # the wave's item model
        lo, hi = codebook["scale"]["min"], codebook["scale"]["max"]
        for item in items.columns:
            if codebook["items"][item].get("reverse", False):
                items[item] = lo + hi - items[item]
        frame = pd.DataFrame({"wave": wave, "sector": firms["sector"].to_numpy()})
        for construct, spec in codebook["constructs"].items():
            frame[construct] = items[list(spec["items"])].mean(axis=1).to_numpy()
        frame["log_employees"] = np.log(firms["employees"].to_numpy(float))
        frame["log_firm_age"] = np.log(year - firms["founding_year"].to_numpy(float) + 1)
        frame["log_foreign_markets"] = np.log1p(firms["foreign_markets"].to_numpy(float))
        frame["years_abroad"] = firms["years_abroad"].to_numpy(float)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def true_values(
    params: DGPParameters,
    sim_codebook: Mapping[str, Any],
    sem_settings: Mapping[str, Any],
    n: int = 200_000,
    seed: int = TRUTH_SEED,
) -> pd.DataFrame:
    """Population values of the indirect effect, its a and b paths and the INST x VIRT interaction.

    Returns
    -------
    DataFrame
        Columns ``estimand, value, mc_se, n, method``; estimands ``indirect`` (a * b of
        PROCESS model 4), ``a_path``, ``b_path``, ``interaction`` (the ``INST:VIRT``
        coefficient on CAP) and ``interaction_INST``, ``interaction_VIRT`` (the main
        effects beside it).
    """
    sample = population_sample(params, n, sim_codebook, seed)
    tables = sem_design_checks(sample, sem_settings, n_boot=0, seed=seed, claims_tables=False)
    ind = tables["sem/indirect_effects.csv"].iloc[0]
    paths = tables["sem/mediation_paths.csv"].set_index("path")
    amb = tables["sem/ambidexterity_moderation.csv"]
    mod = amb[amb["outcome"] == sem_settings.get("m", "CAP")].set_index("term")
    a, b = paths.loc["a"], paths.loc["b"]
    # delta-method SE of a*b at this N (the a and b equations are fitted on the same rows)
    ind_se = float(np.sqrt(b["b"] ** 2 * a["se"] ** 2 + a["b"] ** 2 * b["se"] ** 2))
    method = f"population value of the study's estimator on one simulated sample of {n} firms (seed {seed})"
    rows = [
        ("indirect", float(ind["estimate"]), ind_se),
        ("a_path", float(a["b"]), float(a["se"])),
        ("b_path", float(b["b"]), float(b["se"])),
        ("interaction", float(mod.loc[PRODUCT, "b"]), float(mod.loc[PRODUCT, "se"])),
    ]
    xa, xb = sem_settings.get("x", ["INST", "VIRT"])
    rows += [(f"interaction_{x}", float(mod.loc[x, "b"]), float(mod.loc[x, "se"])) for x in (xa, xb)]
    return pd.DataFrame([{"estimand": e, "value": v, "mc_se": s, "n": n, "method": method} for e, v, s in rows])


def claim_truths(
    process: str, n: int, effect_scale: float | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Claim id -> its truth (planted true / planted false / not identifiable) under a design scenario.

    The truth map of the generator (:func:`nero.simulate.claims_truth`) for the scenario's
    process at its N, so a replicate's verdicts can be scored against it.
    """
    from nero.simulate import claims_truth

    truth = claims_truth(process, effect_scale if process == "weak" else None, overrides, n_firms=n)
    return {claim: entry["truth"] for claim, entry in truth["claims"].items()}


def false_supports(verdicts: Mapping[str, str], truths: Mapping[str, str]) -> list[str]:
    """The claims a replicate calls "supported" that its process does not plant as true.

    Parameters
    ----------
    verdicts
        Claim id -> verdict of one replicate (``supported``, ``not supported``, ``inconclusive``).
    truths
        Claim id -> truth (:func:`claim_truths`); a claim missing there is not planted true.
    """
    return [
        claim for claim, verdict in verdicts.items() if verdict == "supported" and truths.get(claim) != "planted true"
    ]
