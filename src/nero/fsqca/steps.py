"""One fsQCA of one outcome, step by step: calibration, necessity, truth tables, solutions.

These are the steps the Study 2 fsQCA (:mod:`nero.fsqca.study`) and its further analyses
(the scale-up side, ``fsqca.analyses`` in the config) share. Each function does one step
on loaded objects; :func:`analyse_outcome` chains them without the robustness grid (the
fast path the design analysis calls on simulated surveys).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nero.fsqca._errors import FsqcaError
from nero.fsqca.calibration import calibrate
from nero.fsqca.esa import EnhancedStandardAnalysis, contradictory_simplifying_assumptions, enhanced_standard_analysis
from nero.fsqca.minimization import minimize
from nero.fsqca.necessity_analysis import necessity
from nero.fsqca.settings import FsqcaSettings
from nero.fsqca.skewness_check import skewness
from nero.fsqca.solution import Solution
from nero.fsqca.truthtable import TOLERANCE, TruthTable, truth_table

log = logging.getLogger(__name__)

SOLUTION_KINDS = ("conservative", "parsimonious", "intermediate")


def construct_scores(
    clean: pd.DataFrame, sets: Sequence[str], id_column: str = "firm_code"
) -> tuple[pd.DataFrame, list]:
    """The construct scores of ``sets`` indexed by firm, and the firms dropped for a missing score."""
    missing = [c for c in [id_column, *sets] if c not in clean.columns]
    if missing:
        raise FsqcaError(
            f"clean survey table: column(s) {', '.join(missing)} missing; "
            "expected the construct scores of docs/architecture.md"
        )
    scores = clean.set_index(id_column)[list(sets)].astype(float)
    dropped = scores.index[scores.isna().any(axis=1)].tolist()
    return scores.dropna(), dropped


def study_anchors(scores: pd.DataFrame, settings: FsqcaSettings, sets: Sequence[str] | None = None) -> pd.DataFrame:
    """The calibration anchors of every set, with the rationale written beside each.

    ``anchor_method: theory`` takes the anchors of the config (points of the 7-point
    scale); ``percentile`` takes the ``percentile_anchors`` quantiles of each set.
    """
    sets = list(sets) if sets is not None else [*settings.conditions, settings.outcome]
    rows = []
    for name in sets:
        if settings.anchor_method == "percentile":
            q = list(settings.percentile_anchors)
            values = scores[name].dropna().quantile(q).to_numpy()
            rows.append(
                {
                    "set": name,
                    "exclusion": values[0],
                    "crossover": values[1],
                    "inclusion": values[2],
                    "method": f"percentiles {q[0]:g}/{q[1]:g}/{q[2]:g}",
                    "rationale": "sample percentiles (the alternative to theory-based anchors)",
                }
            )
        else:
            a = settings.anchors.get(name)
            if a is None:
                raise FsqcaError(
                    f"config fsqca.anchors: no anchors for set {name!r}; "
                    "expected exclusion, crossover, inclusion and a rationale"
                )
            rows.append(
                {
                    "set": name,
                    "exclusion": a.exclusion,
                    "crossover": a.crossover,
                    "inclusion": a.inclusion,
                    "method": "theory (7-point scale)",
                    "rationale": a.rationale,
                }
            )
    return pd.DataFrame(rows)


def anchors_of(anchors_table: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """``{set: (exclusion, crossover, inclusion)}`` from :func:`study_anchors`."""
    return {r.set: (r.exclusion, r.crossover, r.inclusion) for r in anchors_table.itertuples()}


def calibrate_scores(scores: pd.DataFrame, anchors: Mapping[str, tuple], settings: FsqcaSettings) -> pd.DataFrame:
    """Memberships of every set (columns in the order of ``anchors``)."""
    members = calibrate(
        scores,
        dict(anchors),
        convention=settings.inclusion_convention,
        half=settings.half_membership,
        half_shift=settings.half_shift,
    )
    return members[list(anchors)]


def skewness_table(scores: pd.DataFrame, members: pd.DataFrame, anchors: Mapping[str, tuple]) -> pd.DataFrame:
    """Share of cases above 0.5 per set, and how many sat on the crossover (shifted)."""
    sets = list(anchors)
    at_half = {s: int((scores[s] == anchors[s][1]).sum()) for s in sets}
    skew = skewness(members, sets).to_frame().reset_index()
    skew["cases_at_crossover_shifted"] = skew.iloc[:, 0].map(at_half).fillna(0).astype(int)
    return skew


def necessity_table(
    members: pd.DataFrame, outcome: str, conditions: Sequence[str], settings: FsqcaSettings
) -> pd.DataFrame:
    """inclN, RoN, covN of every condition and negation, with the project's necessity rule.

    ``passes_threshold``: inclN at or above ``necessity_threshold``; ``possibly_trivial``:
    passes but RoN below ``necessity_ron``; ``necessary``: passes and is not possibly
    trivial (the rule the study's necessity claims use).
    """
    frame = necessity(members, outcome, list(conditions)).to_frame().reset_index()
    threshold, ron = settings.necessity_threshold, settings.necessity_ron
    # R's tolerance (truthtable.TOLERANCE, admisc::agteb): a value within it of a cut-off reaches it
    frame["passes_threshold"] = frame["inclN"] >= threshold - TOLERANCE
    frame["possibly_trivial"] = frame["passes_threshold"] & (frame["RoN"] < ron - TOLERANCE)
    frame["necessary"] = frame["passes_threshold"] & ~frame["possibly_trivial"]
    return frame


def necessity_claims(nec: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Conditions (positive literals) claimed necessary, and the notes on those that pass the
    consistency threshold but fail the relevance rule (not claimed)."""
    claims = [str(e) for e in nec.loc[nec["necessary"], "expression"] if not str(e).startswith("~")]
    notes = [
        f"{r.expression}: inclN {r.inclN:.3f} passes the threshold but RoN {r.RoN:.3f} is below the relevance "
        "rule, so it is possibly trivial and not claimed necessary"
        for r in nec[nec["possibly_trivial"]].itertuples()
        if not str(r.expression).startswith("~")
    ]
    return claims, notes


def choose_n_cut(tt_all, min_share: float) -> tuple[int, float]:
    """The largest frequency cut whose kept rows hold at least ``min_share`` of the cases.

    ``tt_all`` is the truth table at ``n_cut = 1``. Returns ``(n_cut, share kept)``.
    """
    n = tt_all.table["n"].astype(int)
    total = int(n.sum())
    best = (1, 1.0)
    for cut in range(1, int(n.max()) + 1):
        share = float(n[n >= cut].sum()) / total
        if share >= min_share - TOLERANCE:  # a share within R's tolerance of the minimum reaches it
            best = (cut, share)
    return best


@dataclass
class TruthTables:
    """The truth tables of the outcome and its negation at the chosen frequency cut."""

    positive: TruthTable
    negated: TruthTable
    n_cut: int
    share: float


def build_truth_tables(
    members: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    settings: FsqcaSettings,
    n_cut: int | None = None,
) -> TruthTables:
    """Truth tables for ``outcome`` and ``~outcome``, n.cut by the stated share rule (or ``n_cut`` if given)."""
    kw = {
        "incl_cut": settings.truth_table_incl_cut,
        "pri_cut": settings.pri_cut,
        "half": settings.half_membership,
        "half_shift": settings.half_shift,
    }
    tt_all = truth_table(members, outcome, list(conditions), n_cut=1, **kw)
    if n_cut is None:
        n_cut, share = choose_n_cut(tt_all, settings.n_cut_min_share)
    else:
        n = tt_all.table["n"].astype(int)
        share = float(n[n >= int(n_cut)].sum()) / int(n.sum())
    tt = truth_table(members, outcome, list(conditions), n_cut=n_cut, **kw)
    tt_neg = truth_table(members, "~" + outcome, list(conditions), n_cut=n_cut, **kw)
    return TruthTables(tt, tt_neg, n_cut, share)


def frequency_cut_table(tts: TruthTables, settings: FsqcaSettings, n_cases: int, dropped: int) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "rule": f"largest n.cut keeping at least {settings.n_cut_min_share:.0%} of the cases in observed rows",
                "n_cut": tts.n_cut,
                "share_of_cases_kept": tts.share,
                "incl_cut": settings.incl_cut,
                "pri_cut": settings.pri_cut,
                "n_cases": n_cases,
                "cases_dropped_for_missing_scores": dropped,
            }
        ]
    )


def solve_outcomes(tts: TruthTables, outcome: str, dir_exp, dir_exp_negated, max_models: int) -> dict[str, Solution]:
    """Conservative, parsimonious and intermediate solutions for the outcome and its negation
    (keys ``"Y kind"`` and ``"~Y kind"``); a solution that cannot be formed is logged and left out."""
    solutions: dict[str, Solution] = {}
    for label, table_, de in ((outcome, tts.positive, dir_exp), ("~" + outcome, tts.negated, dir_exp_negated)):
        for kind in SOLUTION_KINDS:
            if kind == "intermediate" and not de:
                continue
            try:
                solutions[f"{label} {kind}"] = minimize(
                    table_, kind, dir_exp=de if kind == "intermediate" else None, max_models=max_models
                )
            except FsqcaError as exc:  # e.g. no row passes the cuts for the negated outcome
                log.warning("%s %s solution: %s", label, kind, exc)
    return solutions


def solutions_table(solutions: Mapping[str, Solution]) -> pd.DataFrame:
    """One row per (solution, model, term): ``outcome,solution,n_models,model,term,inclS,PRI,covS,covU,cases``."""
    rows = []
    for key, sol in solutions.items():
        frame = sol.to_frame()
        frame.insert(0, "solution", key.split(" ")[1])
        frame.insert(0, "outcome", key.split(" ")[0])
        frame.insert(2, "n_models", sol.n_models)
        rows.append(frame)
    if not rows:
        return pd.DataFrame(
            columns=["outcome", "solution", "n_models", "model", "term", "inclS", "PRI", "covS", "covU", "cases"]
        )
    return pd.concat(rows, ignore_index=True)


def counterfactuals_table(solutions: Mapping[str, Solution]) -> pd.DataFrame:
    """Easy and difficult counterfactuals of the intermediate solutions; simplifying
    assumptions of every parsimonious model."""
    cf = []
    for key, sol in solutions.items():
        for item in sol.counterfactuals:
            cf.append(
                {
                    "outcome": key.split(" ")[0],
                    "conservative_model": item["conservative_model"],
                    "parsimonious_model": item["parsimonious_model"],
                    "easy_counterfactuals": ",".join(map(str, item["easy_counterfactuals"])),
                    "difficult_counterfactuals": ",".join(map(str, item.get("difficult_counterfactuals", []))),
                }
            )
        if sol.kind == "parsimonious":
            for m in range(len(sol.models)):
                cf.append(
                    {
                        "outcome": key.split(" ")[0],
                        "conservative_model": "",
                        "parsimonious_model": m + 1,
                        "easy_counterfactuals": "",
                        "difficult_counterfactuals": "",
                        "simplifying_assumptions": ",".join(map(str, sol.simplifying_assumptions(m))),
                    }
                )
    return pd.DataFrame(cf)


def contradictory_table(
    solutions: Mapping[str, Solution], tts: TruthTables, outcome: str, conditions: Sequence[str]
) -> pd.DataFrame:
    """Remainders assumed by both the outcome's and the negation's solutions."""
    rows = []
    full = tts.positive.to_frame(complete=True)
    for kind in ("parsimonious", "intermediate"):
        pos_sol, neg_sol = solutions.get(f"{outcome} {kind}"), solutions.get(f"~{outcome} {kind}")
        if pos_sol is not None and neg_sol is not None:
            for row in contradictory_simplifying_assumptions(pos_sol, neg_sol):
                rows.append(
                    {
                        "solution": kind,
                        "row": row,
                        "configuration": "*".join(c if full.at[row, c] else "~" + c for c in conditions),
                    }
                )
    return pd.DataFrame(rows, columns=["solution", "row", "configuration"])


def esa_table(
    tts: TruthTables, claims: Sequence[str], notes: Sequence[str], dir_exp, max_models: int
) -> tuple[pd.DataFrame, EnhancedStandardAnalysis]:
    """Enhanced standard analysis (Schneider & Wagemann 2012): no contradictory simplifying
    assumptions, no remainder outside a condition claimed necessary by the necessity rule.

    ``necessity_claims`` lists the claims used; ``necessity_note`` states the conditions
    that pass the consistency threshold but are not claimed (possibly trivial).
    """
    esa = enhanced_standard_analysis(
        tts.positive, tts.negated, necessary=list(claims), dir_exp=dir_exp, max_models=max_models
    )
    parts = []
    for kind, sol in esa.solutions.items():
        frame = sol.to_frame()
        frame.insert(0, "solution", kind)
        frame.insert(1, "n_models", sol.n_models)
        parts.append(frame)
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    table.insert(0, "excluded_remainders", ",".join(map(str, esa.excluded_rows)))
    table.insert(1, "necessity_claims", ",".join(claims))
    table.insert(2, "necessity_note", "; ".join(notes))
    return table, esa


def study_summary(
    outcome: str, conditions: Sequence[str], info: Mapping[str, Any], solutions: Mapping[str, Solution]
) -> str:
    """Header line (cases, frequency cut) and the intermediate solutions for the outcome and its negation."""
    lines = [
        f"fsQCA of {outcome} on {', '.join(conditions)} ({info['n_cases']} cases; "
        f"n.cut {info['n_cut']} keeps {info['n_cut_share']:.0%})"
    ]
    for key in (f"{outcome} intermediate", f"~{outcome} intermediate"):
        if key in solutions:
            lines.append(solutions[key].summary())
    return "\n\n".join(lines)


def write_study(
    tables: Mapping[str, pd.DataFrame], solutions: Mapping[str, Solution], info: Mapping[str, Any], outdir
) -> list:
    """Every table as CSV, the solutions as JSON and ``summary.json`` under ``outdir``, atomically."""
    from pathlib import Path

    from nero.outputs import write_csv, write_json

    outdir = Path(outdir)
    written = [write_csv(frame, outdir / f"{name}.csv") for name, frame in sorted(tables.items())]
    written.append(
        write_json({key: sol.to_dict() for key, sol in sorted(solutions.items())}, outdir / "solutions.json")
    )
    written.append(write_json(info, outdir / "summary.json"))
    return written


@dataclass
class OutcomeAnalysis:
    """One outcome's fsQCA without robustness grid (see :func:`analyse_outcome`)."""

    outcome: str
    conditions: list[str]
    tables: dict[str, pd.DataFrame]
    solutions: dict[str, Solution]
    truth_tables: TruthTables
    info: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        return study_summary(self.outcome, self.conditions, self.info, self.solutions)

    def to_frame(self) -> pd.DataFrame:
        return self.tables["solutions"]

    def write(self, outdir) -> list:
        """Every table as CSV, the solutions as JSON and ``summary.json``, atomically."""
        return write_study(self.tables, self.solutions, self.info, outdir)


def analyse_outcome(
    members: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str],
    settings: FsqcaSettings,
    *,
    dir_exp=None,
    dir_exp_negated=None,
    esa: bool = True,
    n_cut: int | None = None,
) -> OutcomeAnalysis:
    """Necessity, truth tables, solutions (and the enhanced standard analysis) for one outcome.

    The fast path: no calibration (``members`` are memberships), no robustness grid.

    Parameters
    ----------
    members : DataFrame
        Memberships of the conditions and the outcome, one row per case.
    outcome : str
    conditions : sequence of str
    settings : FsqcaSettings
        The study's fsQCA settings (cuts, necessity rule, ``max_models``).
    dir_exp, dir_exp_negated : optional
        Directional expectations for the outcome and its negation (default: the settings').
    esa : bool
        Also run the enhanced standard analysis (table ``solutions_esa``).
    n_cut : int, optional
        A fixed frequency cut instead of the settings' share rule (the sensitivity table).
    """
    conditions = list(conditions)
    dir_exp = settings.dir_exp if dir_exp is None else dir_exp
    dir_exp_negated = settings.dir_exp_negated if dir_exp_negated is None else dir_exp_negated
    max_models = settings.max_models
    tables: dict[str, pd.DataFrame] = {}
    nec = necessity_table(members, outcome, conditions, settings)
    tables["necessity"] = nec
    tables["necessity_negated"] = necessity_table(members, "~" + outcome, conditions, settings)
    claims, notes = necessity_claims(nec)
    tts = build_truth_tables(members, outcome, conditions, settings, n_cut=n_cut)
    tables["truth_table"] = tts.positive.to_frame().reset_index()
    tables["truth_table_negated"] = tts.negated.to_frame().reset_index()
    solutions = solve_outcomes(tts, outcome, dir_exp, dir_exp_negated, max_models)
    tables["solutions"] = solutions_table(solutions)
    tables["counterfactuals"] = counterfactuals_table(solutions)
    tables["contradictory_assumptions"] = contradictory_table(solutions, tts, outcome, conditions)
    main = solutions.get(f"{outcome} intermediate")
    info: dict[str, Any] = {
        "outcome": outcome,
        "conditions": conditions,
        "n_cases": len(members),
        "n_cut": tts.n_cut,
        "n_cut_share": tts.share,
        "main_solution": main.expression(0) if main is not None and main.models else None,
        "main_solution_models": main.n_models if main is not None else 0,
        "necessity_claims": claims,
        "necessity_notes": notes,
        "contradictory_simplifying_assumptions": int(len(tables["contradictory_assumptions"])),
    }
    if esa and main is not None:
        tables["solutions_esa"], result = esa_table(tts, claims, notes, dir_exp, max_models)
        inter = result.solutions.get("intermediate")
        info["esa_intermediate_solution"] = inter.expression(0) if inter is not None else None
    return OutcomeAnalysis(
        outcome=outcome, conditions=conditions, tables=tables, solutions=solutions, truth_tables=tts, info=info
    )
