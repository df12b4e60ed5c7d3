"""The Study 2 fsQCA: from the clean survey to configurations and their robustness.

Every step calls the engine's public functions (calibration, necessity, truth table,
minimization, robustness); this module only chooses, from the study's settings, what
to run and collects the tables that ``results/fsqca/`` holds.
"""

from __future__ import annotations

import logging
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from nero.fsqca._errors import FsqcaError, HalfMembershipWarning
from nero.fsqca.calibrate import calibrate, skewness
from nero.fsqca.fit import fit_parameters, membership
from nero.fsqca.esa import contradictory_simplifying_assumptions, enhanced_standard_analysis
from nero.fsqca.minimize import Solution, minimize
from nero.fsqca.necessity import necessity
from nero.fsqca.robustness import cut_variants, robustness_tests, solution_membership, subsample_variants
from nero.fsqca.truthtable import truth_table
from nero.integration import configuration_chart, term_conditions

log = logging.getLogger(__name__)


def study_anchors(scores: pd.DataFrame, settings: Mapping[str, Any]) -> pd.DataFrame:
    """The calibration anchors of every set, with the rationale written beside each.

    ``anchor_method: theory`` takes the anchors of the config (points of the 7-point
    scale); ``percentile`` takes the ``percentile_anchors`` quantiles of each set.
    """
    sets = [*settings["conditions"], settings["outcome"]]
    rows = []
    for name in sets:
        if settings["anchor_method"] == "percentile":
            q = settings.get("percentile_anchors", [0.05, 0.5, 0.95])
            values = scores[name].dropna().quantile(q).to_numpy()
            rows.append({"set": name, "exclusion": values[0], "crossover": values[1], "inclusion": values[2],
                         "method": f"percentiles {q[0]:g}/{q[1]:g}/{q[2]:g}",
                         "rationale": "sample percentiles (the alternative to theory-based anchors)"})
        else:
            a = settings["anchors"].get(name)
            if a is None:
                raise FsqcaError(f"config fsqca.anchors: no anchors for set {name!r}; expected exclusion, crossover, inclusion and a rationale")
            rows.append({"set": name, "exclusion": a["exclusion"], "crossover": a["crossover"], "inclusion": a["inclusion"],
                         "method": "theory (7-point scale)", "rationale": a["rationale"]})
    return pd.DataFrame(rows)


def choose_n_cut(tt_all, min_share: float) -> tuple[int, float]:
    """The largest frequency cut whose kept rows hold at least ``min_share`` of the cases.

    ``tt_all`` is the truth table at ``n_cut = 1``. Returns ``(n_cut, share kept)``.
    """
    n = tt_all.table["n"].astype(int)
    total = int(n.sum())
    best = (1, 1.0)
    for cut in range(1, int(n.max()) + 1):
        share = float(n[n >= cut].sum()) / total
        if share >= min_share:
            best = (cut, share)
    return best


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
        lines = [f"fsQCA of {self.info['outcome']} on {', '.join(self.info['conditions'])} "
                 f"({self.info['n_cases']} cases; n.cut {self.info['n_cut']} keeps {self.info['n_cut_share']:.0%})"]
        for key in ("SCO intermediate", "~SCO intermediate"):
            if key in self.solutions:
                lines.append(self.solutions[key].summary())
        return "\n\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        return self.tables["solutions"]

    def write(self, outdir) -> list:
        """Write every table as CSV, the solutions as JSON and ``summary.json``, atomically."""
        from pathlib import Path

        from nero.outputs import write_csv, write_json

        outdir = Path(outdir)
        written = [write_csv(frame, outdir / f"{name}.csv") for name, frame in sorted(self.tables.items())]
        written.append(write_json({key: sol.to_dict() for key, sol in sorted(self.solutions.items())}, outdir / "solutions.json"))
        written.append(write_json(self.info, outdir / "summary.json"))
        return written


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
    sets = [*conditions, outcome]
    missing = [c for c in ["firm_code", *sets] if c not in clean.columns]
    if missing:
        raise FsqcaError(f"clean survey table: column(s) {', '.join(missing)} missing; expected the construct scores of docs/architecture.md")
    scores = clean.set_index("firm_code")[sets].astype(float)
    dropped = scores.index[scores.isna().any(axis=1)].tolist()
    scores = scores.dropna()
    tables: dict[str, pd.DataFrame] = {}
    convention = settings.get("inclusion_convention", "ragin")
    half = settings.get("half_membership", "shift")
    half_shift = float(settings.get("half_shift", 0.001))

    # --- calibration
    anchors_table = study_anchors(scores, settings)
    tables["anchors"] = anchors_table
    anchors = {r.set: (r.exclusion, r.crossover, r.inclusion) for r in anchors_table.itertuples()}
    at_half = {s: int((scores[s] == anchors[s][1]).sum()) for s in sets}
    members = calibrate(scores, anchors, convention=convention, half=half, half_shift=half_shift)
    members = members[sets]
    tables["memberships"] = members.reset_index()
    skew = skewness(members, sets).to_frame().reset_index()
    skew["cases_at_crossover_shifted"] = skew.iloc[:, 0].map(at_half).fillna(0).astype(int)
    tables["skewness"] = skew

    # --- necessity (conditions and their negations)
    nec = necessity(members, outcome, conditions).to_frame().reset_index()
    threshold, ron = float(settings.get("necessity_threshold", 0.9)), float(settings.get("necessity_ron", 0.6))
    nec_neg = necessity(members, "~" + outcome, conditions).to_frame().reset_index()
    for frame in (nec, nec_neg):
        # passes: consistency at or above the threshold; RoN below `ron` marks a possibly trivial necessity
        frame["passes_threshold"] = frame["inclN"] >= threshold
        frame["possibly_trivial"] = frame["passes_threshold"] & (frame["RoN"] < ron)
    tables["necessity"] = nec
    tables["necessity_negated"] = nec_neg

    # --- truth tables (frequency cut by the stated rule)
    incl = float(settings["incl_cut"])
    incl_pair = (incl, float(settings["incl_cut_contradiction"])) if settings.get("incl_cut_contradiction") else incl
    pri = float(settings["pri_cut"])
    tt_all = truth_table(members, outcome, conditions, incl_cut=incl_pair, n_cut=1, pri_cut=pri, half=half, half_shift=half_shift)
    n_cut, share = choose_n_cut(tt_all, float(settings["n_cut_min_share"]))
    tt = truth_table(members, outcome, conditions, incl_cut=incl_pair, n_cut=n_cut, pri_cut=pri, half=half, half_shift=half_shift)
    tt_neg = truth_table(members, "~" + outcome, conditions, incl_cut=incl_pair, n_cut=n_cut, pri_cut=pri, half=half, half_shift=half_shift)
    tables["truth_table"] = tt.to_frame().reset_index()
    tables["truth_table_negated"] = tt_neg.to_frame().reset_index()
    tables["frequency_cut"] = pd.DataFrame([{
        "rule": f"largest n.cut keeping at least {float(settings['n_cut_min_share']):.0%} of the cases in observed rows",
        "n_cut": n_cut, "share_of_cases_kept": share, "incl_cut": incl, "pri_cut": pri, "n_cases": len(members),
        "cases_dropped_for_missing_scores": len(dropped)}])

    # --- minimization for the outcome and its negation
    max_models = int(settings.get("max_models", 1000))
    solutions: dict[str, Solution] = {}
    for label, table_, dir_exp in ((outcome, tt, settings["dir_exp"]), ("~" + outcome, tt_neg, settings.get("dir_exp_negated"))):
        for kind in ("conservative", "parsimonious", "intermediate"):
            if kind == "intermediate" and not dir_exp:
                continue
            try:
                solutions[f"{label} {kind}"] = minimize(table_, kind, dir_exp=dir_exp if kind == "intermediate" else None, max_models=max_models)
            except FsqcaError as exc:  # e.g. no row passes the cuts for ~SCO
                log.warning("%s %s solution: %s", label, kind, exc)
    rows = []
    for key, sol in solutions.items():
        frame = sol.to_frame()
        frame.insert(0, "solution", key.split(" ")[1])
        frame.insert(0, "outcome", key.split(" ")[0])
        frame.insert(2, "n_models", sol.n_models)
        rows.append(frame)
    tables["solutions"] = pd.concat(rows, ignore_index=True)
    cf = []
    for key, sol in solutions.items():
        for item in sol.counterfactuals:
            cf.append({"outcome": key.split(" ")[0], "conservative_model": item["conservative_model"],
                       "parsimonious_model": item["parsimonious_model"],
                       "easy_counterfactuals": ",".join(map(str, item["easy_counterfactuals"])),
                       "difficult_counterfactuals": ",".join(map(str, item.get("difficult_counterfactuals", [])))})
        if sol.kind == "parsimonious":
            for m in range(len(sol.models)):
                cf.append({"outcome": key.split(" ")[0], "conservative_model": "", "parsimonious_model": m + 1,
                           "easy_counterfactuals": "", "difficult_counterfactuals": "",
                           "simplifying_assumptions": ",".join(map(str, sol.simplifying_assumptions(m)))})
    tables["counterfactuals"] = pd.DataFrame(cf)

    # contradictory simplifying assumptions: remainders assumed by both SCO and ~SCO solutions
    csa_rows = []
    for kind in ("parsimonious", "intermediate"):
        pos_sol, neg_sol = solutions.get(f"{outcome} {kind}"), solutions.get(f"~{outcome} {kind}")
        if pos_sol is not None and neg_sol is not None:
            full = tt.to_frame(complete=True)
            for row in contradictory_simplifying_assumptions(pos_sol, neg_sol):
                csa_rows.append({"solution": kind, "row": row,
                                 "configuration": "*".join(c if full.at[row, c] else "~" + c for c in conditions)})
    tables["contradictory_assumptions"] = pd.DataFrame(csa_rows, columns=["solution", "row", "configuration"])

    # enhanced standard analysis (Schneider & Wagemann 2012) as a check of the main solution:
    # no contradictory simplifying assumptions, no remainder outside a condition that passed
    # the necessity threshold
    necessary_claims = [e for e in nec.loc[nec["passes_threshold"], "expression"] if not str(e).startswith("~")]
    esa = enhanced_standard_analysis(tt, tt_neg, necessary=necessary_claims, dir_exp=settings["dir_exp"], max_models=max_models)
    esa_rows = []
    for kind, sol in esa.solutions.items():
        frame = sol.to_frame()
        frame.insert(0, "solution", kind)
        frame.insert(1, "n_models", sol.n_models)
        esa_rows.append(frame)
    esa_table = pd.concat(esa_rows, ignore_index=True) if esa_rows else pd.DataFrame()
    esa_table.insert(0, "excluded_remainders", ",".join(map(str, esa.excluded_rows)))
    esa_table.insert(1, "necessity_claims", ",".join(necessary_claims))
    tables["solutions_esa"] = esa_table

    main = solutions.get(f"{outcome} intermediate")
    pars = solutions.get(f"{outcome} parsimonious")
    if main is None or pars is None:
        raise FsqcaError(f"no intermediate solution for {outcome}: no truth-table row passes incl.cut {incl} / PRI {pri}")
    main_terms = list(main.models[0])
    term_fit = main.term_fit[0][["inclS", "PRI", "covS", "covU"]]
    # the chart against every parsimonious model's terms (core = in a parsimonious term nested in it)
    pars_terms = sorted({t for m in pars.models for t in m})
    chart = configuration_chart(main_terms, pars_terms, conditions, term_fit)
    chart.loc["solution inclS"] = main.model_fit[0]["inclS"]
    chart.loc["solution covS"] = main.model_fit[0]["covS"]
    tables["configuration_chart"] = chart.reset_index().rename(columns={"index": "condition"})

    # --- XY memberships of every term and of the solution
    y = members[outcome].to_numpy()
    xy = pd.DataFrame({t: membership(members, t).to_numpy() for t in main_terms}, index=members.index)
    xy["solution"] = solution_membership(main, members).to_numpy()
    fit_xy = term_fit[["inclS", "covS"]].copy()
    fit_xy.loc["solution"] = [main.model_fit[0]["inclS"], main.model_fit[0]["covS"]]
    tables["xy_fit"] = fit_xy.reset_index().rename(columns={"index": "term"})

    # --- robustness protocol
    shift = float(settings["robustness"]["anchor_shift"])
    variants = []
    for s in sets:
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
    if progress is not None:
        progress.write(f"fsQCA robustness: {len(variants)} test sets (anchors, cuts, {rob['subsamples']} subsamples)\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HalfMembershipWarning)  # reported once, in the skewness table
        report = robustness_tests(scores, outcome, conditions, solution="intermediate", dir_exp=settings["dir_exp"],
                                  initial={"incl_cut": incl_pair, "n_cut": n_cut, "pri_cut": pri, "anchors": anchors,
                                           "convention": convention, "half": half, "half_shift": half_shift},
                                  tests=variants, max_models=max_models)
    runs = report.table.reset_index()
    runs.insert(1, "family", runs["label"].map(families).fillna("initial"))
    runs["incl_cut"] = runs["incl_cut"].map(lambda v: v[0] if isinstance(v, (tuple, list)) else v)
    tables["robustness_runs"] = runs
    failed = pd.DataFrame([{"label": k, "family": families.get(k, ""), "error": v} for k, v in sorted(report.failures.items())],
                          columns=["label", "family", "error"])
    tables["robustness_failures"] = failed
    survival_rows = []
    tests_only = runs[runs["family"] != "initial"]
    for term in main_terms:
        for family, group in [("all", tests_only), *sorted(tests_only.groupby("family"))]:
            alive = sum(_term_survives(term, str(m).split(" + ")) for m in group["model"])
            failed_n = int((failed["family"] == family).sum()) if family != "all" else len(failed)
            total = len(group) + failed_n
            survival_rows.append({"configuration": term, "family": family, "runs": total, "survived": alive,
                                  "share": alive / total if total else float("nan")})
    survival = pd.DataFrame(survival_rows)
    tables["robustness_survival"] = survival
    if report.fit is not None:
        rf = report.fit.to_frame().reset_index().rename(columns={"index": "test_set"})
        tables["robustness_fit"] = rf
        cases = pd.DataFrame([report.fit.cases])
        tables["robustness_cases"] = cases
    verdicts = []
    for term in main_terms:
        part = survival[(survival["configuration"] == term) & (survival["family"] != "all")]
        worst = float(part["share"].min())
        overall = float(survival[(survival["configuration"] == term) & (survival["family"] == "all")]["share"].iloc[0])
        if worst >= 0.8:
            verdict = f"robust: survives {overall:.0%} of all test sets and at least {worst:.0%} in every family"
        elif overall >= 0.5:
            weakest = part.sort_values("share").iloc[0]["family"]
            verdict = f"moderately robust: survives {overall:.0%} of test sets; weakest under {weakest} ({worst:.0%})"
        else:
            verdict = f"fragile: survives only {overall:.0%} of test sets"
        verdicts.append({"configuration": term, "survival_all": overall, "survival_worst_family": worst, "verdict": verdict})
    tables["robustness_verdicts"] = pd.DataFrame(verdicts)

    # --- predictive validity (Woodside): fit on a random half, test on the other half
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(scores))
    cut_at = int(round(float(settings.get("holdout_share", 0.5)) * len(scores)))
    fit_half = members.loc[scores.index[np.sort(order[:cut_at])]]
    holdout = members.loc[scores.index[np.sort(order[cut_at:])]]
    pv_rows = []
    try:
        pv_all = truth_table(fit_half, outcome, conditions, incl_cut=incl_pair, n_cut=1, pri_cut=pri, half=half, half_shift=half_shift)
        pv_cut, _ = choose_n_cut(pv_all, float(settings["n_cut_min_share"]))  # the same rule on the half
        pv_sub = truth_table(fit_half, outcome, conditions,
                             incl_cut=incl_pair, n_cut=pv_cut, pri_cut=pri, half=half, half_shift=half_shift)
        pv_sol = minimize(pv_sub, "intermediate", dir_exp=settings["dir_exp"], max_models=max_models)
        expr = pv_sol.expression(0)
        for part_name, frame in (("subsample (fit)", fit_half), ("holdout (test)", holdout)):
            fp = fit_parameters(frame, expr, outcome)
            tf = fp.to_frame()
            for term_name, row in tf.iterrows():
                pv_rows.append({"sample": part_name, "n_cut": pv_cut, "model": expr, "term": term_name, "inclS": row.get("inclS"),
                                "PRI": row.get("PRI"), "covS": row.get("covS"), "n_cases": len(frame)})
    except FsqcaError as exc:
        pv_rows.append({"sample": "failed", "n_cut": np.nan, "model": "", "term": str(exc), "inclS": np.nan, "PRI": np.nan, "covS": np.nan, "n_cases": 0})
    tables["predictive_validity"] = pd.DataFrame(pv_rows)

    xy_table = xy.copy()
    xy_table[outcome] = y
    tables["xy_memberships"] = xy_table.reset_index()

    info = {"outcome": outcome, "conditions": conditions, "n_cases": len(members), "n_cut": n_cut, "n_cut_share": share,
            "dropped_for_missing_scores": dropped, "main_solution": main.expression(0),
            "main_solution_models": main.n_models,
            "contradictory_simplifying_assumptions": int(len(csa_rows)),
            "esa_intermediate_solution": esa.solutions["intermediate"].expression(0) if "intermediate" in esa.solutions else None}
    return FsqcaStudyResult(tables=tables, solutions=solutions, info=info, xy_members=xy)
