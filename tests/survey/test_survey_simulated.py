"""Recovery on simulated studies (nero.simulate): the rules drop exactly the planted responses.

Other seeds than the shipped study, and the shipped study itself (218 usable firms).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from nero.survey.cleaning import clean_survey
from nero.survey.codebook import Codebook
from nero.survey.importer import import_wave
from nero.survey.pipeline import read_back, survey_reports, survey_wave_folders

REPO = Path(__file__).resolve().parents[2]
simulate = pytest.importorskip("nero.simulate")


def _clean(raw: Path, codebook: Codebook):
    frames = [
        read_back(import_wave(files, codebook, wave).frame)
        for wave, files in survey_wave_folders(raw / "survey").items()
    ]
    return clean_survey(frames, codebook)


def _planted(truth: Path) -> set[tuple[str, str, str]]:
    planted = pd.read_csv(truth / "planted_responses.csv", dtype=str)
    return set(map(tuple, planted[["wave", "ResponseId", "rule"]].to_numpy()))


@pytest.fixture(scope="module", params=[(101, 60), (202, 150), (303, 90)], ids=lambda p: f"seed{p[0]}-n{p[1]}")
def simulated(request, tmp_path_factory):
    seed, n_firms = request.param
    out = tmp_path_factory.mktemp(f"sim{seed}")
    paths = simulate.simulate_study(seed=seed, n_firms=n_firms, out_dir=out)
    codebook = Codebook.load(REPO / "config" / "codebook.yaml")
    return n_firms, paths, _clean(paths.raw, codebook), codebook


def test_drops_exactly_the_planted_responses(simulated):
    n_firms, paths, result, _ = simulated
    logged = set(map(tuple, result.exclusion_log[["wave", "ResponseId", "rule"]].to_numpy()))
    planted = _planted(paths.truth)
    assert logged - planted == set(), "dropped responses that were not planted"
    assert planted - logged == set(), "planted responses that were kept or dropped by another rule"
    assert len(result.clean) == n_firms


def test_usable_firms_are_the_true_firms(simulated):
    _, paths, result, _ = simulated
    firms = pd.read_csv(paths.truth / "firms.csv", dtype={"ResponseId": str, "FirmCode": str, "wave": str})
    assert sorted(result.clean["response_id"]) == sorted(firms["ResponseId"])
    merged = result.clean.merge(firms, left_on="response_id", right_on="ResponseId", suffixes=("", "_true"))
    assert len(merged) == len(result.clean)
    assert (merged["firm_code"] == merged["FirmCode"]).all()
    assert (merged["recorded_date"] == merged["RecordedDate"].str[:10]).all()
    for name in ("employees", "founding_year", "sector", "foreign_markets", "years_abroad"):
        assert (merged[name] == merged[f"{name}_true"]).all(), name


def test_value_fixes_and_item_nonresponse_match_the_truth(simulated):
    _, paths, result, codebook = simulated
    truth = json.loads(paths.truth_json.read_text(encoding="utf-8"))
    expected = {
        (f["wave"], f["ResponseId"], f["column"], f["raw"], f["normalised"])
        for wave in truth["survey"].values()
        for f in wave["value_fixes"]
    }
    found = set(map(tuple, result.value_fixes[["wave", "ResponseId", "export_column", "raw", "fixed"]].to_numpy()))
    assert found == expected
    blanks = {(b["ResponseId"], b["item"]) for wave in truth["survey"].values() for b in wave["item_nonresponse"]}
    clean = result.clean.set_index("response_id")
    observed = {(rid, item) for item in codebook.item_names for rid in clean.index[clean[item].isna()]}
    assert observed == blanks
    missing, _ = survey_reports(result.clean, codebook)
    pooled = missing.items[missing.items["wave"] == "pooled"]
    assert int(pooled["n_missing"].sum()) == len(blanks)
    assert missing.mcar["pooled"].df > 0 and 0.0 <= missing.mcar["pooled"].p_value <= 1.0


def test_flow_counts_match_the_truth(simulated):
    _, paths, result, _ = simulated
    truth = json.loads(paths.truth_json.read_text(encoding="utf-8"))
    for wave, spec in truth["survey"].items():
        counts = result.counts(wave)
        assert counts["received"] == spec["rows"]
        assert counts["usable"] == spec["usable"]
        for rule, n in spec["planted"].items():
            assert counts[rule] == n, (wave, rule)


def test_shipped_study_leaves_218_firms():
    raw = REPO / "data" / "raw"
    if not (raw / "survey").is_dir():
        pytest.skip("the shipped study is not under data/raw yet")
    result = _clean(raw, Codebook.load(REPO / "config" / "codebook.yaml"))
    assert len(result.clean) == 218
    truth = REPO / "data" / "truth"
    if (truth / "planted_responses.csv").is_file():
        logged = set(map(tuple, result.exclusion_log[["wave", "ResponseId", "rule"]].to_numpy()))
        assert logged == _planted(truth)
        spec = json.loads((truth / "truth.json").read_text(encoding="utf-8"))
        expected = {
            (f["wave"], f["ResponseId"], f["column"], f["raw"], f["normalised"])
            for wave in spec["survey"].values()
            for f in wave["value_fixes"]
        }
        found = set(map(tuple, result.value_fixes[["wave", "ResponseId", "export_column", "raw", "fixed"]].to_numpy()))
        assert found == expected
