"""The searches of a review: one folder per search, an export and a ``search.yaml`` beside it.

``search.yaml`` holds ``database`` (e.g. Scopus), ``source_type`` (``database`` or
``other``: citation searching and other methods of PRISMA 2020), ``query``, ``date``
(ISO), ``hits`` (as the database reported them) and ``export`` (the file name).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from nero.slr.readers import FORMAT_NAMES, read_export

SEARCH_KEYS = ("database", "source_type", "query", "date", "hits", "export")


class SearchError(ValueError):
    """A search folder that cannot be read (names the file and the key)."""


@dataclass
class SearchSet:
    """Every search's description and every record read."""

    searches: pd.DataFrame
    records: pd.DataFrame

    def summary(self) -> str:
        return "; ".join(f"{r.search}: {r.records} records ({r.format})" for r in self.searches.itertuples())


def read_search_meta(path: Path) -> dict:
    """One ``search.yaml``, checked."""
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SearchError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(meta, dict):
        raise SearchError(f"{path}: expected a mapping with keys {', '.join(SEARCH_KEYS)}")
    missing = [k for k in SEARCH_KEYS if k not in meta]
    if missing:
        raise SearchError(f"{path}: missing key(s) {', '.join(missing)} (expected {', '.join(SEARCH_KEYS)})")
    if meta["source_type"] not in ("database", "other"):
        raise SearchError(f"{path}: key source_type: expected 'database' or 'other', found {meta['source_type']!r}")
    if not isinstance(meta["hits"], int) or meta["hits"] < 0:
        raise SearchError(f"{path}: key hits: expected a non-negative integer, found {meta['hits']!r}")
    return meta


def read_searches(root: str | Path) -> SearchSet:
    """Read every ``root/<search>/search.yaml`` and its export (searches in folder-name order)."""
    root = Path(root)
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    if not folders:
        raise SearchError(f"{root}: no search folders (expected {root}/<search>/search.yaml and the export)")
    rows, frames = [], []
    for folder in folders:
        meta_path = folder / "search.yaml"
        if not meta_path.is_file():
            raise SearchError(f"{folder}: no search.yaml (database, source_type, query, date, hits, export)")
        meta = read_search_meta(meta_path)
        export = folder / str(meta["export"])
        if not export.is_file():
            raise SearchError(f"{meta_path}: key export: file {export.name!r} not found in {folder}")
        fmt, records = read_export(export)
        records.insert(0, "search", folder.name)
        records.insert(1, "database", str(meta["database"]))
        records.insert(2, "source_type", meta["source_type"])
        frames.append(records)
        rows.append(
            {
                "search": folder.name,
                "database": meta["database"],
                "source_type": meta["source_type"],
                "date": str(meta["date"]),
                "query": meta["query"],
                "file": export.name,
                "format": FORMAT_NAMES[fmt],
                "hits_reported": meta["hits"],
                "records": len(records),
                "with_doi": int((records["doi"].str.strip() != "").sum()),
                "matches_reported": len(records) == meta["hits"],
            }
        )
    return SearchSet(searches=pd.DataFrame(rows), records=pd.concat(frames, ignore_index=True))


def load_table(path: str | Path) -> pd.DataFrame:
    """A record table written by this package (text columns as text, ``year``/``record`` as integers)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("record", "line", "n_records"):
        if col in frame.columns:
            frame[col] = frame[col].astype("int64")
    if "year" in frame.columns:  # empty: a record kept with an unknown year
        frame["year"] = pd.to_numeric(frame["year"].replace("", None)).astype("Int64")
    return frame
