"""The raw-data manifest (``MANIFEST.sha256``, in ``sha256sum`` format).

Every file under the raw-data folder except the manifest itself is listed as
``<sha256>  <path relative to the folder>``, sorted by path, so that
``sha256sum -c MANIFEST.sha256`` run inside the folder checks it too.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from nero.outputs import atomic_write_text

MANIFEST_NAME = "MANIFEST.sha256"
_CHUNK = 1 << 20


class RawDataChanged(RuntimeError):
    """The raw data no longer match their manifest."""


def sha256_file(path: str | os.PathLike) -> str:
    """Return the hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _listed_files(raw_dir: Path) -> list[str]:
    files = []
    for path in raw_dir.rglob("*"):
        if path.is_file() and path.name != MANIFEST_NAME:
            files.append(path.relative_to(raw_dir).as_posix())
    return sorted(files)


def manifest_text(raw_dir: str | os.PathLike) -> str:
    """Return the manifest text for every file under ``raw_dir`` (sorted by path)."""
    raw_dir = Path(raw_dir)
    lines = [f"{sha256_file(raw_dir / rel)}  {rel}\n" for rel in _listed_files(raw_dir)]
    return "".join(lines)


def write_manifest(raw_dir: str | os.PathLike) -> Path:
    """Write ``raw_dir/MANIFEST.sha256`` atomically and return its path.

    Only the generator of a raw-data folder (or a person replacing the raw data)
    calls this; the pipeline itself never writes under the raw folder.
    """
    raw_dir = Path(raw_dir)
    target = raw_dir / MANIFEST_NAME
    text = manifest_text(raw_dir)
    return atomic_write_text(target, text)


def read_manifest(manifest: str | os.PathLike) -> dict[str, str]:
    """Parse a ``sha256sum``-format manifest into ``{relative path: sha256}``.

    Raises
    ------
    ValueError
        If a line is not ``<64 hex digits>  <path>``; the message names the file and line.
    """
    manifest = Path(manifest)
    entries: dict[str, str] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, rel = line.partition("  ")
        if not sep:
            digest, sep, rel = line.partition(" *")  # binary-mode marker of sha256sum
        digest = digest.strip().lower()
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not rel:
            raise ValueError(f"{manifest}, line {number}: expected '<sha256 hex>  <relative path>', got {line!r}")
        if rel in entries:
            raise ValueError(f"{manifest}, line {number}: path {rel!r} is listed twice")
        entries[rel] = digest
    return entries


@dataclass
class ManifestCheck:
    """Outcome of comparing a raw-data folder with its manifest."""

    raw_dir: str
    checked: dict[str, str] = field(default_factory=dict)
    #: The folder holding the manifest (the one to pass to ``nero provenance manifest``).
    manifest_dir: str | None = None
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra)

    def summary(self) -> str:
        if self.ok:
            return f"{self.raw_dir}: all {len(self.checked)} files match {MANIFEST_NAME}"
        lines = [f"{self.raw_dir}: the raw data do not match {MANIFEST_NAME}"]
        for label, names in (
            ("changed", self.changed),
            ("missing", self.missing),
            ("extra (not in the manifest)", self.extra),
        ):
            for name in names:
                lines.append(f"  {label}: {name}")
        lines.append(
            "Raw data are read-only. Restore the files, or, if the raw data were replaced on "
            "purpose (a new survey wave, the real study's files), regenerate the manifest of the whole raw-data "
            "folder with `nero provenance manifest " + (self.manifest_dir or self.raw_dir) + "`."
        )
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "raw_dir": self.raw_dir,
            "ok": self.ok,
            "files": self.checked,
            "changed": self.changed,
            "missing": self.missing,
            "extra": self.extra,
        }


def verify_manifest(
    raw_dir: str | os.PathLike, manifest: str | os.PathLike | None = None, part: str | None = None
) -> ManifestCheck:
    """Compare every file under ``raw_dir`` (or its sub-folder ``part``) with the manifest.

    Parameters
    ----------
    raw_dir
        The raw-data folder.
    manifest
        The manifest file; default ``raw_dir/MANIFEST.sha256``.
    part
        Check only the files under this sub-folder (e.g. ``"survey"``), and only the
        manifest entries under it.

    Returns
    -------
    ManifestCheck
        Lists of changed, missing and extra files (``.ok`` is true when all are empty).
    """
    raw_dir = Path(raw_dir)
    manifest = Path(manifest) if manifest is not None else raw_dir / MANIFEST_NAME
    if not manifest.is_file():
        raise FileNotFoundError(f"{manifest}: the raw-data manifest is missing (expected sha256sum format)")
    expected = read_manifest(manifest)
    present = _listed_files(raw_dir)
    if part is not None:
        prefix = part.strip("/") + "/"
        expected = {rel: digest for rel, digest in expected.items() if rel.startswith(prefix)}
        present = [rel for rel in present if rel.startswith(prefix)]
    check = ManifestCheck(
        raw_dir=str(raw_dir) if part is None else f"{raw_dir}/{part}", manifest_dir=str(manifest.parent)
    )
    for rel in present:
        digest = sha256_file(raw_dir / rel)
        if rel not in expected:
            check.extra.append(rel)
            continue
        check.checked[rel] = digest
        if digest != expected[rel]:
            check.changed.append(rel)
    check.missing = sorted(set(expected) - set(present))
    return check
