"""Reader of BibTeX exports (Scopus, Web of Science, ACM Digital Library, Zotero, ...), through ``bibtexparser`` 2.

Before parsing, the entry keys are made unique and usable: Scopus repeats keys routinely
(``Iorio2015149`` twice; a bare year ``2023`` for proceedings volumes) and writes keys with
a comma or a space (``Ribeiro, Jr2022``), each of which bibtexparser refuses; such keys are
renamed (``Iorio2015149-2``, ``Ribeiro_Jr2022``) with a warning, never merged. Text before
the first entry (Scopus writes ``Scopus`` / ``EXPORT DATE: 13 January 2017``) is skipped as
bibtexparser's implicit comment, and bibtexparser's own log lines are kept out of the
console (its failures are reported as :class:`~nero.slr.exports.ExportFormatError`).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections import Counter

import pandas as pd

from nero.slr.exports import (
    ExportFormatError,
    Repairs,
    clean_authors,
    first_doi,
    join,
    keyword_separator,
    parse_year,
    record_frame,
    split_list,
)

ENTRY_HEAD = re.compile(r"^(\s*@\s*(\w+)\s*[{(])(.*)$")
FIELD_HEAD = re.compile(r"^(\s*)([A-Za-z][\w\s.:-]*?)(\s*=\s*[{\"\d].*)$")
#: Characters bibtexparser cannot take in a key (and a key cannot be empty).
BAD_KEY = re.compile(r"[\s,{}()\"#'=\\%~]+")


@contextlib.contextmanager
def quiet_logger(name: str):
    """Keep a library's log records (e.g. bibtexparser's) out of the console while it runs."""
    logger = logging.getLogger(name)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def _field_line(line: str, fields: Counter) -> str:
    """A field line (``key={...``) with a space-free key, unique within its entry (Scopus repeats
    ``funding_details`` and writes ``funding_text 1``; bibtexparser refuses both): ``funding_details_2``."""
    match = FIELD_HEAD.match(line)
    if not match:
        return line
    key = re.sub(r"\s+", "_", match.group(2).strip())
    fields[key.lower()] += 1
    if fields[key.lower()] > 1:
        key = f"{key}_{fields[key.lower()]}"
    return f"{match.group(1)}{key}{match.group(3)}"


def _depth(line: str) -> int:
    return len(re.findall(r"(?<!\\)\{", line)) - len(re.findall(r"(?<!\\)\}", line))


def unique_keys(text: str, repairs: Repairs) -> str:
    """``text`` with every entry key unique and parseable (each renaming noted in ``repairs``) and
    every field key unique within its entry."""
    seen: Counter = Counter()
    lines = text.split("\n")
    depth, fields = 0, Counter()
    for n, line in enumerate(lines):
        match = ENTRY_HEAD.match(line)
        if not match or match.group(2).lower() in ("comment", "preamble", "string"):
            if depth == 1:  # between the fields of an entry
                lines[n] = line = _field_line(line, fields)
            depth = max(depth + _depth(line), 0) if depth else 0
            continue
        depth, fields = _depth(line), Counter()
        rest = match.group(3)
        stripped = rest.rstrip()
        if stripped.endswith(",") and "=" not in stripped:  # the whole line is the key (Scopus: one field per line)
            key, tail = stripped[:-1], ","
        elif "," in rest:
            key, tail = rest.split(",", 1)
            tail = "," + tail
        else:
            key, tail = rest, ""
        key = key.strip()
        new = BAD_KEY.sub("_", key).strip("_") or "entry"
        seen[new] += 1
        if seen[new] > 1:
            base, k = new, seen[new]
            while f"{base}-{k}" in seen:
                k += 1
            new = f"{base}-{k}"
            seen[new] += 1
        if new != key:
            repairs.renamed_keys.append(f"line {n + 1}: {key!r} -> {new!r}")
            lines[n] = f"{match.group(1)}{new}{tail}"
    return "\n".join(lines)


def split_bibtex_authors(text: str) -> list[str]:
    """Authors of a BibTeX ``author`` field: ``A and B``, or Scopus's style before 2018
    ``D'Ambrosio, A.a , Aria, M.a , Siciliano, R.b`` (`` , `` between authors, affiliation
    letters after the initials, which are dropped)."""
    text = re.sub(r"\s+", " ", text).strip()
    if re.search(r"\sand\s", text) or not re.search(r"\s,\s", text):
        return re.split(r"\s+and\s+", text)
    return [re.sub(r"(?<=\.)[a-z](,?[a-z])*$", "", a.strip()) for a in re.split(r"\s,\s*", text)]


def _parse(text: str, file):
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    with quiet_logger("bibtexparser"):
        library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise ExportFormatError(
            file,
            f"unreadable BibTeX entry starting {str(getattr(block, 'raw', ''))[:50]!r} "
            f"({str(getattr(block, 'error', '') or '') or 'a syntax error, e.g. an unclosed brace'})",
            line=block.start_line + 1,
        )
    return list(library.entries)


def read_bibtex(text: str, file="<text>") -> pd.DataFrame:
    """BibTeX export (parsed by ``bibtexparser`` 2, LaTeX accents decoded)."""
    repairs = Repairs(str(file))
    entries = _parse(unique_keys(text, repairs), file)
    fields_of = [{f.key.lower(): str(f.value).strip() for f in entry.fields} for entry in entries]
    sep = keyword_separator(f.get("keywords", "") + f.get("author_keywords", "") for f in fields_of)
    rows = []
    for k, (entry, fields) in enumerate(zip(entries, fields_of), start=1):
        line = entry.start_line + 1
        if not fields.get("title"):
            raise ExportFormatError(file, f"entry {entry.key!r} has no title", line=line, record=k, field="title")
        url = fields.get("url", "")
        eid = re.search(r"eid=([^&\s]+)", url)
        cited = re.search(r"Cited by:?\s*(\d+)", fields.get("note", ""), re.I)
        if "author_keywords" in fields:  # Scopus: author_keywords, keywords = index keywords
            author_kw, index_kw = fields["author_keywords"], fields.get("keywords", "")
        else:  # Web of Science, ACM, Zotero: keywords = author keywords; WoS keywords-plus = KeyWords Plus
            author_kw, index_kw = fields.get("keywords", ""), fields.get("keywords-plus", "")
        rows.append(
            {
                "record": k,
                "line": line,
                "accession": eid.group(1) if eid else entry.key,
                "authors": join(clean_authors(split_bibtex_authors(fields.get("author", "")), repairs)),
                "title": re.sub(r"\s+", " ", fields["title"]),
                "year": parse_year([("year", fields.get("year")), ("date", fields.get("date"))], file, line, k, "year"),
                "source": fields.get("journal", fields.get("booktitle", "")),
                "doi": first_doi([("doi", fields.get("doi", "")), ("url", url)], repairs, "doi"),
                "author_keywords": join(split_list(author_kw, sep)),
                "index_keywords": join(split_list(index_kw, sep)),
                "abstract": re.sub(r"\s+", " ", fields.get("abstract", "")),
                "document_type": fields.get("type", fields.get("document_type", entry.entry_type.title())),
                "language": fields.get("language", ""),
                "issn": fields.get("issn", ""),
                "volume": fields.get("volume", ""),
                "issue": fields.get("number", ""),
                "pages": re.sub(r"\s*[–-]+\s*", "-", fields.get("pages", "")),
                "cited_by": cited.group(1) if cited else "",
            }
        )
    return record_frame(rows, repairs)
