"""Recovery on simulated studies (nero.simulate): what was planted is what the import and typology find."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from nero.cli import main
from nero.qual.analysis import code_frequencies, saturation_curve
from nero.qual.data import StudyData, read_project
from nero.qual.reliability import reliability_table
from nero.qual.typology import TypologyRule, assign_archetypes, axis_scores

simulate = pytest.importorskip("nero.simulate")

REPO = Path(__file__).resolve().parents[2]
SEEDS = [3, 29, 2024]


@pytest.fixture(scope="module", params=SEEDS)
def simulated(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"study-seed{request.param}")
    simulate.simulate_study(seed=request.param, n_firms=40, out_dir=out)
    truth = json.loads((out / "truth" / "truth.json").read_text(encoding="utf-8"))
    project = read_project(out / "raw" / "interviews" / "study1.qdpx")
    return out, truth, project


def test_typology_recovers_the_planted_archetypes(simulated):
    _, truth, project = simulated
    study = StudyData.from_project(project)
    rule = TypologyRule()
    table = assign_archetypes(axis_scores(study.selections, study.cases, rule), rule).table
    planted = {i["case"]: i["archetype"] for i in truth["interviews"]}
    assert len(table) == len(planted) == 13
    matches = sum(planted[row.case] == row.archetype for row in table.itertuples())
    assert matches >= 12, table[["case", "archetype", "network_score", "orientation_score"]]


def test_import_reproduces_the_planted_codings_and_variables(simulated):
    out, truth, project = simulated
    assert project.offset_unit == "utf16" and project.origin == "NVivo 14"
    assert [w for w in project.warnings if "schema" in w] == []
    study = StudyData.from_project(project)
    freq = code_frequencies(study.selections, study.codebook, study.cases, "coder-a")
    counts = freq.set_index(["case", "code_path"])["segments"]
    for interview in truth["interviews"]:
        for code, planted in interview["planted_codes"].items():
            assert counts[(interview["case"], code)] == planted["pro"] + planted["con"], (interview["case"], code)
        case = study.cases.set_index("case").loc[interview["case"]]
        for key, value in interview["variables"].items():
            assert case[key] == value, (interview["case"], key)
    # every selection is exactly the transcript text between its indices
    for source in project.sources.values():
        transcript = (out / "raw" / "interviews" / "transcripts" / f"{source.name}.txt").read_bytes().decode("utf-8")
        assert transcript == source.text
        rows = project.selections[project.selections["source"] == source.name]
        assert all(transcript[s:e] == t for s, e, t in zip(rows["start"], rows["end"], rows["text"]))
    # the double-coded subset is the planted one
    double = sorted(i["document"] for i in truth["interviews"] if i["double_coded"])
    assert sorted(project.selections.loc[project.selections["coder"] == "coder-b", "source"].unique()) == double


def test_coded_segments_csv_gives_the_same_selections(simulated):
    out, _, project = simulated
    from_csv = read_project(out / "raw" / "interviews" / "coded_segments.csv")
    columns = ["source", "code_path", "coder", "start", "end", "text"]
    a = project.selections[columns].sort_values(columns).reset_index(drop=True)
    b = from_csv.selections[columns].sort_values(columns).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert from_csv.offset_unit == "utf16"


def test_reliability_and_saturation_are_computed(simulated):
    _, truth, project = simulated
    study = StudyData.from_project(project)
    result = reliability_table(study.selections, study.codebook, "coder-a", "coder-b", study.source_lengths())
    assert len(result.sources) == sum(i["double_coded"] for i in truth["interviews"])
    pooled = result.pooled("character")
    # coder-b agrees with coder-a on most segments, with shifted boundaries, other codes and misses
    assert 0.5 < pooled["krippendorff_alpha"] < 0.95
    assert pooled["cohen_kappa"] == pytest.approx(pooled["krippendorff_alpha"], abs=0.01)
    saturation = saturation_curve(study.selections, study.codebook, study.cases, "coder-a")
    assert saturation.table["cumulative_codes"].iloc[-1] == 14
    assert saturation.reached


SHIPPED = REPO / "data" / "raw" / "interviews" / "study1.qdpx"


@pytest.mark.skipif(not SHIPPED.is_file(), reason="the shipped study is not in data/raw yet")
def test_cli_reads_the_shipped_qdpx(capsys):
    assert main(["qual", "summary", str(SHIPPED), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["origin"].startswith("NVivo") and payload["offset_unit"] == "utf16"
    assert len(payload["sources"]) == 13 and len(payload["cases"]) == 13
    assert payload["coders"] == ["coder-a", "coder-b"]
    assert len(payload["codes"]) == 22
    assert all(s["text"] for s in payload["selections"])
