"""What every reader of a bibliographic export shares: the record table, errors, warnings, clean-up.

A reader turns one export file into a :class:`pandas.DataFrame` of :data:`RECORD_COLUMNS`
(lists such as authors and keywords joined with ``"; "``) through :func:`record_frame`,
which also says, as one :class:`ExportWarning` per kind, what it had to repair: records
kept with an unknown publication year, DOIs found in a non-standard field, author
placeholders and e-mail addresses removed, renamed BibTeX keys. A malformed export raises
:class:`ExportFormatError` naming the file, the line and record, the field and what was
expected; a reader never returns a partial table.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

import pandas as pd

#: The common record table every reader returns.
RECORD_COLUMNS = [
    "record",
    "line",
    "accession",
    "authors",
    "title",
    "year",
    "source",
    "doi",
    "author_keywords",
    "index_keywords",
    "abstract",
    "document_type",
    "language",
    "issn",
    "volume",
    "issue",
    "pages",
    "cited_by",
]

#: Author "names" that databases write where a record has no author (Scopus, some RIS exports).
AUTHOR_PLACEHOLDERS = re.compile(
    r"^\[?\s*(no author name available|anonymous|anon\.?|no authorship indicated)\s*\]?$", re.I
)
EMAIL = re.compile(r"\s*[(<\[]?\s*[\w.+-]+@[\w-]+(\.[\w-]+)+\s*[)>\]]?\s*")
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")


class ExportFormatError(ValueError):
    """A malformed export: names the file, line, record and field."""

    def __init__(
        self, file, message: str, line: int | None = None, record: int | None = None, field: str | None = None
    ):
        where = [str(file)]
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record}")
        if field is not None:
            where.append(f"field {field}")
        super().__init__(": ".join([", ".join(where), message]))
        self.file, self.line, self.record, self.field = str(file), line, record, field


class ExportWarning(UserWarning):
    """An export read with a repair the user should know of (the message names the file and records)."""


@dataclass
class Repairs:
    """What a reader repaired in one file, reported by :func:`record_frame` as warnings."""

    file: str
    no_year: list[str] = field(default_factory=list)
    doi_tags: Counter = field(default_factory=Counter)
    placeholders: int = 0
    emails: int = 0
    renamed_keys: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        out = []
        if self.renamed_keys:
            out.append(
                f"{self.file}: {len(self.renamed_keys)} BibTeX key(s) repeated or not usable as keys, renamed: "
                + "; ".join(self.renamed_keys[:10])
                + (" ..." if len(self.renamed_keys) > 10 else "")
            )
        if self.no_year:
            out.append(
                f"{self.file}: {len(self.no_year)} record(s) without a publication year, kept with an unknown year "
                "(year filters let them pass; PRISMA counts them as 'year_unknown'): "
                + "; ".join(self.no_year[:10])
                + (" ..." if len(self.no_year) > 10 else "")
            )
        if self.doi_tags:
            out.append(
                f"{self.file}: DOI(s) read from non-standard field(s): "
                + ", ".join(f"{n} from {tag}" for tag, n in sorted(self.doi_tags.items()))
            )
        if self.placeholders:
            out.append(
                f"{self.file}: {self.placeholders} author placeholder(s) such as '[No author name available]' removed"
            )
        if self.emails:
            out.append(f"{self.file}: {self.emails} e-mail address(es) removed from author names")
        return out + [f"{self.file}: {note}" for note in self.notes]


def decode_export(data: bytes, file) -> str:
    """Bytes to text: UTF-16 (with BOM) or UTF-8 (BOM dropped); anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ExportFormatError(
                file,
                f"not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); export again choosing UTF-8",
                line=line,
            ) from None
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def parse_year(candidates, file, line, record, field) -> int | None:
    """The publication year from the first non-empty of ``candidates`` (``(tag, value)`` pairs).

    The first candidate is the format's year field and must start with a four-digit year when
    it is not empty; the others (early-access dates such as WoS ``C6 - FEB 2022``, RIS ``DA``,
    ``Y1``, ``Y2``) may hold the year anywhere. ``None`` when every candidate is empty or says
    "no date" (``n.d.``): the record is kept with an unknown year.
    """
    for k, (tag, value) in enumerate(candidates):  # noqa: B007
        text = str(value or "").strip()
        if not text or re.fullmatch(r"(?i)n\.?\s?d\.?|no date|unknown|-+|/+", text):
            continue
        match = (
            re.match(r"^(\d{4})", text)
            if k == 0
            else (re.match(r"^(1[5-9]\d\d|20\d\d)", text) or re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text))
        )
        if match:
            return int(match.group(1))
        if k == 0:
            raise ExportFormatError(
                file, f"expected a four-digit publication year, found {text!r}", line=line, record=record, field=field
            )
    return None


def split_list(text: str, sep: str = ";") -> list[str]:
    return [p.strip() for p in str(text or "").split(sep) if p.strip()]


def join(items) -> str:
    return "; ".join(re.sub(r"\s+", " ", i.strip()) for i in items if i and i.strip())


def keyword_separator(values) -> str:
    """The separator a file uses between keywords: ``;`` if any record has one, else ``,``.

    Scopus, Web of Science, Lens and EBSCO write ``;``; the ACM Digital Library and Zotero
    write ``,`` in BibTeX ``keywords``. Deciding once per file keeps a keyword with a comma
    whole in a ``;`` file.
    """
    values = [str(v or "") for v in values]
    return ";" if any(";" in v for v in values) or not any("," in v for v in values) else ","


def clean_authors(names, repairs: Repairs) -> list[str]:
    """Names without placeholders (``[No author name available]``) and e-mail addresses, counted in ``repairs``."""
    out = []
    for name in names:
        name = str(name or "").strip()
        if EMAIL.search(name):
            repairs.emails += len(EMAIL.findall(name))
            name = EMAIL.sub(" ", name).strip().rstrip(",;").strip()
        if AUTHOR_PLACEHOLDERS.match(name):
            repairs.placeholders += 1
            continue
        if name:
            out.append(name)
    return out


def find_doi(text: str) -> str:
    """The first DOI in ``text`` (a bare DOI, ``doi:``, or a ``doi.org`` / ``dx.doi.org`` URL, URL-decoded)."""
    text = str(text or "")
    if "%2f" in text.lower():
        text = unquote(text)
    match = DOI.search(text)
    if not match:
        return ""
    doi = match.group(1).rstrip(".,;")
    for opening, closing in ("()", "[]", "{}"):  # a bracket closing the sentence, not one of the DOI's own pairs
        while doi.endswith(closing) and doi.count(closing) > doi.count(opening):
            doi = doi[:-1].rstrip(".,;")
    return doi


def first_doi(fields: list[tuple[str, str]], repairs: Repairs, standard: str) -> str:
    """The DOI of a record from ``(tag, value)`` pairs in order of preference.

    The ``standard`` tag's value is kept as written when it holds a DOI (``https://doi.org/10...``
    included: de-duplication normalises it); a DOI found in another tag is taken bare and
    counted in ``repairs`` under its tag.
    """
    for tag, value in fields:
        values = value if isinstance(value, list) else [value]
        for one in values:
            doi = find_doi(one)
            if doi:
                if tag != standard:
                    repairs.doi_tags[tag] += 1
                    return doi
                return str(one).strip()
    return ""


def record_frame(rows: list[dict], repairs: Repairs) -> pd.DataFrame:
    """The record table (``year`` as a nullable integer) after warning of every repair."""
    for row in rows:
        if row["year"] is None:
            repairs.no_year.append(f"record {row['record']} (line {row['line']}, {row['title'][:50]!r})")
    for message in repairs.messages():
        warnings.warn(message, ExportWarning, stacklevel=3)
    frame = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame
