"""The searches of the synthetic review and the records each of them exports.

:data:`SEARCHES` lists the review's searches in folder order; :func:`search_dates`
moves their dates by a seeded offset. :func:`appearances` decides which searches
find each work of :func:`nero.simulate.slr_works.draw_works` and renders one record
per appearance, planting the duplicate variants (DOI case or prefix, DOI missing on
one side, title variants, first author's diacritics dropped by Web of Science);
:func:`add_trap` adds a distinct work with the title of an included one.
Each step draws from its own random stream (``[seed, 17018]``, ``[seed, 17019]``,
``[seed, 17021]``).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from nero.simulate import slr_banks as bk
from nero.simulate import slr_formats as fmt
from nero.simulate.slr_works import Draw

_MAIN_QUERY = (
    'TITLE-ABS-KEY ( ( digitali* OR digitization OR "digital technolog*" OR e-commerce OR "social media" '
    'OR "digital platform*" ) AND ( internationali* OR export* OR "foreign market*" OR "born global*" ) '
    'AND ( sme* OR "small and medium*" OR "small firm*" ) )'
)
#: Searches in folder order; ``other`` = identified by other methods (PRISMA 2020).
SEARCHES: tuple[dict[str, str], ...] = (
    {
        "name": "scopus_main",
        "database": "Scopus",
        "source_type": "database",
        "format": "scopus_csv",
        "file": "scopus.csv",
        "query": _MAIN_QUERY + " AND PUBYEAR > 2010 AND PUBYEAR < 2024",
        "date": "2023-03-15",
    },
    {
        "name": "scopus_supplement",
        "database": "Scopus",
        "source_type": "database",
        "format": "ris",
        "file": "scopus.ris",
        "query": 'TITLE-ABS-KEY ( ( "cross-border e-commerce" OR "digital marketplace*" OR "online internationali*" ) AND ( sme* OR "small firm*" ) )',
        "date": "2023-03-17",
    },
    {
        "name": "scopus_update",
        "database": "Scopus",
        "source_type": "database",
        "format": "bibtex",
        "file": "scopus.bib",
        "query": _MAIN_QUERY + " AND PUBYEAR > 2022",
        "date": "2024-01-10",
    },
    {
        "name": "wos_main",
        "database": "Web of Science",
        "source_type": "database",
        "format": "wos_plain",
        "file": "savedrecs.txt",
        "query": 'TS=((digitali* OR "digital technolog*" OR e-commerce OR "social media" OR "digital platform*") AND '
        '(internationali* OR export* OR "foreign market*" OR "born global*") AND (SME* OR "small and medium*" OR "small firm*"))',
        "date": "2023-03-16",
    },
    {
        "name": "wos_supplement",
        "database": "Web of Science",
        "source_type": "database",
        "format": "wos_tab",
        "file": "savedrecs.txt",
        "query": 'TS=(("Industry 4.0" OR "digital transformation" OR "business model innovation") AND (internationali* OR export*) AND (SME* OR "small firm*"))',  # noqa: E501
        "date": "2023-03-16",
    },
    {
        "name": "citation_chasing",
        "database": "Citation searching",
        "source_type": "other",
        "format": "ris",
        "file": "additions.ris",
        "query": "backward (reference lists of the included articles) and forward (Scopus 'Cited by') citation chasing",
        "date": "2024-02-05",
    },
)

#: Fields a record copies from its work unchanged.
_WORK_FIELDS = (
    "title",
    "year",
    "volume",
    "issue",
    "bp",
    "ep",
    "doi",
    "abstract",
    "author_keywords",
    "index_keywords",
    "doc_type",
    "language",
    "cited_by",
    "month",
    "n_refs",
)
#: Duplicate kinds whose later appearances lose the DOI.
_DOI_DROPPED = ("DOI missing on one side", "title variant, DOI missing on one side")


def hash_int(text: str) -> int:
    """A stable small integer of a string (not Python's salted hash)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def _long_date(iso: str) -> str:
    year, month, day = iso.split("-")
    names = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    return f"{int(day)} {names[int(month) - 1]} {year}"


def search_dates(seed: int) -> tuple[dict[str, str], ...]:
    """The searches with their dates moved by a seeded 0-27 days (the review ran at some point in that window)."""
    shift = dt.timedelta(days=int(np.random.default_rng([int(seed), 17021]).integers(0, 28)))
    return tuple({**s, "date": (dt.date.fromisoformat(s["date"]) + shift).isoformat()} for s in SEARCHES)


def _searches_of(d: Draw, work: dict) -> list[str]:
    """Which searches find a work."""
    if work["branch"] == "other":
        return ["citation_chasing"]
    year = work["year"]
    found = []
    if 2011 <= year <= 2023 and d.p(0.82):
        found.append("scopus_main")
    themes = set(work["canon_keywords"])
    if themes & {"e-commerce", "digital platforms", "online marketing"} and d.p(0.45):
        found.append("scopus_supplement")
    if year >= 2023 and (d.p(0.7) or not found):
        found.append("scopus_update")
    if d.p(0.58):
        found.append("wos_main")
    if themes & {"digital transformation", "industry 4.0", "business model innovation"} and d.p(0.4):
        found.append("wos_supplement")
    if not found:
        found.append("wos_main" if (year < 2011 or year > 2023 or d.p(0.5)) else "scopus_main")
    return found


def _title_variant(d: Draw, title: str) -> str:
    kind = int(d.rng.integers(0, 4))
    if kind == 0:
        return title.upper()
    if kind == 1:
        small = {"and", "of", "the", "in", "to", "a", "from", "on"}
        return " ".join(w if w in small else w[:1].upper() + w[1:] for w in title.split(" "))
    if kind == 2:
        return title.replace(": ", " - ").replace("?", "") + "."
    return title.replace("-", " ").replace("'", "’")


def _duplicate_kind(d: Draw, work: dict, found: list[str]) -> str:
    """How the appearances of a work found by several searches differ (one draw when there are several)."""
    kind = "single"
    if len(found) > 1:
        kind = "same DOI" if work["doi"] else "no DOI anywhere"
        r = d.rng.random()
        if work["doi"] and r < 0.22:
            kind = "DOI missing on one side"
        elif work["doi"] and r < 0.36:
            kind = "title variant, DOI missing on one side"
    return kind


def _random_ga(d: Draw) -> str:
    """A Web of Science document delivery number (``GA``), e.g. ``AB1C23``."""
    return (
        f"{chr(65 + int(d.rng.integers(0, 26)))}{chr(65 + int(d.rng.integers(0, 26)))}{int(d.rng.integers(1, 9))}"
        f"{chr(65 + int(d.rng.integers(0, 26)))}{int(d.rng.integers(10, 99))}"
    )


def _record(d: Draw, work: dict, search: str, ids: tuple[str, str], export_date: str) -> dict:
    """The record of ``work`` in ``search`` before its duplicate variants (``ids`` = Scopus EID, WoS UT)."""
    eid, ut = ids
    wos = search.startswith("wos")
    j = bk.JOURNALS.index(work["journal"])
    country = work["country"] if work["country"] != "Multi-country" else "Singapore"
    rec = {k: work[k] for k in _WORK_FIELDS}
    rec.update(
        accession=ut if wos else eid,
        authors=work["authors"],
        journal=work["journal"][0],
        abbrev=work["journal"][1],
        issn=bk.issn(j),
        publisher=bk.PUBLISHERS[j % len(bk.PUBLISHERS)],
        affiliations=[
            f"Department of Management, Example University {1 + (hash_int(a[0]) % 40)}, {country}"
            for a in work["authors"]
        ],
        md5=hashlib.md5(f"{eid}{search}".encode()).hexdigest(),
        usage=(int(d.rng.integers(0, 20)), int(d.rng.integers(5, 60))),
        ga=_random_ga(d),
        export_date=export_date,
        fold_names=wos and any(fmt.ascii_fold(a[0]) != a[0] for a in work["authors"][:1]) and d.p(0.6),
    )
    rec["export_date_long"] = _long_date(rec["export_date"])
    return rec


def _vary(d: Draw, rec: dict, work: dict, search: str, pos: int, kind: str) -> None:
    """Plant the duplicate variant of a later appearance, or a DOI case / URL-prefix variant."""
    if pos > 0 and kind in _DOI_DROPPED:
        rec["doi"] = None
        if kind.startswith("title variant"):
            rec["title"] = _title_variant(d, work["title"])
    elif rec["doi"] and search.startswith("wos") and d.p(0.3):
        prefix, suffix = rec["doi"].split("/", 1)
        rec["doi"] = f"{prefix}/{suffix.upper()}"
    elif rec["doi"] and search == "scopus_supplement" and d.p(0.5):
        rec["doi"] = "https://doi.org/" + rec["doi"]


def _member(search: str, rec: dict) -> dict:
    """What the truth records of one appearance in a duplicate group."""
    first = rec["authors"][0][0]
    return {
        "search": search,
        "accession": rec["accession"],
        "doi": rec["doi"],
        "title": rec["title"],
        "first_author": f"{fmt.ascii_fold(first) if rec['fold_names'] else first}",
    }


def _render_work(d: Draw, work: dict, dates: dict[str, str], per_search: dict[str, list[dict]]) -> str:
    """Append a record of ``work`` to every search that finds it; return its duplicate kind."""
    found = _searches_of(d, work)
    eid = f"2-s2.0-85{int(d.rng.integers(10**8, 10**9)):09d}"
    ut = f"WOS:000{int(d.rng.integers(10**11, 10**12)):012d}"
    kind = _duplicate_kind(d, work, found)
    members = []
    for pos, search in enumerate(found):
        rec = _record(d, work, search, (eid, ut), dates[search])
        _vary(d, rec, work, search, pos, kind)
        rec["work"] = work["work"]
        per_search[search].append(rec)
        members.append(_member(search, rec))
    work["members"] = members
    work["kept_accession"] = members[0]["accession"]
    work["duplicate_kind"] = kind
    return kind


def appearances(
    seed: int, works: list[dict], searches: tuple[dict[str, str], ...]
) -> tuple[dict[str, list[dict]], list[dict]]:
    """Render every work in every search that finds it; return records per search and duplicate groups.

    Each work gains ``members`` (its appearances), ``kept_accession`` (the first) and
    ``duplicate_kind``; each search's records are shuffled at the end.
    """
    d = Draw(np.random.default_rng([int(seed), 17018]))
    per_search: dict[str, list[dict]] = {s["name"]: [] for s in searches}
    dates = {s["name"]: s["date"] for s in searches}
    groups = []
    for work in works:
        kind = _render_work(d, work, dates, per_search)
        if len(work["members"]) > 1:
            groups.append({"work": work["work"], "kind": kind, "members": work["members"]})
    for search, recs in per_search.items():
        order = d.rng.permutation(len(recs))
        per_search[search] = [recs[i] for i in order]
    return per_search, groups


def add_trap(seed: int, works: list[dict], per_search: dict[str, list[dict]]) -> dict:
    """A second, distinct work with the title of an included one: other year, other first author, no DOI."""
    d = Draw(np.random.default_rng([int(seed), 17019]))
    original = next(w for w in works if w["fate"] == "included" and w["branch"] == "database" and w["year"] <= 2020)
    surname = next(s for s in bk.SURNAMES if s != original["authors"][0][0] and fmt.ascii_fold(s) == s)
    rec = dict(next(r for recs in per_search.values() for r in recs if r["work"] == original["work"]))
    rec.update(
        accession=f"WOS:000{int(d.rng.integers(10**11, 10**12)):012d}",
        doi=None,
        year=original["year"] + 2,
        authors=[(surname, "Alex", "57189999991")] + rec["authors"][1:],
        cited_by=1,
        fold_names=False,
        doc_type="Article",
        work="W999",
        journal=bk.LOW_JOURNALS[0][0],
        abbrev=bk.LOW_JOURNALS[0][1],
        issn=bk.issn(bk.JOURNALS.index(bk.LOW_JOURNALS[0])),
    )
    per_search["wos_main"].append(rec)
    return {
        "work": "W999",
        "accession": rec["accession"],
        "same_title_as": original["work"],
        "year": rec["year"],
        "first_author": surname,
    }
