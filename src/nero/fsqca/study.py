"""The Study 2 fsQCA: from the clean survey to configurations and their robustness.

Every step calls the engine's public functions (calibration, necessity, truth table,
minimization, robustness) through the one-step functions of :mod:`nero.fsqca.steps`;
this module chooses, from the study's settings, what to run and collects the tables that
``results/fsqca/`` holds. :func:`run_fsqca_analysis` runs one of the further analyses
named in ``fsqca.analyses`` (the scale-up side: CAP as outcome, and SCO as a condition
of CAP) into ``results/fsqca/<name>/``.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from nero.fsqca._errors import FsqcaError, HalfMembershipWarning
from nero.fsqca.chart import configuration_chart, term_conditions
from nero.fsqca.fit import fit_parameters, membership
from nero.fsqca.solution import Solution
from nero.fsqca.minimization import minimize
from nero.fsqca.robustness import RobustnessReport, cut_variants, robustness_tests, solution_membership, subsample_variants
from nero.fsqca.steps import (
    OutcomeAnalysis,
    analyse_outcome,
    anchors_of,
    calibrate_scores,
    choose_n_cut,
    construct_scores,
    frequency_cut_table,
    incl_cuts,
    skewness_table,
    study_anchors,
    study_summary,
    write_study,
)
from nero.fsqca.truthtable import TOLERANCE, truth_table

__all__ = ["FsqcaStudyResult", "analysis_settings", "choose_n_cut", "run_fsqca_analysis", "run_fsqca_study", "study_anchors"]

#: The tables one further analysis writes (:func:`run_fsqca_analysis`, ``<name>.csv`` each); the
#: rule layer declares its outputs from this list.
ANALYSIS_TABLES = (
    "anchors", "contradictory_assumptions", "counterfactuals", "frequency_cut", "necessity",
    "necessity_negated", "solutions", "solutions_esa", "truth_table", "truth_table_negated",
)
#: The tables the main study writes (:func:`run_fsqca_study`, ``<name>.csv`` each).
STUDY_TABLES = (
    "anchors", "configuration_chart", "contradictory_assumptions", "counterfactuals", "frequency_cut",
    "memberships", "necessity", "necessity_negated", "predictive_validity", "robustness_cases",
    "robustness_failures", "robustness_fit", "robustness_runs", "robustness_survival", "robustness_verdicts",
    "skewness", "solutions", "solutions_esa", "truth_table", "truth_table_negated", "xy_fit",
    "xy_memberships",
)


def _term_survives(term: str, model_terms: list[str]) -> bool:
    """A configuration survives a run when a term of the run's model is nested with it
    (one's conditions, with their signs, contain the other's)."""
    base = term_conditions(term)
    for other in model_terms:
        cond = term_conditions(other)
        if all(cond.get(k) == v for k, v in base.items()) or all(base.get(k) == v for k, v in cond.items()):
            return True
    return False


@dataclass
class FsqcaStudyResult:
    """Every table of the fsQCA study (``.tables``) and the solutions (``.solutions``)."""

    tables: dict[str, pd.DataFrame]
    solutions: dict[str, Solution]
    info: dict[str, Any] = field(default_factory=dict)
    xy_members: pd.DataFrame | None = None

    def summary(self) -> str:
        return study_summary(self.info["outcome"], self.info["conditions"], self.info, self.solutions)

    def to_frame(self) -> pd.DataFrame:
        return self.tables["solutions"]

    def write(self, outdir) -> list:
        """Write every table as CSV, the solutions as JSON and ``summary.json``, atomically."""
        return write_study(self.tables, self.solutions, self.info, outdir)


# --------------------------------------------------------------------------- main-solution tables

def chart_table(main: Solution, pars: Solution, conditions: Sequence[str]) -> pd.DataFrame:
    """Fiss configuration chart of the first intermediate model (core = nested in a parsimonious term)."""
    main_terms = list(main.models[0])
    term_fit = main.term_fit[0][["inclS", "PRI", "covS", "covU"]]
    pars_terms = sorted({t for m in pars.models for t in m})
    chart = configuration_chart(main_terms, pars_terms, list(conditions), term_fit)
    chart.loc["solution inclS"] = main.model_fit[0]["inclS"]
    chart.loc["solution covS"] = main.model_fit[0]["covS"]
    return chart.reset_index().rename(columns={"index": "condition"})


def xy_tables(members: pd.DataFrame, main: Solution, outcome: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Memberships of every term and of the solution (XY plots), their fit, and the table with the outcome."""
    main_terms = list(main.models[0])
    xy = pd.DataFrame({t: membership(members, t).to_numpy() for t in main_terms}, index=members.index)
    xy["solution"] = solution_membership(main, members).to_numpy()
    fit_xy = main.term_fit[0][["inclS", "covS"]].copy()
    fit_xy.loc["solution"] = [main.model_fit[0]["inclS"], main.model_fit[0]["covS"]]
    table = xy.copy()
    table[outcome] = members[outcome].to_numpy()
    return xy, fit_xy.reset_index().rename(columns={"index": "term"}), table.reset_index()


# --------------------------------------------------------------------------- robustness protocol

def robustness_variants(scores: pd.DataFrame, anchors: Mapping[str, tuple], settings: Mapping[str, Any],
                        seed: int) -> tuple[list[dict], dict[str, str]]:
    """The test sets (anchor shifts, cut variants, subsamples) and the family of each label."""
    shift = float(settings["robustness"]["anchor_shift"])
    variants = []
    for s in anchors:
        e, c, i = anchors[s]
        for sign, word in ((1, "+"), (-1, "-")):
            moved = (e + sign * shift, c + sign * shift, i + sign * shift)
            if settings["anchor_method"] == "percentile":
                q = settings.get("percentile_anchors", [0.05, 0.5, 0.95])
                qs = [min(max(p + sign * 0.05, 0.0), 1.0) for p in q]
                moved = tuple(scores[s].quantile(qs).to_numpy())
            variants.append({"label": f"anchors {s} {word}{shift:g}", "anchors": {s: moved}, "family": "anchors"})
    rob = settings["robustness"]
    for v in cut_variants(incl_cuts=rob["incl_cuts"], n_cuts=rob["n_cuts"], pri_cuts=rob["pri_cuts"]):
        if "incl_cut" in v and settings.get("incl_cut_contradiction"):
            v["incl_cut"] = (v["incl_cut"], min(v["incl_cut"], float(settings["incl_cut_contradiction"])))
        v["family"] = "cuts"
        variants.append(v)
    for v in subsample_variants(list(scores.index), n_draws=int(rob["subsamples"]), fraction=float(rob["subsample_share"]), seed=seed):
        v["family"] = "subsamples"
        variants.append(v)
    families = {v["label"]: v.pop("family") for v in variants}
    return variants, families


def run_robustness(scores: pd.DataFrame, outcome: str, conditions: Sequence[str], settings: Mapping[str, Any],
                   anchors: Mapping[str, tuple], n_cut: int, variants: list[dict]) -> RobustnessReport:
    """Re-run the intermediate solution under every test set."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HalfMembershipWarning)  # reported once, in the skewness table
        return robustness_tests(scores, outcome, list(conditions), solution="intermediate", dir_exp=settings["dir_exp"],
                                initial={"incl_cut": incl_cuts(settings), "n_cut": n_cut, "pri_cut": float(settings["pri_cut"]),
                                         "anchors": dict(anchors), "convention": settings.get("inclusion_convention", "ragin"),
                                         "half": settings.get("half_membership", "shift"),
                                         "half_shift": float(settings.get("half_shift", 0.001))},
                                tests=variants, max_models=int(settings.get("max_models", 1000)))


def robustness_run_tables(report: RobustnessReport, families: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per run (with its family) and one per failed run."""
    runs = report.table.reset_index()
    runs.insert(1, "family", runs["label"].map(families).fillna("initial"))
    runs["incl_cut"] = runs["incl_cut"].map(lambda v: v[0] if isinstance(v, (tuple, list)) else v)
    failed = pd.DataFrame([{"label": k, "family": families.get(k, ""), "error": v} for k, v in sorted(report.failures.items())],
                          columns=["label", "family", "error"])
    return runs, failed


def survival_table(main_terms: Sequence[str], runs: pd.DataFrame, failed: pd.DataFrame) -> pd.DataFrame:
    """Share of test runs (overall and per family) in which each configuration survives."""
    rows = []
    tests_only = runs[runs["family"] != "initial"]
    for term in main_terms:
        for family, group in [("all", tests_only), *sorted(tests_only.groupby("family"))]:
            alive = sum(_term_survives(term, str(m).split(" + ")) for m in group["model"])
            failed_n = int((failed["family"] == family).sum()) if family != "all" else len(failed)
            total = len(group) + failed_n
            rows.append({"configuration": term, "family": family, "runs": total, "survived": alive,
                         "share": alive / total if total else float("nan")})
    return pd.DataFrame(rows)


def verdicts_table(main_terms: Sequence[str], survival: pd.DataFrame) -> pd.DataFrame:
    """Robust (>= 80% in every family), moderately robust (>= 50% overall) or fragile."""
    verdicts = []
    for term in main_terms:
        part = survival[(survival["configuration"] == term) & (survival["family"] != "all")]
        worst = float(part["share"].min())
        overall = float(survival[(survival["configuration"] == term) & (survival["family"] == "all")]["share"].iloc[0])
        if worst >= 0.8 - TOLERANCE:  # shares within R's tolerance (truthtable.TOLERANCE) of a cut-off reach it
            verdict = f"robust: survives {overall:.0%} of all test sets and at least {worst:.0%} in every family"
        elif overall >= 0.5 - TOLERANCE:
            weakest = part.sort_values("share").iloc[0]["family"]
            verdict = f"moderately robust: survives {overall:.0%} of test sets; weakest under {weakest} ({worst:.0%})"
        else:
            verdict = f"fragile: survives only {overall:.0%} of test sets"
        verdicts.append({"configuration": term, "survival_all": overall, "survival_worst_family": worst, "verdict": verdict})
    return pd.DataFrame(verdicts)


def predictive_validity_table(members: pd.DataFrame, outcome: str, conditions: Sequence[str],
                              settings: Mapping[str, Any], seed: int) -> pd.DataFrame:
    """Woodside's predictive validity: fit on a random half, test the model on the other half."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(members))
    cut_at = int(round(float(settings.get("holdout_share", 0.5)) * len(members)))
    fit_half = members.iloc[np.sort(order[:cut_at])]
    holdout = members.iloc[np.sort(order[cut_at:])]
    rows = []
    try:
        half, half_shift = settings.get("half_membership", "shift"), float(settings.get("half_shift", 0.001))
        pv_all = truth_table(fit_half, outcome, list(conditions), incl_cut=incl_cuts(settings), n_cut=1,
                             pri_cut=float(settings["pri_cut"]), half=half, half_shift=half_shift)
        pv_cut, _ = choose_n_cut(pv_all, float(settings["n_cut_min_share"]))  # the same rule on the half
        pv_sub = truth_table(fit_half, outcome, list(conditions), incl_cut=incl_cuts(settings), n_cut=pv_cut,
                             pri_cut=float(settings["pri_cut"]), half=half, half_shift=half_shift)
        pv_sol = minimize(pv_sub, "intermediate", dir_exp=settings["dir_exp"], max_models=int(settings.get("max_models", 1000)))
        expr = pv_sol.expression(0)
        for part_name, frame in (("subsample (fit)", fit_half), ("holdout (test)", holdout)):
            for term_name, row in fit_parameters(frame, expr, outcome).to_frame().iterrows():
                rows.append({"sample": part_name, "n_cut": pv_cut, "model": expr, "term": term_name, "inclS": row.get("inclS"),
                             "PRI": row.get("PRI"), "covS": row.get("covS"), "n_cases": len(frame)})
    except FsqcaError as exc:
        rows.append({"sample": "failed", "n_cut": np.nan, "model": "", "term": str(exc), "inclS": np.nan, "PRI": np.nan,
                     "covS": np.nan, "n_cases": 0})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the study

def run_fsqca_study(clean: pd.DataFrame, settings: Mapping[str, Any], seed: int, progress=sys.stderr) -> FsqcaStudyResult:
    """Run the whole Study 2 fsQCA on the clean survey table.

    Parameters
    ----------
    clean : DataFrame
        ``results/survey/clean.csv`` (construct scores INST ... SCO, ``firm_code``).
    settings : mapping
        The ``fsqca`` section of the config.
    seed : int
        Seed of the subsamples and of the holdout split.
    progress : file-like or None
        Where the robustness grid reports its progress.
    """
    outcome, conditions = settings["outcome"], list(settings["conditions"])
    scores, dropped = construct_scores(clean, [*conditions, outcome])
    anchors_table = study_anchors(scores, settings)
    anchors = anchors_of(anchors_table)
    members = calibrate_scores(scores, anchors, settings)
    core = analyse_outcome(members, outcome, conditions, settings)
    tables = {"anchors": anchors_table, "memberships": members.reset_index(),
              "skewness": skewness_table(scores, members, anchors), **core.tables,
              "frequency_cut": frequency_cut_table(core.truth_tables, settings, len(members), len(dropped))}
    main, pars = core.solutions.get(f"{outcome} intermediate"), core.solutions.get(f"{outcome} parsimonious")
    if main is None or pars is None:
        raise FsqcaError(f"no intermediate solution for {outcome}: no truth-table row passes "
                         f"incl.cut {settings['incl_cut']} / PRI {settings['pri_cut']}")
    main_terms = list(main.models[0])
    tables["configuration_chart"] = chart_table(main, pars, conditions)
    xy, tables["xy_fit"], tables["xy_memberships"] = xy_tables(members, main, outcome)

    variants, families = robustness_variants(scores, anchors, settings, seed)
    if progress is not None:
        progress.write(f"fsQCA robustness: {len(variants)} test sets (anchors, cuts, {settings['robustness']['subsamples']} subsamples)\n")
    report = run_robustness(scores, outcome, conditions, settings, anchors, core.truth_tables.n_cut, variants)
    tables["robustness_runs"], tables["robustness_failures"] = robustness_run_tables(report, families)
    tables["robustness_survival"] = survival_table(main_terms, tables["robustness_runs"], tables["robustness_failures"])
    if report.fit is not None:
        tables["robustness_fit"] = report.fit.to_frame().reset_index().rename(columns={"index": "test_set"})
        tables["robustness_cases"] = pd.DataFrame([report.fit.cases])
    tables["robustness_verdicts"] = verdicts_table(main_terms, tables["robustness_survival"])
    tables["predictive_validity"] = predictive_validity_table(members, outcome, conditions, settings, seed)

    info = {**core.info, "dropped_for_missing_scores": dropped}
    return FsqcaStudyResult(tables=tables, solutions=core.solutions, info=info, xy_members=xy)


# --------------------------------------------------------------------------- further analyses (scale-up side)

def analysis_settings(settings: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The settings of the analysis ``name`` of ``fsqca.analyses``: the study's, with the
    analysis' outcome, conditions and directional expectations."""
    analyses = settings.get("analyses") or {}
    if name not in analyses:
        raise FsqcaError(f"config fsqca.analyses: no analysis named {name!r}; expected one of {', '.join(sorted(analyses)) or '(none)'}")
    spec = analyses[name]
    merged = {k: v for k, v in settings.items() if k != "analyses"}
    merged.update({k: spec[k] for k in ("outcome", "conditions", "dir_exp", "dir_exp_negated") if k in spec})
    merged["description"] = spec.get("description", "")
    return merged


def run_fsqca_analysis(clean: pd.DataFrame, settings: Mapping[str, Any], name: str) -> OutcomeAnalysis:
    """One further analysis of ``fsqca.analyses`` (same calibration anchors and cuts as the
    study; necessity, truth tables, the three solutions for the outcome and its negation,
    contradictory assumptions and the enhanced standard analysis; no robustness grid)."""
    spec = analysis_settings(settings, name)
    outcome, conditions = spec["outcome"], list(spec["conditions"])
    scores, dropped = construct_scores(clean, [*conditions, outcome])
    anchors_table = study_anchors(scores, spec, [*conditions, outcome])
    anchors = anchors_of(anchors_table)
    members = calibrate_scores(scores, anchors, spec)
    result = analyse_outcome(members, outcome, conditions, spec)
    result.tables["anchors"] = anchors_table
    result.tables["frequency_cut"] = frequency_cut_table(result.truth_tables, spec, len(members), len(dropped))
    result.info.update({"analysis": name, "description": spec["description"], "dropped_for_missing_scores": dropped})
    return result

