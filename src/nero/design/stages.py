"""The whole study of one design replicate: every stage a claim reads, written as the study writes it.

A replicate of the design analysis simulates the raw inputs of one study and must decide
every claim of ``config/claims.yaml``. Each function here runs one stage with the
library's own stage functions (the ones the Snakemake scripts of ``workflow/scripts/``
call, in the same order and with the same settings) and writes its result tables with the
stage's own writers into a scratch ``results/`` folder, so that the claims read them with
:func:`nero.claims.read_tables` exactly as ``results/claims.csv`` is made. Nothing here
re-implements an analysis.

Stages and what the design changes, and why:

- :func:`write_sem_results`: the SEM families the claims read (measurement, common-method
  variance, non-response, invariance, mediation, moderation) with ``n_boot`` bootstrap
  draws (the design's ``design.n_boot``; the study uses ``sem.n_boot``). The second-order
  CFA and the listwise CFA sensitivity fit are switched off (``DESIGN_SEM_OVERRIDES``): no
  claim reads them and each is a further CFA fit; the latent mediation family is not run
  (no claim reads it).
- :func:`write_fsqca_results`: the whole fsQCA study (calibration, necessity, solutions, the
  ESA, the robustness grid with its verdicts, predictive validity) and the further analyses of
  ``fsqca.analyses`` (the scale-up side) whose tables a claim reads, at the study's settings
  (since the registry of 2026-12-07 no claim reads ``fsqca/scale_up*/``, so a replicate runs none).
- :func:`write_study1_results`: the Study 1 import of the REFI-QDA project, inter-coder
  reliability and the typology with its exemplar quotes.
- :func:`write_integration_results`: the joint display of the archetypes and the
  configurations.
- :func:`write_review_results`: the literature review's import, de-duplication, two-screener
  flow (PRISMA), coding tables and keyword map (no figure).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from nero.outputs import write_csv, write_json

if TYPE_CHECKING:  # imported where used: a replicate loads a stage's package only when it runs
    from nero.fsqca.settings import FsqcaSettings
    from nero.sem.settings import SemSettings
    from nero.survey.codebook import Codebook

log = logging.getLogger(__name__)

#: SEM families whose tables a claim reads (``latent`` is left out: no claim reads it).
DESIGN_SEM_FAMILIES = ("measurement", "cmv", "nonresponse", "invariance", "mediation", "moderation")
#: SEM settings the design changes besides ``n_boot``: fits no claim reads.
DESIGN_SEM_OVERRIDES = {"second_order": {}, "listwise_sensitivity": False}


def write_sem_results(
    clean: pd.DataFrame,
    codebook: Codebook,
    settings: SemSettings,
    seed: int,
    n_boot: int,
    results: str | Path,
    families: Sequence[str] = DESIGN_SEM_FAMILIES,
) -> list[Path]:
    """Run the SEM families on ``clean`` and write their tables under ``results/sem/``.

    Parameters
    ----------
    clean : DataFrame
        The clean analysis table (as ``results/survey/clean.csv``).
    codebook : Codebook
        ``config/codebook.yaml`` (:class:`nero.survey.codebook.Codebook`).
    settings : SemSettings
        The study's SEM settings; ``n_boot`` and :data:`DESIGN_SEM_OVERRIDES` replace the
        study's values (and one job, no ``n_jobs``).
    seed : int
        The bootstrap seed.
    n_boot : int
        Bootstrap draws.
    results : path
        The scratch results folder.
    families : sequence of str
        The families to run.

    Returns
    -------
    list of Path
        Every file written.
    """
    import dataclasses

    from nero.sem.study import run_sem_family, write_family

    s = dataclasses.replace(settings, n_jobs=None, n_boot=int(n_boot), **DESIGN_SEM_OVERRIDES)
    out = Path(results) / "sem"
    written: list[Path] = []
    for family in families:
        result = run_sem_family(family, clean, codebook, s, seed=int(seed))
        written += write_family(result, out, [], out / "parts" / f"{family}.json")
    return written


def analyses_read(settings: FsqcaSettings, tables: Sequence[str] | None) -> list[str]:
    """The analyses of ``fsqca.analyses`` whose tables (``fsqca/<analysis>/...``) a claim reads, sorted.

    ``tables`` are the tables the claims registry reads (:meth:`nero.claims.Registry.tables`);
    None (no registry) means every analysis. An analysis no claim reads changes no verdict, so a
    replicate does not run it (each is a further truth table and minimization).
    """
    names = sorted(settings.analyses)
    if tables is None:
        return names
    return [name for name in names if any(str(t).startswith(f"fsqca/{name}/") for t in tables)]


def write_fsqca_results(
    clean: pd.DataFrame,
    settings: FsqcaSettings,
    seed: int,
    results: str | Path,
    tables: Sequence[str] | None = None,
) -> list[Path]:
    """The fsQCA study (with its robustness grid) under ``results/fsqca/`` and the analyses of
    ``fsqca.analyses`` that a claim reads (:func:`analyses_read` over ``tables``; all when None)
    under ``results/fsqca/<analysis>/``."""
    from nero.fsqca._errors import HalfMembershipWarning
    from nero.fsqca.study import run_fsqca_analysis, run_fsqca_study

    out = Path(results) / "fsqca"
    with warnings.catch_warnings():  # the study reports them in fsqca/skewness.csv; a replicate needs no warning
        warnings.simplefilter("ignore", HalfMembershipWarning)
        written = run_fsqca_study(clean, settings, seed=int(seed), progress=None).write(out)
        for name in analyses_read(settings, tables):
            written += run_fsqca_analysis(clean, settings, name).write(out / name)
    return written


def write_study1_results(project: str | Path, qual: Mapping[str, Any], results: str | Path) -> list[Path]:
    """Study 1 from a coding project: import, reliability, typology and exemplar quotes
    (``results/study1/``), as rules ``qual_import``, ``qual_reliability`` and ``qual_typology``."""
    from nero.qual.data import StudyData, import_study
    from nero.qual.reliability import choose_second_coder, reliability_table
    from nero.qual.typology import TypologyRule, assign_archetypes, axis_scores, exemplar_quotes

    out = Path(results) / "study1"
    out.mkdir(parents=True, exist_ok=True)
    files = [out / "selections.csv", out / "cases.csv", out / "project.json"]
    import_study(project, *files)
    study = StudyData.read(*files)
    primary = qual["primary_coder"]
    second = choose_second_coder(study.selections, primary, qual.get("second_coder"))
    rel = qual["reliability"]
    reliability = reliability_table(
        study.selections,
        study.codebook,
        primary,
        second,
        study.source_lengths(),
        acceptable=rel["acceptable"],
        tentative=rel["tentative"],
    )
    rule = TypologyRule.from_config(qual["typology"], primary)
    typology = assign_archetypes(axis_scores(study.selections, study.cases, rule), rule)
    ex = qual["exemplars"]
    quotes = exemplar_quotes(
        study.selections, typology.table, rule, per_archetype=ex["per_archetype"], per_case=ex["per_case"]
    )
    return [
        *files,
        write_csv(reliability.table, out / "reliability.csv"),
        write_csv(typology.table, out / "typology.csv"),
        write_csv(quotes, out / "exemplar_quotes.csv"),
    ]


def write_integration_results(
    results: str | Path, archetypes: Mapping[str, Mapping[str, int]], outcome: str
) -> list[Path]:
    """The joint display (``results/integration/joint_display.csv``) and the archetype match of
    every tied model and the ESA (``results/integration/archetype_matches.csv``) from the written
    fsQCA and Study 1 tables, as rule ``build_joint_display``."""
    from nero.integration import archetype_matches_from_results, joint_display_from_results

    root = Path(results)
    solutions = pd.read_csv(root / "fsqca" / "solutions.csv")
    display = joint_display_from_results(
        solutions,
        pd.read_csv(root / "fsqca" / "xy_memberships.csv"),
        archetypes,
        outcome,
        pd.read_csv(root / "study1" / "typology.csv"),
        pd.read_csv(root / "study1" / "exemplar_quotes.csv"),
    )
    matches = archetype_matches_from_results(
        solutions, pd.read_csv(root / "fsqca" / "solutions_esa.csv"), archetypes, outcome
    )
    return [
        write_csv(display.table, root / "integration" / "joint_display.csv"),
        write_csv(matches, root / "integration" / "archetype_matches.csv"),
    ]


def write_review_results(slr_raw: str | Path, slr: Mapping[str, Any], seed: int, results: str | Path) -> list[Path]:
    """The literature review from its raw folder (``raw/slr``) into ``results/slr/``, as the
    rules of ``workflow/rules/slr.smk`` (without the figures and the thematic evolution,
    which no claim reads)."""
    from nero.slr.bibliometrics import keyword_map, read_thesaurus
    from nero.slr.coding import coding_tables, validate_coding
    from nero.slr.dedup import deduplicate
    from nero.slr.flow import included_records, review_flow
    from nero.slr.screening import read_journal_list
    from nero.slr.searches import load_table, read_searches

    raw, out = Path(slr_raw), Path(results) / "slr"
    # each intermediate goes through its CSV, as between the rules (load_table fixes the types)
    found = read_searches(raw / "searches")
    records = load_table(write_csv(found.records, out / "records.csv"))
    dedup = deduplicate(records, prefer=slr["prefer"])
    unique = load_table(write_csv(dedup.unique, out / "unique_records.csv"))
    groups = load_table(write_csv(dedup.groups, out / "record_groups.csv"))
    settings = {k: slr[k] for k in ("document_types", "languages", "years", "screeners", "min_rating", "rating_column")}
    journals = read_journal_list(raw / slr["journal_list"], settings["rating_column"])
    flow = review_flow(unique, groups, raw / "screening", journals, settings)
    included = load_table(write_csv(included_records(flow.flow, unique), out / "included.csv"))
    sheet_path = raw / slr["coding_sheet"]
    sheet = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
    coded = validate_coding(
        sheet, dict(zip(groups["accession"], groups["record_id"])), list(included["record_id"]), file=str(sheet_path)
    )
    tables = coding_tables(coded)
    thesaurus_path = raw / slr["thesaurus"]
    thesaurus = read_thesaurus(thesaurus_path.read_text(encoding="utf-8"), str(thesaurus_path))
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
    written = [
        write_csv(flow.agreement, out / "screening_agreement.csv"),
        write_json(flow.prisma, out / "prisma.json"),
        write_csv(tables.elements, out / "coding_elements.csv"),
        write_csv(tables.pathways, out / "pathways.csv"),
        write_csv(tables.per_year, out / "articles_per_year.csv"),
        write_csv(kmap.items, out / "keywords.csv"),
    ]
    return written
