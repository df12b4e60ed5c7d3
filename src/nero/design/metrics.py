"""Rates of the design analysis with their Monte Carlo standard errors.

Every rate is a share of replicates, ``p = k / R``, with Monte Carlo standard error
``sqrt(p (1 - p) / R)`` (the binomial SE of a proportion; Morris, White & Crowther
2019, Table 6); mean counts carry ``sd / sqrt(R)``. What a rate means depends on the
scenario: the rejection rate of a test is its power where the effect is planted and
its type I error where it is not (column ``reading``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from nero.simulate.dgp_parameters import RECIPE_CODES

#: (metric, replicate column, label, which planted feature makes it power/recovery, reading otherwise)
RATE_METRICS: tuple[tuple[str, str, str, str, str], ...] = (
    *[
        (f"recovery_{code}", f"recovered_{code}", f"recipe recovered: {name}", "recipes", "")
        for name, code in RECIPE_CODES.items()
    ],
    ("recovery_all", "recovered_all", "all four recipes recovered (reported model)", "recipes", ""),
    ("recovery_all_any_model", "recovered_all_any_model", "all four recipes in some tied model", "recipes", ""),
    ("spurious_configuration", "any_spurious", "at least one spurious sufficient configuration", "", "false positive"),
    ("solution_found", "solution_found", "a sufficient configuration is reported", "recipes", "false positive"),
    ("necessity_CAP", "necessity_CAP_passes", "CAP passes the necessity threshold", "necessary", "false positive"),
    (
        "necessity_CAP_nontrivial",
        "necessity_CAP_nontrivial",
        "CAP necessary and not trivial (RoN)",
        "necessary",
        "false positive",
    ),
    (
        "necessity_other",
        "necessity_other_passes",
        "another condition passes the necessity threshold",
        "",
        "false positive",
    ),
    ("indirect_rejects", "indirect_rejects", "indirect effect: bootstrap CI excludes 0", "mediation", "type I error"),
    ("indirect_positive", "indirect_positive", "indirect effect: CI above 0", "mediation", "false positive"),
    (
        "interaction_rejects",
        "interaction_rejects",
        "INST x VIRT on CAP: p < alpha",
        "interaction_INSTxVIRT",
        "type I error",
    ),
    (
        "interaction_positive",
        "interaction_positive",
        "INST x VIRT on CAP: p < alpha and positive",
        "interaction_INSTxVIRT",
        "false positive",
    ),
    ("coverage_indirect_bc", "indirect_bc_covers", "bias-corrected CI covers the true indirect effect", "", "coverage"),
    ("coverage_indirect_pct", "indirect_pct_covers", "percentile CI covers the true indirect effect", "", "coverage"),
    ("coverage_interaction", "interaction_covers", "t interval (HC3) covers the true interaction", "", "coverage"),
    ("cleaning_exact", "cleaning_exact", "cleaning keeps exactly the planted usable responses", "", "check"),
)
#: Mean-valued metrics: (metric, replicate column, label).
MEAN_METRICS = (
    ("spurious_terms_mean", "n_spurious", "spurious terms per reported solution (mean)"),
    ("indirect_mean", "indirect", "indirect effect estimate (mean)"),
    ("interaction_mean", "interaction", "INST x VIRT estimate (mean)"),
    ("necessity_CAP_inclN_mean", "necessity_CAP_inclN", "consistency of CAP as necessary (mean)"),
)


def proportion(values: pd.Series) -> tuple[float, float, int, int]:
    """Share of true values with its MCSE; NaN entries are left out. Returns (p, mcse, k, R)."""
    v = values.dropna().astype(bool)
    r = int(len(v))
    if r == 0:
        return math.nan, math.nan, 0, 0
    k = int(v.sum())
    p = k / r
    return p, math.sqrt(p * (1 - p) / r), k, r


def _reading(feature: str, fallback: str, planted: Mapping[str, Any]) -> str:
    if not feature:
        return fallback
    present = bool(planted.get(feature)) if feature != "recipes" else bool(planted.get("recipes"))
    if present:
        return "recovery" if feature in ("recipes", "necessary") else "power"
    return fallback or "not planted"


def summarise_scenario(replicates: pd.DataFrame, planted: Mapping[str, Any]) -> pd.DataFrame:
    """Rates and means of one scenario's replicates.

    Parameters
    ----------
    replicates : DataFrame
        Rows of :func:`nero.design.replicate.run_replicate` for one scenario.
    planted : mapping
        :func:`nero.simulate.scenario_truth` of the scenario's process.

    Returns
    -------
    DataFrame
        ``metric, label, reading, estimate, mcse, successes, replications``.
    """
    rows = []
    recipes = planted.get("recipes") or {}
    for metric, column, label, feature, fallback in RATE_METRICS:
        if column not in replicates:
            continue
        if metric.startswith("recovery_") and metric not in ("recovery_all", "recovery_all_any_model"):
            name = next(n for n, c in RECIPE_CODES.items() if f"recovery_{c}" == metric)
            if name not in recipes:
                continue
        if metric.startswith("recovery_all") and not recipes:
            continue
        reading = _reading(feature, fallback, planted)
        if metric == "necessity_CAP" and not planted.get("necessary"):
            reading = "false positive"
        p, se, k, r = proportion(replicates[column])
        rows.append(
            {
                "metric": metric,
                "label": label,
                "reading": reading,
                "estimate": p,
                "mcse": se,
                "successes": k,
                "replications": r,
            }
        )
    for metric, column, label in MEAN_METRICS:
        if column not in replicates:
            continue
        v = replicates[column].astype(float).dropna()
        r = len(v)
        rows.append(
            {
                "metric": metric,
                "label": label,
                "reading": "mean",
                "estimate": float(v.mean()) if r else math.nan,
                "mcse": float(v.std(ddof=1) / math.sqrt(r)) if r > 1 else math.nan,
                "successes": np.nan,
                "replications": r,
            }
        )
    for column in sorted(c for c in replicates.columns if c.startswith("claim_")):
        p, se, k, r = proportion(replicates[column] == "supported")
        rows.append(
            {
                "metric": f"{column}_supported",
                "label": f"claim {column[6:]} supported",
                "reading": "claim",
                "estimate": p,
                "mcse": se,
                "successes": k,
                "replications": r,
            }
        )
    return pd.DataFrame(rows)


def summarise(replicates: pd.DataFrame, scenarios: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Rates of every scenario (``scenarios``: name -> planted truth), in config order.

    Returns
    -------
    DataFrame
        ``scenario, process, n, effect_scale`` then the columns of :func:`summarise_scenario`.
    """
    parts = []
    for name, planted in scenarios.items():
        part = replicates[replicates["scenario"] == name]
        if part.empty:
            continue
        rates = summarise_scenario(part, planted)
        rates.insert(0, "effect_scale", float(part["effect_scale"].iloc[0]))
        rates.insert(0, "n", int(part["n_target"].iloc[0]))
        rates.insert(0, "process", str(part["process"].iloc[0]))
        rates.insert(0, "scenario", name)
        parts.append(rates)
    return pd.concat(parts, ignore_index=True)


#: Verdicts a claim can get, in the order of the columns of :func:`claim_rates`.
VERDICTS = ("supported", "not supported", "inconclusive")


def claim_rates(replicates: pd.DataFrame) -> pd.DataFrame:
    """How often each claim gets each verdict, per scenario, with MCSEs.

    Parameters
    ----------
    replicates : DataFrame
        Rows of :func:`nero.design.replicate.run_replicate` (columns ``claim_<id>`` hold verdicts).

    Returns
    -------
    DataFrame
        One row per scenario and claim (scenario order as in ``replicates``, claims sorted):
        ``scenario, process, n, effect_scale, claim_id, replications`` and, per verdict,
        its share and MCSE (``supported``, ``supported_mcse``, ``not_supported``, ...).
        Empty (with these columns) when no replicate has a verdict.
    """
    columns = ["scenario", "process", "n", "effect_scale", "claim_id", "replications"]
    for verdict in VERDICTS:
        key = verdict.replace(" ", "_")
        columns += [key, f"{key}_mcse"]
    rows = []
    claims = sorted(c for c in replicates.columns if c.startswith("claim_"))
    for scenario in dict.fromkeys(replicates["scenario"]) if len(replicates) else []:
        part = replicates[replicates["scenario"] == scenario]
        for column in claims:
            verdicts = part[column].dropna().astype(str)
            unknown = sorted(set(verdicts) - set(VERDICTS))
            if unknown:
                raise ValueError(f"replicates, column {column!r}: verdicts {unknown}; expected one of {list(VERDICTS)}")
            row = {
                "scenario": scenario,
                "process": str(part["process"].iloc[0]),
                "n": int(part["n_target"].iloc[0]),
                "effect_scale": float(part["effect_scale"].iloc[0]),
                "claim_id": column[len("claim_") :],
                "replications": int(len(verdicts)),
            }
            for verdict in VERDICTS:
                p, se, _, _ = proportion(verdicts == verdict) if len(verdicts) else (math.nan, math.nan, 0, 0)
                key = verdict.replace(" ", "_")
                row[key], row[f"{key}_mcse"] = p, se
            rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def report_table(rates: pd.DataFrame, metrics: list[str] | None = None) -> pd.DataFrame:
    """Wide table for the report: one row per scenario, ``estimate (mcse)`` per metric."""
    metrics = metrics or [
        "recovery_all",
        "spurious_configuration",
        "necessity_CAP",
        "indirect_rejects",
        "interaction_rejects",
        "coverage_indirect_bc",
        "coverage_interaction",
    ]
    part = rates[rates["metric"].isin(metrics)].copy()
    part["cell"] = [f"{e:.3f} ({s:.3f})" if e == e else "" for e, s in zip(part["estimate"], part["mcse"])]
    wide = part.pivot_table(
        index=["scenario", "process", "n"], columns="metric", values="cell", aggfunc="first", sort=False
    )
    wide = wide[[m for m in metrics if m in wide.columns]].reset_index()
    wide.columns.name = None
    order = {s: i for i, s in enumerate(dict.fromkeys(rates["scenario"]))}
    return wide.sort_values("scenario", key=lambda s: s.map(order)).reset_index(drop=True).fillna("")


#: Headline metrics of ``summary.json``: (metric, wording).
HEADLINES = (
    ("recovery_all", "all four planted recipes recovered"),
    ("spurious_configuration", "at least one spurious sufficient configuration"),
    ("necessity_CAP", "CAP passes the necessity threshold"),
    ("indirect_rejects", "indirect effect's bootstrap CI excludes zero"),
    ("interaction_rejects", "INST x VIRT interaction on CAP significant"),
)


def design_summary(settings: Any, rates: pd.DataFrame, seed: int) -> dict[str, Any]:
    """``summary.json`` of the design analysis: settings and one headline line per scenario and metric."""
    headline = []
    for row in rates[rates["metric"].isin([m for m, _ in HEADLINES])].itertuples():
        wording = dict(HEADLINES)[row.metric]
        headline.append(
            {
                "scenario": row.scenario,
                "metric": row.metric,
                "reading": row.reading,
                "result": f"{wording}: {row.estimate:.3f} (MCSE {row.mcse:.3f}, {row.replications} replicates)",
            }
        )
    return {
        "seed": int(seed),
        "replications": settings.replications,
        "batch_size": settings.batch_size,
        "n_boot": settings.n_boot,
        "alpha": settings.alpha,
        "truth_draws": settings.truth_draws,
        "scenarios": {
            s.name: {"process": s.process, "n": s.n, "effect_scale": s.effect_scale_value(), "overrides": s.overrides}
            for s in settings.scenarios
        },
        "mcse": "binomial sqrt(p (1 - p) / R) for rates, sd / sqrt(R) for means",
        "headline": headline,
    }
