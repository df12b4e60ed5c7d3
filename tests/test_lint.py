"""The lint step of CI (.ci/lint): ruff check and ruff format clean, and `snakemake --lint` without
findings other than the documented single-environment note."""

import os
import subprocess
import sys
from pathlib import Path


def _lint(repo_root, **env):
    bin_dir = Path(sys.executable).parent
    base = {"PATH": f"{bin_dir}:/usr/bin:/bin", "BIN": str(bin_dir), "HOME": str(Path.home())}
    if "OMP_NUM_THREADS" in os.environ:
        base["OMP_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"]
    return subprocess.run(
        [str(repo_root / ".ci" / "lint")], cwd=repo_root, capture_output=True, text=True, env={**base, **env}
    )


def test_ci_lint_passes(repo_root):
    run = _lint(repo_root)
    assert run.returncode == 0, run.stdout + run.stderr
    for step in ("lint: ruff check", "lint: ruff format --check", "lint: snakemake --lint"):
        assert step in run.stdout


def test_ci_lint_fails_on_a_planted_finding_and_passes_clean_code(repo_root, tmp_path):
    clean = tmp_path / "clean.py"
    clean.write_text('"""A module."""\n\nimport os\n\n\ndef where():\n    return os.sep\n', encoding="utf-8")
    run = _lint(repo_root, LINT_PATHS=str(clean), LINT_SNAKEMAKE="0")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "lint: snakemake --lint" not in run.stdout
    # an unused import (ruff check) and a layout ruff format would change, each alone fails the step
    unused = tmp_path / "unused.py"
    unused.write_text(
        '"""A module."""\n\nimport os\nimport sys\n\n\ndef where():\n    return os.sep\n', encoding="utf-8"
    )
    run = _lint(repo_root, LINT_PATHS=str(unused), LINT_SNAKEMAKE="0")
    assert run.returncode == 1 and "F401" in run.stdout
    layout = tmp_path / "layout.py"
    layout.write_text('"""A module."""\n\n\ndef where( ):\n    return {"a":1}\n', encoding="utf-8")
    run = _lint(repo_root, LINT_PATHS=str(layout), LINT_SNAKEMAKE="0")
    assert run.returncode == 1 and "1 file would be reformatted" in run.stdout
