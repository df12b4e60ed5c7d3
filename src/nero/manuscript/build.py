"""One numbered table from its loaded sources to its files (CSV, LaTeX, Word, and the note)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from nero.manuscript.export import table_exports
from nero.manuscript.registry import Item, build_table, fill_note


def make_table(item: Item, sources: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, bytes]:
    """The files of ``item``: ``csv``, ``tex``, ``docx`` and ``json`` (label, title, note, facts).

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
    files = table_exports(rounded, item.label, item.id, item.title, note)
    meta = {"id": item.id, "label": item.label, "title": item.title, "note": note, "rows": len(rounded),
            "facts": {k: _plain(v) for k, v in sorted(table.facts.items())}}
    files["json"] = (json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    return files


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
