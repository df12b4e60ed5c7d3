"""Shared inputs of the manuscript tests: the shipped Study 1 project, read through nero.qual."""

from pathlib import Path

import pytest
import yaml

from nero.qual.analysis import codebook_table
from nero.qual.data import StudyData, import_study

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def instrument():
    with open(ROOT / "config" / "codebook.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="session")
def study1(tmp_path_factory):
    """Codebook table and selections of the shipped REFI-QDA project (as the qual stage makes them)."""
    out = tmp_path_factory.mktemp("study1")
    import_study(ROOT / "data" / "raw" / "interviews" / "study1.qdpx", out / "sel.csv", out / "cases.csv", out / "project.json")
    study = StudyData.read(out / "sel.csv", out / "cases.csv", out / "project.json")
    return codebook_table(study.codebook, study.selections, "coder-a"), study.selections
