"""The reviewers' files of the synthetic literature review: screening decisions, coding sheet, lists.

Helpers of :mod:`nero.simulate.slr`: two screeners' CSVs with their consensus file, the
coding sheet of the included articles, the synthetic CABS/AJG journal list, the
VOSviewer thesaurus, the ``search.yaml`` files and the folder's README.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import yaml

from nero.simulate import slr_banks as bk
from nero.simulate import slr_formats as fmt
from nero.slr import coding as apmo


def csv_text(rows: list[list[Any]], header: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header] + rows)
    return buffer.getvalue()


def screening_files(
    d: Any,
    units: list[tuple[str, str, str, int]],
    truth: dict[str, tuple[str, str]],
    reasons: tuple[str, ...],
    flip: tuple[float, float],
) -> tuple[dict[str, str], dict[str, Any]]:
    """Two screeners' CSVs and the consensus on their disagreements."""
    decisions = {"screener-a": {}, "screener-b": {}}
    for acc, _, _, _ in units:
        true_dec, true_reason = truth[acc]
        a_flip = d.p(flip[0])
        b_flip = (not a_flip) and d.p(flip[1])
        for name, flipped in (("screener-a", a_flip), ("screener-b", b_flip)):
            if not flipped:
                decisions[name][acc] = (true_dec, true_reason)
            elif true_dec == "include":
                decisions[name][acc] = ("exclude", d.one(reasons))
            else:
                decisions[name][acc] = ("include", "")
    files = {}
    for name, dec in decisions.items():
        rows = [[acc, title, year, dec[acc][0], dec[acc][1]] for acc, title, _, year in units]
        files[name] = csv_text(rows, ["accession", "title", "year", "decision", "reason"])
    disagree = [u for u in units if decisions["screener-a"][u[0]][0] != decisions["screener-b"][u[0]][0]]
    consensus = [[acc, truth[acc][0], truth[acc][1], "resolved in consensus meeting"] for acc, _, _, _ in disagree]
    files["reconciled"] = csv_text(consensus, ["accession", "decision", "reason", "note"])
    a = [decisions["screener-a"][u[0]][0] for u in units]
    b = [decisions["screener-b"][u[0]][0] for u in units]
    return files, {"n": len(units), "disagreements": len(disagree), "kappa": kappa(a, b)}


def kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa from its definition (the generator's own arithmetic)."""
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    cats = sorted(set(a) | set(b))
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    return round((po - pe) / (1 - pe), 10)


def coding_sheet(included: list[dict]) -> tuple[str, dict]:
    """The coding sheet of the included works, in the columns the library validates.

    The columns and their order are :data:`nero.slr.coding.COLUMNS` (one definition): a row
    is built by column name, so a column added there without a value here fails loudly.
    """
    rows = []
    for w in sorted(included, key=lambda w: (w["year"], fmt.ascii_fold(w["authors"][0][0]), w["work"])):
        levels = {apmo.ANTECEDENTS[a] for a in w["antecedents"]} | {
            apmo.BOUNDARY_CONDITIONS[b] for b in w["boundary_conditions"]
        }
        first = w["authors"][0][0] + (
            " et al." if len(w["authors"]) > 2 else (f" & {w['authors'][1][0]}" if len(w["authors"]) == 2 else "")
        )
        row = {
            "accession": w["kept_accession"],
            "citation": f"{first} ({w['year']})",
            "year": w["year"],
            "journal": w["journal"][0],
            "method": w["method"],
            "country": w["country"],
            "industry": w["industry"],
            "levels": "; ".join(lv for lv in ("macro", "meso", "firm") if lv in levels),
            "technology_groups": "; ".join(w["tech_groups"]),
            "pathway": w["pathway"],
            **{name: "; ".join(w[name]) for name in ("antecedents", "processes", "mediators", "outcomes")},
            "boundary_conditions": "; ".join(w["boundary_conditions"]),
        }
        rows.append([row[column] for column in apmo.COLUMNS])
    pathway_outcome = Counter((w["pathway"], o) for w in included for o in w["outcomes"])
    truth = {
        "pathways": dict(sorted(Counter(w["pathway"] for w in included).items())),
        "mediators": dict(sorted(Counter(m for w in included for m in w["mediators"]).items())),
        "pathway_by_outcome": {f"{p}|{o}": n for (p, o), n in sorted(pathway_outcome.items())},
        "technology_groups": dict(sorted(Counter(g for w in included for g in w["tech_groups"]).items())),
        "per_year": {str(k): v for k, v in sorted(Counter(w["year"] for w in included).items())},
    }
    return csv_text(rows, list(apmo.COLUMNS)), truth


def journal_list(d: Any) -> str:
    rows = []
    for j, (name, _, rating, field) in enumerate(bk.JOURNALS):
        if rating is None:
            continue
        rows.append(
            [bk.issn(j), field, name, bk.PUBLISHERS[j % len(bk.PUBLISHERS)][0], rating, rating if d.p(0.8) else "2"]
        )
    rows = [rows[i] for i in d.rng.permutation(len(rows))]
    return csv_text(rows, ["ISSN", "Field", "Journal Title", "Publisher Name", "AJG 2021", "AJG 2018"])


def thesaurus(d: Any) -> tuple[str, dict[str, str]]:
    pairs = {v.lower(): canon for canon, variants in bk.VARIANTS.items() for v in variants if v.lower() != canon}
    items = sorted(pairs.items())
    items = [items[i] for i in d.rng.permutation(len(items))]
    return "label\treplace by\n" + "".join(f"{v}\t{c}\n" for v, c in items), dict(sorted(pairs.items()))


def search_yaml(search: dict, n: int) -> str:
    data = {
        "database": search["database"],
        "source_type": search["source_type"],
        "query": search["query"],
        "date": search["date"],
        "hits": n,
        "export": search["file"],
        "export_format": {
            "scopus_csv": "Scopus CSV",
            "wos_plain": "Web of Science plain text",
            "wos_tab": "Web of Science tab-delimited",
            "ris": "RIS",
            "bibtex": "BibTeX",
        }[search["format"]],
        "note": "SYNTHETIC STAND-IN: invented records in the database's real export format",
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def readme_text(seed: int) -> str:
    return f"""# Literature review inputs (SYNTHETIC STAND-IN, seed {seed})

Invented records in the real export formats of the databases, and the reviewers' files:

- `searches/<search>/`: one folder per search: the export as the database writes it
  (Scopus CSV, Web of Science plain text or tab-delimited `savedrecs.txt`, RIS, BibTeX)
  and `search.yaml` (database, query, date, hits as reported, `source_type`: database or
  other); `citation_chasing/` holds the additions found by backward and forward citation
  chasing (`additions.ris`, `chasing_log.csv`).
- `screening/`: each screener's title/abstract and full-text decisions
  (`accession,title,year,decision,reason`), the consensus on their disagreements
  (`*_reconciled.csv`) and the full-text retrieval log.
- `journal_list.csv`: a synthetic CABS/AJG-style journal list (the real list is not
  redistributable; journal names and ratings here are invented).
- `coding_sheet.csv`: the APMO coding of the included articles.
- `thesaurus_keywords.txt`: a VOSviewer thesaurus (`label`, `replace by`) for author keywords.

Replace these files with the real exports and files (same layout) to run the review on real data.
"""


def prisma_counts(
    searches, works: list[dict], per_search: dict[str, list[dict]], included: list[dict]
) -> dict[str, Any]:
    """The PRISMA 2020 flow counts the planted fates imply (databases, other methods)."""
    db = [w for w in works if w["branch"] == "database"]
    other = [w for w in works if w["branch"] == "other"]
    n_db_records = sum(len(per_search[s["name"]]) for s in searches if s["source_type"] == "database")
    identified = Counter()
    for s in searches:
        if s["source_type"] == "database":
            identified[s["database"]] += len(per_search[s["name"]])
    unique_db = len(db) + 1  # + the same-title trap, a distinct record
    filtered = Counter(w["reason"] for w in db if w["fate"] == "filtered")

    def excluded(ws):
        return dict(sorted(Counter(w["reason"] for w in ws if w["fate"] == "excluded_report").items()))

    return {
        "databases": {
            "identified": dict(sorted(identified.items())),
            "duplicates_removed": n_db_records - unique_db,
            "removed_other_reasons": dict(sorted(filtered.items())),
            "screened": unique_db - sum(filtered.values()),
            "excluded_screening": sum(1 for w in db if w["fate"] == "excluded_screening") + 1,
            "sought": sum(1 for w in db if w["fate"] in ("included", "excluded_report", "not_retrieved")),
            "not_retrieved": sum(1 for w in db if w["fate"] == "not_retrieved"),
            "excluded_reports": excluded(db),
            "included": sum(1 for w in db if w["fate"] == "included"),
        },
        "other": {
            "identified": {"Citation searching": len(other)},
            "sought": len(other),
            "not_retrieved": sum(1 for w in other if w["fate"] == "not_retrieved"),
            "excluded_reports": excluded(other),
            "included": sum(1 for w in other if w["fate"] == "included"),
        },
        "included_total": len(included),
    }


def truth_record(
    searches, periods, seed, works, groups, trap, per_search, ta_stats, ft_stats, coding_truth, thesaurus, included
) -> dict[str, Any]:
    """``slr_truth.json``: what was planted, and the flow counts it implies."""
    prisma = prisma_counts(searches, works, per_search, included)
    canon = Counter(k for w in included for k in w["canon_keywords"])
    theme_of = {k: t for t, ks in bk.THEMES.items() for k in ks}
    return {
        "synthetic": True,
        "note": "Ground truth of the SYNTHETIC literature review; not an input of the pipeline.",
        "seed": seed,
        "searches": {
            s["name"]: {"database": s["database"], "records": len(per_search[s["name"]]), "format": s["format"]}
            for s in searches
        },
        "prisma": prisma,
        "included": sorted(w["kept_accession"] for w in included),
        "included_all_accessions": sorted({m["accession"] for w in included for m in w["members"]}),
        "duplicate_groups": groups,
        "duplicate_kinds": dict(sorted(Counter(g["kind"] for g in groups).items())),
        "not_duplicates": [trap],
        "offtopic": sorted(
            {m["accession"] for w in works if w["fate"] in ("excluded_screening", "filtered") for m in w["members"]}
            | {trap["accession"]}
        ),
        "fates": {
            w["kept_accession"]: {"work": w["work"], "fate": w["fate"], "reason": w["reason"], "branch": w["branch"]}
            for w in works
        },
        "screening": {"title_abstract": ta_stats, "full_text": ft_stats},
        "coding": coding_truth,
        "keywords": {
            "occurrences": dict(sorted(canon.items())),
            "themes": {k: theme_of.get(k, "early") for k in sorted(canon)},
            "thesaurus": thesaurus,
        },
        "periods": periods,
    }
