"""Claims evaluated over a family's specifications (nero.multiverse.evaluate, views), on a planted study.

The planted case: construct scores whose calibrated CAP is a superset of SCO (necessity consistency
1) with a relevance of necessity (RoN) between .50 and .60, so the shipped rule (RoN >= .50)
supports the necessity claim and the declared alternative RoN cut .60 (the registry's earlier
cut) does not: the alternative must flip the verdict, move the registry threshold with the
config key, and leave every claim that does not read the necessity table at one specification.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from nero.claims import evaluate_claims, load_registry, read_tables
from nero.multiverse.evaluate import SPEC_COLUMNS, gather, run_family
from nero.multiverse.grid import family, load_families
from nero.multiverse.rerun import STAGE_RUNNERS
from nero.multiverse.views import (
    claim_tables,
    restrict_models,
    solution_models,
    specification_registry,
    substitute_columns,
    touches,
)
from nero.outputs import write_csv
from nero.testing import REPO

REGISTRY = load_registry(REPO / "config" / "claims.yaml")
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
NECESSITY = "study2.logic_inversion.necessity"


def _planted(tmp_path: Path) -> tuple[Path, float]:
    """A cleaned survey whose CAP score lies 1.2 scale points above SCO (capped at 7): after the
    study's calibration CAP is a superset of SCO with a RoN between .50 and .60."""
    rng = np.random.default_rng(7)
    n = 60
    sco = rng.uniform(1.5, 6.5, n)
    clean = pd.DataFrame(
        {
            "firm_code": [f"F{i:03d}" for i in range(n)],
            **{c: rng.uniform(1, 7, n).round(2) for c in ("INST", "VIRT", "EFF", "MKT")},
            "CAP": np.minimum(7.0, sco + 1.2).round(2),
            "SCO": sco.round(2),
        }
    )
    results = tmp_path / "results"
    write_csv(clean, results / "survey" / "clean.csv")
    config = _config({})
    written = STAGE_RUNNERS["fsqca_necessity"](config, results, results, 1)  # the shipped build's necessity table
    nec = pd.read_csv(written[0]).set_index("expression")
    return results, float(nec.loc["CAP", "RoN"])


def _config(families):
    return {**CONFIG, "multiverse": {"families": families}}


def test_an_alternative_relevance_cut_flips_the_planted_necessity_verdict(tmp_path):
    results, ron = _planted(tmp_path)
    assert 0.50 < ron < 0.60, ron  # the planted relevance lies between the shipped and the alternative cut
    config = _config(
        {
            "necessity": {
                "stage": "fsqca_necessity",
                "dimensions": {"relevance": {"set": "fsqca.necessity_ron", "values": [0.60]}},
            }
        }
    )
    fam = family(load_families(config, REGISTRY.thresholds), "necessity")
    run = run_family(fam, config, REGISTRY, results, 1)
    rows = run.to_frame()
    assert list(rows.columns) == SPEC_COLUMNS
    mine = rows[rows["claim_id"] == NECESSITY]
    assert len(mine) == 1 and mine["verdict"].iloc[0] == "not supported"
    assert mine["specification"].iloc[0] == "necessity:relevance=0.6"
    assert '"necessity_relevance": 0.6' in mine["changes"].iloc[0]  # the registry cut moved with the config key
    # the parent claim cites it, so it is touched; a claim on other tables is not
    assert set(rows["claim_id"]) == {NECESSITY, "study2.logic_inversion"}

    result = gather(REGISTRY, results, [rows])
    counts = result.to_frame().set_index("claim_id")
    assert counts.loc[NECESSITY, "shipped_verdict"] == "supported"
    assert counts.loc[NECESSITY, ["specifications", "specifications_supporting"]].tolist() == [2, 1]
    assert counts.loc[NECESSITY, "share_supporting"] == pytest.approx(0.5, abs=1e-12)
    # a claim no dimension touches has one specification: the shipped one
    assert counts.loc["slr.review_corpus", "specifications"] == 1
    shipped_rows = result.specifications[result.specifications["shipped"].astype(bool)]
    assert len(shipped_rows) == len(REGISTRY.claims) and set(shipped_rows["specification"]) == {"shipped"}


def test_the_shipped_rows_reproduce_the_registry_verdicts_on_the_reference_build():
    reference = REPO / "results-reference"
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    from nero.claims.inventory import study_inventory

    study = study_inventory(config, yaml.safe_load((REPO / "config" / "codebook.yaml").read_text()))
    expected = evaluate_claims(REGISTRY, read_tables(reference, REGISTRY.tables()), study=study)
    result = gather(REGISTRY, reference, [], study=study)
    shipped = result.specifications.set_index("claim_id")["verdict"]
    assert {c.claim_id: c.verdict for c in expected.claims} == shipped.to_dict()
    assert (result.to_frame()["specifications"] == 1).all()


def test_each_tied_model_alone_and_the_registry_copy():
    reference = REPO / "results-reference"
    tables = read_tables(reference, REGISTRY.tables())
    models = solution_models(REGISTRY, tables)
    assert models["ESA"] and models["intermediate"]
    # a second tied model of whichever solution has one (the reseeded stand-in: the ESA's M2)
    solution = "intermediate" if len(models["intermediate"]) >= 2 else "ESA"
    assert len(models[solution]) >= 2
    config = _config({"models": {"stage": "models", "dimensions": {"model": {"models": ["intermediate", "ESA"]}}}})
    fam = family(load_families(config, REGISTRY.thresholds, models), "models")
    specs = fam.specifications()
    assert sum(s.model is not None for s in specs) == len(models["intermediate"]) + len(models["ESA"])
    spec = [s for s in specs if s.model == (solution, "M2")][0]
    view = specification_registry(REGISTRY, spec)
    rule = view.claim("study2.orchestration").rule["across_models"]
    assert [s["name"] for s in rule["solutions"]] == [solution] and rule["solutions"][0]["where"]["model"] == "M2"
    assert (
        len(REGISTRY.claim("study2.orchestration").rule["across_models"]["solutions"]) == 2
    )  # shipped registry unchanged
    assert touches(REGISTRY, REGISTRY.claim("study2.orchestration"), spec, [])
    assert not touches(REGISTRY, REGISTRY.claim("survey.measurement_validity"), spec, [])
    # one model alone decides as that model does (no "model ambiguity" across models)
    verdict = evaluate_claims(view, tables).verdict("study2.orchestration")
    assert verdict in ("supported", "not supported")


def test_restrict_models_and_substitute_columns_leave_other_rules_alone():
    rule = {
        "all": [
            {
                "across_models": {
                    "solutions": [{"name": "a", "table": "t.csv"}, {"name": "b", "table": "u.csv"}],
                    "as": "t.csv",
                    "rule": {"table": "t.csv", "column": "x", "op": ">", "value": 0},
                }
            },
            {"table": "v.csv", "column": "pct_lower", "op": ">", "value": 0},
        ]
    }
    out = restrict_models(rule, "b", "M3")
    assert out["all"][0]["across_models"]["solutions"] == [{"name": "b", "table": "u.csv", "where": {"model": "M3"}}]
    assert restrict_models(rule, "c", "M1") == rule
    swapped = substitute_columns(rule, {"v.csv": {"pct_lower": "bc_lower"}})
    assert swapped["all"][1]["column"] == "bc_lower" and rule["all"][1]["column"] == "pct_lower"


def test_claim_tables_follow_cited_claims_but_not_flags():
    tables = claim_tables(REGISTRY, REGISTRY.claim("study2.logic_inversion"))
    assert "fsqca/necessity.csv" in tables and "sem/mediation_type.csv" in tables
    assert "sem/marker_adjustment.csv" not in claim_tables(REGISTRY, REGISTRY.claim("study2.not_mutually_exclusive"))


def test_a_stage_that_fails_leaves_its_claims_inconclusive(tmp_path):
    results, _ = _planted(tmp_path)
    # a condition the memberships do not hold: the necessity stage cannot run at this specification
    config = _config(
        {
            "bad": {
                "stage": "fsqca_necessity",
                "dimensions": {
                    "conditions": {
                        "shipped": "the study's",
                        "options": {"with ZZZ": {"set": {"fsqca.conditions": ["ZZZ"]}}},
                    }
                },
            }
        }
    )
    run = run_family(family(load_families(config, REGISTRY.thresholds), "bad"), config, REGISTRY, results, 1)
    mine = run.to_frame().set_index("claim_id").loc[NECESSITY]
    assert mine["verdict"] == "inconclusive" and "stage (fsqca_necessity) failed" in mine["reason"]


def test_crossed_models_are_read_from_each_specifications_own_tables_and_a_stage_runs_once_per_settings(
    tmp_path, monkeypatch
):
    """Cut .85 crossed with the tied models: the models alone at .85 are those of the .85 solutions
    (re-run here independently), every one is evaluated on the one .75 re-run, and the shipped
    cut's models read the shipped tables without a re-run."""
    import nero.multiverse.evaluate as ev

    reference = REPO / "results-reference"
    config = _config(
        {
            "cuts": {
                "stage": "fsqca",
                "dimensions": {
                    "consistency": {"set": "fsqca.incl_cut", "values": [0.85]},
                    "model": {"models": ["intermediate", "ESA"]},
                },
                "cross": [["consistency", "model"]],
            }
        }
    )
    from nero.multiverse.grid import apply_settings

    alone = STAGE_RUNNERS["fsqca"](apply_settings(config, {"fsqca.incl_cut": 0.85}), reference, tmp_path, 1)
    want = solution_models(REGISTRY, read_tables(tmp_path, REGISTRY.tables()))
    shipped_models = solution_models(REGISTRY, read_tables(reference, REGISTRY.tables()))
    # (on the stand-in of 2026-12-07: 2 tied intermediate models at .85 against 6 at the shipped .80;
    # the comparison below holds whatever the data give)
    assert alone and want["intermediate"] and want["ESA"]
    calls = []
    real = STAGE_RUNNERS["fsqca"]
    monkeypatch.setitem(
        ev.STAGE_RUNNERS, "fsqca", lambda c, s, o, seed: calls.append(c["fsqca"]["incl_cut"]) or real(c, s, o, seed)
    )
    fam = family(load_families(config, REGISTRY.thresholds, shipped_models), "cuts")
    rows = run_family(fam, config, REGISTRY, reference, 1).to_frame()
    assert calls == [0.85]  # one re-run for every specification at .85; none for the shipped cut
    specs = set(rows["specification"])
    at85 = {s for s in specs if s.startswith("cuts:consistency=0.85|model=")}
    expected = {f"cuts:consistency=0.85|model={sol} {m} alone" for sol, ms in want.items() for m in ms}
    assert at85 == expected
    shipped_cut = {s for s in specs if s.startswith("cuts:model=")}
    assert shipped_cut == {f"cuts:model={sol} {m} alone" for sol, ms in shipped_models.items() for m in ms}
    assert "cuts:consistency=0.85" in specs
    choices = rows.set_index("specification")["choices"].to_dict()
    some = sorted(at85)[0]
    assert choices[some].startswith("consistency: 0.85; model: ")  # every dimension's option in the row
