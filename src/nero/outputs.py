"""Writing results safely: atomic files, deterministic CSV/JSON, and rule logs.

A crash never leaves a half-written output that a rerun would trust: every writer
writes to a temporary file in the target folder and renames it into place.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pandas as pd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it to ``target``.

    On an exception the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix or target.suffix)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():
            # mkstemp creates 0600 files; results are ordinary files (0644 under umask 022)
            os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def atomic_write_text(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, LF line endings) to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(target)


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_csv(frame: pd.DataFrame, target: str | os.PathLike, index: bool = False, float_format: str = "%.10g") -> Path:
    """Write a table as CSV, atomically and deterministically (fixed float format, LF)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=index, float_format=float_format, lineterminator="\n")
    return atomic_write_text(target, buffer.getvalue())


def write_json(payload: Any, target: str | os.PathLike) -> Path:
    """Write JSON (sorted keys, 2-space indent, UTF-8) atomically."""
    from nero.cli import _json_default

    text = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default) + "\n"
    return atomic_write_text(target, text)


@contextlib.contextmanager
def log_to(log_file: str | os.PathLike, level: int = logging.INFO) -> Iterator[logging.Logger]:
    """Send logging and warnings to ``log_file`` for the duration of a rule's script.

    Exceptions are logged with their traceback and re-raised, so Snakemake marks the
    job failed and the log says why.
    """
    log_file = Path(log_file)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    root.addHandler(stream)
    logging.captureWarnings(True)
    try:
        yield root
    except BaseException:
        root.exception("the rule failed")
        raise
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.removeHandler(stream)
        handler.close()
