"""Re-running the stage a specification changes, from the cleaned data or the coded segments.

Each function runs one stage of :data:`nero.multiverse.grid.STAGES` with the library's own
stage functions (those the Snakemake scripts and :mod:`nero.design.stages` call, with the
study's settings changed only where the specification changes them) and writes the tables
the claims read into a scratch results folder with the stage's own writers, so that the
claims read them exactly as they read ``results/``. Every other table comes from the
shipped build. Nothing here re-implements an analysis.

- ``fsqca``: calibration, necessity, truth tables, the tied solutions and the ESA
  (:func:`nero.fsqca.steps.analyse_outcome`, as :func:`nero.fsqca.study.run_fsqca_study`).
  The robustness protocol (72 test sets, 4.7-8.8 CPU s per specification, more than the whole
  grid over the 22 fsQCA specifications: ``benchmarks/bench_multiverse_robustness.py``) is not
  re-run: when every configuration of the specification's first intermediate model has a shipped
  robustness verdict, those verdicts are kept (the configuration survived the shipped
  protocol); otherwise ``fsqca/robustness_verdicts.csv`` is left out, so a rule
  that reads it is unknown, never decided on verdicts of other configurations
  (docs/multiverse.md). The archetype match of every tied model and the ESA
  (``integration/archetype_matches.csv``, :func:`nero.integration.archetype_matches_from_results`)
  is rewritten from the specification's solutions.
- ``fsqca_necessity``: the necessity table at the specification's consistency and relevance
  cuts (calibration and necessity only).
- ``sem_effects``: the regressions and bootstraps the Study 2 effect claims read
  (capacity boosting, the INST x VIRT moderation, the index of moderated mediation, the
  mediation types and the indirect effect), as the ``mediation`` and ``moderation``
  families compute them.
- ``sem_measurement``: the ``measurement`` family (CFA, reliability, HTMT, Fornell-Larcker).
- ``sem_nonresponse``: the ``nonresponse`` family (early-late and wave comparisons).
- ``study1_typology``: the typology from the shipped coded segments.
- ``review``: the literature review from its raw searches (:func:`nero.design.stages.write_review_results`).
- ``review_map``: the keyword map from the shipped included articles.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from nero.outputs import write_csv


def _clean(shipped: Path) -> pd.DataFrame:
    return pd.read_csv(shipped / "survey" / "clean.csv")


def _main_terms(solutions: pd.DataFrame, outcome: str) -> list[str]:
    rows = solutions[
        (solutions["outcome"] == outcome)
        & (solutions["solution"] == "intermediate")
        & (solutions["model"] == "M1")
        & (solutions["term"] != "(model)")
    ]
    return sorted(str(t) for t in rows["term"])


def fsqca_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """The SCO fsQCA at the specification's anchors and cuts (see the module docstring)."""
    import warnings

    from nero.fsqca._errors import HalfMembershipWarning
    from nero.fsqca.exclusivity import exclusivity_table
    from nero.fsqca.settings import FsqcaSettings
    from nero.fsqca.steps import (
        analyse_outcome,
        anchors_of,
        calibrate_scores,
        construct_scores,
        study_anchors,
        write_study,
    )

    settings = FsqcaSettings.from_config(config["fsqca"])
    outcome, conditions = settings.outcome, list(settings.conditions)
    clean = _clean(shipped)
    target = out / "fsqca"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HalfMembershipWarning)
        scores, dropped = construct_scores(clean, [*conditions, outcome])
        anchors_table = study_anchors(scores, settings)
        members = calibrate_scores(scores, anchors_of(anchors_table), settings)
        core = analyse_outcome(members, outcome, conditions, settings)
        tables = {
            **core.tables,
            "anchors": anchors_table,
            "memberships": members.reset_index(),
            "exclusivity": exclusivity_table(members, conditions),
        }
        written = write_study(tables, core.solutions, {**core.info, "dropped_for_missing_scores": dropped}, target)
    from nero.integration import archetype_matches_from_results

    if (target / "solutions.csv").exists() and (target / "solutions_esa.csv").exists():
        matches = archetype_matches_from_results(
            pd.read_csv(target / "solutions.csv"),
            pd.read_csv(target / "solutions_esa.csv"),
            config["integration"]["archetypes"],
            outcome,
        )
        written.append(write_csv(matches, out / "integration" / "archetype_matches.csv"))
    verdicts = pd.read_csv(shipped / "fsqca" / "robustness_verdicts.csv")
    ours = _main_terms(tables["solutions"], outcome) if len(tables["solutions"]) else []
    if ours and set(ours) <= set(verdicts["configuration"].astype(str)):
        written.append(
            Path(shutil.copyfile(shipped / "fsqca" / "robustness_verdicts.csv", target / "robustness_verdicts.csv"))
        )
    return written


def fsqca_necessity_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """``fsqca/necessity.csv`` at the specification's cuts, from the calibrated cleaned data (the
    written memberships are rounded, so the table is recomputed from the scores as the study does)."""
    import warnings

    from nero.fsqca._errors import HalfMembershipWarning
    from nero.fsqca.settings import FsqcaSettings
    from nero.fsqca.steps import anchors_of, calibrate_scores, construct_scores, necessity_table, study_anchors

    settings = FsqcaSettings.from_config(config["fsqca"])
    outcome, conditions = settings.outcome, list(settings.conditions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HalfMembershipWarning)
        scores, _ = construct_scores(_clean(shipped), [*conditions, outcome])
        members = calibrate_scores(scores, anchors_of(study_anchors(scores, settings)), settings)
    return [write_csv(necessity_table(members, outcome, conditions, settings), out / "fsqca" / "necessity.csv")]


#: The fits and bootstraps of :func:`sem_effects_stage` by everything they depend on (the ``sem``
#: section without ``boot_ci``, the seed, the codebook, the shipped build): specifications that differ
#: only in the interval the tables report (``sem.boot_ci``) share them. Per process (one batch job).
_SEM_EFFECT_FITS: dict[str, dict[str, Any]] = {}


def sem_effects_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """The effect tables of the Study 2 claims under the specification's controls, SEs and intervals.

    The regressions and the five bootstraps do not depend on ``sem.boot_ci`` (every PROCESS table
    carries the percentile, BC and BCa limits; ``boot_ci`` picks the ones two tables report), so
    they are computed once per combination of the other settings (:data:`_SEM_EFFECT_FITS`).
    """
    import json

    from nero.sem.ambidexterity import (
        ambidexterity_index,
        ambidexterity_index_fit,
        ambidexterity_moderation,
        capacity_boosting,
        mediation_type,
        mediation_type_fits,
    )
    from nero.sem.families import Context
    from nero.sem.process_models import process_model4
    from nero.sem.settings import SemSettings
    from nero.sem.study import SemStudyResult, design_frame
    from nero.survey.codebook import Codebook

    s = dataclasses.replace(SemSettings.from_config(config["sem"]), n_jobs=None)
    section = {k: v for k, v in dict(config["sem"]).items() if k != "boot_ci"}
    key = json.dumps([section, int(seed), str(config["codebook"]), str(shipped)], sort_keys=True, default=str)
    fits = _SEM_EFFECT_FITS.get(key)
    if fits is None:
        clean = _clean(shipped)
        design, controls = design_frame(clean, s)
        ctx = Context(clean, Codebook.load(config["codebook"]), s, int(seed), design, controls)
        m, y, w = s.m, s.y, s.w
        xa, xb = s.x
        covs_amb = ctx.covariates([xa, xb, "AMB"], y, m)
        med = process_model4(design, "AMB", m, y, [xa, xb, *covs_amb], s.n_boot, ctx.seed, s.conf, s.se_type)
        fits = {
            "design": design,
            "covs_amb": covs_amb,
            "capacity_boosting": capacity_boosting(design, {w: ctx.covariates([w], m), y: ctx.covariates([w], m)}, s),
            "ambidexterity_moderation": ambidexterity_moderation(design, covs_amb, s),
            "index_fit": ambidexterity_index_fit(design, covs_amb, s, ctx.seed),
            "mediation_fits": mediation_type_fits(design, covs_amb, s, ctx.seed),
            "indirect_effects": med.indirect.assign(n=med.n),
        }
        if len(_SEM_EFFECT_FITS) >= 16:
            _SEM_EFFECT_FITS.clear()
        _SEM_EFFECT_FITS[key] = fits
    design, covs_amb = fits["design"], fits["covs_amb"]
    tables = {
        "capacity_boosting": fits["capacity_boosting"],
        "ambidexterity_moderation": fits["ambidexterity_moderation"],
        "ambidexterity_index": ambidexterity_index(design, covs_amb, s, int(seed), fit=fits["index_fit"]),
        "mediation_type": mediation_type(design, covs_amb, s, int(seed), fits=fits["mediation_fits"]),
        "indirect_effects": fits["indirect_effects"],
    }
    return SemStudyResult(tables, {}, {}, {}).write(out / "sem", summary=None)  # the SEM stage's own writer


def sem_measurement_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """The ``measurement`` family at the specification's missing-data handling and estimator."""
    from nero.design.stages import write_sem_results
    from nero.sem.settings import SemSettings
    from nero.survey.codebook import Codebook

    sem = SemSettings.from_config(config["sem"])
    return write_sem_results(
        _clean(shipped), Codebook.load(config["codebook"]), sem, seed, sem.n_boot, out, families=("measurement",)
    )


def sem_nonresponse_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """The ``nonresponse`` family (early-late and wave comparisons) at the specification's split."""
    from nero.design.stages import write_sem_results
    from nero.sem.settings import SemSettings
    from nero.survey.codebook import Codebook

    sem = SemSettings.from_config(config["sem"])
    return write_sem_results(
        _clean(shipped), Codebook.load(config["codebook"]), sem, seed, sem.n_boot, out, families=("nonresponse",)
    )


def study1_typology_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """``study1/typology.csv`` from the shipped coded segments at the specification's rule."""
    from nero.qual.data import StudyData
    from nero.qual.typology import TypologyRule, assign_archetypes, axis_scores

    s1 = shipped / "study1"
    study = StudyData.read(s1 / "selections.csv", s1 / "cases.csv", s1 / "project.json")
    qual = config["qual"]
    rule = TypologyRule.from_config(qual["typology"], qual["primary_coder"])
    result = assign_archetypes(axis_scores(study.selections, study.cases, rule), rule)
    return [write_csv(result.table, out / "study1" / "typology.csv")]


def review_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """The literature review from its raw searches at the specification's de-duplication and screening."""
    from nero.design.stages import write_review_results

    return write_review_results(Path(config["raw_dir"]) / config["slr"]["input"], config["slr"], seed, out)


def review_map_stage(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    """``slr/keywords.csv``: the keyword map of the shipped included articles at the specification's settings."""
    from nero.slr.bibliometrics import keyword_map, read_thesaurus
    from nero.slr.searches import load_table

    slr = config["slr"]
    included = load_table(shipped / "slr" / "included.csv")
    path = Path(config["raw_dir"]) / slr["input"] / slr["thesaurus"]
    thesaurus = read_thesaurus(path.read_text(encoding="utf-8"), str(path))
    m = slr["map"]
    kmap = keyword_map(
        included["author_keywords"],
        included["year"],
        thesaurus,
        min_occurrences=m["min_occurrences"],
        resolution=m["resolution"],
        min_cluster_size=m["min_cluster_size"],
        seed=int(seed),
        starts=m["random_starts"],
    )
    return [write_csv(kmap.items, out / "slr" / "keywords.csv")]


def _nothing(config: Mapping[str, Any], shipped: Path, out: Path, seed: int) -> list[Path]:
    return []


#: Stage name -> the function that re-runs it.
STAGE_RUNNERS: dict[str, Callable[[Mapping[str, Any], Path, Path, int], list[Path]]] = {
    "models": _nothing,
    "thresholds": _nothing,
    "fsqca": fsqca_stage,
    "fsqca_necessity": fsqca_necessity_stage,
    "sem_effects": sem_effects_stage,
    "sem_measurement": sem_measurement_stage,
    "sem_nonresponse": sem_nonresponse_stage,
    "study1_typology": study1_typology_stage,
    "review": review_stage,
    "review_map": review_map_stage,
}
