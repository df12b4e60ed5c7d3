"""The imported study as the analysis stages see it, and its intermediate files.

The import rule reads the coding project once and writes three files that every
analysis rule reads (so the ``.qdpx`` is parsed once per build):

``selections.csv``
    One row per coding (:data:`nero.qual.refiqda.SELECTION_COLUMNS`); ``start`` / ``end``
    are ``str`` indices into the source text as stored.
``cases.csv``
    One row per case: ``case``, ``case_guid``, ``sources`` (``;``-separated), then the case
    variables (``sector``, ``size_band``, ``founding_year``, ``foreign_sales_share``,
    ``interview_date`` in the shipped study).
``project.json``
    The file read, the producing program, the offset unit chosen and the evidence for it,
    import warnings, users, sets, the codebook and the sources (name, GUID, case, length).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nero.outputs import write_csv, write_json
from nero.qual.project import CODEBOOK_COLUMNS, SELECTION_COLUMNS, QdaImportError, QdaProject
from nero.qual.refiqda import read_qdpx
from nero.qual.segments_csv import read_coded_segments
from nero.untrusted import ReadLimits


def read_project(
    path: str | os.PathLike,
    transcripts_dir: str | os.PathLike | None = None,
    columns: dict[str, str] | None = None,
    *,
    raw_root: str | os.PathLike | None = None,
    allowed_roots: Sequence[str | os.PathLike] = (),
    limits: ReadLimits | None = None,
) -> QdaProject:
    """Read a coding project: a REFI-QDA ``.qdpx`` file or a coded-segments ``.csv``.

    ``columns`` maps a coded-segments CSV's own header names (see
    :func:`~nero.qual.segments_csv.read_coded_segments`). ``raw_root``, ``allowed_roots`` and
    ``limits`` bound what a ``.qdpx`` may read (see :func:`~nero.qual.refiqda.read_qdpx`).

    Raises
    ------
    QdaImportError
        If the file cannot be read (see :func:`~nero.qual.refiqda.read_qdpx` and
        :func:`~nero.qual.segments_csv.read_coded_segments`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_coded_segments(path, transcripts_dir, columns)
    if suffix in (".qdpx", ".zip"):
        return read_qdpx(path, raw_root=raw_root, allowed_roots=allowed_roots, limits=limits)
    raise QdaImportError(f"{path.name}: unknown format (expected a REFI-QDA .qdpx file or a coded-segments .csv)")


@dataclass
class StudyData:
    """Selections, cases and codebook of one coded interview study.

    Attributes
    ----------
    selections
        One row per coding (:data:`~nero.qual.refiqda.SELECTION_COLUMNS`).
    cases
        One row per case (``case`` first, then ``case_guid``, ``sources`` and the variables).
    codebook
        One row per code in codebook order (:data:`~nero.qual.refiqda.CODEBOOK_COLUMNS`).
    meta
        The content of ``project.json``.
    """

    selections: pd.DataFrame
    cases: pd.DataFrame
    codebook: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_project(cls, project: QdaProject) -> StudyData:
        """The analysis view of an imported project (every case in the codings gets a row)."""
        cases = project.case_table()
        known = set(cases["case"])
        in_case = {g for case in project.cases.values() for g in case.sources}
        # a source that belongs to no case is its own case, coded or not (an uncoded interview
        # still counts in the saturation curve)
        uncased = [s.name for g, s in project.sources.items() if g not in in_case]
        missing = [c for c in dict.fromkeys([*project.selections["case"], *uncased]) if c not in known]
        if missing:
            extra = pd.DataFrame({"case": missing, "case_guid": [""] * len(missing), "sources": missing})
            cases = pd.concat([cases, extra], ignore_index=True) if len(cases) else extra
        meta = project.to_dict()
        meta.pop("selections")
        meta["codebook"] = project.codebook.to_dict(orient="records")
        return cls(selections=project.selections.copy(), cases=cases, codebook=project.codebook.copy(), meta=meta)

    # ------------------------------------------------------------------ files
    def write(
        self, selections_csv: str | os.PathLike, cases_csv: str | os.PathLike, project_json: str | os.PathLike
    ) -> None:
        """Write the three intermediate files (each atomically)."""
        write_csv(self.selections[SELECTION_COLUMNS], selections_csv)
        write_csv(self.cases, cases_csv)
        write_json(self.meta, project_json)

    @classmethod
    def read(
        cls, selections_csv: str | os.PathLike, cases_csv: str | os.PathLike, project_json: str | os.PathLike
    ) -> StudyData:
        """Read the intermediate files written by :meth:`write`."""
        text_columns = {c: str for c in SELECTION_COLUMNS if c not in ("start", "end", "raw_start", "raw_end")}
        selections = pd.read_csv(
            selections_csv,
            dtype={**text_columns, "start": "int64", "end": "int64", "raw_start": "int64", "raw_end": "int64"},
            keep_default_na=False,
        )
        cases = pd.read_csv(cases_csv, dtype={"case": str, "case_guid": str, "sources": str})
        for column in ("case_guid", "sources"):
            if column in cases:
                cases[column] = cases[column].fillna("")
        meta = json.loads(Path(project_json).read_text(encoding="utf-8"))
        codebook = pd.DataFrame(meta.get("codebook", []), columns=CODEBOOK_COLUMNS)
        return cls(selections=selections, cases=cases, codebook=codebook, meta=meta)

    # ------------------------------------------------------------------ views
    def source_lengths(self) -> dict[str, int]:
        """Source name -> length of its text in characters (from ``project.json``)."""
        return {s["name"]: int(s["characters"]) for s in self.meta.get("sources", [])}


def coder_selections(selections: pd.DataFrame, coder: str) -> pd.DataFrame:
    """The codings of one coder.

    Raises
    ------
    ValueError
        If ``coder`` has no codings (the message lists the coders there are).
    """
    chosen = selections[selections["coder"] == coder]
    if chosen.empty:
        coders = ", ".join(sorted(selections["coder"].unique())) or "none"
        raise ValueError(f"coder {coder!r} has no codings (coders in the project: {coders})")
    return chosen


def analysis_codes(codebook: pd.DataFrame, selections: pd.DataFrame) -> list[str]:
    """The codes analysed: every leaf of the codebook, and any other code that carries codings.

    In codebook order; codes found only in the codings follow, sorted.
    """
    paths = codebook["code_path"].tolist()
    parents = {p.rsplit("/", 1)[0] for p in paths if "/" in p}
    used = set(selections["code_path"])
    chosen = [p for p in paths if p not in parents or p in used]
    chosen += sorted(used - set(paths))
    return chosen


def interview_order(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases in interview order: by ``interview_date``, then by name; undated cases last.

    Returns
    -------
    pandas.DataFrame
        ``order`` (1, 2, ...), ``case``, ``interview_date`` (ISO date or empty).
    """
    frame = pd.DataFrame({"case": cases["case"].astype(str)})
    if "interview_date" in cases:
        dates = pd.to_datetime(cases["interview_date"], errors="coerce")
    else:
        dates = pd.Series(pd.NaT, index=cases.index)
    frame["_date"] = dates.values
    frame = frame.sort_values(["_date", "case"], na_position="last", kind="stable")
    frame["interview_date"] = [d.date().isoformat() if pd.notna(d) else "" for d in frame["_date"]]
    frame.insert(0, "order", range(1, len(frame) + 1))
    return frame.drop(columns="_date").reset_index(drop=True)


def import_study(
    project_path: str | os.PathLike,
    selections_csv: str | os.PathLike,
    cases_csv: str | os.PathLike,
    project_json: str | os.PathLike,
    transcripts_dir: str | os.PathLike | None = None,
    columns: dict[str, str] | None = None,
    *,
    raw_root: str | os.PathLike | None = None,
    allowed_roots: Sequence[str | os.PathLike] = (),
    limits: ReadLimits | None = None,
) -> QdaProject:
    """Read a coding project and write the three intermediates; on any error nothing is written.

    The project is read and checked completely before the first file is written, and each
    file is written atomically, so a bad input leaves no partial output behind. ``raw_root``,
    ``allowed_roots`` and ``limits`` are passed to :func:`read_project`.
    """
    project = read_project(
        project_path, transcripts_dir, columns, raw_root=raw_root, allowed_roots=allowed_roots, limits=limits
    )
    if project.selections.empty:
        raise QdaImportError(
            f"{Path(project_path).name}: no coded selections: the project holds {len(project.sources)} source(s) "
            f"and {len(project.codes)} code(s) but no Coding; expected the coded project (export it again from "
            "the QDA program after coding, with codings included)"
        )
    study = StudyData.from_project(project)
    targets = [Path(selections_csv), Path(cases_csv), Path(project_json)]
    try:
        study.write(*targets)
    except BaseException:
        for target in targets:
            target.unlink(missing_ok=True)
        raise
    return project
