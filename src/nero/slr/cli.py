"""``nero slr``: read a bibliographic database export (Scopus CSV, Web of Science, RIS, BibTeX, PubMed, Lens, OpenAlex)."""

from __future__ import annotations

import argparse
import sys
import warnings

from nero.console import UserError, add_json_flag, emit

RECORD_FIELDS = ["authors", "title", "year", "source", "doi", "author_keywords", "accession"]


def _read(args: argparse.Namespace) -> int:
    import pandas as pd

    from nero.slr.exports import ExportFormatError, ExportWarning
    from nero.slr.readers import FORMAT_NAMES, read_export

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportWarning)
            fmt, records = read_export(args.export, args.format)
    except (ExportFormatError, FileNotFoundError, IsADirectoryError) as exc:
        raise UserError(str(exc)) from exc
    notes = [str(w.message) for w in caught if issubclass(w.category, ExportWarning)]
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    with_doi = int((records["doi"].str.strip() != "").sum())
    rows = []
    for rec in records[RECORD_FIELDS].to_dict("records"):
        rec["authors"] = [a.strip() for a in rec["authors"].split(";") if a.strip()]
        rec["keywords"] = [k.strip() for k in rec.pop("author_keywords").split(";") if k.strip()]
        rec["year"] = None if pd.isna(rec["year"]) else int(rec["year"])
        rows.append(rec)
    payload = {
        "file": str(args.export),
        "format": fmt,
        "format_name": FORMAT_NAMES[fmt],
        "n_records": len(records),
        "n_with_doi": with_doi,
        "n_without_year": int(records["year"].isna().sum()),
        "warnings": notes,
        "records": rows,
    }
    no_year = payload["n_without_year"]
    text = f"{args.export}: {FORMAT_NAMES[fmt]}, {len(records)} records, {with_doi} with a DOI" + (
        f", {no_year} without a publication year" if no_year else ""
    )
    emit(payload, args.json, text)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero slr read EXPORT``."""
    parser = subparsers.add_parser(
        "slr",
        help="Stage 0: the systematic literature review",
        description="Stage 0 (systematic literature review): read database exports.",
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(metavar="ACTION")
    read = sub.add_parser(
        "read",
        help="read one database export and print its records",
        description="Read EXPORT (Scopus CSV, Web of Science plain text or tab-delimited savedrecs.txt, RIS, "
        "BibTeX, PubMed MEDLINE .nbib or CSV, Lens CSV, OpenAlex CSV; the format is detected from the content) "
        "and print the detected format, the number of records, how many carry a DOI and, with --json, every "
        "record (authors, title, year, source, DOI, keywords, accession). Repairs (records without a year kept, "
        "DOIs found in a non-standard field, renamed BibTeX keys, author placeholders removed) are printed as "
        "warnings. A malformed export exits 2 naming the file, line, record and field.",
    )
    read.add_argument("export", help="the export file")
    from nero.slr.readers import FORMATS

    read.add_argument("--format", default=None, choices=list(FORMATS), help="skip detection and read as this format")
    add_json_flag(read)
    read.set_defaults(func=_read)
