"""Reading a coded-segments CSV: one row per coded text segment.

Columns (header names are matched case-insensitively; spaces and underscores are
interchangeable): ``document``, ``coder``, ``code_path`` (or ``code``), ``start``,
``end``, ``text``. Optional: ``case``. The separator (``,``, ``;`` or tab) is sniffed from
the header; other header names are mapped with ``columns`` (``{"start": "Pos0"}``), and
every missing column is named at once. The coded-segment exports of QDA tools are
recognised by their headers (:data:`TOOL_EXPORTS`): ATLAS.ti's Quotation Manager export,
MAXQDA's "Coded Segments" export and QualCoder's coding report carry no character offsets
(a paragraph ``¶ 12``, paragraph numbers in ``Beginning``/``End``, a coding number
``ctid:N``) and are refused with that reason and the REFI-QDA route (``.qdpx``), which
carries documents, coders, codes and offsets. QualCoder's own table of codings (its SQL
report of ``code_text``: ``owner``, ``pos0``, ``pos1``, ``seltext`` with the file and code
names) is read under those names.

When the transcripts are at hand (``transcripts_dir``, by default a ``transcripts/``
folder beside the CSV), each document is matched to its transcript (``<document>`` or
``<document>.txt``, any case) and the offsets are verified against the text: the unit
(:mod:`nero.qual.offsets`) under which most segments reproduce their ``text`` column is
used, and the segments are re-cut from the transcript so that ``text`` is exactly
``transcript[start:end]``. Without transcripts the offsets are taken as code points and
the ``text`` column as given.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from nero.qual.offsets import UNIT_NAMES, UNIT_ORDER, OffsetMap
from nero.qual.project import CODEBOOK_COLUMNS, SELECTION_COLUMNS, Case, QdaImportError, QdaProject, Source
from nero.qual.qdaxml import decode_text
from nero.qual.qdpx_selections import sort_selections
from nero.untrusted import InputLimitError, read_file

#: Accepted header names for each column (after :func:`_key`: lower case, ``_`` for spaces).
COLUMN_ALIASES = {
    "document": ("document", "source", "doc", "file", "transcript", "document_name", "filename", "file_name"),
    "coder": ("coder", "user", "coded_by", "owner", "created_by"),
    "code_path": ("code_path", "code", "codepath", "codename", "code_name"),
    "start": ("start", "start_position", "startposition", "pos0"),
    "end": ("end", "end_position", "endposition", "pos1"),
    "text": ("text", "segment", "quote", "coded_text", "seltext"),
}
#: QDA tools' coded-segment exports, recognised by header names (after :func:`_key`; any one set of
#: names, all present): what each lacks for the analysis, and why.
TOOL_EXPORTS = {
    "ATLAS.ti Quotation Manager export": (
        [{"quotation_content"}, {"quotation_name"}],
        "it has no character offsets (its 'Reference' gives paragraphs, \u00b6 12, not start and end positions), "
        "so segments cannot be cut from the transcripts or compared between coders",
    ),
    "MAXQDA Coded Segments export": (
        [{"beginning", "document_name"}],
        "its 'Beginning' and 'End' are paragraph numbers, not character offsets, so segments cannot be cut from "
        "the transcripts or compared between coders",
    ),
    "QualCoder coding report (CSV)": (
        [{"coded", "codename", "coded_memo"}],
        "it has no character offsets (its 'Id' is QualCoder's coding number, ctid:N), so segments cannot be cut "
        "from the transcripts or compared between coders",
    ),
}
REFI_ROUTE = (
    "export the project as REFI-QDA instead (ATLAS.ti, MAXQDA and QualCoder each have a REFI-QDA project "
    "export, a .qdpx file; QualCoder: 'REFI-QDA Project export') and read the .qdpx file, which carries "
    "documents, coders, codes and character offsets"
)


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")


def _codebook_from_paths(paths: list[str]) -> pd.DataFrame:
    rows, seen = [], set()
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            sub = "/".join(parts[:depth])
            if sub in seen:
                continue
            seen.add(sub)
            rows.append(
                {
                    "code_path": sub,
                    "name": parts[depth - 1],
                    "parent": "/".join(parts[: depth - 1]),
                    "depth": depth,
                    "is_codable": True,
                    "color": "",
                    "description": "",
                    "guid": "",
                }
            )
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def read_coded_segments(
    path: str | Path, transcripts_dir: str | Path | None = None, columns: dict[str, str] | None = None
) -> QdaProject:
    """Read a coded-segments CSV into a :class:`~nero.qual.refiqda.QdaProject`.

    Parameters
    ----------
    path
        The CSV file (UTF-8, BOM optional).
    transcripts_dir
        Folder of the transcripts; default: ``transcripts/`` beside the CSV, if present.
    columns
        Column -> header name of this file, for headers :data:`COLUMN_ALIASES` does not know
        (e.g. ``{"coder": "Created by"}``).

    Raises
    ------
    QdaImportError
        On a missing column, a row whose offsets are not whole numbers or do not make a
        selection, or an offset past the end of its transcript (the message names the
        file, the line and the column).
    """
    path = Path(path)
    label = path.name
    rows = _read_rows(path, label)
    records = _parse_records(rows, label, columns or {})
    warnings: list[str] = []
    documents = list(dict.fromkeys(r["document"] for r in records))
    texts = _load_transcripts(path, transcripts_dir, documents, label, warnings)
    unit, check = _choose_unit(records, texts, label, warnings)
    selections = _selections(records, texts, unit, label)
    codebook = _codebook_from_paths(list(dict.fromkeys(r["code_path"] for r in records)))
    coders = sorted({r["coder"] for r in records})
    return QdaProject(
        path=path,
        name=path.stem,
        origin="coded-segments CSV",
        sources=_sources(documents, texts),
        codes={p: p for p in codebook["code_path"]},
        codebook=codebook,
        users={c: c for c in coders},
        cases=_cases(records),
        sets={},
        selections=selections,
        offset_unit=unit,
        offset_check=check,
        warnings=warnings,
        file_format="coded-segments CSV",
    )


def _bounded_read(path: Path, label: str) -> bytes:
    """The file's bytes within :attr:`nero.untrusted.ReadLimits.file_bytes`; a larger file is refused
    (:class:`QdaImportError` naming the file, its size and the limit) before it is read whole."""
    try:
        return read_file(path, label=label)
    except InputLimitError as exc:
        raise QdaImportError(str(exc)) from None


def _read_rows(path: Path, label: str) -> list[list[str]]:
    """The CSV's rows (header first); refuses a missing, unreadable or empty file."""
    if not path.is_file():
        raise QdaImportError(f"{label}: no such file ({path})")
    text = decode_text(_bounded_read(path, label), label)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))  # ATLAS.ti writes ';', some tools tabs
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise QdaImportError(f"{label}: not a readable CSV file: {exc}") from None
    if not rows:
        raise QdaImportError(f"{label}: empty file (expected a header: document, coder, code_path, start, end, text)")
    return rows


def _column_index(names: list[str], header: list[str], label: str, columns: dict[str, str]) -> dict[str, int]:
    """Column -> position of its header name (``columns``, else the first accepted alias).

    Refuses a header without one, naming every missing column at once; a QDA tool's export
    that cannot carry a column (:data:`TOOL_EXPORTS`) is named with the reason and the REFI-QDA route.
    """
    unknown = sorted(set(columns) - set(COLUMN_ALIASES))
    if unknown:
        raise QdaImportError(
            f"{label}: columns option: unknown column(s) {', '.join(unknown)} (expected {', '.join(COLUMN_ALIASES)})"
        )
    index: dict[str, int] = {}
    missing = []
    for column, aliases in COLUMN_ALIASES.items():
        wanted = (_key(columns[column]),) if column in columns else aliases
        found = [i for i, h in enumerate(header) if h in wanted]
        if found:
            index[column] = found[0]
        else:
            missing.append((column, wanted))
    for tool, (marks, reason) in TOOL_EXPORTS.items():
        if any(m <= set(header) for m in marks) and not (set(columns) >= {"start", "end"}):
            raise QdaImportError(
                f"{label}: this is an {tool} (columns {', '.join(names[:6])}, ...): {reason}; {REFI_ROUTE}"
            )
    if missing:
        detail = "; ".join(f"{column!r} (accepted names: {', '.join(wanted)})" for column, wanted in missing)
        raise QdaImportError(
            f"{label}: header: no {', '.join(repr(c) for c, _ in missing)} column{'s' if len(missing) > 1 else ''}: {detail}; "
            f"found: {', '.join(names)}. Map other names with the columns option (e.g. --column start=Pos0)"
            + (
                ""
                if {"start", "end"} - {c for c, _ in missing}
                else f"; a file without character offsets cannot be read as coded segments: {REFI_ROUTE}"
            )
        )
    return index


def _parse_records(rows: list[list[str]], label: str, columns: dict[str, str]) -> list[dict]:
    """One record per non-blank data row: whole-number offsets, stripped names, its case and line."""
    header = [_key(h) for h in rows[0]]
    index = _column_index(rows[0], header, label, columns)
    case_col = header.index("case") if "case" in header else None
    records = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise QdaImportError(f"{label}: line {line_no}: {len(row)} fields, the header has {len(header)}")
        records.append(_parse_record(row, line_no, index, case_col, label))
    return records


def _parse_record(row: list[str], line_no: int, index: dict[str, int], case_col: int | None, label: str) -> dict:
    """One data row as a record; refuses offsets that are not whole numbers or no selection, and empty names."""
    record = {column: row[i] for column, i in index.items()}
    for column in ("start", "end"):
        try:
            record[column] = int(record[column].strip())
        except ValueError:
            raise QdaImportError(
                f"{label}: line {line_no}: column {column!r}: {row[index[column]]!r} is not a whole number"
            ) from None
    if record["start"] < 0 or record["end"] <= record["start"]:
        raise QdaImportError(
            f"{label}: line {line_no}: start {record['start']} and end {record['end']} do not make a selection"
        )
    for column in ("document", "coder", "code_path"):
        record[column] = record[column].strip()
        if not record[column]:
            raise QdaImportError(f"{label}: line {line_no}: column {column!r} is empty")
    record["code_path"] = "/".join(part.strip() for part in record["code_path"].replace("\\", "/").split("/"))
    record["case"] = row[case_col].strip() if case_col is not None and row[case_col].strip() else record["document"]
    record["line"] = line_no
    return record


def _load_transcripts(
    path: Path, transcripts_dir: str | Path | None, documents: list[str], label: str, warnings: list[str]
) -> dict[str, tuple[str, str]]:
    """Document -> (transcript text, file) for the documents whose transcript is found.

    A missing transcript, or no folder at the default place, is a warning (the offsets
    are then not verified); a ``transcripts_dir`` that does not exist is an error.
    """
    folder = Path(transcripts_dir) if transcripts_dir is not None else path.parent / "transcripts"
    texts: dict[str, tuple[str, str]] = {}
    if folder.is_dir():
        files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
        for document in documents:
            match = files.get(document.lower()) or files.get(f"{document.lower()}.txt")
            if match is None:
                warnings.append(
                    f"{label}: no transcript for document {document!r} in {folder}; its offsets are not verified"
                )
                continue
            texts[document] = (decode_text(_bounded_read(match, str(match)), str(match)), str(match))
    elif transcripts_dir is not None:
        raise QdaImportError(f"{label}: transcripts folder {folder} does not exist")
    else:
        warnings.append(f"{label}: no transcripts folder beside the file; offsets taken as code points, unverified")
    return texts


def _sources(documents: list[str], texts: dict[str, tuple[str, str]]) -> dict[str, Source]:
    """One source per document: its transcript, or empty text at ``(no transcript)``."""
    sources: dict[str, Source] = {}
    for document in documents:
        if document in texts:
            body, location = texts[document]
        else:
            body, location = "", "(no transcript)"
        sources[document] = Source(guid=document, name=document, text=body, location=location)
    return sources


def _selections(records: list[dict], texts: dict[str, tuple[str, str]], unit: str, label: str) -> pd.DataFrame:
    """The selections table: offsets in code points, text re-cut from the transcript where there is one."""
    out = []
    maps = {d: OffsetMap(texts[d][0], unit) for d in texts}
    for record in records:
        document = record["document"]
        start, end, segment = record["start"], record["end"], record["text"]
        if document in maps:
            start_i, end_i = _to_index(maps[document], record, unit, label)
            segment = texts[document][0][start_i:end_i]
        else:
            start_i, end_i = start, end
        out.append(
            {
                "selection": f"line-{record['line']}",
                "source": document,
                "source_guid": document,
                "case": record["case"],
                "code_path": record["code_path"],
                "code_guid": record["code_path"],
                "coder": record["coder"],
                "start": start_i,
                "end": end_i,
                "raw_start": start,
                "raw_end": end,
                "text": segment,
            }
        )
    return sort_selections(pd.DataFrame(out, columns=SELECTION_COLUMNS))


def _to_index(offsets: OffsetMap, record: dict, unit: str, label: str) -> tuple[int, int]:
    """A record's start and end as code-point indices; refuses an offset past the end or inside a character."""
    start, end = record["start"], record["end"]
    idx, ok = offsets.to_index(np.array([start, end]))
    if not ok.all():
        length = offsets.length
        which, value = ("start", start) if not ok[0] else ("end", end)
        raise QdaImportError(
            f"{label}: line {record['line']}: column {which!r}: {value} is past the end of the transcript "
            f"of {record['document']!r} ({length} {UNIT_NAMES[unit]})"
            if value > length
            else f"{label}: line {record['line']}: column {which!r}: {value} falls inside a character"
        )
    return int(idx[0]), int(idx[1])


def _cases(records: list[dict]) -> dict[str, Case]:
    """Case -> its documents, in the order they first appear."""
    cases: dict[str, Case] = {}
    for record in records:
        case = cases.setdefault(record["case"], Case(guid=record["case"], name=record["case"]))
        if record["document"] not in case.sources:
            case.sources.append(record["document"])
    return cases


def _choose_unit(
    records: list[dict], texts: dict[str, tuple[str, str]], label: str, warnings: list[str]
) -> tuple[str, dict]:
    """The offset unit under which most segments reproduce their ``text`` column."""
    checked = [r for r in records if r["document"] in texts]
    if not checked:
        return "codepoint", {}
    check: dict[str, dict] = {}
    best, best_hits = "codepoint", -1
    for unit in ("codepoint", *[u for u in UNIT_ORDER if u != "codepoint"]):
        hits = 0
        maps = {d: OffsetMap(texts[d][0], unit) for d in texts}
        for r in checked:
            idx, ok = maps[r["document"]].to_index(np.array([r["start"], r["end"]]))
            if ok.all() and _same(texts[r["document"]][0][idx[0] : idx[1]], r["text"]):
                hits += 1
        check[unit] = {"text_matches": hits, "segments": len(checked)}
        if hits > best_hits:
            best, best_hits = unit, hits
        if hits == len(checked):
            break
    if best_hits < len(checked):
        warnings.append(
            f"{label}: only {best_hits} of {len(checked)} segments reproduce their text column from the "
            f"transcript (best unit: {UNIT_NAMES[best]}); segments are cut from the transcripts at the given offsets"
        )
    return best, check
