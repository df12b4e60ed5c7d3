"""Readers of bibliographic database exports: Scopus CSV, Web of Science, RIS, BibTeX.

Every reader returns a :class:`pandas.DataFrame` with one row per record and the
columns of :data:`RECORD_COLUMNS` (lists such as authors and keywords joined with
``"; "``), so the later steps never see a format. RIS goes through ``rispy`` and
BibTeX through ``bibtexparser`` 2; the Scopus CSV and both Web of Science layouts are
read by hand, because no well-kept Python library reads them into records: the
Scopus CSV is an ordinary CSV whose meaning sits in its column names (read with the
standard ``csv`` module and mapped here), and the Web of Science plain-text and
tab-delimited exports are Clarivate's own tagged layouts (``FN``/``VR`` header,
two-letter field tags, three-space continuation lines, ``ER``/``EF``), for which the
only readers are parts of larger R/Python tool chains (bibliometrix, metaknowledge)
that are not dependencies of this project.

A malformed export raises :class:`ExportFormatError` naming the file, the line and
record, the field and what was expected; a reader never returns a partial table.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from nero.untrusted import InputLimitError, ReadLimits, read_file

#: The common record table every reader returns.
RECORD_COLUMNS = [
    "record", "line", "accession", "authors", "title", "year", "source", "doi", "author_keywords",
    "index_keywords", "abstract", "document_type", "language", "issn", "volume", "issue", "pages", "cited_by",
]

FORMATS = ("scopus_csv", "wos_plain", "wos_tab", "ris", "bibtex")
FORMAT_NAMES = {
    "scopus_csv": "Scopus CSV", "wos_plain": "Web of Science plain text", "wos_tab": "Web of Science tab-delimited",
    "ris": "RIS", "bibtex": "BibTeX",
}


class ExportFormatError(ValueError):
    """A malformed export: names the file, line, record and field."""

    def __init__(self, file, message: str, line: int | None = None, record: int | None = None, field: str | None = None):
        where = [str(file)]
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record}")
        if field is not None:
            where.append(f"field {field}")
        super().__init__(": ".join([", ".join(where), message]))
        self.file, self.line, self.record, self.field = str(file), line, record, field


def decode_export(data: bytes, file) -> str:
    """Bytes to text: UTF-16 (with BOM) or UTF-8 (BOM dropped); anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ExportFormatError(file, f"not UTF-8 (byte {exc.start}: {data[exc.start:exc.start + 1]!r}); "
                                          "export again choosing UTF-8", line=line) from None
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def detect_format(text: str, file="<text>") -> str:
    """The export format of ``text`` (one of :data:`FORMATS`), from its first line."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    if re.match(r"^FN\s", first):
        return "wos_plain"
    if re.match(r"^PT\t", first):
        return "wos_tab"
    if re.match(r"^TY  -", first):
        return "ris"
    if re.match(r"^\s*@\w+\s*[{(]", first) or re.match(r"^\s*%", first) and "@" in text:
        return "bibtex"
    if first.startswith('"Authors"') or first.startswith("Authors,") or ("EID" in first and "Title" in first and "," in first):
        return "scopus_csv"
    raise ExportFormatError(file, "unknown export format: expected a Scopus CSV (header starting \"Authors\"), a Web of "
                                  "Science plain-text ('FN ...') or tab-delimited ('PT<TAB>AU...') export, RIS ('TY  - ') "
                                  f"or BibTeX ('@ARTICLE{{'); the first line is {first[:60]!r}", line=1)


def _year(value, file, line, record, field) -> int:
    text = str(value or "").strip()
    match = re.match(r"^(\d{4})", text)
    if not match:
        raise ExportFormatError(file, f"expected a four-digit publication year, found {text!r}", line=line, record=record, field=field)
    return int(match.group(1))


def _join(items) -> str:
    return "; ".join(re.sub(r"\s+", " ", i.strip()) for i in items if i and i.strip())


def _split(text: str) -> list[str]:
    return [p.strip() for p in str(text or "").split(";") if p.strip()]


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    return frame


# --- Scopus CSV

SCOPUS_REQUIRED = ("Authors", "Title", "Year", "Source title", "DOI")


def read_scopus_csv(text: str, file="<text>") -> pd.DataFrame:
    """Scopus CSV export (any column subset that keeps :data:`SCOPUS_REQUIRED`)."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in SCOPUS_REQUIRED if c not in header]
    if missing:
        raise ExportFormatError(file, f"Scopus CSV header lacks the column(s) {', '.join(missing)}; found {header[:8]}...", line=1)
    rows = []
    start = 2
    for k, row in enumerate(reader, start=1):
        if None in row or any(v is None for v in row.values()):
            raise ExportFormatError(file, f"expected {len(header)} fields, found a row of another length (an unclosed quote "
                                          "or a cut file?)", line=start, record=k)
        full = [re.sub(r"\s*\(\d+\)\s*$", "", a) for a in _split(row.get("Author full names", ""))]
        authors = full or _scopus_authors(row["Authors"])
        if not row["Title"].strip():
            raise ExportFormatError(file, "empty title", line=start, record=k, field="Title")
        rows.append({
            "record": k, "line": start, "accession": row.get("EID", "").strip(), "authors": _join(authors),
            "title": row["Title"].strip(), "year": _year(row["Year"], file, start, k, "Year"),
            "source": row["Source title"].strip(), "doi": row["DOI"].strip(),
            "author_keywords": _join(_split(row.get("Author Keywords", ""))),
            "index_keywords": _join(_split(row.get("Index Keywords", ""))), "abstract": row.get("Abstract", "").strip(),
            "document_type": row.get("Document Type", "").strip(), "language": row.get("Language of Original Document", "").strip(),
            "issn": row.get("ISSN", "").strip(), "volume": row.get("Volume", "").strip(), "issue": row.get("Issue", "").strip(),
            "pages": "-".join(p for p in (row.get("Page start", "").strip(), row.get("Page end", "").strip()) if p),
            "cited_by": row.get("Cited by", "").strip(),
        })
        start = reader.line_num + 1
    return _frame(rows)


def _scopus_authors(text: str) -> list[str]:
    """``"Tan W.M.; Lee J."`` (current) or ``"Tan W.M., Lee J."`` (exports before 2023)."""
    if ";" in text:
        return _split(text)
    return [p.strip() for p in re.split(r"(?<=\.),\s*", text) if p.strip()]


# --- Web of Science

WOS_LIST_TAGS = {"AU", "AF", "BA", "BF", "CA", "C1", "C3", "CR", "EM", "RI", "OI"}


def _wos_record(fields: dict[str, list[str]], k: int, line: int, file) -> dict:
    def one(tag):
        return " ".join(fields.get(tag, [])).strip()

    if not one("TI"):
        raise ExportFormatError(file, "record without a title (TI)", line=line, record=k, field="TI")
    if not one("PY") and not one("EA"):
        raise ExportFormatError(file, "record without a publication year (PY)", line=line, record=k, field="PY")
    authors = fields.get("AF") or fields.get("AU") or []
    return {
        "record": k, "line": line, "accession": one("UT"), "authors": _join(authors), "title": one("TI"),
        "year": _year(one("PY") or one("EA")[-4:], file, line, k, "PY"), "source": one("SO"), "doi": one("DI"),
        "author_keywords": _join(_split(one("DE"))), "index_keywords": _join(_split(one("ID"))), "abstract": one("AB"),
        "document_type": one("DT"), "language": one("LA"), "issn": one("SN") or one("EI"), "volume": one("VL"),
        "issue": one("IS"), "pages": "-".join(p for p in (one("BP"), one("EP")) if p), "cited_by": one("TC"),
    }


def read_wos_plain(text: str, file="<text>") -> pd.DataFrame:
    """Web of Science "Plain text file" export (``savedrecs.txt``)."""
    lines = text.split("\n")
    if not lines or not lines[0].startswith("FN "):
        raise ExportFormatError(file, "expected the Web of Science header 'FN Clarivate Analytics Web of Science'", line=1)
    rows, fields, tag, start, ended = [], None, None, 0, False
    for n, line in enumerate(lines, start=1):
        if not line.strip() or n == 1 or line.startswith("VR "):
            continue
        if line.startswith("EF"):
            ended = True
            break
        if line.startswith("   "):
            if fields is None or tag is None:
                raise ExportFormatError(file, "continuation line outside a record", line=n)
            fields[tag].append(line.strip())
            continue
        match = re.match(r"^([A-Z][A-Z0-9])(?: (.*))?$", line)
        if not match:
            raise ExportFormatError(file, f"expected a two-letter field tag, found {line[:30]!r}", line=n, record=len(rows) + 1)
        tag, value = match.group(1), (match.group(2) or "")
        if tag == "ER":
            if fields is None:
                raise ExportFormatError(file, "'ER' without a record", line=n)
            rows.append(_wos_record(fields, len(rows) + 1, start, file))
            fields, tag = None, None
            continue
        if fields is None:
            if tag != "PT":
                raise ExportFormatError(file, f"a record must start with PT, found {tag}", line=n, record=len(rows) + 1, field=tag)
            fields, start = {}, n
        if tag in fields and tag not in WOS_LIST_TAGS:
            raise ExportFormatError(file, f"field {tag} repeated (a missing 'ER' between records?)", line=n, record=len(rows) + 1, field=tag)
        fields.setdefault(tag, []).append(value.strip())
    if fields is not None:
        raise ExportFormatError(file, "the last record has no 'ER' (file cut short?)", line=start, record=len(rows) + 1)
    if not ended:
        raise ExportFormatError(file, "no closing 'EF' line (file cut short?)", line=len(lines))
    return _frame(rows)


def read_wos_tab(text: str, file="<text>") -> pd.DataFrame:
    """Web of Science "Tab delimited file" export (UTF-8 or UTF-16)."""
    lines = [line for line in text.split("\n")]
    header = lines[0].rstrip("\t").split("\t")
    for tag in ("PT", "TI", "PY"):
        if tag not in header:
            raise ExportFormatError(file, f"tab-delimited header lacks the tag {tag}", line=1, field=tag)
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > len(header) and all(not c for c in cells[len(header):]):
            cells = cells[: len(header)]
        if len(cells) != len(header):
            raise ExportFormatError(file, f"expected {len(header)} tab-separated fields, found {len(cells)}", line=n, record=len(rows) + 1)
        fields = {tag: [value] for tag, value in zip(header, cells) if value.strip()}
        for tag in WOS_LIST_TAGS & set(fields):
            fields[tag] = _split(fields[tag][0])
        rows.append(_wos_record(fields, len(rows) + 1, n, file))
    return _frame(rows)


# --- RIS

RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -( (.*))?$")


def read_ris(text: str, file="<text>") -> pd.DataFrame:
    """RIS export (parsed by ``rispy``; line structure checked first for clear errors)."""
    import rispy

    starts, open_at = [], None
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        match = RIS_LINE.match(line)
        if not match:
            if open_at is None:
                raise ExportFormatError(file, f"expected 'XX  - value' (RIS tag), found {line[:30]!r}", line=n, record=len(starts) + 1)
            continue  # a continuation line of the previous field (RIS allows them)
        tag = match.group(1)
        if tag == "TY":
            if open_at is not None:
                raise ExportFormatError(file, "a new record (TY) starts before the previous one ended (ER)", line=n, record=len(starts))
            open_at = n
            starts.append(n)
        elif tag == "ER":
            if open_at is None:
                raise ExportFormatError(file, "'ER' without a record", line=n)
            open_at = None
        elif open_at is None:
            raise ExportFormatError(file, f"tag {tag} outside a record (missing 'TY  - ')", line=n, field=tag)
    if open_at is not None:
        raise ExportFormatError(file, "the last record has no 'ER  - ' (file cut short?)", line=open_at, record=len(starts))
    entries = rispy.loads(text)
    rows = []
    for k, (entry, line) in enumerate(zip(entries, starts), start=1):
        title = entry.get("title") or entry.get("primary_title") or ""
        if not title.strip():
            raise ExportFormatError(file, "record without a title (TI or T1)", line=line, record=k, field="TI")
        year = entry.get("year") or entry.get("publication_year") or entry.get("date")
        urls = entry.get("urls", [])
        eid = next((m.group(1) for u in urls for m in [re.search(r"eid=([^&\s]+)", u)] if m), "")
        rows.append({
            "record": k, "line": line, "accession": eid or entry.get("accession_number", "") or entry.get("id", ""),
            "authors": _join(entry.get("authors", []) or entry.get("first_authors", [])), "title": title.strip(),
            "year": _year(year, file, line, k, "PY"),
            "source": (entry.get("secondary_title") or entry.get("journal_name") or entry.get("alternate_title3") or "").strip(),
            "doi": (entry.get("doi") or "").strip(), "author_keywords": _join(entry.get("keywords", [])), "index_keywords": "",
            "abstract": (entry.get("abstract") or "").strip(), "document_type": (entry.get("type_of_work") or entry.get("type_of_reference") or "").strip(),
            "language": (entry.get("language") or "").strip(), "issn": (entry.get("issn") or "").strip(),
            "volume": str(entry.get("volume") or ""), "issue": str(entry.get("number") or ""),
            "pages": "-".join(p for p in (str(entry.get("start_page") or ""), str(entry.get("end_page") or "")) if p),
            "cited_by": next((m.group(1) for n1 in entry.get("notes", []) for m in [re.search(r"Cited By:\s*(\d+)", n1)] if m), ""),
        })
    return _frame(rows)


# --- BibTeX


def read_bibtex(text: str, file="<text>") -> pd.DataFrame:
    """BibTeX export (parsed by ``bibtexparser`` 2, LaTeX accents decoded)."""
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise ExportFormatError(file, f"unreadable BibTeX entry starting {str(getattr(block, 'raw', ''))[:50]!r} "
                                      f"({getattr(block, 'error', '') or 'syntax error'})", line=block.start_line + 1)
    rows = []
    for k, entry in enumerate(library.entries, start=1):
        line = entry.start_line + 1
        fields = {f.key.lower(): str(f.value).strip() for f in entry.fields}
        if not fields.get("title"):
            raise ExportFormatError(file, f"entry {entry.key!r} has no title", line=line, record=k, field="title")
        url = fields.get("url", "")
        eid = re.search(r"eid=([^&\s]+)", url)
        cited = re.search(r"Cited by:\s*(\d+)", fields.get("note", ""))
        if "author_keywords" in fields:  # Scopus: author_keywords, keywords = index keywords
            author_kw, index_kw = fields["author_keywords"], fields.get("keywords", "")
        else:  # Web of Science: keywords = author keywords, keywords-plus = KeyWords Plus
            author_kw, index_kw = fields.get("keywords", ""), fields.get("keywords-plus", "")
        rows.append({
            "record": k, "line": line, "accession": eid.group(1) if eid else entry.key,
            "authors": _join(re.split(r"\s+and\s+", fields.get("author", ""))), "title": re.sub(r"\s+", " ", fields["title"]),
            "year": _year(fields.get("year"), file, line, k, "year"), "source": fields.get("journal", fields.get("booktitle", "")),
            "doi": fields.get("doi", ""), "author_keywords": _join(_split(author_kw)), "index_keywords": _join(_split(index_kw)),
            "abstract": re.sub(r"\s+", " ", fields.get("abstract", "")),
            "document_type": fields.get("type", fields.get("document_type", entry.entry_type.title())),
            "language": fields.get("language", ""), "issn": fields.get("issn", ""), "volume": fields.get("volume", ""),
            "issue": fields.get("number", ""), "pages": re.sub(r"\s*[–-]+\s*", "-", fields.get("pages", "")),
            "cited_by": cited.group(1) if cited else "",
        })
    return _frame(rows)


READERS = {"scopus_csv": read_scopus_csv, "wos_plain": read_wos_plain, "wos_tab": read_wos_tab, "ris": read_ris, "bibtex": read_bibtex}


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
    text = decode_export(data, path)
    if not text.strip():
        raise ExportFormatError(path, "the file is empty")
    fmt = fmt or detect_format(text, path)
    if fmt not in READERS:
        raise ExportFormatError(path, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt, READERS[fmt](text, path)
