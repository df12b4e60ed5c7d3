"""The review's flow, record by record, and the PRISMA 2020 counts drawn from it.

:func:`review_flow` gives every unique record one terminal ``status`` (removed before
screening, excluded at screening, not retrieved, report excluded, included) with its
reason; :func:`prisma_counts` counts those statuses (and the records per database
and the duplicates from the de-duplication groups), so each box of the diagram is
the previous box minus its exclusions by construction; :func:`check_prisma` states
the identities and raises if one fails. Database records without a publication year pass the
year filter; when there are any, the database box also says how many passed it unchecked
(``year_unknown``; the key is absent when every record has a year).
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nero.slr.screening import (
    CABS_LOW,
    CABS_UNLISTED,
    RATING_ORDER,
    ScreeningError,
    journal_rating,
    scope_filter,
    screen_stage,
)

STATUSES = ("removed before screening", "excluded at screening", "not retrieved", "report excluded", "included")


@dataclass
class FlowResult:
    """Flow table (one row per unique record), agreement per stage, PRISMA counts."""

    flow: pd.DataFrame
    agreement: pd.DataFrame
    prisma: dict

    @property
    def included(self) -> pd.DataFrame:
        return self.flow[self.flow["status"] == "included"].reset_index(drop=True)

    def summary(self) -> str:
        return f"{len(self.flow)} unique records; {self.prisma['included_total']} included; kappa " + ", ".join(
            f"{r.stage} {r.kappa:.3f}" for r in self.agreement.itertuples()
        )

    def to_frame(self) -> pd.DataFrame:
        return self.flow


def _screener_files(folder: Path, stage: str, screeners: list[str]) -> dict[str, Path]:
    files = {name: folder / f"{stage}_{name}.csv" for name in screeners}
    for name, path in files.items():
        if not path.is_file():
            raise ScreeningError(f"{folder}: no {path.name} (decisions of screener {name!r} at the {stage} stage)")
    return files


def _retrieval(
    path: Path, sought: list[str], accession_to_id: dict[str, str], id_to_acc: dict[str, str]
) -> dict[str, bool]:
    if not path.is_file():
        raise ScreeningError(f"{path.parent}: no {path.name} (accession, retrieved yes/no, note)")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = {}
    for k, row in enumerate(frame.itertuples(index=False), start=2):
        rid = accession_to_id.get(row.accession.strip())
        if rid is None:
            raise ScreeningError(f"{path}: line {k}: accession {row.accession!r} is not a record of any search export")
        value = row.retrieved.strip().lower()
        if value not in ("yes", "no"):
            raise ScreeningError(f"{path}: line {k}: field retrieved: expected yes or no, found {row.retrieved!r}")
        out[rid] = value == "yes"
    missing = [id_to_acc[r] for r in sought if r not in out]
    if missing:
        raise ScreeningError(
            f"{path}: {len(missing)} report(s) sought have no retrieval entry: {', '.join(missing[:5])}"
        )
    return out


def review_flow(
    unique: pd.DataFrame, groups: pd.DataFrame, screening_dir: str | Path, journals: pd.DataFrame, settings: dict
) -> FlowResult:
    """Run the review's flow over the unique records (see :mod:`nero.slr.screening`).

    Parameters
    ----------
    unique, groups
        :attr:`DedupResult.unique` and :attr:`DedupResult.groups`.
    screening_dir
        Folder of the screeners' files and the retrieval log.
    journals
        The journal list (:func:`~nero.slr.screening.read_journal_list`).
    settings
        ``document_types``, ``languages``, ``years``, ``screeners``, ``min_rating``, ``rating_column``.
    """
    folder = Path(screening_dir)
    acc_to_id = dict(zip(groups["accession"], groups["record_id"]))
    id_to_acc = dict(zip(unique["record_id"], unique["accession"]))
    branch = groups.groupby("record_id")["source_type"].agg(
        lambda s: "database" if (s == "database").any() else "other"
    )
    flow = unique[
        [
            "record_id",
            "accession",
            "search",
            "authors",
            "title",
            "year",
            "source",
            "issn",
            "doi",
            "document_type",
            "language",
        ]
    ].copy()
    flow.insert(1, "branch", flow["record_id"].map(branch))
    flow["status"], flow["reason"], flow["rating"] = "", "", ""
    records = flow.set_index("record_id")
    for rid, rec in records.iterrows():
        if rec["branch"] == "database":
            reason = scope_filter(rec.to_dict(), settings)
            if reason:
                records.at[rid, "status"], records.at[rid, "reason"] = STATUSES[0], reason
    screened = [r for r in records.index if records.at[r, "branch"] == "database" and not records.at[r, "status"]]
    screeners = list(settings["screeners"])
    ta = screen_stage(
        "title_abstract",
        _screener_files(folder, "title_abstract", screeners),
        folder / "title_abstract_reconciled.csv",
        screened,
        acc_to_id,
        id_to_acc,
    )
    for rid in screened:
        if ta.final[rid][0] == "exclude":
            records.at[rid, "status"], records.at[rid, "reason"] = STATUSES[1], ta.final[rid][1]
    sought = [r for r in records.index if not records.at[r, "status"]]
    retrieved = _retrieval(folder / "full_text_retrieval.csv", sought, acc_to_id, id_to_acc)
    minimum = RATING_ORDER[str(settings["min_rating"])]
    for rid in sought:
        if not retrieved[rid]:
            records.at[rid, "status"] = STATUSES[2]
            continue
        rating = journal_rating(records.at[rid, "source"], records.at[rid, "issn"], journals, settings["rating_column"])
        records.at[rid, "rating"] = rating
        if not rating:
            records.at[rid, "status"], records.at[rid, "reason"] = STATUSES[3], CABS_UNLISTED
        elif RATING_ORDER[rating] < minimum:
            records.at[rid, "status"], records.at[rid, "reason"] = STATUSES[3], CABS_LOW
    assessed = [r for r in sought if not records.at[r, "status"]]
    ft = screen_stage(
        "full_text",
        _screener_files(folder, "full_text", screeners),
        folder / "full_text_reconciled.csv",
        assessed,
        acc_to_id,
        id_to_acc,
    )
    for rid in assessed:
        decision, reason = ft.final[rid]
        records.at[rid, "status"], records.at[rid, "reason"] = (
            (STATUSES[4], "") if decision == "include" else (STATUSES[3], reason)
        )
    for stage in (ta, ft):
        for name, dec in stage.by_screener.items():
            records[f"{stage.stage}_{name}"] = [dec.get(r, ("", ""))[0] for r in records.index]
    flow = records.reset_index()
    agreement = pd.DataFrame([ta.agreement, ft.agreement])
    front = ["stage", "screeners", "n", "agreement", "kappa", "se", "ci_low", "ci_high", "disagreements", "reconciled"]
    agreement = agreement[front + [c for c in agreement.columns if c not in front]]
    prisma = prisma_counts(flow, groups)
    check_prisma(prisma)
    if prisma["databases"].get("year_unknown"):
        unknown = flow.loc[
            flow["year"].isna() & (flow["branch"] == "database") & (flow["status"] != STATUSES[0]), "accession"
        ]
        warnings.warn(
            f"{len(unknown)} database record(s) without a publication year passed the year filter "
            f"{list(settings['years'])} unchecked (PRISMA 'year_unknown'): {', '.join(map(str, unknown))}",
            stacklevel=2,
        )
    return FlowResult(flow=flow, agreement=agreement, prisma=prisma)


def included_records(flow: pd.DataFrame, unique: pd.DataFrame) -> pd.DataFrame:
    """The unique records that were included, with their branch and journal rating."""
    inc = flow.loc[flow["status"] == "included", ["record_id", "branch", "rating"]]
    return inc.merge(unique, on="record_id", how="left").reset_index(drop=True)


def prisma_counts(flow: pd.DataFrame, groups: pd.DataFrame) -> dict:
    """PRISMA 2020 counts from the flow table and the de-duplication groups."""
    out = {}
    for branch in ("database", "other"):
        recs = groups[groups["source_type"] == branch]
        rows = flow[flow["branch"] == branch]
        identified = dict(sorted(Counter(recs["database"]).items()))
        # an other-methods record merged into a database record counts as a duplicate of the other branch
        kept = int(len(rows))
        status = Counter(rows["status"])
        reasons = lambda s, rows=rows: dict(sorted(Counter(rows.loc[rows["status"] == s, "reason"]).items()))  # noqa: E731
        box = {
            "identified": identified,
            "duplicates_removed": int(len(recs)) - kept,
        }
        if branch == "database":
            box["removed_other_reasons"] = reasons(STATUSES[0])
            unknown = int((rows["year"].isna() & (rows["status"] != STATUSES[0])).sum()) if "year" in rows else 0
            if unknown:  # records without a publication year passed the year filter unchecked
                box["year_unknown"] = unknown
            box["screened"] = kept - status[STATUSES[0]]
            box["excluded_screening"] = status[STATUSES[1]]
            box["excluded_screening_reasons"] = reasons(STATUSES[1])
        box["sought"] = kept - status[STATUSES[0]] - status[STATUSES[1]]
        box["not_retrieved"] = status[STATUSES[2]]
        box["assessed"] = box["sought"] - box["not_retrieved"]
        box["excluded_reports"] = reasons(STATUSES[3])
        box["included"] = status[STATUSES[4]]
        out["databases" if branch == "database" else "other"] = box
    out["included_total"] = out["databases"]["included"] + out["other"]["included"]
    return out


def check_prisma(counts: dict) -> None:
    """Raise ``AssertionError`` naming the first PRISMA identity that fails."""
    db, other = counts["databases"], counts["other"]
    checks = [
        (
            "identified - duplicates - removed = screened",
            sum(db["identified"].values()) - db["duplicates_removed"] - sum(db["removed_other_reasons"].values()),
            db["screened"],
        ),
        ("screened - excluded = sought", db["screened"] - db["excluded_screening"], db["sought"]),
        (
            "excluded at screening = sum of its reasons",
            sum(db["excluded_screening_reasons"].values()),
            db["excluded_screening"],
        ),
        ("sought - not retrieved = assessed (databases)", db["sought"] - db["not_retrieved"], db["assessed"]),
        (
            "assessed - excluded = included (databases)",
            db["assessed"] - sum(db["excluded_reports"].values()),
            db["included"],
        ),
        (
            "identified - duplicates = sought (other)",
            sum(other["identified"].values()) - other["duplicates_removed"],
            other["sought"],
        ),
        ("sought - not retrieved = assessed (other)", other["sought"] - other["not_retrieved"], other["assessed"]),
        (
            "assessed - excluded = included (other)",
            other["assessed"] - sum(other["excluded_reports"].values()),
            other["included"],
        ),
        ("included total", db["included"] + other["included"], counts["included_total"]),
    ]
    for name, left, right in checks:
        if left != right:
            raise AssertionError(f"PRISMA counts inconsistent: {name}: {left} != {right}")


def prisma_table(counts: dict) -> pd.DataFrame:
    """The counts as a long table (``branch, box, detail, n``) for the report."""
    rows = []
    for branch in ("databases", "other"):
        for box, value in counts[branch].items():
            if isinstance(value, dict):
                rows += [{"branch": branch, "box": box, "detail": k, "n": v} for k, v in value.items()]
                rows.append({"branch": branch, "box": box, "detail": "total", "n": sum(value.values())})
            else:
                rows.append({"branch": branch, "box": box, "detail": "", "n": value})
    rows.append({"branch": "total", "box": "included", "detail": "", "n": counts["included_total"]})
    return pd.DataFrame(rows)
