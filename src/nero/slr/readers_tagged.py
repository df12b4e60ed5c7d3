"""Readers of tagged exports: Web of Science (plain text, tab-delimited), RIS and PubMed MEDLINE.

RIS goes through ``rispy`` (with a tag-to-tag mapping, so every tag a database writes is
seen: EBSCOhost's ``L3`` DOI, WoS's ``C6`` early-access date). The Web of Science
plain-text and tab-delimited exports and PubMed's MEDLINE (``.nbib``) are read by hand:
they are Clarivate's and the NLM's own tagged layouts (two-letter tags with three-space
continuation lines and ``ER``/``EF``; four-character tags ``PMID- `` with six-space
continuation lines), for which the only readers are parts of larger tool chains
(bibliometrix, metaknowledge, Biopython) that are not dependencies of this project.
"""

from __future__ import annotations

import re

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

# --- Web of Science

WOS_LIST_TAGS = {"AU", "AF", "BA", "BF", "CA", "C1", "C3", "CR", "EM", "RI", "OI"}


def _wos_record(fields: dict[str, list[str]], k: int, line: int, file, repairs: Repairs, sep: str = ";") -> dict:
    def one(tag):
        return " ".join(fields.get(tag, [])).strip()

    if not one("TI"):
        raise ExportFormatError(file, "record without a title (TI)", line=line, record=k, field="TI")
    authors = clean_authors(fields.get("AF") or fields.get("AU") or [], repairs)
    return {
        "record": k,
        "line": line,
        "accession": one("UT") or one("AN"),
        "authors": join(authors),
        "title": one("TI"),
        "year": parse_year([("PY", one("PY")), ("EA", one("EA")), ("PD", one("PD"))], file, line, k, "PY"),
        "source": one("SO"),
        "doi": first_doi([("DI", one("DI"))], repairs, "DI"),
        "author_keywords": join(split_list(one("DE"), sep)),
        "index_keywords": join(split_list(one("ID"), sep)),
        "abstract": one("AB"),
        "document_type": one("DT"),
        "language": one("LA"),
        "issn": one("SN") or one("EI"),
        "volume": one("VL"),
        "issue": one("IS"),
        "pages": "-".join(p for p in (one("BP"), one("EP")) if p),
        "cited_by": one("TC"),
    }


def read_wos_plain(text: str, file="<text>") -> pd.DataFrame:
    """Web of Science "Plain text file" export (``savedrecs.txt``; also Zoological Record and CAB via WoS)."""
    lines = text.split("\n")
    if not lines or not lines[0].startswith("FN "):
        raise ExportFormatError(
            file, "expected the Web of Science header 'FN Clarivate Analytics Web of Science'", line=1
        )
    records, fields, tag, start, ended = [], None, None, 0, False
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
            raise ExportFormatError(
                file, f"expected a two-letter field tag, found {line[:30]!r}", line=n, record=len(records) + 1
            )
        tag, value = match.group(1), (match.group(2) or "")
        if tag == "ER":
            if fields is None:
                raise ExportFormatError(file, "'ER' without a record", line=n)
            records.append((fields, start))
            fields, tag = None, None
            continue
        if fields is None:
            if tag != "PT":
                raise ExportFormatError(
                    file, f"a record must start with PT, found {tag}", line=n, record=len(records) + 1, field=tag
                )
            fields, start = {}, n
        if tag in fields and tag not in WOS_LIST_TAGS:
            raise ExportFormatError(
                file,
                f"field {tag} repeated (a missing 'ER' between records?)",
                line=n,
                record=len(records) + 1,
                field=tag,
            )
        fields.setdefault(tag, []).append(value.strip())
    if fields is not None:
        raise ExportFormatError(
            file, "the last record has no 'ER' (file cut short?)", line=start, record=len(records) + 1
        )
    if not ended:
        raise ExportFormatError(file, "no closing 'EF' line (file cut short?)", line=len(lines))
    repairs = Repairs(str(file))
    sep = keyword_separator(" ".join(f.get("DE", [])) for f, _ in records)
    rows = [_wos_record(f, k, start, file, repairs, sep) for k, (f, start) in enumerate(records, start=1)]
    return record_frame(rows, repairs)


def read_wos_tab(text: str, file="<text>") -> pd.DataFrame:
    """Web of Science "Tab delimited file" export (UTF-8 or UTF-16)."""
    lines = text.split("\n")
    header = lines[0].rstrip("\t").split("\t")
    missing = [tag for tag in ("PT", "TI", "PY") if tag not in header]
    if missing:
        raise ExportFormatError(
            file, f"tab-delimited header lacks the tag(s) {', '.join(missing)}", line=1, field=missing[0]
        )
    rows, repairs = [], Repairs(str(file))
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > len(header) and all(not c for c in cells[len(header) :]):
            cells = cells[: len(header)]
        if len(cells) != len(header):
            raise ExportFormatError(
                file, f"expected {len(header)} tab-separated fields, found {len(cells)}", line=n, record=len(rows) + 1
            )
        fields = {tag: [value] for tag, value in zip(header, cells) if value.strip()}
        for tag in WOS_LIST_TAGS & set(fields):
            fields[tag] = split_list(fields[tag][0])
        rows.append(_wos_record(fields, len(rows) + 1, n, file, repairs))
    return record_frame(rows, repairs)


# --- RIS

RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -( (.*))?$")
#: RIS tags that may repeat (kept as lists).
RIS_LIST_TAGS = ["A1", "A2", "A3", "A4", "AU", "KW", "N1", "UR", "L1", "L2", "L3", "L4", "AD", "SN", "C6", "DO", "M3"]
#: Where RIS exports put the DOI, in order of preference (``L3``: EBSCOhost, Nature; ``M3``, ``N1``: older
#: EBSCO and ProQuest exports; ``UR``: a ``doi.org`` link).
RIS_DOI_TAGS = ("DO", "L3", "M3", "N1", "UR")
#: Where RIS exports put the year, in order (``PY``, then ``Y1``, the date ``DA``, ``Y2`` and WoS's ``C6``
#: early-access date ``FEB 2022``).
RIS_YEAR_TAGS = ("PY", "Y1", "DA", "Y2", "C6")


def _ris_structure(text: str, file) -> tuple[str, list[int]]:
    """Check the line structure (clear errors before rispy); the text without Ovid's additions.

    Ovid numbers its records (``1.`` before ``TY  - ``), adds a ``Link to the Ovid Full Text``
    line and, in PsycINFO, a ``NL  - `` tag after ``ER``: in a file that starts with such a
    number, those lines are dropped; anywhere else a tag outside a record is an error.
    """
    starts, open_at, kept = [], None, []
    lines = text.split("\n")
    ovid = bool(re.fullmatch(r"\s*\d+\.\s*", next((line for line in lines if line.strip()), "")))
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            kept.append(line)
            continue
        match = RIS_LINE.match(line)
        if not match:
            if open_at is None:
                if re.fullmatch(r"\s*\d+\.\s*", line) or line.startswith("Link to the Ovid Full Text"):
                    # Ovid numbers its records ("1." before "TY  - ") and adds a link line after "ER"
                    kept.append("")
                    continue
                raise ExportFormatError(
                    file, f"expected 'XX  - value' (RIS tag), found {line[:30]!r}", line=n, record=len(starts) + 1
                )
            kept.append(line)
            continue  # a continuation line of the previous field (RIS allows them)
        tag = match.group(1)
        if tag == "TY":
            if open_at is not None:
                raise ExportFormatError(
                    file, "a new record (TY) starts before the previous one ended (ER)", line=n, record=len(starts)
                )
            open_at = n
            starts.append(n)
        elif tag == "ER":
            if open_at is None:
                raise ExportFormatError(file, "'ER' without a record", line=n)
            open_at = None
        elif open_at is None:
            if ovid:
                kept.append("")
                continue
            raise ExportFormatError(file, f"tag {tag} outside a record (missing 'TY  - ')", line=n, field=tag)
        kept.append(line)
    if open_at is not None:
        raise ExportFormatError(
            file, "the last record has no 'ER  - ' (file cut short?)", line=open_at, record=len(starts)
        )
    return "\n".join(kept), starts


def _ris_accession(entry: dict) -> str:
    urls = entry.get("UR", [])
    eid = next((m.group(1) for u in urls for m in [re.search(r"eid=([^&\s]+)", u)] if m), "")
    note = next(
        (m.group(1) for n1 in entry.get("N1", []) for m in [re.search(r"Accession Number:\s*([^;\s]+)", n1)] if m), ""
    )
    return eid or str(entry.get("AN") or "").strip() or note or str(entry.get("ID") or "").strip()


def read_ris(text: str, file="<text>") -> pd.DataFrame:
    """RIS export (parsed by ``rispy`` with every tag kept; line structure checked first for clear errors)."""
    import rispy

    clean, starts = _ris_structure(text, file)
    mapping = {tag: tag for tag in {*rispy.TAG_KEY_MAPPING, *RIS_LIST_TAGS, *RIS_YEAR_TAGS, *RIS_DOI_TAGS}}
    entries = rispy.loads(clean, mapping=mapping, list_tags=RIS_LIST_TAGS)
    repairs = Repairs(str(file))
    sep = keyword_separator(k for e in entries for k in e.get("KW", []) if len(e.get("KW", [])) == 1)
    rows = []
    for k, (entry, line) in enumerate(zip(entries, starts), start=1):

        def one(tag, entry=entry):
            value = entry.get(tag) or ""
            return (" ".join(value) if isinstance(value, list) else str(value)).strip()

        title = one("TI") or one("T1")
        if not title:
            raise ExportFormatError(file, "record without a title (TI or T1)", line=line, record=k, field="TI")
        keywords = entry.get("KW", [])
        if len(keywords) == 1:
            keywords = split_list(keywords[0], sep)
        issn = (entry.get("SN") or [""])[0]
        rows.append(
            {
                "record": k,
                "line": line,
                "accession": _ris_accession(entry),
                "authors": join(clean_authors(entry.get("AU", []) or entry.get("A1", []), repairs)),
                "title": re.sub(r"\s+", " ", title),
                "year": parse_year([(tag, one(tag)) for tag in RIS_YEAR_TAGS], file, line, k, "PY"),
                "source": one("T2") or one("JO") or one("JF") or one("JA") or one("T3"),
                "doi": first_doi([(tag, entry.get(tag, [])) for tag in RIS_DOI_TAGS], repairs, "DO"),
                "author_keywords": join(keywords),
                "index_keywords": "",
                "abstract": one("AB") or one("N2"),
                "document_type": one("M3") if not _looks_like_doi(one("M3")) else "",
                "language": one("LA"),
                "issn": re.sub(r"\s*\(.*\)\s*$", "", issn.strip()),
                "volume": one("VL"),
                "issue": one("IS"),
                "pages": "-".join(p for p in (one("SP"), one("EP")) if p),
                "cited_by": next(
                    (
                        m.group(1)
                        for n1 in entry.get("N1", [])
                        for m in [re.search(r"Cited By:\s*(\d+)", n1, re.I)]
                        if m
                    ),
                    "",
                ),
            }
        )
        if not rows[-1]["document_type"]:
            rows[-1]["document_type"] = one("TY")
    return record_frame(rows, repairs)


def _looks_like_doi(text: str) -> bool:
    return bool(re.search(r"10\.\d{4,9}/", text))


# --- PubMed MEDLINE (.nbib, "PubMed" format of the PubMed "Save" button)

MEDLINE_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3})\s*-(?: (.*))?$")


def read_medline(text: str, file="<text>") -> pd.DataFrame:
    """PubMed MEDLINE export (``.nbib`` / ``pubmed-*.txt``): ``PMID- `` records separated by blank lines."""
    records, fields, tag, start = [], None, None, 0
    for n, line in enumerate(text.split("\n") + [""], start=1):
        if not line.strip():
            if fields is not None:
                records.append((fields, start))
            fields, tag = None, None
            continue
        match = MEDLINE_LINE.match(line)
        if match is None:
            if line.startswith("      ") and fields is not None and tag is not None:
                fields[tag][-1] += " " + line.strip()
                continue
            raise ExportFormatError(
                file, f"expected a MEDLINE tag line 'XXXX- value', found {line[:30]!r}", line=n, record=len(records) + 1
            )
        tag, value = match.group(1), (match.group(2) or "").strip()
        if fields is None:
            if tag != "PMID":
                raise ExportFormatError(
                    file, f"a record must start with 'PMID- ', found {tag}", line=n, record=len(records) + 1, field=tag
                )
            fields, start = {}, n
        fields.setdefault(tag, []).append(value)
    repairs, rows = Repairs(str(file)), []
    for k, (f, line) in enumerate(records, start=1):

        def one(t, f=f):
            return " ".join(f.get(t, [])).strip()

        if not one("TI") and not one("BTI"):
            raise ExportFormatError(file, "record without a title (TI)", line=line, record=k, field="TI")
        dois = [v[: -len("[doi]")].strip() for v in f.get("LID", []) + f.get("AID", []) if v.endswith("[doi]")]
        rows.append(
            {
                "record": k,
                "line": line,
                "accession": one("PMID"),
                "authors": join(clean_authors(f.get("FAU") or f.get("AU") or [], repairs)),
                "title": one("TI") or one("BTI"),
                "year": parse_year(
                    [("DP", one("DP")), ("DEP", one("DEP")), ("EDAT", one("EDAT"))], file, line, k, "DP"
                ),
                "source": one("JT") or one("TA"),
                "doi": first_doi([("LID/AID", dois)], repairs, "LID/AID"),
                "author_keywords": join(f.get("OT", [])),
                "index_keywords": join(f.get("MH", [])),
                "abstract": one("AB"),
                "document_type": (f.get("PT") or [""])[0],
                "language": (f.get("LA") or [""])[0],
                "issn": re.sub(r"\s*\(.*\)$", "", (f.get("IS") or [""])[0]),
                "volume": one("VI"),
                "issue": one("IP"),
                "pages": one("PG"),
                "cited_by": "",
            }
        )
    return record_frame(rows, repairs)
