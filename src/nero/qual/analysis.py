"""Cross-case analysis of the coded interviews: codebook, frequencies, matrices, co-occurrence, saturation.

Every function here works on the codings of **one coder** (the primary coder, whose
coding covers every interview); the second coder's codings serve only the reliability
check (:mod:`nero.qual.reliability`), so that double-coded interviews do not count twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nero.qual.data import analysis_codes, coder_selections, interview_order


def _theme(path: str) -> str:
    return path.split("/", 1)[0]


def _under(paths: pd.Series, prefix: str) -> pd.Series:
    """Whether each code path is ``prefix`` or one of its sub-codes."""
    return (paths == prefix) | paths.str.startswith(prefix + "/")


def codebook_table(codebook: pd.DataFrame, selections: pd.DataFrame, coder: str) -> pd.DataFrame:
    """The codebook with how much each code was used.

    Parameters
    ----------
    codebook
        One row per code (``code_path``, ``name``, ``depth``, ``description``, ...).
    selections
        All codings; counts use ``coder``'s, the ``coders`` column lists everyone's.
    coder
        The primary coder.

    Returns
    -------
    pandas.DataFrame
        ``code_path, theme, name, depth, description, segments`` (codings at this code),
        ``segments_with_subcodes``, ``cases`` (cases with at least one coding at the code or
        below), ``characters`` (coded characters at this code), ``coders`` (every coder who
        used the code or a sub-code, ``;``-separated), in codebook order.
    """
    own = coder_selections(selections, coder)
    rows = []
    for entry in codebook.itertuples(index=False):
        path = entry.code_path
        exact = own[own["code_path"] == path]
        below = own[_under(own["code_path"], path)]
        everyone = selections[_under(selections["code_path"], path)]
        rows.append(
            {
                "code_path": path,
                "theme": _theme(path),
                "name": entry.name,
                "depth": int(entry.depth),
                "description": entry.description,
                "segments": len(exact),
                "segments_with_subcodes": len(below),
                "cases": below["case"].nunique(),
                "characters": int((exact["end"] - exact["start"]).sum()),
                "coders": ";".join(sorted(everyone["coder"].unique())),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "code_path",
            "theme",
            "name",
            "depth",
            "description",
            "segments",
            "segments_with_subcodes",
            "cases",
            "characters",
            "coders",
        ],
    )


def code_frequencies(selections: pd.DataFrame, codebook: pd.DataFrame, cases: pd.DataFrame, coder: str) -> pd.DataFrame:
    """How often each code was applied in each case (long format, zeros included).

    Returns
    -------
    pandas.DataFrame
        ``case, order`` (interview order), ``code_path, theme, segments, characters,
        share_of_case`` (the code's share of the case's codings), cases in interview order
        and codes in codebook order.
    """
    own = coder_selections(selections, coder)
    codes = analysis_codes(codebook, own)
    order = interview_order(cases)
    own = own.assign(characters=own["end"] - own["start"])
    counts = own.groupby(["case", "code_path"]).agg(segments=("code_path", "size"), characters=("characters", "sum"))
    totals = own.groupby("case").size()
    rows = []
    for case_row in order.itertuples(index=False):
        total = int(totals.get(case_row.case, 0))
        for path in codes:
            key = (case_row.case, path)
            segments = int(counts["segments"].get(key, 0))
            rows.append(
                {
                    "case": case_row.case,
                    "order": case_row.order,
                    "code_path": path,
                    "theme": _theme(path),
                    "segments": segments,
                    "characters": int(counts["characters"].get(key, 0)),
                    "share_of_case": segments / total if total else 0.0,
                }
            )
    return pd.DataFrame(
        rows, columns=["case", "order", "code_path", "theme", "segments", "characters", "share_of_case"]
    )


def case_theme_matrix(
    selections: pd.DataFrame, codebook: pd.DataFrame, cases: pd.DataFrame, coder: str
) -> pd.DataFrame:
    """The case-by-theme meta-matrix (Miles & Huberman): one row per case, one column per code.

    Cells are the number of the coder's codings of the code in the case; rows follow the
    interview order, columns the codebook, and a ``total`` column closes each row.
    """
    freq = code_frequencies(selections, codebook, cases, coder)
    codes = list(dict.fromkeys(freq["code_path"]))
    wide = freq.pivot(index="case", columns="code_path", values="segments")
    order = interview_order(cases)["case"].tolist()
    wide = wide.reindex(index=order, columns=codes).fillna(0).astype(int)
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


def code_cooccurrence(selections: pd.DataFrame, codebook: pd.DataFrame, coder: str) -> pd.DataFrame:
    """Code co-occurrence: pairs of the coder's segments of two codes that overlap within a source.

    Two segments overlap when they share at least one character. For each pair of codes
    ``(a, b)`` the table gives the number of overlapping segment pairs, the number of
    sources where that happens, each code's segment count and the c-coefficient
    ``n_ab / (n_a + n_b - n_ab)`` (as in ATLAS.ti; 0 = never together, 1 = always together).

    Returns
    -------
    pandas.DataFrame
        ``code_a, code_b, cooccurrences, sources, segments_a, segments_b, c_coefficient``,
        one row per unordered pair of analysed codes (codebook order, zeros included).
    """
    own = coder_selections(selections, coder)
    codes = analysis_codes(codebook, own)
    position = {c: i for i, c in enumerate(codes)}
    pairs: dict[tuple[str, str], int] = {}
    pair_sources: dict[tuple[str, str], set[str]] = {}
    for source, group in own.groupby("source", sort=True):
        g = group[group["code_path"].isin(position)]
        starts, ends, paths = g["start"].to_numpy(), g["end"].to_numpy(), g["code_path"].to_numpy()
        for i in range(len(g)):
            overlap = (starts[i] < ends) & (starts < ends[i])
            overlap[: i + 1] = False
            for j in np.flatnonzero(overlap):
                a, b = paths[i], paths[j]
                if a == b:
                    continue
                key = (a, b) if position[a] < position[b] else (b, a)
                pairs[key] = pairs.get(key, 0) + 1
                pair_sources.setdefault(key, set()).add(source)
    n = own["code_path"].value_counts()
    rows = []
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            n_ab = pairs.get((a, b), 0)
            n_a, n_b = int(n.get(a, 0)), int(n.get(b, 0))
            denominator = n_a + n_b - n_ab
            rows.append(
                {
                    "code_a": a,
                    "code_b": b,
                    "cooccurrences": n_ab,
                    "sources": len(pair_sources.get((a, b), ())),
                    "segments_a": n_a,
                    "segments_b": n_b,
                    "c_coefficient": n_ab / denominator if denominator > 0 else 0.0,
                }
            )
    return pd.DataFrame(
        rows, columns=["code_a", "code_b", "cooccurrences", "sources", "segments_a", "segments_b", "c_coefficient"]
    )


@dataclass
class SaturationResult:
    """New codes per successive interview and the Guest-Namey-Chen (2020) saturation assessment.

    Attributes
    ----------
    table
        One row per interview (see :func:`saturation_curve`).
    base_size, run_length, threshold
        The assessment's parameters.
    base_codes
        Distinct codes in the first ``base_size`` interviews (the denominator).
    saturation_interview
        Interview number (position in interview order) at which saturation is reached,
        or ``None``.
    """

    table: pd.DataFrame
    base_size: int
    run_length: int
    threshold: float
    base_codes: int
    saturation_interview: int | None
    saturation_case: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return self.saturation_interview is not None

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def summary(self) -> str:
        n = len(self.table)
        rule = (
            f"base size {self.base_size}, run length {self.run_length}, "
            f"new-information threshold <= {self.threshold:.0%}"
        )
        if self.reached:
            row = self.table.iloc[self.saturation_interview - 1]
            return (
                f"Saturation reached at interview {self.saturation_interview} of {n} ({self.saturation_case}): "
                f"the run {row['run']} added {int(row['run_new_codes'])} new code(s), "
                f"{row['new_information']:.1%} of the {self.base_codes} codes in the base ({rule})."
            )
        return f"Saturation not reached within the {n} interviews ({rule})."

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "Guest, Namey & Chen (2020)",
            "base_size": self.base_size,
            "run_length": self.run_length,
            "threshold": self.threshold,
            "base_codes": self.base_codes,
            "interviews": len(self.table),
            "total_codes": int(self.table["cumulative_codes"].iloc[-1]) if len(self.table) else 0,
            "saturation_reached": self.reached,
            "saturation_interview": self.saturation_interview,
            "saturation_case": self.saturation_case,
            "statement": self.summary(),
            "notes": self.notes,
        }


def saturation_curve(
    selections: pd.DataFrame,
    codebook: pd.DataFrame,
    cases: pd.DataFrame,
    coder: str,
    base_size: int = 4,
    run_length: int = 2,
    threshold: float = 0.05,
) -> SaturationResult:
    """New codes per successive interview (interview-date order) and the saturation point.

    Guest, Namey & Chen (2020): the **base** is the set of distinct codes in the first
    ``base_size`` interviews. A **run** is ``run_length`` consecutive interviews after the
    base; its new information is the number of codes that appear in the run and in no
    earlier interview, as a share of the base's codes. Runs move forward one interview at
    a time; saturation is reached at the last interview of the first run whose new
    information is at most ``threshold``.

    Returns
    -------
    SaturationResult
        Its ``table`` has one row per interview: ``order, case, interview_date, codes``
        (distinct codes in the interview), ``new_codes``, ``cumulative_codes``,
        ``new_code_paths`` (``;``-separated), and for interviews that close a run: ``run``
        (e.g. ``"5-6"``), ``run_new_codes``, ``new_information`` (share of the base),
        ``meets_threshold``; ``saturation`` is True on the saturation row.
    """
    if base_size < 1 or run_length < 1:
        raise ValueError("base_size and run_length must be at least 1")
    own = coder_selections(selections, coder)
    codes = set(analysis_codes(codebook, own))
    order = interview_order(cases)
    per_case = own[own["code_path"].isin(codes)].groupby("case")["code_path"].agg(lambda s: set(s))
    seen: set[str] = set()
    history: list[set[str]] = []
    rows = []
    for row in order.itertuples(index=False):
        found = per_case.get(row.case, set())
        new = found - seen
        seen |= found
        history.append(found)
        rows.append(
            {
                "order": row.order,
                "case": row.case,
                "interview_date": row.interview_date,
                "codes": len(found),
                "new_codes": len(new),
                "cumulative_codes": len(seen),
                "new_code_paths": ";".join(sorted(new)),
            }
        )
    table = pd.DataFrame(
        rows, columns=["order", "case", "interview_date", "codes", "new_codes", "cumulative_codes", "new_code_paths"]
    )
    base = set().union(*history[:base_size]) if history else set()
    notes = []
    if len(history) < base_size + run_length:
        notes.append(f"only {len(history)} interviews: fewer than base size + run length; saturation not assessable")
    if not base:
        notes.append("the base interviews carry no codes; new information cannot be expressed as a share of the base")
    runs, run_new, info, meets = [""] * len(table), [np.nan] * len(table), [np.nan] * len(table), [pd.NA] * len(table)
    saturation = None
    for end in range(base_size + run_length, len(history) + 1):
        start = end - run_length  # 0-based index of the run's first interview
        before = set().union(*history[:start])
        new_in_run = set().union(*history[start:end]) - before
        k = end - 1
        runs[k] = f"{start + 1}-{end}"
        run_new[k] = len(new_in_run)
        info[k] = len(new_in_run) / len(base) if base else np.nan
        meets[k] = bool(base) and info[k] <= threshold + 1e-12
        if saturation is None and meets[k] is True:
            saturation = end
    table["run"] = runs
    table["run_new_codes"] = pd.array(run_new, dtype="Int64") if len(table) else pd.array([], dtype="Int64")
    table["new_information"] = info
    table["meets_threshold"] = pd.array(meets, dtype="boolean")
    table["saturation"] = [i + 1 == saturation for i in range(len(table))]
    return SaturationResult(
        table=table,
        base_size=base_size,
        run_length=run_length,
        threshold=threshold,
        base_codes=len(base),
        saturation_interview=saturation,
        saturation_case=table["case"].iloc[saturation - 1] if saturation else None,
        notes=notes,
    )
