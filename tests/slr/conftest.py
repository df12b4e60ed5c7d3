"""Shared fixtures: the shipped literature-review stand-in, read once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLR_RAW = ROOT / "data" / "raw" / "slr"
SETTINGS = {
    "document_types": ["Article"],
    "languages": ["English"],
    "years": [2011, 2023],
    "screeners": ["screener-a", "screener-b"],
    "min_rating": "2",
    "rating_column": "AJG 2021",
}


@pytest.fixture(scope="session")
def truth():
    return json.loads((ROOT / "data" / "truth" / "slr_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def searches():
    from nero.slr.searches import read_searches

    return read_searches(SLR_RAW / "searches")


@pytest.fixture(scope="session")
def dedup(searches):
    from nero.slr.dedup import deduplicate

    return deduplicate(searches.records, prefer=["Scopus", "Web of Science"])


@pytest.fixture(scope="session")
def journals():
    from nero.slr.screening import read_journal_list

    return read_journal_list(SLR_RAW / "journal_list.csv", "AJG 2021")


@pytest.fixture(scope="session")
def flow(dedup, journals):
    from nero.slr.flow import review_flow

    return review_flow(dedup.unique, dedup.groups, SLR_RAW / "screening", journals, SETTINGS)
