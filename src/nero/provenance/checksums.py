"""Content, not modification times, decides what reruns: one checksum stamp per raw file.

Snakemake reruns a job when an input is newer than its outputs. A raw file replaced by a
copy that keeps an older time (``cp -a``, ``rsync -a``, unpacking a backup) would then be
missed, and a ``touch`` with identical content would rerun everything. So each raw file
``<raw_dir>/<rel>`` gets a stamp ``<stamp_dir>/<rel>.sha256`` holding its SHA-256, and the
workflow

1. refreshes the stamps when it is read (:func:`refresh_stamps`), rewriting a stamp
   **only when the file's content differs** from it, so the stamp's time is the time the
   content last changed;
2. makes every rule that reads a raw file depend on the file's stamp, and on the file
   itself only as ``ancient()`` (its time is ignored).

:func:`changed_raw_files` names the raw files whose content changed since the last
successful verification of the raw data (what ``nero status`` reports).
"""

from __future__ import annotations

import os
from pathlib import Path

from nero.outputs import atomic_write_text
from nero.provenance.manifest import sha256_file

SUFFIX = ".sha256"


def stamp_path(raw_file: str | os.PathLike, raw_dir: str | os.PathLike, stamp_dir: str | os.PathLike) -> Path:
    """The stamp of ``raw_file`` (a path under ``raw_dir``): ``stamp_dir/<relative path>.sha256``."""
    rel = Path(raw_file).relative_to(Path(raw_dir)).as_posix()
    return Path(stamp_dir) / (rel + SUFFIX)


def _raw_files(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.rglob("*") if p.is_file())


def _stamped(stamp: Path) -> str | None:
    try:
        return stamp.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


def refresh_stamps(raw_dir: str | os.PathLike, stamp_dir: str | os.PathLike) -> list[str]:
    """Bring the stamp of every file under ``raw_dir`` (the manifest included) up to date.

    A stamp is (re)written, atomically, only when it is missing or holds another checksum;
    stamps of files no longer there are removed. Returns the raw files whose stamp was
    written (paths as ``raw_dir`` spells them), sorted.
    """
    raw_dir, stamp_dir = Path(raw_dir), Path(stamp_dir)
    written, present = [], set()
    for path in _raw_files(raw_dir):
        stamp = stamp_path(path, raw_dir, stamp_dir)
        present.add(stamp)
        digest = sha256_file(path)
        if _stamped(stamp) != digest:
            atomic_write_text(stamp, digest + "\n")
            written.append(str(path))
    if stamp_dir.is_dir():
        for old in stamp_dir.rglob("*" + SUFFIX):
            if old not in present and not old.name.startswith("."):
                old.unlink(missing_ok=True)
    return sorted(written)


def changed_raw_files(
    raw_dir: str | os.PathLike, stamp_dir: str | os.PathLike, verified: str | os.PathLike
) -> list[str]:
    """Raw files whose content changed since the raw data were last verified.

    A file changed when its checksum differs from its stamp (the workflow has not been
    run since), when it has no stamp (new), or when its stamp is newer than the
    verification record ``verified`` (the stamp was refreshed by a run that did not rebuild
    it yet). Nothing is reported before the first build (no ``verified`` record).
    """
    raw_dir, stamp_dir, verified = Path(raw_dir), Path(stamp_dir), Path(verified)
    if not verified.is_file() or not raw_dir.is_dir():
        return []
    since = verified.stat().st_mtime
    changed = []
    for path in _raw_files(raw_dir):
        stamp = stamp_path(path, raw_dir, stamp_dir)
        recorded = _stamped(stamp)
        if recorded is None or recorded != sha256_file(path) or stamp.stat().st_mtime > since:
            changed.append(str(path))
    return changed
