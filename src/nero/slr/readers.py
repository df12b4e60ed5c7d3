"""Bibliographic database exports: format detection and the entry point :func:`read_export`.

Formats (``nero slr read EXPORT``; the format is detected from the content):

``scopus_csv``   Scopus CSV (:mod:`nero.slr.readers_csv`)
``wos_plain``    Web of Science plain text ``FN ...`` (also Zoological Record, CAB via WoS)
``wos_tab``      Web of Science tab-delimited ``PT<TAB>AU...``
``ris``          RIS from any database (Scopus, WoS, EBSCOhost, Lens, Dimensions, Ovid, ProQuest)
``bibtex``       BibTeX (Scopus with its ``EXPORT DATE`` preamble, WoS, ACM, Zotero)
``medline``      PubMed MEDLINE ``PMID- ...`` (``.nbib``, the "PubMed" format of PubMed's Save)
``pubmed_csv``   PubMed CSV ``PMID,Title,Authors,Citation,...``
``lens_csv``     Lens.org scholarly-works CSV ``"Lens ID","Title",...``
``openalex_csv`` OpenAlex works CSV ``id,...,display_name,doi,...``

Every reader returns the record table of :mod:`nero.slr.exports` and warns
(:class:`~nero.slr.exports.ExportWarning`) of what it repaired. A file that is none of
these is refused with what it looks like and which export to choose instead.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from nero.slr.exports import RECORD_COLUMNS, ExportFormatError, ExportWarning, decode_export
from nero.slr.readers_bibtex import read_bibtex
from nero.slr.readers_csv import read_lens_csv, read_openalex_csv, read_pubmed_csv, read_scopus_csv
from nero.slr.readers_tagged import read_medline, read_ris, read_wos_plain, read_wos_tab
from nero.untrusted import InputLimitError, ReadLimits, read_file

FORMAT_NAMES = {
    "scopus_csv": "Scopus CSV",
    "wos_plain": "Web of Science plain text",
    "wos_tab": "Web of Science tab-delimited",
    "ris": "RIS",
    "bibtex": "BibTeX",
    "medline": "PubMed MEDLINE",
    "pubmed_csv": "PubMed CSV",
    "lens_csv": "Lens CSV",
    "openalex_csv": "OpenAlex CSV",
}
FORMATS = tuple(FORMAT_NAMES)
READERS = {
    "scopus_csv": read_scopus_csv,
    "wos_plain": read_wos_plain,
    "wos_tab": read_wos_tab,
    "ris": read_ris,
    "bibtex": read_bibtex,
    "medline": read_medline,
    "pubmed_csv": read_pubmed_csv,
    "lens_csv": read_lens_csv,
    "openalex_csv": read_openalex_csv,
}
SUPPORTED = (
    "a Scopus CSV, Web of Science plain text or tab-delimited, RIS (any database), BibTeX, PubMed "
    "(MEDLINE .nbib or CSV), Lens CSV or OpenAlex CSV"
)
ENTRY = re.compile(
    r"^\s*@\s*(article|book|booklet|conference|inbook|incollection|inproceedings|manual|mastersthesis|"
    r"misc|phdthesis|proceedings|techreport|unpublished|online|report|thesis|dataset|software|\w+)\s*[{(]",
    re.I,
)


#: Binary files people export by mistake, by their first bytes.
BINARY_KINDS = (
    (b"PK\x03\x04", "a zip archive or an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook (or another Office file)"),
    (b"%PDF", "a PDF file"),
)


def _csv_header(first: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(first)))
    except (csv.Error, StopIteration):
        return []


def detect_format(text: str, file="<text>") -> str:
    """The export format of ``text`` (one of :data:`FORMATS`), from its first lines.

    Raises
    ------
    ExportFormatError
        For anything else, saying what the file looks like and which export to choose instead.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    first = lines[0] if lines else ""
    if re.match(r"^FN\s", first):
        return "wos_plain"
    if re.match(r"^PT\t", first):
        return "wos_tab"
    if re.match(r"^TY  -", first) or (
        re.fullmatch(r"\s*\d+\.\s*", first) and len(lines) > 1 and lines[1].startswith("TY  -")
    ):
        return "ris"
    if re.match(r"^PMID- ", first):
        return "medline"
    # BibTeX: the first entry within the first lines; Scopus writes "Scopus" / "EXPORT DATE: ..." above it
    head = lines[:10]
    if any(ENTRY.match(line) for line in head) and not any(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in head):
        return "bibtex"
    header = _csv_header(first)
    body = "\n".join(lines[:5])
    if (
        ("scopus.com" in body or "2-s2.0-" in body)
        and "Title" not in header
        and "Authors" not in header
        and "\t" not in first
    ):
        raise ExportFormatError(file, unsupported(lines, header), line=1)
    if first.startswith('"Authors"') or first.startswith("Authors,") or ("EID" in header and "Title" in header):
        return "scopus_csv"
    if "Lens ID" in header:
        return "lens_csv"
    if header[:1] == ["id"] and "display_name" in header and "publication_year" in header:
        return "openalex_csv"
    if header[:2] == ["PMID", "Title"] and "Journal/Book" in header:
        return "pubmed_csv"
    raise ExportFormatError(file, unsupported(lines, header), line=1)


def _script(text: str) -> str:
    names = [unicodedata.name(c, "") for c in text if c.isalpha()]
    if any(n.startswith(("HIRAGANA", "KATAKANA")) for n in names):
        return "Japanese"
    for prefix, language in (("CJK", "Chinese"), ("HANGUL", "Korean"), ("CYRILLIC", "Russian")):
        if any(n.startswith(prefix) for n in names):
            return language
    return ""


def unsupported(lines: list[str], header: list[str]) -> str:
    """Why a file is refused: what it looks like and which export to choose instead."""
    first = lines[0] if lines else ""
    body = "\n".join(lines[:5])
    if "scopus.com" in body or "2-s2.0-" in body:
        language = _script(first) or "a language other than English"
        return (
            f"this looks like a Scopus CSV exported from the Scopus interface in {language} (header "
            f"{', '.join(header[:4])}, ...); the column names follow the interface language and only the English ones "
            "are read: switch Scopus to English (the language menu at the foot of the page) and export the CSV again"
        )
    if "Dimensions" in first or ("Publication ID" in header and "Dimensions URL" in body):
        return (
            "this looks like a Dimensions CSV (its header 'Publication ID', 'DOI', ..., 'Dimensions URL'), which is not "
            f"read here; export from Dimensions to a citation manager as RIS instead; supported: {SUPPORTED}"
        )
    if first.lstrip().startswith(("{", "[")):
        return (
            "this looks like JSON (an API response or a JSON export); export the records as RIS or CSV from the "
            f"database instead; supported: {SUPPORTED}"
        )
    if first.lstrip().startswith("<"):
        return (
            "this looks like XML (EndNote XML, PubMed XML or an RSS feed); export the records as RIS (EndNote: File > "
            f"Export with the output style 'RefMan (RIS) Export'; PubMed: Save > Format 'PubMed') instead; "
            f"supported: {SUPPORTED}"
        )
    if re.match(r"^%[0A-Z] ", first):
        return f"this looks like EndNote/Refer tagged text ('%A', '%T'); export as RIS instead; supported: {SUPPORTED}"
    if re.match(r"^[A-Z][A-Z0-9]{1,3} *- ", first):
        return (
            f"this looks like a tagged export but not RIS ('TY  - ' first) or MEDLINE ('PMID- ' first): first line "
            f"{first[:40]!r}; export as RIS instead; supported: {SUPPORTED}"
        )
    if len(header) > 2:
        return (
            f"this looks like a CSV with the columns {', '.join(header[:6])}{', ...' if len(header) > 6 else ''}, "
            "which is not an export layout read here; export from the database as RIS, or as a Scopus, Lens, OpenAlex "
            f"or PubMed CSV with its original header; supported: {SUPPORTED}"
        )
    return f"unknown export format; expected {SUPPORTED}; the first line is {first[:60]!r}"


def read_export(path: str | Path, fmt: str | None = None, limits: ReadLimits | None = None) -> tuple[str, pd.DataFrame]:
    """Read one export file: ``(format, records)``; the format is detected unless given.

    The file is read within ``limits.file_bytes`` (default 200 MiB,
    :class:`nero.untrusted.ReadLimits`); a larger one is refused naming the file, its size
    and the limit.
    """
    path = Path(path)
    try:
        data = read_file(path, limits)
    except InputLimitError as exc:
        raise ExportFormatError(path, "the file " + str(exc).removeprefix(f"{path} ")) from None
    for magic, what in BINARY_KINDS:
        if data.startswith(magic):
            raise ExportFormatError(
                path,
                f"this looks like {what}, not a text export; export the records from the database "
                f"as RIS, BibTeX or CSV (Web of Science: plain text or tab-delimited) instead; "
                f"supported: {SUPPORTED}",
            )
    text = decode_export(data, path)
    if not text.strip():
        raise ExportFormatError(path, "the file is empty")
    fmt = fmt or detect_format(text, path)
    if fmt not in READERS:
        raise ExportFormatError(path, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt, READERS[fmt](text, path)


__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "READERS",
    "RECORD_COLUMNS",
    "ExportFormatError",
    "ExportWarning",
    "detect_format",
    "read_export",
]
