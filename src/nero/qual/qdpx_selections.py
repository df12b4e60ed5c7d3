"""From selections as written to the selections table: offset unit, ``str`` indices, cases, order.

Selection offsets are counted in the unit the producer uses (see :mod:`nero.qual.offsets`):
the unit is presumed from ``Project/@origin`` and then verified; if most decoded
selections do not start and end on word boundaries (:data:`~nero.qual.project.BOUNDARY_MAJORITY`),
the other units are tried and the one that fits best is used, with a warning giving the
figures. Each selection then gets its case (a ``SelectionRef`` of a case, else the case of
its source, else the source's name) and the table is sorted by :func:`sort_selections`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nero.qual.offsets import UNIT_NAMES, UNIT_ORDER, OffsetMap, on_word_boundary, unit_for_origin, word_characters
from nero.qual.project import BOUNDARY_MAJORITY, SELECTION_COLUMNS, Case, QdaImportError
from nero.qual.qdpx_archive import ReadState


@dataclass
class RawSelection:
    """One coding of a selection, its offsets as written (``whole_source``: the coding covers the whole text)."""

    guid: str
    label: str
    source_guid: str
    raw_start: int
    raw_end: int
    code_guid: str
    coder: str
    whole_source: bool = False


def _failed_offset(sel: RawSelection, start_ok: bool, omap: OffsetMap, unit: str) -> str:
    """Why ``sel`` cannot be decoded in ``unit``: an offset past the end, or inside a character."""
    which, value = ("startPosition", sel.raw_start) if not start_ok else ("endPosition", sel.raw_end)
    if value > omap.length:
        return f"{which} {value} is past the end of the source text ({omap.length} {UNIT_NAMES[unit]})"
    return f"{which} {value} falls inside a character (counting {UNIT_NAMES[unit]})"


def try_unit(state: ReadState, raw: list[RawSelection], unit: str) -> dict[str, Any]:
    """Decode every selection in ``unit``: ``str`` indices and word-boundary hits, or the first failure.

    Returns
    -------
    dict
        ``{"ok": True, "starts", "ends", "hits", "total"}`` or ``{"ok": False, "selection", "reason"}``.
    """
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, sel in enumerate(raw):
        if not sel.whole_source:
            by_source[sel.source_guid].append(i)
    starts = np.zeros(len(raw), dtype=np.int64)
    ends = np.zeros(len(raw), dtype=np.int64)
    hits = total = 0
    for guid, rows in by_source.items():
        text = state.sources[guid].text
        omap = OffsetMap(text, unit)
        idx = np.array(rows)
        raw_s = np.array([raw[i].raw_start for i in rows], dtype=np.int64)
        raw_e = np.array([raw[i].raw_end for i in rows], dtype=np.int64)
        s, ok_s = omap.to_index(raw_s)
        e, ok_e = omap.to_index(raw_e)
        bad = ~(ok_s & ok_e)
        if bad.any():
            k = int(np.argmax(bad))
            sel = raw[rows[k]]
            return {"ok": False, "selection": sel, "reason": _failed_offset(sel, bool(ok_s[k]), omap, unit)}
        starts[idx], ends[idx] = s, e
        words = word_characters(text)
        boundary = on_word_boundary(words, s) & on_word_boundary(words, e)
        hits += int(boundary.sum())
        total += len(rows)
    return {"ok": True, "starts": starts, "ends": ends, "hits": hits, "total": total}


def _boundary_share(result: dict[str, Any]) -> float:
    """Share of a unit's decoded selections on word boundaries (1 when there are none)."""
    return result["hits"] / result["total"] if result["total"] else 1.0


def choose_unit(state: ReadState, raw: list[RawSelection], origin: str | None) -> tuple[str, dict[str, dict[str, Any]]]:
    """The offset unit to read ``raw`` in, and the :func:`try_unit` result of every unit tried.

    The unit implied by ``origin`` is kept if it decodes every selection and most land on
    word boundaries; otherwise every unit is tried, the best fitting one is chosen and a
    warning gives the figures.

    Raises
    ------
    QdaImportError
        If no unit decodes every selection (the message is the presumed unit's first failure).
    """
    presumed = unit_for_origin(origin)
    order = [presumed] + [u for u in UNIT_ORDER if u != presumed]
    results = {presumed: try_unit(state, raw, presumed)}
    first = results[presumed]
    if first["ok"] and _boundary_share(first) >= BOUNDARY_MAJORITY:
        return presumed, results
    for unit in order[1:]:
        results[unit] = try_unit(state, raw, unit)
    fitting = [u for u in order if results[u]["ok"]]
    if not fitting:
        sel = first["selection"]
        raise QdaImportError(f"{state.label}: project.qde: {sel.label}: {first['reason']}")
    chosen = max(fitting, key=lambda u: (_boundary_share(results[u]), -order.index(u)))
    figures = "; ".join(
        f"{UNIT_NAMES[u]}: {results[u]['hits']}/{results[u]['total']} on word boundaries"
        if results[u]["ok"]
        else f"{UNIT_NAMES[u]}: {results[u]['reason']}"
        for u in order
    )
    state.warn(
        f"Project/@origin {origin!r} implies offsets in {UNIT_NAMES[presumed]}, but most selections "
        f"then do not start and end on word boundaries ({figures}); "
        f"offsets are read as {UNIT_NAMES[chosen]}"
    )
    return chosen, results


def selection_frame(state: ReadState, raw: list[RawSelection], unit: str, result: dict[str, Any]) -> pd.DataFrame:
    """The selections table (:data:`~nero.qual.project.SELECTION_COLUMNS`, ``case`` still empty).

    Whole-source codings span the whole text; empty selections are dropped with a warning.
    """
    rows = []
    for i, sel in enumerate(raw):
        source = state.sources[sel.source_guid]
        if sel.whole_source:
            start, end, raw_start, raw_end = 0, len(source.text), 0, OffsetMap(source.text, unit).length
        else:
            start, end = int(result["starts"][i]), int(result["ends"][i])
            raw_start, raw_end = sel.raw_start, sel.raw_end
        if end == start:
            state.warn(f"{sel.label}: an empty selection is ignored")
            continue
        rows.append(
            {
                "selection": sel.guid,
                "source": source.name,
                "source_guid": source.guid,
                "case": "",
                "code_path": state.codes[sel.code_guid],
                "code_guid": sel.code_guid,
                "coder": sel.coder,
                "start": start,
                "end": end,
                "raw_start": raw_start,
                "raw_end": raw_end,
                "text": source.text[start:end],
            }
        )
    return pd.DataFrame(rows, columns=SELECTION_COLUMNS)


def resolve_offsets(
    state: ReadState, raw: list[RawSelection], origin: str | None
) -> tuple[str, dict[str, dict[str, Any]], pd.DataFrame]:
    """The offset unit chosen, the check of every unit tried, and the selections table in ``str`` indices."""
    chosen, results = choose_unit(state, raw, origin)
    check = {
        u: ({"on_word_boundaries": r["hits"], "selections": r["total"]} if r["ok"] else {"error": r["reason"]})
        for u, r in results.items()
    }
    return chosen, check, selection_frame(state, raw, chosen, results[chosen])


def attach_cases(
    state: ReadState, frame: pd.DataFrame, cases: dict[str, Case], selection_case: dict[str, str]
) -> pd.DataFrame:
    """Fill the ``case`` column (selection's case, else its source's case, else the source name) and sort.

    A source in several cases counts for the first, with a warning.
    """
    case_of: dict[str, str] = {}
    for case in cases.values():
        for guid in case.sources:
            if guid in case_of and case_of[guid] != case.name:
                state.warn(
                    f"source {state.sources[guid].name!r} belongs to several cases; "
                    f"its codings count for {case_of[guid]!r}"
                )
                continue
            case_of[guid] = case.name
    frame = frame.copy()
    frame["case"] = [
        selection_case.get(sel, case_of.get(src, state.sources[src].name))
        for sel, src in zip(frame["selection"], frame["source_guid"])
    ]
    return sort_selections(frame)


def sort_selections(frame: pd.DataFrame) -> pd.DataFrame:
    """Selections in a fixed order: source, start, end, code path, coder."""
    frame = frame.astype({"start": "int64", "end": "int64", "raw_start": "int64", "raw_end": "int64"})
    return frame.sort_values(["source", "start", "end", "code_path", "coder"], kind="stable", ignore_index=True)
