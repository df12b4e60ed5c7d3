"""Every bad input of the corpus ends cleanly: the exit status, a message naming the file
and the row/element/field, no traceback, no partial output, and the inputs unchanged."""

from __future__ import annotations

import contextlib
import hashlib
import io
from pathlib import Path

import pytest
from badinput_corpus import CASES, SECRET, build

KINDS = {case.kind for case in CASES}


def snapshot(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (what "the inputs are unchanged" compares)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cli(argv: list[str]) -> tuple[int, str]:
    """Run ``nero ARGV`` in this process; return the exit status and everything it printed."""
    from nero.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse errors
            status = int(exc.code or 0)
    return status, out.getvalue() + err.getvalue()


def test_the_corpus_covers_every_kind_of_input():
    assert len(CASES) >= 40
    assert {
        "interview project",
        "transcript",
        "coded segments",
        "survey export",
        "codebook",
        "config",
        "fsQCA table",
        "raw data",
        "hostile project",
    } <= KINDS
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_ends_cleanly(case, tmp_path):
    root = build(case, tmp_path / case.id)
    before = snapshot(root / "in")
    status, message = run_cli(case.command(root))
    assert status == case.status, message
    assert "Traceback" not in message
    assert SECRET not in message, "text of a file outside the raw folder reached the message"
    missing = [word for word in case.expect if word not in message]
    assert not missing, f"the message does not name {missing}:\n{message}"
    if case.outputs:
        out = root / case.outputs
        assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()], (
            f"partial outputs left: {sorted(p.name for p in out.rglob('*'))}"
        )
    if case.id != "manifest-nested":
        assert snapshot(root / "in") == before, "the inputs were changed"
    else:
        assert not (root / "in" / "raw" / "survey" / "MANIFEST.sha256").exists()
