"""Determinism, manifest, truth, CLI and the DGP's promises to the later stages."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from nero.simulate import DGPParameters, dgp_checks, simulate_study, simulate_waves
from nero.simulate.study import usable_construct_scores

from .conftest import SHIPPED_SEED, tree_bytes


def test_same_seed_same_bytes(small_study, tmp_path):
    paths, _ = small_study
    again = simulate_study(7, 90, tmp_path, n_interviews=5)
    assert tree_bytes(again.root / "raw") == tree_bytes(paths.raw)
    assert tree_bytes(again.root / "truth") == tree_bytes(paths.truth)


def test_other_seed_other_bytes(small_study, tmp_path):
    paths, _ = small_study
    other = simulate_study(8, 90, tmp_path, n_interviews=5)
    a, b = tree_bytes(paths.raw), tree_bytes(other.raw)
    assert a.keys() == b.keys()
    assert all(a[k] != b[k] for k in a if k != "README.md" and not k.startswith("interviews/transcripts"))


def test_manifest_covers_every_raw_file(study):
    paths, _ = study
    lines = paths.manifest.read_text(encoding="utf-8").splitlines()
    listed = [line.split("  ", 1)[1] for line in lines]
    assert listed == sorted(listed)
    files = sorted(p.relative_to(paths.raw).as_posix() for p in paths.raw.rglob("*") if p.is_file())
    assert listed == [f for f in files if f != "MANIFEST.sha256"]
    for line in lines:
        digest, rel = line.split("  ", 1)
        assert hashlib.sha256((paths.raw / rel).read_bytes()).hexdigest() == digest


def test_truth_names_recipes_and_parameters(study):
    paths, truth = study
    assert truth["synthetic"] is True and truth["seed"] == SHIPPED_SEED
    assert truth["necessary"] == ["CAP"]
    recipes = {r["name"]: r["conditions"] for r in truth["recipes"]}
    assert recipes == {
        "Institutional Optimizer": {"INST": 1, "EFF": 1, "CAP": 1},
        "Strategic Explorer": {"INST": 1, "MKT": 1, "CAP": 1},
        "Platform Optimizer": {"VIRT": 1, "EFF": 1, "CAP": 1},
        "Agile Global Scaler": {"VIRT": 1, "MKT": 1, "CAP": 1},
    }
    loadings = [v["loading"] for v in truth["items"].values()]
    assert min(loadings) >= 0.6 and max(loadings) <= 0.9
    assert {i for i, v in truth["items"].items() if v["reverse"]} == {"INST4", "VIRT3", "CAP4", "SCO5"}
    assert truth["dgp"]["method_loading"] > 0
    readme = paths.readme.read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "sco_cap_x_mkt" in readme


def test_shipped_study_keeps_the_dgp_promises(study):
    """Necessity of CAP, recipe recovery and the SEM signs, recomputed from the files."""
    paths, truth = study
    checks = truth["dgp_checks"]
    assert checks["necessity_CAP"] >= 0.90
    assert checks["recipes_recovered"]
    assert checks["indirect_effect"] > 0.05 and checks["a_ambidexterity_to_CAP"] > 0 and checks["b_CAP_to_SCO"] > 0
    assert checks["moderation_CAPxMKT"] > 0.05


def test_dgp_promises_hold_across_seeds(codebook):
    params = DGPParameters()
    results = []
    for seed in (11, 12, 13, 14, 15, 16):
        scores = usable_construct_scores(simulate_waves(seed, 218, codebook, ("wave-1", "wave-2"), params), codebook)
        results.append(dgp_checks(scores))
    assert all(r["necessity_CAP"] >= 0.88 for r in results)
    assert np.mean([r["necessity_CAP"] >= 0.90 for r in results]) >= 0.5
    assert sum(r["recipes_recovered"] for r in results) >= 3
    assert all(r["indirect_effect"] > 0.03 for r in results)
    assert all(r["moderation_CAPxMKT"] > 0 for r in results)


def test_refuses_to_overwrite_foreign_raw_data(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "real.csv").write_text("confidential")
    with pytest.raises(FileExistsError):
        simulate_study(1, 40, tmp_path, n_interviews=4)
    assert (tmp_path / "raw" / "real.csv").read_text() == "confidential"


def test_cli_entry_points(tmp_path, capsys):
    from nero.cli import main as nero_main
    from nero.simulate.__main__ import main

    assert main(["--seed", "3", "--firms", "40", "--out", str(tmp_path / "a"), "--interviews", "4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["usable"] == 40
    assert (
        nero_main(["simulate", "--seed", "3", "--firms", "40", "--out", str(tmp_path / "b"), "--interviews", "4"]) == 0
    )
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert nero_main(["simulate", "--seed", "3", "--firms", "5", "--out", str(tmp_path / "c")]) == 2


def test_three_waves_in_one_study(tmp_path, codebook):
    from .reference_cleaning import clean

    paths = simulate_study(5, 150, tmp_path, n_interviews=4, waves=("wave-1", "wave-2", "wave-3"))
    assert set(paths.survey) == {"wave-1", "wave-2", "wave-3"}
    result = clean(paths.survey, codebook)
    assert (result["rule"] == "").sum() == 150
