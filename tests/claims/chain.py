"""Build the result tables the claims registry reads, from a raw study, with the real analyses.

The chain is the pipeline's own (survey cleaning, Study 1 import/reliability/typology, SEM
checks, fsQCA, joint display), at lean settings (fewer bootstrap draws and robustness
subsamples) so the tests stay quick. Tables are written to ``<tmp>/results`` with the
pipeline's writers and read back with :func:`nero.claims.read_tables`, so the claims see
exactly what the CSV round trip gives the claims stage.

The SEM tables the claims read (indirect and total effects, the INST x VIRT multiplier,
capacity boosting) come from the SEM stage's own ``mediation`` and ``moderation`` families
(:func:`nero.sem.run_sem_family`, covariates from the declared causal model) with fewer
bootstrap draws.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nero.claims import load_registry, read_tables
from nero.fsqca.study import run_fsqca_study
from nero.integration import archetype_matches_from_results, joint_display_from_results
from nero.outputs import write_csv
from nero.sem import run_sem_family
from nero.sem.settings import SemSettings
from nero.survey.pipeline import run_survey
from nero.testing import REPO

CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
CODEBOOK = REPO / "config" / "codebook.yaml"
REGISTRY = load_registry(REPO / "config" / "claims.yaml")
N_BOOT = 1000
SUBSAMPLES = 5


def _study1(raw: Path, results: Path) -> None:
    from nero.qual.data import StudyData, import_study
    from nero.qual.reliability import choose_second_coder, reliability_table
    from nero.qual.typology import TypologyRule, assign_archetypes, axis_scores

    qual = CONFIG["qual"]
    inter = results / "study1"
    inter.mkdir(parents=True, exist_ok=True)
    import_study(raw / qual["input"], inter / "selections.csv", inter / "cases.csv", inter / "project.json")
    study = StudyData.read(inter / "selections.csv", inter / "cases.csv", inter / "project.json")
    primary = qual["primary_coder"]
    second = choose_second_coder(study.selections, primary, qual["second_coder"])
    rel = reliability_table(
        study.selections,
        study.codebook,
        primary,
        second,
        study.source_lengths(),
        acceptable=qual["reliability"]["acceptable"],
        tentative=qual["reliability"]["tentative"],
    )
    write_csv(rel.table, inter / "reliability.csv")
    rule = TypologyRule.from_config(qual["typology"], primary)
    typology = assign_archetypes(axis_scores(study.selections, study.cases, rule), rule)
    write_csv(typology.table, inter / "typology.csv")


def study_tables(data_dir: Path, tmp: Path, seed: int, study1: bool = False) -> dict[str, Any]:
    """Run the chain on ``data_dir/raw`` and return the tables the registry names.

    fsQCA (with a lean robustness grid), the SEM mediation and moderation families and the
    joint display; Study 1 only when ``study1``. The
    measurement, CMV and non-response checks are left out (their claims are then
    inconclusive): the flips concern the effects the generator plants.
    """
    results = tmp / "results"
    run_survey(data_dir / "raw" / "survey", CODEBOOK, tmp / "survey", CONFIG["survey"])
    clean = pd.read_csv(tmp / "survey" / "clean.csv")

    fs_settings = {**CONFIG["fsqca"], "robustness": {**CONFIG["fsqca"]["robustness"], "subsamples": SUBSAMPLES}}
    run_fsqca_study(clean, fs_settings, seed=seed, progress=None).write(results / "fsqca")

    sem_settings = SemSettings.from_config(
        {**{k: v for k, v in CONFIG["sem"].items() if k != "n_boot"}, "n_boot": N_BOOT}
    )
    codebook = yaml.safe_load(CODEBOOK.read_text())
    for family in ("mediation", "moderation"):
        result = run_sem_family(family, clean, codebook, sem_settings, seed=seed)
        for name in (
            "indirect_effects",
            "direct_effect",
            "mediation_type",
            "ambidexterity_moderation",
            "ambidexterity_index",
            "capacity_boosting",
            "specification_sensitivity",
        ):
            if name in result.tables:
                write_csv(result.tables[name], results / "sem" / f"{name}.csv")

    typology = None
    if study1:
        _study1(data_dir / "raw", results)
        typology = pd.read_csv(results / "study1" / "typology.csv")
    display = joint_display_from_results(
        pd.read_csv(results / "fsqca" / "solutions.csv"),
        pd.read_csv(results / "fsqca" / "xy_memberships.csv"),
        CONFIG["integration"]["archetypes"],
        CONFIG["fsqca"]["outcome"],
        typology,
    )
    write_csv(display.table, results / "integration" / "joint_display.csv")
    matches = archetype_matches_from_results(
        pd.read_csv(results / "fsqca" / "solutions.csv"),
        pd.read_csv(results / "fsqca" / "solutions_esa.csv"),
        CONFIG["integration"]["archetypes"],
        CONFIG["fsqca"]["outcome"],
    )
    write_csv(matches, results / "integration" / "archetype_matches.csv")
    return read_tables(results, REGISTRY.tables())
