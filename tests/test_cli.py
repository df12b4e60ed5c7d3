"""The `nero` command: help everywhere, and an error (not a traceback) for bad input."""

import subprocess
import sys

import pytest

from nero.cli import build_parser


def _leaf_commands():
    """Every (group, leaf) pair that the installed subpackages register."""
    parser = build_parser()
    groups = parser._subparsers._group_actions[0].choices
    pairs = []
    for name, group in groups.items():
        leaves = [a for a in group._actions if a.__class__.__name__ == "_SubParsersAction"]
        if leaves:
            pairs += [(name, leaf) for leaf in leaves[0].choices]
        else:
            pairs.append((name, None))
    return pairs


def test_top_level_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "nero.cli", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "provenance" in out.stdout


@pytest.mark.parametrize("group,leaf", _leaf_commands())
def test_every_command_has_help(group, leaf):
    argv = [group] + ([leaf] if leaf else []) + ["--help"]
    out = subprocess.run([sys.executable, "-m", "nero.cli", *argv], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "usage: nero" in out.stdout


def test_console_script_is_installed(repo_root):
    exe = __import__("shutil").which("nero", path=str(repo_root / ".venv" / "bin")) or __import__("shutil").which("nero")
    assert exe, "the `nero` console script is not on PATH"


def test_user_error_is_reported_without_traceback(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "nero.cli", "provenance", "verify", str(tmp_path / "nowhere")],
        capture_output=True, text=True,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("nero: error:") and "MANIFEST.sha256" in out.stderr
    assert "Traceback" not in out.stderr
