"""De-duplication of the records of every search: by DOI, then by title + year + first author.

Two passes over the stacked records of all searches (:func:`deduplicate`):

1. records whose normalised DOIs are equal are one work (:func:`normalise_doi`:
   case, ``https://doi.org/`` and ``doi:`` prefixes and spaces do not count);
2. groups whose normalised title (:func:`normalise_title`: Unicode-folded, case-folded,
   punctuation as space), publication year and first author's surname
   (:func:`first_author_key`: diacritics folded, so ``Müller`` = ``Muller``) are equal
   are one work, unless both carry DOIs and the DOIs differ (then they are kept apart
   and the near-miss is logged).

Every merge is logged with its reason. Within a group the record of the most
preferred database (``prefer``, then search name, then position in the export) is
kept, and its empty fields are filled from the other members.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

_SPECIAL = {
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "’": "'",
}


def fold(text: str) -> str:
    """Drop diacritics and fold case: ``"Çelik"`` -> ``"celik"``."""
    text = "".join(_SPECIAL.get(c, c) for c in str(text))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def normalise_doi(doi) -> str:
    """``"https://doi.org/10.5555/AB.1"`` -> ``"10.5555/ab.1"``; empty when there is no DOI."""
    text = str(doi or "").strip().lower()
    text = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", text)
    text = re.sub(r"\s+", "", text)
    return text if text.startswith("10.") else ""


def normalise_title(title) -> str:
    """Folded title with every non-alphanumeric run as one space."""
    return re.sub(r"[^0-9a-z]+", " ", fold(title)).strip()


def first_author_key(authors) -> str:
    """Folded surname of the first author (``"Sánchez-García, María"`` -> ``"sanchezgarcia"``)."""
    first = str(authors or "").split(";")[0].strip()
    surname = first.split(",")[0] if "," in first else re.sub(r"\s+[A-Z][A-Za-z.\-]*$", "", first)
    return re.sub(r"[^0-9a-z]+", "", fold(surname))


@dataclass
class DedupResult:
    """Unique records, the merge log and the group of every record."""

    unique: pd.DataFrame
    log: pd.DataFrame
    groups: pd.DataFrame

    def summary(self) -> str:
        reasons = self.log["rule"].value_counts().sort_index().to_dict() if len(self.log) else {}
        return (
            f"{len(self.groups)} records -> {len(self.unique)} unique ({len(self.groups) - len(self.unique)} duplicates "
            f"removed; merges by reason: {reasons})"
        )

    def to_frame(self) -> pd.DataFrame:
        return self.unique


class _Groups:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def deduplicate(
    records: pd.DataFrame, prefer: list[str] | tuple[str, ...] = ("Scopus", "Web of Science")
) -> DedupResult:
    """Merge the records of one work (see the module docstring).

    Parameters
    ----------
    records
        Stacked records of every search: the reader columns plus ``search``,
        ``database`` and ``source_type``.
    prefer
        Databases in order of preference for the kept record (others after them).

    Returns
    -------
    DedupResult
        ``unique`` (one row per work, with ``record_id``, ``n_records`` and
        ``members``), ``log`` (one row per merged record: ``kept``, ``merged``,
        ``reason``) and ``groups`` (every record with its ``record_id``).
    """
    rank = {db: i for i, db in enumerate(prefer)}
    recs = records.copy()
    recs["_rank"] = recs["database"].map(lambda db: rank.get(db, len(rank)))
    recs = recs.sort_values(["_rank", "search", "record"], kind="stable").reset_index(drop=True)
    recs["doi_norm"] = recs["doi"].map(normalise_doi)
    recs["title_key"] = [
        f"{normalise_title(t)}|{y if pd.notna(y) else 'unknown year'}|{first_author_key(a)}"
        for t, y, a in zip(recs["title"], recs["year"], recs["authors"])
    ]
    uf = _Groups(len(recs))
    reason: dict[int, str] = {}
    rule: dict[int, str] = {}
    first_by_doi: dict[str, int] = {}
    for i, doi in enumerate(recs["doi_norm"]):
        if not doi:
            continue
        if doi in first_by_doi:
            uf.union(first_by_doi[doi], i)
            reason[i] = f"same DOI ({doi})"
            rule[i] = "DOI"
        else:
            first_by_doi[doi] = i
    near_misses = []
    group_dois: dict[int, set[str]] = {}
    for i, doi in enumerate(recs["doi_norm"]):
        if doi:
            group_dois.setdefault(uf.find(i), set()).add(doi)
    first_by_key: dict[str, int] = {}
    for i, key in enumerate(recs["title_key"]):
        if key not in first_by_key:
            first_by_key[key] = i
            continue
        j = first_by_key[key]
        gi, gj = uf.find(i), uf.find(j)
        if gi == gj:
            continue
        dois_i, dois_j = group_dois.get(gi, set()), group_dois.get(gj, set())
        if dois_i and dois_j and dois_i != dois_j:
            near_misses.append((recs.at[j, "accession"], recs.at[i, "accession"]))
            continue
        uf.union(i, j)
        group_dois[uf.find(i)] = dois_i | dois_j
        missing = "DOI missing on both sides" if not (dois_i or dois_j) else "DOI missing on one side"
        if i not in reason:
            reason[i], rule[i] = f"same normalised title + year + first author ({missing})", "title+year+first author"
    recs["_group"] = [uf.find(i) for i in range(len(recs))]
    return _assemble(recs, reason, rule, near_misses)


def _assemble(recs: pd.DataFrame, reason: dict[int, str], rule: dict[int, str], near_misses: list) -> DedupResult:
    fill = [
        "doi",
        "abstract",
        "author_keywords",
        "index_keywords",
        "issn",
        "volume",
        "issue",
        "pages",
        "language",
        "document_type",
    ]
    unique_rows, log_rows, ids = [], [], {}
    rows = recs.to_dict("records")
    members_of: dict[int, list[int]] = {}
    for idx, row in enumerate(rows):
        members_of.setdefault(row["_group"], []).append(idx)
    for n, group in enumerate(sorted(members_of), start=1):
        members = [rows[i] for i in members_of[group]]
        kept = dict(members[0])
        record_id = f"R{n:04d}"
        ids[group] = record_id
        for col in fill:
            if not str(kept[col] or "").strip():
                kept[col] = next((m[col] for m in members if str(m[col] or "").strip()), kept[col])
        kept.update(
            record_id=record_id,
            n_records=len(members),
            members="; ".join(f"{m['search']}:{m['accession']}" for m in members),
            databases="; ".join(dict.fromkeys(m["database"] for m in members)),
        )
        unique_rows.append(kept)
        for idx in members_of[group][1:]:
            member = rows[idx]
            log_rows.append(
                {
                    "record_id": record_id,
                    "kept_search": kept["search"],
                    "kept_accession": kept["accession"],
                    "merged_search": member["search"],
                    "merged_accession": member["accession"],
                    "rule": rule.get(idx, "title+year+first author"),
                    "reason": reason.get(idx, "same normalised title + year + first author (via another member)"),
                    "merged_title": member["title"],
                    "kept_title": kept["title"],
                }
            )
    for a, b in near_misses:
        log_rows.append(
            {
                "record_id": "",
                "kept_search": "",
                "kept_accession": a,
                "merged_search": "",
                "merged_accession": b,
                "rule": "not merged",
                "reason": "not merged: same title, year and first author but different DOIs",
                "merged_title": "",
                "kept_title": "",
            }
        )
    groups = recs.assign(record_id=recs["_group"].map(ids)).drop(columns=["_group", "_rank"])
    unique = pd.DataFrame(unique_rows).drop(columns=["_group", "_rank"])
    front = ["record_id", "n_records", "databases", "members"]
    unique = unique[front + [c for c in unique.columns if c not in front]]
    log = pd.DataFrame(
        log_rows,
        columns=[
            "record_id",
            "kept_search",
            "kept_accession",
            "merged_search",
            "merged_accession",
            "rule",
            "reason",
            "kept_title",
            "merged_title",
        ],
    )
    return DedupResult(unique=unique.reset_index(drop=True), log=log, groups=groups.reset_index(drop=True))
