"""Build the result tables the claims registry reads, from a raw study, with the real analyses.

The chain is the pipeline's own (survey cleaning, Study 1 import/reliability/typology, SEM
checks, fsQCA, joint display), at lean settings (fewer bootstrap draws and robustness
subsamples) so the tests stay quick. Tables are written to ``<tmp>/results`` with the
pipeline's writers and read back with :func:`nero.claims.read_tables`, so the claims see
exactly what the CSV round trip gives the claims stage.

The tables of the INST x VIRT multiplier (``sem/ambidexterity_moderation.csv``,
``sem/ambidexterity_index.csv``, columns of CONTRACTS.md) are computed with nero.sem's own
OLS (HC3) and PROCESS model 7, the indirect effect with PROCESS model 4, as the SEM stage does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nero.claims import load_registry, read_tables
from nero.fsqca.study import run_fsqca_study
from nero.integration import joint_display_from_results
from nero.outputs import write_csv
from nero.sem import design_frame, fit_equation, process_model4, process_model7
from nero.sem.study import merge_settings
from nero.survey.pipeline import run_survey
from nero.testing import REPO

CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
CODEBOOK = REPO / "config" / "codebook.yaml"
REGISTRY = load_registry(REPO / "config" / "claims.yaml")
N_BOOT = 1000
SUBSAMPLES = 5


def _multiplier_tables(clean: pd.DataFrame, settings: dict[str, Any], seed: int) -> dict[str, pd.DataFrame]:
    design, controls = design_frame(clean, settings)
    xa, xb = settings["x"]
    m, y = settings["m"], settings["y"]
    frame = design.assign(**{f"c_{xa}": design[xa] - design[xa].mean(), f"c_{xb}": design[xb] - design[xb].mean()})
    frame[f"{xa}:{xb}"] = frame[f"c_{xa}"] * frame[f"c_{xb}"]
    rows = []
    for outcome, extra in ((m, []), (y, [m])):
        predictors = [f"c_{xa}", f"c_{xb}", f"{xa}:{xb}", *extra, *controls]
        eq = fit_equation(frame[[outcome, *predictors]].dropna(), outcome, predictors, 0.95)
        for term in [f"c_{xa}", f"c_{xb}", f"{xa}:{xb}", *extra]:
            c = eq.coef.loc[term]
            rows.append({"outcome": outcome, "term": term.replace("c_", ""), "b": c["coeff"], "se": c["se"], "t": c["t"],
                         "p": c["p"], "ci_low": c["llci"], "ci_high": c["ulci"], "n": eq.n, "se_type": "HC3"})
    pm7 = process_model7(design, xa, m, xb, y, controls, n_boot=N_BOOT, seed=seed, center=True)
    index = pm7.index.rename(columns={"pct_lower": "ci_low", "pct_upper": "ci_high"})
    index = index.assign(effect="index of moderated mediation", n_boot=N_BOOT, ci_method="percentile")
    return {"ambidexterity_moderation": pd.DataFrame(rows),
            "ambidexterity_index": index[["effect", "estimate", "boot_se", "ci_low", "ci_high", "n_boot", "ci_method"]]}


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
    rel = reliability_table(study.selections, study.codebook, primary, second, study.source_lengths(),
                            acceptable=qual["reliability"]["acceptable"], tentative=qual["reliability"]["tentative"])
    write_csv(rel.table, inter / "reliability.csv")
    rule = TypologyRule.from_config(qual["typology"], primary)
    typology = assign_archetypes(axis_scores(study.selections, study.cases, rule), rule)
    write_csv(typology.table, inter / "typology.csv")


def study_tables(data_dir: Path, tmp: Path, seed: int, study1: bool = False) -> dict[str, Any]:
    """Run the chain on ``data_dir/raw`` and return the tables the registry names.

    fsQCA (with a lean robustness grid), PROCESS model 4 of the ambidexterity score through
    CAP, the INST x VIRT tables and the joint display; Study 1 only when ``study1``. The
    measurement, CMV and non-response checks are left out (their claims are then
    inconclusive): the flips concern the effects the generator plants.
    """
    results = tmp / "results"
    run_survey(data_dir / "raw" / "survey", CODEBOOK, tmp / "survey", CONFIG["survey"])
    clean = pd.read_csv(tmp / "survey" / "clean.csv")

    fs_settings = {**CONFIG["fsqca"], "robustness": {**CONFIG["fsqca"]["robustness"], "subsamples": SUBSAMPLES}}
    run_fsqca_study(clean, fs_settings, seed=seed, progress=None).write(results / "fsqca")

    sem_settings = merge_settings({k: v for k, v in CONFIG["sem"].items() if k != "n_boot"})
    design, controls = design_frame(clean, sem_settings)
    med = process_model4(design, "AMB", sem_settings["m"], sem_settings["y"], controls, N_BOOT, seed)
    write_csv(med.indirect, results / "sem" / "indirect_effects.csv")
    write_csv(med.direct, results / "sem" / "direct_effect.csv")
    for name, frame in _multiplier_tables(clean, sem_settings, seed).items():
        write_csv(frame, results / "sem" / f"{name}.csv")

    typology = None
    if study1:
        _study1(data_dir / "raw", results)
        typology = pd.read_csv(results / "study1" / "typology.csv")
    display = joint_display_from_results(
        pd.read_csv(results / "fsqca" / "solutions.csv"), pd.read_csv(results / "fsqca" / "xy_memberships.csv"),
        CONFIG["integration"]["archetypes"], CONFIG["fsqca"]["outcome"], typology)
    write_csv(display.table, results / "integration" / "joint_display.csv")
    return read_tables(results, REGISTRY.tables())
