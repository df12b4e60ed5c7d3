"""Fixtures of the survey tests: the project codebook, small built waves, the reader fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = HERE / "fixtures"
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from builders import build_wave, write_current  # noqa: E402

from nero.survey.codebook import Codebook  # noqa: E402


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return Codebook.load(REPO / "config" / "codebook.yaml")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def two_waves(codebook):
    """Two built waves (40 good responses + 10 planted each), wave-2 with its renamed item."""
    return [build_wave(codebook, "wave-1", seed=1), build_wave(codebook, "wave-2", seed=2, firm_offset=500)]


@pytest.fixture()
def raw_survey(tmp_path, two_waves) -> Path:
    """A raw survey folder with the two built waves as current Qualtrics exports."""
    root = tmp_path / "raw" / "survey"
    for wave in two_waves:
        write_current(root / wave.wave / "export.csv", wave)
    return root
