"""Reading raw files that other people made: bounded in size, and kept inside the raw folder.

Raw inputs (coding projects from co-coders, transcripts, survey and database exports) are
data, never instructions. Two rules hold for every read of them:

- **bounded**: a file on disk is read only up to :attr:`ReadLimits.file_bytes`; an archive
  member is inflated in chunks and refused as soon as it passes
  :attr:`ReadLimits.member_bytes`, inflates more than :attr:`ReadLimits.member_ratio` times
  its compressed size (checked once it passes :data:`RATIO_GRACE_BYTES`, so small, very
  repetitive members are fine), or takes the archive past :attr:`ReadLimits.archive_bytes`.
  The refusal names the file, the member, the size and the config key that raises the limit
  (``limits.<field>`` in ``config/config.yaml``). The declared sizes in the zip directory are
  checked first (a bomb that declares its size is refused before a byte is inflated), and the
  bytes actually inflated are counted as well (a member that lies about its size is refused
  too: :mod:`zipfile` stops at the declared size and its CRC check then fails).
- **contained**: a path a raw file names is followed (``..`` and symbolic links resolved)
  and accepted only when it ends inside the raw folder or a folder the configuration lists
  as an allowed root (:func:`allowed_root`).

The reading is written by hand over :mod:`zipfile` and :mod:`pathlib` because no well-kept
library bounds inflation by ratio and total while naming the config key in its error.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

MiB = 1024 * 1024
#: The compression ratio is judged only once a member has inflated past this many bytes:
#: a small member (a short, repetitive XML part) may compress far better than 100:1 harmlessly.
RATIO_GRACE_BYTES = 1 * MiB
#: Bytes inflated per step (what a refused bomb costs in memory at most, beside the limit).
CHUNK_BYTES = 1 * MiB


class InputLimitError(ValueError):
    """A raw file, or an archive member, is larger than a configured limit allows."""


class OutsideRootError(ValueError):
    """A path named in a raw file resolves outside the raw folder and every allowed root."""


@dataclass(frozen=True)
class ReadLimits:
    """Limits on reading untrusted raw files (the ``limits`` section of ``config/config.yaml``).

    The defaults are far above anything a real study holds (the shipped project's largest
    member is 8 kB, its largest export 60 kB) and far below what exhausts a workstation.

    Attributes
    ----------
    file_bytes
        Largest raw file read from disk (transcript, export, text source outside the
        archive, the archive itself): 200 MiB.
    member_bytes
        Largest inflated size of one archive member: 200 MiB.
    member_ratio
        Largest inflated / compressed size of one archive member (judged past
        :data:`RATIO_GRACE_BYTES`): 100. Text compresses 3-10 times.
    archive_bytes
        Largest total inflated from one archive: 1 GiB.
    """

    file_bytes: int = 200 * MiB
    member_bytes: int = 200 * MiB
    member_ratio: float = 100.0
    archive_bytes: int = 1024 * MiB

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> ReadLimits:
        """The limits of a loaded config (its ``limits`` section; absent keys keep their default)."""
        section = dict((config or {}).get("limits") or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ValueError(f"limits: unknown key(s) {unknown}; allowed: {sorted(known)}")
        return cls(**section)


@dataclass
class ArchiveBudget:
    """What one archive has inflated so far (for :attr:`ReadLimits.archive_bytes`)."""

    limits: ReadLimits = field(default_factory=ReadLimits)
    inflated: int = 0


def _too_large(what: str, size: int, limit: float, key: str) -> InputLimitError:
    return InputLimitError(
        f"{what} {size:,} bytes, over the limit of {limit:,} bytes: refused as a possible decompression bomb "
        f"or runaway file (raise {key} in config/config.yaml if the file is genuine)"
    )


def _check_member_size(what: str, size: int, compressed: int, budget: ArchiveBudget, declared: bool) -> None:
    limits = budget.limits
    kind = "declares" if declared else "inflates to"
    if size > limits.member_bytes:
        raise _too_large(f"{what} {kind}", size, limits.member_bytes, "limits.member_bytes")
    if size > RATIO_GRACE_BYTES and size > limits.member_ratio * max(compressed, 1):
        ratio = size / max(compressed, 1)
        raise InputLimitError(
            f"{what} {kind} {size:,} bytes from {compressed:,} compressed (ratio {ratio:,.0f}), over the limit "
            f"ratio of {limits.member_ratio:g}: refused as a possible decompression bomb (raise "
            "limits.member_ratio in config/config.yaml if the file is genuine)"
        )
    if budget.inflated + size > limits.archive_bytes:
        raise _too_large(
            f"{what} brings the archive's {'declared' if declared else 'inflated'} total to",
            budget.inflated + size,
            limits.archive_bytes,
            "limits.archive_bytes",
        )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, budget: ArchiveBudget) -> bytes:
    """The bytes of one archive member, inflated in chunks within the limits of ``budget``.

    Parameters
    ----------
    archive, info
        The open archive and the member.
    label
        The archive as messages name it (its file name).
    budget
        The archive's limits and what it has inflated so far (updated).

    Raises
    ------
    InputLimitError
        Naming the archive, the member, the size and the config key, before more than one
        chunk past the limit is held in memory.
    zipfile.BadZipFile
        If the member is damaged (a CRC error, for a member that lies about its size).
    """
    what = f"{label}: member {info.filename!r}"
    _check_member_size(what, info.file_size, info.compress_size, budget, declared=True)
    parts: list[bytes] = []
    total = 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            if not chunk:
                break
            total += len(chunk)
            _check_member_size(what, total, info.compress_size, budget, declared=False)
            parts.append(chunk)
    budget.inflated += total
    return b"".join(parts)


def read_file(path: str | os.PathLike, limits: ReadLimits | None = None, label: str | None = None) -> bytes:
    """The bytes of a raw file on disk, refused past :attr:`ReadLimits.file_bytes`.

    The size is checked before reading, and at most one byte past the limit is read (a
    file that grows while being read is refused as well).

    Raises
    ------
    InputLimitError
        Naming the file, its size and ``limits.file_bytes``.
    """
    limits = limits or ReadLimits()
    path = Path(path)
    label = label or str(path)
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise _too_large(f"{label} is", size, limits.file_bytes, "limits.file_bytes")
    with path.open("rb") as handle:
        data = handle.read(limits.file_bytes + 1)
    if len(data) > limits.file_bytes:
        raise _too_large(f"{label} is", len(data), limits.file_bytes, "limits.file_bytes")
    return data


def allowed_root(path: str | os.PathLike, roots: Iterable[str | os.PathLike]) -> Path | None:
    """The root (resolved) that ``path`` lies in once ``..`` and symbolic links are resolved, else None.

    A path equal to a root counts as inside it. Roots are resolved too, so a raw folder
    reached through a symbolic link still contains its own files.
    """
    real = Path(path).resolve()
    for root in roots:
        base = Path(root).resolve()
        if real == base or base in real.parents:
            return base
    return None


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` (hex), as ``MANIFEST.sha256`` records files."""
    return hashlib.sha256(data).hexdigest()


__all__ = [
    "ArchiveBudget",
    "CHUNK_BYTES",
    "InputLimitError",
    "OutsideRootError",
    "RATIO_GRACE_BYTES",
    "ReadLimits",
    "allowed_root",
    "read_file",
    "read_member",
    "sha256_hex",
]
