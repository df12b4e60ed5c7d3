"""Writers of the bibliographic export formats the synthetic review ships.

Each writer takes a list of record dicts (one per record as the database shows it:
``accession, authors [(surname, given, author_id)], title, year, journal, abbrev,
issn, volume, issue, bp, ep, doi, abstract, author_keywords, index_keywords,
doc_type, language, cited_by, publisher, affiliations``) and returns the file text
in the database's own layout:

- Scopus CSV export (all 46 columns of the "all information" export, UTF-8 with BOM,
  every field quoted, ``; ``-separated authors and keywords);
- Web of Science "Plain text file" (``savedrecs.txt``: ``FN``/``VR`` header,
  two-letter tags, three-space continuation lines, ``ER`` and ``EF``);
- Web of Science "Tab delimited file" (the tag row, one record per line);
- RIS as Scopus writes it (``TY  - JOUR`` ... ``ER  -``);
- BibTeX as Scopus writes it (``@ARTICLE{key, ...}`` with ``author_keywords``,
  ``source = {Scopus}``).
"""

from __future__ import annotations

import csv
import io
import textwrap
import unicodedata

SCOPUS_COLUMNS = (
    "Authors",
    "Author full names",
    "Author(s) ID",
    "Title",
    "Year",
    "Source title",
    "Volume",
    "Issue",
    "Art. No.",
    "Page start",
    "Page end",
    "Page count",
    "Cited by",
    "DOI",
    "Link",
    "Affiliations",
    "Authors with affiliations",
    "Abstract",
    "Author Keywords",
    "Index Keywords",
    "Molecular Sequence Numbers",
    "Chemicals/CAS",
    "Tradenames",
    "Manufacturers",
    "Funding Details",
    "Funding Texts",
    "References",
    "Correspondence Address",
    "Editors",
    "Publisher",
    "Sponsors",
    "Conference name",
    "Conference date",
    "Conference location",
    "Conference code",
    "ISSN",
    "ISBN",
    "CODEN",
    "PubMed ID",
    "Language of Original Document",
    "Abbreviated Source Title",
    "Document Type",
    "Publication Stage",
    "Open Access",
    "Source",
    "EID",
)

WOS_TAGS = (
    "PT",
    "AU",
    "BA",
    "BE",
    "GP",
    "AF",
    "BF",
    "CA",
    "TI",
    "SO",
    "SE",
    "BS",
    "LA",
    "DT",
    "CT",
    "CY",
    "CL",
    "SP",
    "HO",
    "DE",
    "ID",
    "AB",
    "C1",
    "C3",
    "RP",
    "EM",
    "RI",
    "OI",
    "FU",
    "FP",
    "FX",
    "CR",
    "NR",
    "TC",
    "Z9",
    "U1",
    "U2",
    "PU",
    "PI",
    "PA",
    "SN",
    "EI",
    "BN",
    "J9",
    "JI",
    "PD",
    "PY",
    "VL",
    "IS",
    "PN",
    "SU",
    "SI",
    "MA",
    "BP",
    "EP",
    "AR",
    "DI",
    "DL",
    "D2",
    "EA",
    "PG",
    "WC",
    "WE",
    "SC",
    "GA",
    "PM",
    "OA",
    "HC",
    "HP",
    "DA",
    "UT",
)

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def ascii_fold(text: str) -> str:
    """Drop diacritics (as some exports do): ``Müller`` -> ``Muller``."""
    special = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "å": "a", "Å": "A", "ß": "ss"}
    text = "".join(special.get(c, c) for c in text)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def initials(given: str, dots: bool = True) -> str:
    """``"Wei Ming"`` -> ``"W.M."`` (or ``"WM"``); hyphenated parts keep the hyphen."""
    parts = []
    for word in given.split():
        pieces = [p[0] for p in word.split("-") if p]
        parts.append(("-".join(f"{p}." for p in pieces)) if dots else "".join(pieces))
    return ("".join(parts)) if dots else "".join(parts)


def _pages(rec: dict) -> int | str:
    try:
        return int(rec["ep"]) - int(rec["bp"]) + 1
    except (TypeError, ValueError):
        return ""


def scopus_csv(records: list[dict]) -> str:
    """Scopus "CSV export" text (with its UTF-8 byte-order mark)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(SCOPUS_COLUMNS)
    for rec in records:
        authors = rec["authors"]
        affs = rec["affiliations"]
        row = {
            "Authors": "; ".join(f"{s} {initials(g)}" for s, g, _ in authors),
            "Author full names": "; ".join(f"{s}, {g} ({aid})" for s, g, aid in authors),
            "Author(s) ID": "; ".join(aid for _, _, aid in authors),
            "Title": rec["title"],
            "Year": rec["year"],
            "Source title": rec["journal"],
            "Volume": rec["volume"],
            "Issue": rec["issue"],
            "Page start": rec["bp"],
            "Page end": rec["ep"],
            "Page count": _pages(rec),
            "Cited by": rec["cited_by"] or "",
            "DOI": rec["doi"] or "",
            "Link": f"https://www.scopus.com/inward/record.uri?eid={rec['accession']}"
            + (f"&doi={rec['doi']}" if rec["doi"] else "")
            + "&partnerID=40&md5="
            + rec["md5"],
            "Affiliations": "; ".join(affs),
            "Authors with affiliations": "; ".join(f"{s} {initials(g)}, {a}" for (s, g, _), a in zip(authors, affs)),
            "Abstract": rec["abstract"],
            "Author Keywords": "; ".join(rec["author_keywords"]),
            "Index Keywords": "; ".join(rec["index_keywords"]),
            "Correspondence Address": f"{authors[0][0]} {initials(authors[0][1])}; {affs[0]}; email: author{rec['year']}@example.com",
            "Publisher": rec["publisher"][0],
            "ISSN": rec["issn"].replace("-", ""),
            "Language of Original Document": rec["language"],
            "Abbreviated Source Title": rec["abbrev"],
            "Document Type": rec["doc_type"],
            "Publication Stage": "Final",
            "Open Access": rec.get("open_access", ""),
            "Source": "Scopus",
            "EID": rec["accession"],
        }
        writer.writerow([row.get(col, "") for col in SCOPUS_COLUMNS])
    return "\ufeff" + buffer.getvalue()


def _wos_fields(rec: dict) -> dict[str, list[str] | str]:
    authors = rec["authors"]
    fold = ascii_fold if rec.get("fold_names") else (lambda s: s)
    pages = _pages(rec)
    return {
        "PT": "J",
        "AU": [f"{fold(s)}, {initials(fold(g), dots=False)}" for s, g, _ in authors],
        "AF": [f"{fold(s)}, {fold(g)}" for s, g, _ in authors],
        "TI": rec["title"],
        "SO": rec["journal"].upper(),
        "LA": rec["language"],
        "DT": {"Article": "Article", "Review": "Review", "Conference Paper": "Proceedings Paper"}.get(
            rec["doc_type"], rec["doc_type"]
        ),
        "DE": "; ".join(rec["author_keywords"]),
        "ID": "; ".join(k.upper() for k in rec["index_keywords"]),
        "AB": rec["abstract"],
        "C1": [f"[{fold(s)}, {fold(g)}] {a}" for (s, g, _), a in zip(authors, rec["affiliations"])],
        "RP": f"{fold(authors[0][0])}, {initials(fold(authors[0][1]), dots=False)} (corresponding author), {rec['affiliations'][0]}",
        "NR": str(rec["n_refs"]),
        "TC": str(rec["cited_by"] or 0),
        "Z9": str(rec["cited_by"] or 0),
        "U1": str(rec["usage"][0]),
        "U2": str(rec["usage"][1]),
        "PU": rec["publisher"][0].upper(),
        "PI": rec["publisher"][1],
        "PA": rec["publisher"][2].upper(),
        "SN": rec["issn"],
        "J9": rec["abbrev"].upper(),
        "JI": rec["abbrev"],
        "PD": MONTHS[rec["month"] - 1],
        "PY": str(rec["year"]),
        "VL": str(rec["volume"]),
        "IS": str(rec["issue"]),
        "BP": str(rec["bp"]),
        "EP": str(rec["ep"]),
        "DI": rec["doi"] or "",
        "PG": str(pages),
        "WC": "Business; Management",
        "WE": "Social Science Citation Index (SSCI)",
        "SC": "Business & Economics",
        "GA": rec["ga"],
        "DA": rec["export_date"],
        "UT": rec["accession"],
    }


def wos_plain_text(records: list[dict]) -> str:
    """Web of Science "Plain text file" (``savedrecs.txt``)."""
    lines = ["\ufeffFN Clarivate Analytics Web of Science", "VR 1.0"]
    for rec in records:
        fields = _wos_fields(rec)
        for tag in WOS_TAGS:
            value = fields.get(tag)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                items = value
            elif tag in ("TI", "DE", "ID", "SO"):
                items = textwrap.wrap(value, 72, break_long_words=False, break_on_hyphens=False) or [value]
            else:
                items = [value]
            lines.append(f"{tag} {items[0]}")
            lines.extend(f"   {item}" for item in items[1:])
        lines.append("ER")
        lines.append("")
    lines.append("EF")
    return "\n".join(lines) + "\n"


def wos_tab_delimited(records: list[dict]) -> str:
    """Web of Science "Tab delimited file" (UTF-8 with BOM, Windows line ends)."""
    lines = ["\ufeff" + "\t".join(WOS_TAGS)]
    for rec in records:
        fields = _wos_fields(rec)
        row = []
        for tag in WOS_TAGS:
            value = fields.get(tag, "")
            row.append("; ".join(value) if isinstance(value, list) else str(value))
        lines.append("\t".join(row))
    return "\r\n".join(lines) + "\r\n"


def ris(records: list[dict], database: str = "Scopus") -> str:
    """RIS as Scopus exports it."""
    out = []
    for rec in records:
        lines = ["TY  - " + ("CONF" if rec["doc_type"] == "Conference Paper" else "JOUR")]
        lines += [f"AU  - {s}, {initials(g)}" for s, g, _ in rec["authors"]]
        lines += [
            f"TI  - {rec['title']}",
            f"PY  - {rec['year']}",
            f"T2  - {rec['journal']}",
            f"VL  - {rec['volume']}",
            f"IS  - {rec['issue']}",
            f"SP  - {rec['bp']}",
            f"EP  - {rec['ep']}",
        ]
        if rec["doi"]:
            lines.append(f"DO  - {rec['doi']}")
        lines.append(
            f"UR  - https://www.scopus.com/inward/record.uri?eid={rec['accession']}&partnerID=40&md5={rec['md5']}"
        )
        lines.append(f"AB  - {rec['abstract']}")
        lines += [f"KW  - {k}" for k in rec["author_keywords"]]
        lines += [
            f"PB  - {rec['publisher'][0]}",
            f"SN  - {rec['issn'].replace('-', '')}",
            f"LA  - {rec['language']}",
            f"J2  - {rec['abbrev']}",
            f"M3  - {rec['doc_type']}",
            f"DB  - {database}",
            f"N1  - Export Date: {rec['export_date_long']}; Cited By: {rec['cited_by'] or 0}",
            "ER  - ",
        ]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _bib_escape(text: str) -> str:
    return text.replace("{", "").replace("}", "")


def bibtex(records: list[dict]) -> str:
    """BibTeX as Scopus exports it (UTF-8, one ``@ARTICLE`` per record)."""
    out = []
    seen: dict[str, int] = {}
    for rec in records:
        base = ascii_fold(rec["authors"][0][0]).replace(" ", "").replace("'", "").replace("-", "") + str(rec["year"])
        seen[base] = seen.get(base, 0) + 1
        key = base + ("" if seen[base] == 1 else chr(ord("a") + seen[base] - 2))
        kind = "CONFERENCE" if rec["doc_type"] == "Conference Paper" else "ARTICLE"
        fields = [
            ("author", " and ".join(f"{s}, {g}" for s, g, _ in rec["authors"])),
            ("title", _bib_escape(rec["title"])),
            ("year", str(rec["year"])),
            ("journal", rec["journal"]),
            ("volume", str(rec["volume"])),
            ("number", str(rec["issue"])),
            ("pages", f"{rec['bp']} – {rec['ep']}"),
            ("doi", rec["doi"] or ""),
            ("url", f"https://www.scopus.com/inward/record.uri?eid={rec['accession']}&partnerID=40&md5={rec['md5']}"),
            ("abstract", _bib_escape(rec["abstract"])),
            ("author_keywords", "; ".join(rec["author_keywords"])),
            ("keywords", "; ".join(rec["index_keywords"])),
            ("publisher", rec["publisher"][0]),
            ("issn", rec["issn"].replace("-", "")),
            ("language", rec["language"]),
            ("abbrev_source_title", rec["abbrev"]),
            ("type", rec["doc_type"]),
            ("publication_stage", "Final"),
            ("source", "Scopus"),
            ("note", f"Cited by: {rec['cited_by'] or 0}"),
        ]
        body = ",\n".join(f"\t{name} = {{{value}}}" for name, value in fields if value)
        out.append(f"@{kind}{{{key},\n{body}\n}}")
    return "\n\n".join(out) + "\n"
