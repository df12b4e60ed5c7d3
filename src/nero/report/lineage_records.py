"""Where a result came from: the rule, log and inputs Snakemake recorded, down to the raw files.

Snakemake keeps one JSON record per output in ``.snakemake/metadata/`` (file name: the
URL-safe base64 of the output path). :func:`lineage` reads one record; :func:`raw_inputs`
follows the inputs back, record by record, to the files under the raw-data folder. Every
path is returned relative to the working directory, so no machine path reaches the report.
"""

from __future__ import annotations

import base64
import json
import os
from functools import lru_cache
from pathlib import Path

from nero.provenance.record import library_name


def relative(path: str, workdir: str | os.PathLike) -> str:
    """``path`` relative to ``workdir`` when it lies inside it; otherwise its last three parts.

    A file of the imported library is named as in the repository (``src/nero/...``,
    :func:`nero.provenance.record.library_name`) wherever the library lies, so a build in a
    checkout and an audit's rebuild in a scratch folder name it alike.
    """
    p = Path(path)
    library = library_name(p if p.is_absolute() else Path(workdir) / p)
    if library is not None:
        return library
    if not p.is_absolute():
        return p.as_posix()
    root = Path(workdir).resolve()
    try:
        return p.resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(*p.parts[-3:]).as_posix()


def _meta_path(workdir: Path, output: str) -> Path | None:
    for name in (
        base64.urlsafe_b64encode(output.encode("utf-8")).decode("ascii"),
        base64.b64encode(output.encode("utf-8")).decode("ascii").replace("/", "_"),
    ):
        path = workdir / ".snakemake" / "metadata" / name
        if path.is_file():
            return path
    return None


def lineage(workdir: str | os.PathLike, output: str) -> dict | None:
    """The rule, log and inputs Snakemake recorded for ``output`` (run times left out), or None."""
    workdir = Path(workdir)
    meta_path = _meta_path(workdir, output)
    if meta_path is None:
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    return {
        "rule": meta.get("rule"),
        "log": [relative(p, workdir) for p in meta.get("log", [])],
        "input": [relative(p, workdir) for p in meta.get("input", [])],
    }


class Lineage:
    """Lineage lookups over one working directory, each record read once."""

    def __init__(self, workdir: str | os.PathLike, raw_dir: str = "data/raw") -> None:
        self.workdir = Path(workdir)
        self.raw_dir = raw_dir.rstrip("/") + "/"
        self._record = lru_cache(maxsize=None)(lambda output: lineage(self.workdir, output))

    def record(self, output: str) -> dict | None:
        """:func:`lineage` of ``output`` (cached)."""
        return self._record(output)

    def raw_inputs(self, output: str) -> list[str]:
        """Raw files ``output`` depends on, following recorded inputs back (sorted)."""
        seen: set[str] = set()
        raw: set[str] = set()
        stack = [output]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current.startswith(self.raw_dir):
                raw.add(current)
                continue
            info = self.record(current)
            if info is not None:
                stack.extend(info["input"])
        return sorted(raw)
