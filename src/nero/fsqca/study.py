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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nero.fsqca._errors import FsqcaError, HalfMembershipWarning
from nero.fsqca.chart import term_conditions
from nero.fsqca.exclusivity import exclusivity_table
from nero.fsqca.fit import fit_parameters, membership
from nero.fsqca.minimization import minimize
from nero.fsqca.robustness import (
    RobustnessReport,
    cut_variants,
    robustness_tests,
    solution_membership,
    subsample_variants,
)
from nero.fsqca.settings import FsqcaSettings
from nero.fsqca.solution import Solution
from nero.fsqca.steps import (
    OutcomeAnalysis,
    analyse_outcome,
    anchors_of,
    calibrate_scores,
    choose_n_cut,
    construct_scores,
    frequency_cut_table,
    skewness_table,
    study_anchors,
    study_summary,
    write_study,
)
from nero.fsqca.truthtable import TOLERANCE, truth_table

__all__ = [
    "FsqcaStudyResult",
    "choose_n_cut",
    "core_peripheral",
    "core_peripheral_table",
    "frequency_cut_sensitivity",
    "frequency_cut_solutions",
    "run_fsqca_analysis",
    "run_fsqca_study",
    "study_anchors",
]

#: The tables one further analysis writes (:func:`run_fsqca_analysis`, ``<name>.csv`` each); the
#: rule layer declares its outputs from this list.
ANALYSIS_TABLES = (
    "anchors",
    "contradictory_assumptions",
    "counterfactuals",
    "frequency_cut",
    "necessity",
    "necessity_negated",
    "solutions",
    "solutions_esa",
    "truth_table",
    "truth_table_negated",
)
#: The tables the main study writes (:func:`run_fsqca_study`, ``<name>.csv`` each).
STUDY_TABLES = (
    "anchors",
    "configuration_chart",
    "contradictory_assumptions",
    "core_peripheral",
    "counterfactuals",
    "exclusivity",
    "frequency_cut",
    "frequency_cut_solutions",
    "memberships",
    "necessity",
    "necessity_negated",
    "predictive_validity",
    "robustness_cases",
    "robustness_failures",
    "robustness_fit",
    "robustness_runs",
    "robustness_survival",
    "robustness_verdicts",
    "skewness",
    "solutions",
    "solutions_esa",
    "truth_table",
    "truth_table_negated",
    "xy_fit",
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


def nested_parsimonious_models(main: Solution, pars: Solution, model: int) -> list[int]:
    """The parsimonious models (0-based) from which intermediate model ``model`` (0-based) derives.

    An intermediate model is the solution of a (conservative, parsimonious) model pair (R QCA's
    ``i.sol`` C1P1, C1P2, ...; :attr:`Solution.counterfactuals` records which pair gave which
    models); its terms are subsets of that parsimonious model's solution (Ragin 2008, ch. 9).
    Without that record (a solution built elsewhere), the parsimonious models of which every
    intermediate term contains a term are returned.
    """
    from_pairs = sorted(
        {
            int(pair["parsimonious_model"]) - 1
            for pair in (main.counterfactuals or [])
            if model + 1 in pair.get("models", [])
        }
    )
    if from_pairs:
        return from_pairs
    inter = [term_conditions(t) for t in main.models[model]]
    nested = []
    for j, pmodel in enumerate(pars.models):
        pterms = [term_conditions(t) for t in pmodel]
        if all(any(all(i.get(k) == v for k, v in p.items()) for p in pterms) for i in inter):
            nested.append(j)
    return nested


def _core_counts(terms: Sequence[str], pars: Solution, nested: Sequence[int]) -> dict[str, dict[str, int]]:
    """Per term and condition: under how many of the ``nested`` parsimonious models it is core."""
    counts = {t: dict.fromkeys(term_conditions(t), 0) for t in terms}
    for j in nested:
        pterms = [term_conditions(p) for p in pars.models[j]]
        for term in terms:
            inter = term_conditions(term)
            core = set()
            for p in pterms:
                if all(inter.get(k) == v for k, v in p.items()):
                    core |= set(p)
            for c in core:
                counts[term][c] += 1
    return counts


def core_peripheral(main: Solution, pars: Solution, model: int, conditions: Sequence[str]) -> pd.DataFrame:
    """Core and peripheral conditions of one intermediate model (Fiss 2011 notation).

    Fiss (2011): core conditions are those of the parsimonious solution, peripheral those the
    intermediate solution adds. Per intermediate model, from the parsimonious model(s) it derives
    from (:func:`nested_parsimonious_models`), not over the union of every tied parsimonious
    model: a condition of an intermediate term is core under one parsimonious model when it is in
    a term of that model contained in the intermediate term, and the chart calls it **core** only
    when it is core under every parsimonious model the intermediate model derives from (so the
    mark does not depend on an arbitrary choice among tied parsimonious models; the counts are in
    :func:`core_peripheral_table`). Hand-written: R QCA has no core/peripheral function.

    Returns one column per term, one row per condition; cells ``core present``, ``core absent``,
    ``peripheral present``, ``peripheral absent`` or ``""`` (as :func:`nero.integration.configuration_chart`).
    """
    nested = nested_parsimonious_models(main, pars, model)
    if not nested:
        raise FsqcaError(f"intermediate model M{model + 1}: no parsimonious model is nested in it")
    terms = list(main.models[model])
    counts = _core_counts(terms, pars, nested)
    columns = {}
    for term in terms:
        inter = term_conditions(term)
        cells = []
        for c in conditions:
            if c not in inter:
                cells.append("")
            else:
                kind = "core" if counts[term][c] == len(nested) else "peripheral"
                cells.append(f"{kind} {'present' if inter[c] else 'absent'}")
        columns[term] = cells
    chart = pd.DataFrame(columns, index=list(conditions))
    chart.index.name = "condition"
    return chart


def core_peripheral_table(main: Solution, pars: Solution, conditions: Sequence[str]) -> pd.DataFrame:
    """Core/peripheral conditions of every tied intermediate model, with the evidence.

    One row per (intermediate model, term, condition in the term): ``parsimonious_models`` (the
    models it derives from, numbered as in the parsimonious solution of ``solutions.csv``),
    ``core_in`` (under how many of them the condition is core), ``of`` (how many there are)
    and ``status`` (:func:`core_peripheral`: core when ``core_in == of``).
    """
    rows = []
    for m in range(len(main.models)):
        nested = nested_parsimonious_models(main, pars, m)
        chart = core_peripheral(main, pars, m, conditions)
        counts = _core_counts(list(main.models[m]), pars, nested)
        names = ", ".join(f"M{j + 1}" for j in nested)
        for term in chart.columns:
            for condition, status in chart[term].items():
                if status:
                    rows.append(
                        {
                            "model": f"M{m + 1}",
                            "term": term,
                            "condition": condition,
                            "parsimonious_models": names,
                            "core_in": counts[term][condition],
                            "of": len(nested),
                            "status": status,
                        }
                    )
    return pd.DataFrame(rows, columns=["model", "term", "condition", "parsimonious_models", "core_in", "of", "status"])


def chart_table(main: Solution, pars: Solution, conditions: Sequence[str]) -> pd.DataFrame:
    """Fiss configuration chart of the first intermediate model, core/peripheral from the
    parsimonious model nested in it (:func:`core_peripheral`)."""
    chart = core_peripheral(main, pars, 0, conditions)
    fit = main.term_fit[0][["inclS", "PRI", "covS", "covU"]].reindex(list(main.models[0])).T
    chart = pd.concat([chart, fit.astype(object)])
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


def frequency_cut_solutions(
    members: pd.DataFrame, outcome: str, conditions: Sequence[str], settings: FsqcaSettings, chosen: int
) -> pd.DataFrame:
    """The main (intermediate) and ESA solutions at every frequency cut from 1 to ``chosen``.

    The frequency-cut sensitivity of the study (Greckhamer, Misangyi & Fiss 2013 ask for the cut
    to be reported and its consequences shown; Ragin 2008 for a cut that keeps most cases in
    observed rows): the same memberships and consistency cuts, the truth table at each ``n_cut``,
    the intermediate solution of the outcome and the enhanced standard analysis. Long table in the
    columns of ``solutions.csv`` / ``solutions_esa.csv`` plus ``n_cut``, ``share_of_cases_kept``,
    ``source`` (``solutions.csv`` or ``solutions_esa.csv``) and ``chosen`` (the cut the study's
    rule chose); a cut at which no solution can be formed has one row with its ``error``. The
    claims' verdicts per cut are added by the workflow (``frequency_cut_sensitivity.csv``).
    """
    parts = []
    for cut in range(1, int(chosen) + 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", HalfMembershipWarning)
                run = analyse_outcome(members, outcome, list(conditions), settings, n_cut=cut)
        except FsqcaError as exc:
            parts.append(pd.DataFrame([{"n_cut": cut, "source": "", "error": str(exc)}]))
            continue
        share = run.truth_tables.share
        for source, name in (("solutions.csv", "solutions"), ("solutions_esa.csv", "solutions_esa")):
            frame = run.tables.get(name)
            if frame is None or frame.empty:
                parts.append(
                    pd.DataFrame(
                        [
                            {
                                "n_cut": cut,
                                "share_of_cases_kept": share,
                                "source": source,
                                "error": f"no {name} at this cut",
                            }
                        ]
                    )
                )
                continue
            frame = frame.drop(columns=[c for c in ("cases",) if c in frame.columns])
            parts.append(frame.assign(n_cut=cut, share_of_cases_kept=share, source=source, error=""))
    out = pd.concat(parts, ignore_index=True)
    out["chosen"] = out["n_cut"] == int(chosen)
    front = ["n_cut", "share_of_cases_kept", "chosen", "source"]
    return out[front + [c for c in out.columns if c not in front]]


def frequency_cut_sensitivity(
    solutions: pd.DataFrame, verdicts: pd.DataFrame | None = None, outcome: str | None = None
) -> pd.DataFrame:
    """One row per frequency cut: the main solution, the ESA and the claims' verdicts at that cut.

    Parameters
    ----------
    solutions : DataFrame
        :func:`frequency_cut_solutions` (long, one block per cut).
    verdicts : DataFrame, optional
        ``variant`` (the cut), ``claim_id``, ``verdict`` (``nero.claims.verdicts_by_variant``):
        one column ``verdict: <claim>`` per claim.
    outcome : str, optional
        The outcome whose intermediate solution is the main solution (default: the first).

    Returns
    -------
    DataFrame
        ``n_cut``, ``share_of_cases_kept``, ``chosen``, ``intermediate_models`` (tied models),
        ``main_solution`` (model M1), ``solution_inclS``, ``solution_covS``, ``esa_solution``,
        ``esa_inclS``, ``error``, then the verdicts.
    """
    rows = []
    for cut, block in solutions.groupby("n_cut", sort=True):
        main = block[block["source"] == "solutions.csv"]
        if "solution" in main.columns:
            main = main[main["solution"] == "intermediate"]
            main = (
                main[main["outcome"] == (outcome or main["outcome"].dropna().iloc[0])]
                if main["outcome"].notna().any()
                else main
            )
        esa = block[block["source"] == "solutions_esa.csv"]
        if "solution" in esa.columns:
            esa = esa[esa["solution"] == "intermediate"]

        def m1(frame):
            if "term" not in frame.columns or frame.empty:
                return "", float("nan"), float("nan")
            first = frame[frame["model"] == "M1"]
            terms = [t for t in first["term"] if t != "(model)"]
            fit = first[first["term"] == "(model)"]
            return (
                " + ".join(terms),
                float(fit["inclS"].iloc[0]) if len(fit) else float("nan"),
                float(fit["covS"].iloc[0]) if len(fit) else float("nan"),
            )

        expr, incl, cov = m1(main)
        esa_expr, esa_incl, _ = m1(esa)
        errors = [e for e in block.get("error", pd.Series(dtype=object)).fillna("") if e]
        rows.append(
            {
                "n_cut": int(cut),
                "share_of_cases_kept": float(block["share_of_cases_kept"].max()),
                "chosen": bool(block["chosen"].any()),
                "intermediate_models": int(main["n_models"].iloc[0]) if "n_models" in main.columns and len(main) else 0,
                "main_solution": expr,
                "solution_inclS": incl,
                "solution_covS": cov,
                "esa_solution": esa_expr,
                "esa_inclS": esa_incl,
                "error": "; ".join(dict.fromkeys(errors)),
            }
        )
    out = pd.DataFrame(rows)
    if verdicts is not None and len(verdicts):
        wide = verdicts.pivot(index="variant", columns="claim_id", values="verdict")
        wide.columns = [f"verdict: {c}" for c in wide.columns]
        out = out.merge(wide, left_on="n_cut", right_index=True, how="left")
    return out


# --------------------------------------------------------------------------- robustness protocol


def robustness_variants(
    scores: pd.DataFrame, anchors: Mapping[str, tuple], settings: FsqcaSettings, seed: int
) -> tuple[list[dict], dict[str, str]]:
    """The test sets (anchor shifts, cut variants, subsamples) and the family of each label."""
    rob = settings.require_robustness()
    shift = rob.anchor_shift
    variants = []
    for s in anchors:
        e, c, i = anchors[s]
        for sign, word in ((1, "+"), (-1, "-")):
            moved = (e + sign * shift, c + sign * shift, i + sign * shift)
            if settings.anchor_method == "percentile":
                q = list(settings.percentile_anchors)
                qs = [min(max(p + sign * 0.05, 0.0), 1.0) for p in q]
                moved = tuple(scores[s].quantile(qs).to_numpy())
            variants.append({"label": f"anchors {s} {word}{shift:g}", "anchors": {s: moved}, "family": "anchors"})
    for v in cut_variants(incl_cuts=list(rob.incl_cuts), n_cuts=list(rob.n_cuts), pri_cuts=list(rob.pri_cuts)):
        if "incl_cut" in v and settings.incl_cut_contradiction:
            v["incl_cut"] = (v["incl_cut"], min(v["incl_cut"], settings.incl_cut_contradiction))
        v["family"] = "cuts"
        variants.append(v)
    for v in subsample_variants(list(scores.index), n_draws=rob.subsamples, fraction=rob.subsample_share, seed=seed):
        v["family"] = "subsamples"
        variants.append(v)
    families = {v["label"]: v.pop("family") for v in variants}
    return variants, families


def run_robustness(
    scores: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    settings: FsqcaSettings,
    anchors: Mapping[str, tuple],
    n_cut: int,
    variants: list[dict],
) -> RobustnessReport:
    """Re-run the intermediate solution under every test set."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HalfMembershipWarning)  # reported once, in the skewness table
        return robustness_tests(
            scores,
            outcome,
            list(conditions),
            solution="intermediate",
            dir_exp=settings.dir_exp,
            initial={
                "incl_cut": settings.truth_table_incl_cut,
                "n_cut": n_cut,
                "pri_cut": settings.pri_cut,
                "anchors": dict(anchors),
                "convention": settings.inclusion_convention,
                "half": settings.half_membership,
                "half_shift": settings.half_shift,
            },
            tests=variants,
            max_models=settings.max_models,
        )


def robustness_run_tables(report: RobustnessReport, families: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per run (with its family) and one per failed run."""
    runs = report.table.reset_index()
    runs.insert(1, "family", runs["label"].map(families).fillna("initial"))
    runs["incl_cut"] = runs["incl_cut"].map(lambda v: v[0] if isinstance(v, (tuple, list)) else v)
    failed = pd.DataFrame(
        [{"label": k, "family": families.get(k, ""), "error": v} for k, v in sorted(report.failures.items())],
        columns=["label", "family", "error"],
    )
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
            rows.append(
                {
                    "configuration": term,
                    "family": family,
                    "runs": total,
                    "survived": alive,
                    "share": alive / total if total else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def verdicts_table(main_terms: Sequence[str], survival: pd.DataFrame) -> pd.DataFrame:
    """Robust (>= 80% in every family), moderately robust (>= 50% in every family) or fragile.

    Each family of test sets probes a different threat (calibration anchors, consistency and
    frequency cuts, case selection by subsamples), so each must be survived: with 50 subsamples
    among 72 runs an overall share would mostly measure the subsamples, and a configuration that
    fails most anchor shifts could still pass "half of all runs". Shares within R's tolerance
    (truthtable.TOLERANCE) of a cut-off reach it.
    """
    verdicts = []
    for term in main_terms:
        part = survival[(survival["configuration"] == term) & (survival["family"] != "all")]
        worst = float(part["share"].min())
        weakest = part.sort_values("share").iloc[0]["family"]
        overall = float(survival[(survival["configuration"] == term) & (survival["family"] == "all")]["share"].iloc[0])
        if worst >= 0.8 - TOLERANCE:
            verdict = f"robust: survives {overall:.0%} of all test sets and at least {worst:.0%} in every family"
        elif worst >= 0.5 - TOLERANCE:
            verdict = (
                f"moderately robust: survives at least {worst:.0%} of the test sets of every family "
                f"({overall:.0%} of all); weakest under {weakest}"
            )
        else:
            verdict = f"fragile: survives only {worst:.0%} of the test sets under {weakest} ({overall:.0%} of all)"
        verdicts.append(
            {"configuration": term, "survival_all": overall, "survival_worst_family": worst, "verdict": verdict}
        )
    return pd.DataFrame(verdicts)


def predictive_validity_table(
    members: pd.DataFrame, outcome: str, conditions: Sequence[str], settings: FsqcaSettings, seed: int
) -> pd.DataFrame:
    """Woodside's predictive validity: fit on a random half, test the model on the other half."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(members))
    cut_at = int(round(settings.holdout_share * len(members)))
    fit_half = members.iloc[np.sort(order[:cut_at])]
    holdout = members.iloc[np.sort(order[cut_at:])]
    rows = []
    try:
        half, half_shift = settings.half_membership, settings.half_shift
        pv_all = truth_table(
            fit_half,
            outcome,
            list(conditions),
            incl_cut=settings.truth_table_incl_cut,
            n_cut=1,
            pri_cut=settings.pri_cut,
            half=half,
            half_shift=half_shift,
        )
        pv_cut, _ = choose_n_cut(pv_all, settings.n_cut_min_share)  # the same rule on the half
        pv_sub = truth_table(
            fit_half,
            outcome,
            list(conditions),
            incl_cut=settings.truth_table_incl_cut,
            n_cut=pv_cut,
            pri_cut=settings.pri_cut,
            half=half,
            half_shift=half_shift,
        )
        pv_sol = minimize(pv_sub, "intermediate", dir_exp=settings.dir_exp, max_models=settings.max_models)
        expr = pv_sol.expression(0)
        for part_name, frame in (("subsample (fit)", fit_half), ("holdout (test)", holdout)):
            for term_name, row in fit_parameters(frame, expr, outcome).to_frame().iterrows():
                rows.append(
                    {
                        "sample": part_name,
                        "n_cut": pv_cut,
                        "model": expr,
                        "term": term_name,
                        "inclS": row.get("inclS"),
                        "PRI": row.get("PRI"),
                        "covS": row.get("covS"),
                        "n_cases": len(frame),
                    }
                )
    except FsqcaError as exc:
        rows.append(
            {
                "sample": "failed",
                "n_cut": np.nan,
                "model": "",
                "term": str(exc),
                "inclS": np.nan,
                "PRI": np.nan,
                "covS": np.nan,
                "n_cases": 0,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the study


def run_fsqca_study(
    clean: pd.DataFrame, settings: FsqcaSettings | Mapping[str, Any], seed: int, progress=sys.stderr
) -> FsqcaStudyResult:
    """Run the whole Study 2 fsQCA on the clean survey table.

    Parameters
    ----------
    clean : DataFrame
        ``results/survey/clean.csv`` (construct scores INST ... SCO, ``firm_code``).
    settings : FsqcaSettings or mapping
        The study's fsQCA settings (a mapping is the ``fsqca`` config section, resolved once).
    seed : int
        Seed of the subsamples and of the holdout split.
    progress : file-like or None
        Where the robustness grid reports its progress.
    """
    settings = FsqcaSettings.resolve(settings)
    outcome, conditions = settings.outcome, list(settings.conditions)
    scores, dropped = construct_scores(clean, [*conditions, outcome])
    anchors_table = study_anchors(scores, settings)
    anchors = anchors_of(anchors_table)
    members = calibrate_scores(scores, anchors, settings)
    core = analyse_outcome(members, outcome, conditions, settings)
    tables = {
        "anchors": anchors_table,
        "memberships": members.reset_index(),
        "exclusivity": exclusivity_table(members, conditions),
        "skewness": skewness_table(scores, members, anchors),
        **core.tables,
        "frequency_cut": frequency_cut_table(core.truth_tables, settings, len(members), len(dropped)),
    }
    main, pars = core.solutions.get(f"{outcome} intermediate"), core.solutions.get(f"{outcome} parsimonious")
    if main is None or pars is None:
        raise FsqcaError(
            f"no intermediate solution for {outcome}: no truth-table row passes "
            f"incl.cut {settings.incl_cut} / PRI {settings.pri_cut}"
        )
    main_terms = list(main.models[0])
    tables["configuration_chart"] = chart_table(main, pars, conditions)
    tables["core_peripheral"] = core_peripheral_table(main, pars, conditions)
    tables["frequency_cut_solutions"] = frequency_cut_solutions(
        members, outcome, conditions, settings, core.truth_tables.n_cut
    )
    xy, tables["xy_fit"], tables["xy_memberships"] = xy_tables(members, main, outcome)

    variants, families = robustness_variants(scores, anchors, settings, seed)
    if progress is not None:
        progress.write(
            f"fsQCA robustness: {len(variants)} test sets (anchors, cuts, {settings.require_robustness().subsamples} subsamples)\n"
        )
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


def run_fsqca_analysis(clean: pd.DataFrame, settings: FsqcaSettings | Mapping[str, Any], name: str) -> OutcomeAnalysis:
    """One further analysis of ``fsqca.analyses`` (same calibration anchors and cuts as the
    study; necessity, truth tables, the three solutions for the outcome and its negation,
    contradictory assumptions and the enhanced standard analysis; no robustness grid).

    ``settings`` is the study's (:class:`~nero.fsqca.settings.FsqcaSettings`, or the ``fsqca``
    config section, resolved once); :meth:`FsqcaSettings.analysis` gives the analysis' own.
    """
    settings = FsqcaSettings.resolve(settings)
    spec = settings.analysis(name)
    outcome, conditions = spec.outcome, list(spec.conditions)
    scores, dropped = construct_scores(clean, [*conditions, outcome])
    anchors_table = study_anchors(scores, spec, [*conditions, outcome])
    anchors = anchors_of(anchors_table)
    members = calibrate_scores(scores, anchors, spec)
    result = analyse_outcome(members, outcome, conditions, spec)
    result.tables["anchors"] = anchors_table
    result.tables["frequency_cut"] = frequency_cut_table(result.truth_tables, spec, len(members), len(dropped))
    result.info.update(
        {"analysis": name, "description": settings.analyses[name].description, "dropped_for_missing_scores": dropped}
    )
    return result
