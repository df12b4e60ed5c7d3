"""The literature of the synthetic review: every work, its fate in the review and its text.

:func:`draw_works` draws one "work" (article) per planned fate, in a fixed order from
its own random stream (``[seed, 17017]``): year, coding (technology groups, mediators,
outcomes, ...), a title unique in the literature, journal, authors, keywords, document
type, language, abstract and bibliographic details. :mod:`nero.simulate.slr_appearances`
then renders each work in the searches that find it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nero.simulate import slr_banks as bk
from nero.slr import coding as apmo

TA_REASONS = ("not SME", "no digitalisation-internationalisation nexus", "not empirical")
FT_REASONS = ("not empirical", "not SME focus", "no digitalisation-internationalisation link")
CABS_LOW, CABS_UNLISTED = "journal below AJG threshold", "journal not in AJG list"

#: Variants of the review's literature: ``planted`` (the shipped review: 70 included articles on
#: both pathways) and ``narrow`` (the ``mismeasured`` process of :mod:`nero.simulate.scenarios`:
#: eight of the database branch's included articles are excluded at full text instead, so 62 are
#: included, and every included article follows the deep transformation pathway, so the lightweight
#: entry pathway and its mediator, digital international marketing, are absent).
SLR_VARIANTS = ("planted", "narrow")
#: Included articles of the database branch that the ``narrow`` variant excludes at full text.
NARROW_DROPPED = 8

#: Works by fate (database branch, then citation chasing).
FATES_DB = (
    [("included", None)] * 62
    + [("excluded_report", CABS_LOW)] * 8
    + [("excluded_report", CABS_UNLISTED)] * 6
    + [("excluded_report", FT_REASONS[0])] * 12
    + [("excluded_report", FT_REASONS[1])] * 8
    + [("excluded_report", FT_REASONS[2])] * 9
    + [("not_retrieved", None)] * 3
    + [("excluded_screening", TA_REASONS[0])] * 70
    + [("excluded_screening", TA_REASONS[1])] * 120
    + [("excluded_screening", TA_REASONS[2])] * 45
    + [("filtered", "document type")] * 25
    + [("filtered", "language")] * 6
    + [("filtered", "publication year")] * 14
)
FATES_OTHER = (
    [("included", None)] * 8
    + [("not_retrieved", None)] * 1
    + [("excluded_report", CABS_LOW)] * 2
    + [("excluded_report", CABS_UNLISTED)] * 1
    + [("excluded_report", FT_REASONS[0])] * 4
    + [("excluded_report", FT_REASONS[1])] * 2
    + [("excluded_report", FT_REASONS[2])] * 2
)
YEARS = np.arange(2011, 2024)
YEAR_WEIGHTS = np.linspace(1.0, 4.0, len(YEARS)) / np.linspace(1.0, 4.0, len(YEARS)).sum()

#: Index keywords a database adds to every record (two drawn per work).
INDEX_KEYWORDS = (
    "Internationalization",
    "Small And Medium-sized Enterprise",
    "Digital Technologies",
    "Electronic Commerce",
    "Export",
)


class Draw:
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


def _authors(d: Draw, registry: dict[tuple[str, str], str], n: int) -> list[tuple[str, str, str]]:
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


def _keywords(d: Draw, work: dict) -> tuple[list[str], list[str]]:
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


def _title(d: Draw, work: dict) -> str:
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
        tech=tech,
        Tech=tech[0].upper() + tech[1:],
        outcome=outcome,
        country=work["country"],
        method=work["method"],
        mediator=work["mediators"][0],
        industry=work["industry"],
    )
    return text.replace("  ", " ")


def _abstract(work: dict) -> str:
    if work["topic"] == "off":
        return (
            f"This paper studies {work['title'].split(':')[0].lower()}. "
            "The findings speak to managers and policy makers; implications and limitations are discussed."
        )
    return (
        f"This {work['method']} study examines how {work['tech_groups'][0]} technologies relate to the "
        f"internationalisation of small and medium-sized enterprises in {work['country']}. "
        f"We find that {work['mediators'][0]} links digitalisation to the {work['outcomes'][0]} of foreign expansion, "
        f"conditioned by {work['boundary_conditions'][0] if work['boundary_conditions'] else 'firm resources'}. "
        "Implications for SMEs and policy are discussed."
    )


def _coding(d: Draw, work: dict) -> None:
    deep = work["pathway"] == "deep transformation"
    if deep:
        groups = d.some(("planning", "design", "production", "supply chain"), 1 + int(d.rng.integers(1, 3)))
        if d.p(0.6):
            groups.append("marketing/sales")
        mediators = d.some(
            (
                "digital international entrepreneurship",
                "business model innovation",
                "firm-specific advantage transformation",
            ),
            1 + int(d.p(0.5)),
        )
        outcomes = d.some(("scope", "performance"), 1 + int(d.p(0.4))) + (["scale"] if d.p(0.2) else [])
        processes = d.some(
            ("organisational learning", "capability building", "process digitisation"), 1 + int(d.p(0.5))
        )
    else:
        groups = ["marketing/sales"] + (["design"] if d.p(0.15) else [])
        mediators = ["digital international marketing"] + (
            ["digital international entrepreneurship"] if d.p(0.3) else []
        )
        outcomes = d.some(("speed", "scale"), 1 + int(d.p(0.4))) + (["performance"] if d.p(0.2) else [])
        processes = ["platform adoption"] + (["organisational learning"] if d.p(0.2) else [])
    order = {g: i for i, g in enumerate(apmo.TECH_GROUPS)}
    work["tech_groups"] = sorted(set(groups), key=order.get)
    work["mediators"] = list(dict.fromkeys(mediators))
    work["outcomes"] = sorted(set(outcomes), key=apmo.OUTCOMES.index)
    work["processes"] = list(dict.fromkeys(processes))
    work["antecedents"] = d.some(tuple(apmo.ANTECEDENTS), 1 + int(d.rng.integers(0, 3)))
    work["boundary_conditions"] = d.some(tuple(apmo.BOUNDARY_CONDITIONS), int(d.rng.integers(0, 3)))
    work["method"] = d.one(apmo.METHODS)
    work["country"] = d.one(bk.COUNTRIES)
    work["industry"] = d.one(bk.INDUSTRIES)


def _draw_year(d: Draw, reason: str | None) -> int:
    """Publication year (weighted towards recent years); outside 2011-2023 for the year filter."""
    year = int(d.rng.choice(YEARS, p=YEAR_WEIGHTS))
    if reason == "publication year":
        year = d.one((2008, 2009, 2010, 2024))
    return year


def _draw_content(d: Draw, work: dict, n_included: int, variant: str = "planted") -> None:
    """Pathway and coding of an on-topic work; no coding but method, country and industry for an off-topic one.

    The ``n_included``-th included work follows the light-touch pathway when
    ``n_included % 12`` is 1, 3, 5, 8 or 10 (a fixed mix of the two pathways).
    """
    work["pathway"] = None
    if work["topic"] == "on":
        if work["fate"] == "included" and variant == "narrow":
            work["pathway"] = "deep transformation"
        elif work["fate"] == "included":
            work["pathway"] = apmo.PATHWAYS[0] if n_included % 12 in (1, 3, 5, 8, 10) else apmo.PATHWAYS[1]
        else:
            work["pathway"] = d.one(apmo.PATHWAYS)
        _coding(d, work)
    else:
        work.update(
            tech_groups=[],
            mediators=[],
            outcomes=[],
            processes=[],
            antecedents=[],
            boundary_conditions=[],
            method=d.one(apmo.METHODS),
            country=d.one(bk.COUNTRIES[:-1]),
            industry=d.one(bk.INDUSTRIES),
        )


def _unique_title(d: Draw, work: dict, titles: set[str]) -> str:
    """A title no earlier work has (case-insensitive); redrawn until it is new."""
    while True:
        title = _title(d, work)
        if title.lower() not in titles:
            break
    titles.add(title.lower())
    return title


def _draw_journal(d: Draw, fate: str, reason: str | None) -> tuple[str, str]:
    """Journal of a work: below or off the AJG list when that is its exclusion reason."""
    if reason == CABS_LOW:
        return d.one(bk.LOW_JOURNALS)
    if reason == CABS_UNLISTED:
        return d.one(bk.UNLISTED_JOURNALS)
    if fate == "excluded_screening":
        return d.one(bk.JOURNALS)
    return d.one(bk.GOOD_JOURNALS)


def _draw_record_filters(d: Draw, work: dict) -> None:
    """Document type and language: other than Article / English only for works the filters remove."""
    reason = work["reason"]
    work["doc_type"] = "Article"
    if reason == "document type":
        work["doc_type"] = d.one(("Conference Paper", "Conference Paper", "Review"))
    work["language"] = d.one(("German", "Spanish", "Chinese", "Portuguese")) if reason == "language" else "English"


def _draw_bibliographic(d: Draw, work: dict, dois: set[str]) -> None:
    """Volume, issue, pages, a DOI unique in the literature (missing for 5 %), citations, month, references."""
    year, journal = work["year"], work["journal"]
    work["volume"] = year - 2000 + bk.JOURNALS.index(journal)
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
    work["index_keywords"] = d.some(INDEX_KEYWORDS, 2)


def _draw_work(
    d: Draw, literature: dict[str, Any], work: dict[str, Any], n_included: int, variant: str = "planted"
) -> dict[str, Any]:
    """Fill ``work`` (id, branch, fate, reason) field by field, in the stream's fixed order."""
    work["topic"] = "off" if work["fate"] == "excluded_screening" else "on"
    work["year"] = _draw_year(d, work["reason"])
    _draw_content(d, work, n_included, variant)
    work["title"] = _unique_title(d, work, literature["titles"])
    work["journal"] = _draw_journal(d, work["fate"], work["reason"])
    work["authors"] = _authors(d, literature["authors"], 1 + int(d.rng.integers(1, 4)))
    work["canon_keywords"], work["author_keywords"] = _keywords(d, work)
    _draw_record_filters(d, work)
    work["abstract"] = _abstract(work)
    _draw_bibliographic(d, work, literature["dois"])
    return work


def draw_works(seed: int, variant: str = "planted") -> list[dict]:
    """Every work of the literature, database branch first, then citation chasing.

    Titles and DOIs are unique across the literature and an author keeps one
    Scopus author id throughout (``literature`` carries what earlier works used).
    ``variant`` is one of :data:`SLR_VARIANTS`.
    """
    if variant not in SLR_VARIANTS:
        raise ValueError(f"unknown review variant {variant!r}; expected one of {list(SLR_VARIANTS)}")
    d = Draw(np.random.default_rng([int(seed), 17017]))
    literature: dict[str, Any] = {"titles": set(), "dois": set(), "authors": {}}
    db = list(FATES_DB)
    if variant == "narrow":  # the last included articles of the database branch excluded at full text
        last = max(k for k, (fate, _) in enumerate(db) if fate == "included")
        for k in range(last - NARROW_DROPPED + 1, last + 1):
            db[k] = ("excluded_report", FT_REASONS[0])
    fates = [("database", f) for f in db] + [("other", f) for f in FATES_OTHER]
    works: list[dict] = []
    n_included = 0
    for k, (branch, (fate, reason)) in enumerate(fates):
        n_included += fate == "included"
        work: dict[str, Any] = {"work": f"W{k + 1:03d}", "branch": branch, "fate": fate, "reason": reason}
        works.append(_draw_work(d, literature, work, n_included, variant))
    return works
