"""One replicate and one batch of replicates of the design analysis.

A replicate simulates one study under a scenario, runs the chain of
:mod:`nero.design.chain` and scores it against what the scenario planted: which
recipes the reported intermediate solution recovers, which of its terms match no
planted recipe (spurious sufficient configurations), whether CAP passes the
necessity threshold, whether the indirect effect's bootstrap interval and the
INST x VIRT interaction test reject zero, whether the intervals cover the true
values, and the verdict of every claim of the claims registry on the replicate's
tables.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nero.fsqca.chart import term_conditions
from nero.fsqca.settings import FsqcaSettings
from nero.sem.settings import SemSettings
from nero.simulate.dgp_parameters import RECIPE_CODES, DGPParameters
from nero.survey.cleaning import CleaningSettings
from nero.survey.codebook import Codebook

from .chain import PRODUCT, finite, fsqca_design_checks, sem_design_checks, simulate_clean_survey
from .settings import DesignSettings, Scenario, replicate_seeds

log = logging.getLogger(__name__)

#: Generator seeds tried per replicate: the generator refuses (RuntimeError) a study in
#: which some firm cannot be given a non-straight-lining answer pattern in 100 draws
#: (about 1 study in 60 at N = 218); the replicate then uses its next spawned seed.
SEED_ATTEMPTS = 3


@dataclass
class StudyContext:
    """Everything a replicate reads besides its seed: loaded once per batch.

    Attributes
    ----------
    config : mapping
        The whole config (``seed``, ``survey``, ``sem``, ``fsqca``, ``design``).
    design : DesignSettings
    sim_codebook : dict
        The codebook's checked document (:meth:`Codebook.to_dict`), the plain mapping the
        generator (:mod:`nero.simulate`) walks; the file is read once, into ``codebook``.
    codebook : Codebook
        The codebook, as the survey stage and the SEM read it.
    claims : object or None
        A loaded claims registry (:func:`nero.claims.load_registry`) or None.
    fsqca, sem : FsqcaSettings, SemSettings
        The ``fsqca`` and ``sem`` sections, each resolved once (on first use; :meth:`from_config`
        resolves them at once).
    """

    config: Mapping[str, Any]
    design: DesignSettings
    sim_codebook: dict
    codebook: Codebook
    claims: Any = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any], codebook_path: str, claims: Any = None) -> StudyContext:
        codebook = Codebook.load(codebook_path)  # read once: the generator walks its checked document
        context = cls(config, DesignSettings.from_config(config["design"]), codebook.to_dict(), codebook, claims)
        context.fsqca, context.sem  # noqa: B018 (resolved now: a bad section stops the batch before any replicate)
        return context

    @cached_property
    def fsqca(self) -> FsqcaSettings:
        return FsqcaSettings.from_config(self.config["fsqca"])

    @cached_property
    def sem(self) -> SemSettings:
        return SemSettings.from_config(self.config["sem"])

    @property
    def whole_study(self) -> bool:
        """Every stage a claim reads runs in the replicate (``design.whole_study``, the config
        sections ``qual``, ``slr`` and ``integration`` present, and a claims registry)."""
        return bool(
            self.design.whole_study
            and self.claims is not None
            and all(k in self.config for k in ("qual", "slr", "integration"))
        )


def matches(recipe: list[str], term: str) -> bool:
    """A solution term recovers a recipe when it holds every recipe condition, present
    (extra conditions allowed), as in the fsQCA study's recovery test."""
    conds = term_conditions(term)
    return all(conds.get(c) == 1 for c in recipe)


def score_solution(models: list[list[str]], recipes: Mapping[str, list[str]]) -> dict[str, Any]:
    """Recovery and spurious terms of the reported model (the first of the tied models).

    Returns
    -------
    dict
        ``solution_found``, ``n_models``, ``n_terms``, ``recovered_<code>`` per planted
        recipe (codes of ``RECIPE_CODES``: IO, SE, PO, AGS, OO, OE), ``recovered_all``, ``recovered_all_any_model``
        (some tied model recovers every recipe), ``n_spurious`` (terms recovering no
        planted recipe) and ``any_spurious``.
    """
    out: dict[str, Any] = {"solution_found": bool(models), "n_models": len(models)}
    reported = models[0] if models else []
    out["n_terms"] = len(reported)
    for name, code in RECIPE_CODES.items():
        out[f"recovered_{code}"] = bool(name in recipes and any(matches(recipes[name], t) for t in reported))
    out["recovered_all"] = bool(recipes) and all(out[f"recovered_{RECIPE_CODES[n]}"] for n in recipes)
    out["recovered_all_any_model"] = bool(recipes) and any(
        all(any(matches(r, t) for t in model) for r in recipes.values()) for model in models
    )
    spurious = [t for t in reported if not any(matches(r, t) for r in recipes.values())]
    out["n_spurious"] = len(spurious)
    out["any_spurious"] = bool(spurious)
    out["spurious_terms"] = " + ".join(spurious)
    return out


def _sem_scores(tables: Mapping[str, pd.DataFrame], truth: pd.DataFrame | None, alpha: float) -> dict[str, Any]:
    ind = tables["sem/indirect_effects.csv"].iloc[0]
    amb = tables["sem/ambidexterity_moderation.csv"]
    mod = amb[(amb["outcome"] == "CAP") & (amb["term"] == PRODUCT)].iloc[0]
    paths = tables["sem/mediation_paths.csv"].set_index("path")
    out = {
        "indirect": finite(ind["estimate"]),
        "indirect_bc_lower": finite(ind["bc_lower"]),
        "indirect_bc_upper": finite(ind["bc_upper"]),
        "indirect_pct_lower": finite(ind["pct_lower"]),
        "indirect_pct_upper": finite(ind["pct_upper"]),
        "a_path": finite(paths.loc["a", "b"]),
        "b_path": finite(paths.loc["b", "b"]),
        "interaction": finite(mod["b"]),
        "interaction_se": finite(mod["se"]),
        "interaction_p": finite(mod["p"]),
        "interaction_ci_low": finite(mod["ci_low"]),
        "interaction_ci_high": finite(mod["ci_high"]),
    }
    out["indirect_rejects"] = bool(out["indirect_bc_lower"] > 0 or out["indirect_bc_upper"] < 0)
    out["indirect_positive"] = bool(out["indirect_bc_lower"] > 0)
    out["interaction_rejects"] = bool(out["interaction_p"] < alpha)
    out["interaction_positive"] = bool(out["interaction_p"] < alpha and out["interaction"] > 0)
    if truth is not None:
        value = truth.set_index("estimand")["value"]
        ti, tx = float(value["indirect"]), float(value["interaction"])
        out["indirect_bc_covers"] = bool(out["indirect_bc_lower"] <= ti <= out["indirect_bc_upper"])
        out["indirect_pct_covers"] = bool(out["indirect_pct_lower"] <= ti <= out["indirect_pct_upper"])
        out["interaction_covers"] = bool(out["interaction_ci_low"] <= tx <= out["interaction_ci_high"])
    return out


def _necessity_scores(nec: pd.DataFrame, necessary: list[str]) -> dict[str, Any]:
    table = nec.set_index("expression")
    cap = table.loc["CAP"] if "CAP" in table.index else None
    others = table.drop(index=[e for e in necessary if e in table.index])
    return {
        "necessity_CAP_inclN": finite(cap["inclN"]) if cap is not None else np.nan,
        "necessity_CAP_RoN": finite(cap["RoN"]) if cap is not None else np.nan,
        "necessity_CAP_passes": bool(cap is not None and cap["passes_threshold"]),
        "necessity_CAP_nontrivial": bool(cap is not None and cap["passes_threshold"] and not cap["possibly_trivial"]),
        "necessity_other_passes": bool(others["passes_threshold"].any()),
    }


def run_replicate(
    context: StudyContext, scenario: Scenario, replicate: int, workdir: str, truth: pd.DataFrame | None = None
) -> dict[str, Any]:
    """Run and score one replicate of ``scenario``.

    Parameters
    ----------
    context : StudyContext
    scenario : Scenario
    replicate : int
        Index (0-based); its seeds come from :func:`~nero.design.settings.replicate_seeds`.
    workdir : str
        Scratch folder for the simulated exports.
    truth : DataFrame, optional
        True values (:func:`nero.design.truth.true_values`) for the coverage columns.

    Returns
    -------
    dict
        One row of ``replicates.csv`` (docs/design.md lists the columns).
    """
    cfg, design = context.config, context.design
    seeds = replicate_seeds(int(cfg["seed"]), scenario.name, replicate, SEED_ATTEMPTS + 1)
    params = scenario.parameters()
    planted = scenario.truth()
    settings = CleaningSettings.from_config(dict(cfg["survey"]))
    start = time.process_time()
    for attempt in range(SEED_ATTEMPTS):
        try:
            survey = simulate_clean_survey(
                seeds[attempt], scenario.n, params, context.sim_codebook, context.codebook, settings, workdir
            )
            break
        except RuntimeError as exc:  # the generator's "could not draw a clean response"
            log.info(
                "%s replicate %d: seed %d refused by the generator (%s)", scenario.name, replicate, seeds[attempt], exc
            )
    else:
        raise RuntimeError(
            f"{scenario.name} replicate {replicate}: the generator refused {SEED_ATTEMPTS} seeds {seeds[:-1]}"
        )
    sem_tables = sem_design_checks(survey.clean, context.sem, design.n_boot, seeds[-1], context.claims is not None)
    fs = fsqca_design_checks(survey.clean, context.fsqca)
    row: dict[str, Any] = {
        "scenario": scenario.name,
        "process": scenario.process,
        "n_target": scenario.n,
        "effect_scale": scenario.effect_scale_value(),
        "replicate": replicate,
        "seed": seeds[attempt],
        "seed_attempt": attempt,
        "n_clean": len(survey.clean),
        "cleaning_exact": survey.cleaning_exact,
    }
    row.update(_sem_scores(sem_tables, truth, design.alpha))
    row.update(_necessity_scores(fs["fsqca/necessity.csv"], planted["necessary"]))
    row.update(score_solution(fs["_main_models"], planted["recipes"]))
    row["solution"] = fs["fsqca/summary.json"]["main_solution"] or ""
    row["n_cut"] = fs["fsqca/summary.json"]["n_cut"]
    if context.whole_study:
        tables, failures = whole_study_tables(context, survey.clean, seeds[attempt], seeds[-1], Path(workdir), params)
        row["stages_stopped"] = " | ".join(failures)
        row.update(claim_verdicts(context.claims, tables))
    elif context.claims is not None:
        tables = {**sem_tables, **{k: v for k, v in fs.items() if not k.startswith("_")}}
        row.update(claim_verdicts(context.claims, tables))
    row["cpu_seconds"] = time.process_time() - start
    return row


def whole_study_tables(
    context: StudyContext,
    clean: pd.DataFrame,
    study_seed: int,
    seed: int,
    workdir: Path,
    params: DGPParameters | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Every table the claims registry reads, from a whole study simulated with ``study_seed``,
    and the stages that stopped (``"stage: error"``; their tables are missing).

    The survey is ``clean`` (already simulated and cleaned); the Study 1 coding project
    (:func:`nero.simulate.simulate_interviews`, two simulated coders) and the literature
    review's exports (:func:`nero.simulate.slr.simulate_slr`, two simulated screeners) are
    drawn with ``study_seed`` and the process's ``interview_archetypes`` and ``slr_review``
    (``params``, default the planted process), as :func:`nero.simulate.simulate_study` draws them; every stage
    then runs as in the study (:mod:`nero.design.stages`) into ``workdir/results`` with
    ``seed`` for its bootstrap draws and subsamples, and the tables are read back as the
    claims stage reads them (:func:`nero.claims.read_tables`).
    """
    import shutil

    from nero.claims import read_tables
    from nero.simulate import simulate_interviews, write_qdpx
    from nero.simulate.slr import simulate_slr
    from nero.simulate.study_qda import build_qda_project

    from .stages import (
        write_fsqca_results,
        write_integration_results,
        write_review_results,
        write_sem_results,
        write_study1_results,
    )

    cfg = context.config
    raw, results = workdir / "raw", workdir / "results"
    for folder in (raw, results):
        shutil.rmtree(folder, ignore_errors=True)
    raw.mkdir(parents=True)
    params = params or DGPParameters()
    interviews = simulate_interviews(int(study_seed), context.design.interviews, params.interview_archetypes)
    project = write_qdpx(build_qda_project(int(study_seed), interviews), raw / "interviews" / "study1.qdpx")
    simulate_slr(int(study_seed), raw, params.slr_review)
    steps = {
        "sem": lambda: write_sem_results(clean, context.codebook, context.sem, seed, context.design.n_boot, results),
        "fsqca": lambda: write_fsqca_results(clean, context.fsqca, seed, results, context.claims.tables()),
        "study1": lambda: write_study1_results(project, cfg["qual"], results),
        "integration": lambda: write_integration_results(
            results, cfg["integration"]["archetypes"], context.fsqca.outcome
        ),
        "review": lambda: write_review_results(raw / cfg["slr"]["input"], cfg["slr"], seed, results),
    }
    failures = []
    for name, step in steps.items():
        # a stage that stops the study (e.g. the fsQCA finds no sufficient row under the null process:
        # FsqcaError) leaves its tables missing, as the study's rule would; the claims that read them
        # are then inconclusive in this replicate. The library's input errors are ValueErrors; a later
        # stage whose input tables are missing stops with FileNotFoundError.
        try:
            step()
        except (ValueError, FileNotFoundError) as exc:
            log.info("stage %s stopped: %s", name, exc)
            # the scratch folder's path would make the table differ from machine to machine
            failures.append(f"{name}: {type(exc).__name__}: {exc}".replace(str(workdir), "<replicate folder>"))
    return read_tables(results, context.claims.tables()), failures


def claim_verdicts(registry: Any, tables: Mapping[str, Any]) -> dict[str, str]:
    """``claim_<id>`` -> verdict of every claim of ``registry`` on the replicate's tables."""
    from nero.claims import evaluate_claims

    frame = evaluate_claims(registry, tables).to_frame()
    return {f"claim_{r.claim_id}": str(r.verdict) for r in frame.itertuples()}


def run_batch(context: StudyContext, scenario_name: str, batch: int, truth: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every replicate of batch ``batch`` of one scenario, one row each (``replicate`` order).

    The ``cpu_seconds`` column is dropped from the returned table (it is logged), so
    the table is byte-identical across reruns.
    """
    scenario = context.design.scenario(scenario_name)
    rows = []
    with tempfile.TemporaryDirectory(prefix="nero-design-") as workdir:
        for r in context.design.batch_replicates(batch):
            row = run_replicate(context, scenario, r, workdir, truth)
            log.info(
                "%s replicate %d: %.2f s CPU, N = %d, solution %s",
                scenario_name,
                r,
                row["cpu_seconds"],
                row["n_clean"],
                row["solution"] or "(none)",
            )
            rows.append(row)
    return pd.DataFrame(rows).drop(columns="cpu_seconds")


def load_claims(path: str) -> Any:
    """The claims registry at ``path`` (:func:`nero.claims.load_registry`)."""
    from nero.claims import load_registry

    return load_registry(path)


def read_batch(path: str) -> pd.DataFrame:
    """A batch table written by :func:`run_batch` (the text ``null`` of the null process stays text)."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])
