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

from pathlib import Path
from typing import Any

import numpy as np

from nero.simulate.slr_appearances import SEARCHES, add_trap, appearances, hash_int, search_dates
from nero.simulate.slr_files import (
    coding_sheet,
    csv_text,
    journal_list,
    readme_text,
    screening_files,
    search_yaml,
    truth_record,
)
from nero.simulate.slr_files import thesaurus as thesaurus_file
from nero.simulate.slr_formats import bibtex, ris, scopus_csv, wos_plain_text, wos_tab_delimited
from nero.simulate.slr_works import (
    CABS_LOW,
    CABS_UNLISTED,
    FATES_DB,
    FATES_OTHER,
    FT_REASONS,
    TA_REASONS,
    YEAR_WEIGHTS,
    YEARS,
    Draw,
    draw_works,
)

__all__ = [
    "CABS_LOW",
    "CABS_UNLISTED",
    "FATES_DB",
    "FATES_OTHER",
    "FT_REASONS",
    "PERIODS",
    "SEARCHES",
    "TA_REASONS",
    "YEARS",
    "YEAR_WEIGHTS",
    "hash_int",
    "simulate_slr",
]

PERIODS = {"2011-2016": (2011, 2016), "2017-2020": (2017, 2020), "2021-2023": (2021, 2023)}

#: Export writer of each search format.
_WRITERS = {
    "scopus_csv": scopus_csv,
    "wos_plain": wos_plain_text,
    "wos_tab": wos_tab_delimited,
    "ris": ris,
    "bibtex": bibtex,
}


def _export_files(searches: tuple[dict[str, str], ...], per_search: dict[str, list[dict]]) -> dict[str, str]:
    """Each search's export in its database's format, and its ``search.yaml``."""
    files: dict[str, str] = {}
    for search in searches:
        recs = per_search[search["name"]]
        folder = f"searches/{search['name']}"
        files[f"{folder}/{search['file']}"] = _WRITERS[search["format"]](recs)
        files[f"{folder}/search.yaml"] = search_yaml(search, len(recs))
    return files


def _title_abstract_screening(d: Draw, works: list[dict], trap: dict) -> tuple[dict[str, str], dict]:
    """Both screeners' title/abstract decisions on the de-duplicated database records (the trap included)."""
    by_id = {w["work"]: w for w in works}
    screened = [w for w in works if w["branch"] == "database" and w["fate"] != "filtered"]
    truth = {
        w["kept_accession"]: (("exclude", w["reason"]) if w["fate"] == "excluded_screening" else ("include", ""))
        for w in screened
    }
    truth[trap["accession"]] = ("exclude", TA_REASONS[2])
    units = [(w["kept_accession"], w["title"], w["work"], w["year"]) for w in screened]
    units.append((trap["accession"], by_id[trap["same_title_as"]]["title"], "W999", trap["year"]))
    units = [units[i] for i in d.rng.permutation(len(units))]
    return screening_files(d, units, truth, TA_REASONS, (0.04, 0.06))


def _sought(works: list[dict]) -> list[dict]:
    """Works whose full text was sought (passed title/abstract screening, either branch)."""
    return [w for w in works if w["fate"] in ("included", "excluded_report", "not_retrieved")]


def _full_text_screening(d: Draw, works: list[dict]) -> tuple[dict[str, str], dict]:
    """Both screeners' full-text decisions on the retrieved works that pass the AJG filter."""
    assessed = [
        w for w in _sought(works) if w["fate"] != "not_retrieved" and w["reason"] not in (CABS_LOW, CABS_UNLISTED)
    ]
    truth = {
        w["kept_accession"]: (("include", "") if w["fate"] == "included" else ("exclude", w["reason"]))
        for w in assessed
    }
    units = [(w["kept_accession"], w["title"], w["work"], w["year"]) for w in assessed]
    units = [units[i] for i in d.rng.permutation(len(units))]
    return screening_files(d, units, truth, FT_REASONS, (0.05, 0.08))


def _retrieval_log(works: list[dict]) -> str:
    """``full_text_retrieval.csv``: whether each sought full text was retrieved."""
    rows = [
        [
            w["kept_accession"],
            "no" if w["fate"] == "not_retrieved" else "yes",
            "no access through the library; author did not reply" if w["fate"] == "not_retrieved" else "",
        ]
        for w in _sought(works)
    ]
    return csv_text(rows, ["accession", "retrieved", "note"])


def _chasing_log(works: list[dict]) -> str:
    """``chasing_log.csv``: how each work of citation chasing was found, and from which included article."""
    other = [w for w in works if w["branch"] == "other"]
    included_db = [w for w in works if w["fate"] == "included" and w["branch"] == "database"]
    rows = [
        [
            w["kept_accession"],
            "backward" if k % 3 else "forward",
            included_db[(7 * k) % len(included_db)]["kept_accession"],
        ]
        for k, w in enumerate(other)
    ]
    return csv_text(rows, ["accession", "method", "seed_accession"])


def _write_files(root: Path, files: dict[str, str]) -> None:
    """Write every file (UTF-8, as given) under ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def simulate_slr(seed: int, out_raw: str | Path, variant: str = "planted") -> dict[str, Any]:
    """Write ``out_raw/slr/...`` for ``seed`` and return the truth (``slr_truth.json``).

    ``variant``: the literature (:data:`nero.simulate.slr_works.SLR_VARIANTS`; ``planted`` the shipped
    review with 70 included articles, ``narrow`` 62 on one pathway).
    """
    searches = search_dates(seed)
    works = draw_works(seed, variant)
    per_search, groups = appearances(seed, works, searches)
    trap = add_trap(seed, works, per_search)
    files = _export_files(searches, per_search)
    d = Draw(np.random.default_rng([int(seed), 17020]))
    ta_files, ta_stats = _title_abstract_screening(d, works, trap)
    ft_files, ft_stats = _full_text_screening(d, works)
    for stage, fs in (("title_abstract", ta_files), ("full_text", ft_files)):
        for name, text in fs.items():
            files[f"screening/{stage}_{name}.csv"] = text
    files["screening/full_text_retrieval.csv"] = _retrieval_log(works)
    files["searches/citation_chasing/chasing_log.csv"] = _chasing_log(works)
    included = [w for w in works if w["fate"] == "included"]
    files["coding_sheet.csv"], coding_truth = coding_sheet(included)
    files["journal_list.csv"] = journal_list(d)
    files["thesaurus_keywords.txt"], thesaurus = thesaurus_file(d)
    files["README.md"] = readme_text(seed)
    _write_files(Path(out_raw) / "slr", files)
    return truth_record(
        SEARCHES, PERIODS, seed, works, groups, trap, per_search, ta_stats, ft_stats, coding_truth, thesaurus, included
    )
