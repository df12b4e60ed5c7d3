"""Writing results safely: atomic files, deterministic CSV/JSON, and rule logs.

A crash never leaves a half-written output that a rerun would trust: every writer
writes to a temporary file in the target folder and renames it into place.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only an annotation here: the workflow and `nero status` import this module
    # at every start, and pandas alone takes about 0.5 s to import
    import pandas as pd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it to ``target``.

    On an exception the temporary file is removed and ``target`` is left untouched. An
    ``OSError`` that names no file (a failed ``write()``: "File too large" under ``ulimit
    -f``, a full disk) is raised again naming ``target``, so every write failure says
    which output could not be written.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=suffix or target.suffix)
    except OSError as exc:
        if exc.filename is None:
            raise _naming(exc, target) from exc
        raise
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():
            # mkstemp creates 0600 files; results are ordinary files (0644 under umask 022)
            os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        if exc.filename is None or str(exc.filename) == str(tmp_path):
            raise _naming(exc, target) from exc
        raise
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _naming(exc: OSError, target: Path) -> OSError:
    """``exc`` (same class and errno) naming ``target`` as the file that could not be written."""
    if exc.errno is None:
        return OSError(f"cannot write {target}: {exc}")
    return type(exc)(exc.errno, exc.strerror, str(target))


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


#: Significant digits of the numbers every table is written with, unless a stage documents its own.
SIGNIFICANT_DIGITS = 10


def write_csv(
    frame: pd.DataFrame, target: str | os.PathLike, index: bool = False, digits: int = SIGNIFICANT_DIGITS
) -> Path:
    """Write a table as CSV, atomically and deterministically (columns in their given order, LF).

    Floats are written with ``digits`` significant digits (``%.<digits>g``): the project's
    :data:`SIGNIFICANT_DIGITS`, or a stage's documented precision (the SEM tables:
    :data:`nero.sem._common.SIGNIFICANT_DIGITS`).
    """
    buffer = io.StringIO()
    frame.to_csv(buffer, index=index, float_format=f"%.{digits}g", lineterminator="\n")
    return atomic_write_text(target, buffer.getvalue())


def write_json(payload: Any, target: str | os.PathLike) -> Path:
    """Write JSON (sorted keys, 2-space indent, UTF-8) atomically."""
    from nero.console import json_default

    text = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=json_default) + "\n"
    return atomic_write_text(target, text)


#: The line that opens the final error block of a failed rule's log (read by :func:`failed_rule_errors`).
ERROR_MARK = "NERO-ERROR"


class _NoTraceback(logging.Formatter):
    """The console gets the message only; the traceback stays in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info = None
        record.exc_text = None
        return super().format(record)


@contextlib.contextmanager
def log_to(log_file: str | os.PathLike, level: int = logging.INFO) -> Iterator[logging.Logger]:
    """Send logging and warnings to ``log_file`` for the duration of a rule's script.

    An exception is logged with its traceback in the log file (the console gets only
    its message), the log ends with an :data:`ERROR_MARK` block holding the message
    (what :func:`failed_rule_errors` and the workflow's ``onerror`` handler print last),
    and the exception is re-raised so Snakemake marks the job failed.
    """
    log_file = Path(log_file)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(_NoTraceback("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    root.addHandler(stream)
    logging.captureWarnings(True)
    try:
        yield root
    except BaseException as exc:
        root.error("the rule failed: %s", _message(exc), exc_info=True)
        handler.flush()
        handler.stream.write(f"{ERROR_MARK} {type(exc).__name__}\n{_message(exc)}\n")
        handler.flush()
        raise
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        root.removeHandler(stream)
        handler.close()


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (Ctrl-C or a kill); outputs of this rule were not written"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return f"no space left on the device while writing {exc.filename or 'an output'}; free disk space and rerun"
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return (
            f"cannot write {exc.filename or 'an output'}: file too large (a file size limit, `ulimit -f`, "
            "or the file system's maximum); raise the limit and rerun"
        )
    return str(exc) or type(exc).__name__


def failed_rule_errors(log_dir: str | os.PathLike, since: float | None = None) -> list[tuple[str, str]]:
    """``(log file, message)`` of every rule log that ends with an :data:`ERROR_MARK` block.

    A rule's log is rewritten on each run, so these are the rules whose last run failed
    (only logs modified at or after ``since``, a :func:`time.time` value, if given).
    Sorted by modification time: the most recent failure last.
    """
    found = []
    root = Path(log_dir)
    if not root.is_dir():
        return []
    for path in root.rglob("*.log"):
        try:
            stat = path.stat()
            if since is not None and stat.st_mtime < since - 1:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        at = text.rfind("\n" + ERROR_MARK + " ")
        if at < 0 and not text.startswith(ERROR_MARK + " "):
            continue
        block = text[at + 1 :] if at >= 0 else text
        message = block.split("\n", 1)[1].rstrip("\n") if "\n" in block else ""
        found.append((stat.st_mtime, str(path), message))
    return [(path, message) for _, path, message in sorted(found)]


def format_failures(failures: list[tuple[str, str]]) -> str:
    """The console's closing lines after a failed build: each failed rule's log and nero's message."""
    if not failures:
        return ""
    lines = ["", "=" * 78, f"nero: the build stopped ({len(failures)} rule(s) failed). What went wrong:"]
    for path, message in failures:
        lines.append(f"- {message.splitlines()[0] if message else '(no message)'}")
        lines += [f"  {line}" for line in message.splitlines()[1:30]]
        lines.append(f"  (full log with the traceback: {path})")
    lines.append(
        "Fix the file named above and run `make study` again; the outputs that were out of date "
        "have been removed, so results/ holds no mix of old and new (see `nero status`)."
    )
    lines.append("=" * 78)
    return "\n".join(lines)


def remove_outdated_outputs(jobs, record: str | os.PathLike | None = None) -> list[str]:
    """Remove the existing output files of ``jobs`` (Snakemake jobs about to rerun), before any runs.

    Called by the workflow's ``onstart`` handler: if the run then fails, ``results/``
    holds no output that is out of date beside fresh ones. The removed paths are
    written to ``record`` (one per line) and returned.
    """
    removed = []
    for job in jobs:
        for output in job.output:
            path = Path(str(output))
            if path.is_file() or path.is_symlink():
                path.unlink()
                removed.append(str(output))
    if record is not None:
        atomic_write_text(record, "".join(f"{p}\n" for p in sorted(removed)))
    return sorted(removed)


_REMOTE_URL = r"""(?:https?:)?//"""
_REMOTE_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']\s*(""" + _REMOTE_URL + r"""[^"']*)""", re.I)
_REMOTE_IMPORT = re.compile(r"""(?:\bimport\s*\(\s*|\bfrom\s+|\bimport\s+)["'](""" + _REMOTE_URL + r"""[^"']*)""", re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)


def remote_references(html: str) -> list[str]:
    """Every URL an HTML page would fetch from the network (``src``/``href`` of scripts,
    images, style sheets and frames, and ES-module imports), in order of appearance.

    Links a reader clicks (``<a href>``) are not fetched and are not listed.
    """
    found = []
    without_anchors = re.sub(r"<a\b[^>]*>", "", html, flags=re.I)
    for pattern in (_REMOTE_ATTR, _REMOTE_IMPORT):
        for match in pattern.finditer(without_anchors):
            if pattern is _REMOTE_IMPORT and not _inside_script(without_anchors, match.start()):
                continue
            found.append((match.start(), match.group(1)))
    return [url for _, url in sorted(found)]


def _inside_script(html: str, position: int) -> bool:
    opened = html.rfind("<script", 0, position)
    return opened >= 0 and html.rfind("</script", opened, position) < 0


def self_contained_html(html: str) -> str:
    """``html`` without the scripts and style sheets it would load from the network.

    nbconvert's templates load require.js, MathJax and mermaid from a public CDN; a page
    of a confidential study read offline must load nothing from a third party. The
    notebooks' outputs (tables, embedded PNG figures) need none of them.
    """

    def keep_script(match: re.Match) -> str:
        block = match.group(0)
        return "" if _REMOTE_ATTR.search(block) or _REMOTE_IMPORT.search(block) else block

    def keep_link(match: re.Match) -> str:
        return "" if _REMOTE_ATTR.search(match.group(0)) else match.group(0)

    return _LINK.sub(keep_link, _SCRIPT.sub(keep_script, html))
