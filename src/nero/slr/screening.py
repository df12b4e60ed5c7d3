"""Screening: scope filters, two screeners with Cohen's kappa, consensus, retrieval, the AJG filter.

The order (one row per unique record in the flow table, :func:`screen_records`):

1. database records outside the scope filters (document type, language, years) are
   removed before screening, first failing filter named;
2. title/abstract screening by two screeners (one CSV each: ``accession, title,
   year, decision, reason``); agreement (Cohen's kappa, ``statsmodels``) is computed
   before the consensus file (``*_reconciled.csv``) settles the disagreements;
3. reports sought (screened in, plus everything identified by other methods) and the
   retrieval log (``retrieved`` yes/no);
4. the journal filter: the report's journal must be on the user's journal list
   (CABS/AJG) with a rating at least ``min_rating`` (matched by ISSN, then title);
5. full-text screening, again by two screeners with kappa and consensus.

A screening file that names an unknown record, a record at another stage, a record
twice, or misses one, is an error naming the file, line and accession.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nero.slr.dedup import fold

DECISIONS = ("include", "exclude")
RATING_ORDER = {"1": 1, "2": 2, "3": 3, "4": 4, "4*": 5}
CABS_LOW, CABS_UNLISTED = "journal below AJG threshold", "journal not in AJG list"


class ScreeningError(ValueError):
    """A screening file that does not fit the records (file, line, accession, field)."""


@dataclass
class StageDecisions:
    """One stage's two screeners, their agreement and the final decisions."""

    stage: str
    agreement: dict
    final: dict[str, tuple[str, str]]
    by_screener: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)


def read_decisions(
    path: Path, accession_to_id: dict[str, str], reconciled: bool = False
) -> dict[str, tuple[str, str, int]]:
    """``record_id -> (decision, reason, line)`` of one screener (or consensus) file."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ScreeningError(f"{path}: not a readable CSV ({exc})") from None
    for col in ("accession", "decision", "reason"):
        if col not in frame.columns:
            raise ScreeningError(f"{path}: missing column {col!r} (expected accession, decision, reason)")
    out: dict[str, tuple[str, str, int]] = {}
    for k, row in enumerate(frame.itertuples(index=False), start=2):
        acc = row.accession.strip()
        if acc not in accession_to_id:
            raise ScreeningError(f"{path}: line {k}: accession {acc!r} is not a record of any search export")
        decision = row.decision.strip().lower()
        if decision not in DECISIONS:
            raise ScreeningError(
                f"{path}: line {k}: field decision: expected include or exclude, found {row.decision!r}"
            )
        if decision == "exclude" and not row.reason.strip():
            raise ScreeningError(f"{path}: line {k}: field reason: an exclusion needs a reason (accession {acc})")
        rid = accession_to_id[acc]
        if rid in out:
            raise ScreeningError(f"{path}: line {k}: record {acc} ({rid}) decided twice (first on line {out[rid][2]})")
        out[rid] = (decision, row.reason.strip(), k)
    return out


def cohen_kappa_table(a: list[str], b: list[str]) -> dict:
    """Agreement of two screeners' include/exclude decisions (kappa by ``statsmodels``)."""
    from statsmodels.stats.inter_rater import cohens_kappa

    table = np.array([[sum(1 for x, y in zip(a, b) if x == r and y == c) for c in DECISIONS] for r in DECISIONS])
    n = int(table.sum())
    agree = float(np.trace(table)) / n if n else float("nan")
    if n == 0 or (table.sum(axis=0) == n).any() and (table.sum(axis=1) == n).any():
        kappa = se = low = high = float("nan")
    else:
        res = cohens_kappa(table)
        kappa, se, low, high = float(res.kappa), float(res.std_kappa), float(res.kappa_low), float(res.kappa_upp)
    return {
        "n": n,
        "both_include": int(table[0, 0]),
        "a_include_b_exclude": int(table[0, 1]),
        "a_exclude_b_include": int(table[1, 0]),
        "both_exclude": int(table[1, 1]),
        "agreement": agree,
        "kappa": kappa,
        "se": se,
        "ci_low": low,
        "ci_high": high,
        "disagreements": n - int(np.trace(table)),
    }


def screen_stage(
    stage: str,
    files: dict[str, Path],
    reconciled: Path,
    expected: list[str],
    accession_to_id: dict[str, str],
    id_to_accession: dict[str, str],
) -> StageDecisions:
    """Two screeners' decisions on ``expected`` record ids, kappa, then the consensus."""
    names = list(files)
    if len(names) != 2:
        raise ScreeningError(f"{stage}: expected the files of two screeners, found {names}")
    decided = {name: read_decisions(path, accession_to_id) for name, path in files.items()}
    want = set(expected)
    for name, dec in decided.items():
        extra = sorted(set(dec) - want)
        if extra:
            rid = extra[0]
            raise ScreeningError(
                f"{files[name]}: line {dec[rid][2]}: record {id_to_accession[rid]} ({rid}) is not at the "
                f"{stage} stage ({len(extra)} such records)"
            )
        missing = sorted(want - set(dec))
        if missing:
            shown = ", ".join(id_to_accession[r] for r in missing[:5])
            raise ScreeningError(
                f"{files[name]}: no decision for {len(missing)} record(s) at the {stage} stage: {shown}"
            )
    a, b = (decided[n] for n in names)
    agreement = cohen_kappa_table([a[r][0] for r in expected], [b[r][0] for r in expected])
    agreement.update(stage=stage, screeners=" & ".join(names))
    consensus = read_decisions(reconciled, accession_to_id) if reconciled.is_file() else {}
    final = {}
    unresolved = []
    for rid in expected:
        if rid in consensus:
            final[rid] = consensus[rid][:2]
        elif a[rid][0] != b[rid][0]:
            unresolved.append(id_to_accession[rid])
        else:
            final[rid] = a[rid][:2]
    if unresolved:
        raise ScreeningError(
            f"{reconciled}: {len(unresolved)} disagreement(s) at the {stage} stage have no consensus "
            f"decision: {', '.join(unresolved[:5])}"
        )
    agreement["reconciled"] = len([r for r in consensus if r in want])
    by_screener = {n: {r: d[:2] for r, d in decided[n].items()} for n in names}
    return StageDecisions(stage=stage, agreement=agreement, final=final, by_screener=by_screener)


def read_journal_list(path: Path, rating_column: str) -> pd.DataFrame:
    """The user's journal list (CABS/AJG layout: ``ISSN``, ``Journal Title``, rating column)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("ISSN", "Journal Title", rating_column):
        if col not in frame.columns:
            raise ScreeningError(f"{path}: missing column {col!r} (columns: {', '.join(frame.columns)})")
    bad = frame[~frame[rating_column].str.strip().isin(list(RATING_ORDER))]
    if len(bad):
        row = bad.index[0]
        raise ScreeningError(
            f"{path}: line {row + 2}: field {rating_column}: expected one of {', '.join(RATING_ORDER)}, "
            f"found {frame.at[row, rating_column]!r}"
        )
    return frame


def journal_rating(source: str, issn: str, journals: pd.DataFrame, rating_column: str) -> str:
    """The rating of a record's journal ('' when the journal is not on the list)."""
    key = re.sub(r"[^0-9X]", "", str(issn).upper())[:8]
    if key:
        hit = journals[journals["ISSN"].str.upper().str.replace(r"[^0-9X]", "", regex=True) == key]
        if len(hit):
            return hit.iloc[0][rating_column].strip()
    title = re.sub(r"[^0-9a-z]+", " ", fold(source).replace("&", " and ")).strip()
    titles = journals["Journal Title"].map(lambda t: re.sub(r"[^0-9a-z]+", " ", fold(t).replace("&", " and ")).strip())
    hit = journals[titles == title]
    return hit.iloc[0][rating_column].strip() if len(hit) else ""


def scope_filter(record: dict, settings: dict) -> str:
    """The first scope filter a database record fails ('' when it passes)."""
    doc = str(record.get("document_type") or "").split(";")[0].strip().lower()
    if doc and doc not in {d.lower() for d in settings["document_types"]}:
        return "document type"
    lang = str(record.get("language") or "").strip().lower()
    if lang and lang not in {x.lower() for x in settings["languages"]}:
        return "language"
    low, high = settings["years"]
    year = record.get("year")
    if year is None or pd.isna(year):  # a record without a year passes (counted as 'year_unknown' in the PRISMA counts)
        return ""
    if not low <= int(year) <= high:
        return "publication year"
    return ""
