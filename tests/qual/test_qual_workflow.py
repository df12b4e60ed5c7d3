"""End to end: `snakemake results/study1/...` on a simulated study, in a temporary copy of the workflow."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from nero.testing import copy_workflow, run_snakemake

pytestmark = pytest.mark.slow

STUDY1_FILES = [
    "selections.csv",
    "cases.csv",
    "project.json",
    "codebook.csv",
    "code_frequencies.csv",
    "case_theme_matrix.csv",
    "cooccurrence.csv",
    "saturation.csv",
    "saturation_summary.json",
    "saturation.png",
    "saturation.pdf",
    "theme_heatmap.png",
    "theme_heatmap.pdf",
    "reliability.csv",
    "typology.csv",
    "exemplar_quotes.csv",
    "case_summary.csv",
    "privacy_check.json",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    simulate_study = pytest.importorskip("nero.simulate").simulate_study
    work = copy_workflow(tmp_path_factory.mktemp("qual-dag"))
    simulate_study(seed=17, n_firms=40, out_dir=work / "data")
    run_snakemake(work, "results/study1/privacy_check.json")
    return work


def test_every_study1_output_is_built(built):
    for name in STUDY1_FILES:
        path = built / "results" / "study1" / name
        assert path.is_file() and path.stat().st_size > 0, name
    check = json.loads((built / "results" / "study1" / "privacy_check.json").read_text(encoding="utf-8"))
    assert check["ok"] is True and len(check["files_checked"]) == len(STUDY1_FILES) - 1
    for log in ("qual_import", "qual_typology", "check_study1_privacy"):
        assert (built / "results" / "logs" / "qual" / f"{log}.log").is_file()


def test_typology_matches_the_planted_archetypes(built):
    truth = json.loads((built / "data" / "truth" / "truth.json").read_text(encoding="utf-8"))
    planted = {i["case"]: i["archetype"] for i in truth["interviews"]}
    typology = pd.read_csv(built / "results" / "study1" / "typology.csv")
    assert typology.columns.tolist()[:6] == [
        "case",
        "archetype",
        "network_score",
        "orientation_score",
        "too_close_to_call",
        "flag",
    ]
    assert sum(planted[c] == a for c, a in zip(typology["case"], typology["archetype"])) >= 12
    quotes = pd.read_csv(built / "results" / "study1" / "exemplar_quotes.csv")
    assert quotes.groupby("archetype").size().to_dict() == {
        "Agile Global Scaler": 3,
        "Institutional Optimizer": 3,
        "Platform Optimizer": 3,
        "Strategic Explorer": 3,
    }
    summary = pd.read_csv(built / "results" / "study1" / "case_summary.csv")
    assert summary["Case"].nunique() == 13 and summary.columns[0] == "Archetype"


def test_intermediates_round_trip_crlf_and_emoji_text(built):
    from nero.qual.data import StudyData, read_project

    folder = built / "results" / "study1"
    study = StudyData.read(folder / "selections.csv", folder / "cases.csv", folder / "project.json")
    project = read_project(built / "data" / "raw" / "interviews" / "study1.qdpx")
    columns = ["source", "case", "code_path", "coder", "start", "end", "text"]
    pd.testing.assert_frame_equal(study.selections[columns], project.selections[columns])
    assert study.selections["text"].str.contains("\U0001f44d").any()


def test_second_run_does_nothing(built):
    proc = run_snakemake(built, "results/study1/privacy_check.json")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_privacy_check_fails_naming_the_file_and_the_name(built):
    config = built / "config" / "config.yaml"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(
            original.replace(
                "  deny_list:                      # real names that must never appear in any Study-1 output\n",
                "  deny_list:\n    - Firm C\n",
            ),
            encoding="utf-8",
        )
        proc = run_snakemake(
            built, "results/study1/privacy_check.json", "--forcerun", "check_study1_privacy", check=False
        )
    finally:
        config.write_text(original, encoding="utf-8")
    assert proc.returncode != 0
    log = (built / "results" / "logs" / "qual" / "check_study1_privacy.log").read_text(encoding="utf-8")
    assert "privacy check failed" in log
    assert "results/study1/selections.csv (line" in log and "'Firm C'" in log
    assert not (built / "results" / "study1" / "privacy_check.json").exists()
