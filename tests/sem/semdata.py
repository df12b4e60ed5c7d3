"""Constants and fixture readers of the nero.sem tests (importable by name: tests/sem is on sys.path)."""

from pathlib import Path

import pandas as pd

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]

ORACLE_INPUTS = Path(__file__).parent / "oracle" / "inputs"

#: Bollen's Political Democracy SEM as in lavaan's tutorial.
PD_MODEL = (
    "ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\ndem65 =~ y5 + y6 + y7 + y8\n"
    "dem60 ~ ind60\ndem65 ~ ind60 + dem60\ny1 ~~ y5\ny2 ~~ y4 + y6\ny3 ~~ y7\ny4 ~~ y8\ny6 ~~ y8\n"
)

HS_FACTORS = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"], "speed": ["x7", "x8", "x9"]}


def fixture_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURES / name)
