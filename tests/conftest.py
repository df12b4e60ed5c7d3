"""Shared fixtures of the whole suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shipped_study(tmp_path_factory) -> Path:
    """The shipped study (this checkout's workflow, config and data/) built once, with
    ``snakemake --cores 2``, in a temporary folder.

    Shared by the end-to-end tests that only read a built study (tests/test_workflow.py,
    tests/test_audit.py): treat it as read-only; a test that changes a file works on a copy
    (``shutil.copytree(shipped_study, dest, symlinks=True)``).
    """
    from nero.testing import copy_workflow, run_snakemake

    work = copy_workflow(tmp_path_factory.mktemp("shipped-study"))
    shutil.copytree(REPO / "data", work / "data")
    run_snakemake(work)
    return work
