"""The synthetic systematic literature review (Stage 0): database exports with known truth.

:func:`simulate_slr` draws a literature of "works" (articles) with a known fate in the
review's flow, renders each work once per search that finds it, in that database's
export format (:mod:`nero.simulate.slr_formats`), and writes beside the exports what a
reviewer would have: a YAML per search, two screeners' decisions at title/abstract and
full-text stage with the consensus on their disagreements, the full-text retrieval
log, a synthetic CABS/AJG journal list, the citation-chasing log, the coding sheet of
the included articles and a VOSviewer thesaurus of author keywords.

Planted on purpose (all listed in ``truth/slr_truth.json``): duplicates across and
within databases (same DOI, with DOI case or prefix variants; DOI missing on one side;
title case and punctuation variants; first author's diacritics dropped by Web of
Science), a pair of distinct works with the same title that must *not* be merged,
off-topic records, records outside the document-type, language and year filters,
journals below the AJG threshold or not on the list, and exactly 70 included articles
(62 from the databases, 8 from citation chasing).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np

from nero.simulate import slr_banks as bk
from nero.simulate import slr_formats as fmt
from nero.simulate.slr_files import coding_sheet, csv_text, journal_list, readme_text, screening_files, search_yaml, truth_record
from nero.simulate.slr_files import thesaurus as thesaurus_file

#: Searches in folder order; ``other`` = identified by other methods (PRISMA 2020).
_MAIN_QUERY = (
    'TITLE-ABS-KEY ( ( digitali* OR digitization OR "digital technolog*" OR e-commerce OR "social media" '
    'OR "digital platform*" ) AND ( internationali* OR export* OR "foreign market*" OR "born global*" ) '
    'AND ( sme* OR "small and medium*" OR "small firm*" ) )'
)
SEARCHES: tuple[dict[str, str], ...] = (
    {"name": "scopus_main", "database": "Scopus", "source_type": "database", "format": "scopus_csv", "file": "scopus.csv",
     "query": _MAIN_QUERY + " AND PUBYEAR > 2010 AND PUBYEAR < 2024", "date": "2023-03-15"},
    {"name": "scopus_supplement", "database": "Scopus", "source_type": "database", "format": "ris", "file": "scopus.ris",
     "query": 'TITLE-ABS-KEY ( ( "cross-border e-commerce" OR "digital marketplace*" OR "online internationali*" ) AND ( sme* OR "small firm*" ) )',
     "date": "2023-03-17"},
    {"name": "scopus_update", "database": "Scopus", "source_type": "database", "format": "bibtex", "file": "scopus.bib",
     "query": _MAIN_QUERY + " AND PUBYEAR > 2022", "date": "2024-01-10"},
    {"name": "wos_main", "database": "Web of Science", "source_type": "database", "format": "wos_plain", "file": "savedrecs.txt",
     "query": 'TS=((digitali* OR "digital technolog*" OR e-commerce OR "social media" OR "digital platform*") AND '
     '(internationali* OR export* OR "foreign market*" OR "born global*") AND (SME* OR "small and medium*" OR "small firm*"))',
     "date": "2023-03-16"},
    {"name": "wos_supplement", "database": "Web of Science", "source_type": "database", "format": "wos_tab", "file": "savedrecs.txt",
     "query": 'TS=(("Industry 4.0" OR "digital transformation" OR "business model innovation") AND (internationali* OR export*) AND (SME* OR "small firm*"))',
     "date": "2023-03-16"},
    {"name": "citation_chasing", "database": "Citation searching", "source_type": "other", "format": "ris", "file": "additions.ris",
     "query": "backward (reference lists of the included articles) and forward (Scopus 'Cited by') citation chasing",
     "date": "2024-02-05"},
)

TA_REASONS = ("not SME", "no digitalisation-internationalisation nexus", "not empirical")
FT_REASONS = ("not empirical", "not SME focus", "no digitalisation-internationalisation link")
CABS_LOW, CABS_UNLISTED = "journal below AJG threshold", "journal not in AJG list"

#: Works by fate (database branch, then citation chasing).
FATES_DB = (
    [("included", None)] * 62
    + [("excluded_report", CABS_LOW)] * 8 + [("excluded_report", CABS_UNLISTED)] * 6
    + [("excluded_report", FT_REASONS[0])] * 12 + [("excluded_report", FT_REASONS[1])] * 8
    + [("excluded_report", FT_REASONS[2])] * 9
    + [("not_retrieved", None)] * 3
    + [("excluded_screening", TA_REASONS[0])] * 70 + [("excluded_screening", TA_REASONS[1])] * 120
    + [("excluded_screening", TA_REASONS[2])] * 45
    + [("filtered", "document type")] * 25 + [("filtered", "language")] * 6 + [("filtered", "publication year")] * 14
)
FATES_OTHER = (
    [("included", None)] * 8 + [("not_retrieved", None)] * 1
    + [("excluded_report", CABS_LOW)] * 2 + [("excluded_report", CABS_UNLISTED)] * 1
    + [("excluded_report", FT_REASONS[0])] * 4 + [("excluded_report", FT_REASONS[1])] * 2
    + [("excluded_report", FT_REASONS[2])] * 2
)
YEARS = np.arange(2011, 2024)
YEAR_WEIGHTS = np.linspace(1.0, 4.0, len(YEARS)) / np.linspace(1.0, 4.0, len(YEARS)).sum()
PERIODS = {"2011-2016": (2011, 2016), "2017-2020": (2017, 2020), "2021-2023": (2021, 2023)}


class _Draw:
    """Small helper over one numpy generator (choices over tuples, deterministic)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def one(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def some(self, seq, k):
        idx = self.rng.choice(len(seq), size=min(k, len(seq)), replace=False)
        return [seq[i] for i in sorted(int(i) for i in idx)]

    def p(self, prob):
        return bool(self.rng.random() < prob)


def _authors(d: _Draw, registry: dict[tuple[str, str], str], n: int) -> list[tuple[str, str, str]]:
    out = []
    names = set()
    while len(out) < n:
        name = (d.one(bk.SURNAMES), d.one(bk.GIVEN))
        if name in names:
            continue
        names.add(name)
        if name not in registry:
            registry[name] = str(57190000000 + 7919 * (len(registry) + 1))
        out.append((name[0], name[1], registry[name]))
    return out


def _keywords(d: _Draw, work: dict) -> tuple[list[str], list[str]]:
    """Canonical keywords of a work and their spelling in the records."""
    if work["topic"] == "off":
        canon = d.some(bk.OFFTOPIC_KEYWORDS, 3)
    else:
        canon = d.some(bk.THEMES["core"], 2 + int(d.p(0.5)))
        if work["pathway"] == "deep transformation":
            canon += d.some(bk.THEMES["transformation"], 2 + int(d.p(0.5))) + d.some(bk.THEMES["performance"], 1)
        else:
            canon += d.some(bk.THEMES["platforms"], 2 + int(d.p(0.5))) + d.some(bk.THEMES["performance"], int(d.p(0.5)))
        context = [k for k in bk.THEMES["context"] if k != "covid-19" or work["year"] >= 2020]
        if work["year"] >= 2020 and d.p(0.6):
            canon.append("covid-19")
        elif d.p(0.4):
            canon.append(d.one(tuple(k for k in context if k != "covid-19")))
        if work["year"] <= 2016 and d.p(0.7):
            canon.append(d.one(bk.EARLY_ONLY))
    canon = list(dict.fromkeys(canon))
    spelled = [d.one(bk.VARIANTS[k]) if k in bk.VARIANTS else k for k in canon]
    return canon, spelled


def _title(d: _Draw, work: dict) -> str:
    if work["topic"] == "off":
        reason = work["reason"]
        template = {
            TA_REASONS[0]: bk.OFFTOPIC_TEMPLATES[d.one((0, 1))],
            TA_REASONS[2]: bk.OFFTOPIC_TEMPLATES[2],
        }.get(reason, bk.OFFTOPIC_TEMPLATES[d.one((3, 4))])
        return template.format(topic=d.one(bk.OFFTOPIC_TOPICS), country=d.one(bk.COUNTRIES[:-1]))
    tech = d.one(bk.TECH_PHRASES[work["tech_groups"][0]])
    outcome = d.one(bk.OUTCOME_PHRASES[work["outcomes"][0]])
    text = d.one(bk.TITLE_TEMPLATES).format(
        tech=tech, Tech=tech[0].upper() + tech[1:], outcome=outcome, country=work["country"],
        method=work["method"], mediator=work["mediators"][0], industry=work["industry"],
    )
    return text.replace("  ", " ")


def _abstract(work: dict) -> str:
    if work["topic"] == "off":
        return (f"This paper studies {work['title'].split(':')[0].lower()}. "
                "The findings speak to managers and policy makers; implications and limitations are discussed.")
    return (
        f"This {work['method']} study examines how {work['tech_groups'][0]} technologies relate to the "
        f"internationalisation of small and medium-sized enterprises in {work['country']}. "
        f"We find that {work['mediators'][0]} links digitalisation to the {work['outcomes'][0]} of foreign expansion, "
        f"conditioned by {work['boundary_conditions'][0] if work['boundary_conditions'] else 'firm resources'}. "
        "Implications for SMEs and policy are discussed."
    )


def _coding(d: _Draw, work: dict) -> None:
    deep = work["pathway"] == "deep transformation"
    if deep:
        groups = d.some(("planning", "design", "production", "supply chain"), 1 + int(d.rng.integers(1, 3)))
        if d.p(0.6):
            groups.append("marketing/sales")
        mediators = d.some(("digital international entrepreneurship", "business model innovation", "firm-specific advantage transformation"), 1 + int(d.p(0.5)))
        outcomes = d.some(("scope", "performance"), 1 + int(d.p(0.4))) + (["scale"] if d.p(0.2) else [])
        processes = d.some(("organisational learning", "capability building", "process digitisation"), 1 + int(d.p(0.5)))
    else:
        groups = ["marketing/sales"] + (["design"] if d.p(0.15) else [])
        mediators = ["digital international marketing"] + (["digital international entrepreneurship"] if d.p(0.3) else [])
        outcomes = d.some(("speed", "scale"), 1 + int(d.p(0.4))) + (["performance"] if d.p(0.2) else [])
        processes = ["platform adoption"] + (["organisational learning"] if d.p(0.2) else [])
    order = {g: i for i, g in enumerate(bk.TECH_GROUPS)}
    work["tech_groups"] = sorted(set(groups), key=order.get)
    work["mediators"] = list(dict.fromkeys(mediators))
    work["outcomes"] = sorted(set(outcomes), key=bk.OUTCOMES.index)
    work["processes"] = list(dict.fromkeys(processes))
    work["antecedents"] = d.some(tuple(bk.ANTECEDENTS), 1 + int(d.rng.integers(0, 3)))
    work["boundary_conditions"] = d.some(tuple(bk.BOUNDARY_CONDITIONS), int(d.rng.integers(0, 3)))
    work["method"] = d.one(bk.METHODS)
    work["country"] = d.one(bk.COUNTRIES)
    work["industry"] = d.one(bk.INDUSTRIES)


def _draw_works(seed: int) -> list[dict]:
    d = _Draw(np.random.default_rng([int(seed), 17017]))
    works: list[dict] = []
    titles: set[str] = set()
    dois: set[str] = set()
    registry: dict[tuple[str, str], str] = {}
    fates = [("database", f) for f in FATES_DB] + [("other", f) for f in FATES_OTHER]
    n_included = 0
    for k, (branch, (fate, reason)) in enumerate(fates):
        work: dict[str, Any] = {"work": f"W{k + 1:03d}", "branch": branch, "fate": fate, "reason": reason}
        work["topic"] = "off" if fate == "excluded_screening" else "on"
        year = int(d.rng.choice(YEARS, p=YEAR_WEIGHTS))
        if reason == "publication year":
            year = d.one((2008, 2009, 2010, 2024))
        work["year"] = year
        work["pathway"] = None
        if work["topic"] == "on":
            if fate == "included":
                n_included += 1
                work["pathway"] = bk.PATHWAYS[0] if n_included % 12 in (1, 3, 5, 8, 10) else bk.PATHWAYS[1]
            else:
                work["pathway"] = d.one(bk.PATHWAYS)
            _coding(d, work)
        else:
            work.update(tech_groups=[], mediators=[], outcomes=[], processes=[], antecedents=[], boundary_conditions=[],
                        method=d.one(bk.METHODS), country=d.one(bk.COUNTRIES[:-1]), industry=d.one(bk.INDUSTRIES))
        while True:
            title = _title(d, work)
            if title.lower() not in titles:
                break
        titles.add(title.lower())
        work["title"] = title
        if reason == CABS_LOW:
            journal = d.one(bk.LOW_JOURNALS)
        elif reason == CABS_UNLISTED:
            journal = d.one(bk.UNLISTED_JOURNALS)
        elif fate == "excluded_screening":
            journal = d.one(bk.JOURNALS)
        else:
            journal = d.one(bk.GOOD_JOURNALS)
        work["journal"] = journal
        work["authors"] = _authors(d, registry, 1 + int(d.rng.integers(1, 4)))
        work["canon_keywords"], work["author_keywords"] = _keywords(d, work)
        work["doc_type"] = "Article"
        if reason == "document type":
            work["doc_type"] = d.one(("Conference Paper", "Conference Paper", "Review"))
        work["language"] = d.one(("German", "Spanish", "Chinese", "Portuguese")) if reason == "language" else "English"
        work["abstract"] = _abstract(work)
        j = bk.JOURNALS.index(journal)
        work["volume"] = year - 2000 + j
        work["issue"] = 1 + int(d.rng.integers(0, 6))
        work["bp"] = 1 + int(d.rng.integers(0, 900))
        work["ep"] = work["bp"] + 12 + int(d.rng.integers(0, 25))
        work["doi"] = None
        if not d.p(0.05):
            while work["doi"] is None or work["doi"] in dois:
                work["doi"] = f"10.5555/{journal[1].lower().replace(' ', '')}.{year}.{int(d.rng.integers(1000, 9999))}"
            dois.add(work["doi"])
        work["cited_by"] = int(d.rng.poisson(3 + 2 * (2023 - min(year, 2023))))
        work["month"] = 1 + int(d.rng.integers(0, 12))
        work["n_refs"] = 30 + int(d.rng.integers(0, 70))
        work["index_keywords"] = d.some(("Internationalization", "Small And Medium-sized Enterprise", "Digital Technologies", "Electronic Commerce", "Export"), 2)
        works.append(work)
    return works


def _searches_of(d: _Draw, work: dict) -> list[str]:
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


def _title_variant(d: _Draw, title: str) -> str:
    kind = int(d.rng.integers(0, 4))
    if kind == 0:
        return title.upper()
    if kind == 1:
        small = {"and", "of", "the", "in", "to", "a", "from", "on"}
        return " ".join(w if w in small else w[:1].upper() + w[1:] for w in title.split(" "))
    if kind == 2:
        return title.replace(": ", " - ").replace("?", "") + "."
    return title.replace("-", " ").replace("'", "’")


def _appearances(seed: int, works: list[dict], searches: tuple[dict[str, str], ...]) -> tuple[dict[str, list[dict]], list[dict]]:
    """Render every work in every search that finds it; return records per search and duplicate groups."""
    d = _Draw(np.random.default_rng([int(seed), 17018]))
    per_search: dict[str, list[dict]] = {s["name"]: [] for s in searches}
    groups = []
    for work in works:
        found = _searches_of(d, work)
        eid = f"2-s2.0-85{int(d.rng.integers(10**8, 10**9)):09d}"
        ut = f"WOS:000{int(d.rng.integers(10**11, 10**12)):012d}"
        kind = "single"
        if len(found) > 1:
            kind = "same DOI" if work["doi"] else "no DOI anywhere"
            r = d.rng.random()
            if work["doi"] and r < 0.22:
                kind = "DOI missing on one side"
            elif work["doi"] and r < 0.36:
                kind = "title variant, DOI missing on one side"
        j = bk.JOURNALS.index(work["journal"])
        members = []
        for pos, search in enumerate(found):
            wos = search.startswith("wos")
            rec = {k: work[k] for k in ("title", "year", "volume", "issue", "bp", "ep", "doi", "abstract", "author_keywords",
                                         "index_keywords", "doc_type", "language", "cited_by", "month", "n_refs")}
            rec.update(
                accession=ut if wos else eid,
                authors=work["authors"],
                journal=work["journal"][0], abbrev=work["journal"][1], issn=bk.issn(j),
                publisher=bk.PUBLISHERS[j % len(bk.PUBLISHERS)],
                affiliations=[f"Department of Management, Example University {1 + (hash_int(a[0]) % 40)}, {work['country'] if work['country'] != 'Multi-country' else 'Singapore'}" for a in work["authors"]],
                md5=hashlib.md5(f"{eid}{search}".encode()).hexdigest(),
                usage=(int(d.rng.integers(0, 20)), int(d.rng.integers(5, 60))),
                ga=f"{chr(65 + int(d.rng.integers(0, 26)))}{chr(65 + int(d.rng.integers(0, 26)))}{int(d.rng.integers(1, 9))}{chr(65 + int(d.rng.integers(0, 26)))}{int(d.rng.integers(10, 99))}",
                export_date=next(s["date"] for s in searches if s["name"] == search),
                fold_names=wos and any(fmt.ascii_fold(a[0]) != a[0] for a in work["authors"][:1]) and d.p(0.6),
            )
            rec["export_date_long"] = _long_date(rec["export_date"])
            if pos > 0 and kind in ("DOI missing on one side", "title variant, DOI missing on one side"):
                rec["doi"] = None
                if kind.startswith("title variant"):
                    rec["title"] = _title_variant(d, work["title"])
            elif rec["doi"] and wos and d.p(0.3):
                prefix, suffix = rec["doi"].split("/", 1)
                rec["doi"] = f"{prefix}/{suffix.upper()}"
            elif rec["doi"] and search == "scopus_supplement" and d.p(0.5):
                rec["doi"] = "https://doi.org/" + rec["doi"]
            rec["work"] = work["work"]
            per_search[search].append(rec)
            members.append({"search": search, "accession": rec["accession"], "doi": rec["doi"], "title": rec["title"],
                            "first_author": f"{fmt.ascii_fold(rec['authors'][0][0]) if rec['fold_names'] else rec['authors'][0][0]}"})
        work["members"] = members
        work["kept_accession"] = members[0]["accession"]
        work["duplicate_kind"] = kind
        if len(members) > 1:
            groups.append({"work": work["work"], "kind": kind, "members": members})
    for search, recs in per_search.items():
        order = d.rng.permutation(len(recs))
        per_search[search] = [recs[i] for i in order]
    return per_search, groups


def hash_int(text: str) -> int:
    """A stable small integer of a string (not Python's salted hash)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def _long_date(iso: str) -> str:
    year, month, day = iso.split("-")
    names = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
    return f"{int(day)} {names[int(month) - 1]} {year}"


def _add_trap(seed: int, works: list[dict], per_search: dict[str, list[dict]]) -> dict:
    """A second, distinct work with the title of an included one: other year, other first author, no DOI."""
    d = _Draw(np.random.default_rng([int(seed), 17019]))
    original = next(w for w in works if w["fate"] == "included" and w["branch"] == "database" and w["year"] <= 2020)
    surname = next(s for s in bk.SURNAMES if s != original["authors"][0][0] and fmt.ascii_fold(s) == s)
    rec = dict(next(r for recs in per_search.values() for r in recs if r["work"] == original["work"]))
    rec.update(
        accession=f"WOS:000{int(d.rng.integers(10**11, 10**12)):012d}", doi=None, year=original["year"] + 2,
        authors=[(surname, "Alex", "57189999991")] + rec["authors"][1:], cited_by=1, fold_names=False,
        doc_type="Article", work="W999", journal=bk.LOW_JOURNALS[0][0], abbrev=bk.LOW_JOURNALS[0][1],
        issn=bk.issn(bk.JOURNALS.index(bk.LOW_JOURNALS[0])),
    )
    per_search["wos_main"].append(rec)
    return {"work": "W999", "accession": rec["accession"], "same_title_as": original["work"],
            "year": rec["year"], "first_author": surname}


def _search_dates(seed: int) -> tuple[dict[str, str], ...]:
    """The searches with their dates moved by a seeded 0-27 days (the review ran at some point in that window)."""
    import datetime as dt

    shift = dt.timedelta(days=int(np.random.default_rng([int(seed), 17021]).integers(0, 28)))
    return tuple({**s, "date": (dt.date.fromisoformat(s["date"]) + shift).isoformat()} for s in SEARCHES)


def simulate_slr(seed: int, out_raw: str | Path) -> dict[str, Any]:
    """Write ``out_raw/slr/...`` for ``seed`` and return the truth (``slr_truth.json``)."""
    root = Path(out_raw) / "slr"
    searches = _search_dates(seed)
    works = _draw_works(seed)
    per_search, groups = _appearances(seed, works, searches)
    trap = _add_trap(seed, works, per_search)
    by_id = {w["work"]: w for w in works}
    files: dict[str, str] = {}
    writers = {"scopus_csv": fmt.scopus_csv, "wos_plain": fmt.wos_plain_text, "wos_tab": fmt.wos_tab_delimited,
               "ris": fmt.ris, "bibtex": fmt.bibtex}
    for search in searches:
        recs = per_search[search["name"]]
        folder = f"searches/{search['name']}"
        files[f"{folder}/{search['file']}"] = writers[search["format"]](recs)
        files[f"{folder}/search.yaml"] = search_yaml(search, len(recs))

    d = _Draw(np.random.default_rng([int(seed), 17020]))
    db_works = [w for w in works if w["branch"] == "database"]
    screened = [w for w in db_works if w["fate"] != "filtered"]
    ta_truth = {w["kept_accession"]: (("exclude", w["reason"]) if w["fate"] == "excluded_screening" else ("include", "")) for w in screened}
    ta_truth[trap["accession"]] = ("exclude", TA_REASONS[2])
    units = [(w["kept_accession"], w["title"], w["work"], w["year"]) for w in screened]
    units.append((trap["accession"], by_id[trap["same_title_as"]]["title"], "W999", trap["year"]))
    units = [units[i] for i in d.rng.permutation(len(units))]
    ta_files, ta_stats = screening_files(d, units, ta_truth, TA_REASONS, (0.04, 0.06))
    sought = [w for w in works if w["fate"] in ("included", "excluded_report", "not_retrieved")]
    retrieval = [[w["kept_accession"], "no" if w["fate"] == "not_retrieved" else "yes",
                  "no access through the library; author did not reply" if w["fate"] == "not_retrieved" else ""] for w in sought]
    assessed = [w for w in sought if w["fate"] != "not_retrieved" and w["reason"] not in (CABS_LOW, CABS_UNLISTED)]
    ft_truth = {w["kept_accession"]: (("include", "") if w["fate"] == "included" else ("exclude", w["reason"])) for w in assessed}
    ft_units = [(w["kept_accession"], w["title"], w["work"], w["year"]) for w in assessed]
    ft_units = [ft_units[i] for i in d.rng.permutation(len(ft_units))]
    ft_files, ft_stats = screening_files(d, ft_units, ft_truth, FT_REASONS, (0.05, 0.08))
    for stage, fs in (("title_abstract", ta_files), ("full_text", ft_files)):
        for name, text in fs.items():
            files[f"screening/{stage}_{name}.csv"] = text
    files["screening/full_text_retrieval.csv"] = csv_text(retrieval, ["accession", "retrieved", "note"])
    other = [w for w in works if w["branch"] == "other"]
    included_db = [w for w in works if w["fate"] == "included" and w["branch"] == "database"]
    chasing = [[w["kept_accession"], "backward" if k % 3 else "forward", included_db[(7 * k) % len(included_db)]["kept_accession"]]
               for k, w in enumerate(other)]
    files["searches/citation_chasing/chasing_log.csv"] = csv_text(chasing, ["accession", "method", "seed_accession"])
    included = [w for w in works if w["fate"] == "included"]
    files["coding_sheet.csv"], coding_truth = coding_sheet(included)
    files["journal_list.csv"] = journal_list(d)
    files["thesaurus_keywords.txt"], thesaurus = thesaurus_file(d)
    files["README.md"] = readme_text(seed)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return truth_record(SEARCHES, PERIODS, seed, works, groups, trap, per_search, ta_stats, ft_stats, coding_truth, thesaurus, included)
