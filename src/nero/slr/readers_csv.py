"""Readers of CSV exports: Scopus, Lens.org, OpenAlex and PubMed.

Each is an ordinary CSV whose meaning sits in its column names, so each is read with the
standard ``csv`` module and mapped here by a table of column names (:data:`SCOPUS_COLUMNS`,
:data:`LENS_COLUMNS`, :data:`OPENALEX_COLUMNS`, :data:`PUBMED_COLUMNS`); no maintained
Python library reads them into records. Every missing required column is named at once.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from nero.slr.exports import (
    ExportFormatError,
    Repairs,
    clean_authors,
    first_doi,
    join,
    parse_year,
    record_frame,
    split_list,
)

#: Record column -> export column, per format (``None``: the format has no such column).
SCOPUS_COLUMNS = {
    "accession": "EID",
    "title": "Title",
    "year": "Year",
    "source": "Source title",
    "doi": "DOI",
    "author_keywords": "Author Keywords",
    "index_keywords": "Index Keywords",
    "abstract": "Abstract",
    "document_type": "Document Type",
    "language": "Language of Original Document",
    "issn": "ISSN",
    "volume": "Volume",
    "issue": "Issue",
    "cited_by": "Cited by",
}
SCOPUS_REQUIRED = ("Authors", "Title", "Year", "Source title", "DOI")
LENS_COLUMNS = {
    "accession": "Lens ID",
    "title": "Title",
    "year": "Publication Year",
    "source": "Source Title",
    "doi": "DOI",
    "author_keywords": "Keywords",
    "index_keywords": "MeSH Terms",
    "abstract": "Abstract",
    "document_type": "Publication Type",
    "language": None,
    "issn": "ISSNs",
    "volume": "Volume",
    "issue": "Issue Number",
    "cited_by": "Citing Works Count",
}
LENS_REQUIRED = ("Lens ID", "Title", "Publication Year", "Source Title", "Author/s", "DOI")
OPENALEX_COLUMNS = {
    "accession": "id",
    "title": "display_name",
    "year": "publication_year",
    "source": "primary_location.source.display_name",
    "doi": "doi",
    "author_keywords": "keywords.display_name",
    "index_keywords": "concepts.display_name",
    "abstract": "abstract",
    "document_type": "type",
    "language": "language",
    "issn": "primary_location.source.issn_l",
    "volume": "biblio.volume",
    "issue": "biblio.issue",
    "cited_by": "cited_by_count",
}
OPENALEX_REQUIRED = ("id", "display_name", "publication_year", "authorships.author.display_name", "doi")
PUBMED_COLUMNS = {
    "accession": "PMID",
    "title": "Title",
    "year": "Publication Year",
    "source": "Journal/Book",
    "doi": "DOI",
    "author_keywords": None,
    "index_keywords": None,
    "abstract": None,
    "document_type": None,
    "language": None,
    "issn": None,
    "volume": None,
    "issue": None,
    "cited_by": None,
}
PUBMED_REQUIRED = ("PMID", "Title", "Authors", "Publication Year", "Journal/Book", "DOI")


def csv_rows(text: str, file, required: tuple[str, ...], what: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and ``(line, row)`` pairs; every missing required column named at once; ragged rows refused."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise ExportFormatError(
            file, f"{what} header lacks the column(s) {', '.join(missing)}; found {header[:8]}...", line=1
        )
    rows, start = [], 2
    for k, row in enumerate(reader, start=1):
        if None in row or any(v is None for v in row.values()):
            raise ExportFormatError(
                file,
                f"expected {len(header)} fields, found a row of another length (an unclosed quote or a cut file?)",
                line=start,
                record=k,
            )
        rows.append((start, row))
        start = reader.line_num + 1
    return header, rows


def _mapped(
    row: dict, columns: dict, k: int, line: int, file, repairs: Repairs, authors: list[str], doi_column: str
) -> dict:
    def get(name):
        column = columns.get(name)
        return (row.get(column) or "").strip() if column else ""

    title = get("title")
    if not title:
        raise ExportFormatError(file, "empty title", line=line, record=k, field=columns["title"])
    return {
        "record": k,
        "line": line,
        "accession": get("accession"),
        "authors": join(clean_authors(authors, repairs)),
        "title": title,
        "year": parse_year([(columns["year"], get("year"))], file, line, k, columns["year"]),
        "source": get("source"),
        "doi": first_doi([(doi_column, get("doi"))], repairs, doi_column),
        "author_keywords": join(split_list(get("author_keywords"), "|" if "|" in get("author_keywords") else ";")),
        "index_keywords": join(split_list(get("index_keywords"), "|" if "|" in get("index_keywords") else ";")),
        "abstract": get("abstract"),
        "document_type": get("document_type"),
        "language": get("language"),
        "issn": get("issn"),
        "volume": get("volume"),
        "issue": get("issue"),
        "pages": "",
        "cited_by": get("cited_by"),
    }


# --- Scopus


def read_scopus_csv(text: str, file="<text>") -> pd.DataFrame:
    """Scopus CSV export (any column subset that keeps :data:`SCOPUS_REQUIRED`)."""
    header, rows = csv_rows(text, file, SCOPUS_REQUIRED, "Scopus CSV")
    repairs, out = Repairs(str(file)), []
    for k, (line, row) in enumerate(rows, start=1):
        full = [re.sub(r"\s*\(\d+\)\s*$", "", a) for a in split_list(row.get("Author full names", ""))]
        rec = _mapped(row, SCOPUS_COLUMNS, k, line, file, repairs, full or _scopus_authors(row["Authors"]), "DOI")
        rec["pages"] = "-".join(p for p in (row.get("Page start", "").strip(), row.get("Page end", "").strip()) if p)
        out.append(rec)
    return record_frame(out, repairs)


def _scopus_authors(text: str) -> list[str]:
    """``"Tan W.M.; Lee J."`` (current) or ``"Tan W.M., Lee J."`` (exports before 2023)."""
    if ";" in text:
        return split_list(text)
    return [p.strip() for p in re.split(r"(?<=\.),\s*", text) if p.strip()]


# --- Lens.org, OpenAlex, PubMed


def read_lens_csv(text: str, file="<text>") -> pd.DataFrame:
    """Lens.org scholarly-works CSV export (``"Lens ID","Title","Date Published",...``)."""
    _, rows = csv_rows(text, file, LENS_REQUIRED, "Lens CSV")
    repairs, out = Repairs(str(file)), []
    for k, (line, row) in enumerate(rows, start=1):
        rec = _mapped(row, LENS_COLUMNS, k, line, file, repairs, split_list(row["Author/s"]), "DOI")
        if rec["year"] is None:
            rec["year"] = parse_year(
                [("Publication Year", ""), ("Date Published", row.get("Date Published", ""))],
                file,
                line,
                k,
                "Publication Year",
            )
        rec["pages"] = "-".join(p for p in (row.get("Start Page", "").strip(), row.get("End Page", "").strip()) if p)
        out.append(rec)
    return record_frame(out, repairs)


def read_openalex_csv(text: str, file="<text>") -> pd.DataFrame:
    """OpenAlex works CSV export (``id,...,display_name,doi,...,publication_year``; lists joined with ``|``)."""
    _, rows = csv_rows(text, file, OPENALEX_REQUIRED, "OpenAlex CSV")
    repairs, out = Repairs(str(file)), []
    for k, (line, row) in enumerate(rows, start=1):
        rec = _mapped(
            row,
            OPENALEX_COLUMNS,
            k,
            line,
            file,
            repairs,
            split_list(row["authorships.author.display_name"], "|"),
            "doi",
        )
        rec["accession"] = rec["accession"].rsplit("/", 1)[-1]  # https://openalex.org/W2755950973 -> W2755950973
        first, last = (row.get("biblio.first_page") or "").strip(), (row.get("biblio.last_page") or "").strip()
        rec["pages"] = "-".join(p for p in (first, last) if p)
        out.append(rec)
    return record_frame(out, repairs)


def read_pubmed_csv(text: str, file="<text>") -> pd.DataFrame:
    """PubMed CSV export (``PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,...``).

    Its ``Authors`` column is ``Aria M, Cuccurullo C.`` (comma-separated, a full stop at the end); it has
    no keywords, abstract or document type: for those, save from PubMed in the "PubMed" (MEDLINE) format.
    """
    _, rows = csv_rows(text, file, PUBMED_REQUIRED, "PubMed CSV")
    repairs, out = Repairs(str(file)), []
    for k, (line, row) in enumerate(rows, start=1):
        authors = split_list(row["Authors"].strip().rstrip("."), ",")
        out.append(_mapped(row, PUBMED_COLUMNS, k, line, file, repairs, authors, "DOI"))
    return record_frame(out, repairs)
