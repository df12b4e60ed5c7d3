"""Shared fixtures of the nero.sem tests (single-threaded BLAS: 2 shared cores)."""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from semdata import FIXTURES, HS_FACTORS, ORACLE_INPUTS, fixture_csv  # noqa: E402,F401  (shared with the test modules)


@pytest.fixture(scope="session")
def hs() -> pd.DataFrame:
    """Holzinger & Swineford (1939), lavaan's copy (written by tests/sem/oracle/datasets.R)."""
    return pd.read_csv(ORACLE_INPUTS / "examples" / "holzinger_swineford.csv")


@pytest.fixture(scope="session")
def poldem() -> pd.DataFrame:
    """Bollen's (1989) Political Democracy data, lavaan's copy (written by tests/sem/oracle/datasets.R)."""
    return pd.read_csv(ORACLE_INPUTS / "examples" / "political_democracy.csv")


@pytest.fixture(scope="session")
def hs_cfa(hs):
    from nero.sem import fit_cfa, measurement_syntax

    return fit_cfa(hs, measurement_syntax(HS_FACTORS), name="HS")


@pytest.fixture(scope="session")
def shipped_clean(tmp_path_factory) -> pd.DataFrame:
    """The shipped study's clean survey table, built by the real survey cleaning from data/raw."""
    from nero.config import load_yaml
    from nero.survey.pipeline import run_survey

    root = HERE.parents[1]
    out = tmp_path_factory.mktemp("shipped_survey")
    settings = load_yaml(root / "config" / "config.yaml")["survey"]
    run_survey(root / "data" / "raw" / "survey", root / "config" / "codebook.yaml", out, settings)
    return pd.read_csv(out / "clean.csv")
