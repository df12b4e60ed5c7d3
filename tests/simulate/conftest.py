"""Shared fixtures: one shipped-size study and one small study, generated once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nero.simulate import load_codebook, simulate_study

SHIPPED_SEED = 20251124


@pytest.fixture(scope="session")
def codebook():
    return load_codebook()


@pytest.fixture(scope="session")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("study")
    paths = simulate_study(SHIPPED_SEED, 218, out)
    truth = json.loads(paths.truth_json.read_text(encoding="utf-8"))
    return paths, truth


@pytest.fixture(scope="session")
def small_study(tmp_path_factory):
    out = tmp_path_factory.mktemp("small")
    paths = simulate_study(7, 90, out, n_interviews=5)
    truth = json.loads(paths.truth_json.read_text(encoding="utf-8"))
    return paths, truth


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
