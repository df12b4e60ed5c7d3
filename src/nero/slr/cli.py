"""``nero slr``: read a bibliographic database export (Scopus CSV, Web of Science, RIS, BibTeX)."""

from __future__ import annotations

import argparse

from nero.cli import UserError, add_json_flag, emit

RECORD_FIELDS = ["authors", "title", "year", "source", "doi", "author_keywords", "accession"]


def _read(args: argparse.Namespace) -> int:
    from nero.slr.readers import FORMAT_NAMES, ExportFormatError, read_export

    try:
        fmt, records = read_export(args.export, args.format)
    except (ExportFormatError, FileNotFoundError, IsADirectoryError) as exc:
        raise UserError(str(exc)) from exc
    with_doi = int((records["doi"].str.strip() != "").sum())
    rows = []
    for rec in records[RECORD_FIELDS].to_dict("records"):
        rec["authors"] = [a.strip() for a in rec["authors"].split(";") if a.strip()]
        rec["keywords"] = [k.strip() for k in rec.pop("author_keywords").split(";") if k.strip()]
        rec["year"] = int(rec["year"])
        rows.append(rec)
    payload = {"file": str(args.export), "format": fmt, "format_name": FORMAT_NAMES[fmt], "n_records": len(records),
               "n_with_doi": with_doi, "records": rows}
    text = f"{args.export}: {FORMAT_NAMES[fmt]}, {len(records)} records, {with_doi} with a DOI"
    emit(payload, args.json, text)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero slr read EXPORT``."""
    parser = subparsers.add_parser(
        "slr", help="Stage 0: the systematic literature review",
        description="Stage 0 (systematic literature review): read database exports.",
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(metavar="ACTION")
    read = sub.add_parser(
        "read", help="read one database export and print its records",
        description="Read EXPORT (Scopus CSV, Web of Science plain text or tab-delimited savedrecs.txt, RIS or "
        "BibTeX; the format is detected from the content) and print the detected format, the number of "
        "records, how many carry a DOI and, with --json, every record (authors, title, year, source, DOI, "
        "keywords, accession). A malformed export exits 2 naming the file, line, record and field.",
    )
    read.add_argument("export", help="the export file")
    read.add_argument("--format", default=None, choices=["scopus_csv", "wos_plain", "wos_tab", "ris", "bibtex"],
                      help="skip detection and read as this format")
    add_json_flag(read)
    read.set_defaults(func=_read)
