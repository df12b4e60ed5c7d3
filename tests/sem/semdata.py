"""Constants and fixture readers of the nero.sem tests (importable by name: tests/sem is on sys.path)."""

from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]

HS_FACTORS = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}


def fixture_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / name)
