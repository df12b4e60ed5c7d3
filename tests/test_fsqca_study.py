"""The Study 2 fsQCA on simulated studies: the planted recipes and the necessity of CAP are recovered.

The stand-in DGP (data/truth/truth.json) plants four sufficient recipes for high SCO,
one per Study-1 archetype, with CAP in each (near-necessary). At the default settings of
config/config.yaml the intermediate solution must contain a term matching each recipe
(same conditions and signs; extra peripheral conditions allowed).
"""

import json

import pandas as pd
import yaml

from nero.fsqca.chart import term_conditions
from nero.fsqca.steps import choose_n_cut
from nero.fsqca.study import ANALYSIS_TABLES, STUDY_TABLES, run_fsqca_study
from nero.integration import joint_display_from_results
from nero.simulate import simulate_study
from nero.survey.pipeline import run_survey
from nero.testing import REPO

CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def _matches(recipe: dict, term: str) -> bool:
    conds = term_conditions(term)
    return all(conds.get(k) == v for k, v in recipe.items())


def _study(seed, tmp_path):
    simulate_study(seed=seed, n_firms=218, out_dir=tmp_path / "data")
    truth = json.loads((tmp_path / "data" / "truth" / "truth.json").read_text())
    run_survey(
        tmp_path / "data" / "raw" / "survey", REPO / "config" / "codebook.yaml", tmp_path / "survey", CONFIG["survey"]
    )
    clean = pd.read_csv(tmp_path / "survey" / "clean.csv")
    settings = {**CONFIG["fsqca"], "robustness": {**CONFIG["fsqca"]["robustness"], "subsamples": 5}}
    return truth, run_fsqca_study(clean, settings, seed=seed, progress=None)


def test_planted_recipes_and_necessity_are_recovered_across_seeds(tmp_path):
    """Seeds 1-6 at default settings (measured over seeds 1-10: all four recipes in 7 of 10,
    CAP necessity >= 0.90 in 9 of 10; a miss is always the sparsest recipe row, Platform
    Optimizer, falling under the frequency cut)."""
    all_four, cap_passes = 0, 0
    for seed in range(1, 7):
        truth, result = _study(seed, tmp_path / str(seed))
        main = result.solutions["SCO intermediate"]
        recipes = [r["conditions"] for r in truth["recipes"]]
        assert len(recipes) == 4 and truth["necessary"] == ["CAP"]
        best = max(sum(any(_matches(recipe, t) for t in model) for recipe in recipes) for model in main.models)
        assert best >= 3, f"seed {seed}: fewer than three planted recipes in every tied model: {main.models}"
        all_four += best == 4
        nec = result.tables["necessity"].set_index("expression")
        assert nec.loc["CAP", "inclN"] >= 0.88, f"seed {seed}"
        assert nec.drop(index="CAP")["inclN"].max() < 0.85, f"seed {seed}: another condition looks necessary"
        cap_passes += bool(nec.loc["CAP", "passes_threshold"])
    assert all_four >= 4, f"all four recipes recovered in only {all_four} of 6 seeds"
    assert cap_passes >= 5, f"CAP passes the 0.90 necessity threshold in only {cap_passes} of 6 seeds"


def test_shipped_joint_display_matches_three_archetypes_and_names_the_missed_one(tmp_path):
    """On the shipped data (seed 20251124) three archetypes have their configuration; the Strategic
    Explorer recipe (INST*MKT*CAP, planted) is in no solution, and the joint display names it as
    unmatched (integration.archetypes_matched, a claim the design cannot decide at N = 218, is
    therefore not supported: tests/claims/test_shipped.py)."""

    clean_path = tmp_path / "survey"
    run_survey(REPO / "data" / "raw" / "survey", REPO / "config" / "codebook.yaml", clean_path, CONFIG["survey"])
    settings = {**CONFIG["fsqca"], "robustness": {**CONFIG["fsqca"]["robustness"], "subsamples": 5}}
    result = run_fsqca_study(pd.read_csv(clean_path / "clean.csv"), settings, seed=CONFIG["seed"], progress=None)
    assert set(result.tables) == set(STUDY_TABLES)  # the rule layer declares these outputs
    result.write(tmp_path / "fsqca")
    typology = pd.DataFrame(
        {
            "case": [f"Firm {c}" for c in "ABCDEFGHIJKLM"],
            "archetype": ["Institutional Optimizer"] * 4
            + ["Strategic Explorer"] * 3
            + ["Platform Optimizer"] * 3
            + ["Agile Global Scaler"] * 3,
        }
    )
    display = joint_display_from_results(
        pd.read_csv(tmp_path / "fsqca" / "solutions.csv"),
        pd.read_csv(tmp_path / "fsqca" / "xy_memberships.csv"),
        CONFIG["integration"]["archetypes"],
        "SCO",
        typology,
    )
    assert display.unmatched_archetypes == ["Strategic Explorer"]
    table = display.table.set_index("archetype")
    for archetype, conditions in CONFIG["integration"]["archetypes"].items():
        if archetype == "Strategic Explorer":
            continue
        config = table.loc[archetype, "configuration"]
        assert _matches(conditions, config) and "CAP" in term_conditions(config)
        assert table.loc[archetype, "consistency"] >= CONFIG["fsqca"]["incl_cut"]
        assert table.loc[archetype, "typical_cases"] > 0


def test_frequency_cut_rule():
    class TT:
        table = pd.DataFrame({"n": [50, 30, 10, 5, 3, 2]})

    # 100 cases: n.cut 10 keeps 90%, n.cut 11 keeps 80%, n.cut 31 keeps 50%
    assert choose_n_cut(TT, 0.8) == (30, 0.8)
    assert choose_n_cut(TT, 0.9) == (10, 0.9)
    assert choose_n_cut(TT, 1.0) == (2, 1.0)


def test_scale_up_analyses_and_the_necessity_rule(tmp_path):
    """CAP as outcome (and SCO as its condition); necessity claims only where inclN and RoN pass."""
    from nero.fsqca.study import run_fsqca_analysis

    simulate_study(seed=3, n_firms=218, out_dir=tmp_path / "data")
    run_survey(
        tmp_path / "data" / "raw" / "survey", REPO / "config" / "codebook.yaml", tmp_path / "survey", CONFIG["survey"]
    )
    clean = pd.read_csv(tmp_path / "survey" / "clean.csv")
    for name, has_sco in (("scale_up", False), ("scale_up_reverse", True)):
        result = run_fsqca_analysis(clean, CONFIG["fsqca"], name)
        assert result.outcome == "CAP" and ("SCO" in result.conditions) == has_sco
        nec = result.tables["necessity"]
        rule = (nec["inclN"] >= CONFIG["fsqca"]["necessity_threshold"]) & (
            nec["RoN"] >= CONFIG["fsqca"]["necessity_ron"]
        )
        assert (nec["necessary"] == rule).all()
        assert result.info["necessity_claims"] == [e for e in nec.loc[rule, "expression"] if not e.startswith("~")]
        assert set(result.tables["solutions"]["outcome"]) <= {"CAP", "~CAP"} and "CAP" in set(
            result.tables["solutions"]["outcome"]
        )
        assert set(result.tables) == set(ANALYSIS_TABLES)  # the rule layer declares these outputs
        written = {p.name for p in result.write(tmp_path / name)}
        assert {"necessity.csv", "truth_table.csv", "solutions.csv", "summary.json"} <= written
