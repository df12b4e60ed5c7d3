"""What a coding project holds once read: sources, codes, users, cases, sets and coded selections.

:class:`QdaProject` is what :func:`nero.qual.refiqda.read_qdpx` (REFI-QDA ``.qdpx``) and
:func:`nero.qual.segments_csv.read_coded_segments` (coded-segments CSV) return;
:class:`QdaImportError` is what both raise for a file they cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nero.qual.offsets import UNIT_NAMES

#: The QDA-XML project namespace.
QDA_NAMESPACE = "urn:QDA-XML:project:1.0"

#: Columns of :attr:`QdaProject.selections`, in order.
SELECTION_COLUMNS = [
    "selection",
    "source",
    "source_guid",
    "case",
    "code_path",
    "code_guid",
    "coder",
    "start",
    "end",
    "raw_start",
    "raw_end",
    "text",
]

#: Columns of :attr:`QdaProject.codebook`, in order.
CODEBOOK_COLUMNS = ["code_path", "name", "parent", "depth", "is_codable", "color", "description", "guid"]

_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")

#: Share of selections that must land on word boundaries for an offset unit to be accepted.
BOUNDARY_MAJORITY = 0.5


class QdaImportError(ValueError):
    """A QDA project or coded-segments file cannot be read; the message names the file and the element."""


def normalise_guid(guid: str | None) -> str:
    """A GUID in canonical form: surrounding whitespace and braces removed, lower case.

    Examples
    --------
    >>> normalise_guid("{7F3C2A10-0B1D-4E5F-8A9B-0C1D2E3F4A5B}")
    '7f3c2a10-0b1d-4e5f-8a9b-0c1d2e3f4a5b'
    """
    return (guid or "").strip().strip("{}").strip().lower()


@dataclass
class Source:
    """One text source (an interview transcript).

    Attributes
    ----------
    guid
        Normalised GUID.
    name
        ``TextSource/@name`` (the GUID when the element has no name).
    text
        The text exactly as stored (line ends kept, byte-order mark removed).
    location
        Where the text came from: an archive member, ``PlainTextContent`` or a file path.
    variables
        Variable values attached to the source itself.
    """

    guid: str
    name: str
    text: str
    location: str
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    """One case (here: one interviewed firm) with its variables and sources."""

    guid: str
    name: str
    variables: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class QdaProject:
    """A coding project read from a ``.qdpx`` file or a coded-segments CSV.

    Attributes
    ----------
    path
        The file read.
    name, origin
        ``Project/@name`` and ``Project/@origin`` (the producing program).
    sources
        Normalised source GUID -> :class:`Source`.
    codes
        Normalised code GUID -> full code path (``"Networks/Virtual/E-commerce platforms"``).
    codebook
        One row per code in codebook order (:data:`CODEBOOK_COLUMNS`).
    users
        Normalised user GUID -> user name (the coder).
    cases
        Normalised case GUID -> :class:`Case`.
    sets
        Set name -> ``{"codes": [code paths], "sources": [source names]}``.
    selections
        One row per coding of a text selection (:data:`SELECTION_COLUMNS`): ``start`` and
        ``end`` are ``str`` indices into the source text (code points over the text as
        stored), ``raw_start`` / ``raw_end`` the offsets as written in the file.
    offset_unit
        The unit the raw offsets were read in (a key of :data:`nero.qual.offsets.UNIT_NAMES`).
    offset_check
        For each unit tried: selections on word boundaries, or why the unit does not fit.
    warnings
        Everything that was absorbed rather than refused (schema deviations, unit choice, ...).
    external_files
        Source files read from outside the raw folder (a configured allowed root), each
        ``{"location", "sha256", "bytes"}``; recorded in ``project.json`` (only when there are
        any) so that the audit sees them change.
    """

    path: Path
    name: str
    origin: str
    sources: dict[str, Source]
    codes: dict[str, str]
    codebook: pd.DataFrame
    users: dict[str, str]
    cases: dict[str, Case]
    sets: dict[str, dict[str, list[str]]]
    selections: pd.DataFrame
    offset_unit: str
    offset_check: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    file_format: str = "qdpx"
    external_files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def coders(self) -> list[str]:
        """Every coder with at least one selection, sorted."""
        return sorted(self.selections["coder"].unique().tolist())

    def case_table(self) -> pd.DataFrame:
        """One row per case: ``case``, ``case_guid``, ``sources`` (names, ``;``-separated), then its variables."""
        variable_names: list[str] = []
        for case in self.cases.values():
            for key in case.variables:
                if key not in variable_names:
                    variable_names.append(key)
        rows = []
        for case in self.cases.values():
            row = {
                "case": case.name,
                "case_guid": case.guid,
                "sources": ";".join(self.sources[g].name for g in case.sources if g in self.sources),
            }
            row.update({key: case.variables.get(key) for key in variable_names})
            rows.append(row)
        columns = ["case", "case_guid", "sources", *variable_names]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """Everything in the project as plain JSON (the output of ``nero qual summary --json``)."""
        case_of = {}
        for case in self.cases.values():
            for guid in case.sources:
                case_of.setdefault(guid, case.name)
        selections = self.selections[["source", "code_path", "coder", "start", "end", "text"]]
        return {
            "file": str(self.path),
            "format": self.file_format,
            "project": self.name,
            "origin": self.origin,
            "offset_unit": self.offset_unit,
            "offset_check": self.offset_check,
            "sources": [
                {
                    "name": s.name,
                    "guid": s.guid,
                    "case": case_of.get(g),
                    "characters": len(s.text),
                    "location": s.location,
                }
                for g, s in self.sources.items()
            ],
            "codes": self.codebook["code_path"].tolist(),
            "coders": self.coders,
            "users": [{"guid": g, "name": n} for g, n in self.users.items()],
            "cases": [
                {
                    "name": c.name,
                    "guid": c.guid,
                    "variables": c.variables,
                    "sources": [self.sources[g].name for g in c.sources if g in self.sources],
                }
                for c in self.cases.values()
            ],
            "sets": self.sets,
            "selections": [
                {
                    "source": r.source,
                    "code_path": r.code_path,
                    "coder": r.coder,
                    "start": int(r.start),
                    "end": int(r.end),
                    "text": r.text,
                }
                for r in selections.itertuples(index=False)
            ],
            "warnings": list(self.warnings),
        } | ({"external_files": list(self.external_files)} if self.external_files else {})

    def summary(self) -> str:
        """A few lines for people: what the file holds and how its offsets were read."""
        lines = [
            f"{self.path.name}: {self.file_format} project {self.name!r} from {self.origin or 'an unknown program'}",
            f"  sources: {len(self.sources)}; codes: {len(self.codes)}; coders: {', '.join(self.coders) or 'none'}; "
            f"cases: {len(self.cases)}; sets: {len(self.sets)}",
            f"  selections: {len(self.selections)} (offsets read as {UNIT_NAMES.get(self.offset_unit, self.offset_unit)})",
        ]
        if len(self.selections):
            by_coder = self.selections.groupby("coder").size()
            lines.append("  by coder: " + ", ".join(f"{k} {v}" for k, v in by_coder.items()))
        for case in self.cases.values():
            values = ", ".join(f"{k}={v}" for k, v in case.variables.items())
            sources = ", ".join(self.sources[g].name for g in case.sources if g in self.sources)
            lines.append(f"  case {case.name}: {values or 'sources ' + sources}")
        for warning in self.warnings:
            lines.append(f"  warning: {warning}")
        return "\n".join(lines)
