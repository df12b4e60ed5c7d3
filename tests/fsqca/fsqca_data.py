"""Paths and loaders for the fsQCA tests (the fixtures are copied into tests/fsqca/fixtures)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from nero.fsqca import read_table

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATASETS = ("LC", "LF", "NF", "CVF")


@cache
def reference() -> dict:
    return json.loads((FIXTURES / "reference_R_QCA.json").read_text())


def dataset(name: str) -> pd.DataFrame:
    return read_table(str(FIXTURES / f"{name}.csv"))


def code_of(row: dict, conditions: list[str]) -> int:
    return int("".join(str(row[c]) for c in conditions), 2)


def models_of(block: dict) -> set[frozenset[str]]:
    """Models of a reference solution as a set of sets of terms."""
    out = set()
    for m in block["models"]:
        terms = [t.strip() for t in m.split("+")] if isinstance(m, str) else m
        out.add(frozenset(terms))
    return out
