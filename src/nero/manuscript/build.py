"""One numbered table from its loaded sources to its files (CSV, LaTeX, Word, and the note)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from nero.manuscript.export import table_exports
from nero.manuscript.registry import Item, build_table, fill_note


def make_table(item: Item, sources: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, bytes]:
    """The files of ``item``: ``csv``, ``tex``, ``docx``, ``json`` (label, title, note, facts)
    and, for an item with ``supplement`` columns, ``supplement`` (those columns of its first
    source, unrounded: the detail the printed table leaves out).

    A column that is empty in every row (a note column with no notes in this study) is not
    printed; the JSON lists it under ``dropped_empty``.

    Parameters
    ----------
    item
        A resolved (numbered) table item.
    sources
        Its sources by results path: DataFrames for CSVs, mappings for JSON files.
    config
        ``codebook`` (the survey instrument) and ``coder`` (Study 1 primary coder).
    """
    if item.kind != "table":
        raise ValueError(f"manuscript item {item.id!r} is a {item.kind}, not a table")
    table = build_table(item, sources, config)
    note = fill_note(item, table.facts)
    rounded = table.to_frame()
    empty = [c for c in rounded.columns if (rounded[c].astype(str).str.strip() == "").all()] if len(rounded) else []
    rounded = rounded.drop(columns=empty)
    files = table_exports(rounded, item.label, item.id, item.title, note)
    meta = {
        "id": item.id,
        "label": item.label,
        "title": item.title,
        "note": note,
        "rows": len(rounded),
        "facts": {k: _plain(v) for k, v in sorted(table.facts.items())},
        "dropped_empty": empty,
    }
    files["json"] = (json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    if item.supplement:
        files["supplement"] = supplement_frame(item, sources).to_csv(index=False, lineterminator="\n").encode("utf-8")
    return files


def supplement_frame(item: Item, sources: Mapping[str, Any]) -> pd.DataFrame:
    """The columns ``item.supplement`` (``*``: all) of the item's first source, as they are."""
    frame = sources[item.source[0]]
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{item.id}: a supplement needs a table as first source, {item.source[0]} is not one")
    if "*" in item.supplement:
        return frame
    missing = [c for c in item.supplement if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{item.id}: supplement columns {missing} are not in {item.source[0]} (has {list(frame.columns)})"
        )
    return frame[list(item.supplement)]


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
