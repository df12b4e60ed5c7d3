"""The survey instrument codebook (``config/codebook.yaml``) and what follows from it.

The codebook names every canonical item (``INST1`` ...), the column id it has in each
wave's export (``id``, or ``wave_ids`` where a wave renamed it), reverse-worded items,
the answer scale, the screening and attention checks, the firm variables and the
metadata columns that identify people (dropped at import). From it this module derives

* :meth:`Codebook.wave_map`: a wave's export column ids -> canonical names;
* :func:`map_columns`: the mapping of one export's columns, keyed on column names and
  Qualtrics ImportIds (never on question text), with every unknown or missing column
  and the codebook entry that would fix it;
* :func:`export_schema` and :func:`codebook_schema`: pandera schemas for the imported
  (text) table and for the typed answers (types, ranges, allowed codes).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

from nero.survey.errors import CodebookError, SurveyInputError

#: Qualtrics metadata columns the pipeline keeps, with their canonical (snake_case) names.
METADATA = {
    "ResponseId": "response_id",
    "StartDate": "start_date",
    "EndDate": "end_date",
    "RecordedDate": "recorded_date",
    "Status": "status",
    "DistributionChannel": "distribution_channel",
    "UserLanguage": "user_language",
    "Progress": "progress",
    "Finished": "finished",
    "Duration (in seconds)": "duration_s",
}
#: Metadata columns the cleaning rules need: an export without them cannot be cleaned.
REQUIRED_METADATA = ["ResponseId", "RecordedDate", "Status", "Progress", "Finished", "Duration (in seconds)"]
#: The ImportIds Qualtrics writes for its metadata columns (third header row).
METADATA_IMPORT_IDS = {
    "_recordId": "ResponseId",
    "startDate": "StartDate",
    "endDate": "EndDate",
    "recordedDate": "RecordedDate",
    "status": "Status",
    "distributionChannel": "DistributionChannel",
    "userLanguage": "UserLanguage",
    "progress": "Progress",
    "finished": "Finished",
    "duration": "Duration (in seconds)",
    "ipAddress": "IPAddress",
    "recipientLastName": "RecipientLastName",
    "recipientFirstName": "RecipientFirstName",
    "recipientEmail": "RecipientEmail",
    "externalDataReference": "ExternalReference",
    "locationLatitude": "LocationLatitude",
    "locationLongitude": "LocationLongitude",
}
#: Names older exports (legacy CSV, SPSS) give to the same metadata columns.
ALIASES = {
    "ResponseID": "ResponseId",
    "EmailAddress": "RecipientEmail",
    "ExternalDataReference": "ExternalReference",
    "Duration__in_seconds_": "Duration (in seconds)",
    "Duration_in_seconds": "Duration (in seconds)",
    "Duration": "Duration (in seconds)",
}
#: Legacy metadata that identifies a person although the current export has no such column.
ALWAYS_PRIVATE = ["Name", "LocationAccuracy"]
#: Legacy metadata with no use here (dropped without comment).
IGNORED_METADATA = ["ResponseSet"]

#: Canonical names of the columns every imported wave table starts with.
LEAD_COLUMNS = ["wave", "response_id", "source_file", "source_row"]
#: Firm variables the clean table of docs/architecture.md needs.
REQUIRED_FIRM_VARIABLES = ["firm_code", "employees", "founding_year", "sector", "foreign_markets", "years_abroad"]
CHECKS = ("screening", "attention")


@dataclass(frozen=True)
class Item:
    """One Likert item of the codebook."""

    name: str
    construct: str
    id: str
    reverse: bool
    text: str = ""
    wave_ids: dict = field(default_factory=dict)

    def column(self, wave: str | None) -> str:
        """The item's column name in ``wave``'s export."""
        return self.wave_ids.get(wave, self.id) if wave else self.id


@dataclass(frozen=True)
class Question:
    """A non-item question: a check (screening, attention) or a firm variable."""

    name: str
    id: str
    kind: str = "integer"
    min: float | None = None
    max: float | None = None
    codes: dict = field(default_factory=dict)
    text: str = ""
    wave_ids: dict = field(default_factory=dict)
    pass_values: tuple = ()
    expected: float | None = None

    def column(self, wave: str | None) -> str:
        return self.wave_ids.get(wave, self.id) if wave else self.id


def _wave_ids(entry: dict) -> dict[str, str]:
    """A question's column names in waves that renamed it."""
    return {str(k): str(v) for k, v in (entry.get("wave_ids") or {}).items()}


class Codebook:
    """The parsed, checked codebook.

    Parameters
    ----------
    spec : dict
        The YAML document as loaded (see ``config/codebook.yaml``).
    source : str
        Where it came from, for messages.

    Raises
    ------
    CodebookError
        Listing every inconsistency at once (unknown constructs, duplicate column ids
        within a wave, missing checks or firm variables, a bad scale).
    """

    def __init__(self, spec: dict, source: str = "config/codebook.yaml"):
        self.spec = copy.deepcopy(spec)
        self.source = source
        problems: list[str] = []
        self._read_scale(spec, problems)
        self.waves: dict[str, dict] = {str(k): (v or {}) for k, v in (spec.get("waves") or {}).items()}
        self.constructs: dict[str, dict] = dict(spec.get("constructs") or {})
        self._read_items(spec, problems)
        self._read_checks(spec, problems)
        self._read_firm_variables(spec, problems)
        self.privacy_drop: list[str] = [str(c) for c in (spec.get("privacy_drop") or [])]
        self._check_columns(problems)
        if problems:
            raise CodebookError(f"{source} is not a usable codebook:\n  " + "\n  ".join(problems))

    def _read_scale(self, spec: dict, problems: list[str]) -> None:
        scale = spec.get("scale") or {}
        self.scale_min = int(scale.get("min", 1))
        self.scale_max = int(scale.get("max", 7))
        if self.scale_min >= self.scale_max:
            problems.append(f"scale: min {self.scale_min} must be below max {self.scale_max}")

    def _read_items(self, spec: dict, problems: list[str]) -> None:
        """The Likert items, each under a construct that lists it."""
        self.items: dict[str, Item] = {}
        for name, entry in (spec.get("items") or {}).items():
            if not isinstance(entry, dict) or "id" not in entry or "construct" not in entry:
                problems.append(f"items.{name}: needs at least `construct` and `id`")
                continue
            self.items[name] = Item(
                name=name,
                construct=str(entry["construct"]),
                id=str(entry["id"]),
                reverse=bool(entry.get("reverse", False)),
                text=str(entry.get("text", "")),
                wave_ids=_wave_ids(entry),
            )
        for cname, centry in self.constructs.items():
            for item in centry.get("items", []):
                if item not in self.items:
                    problems.append(f"constructs.{cname}: item {item} has no entry under items")
                elif self.items[item].construct != cname:
                    problems.append(f"items.{item}: construct {self.items[item].construct} but listed under {cname}")
        for item in self.items.values():
            if item.construct not in self.constructs:
                problems.append(f"items.{item.name}: construct {item.construct} is not under constructs")

    def _read_checks(self, spec: dict, problems: list[str]) -> None:
        """The screening and attention questions (both required)."""
        checks = spec.get("checks") or {}
        self.checks: dict[str, Question] = {}
        for name in CHECKS:
            entry = checks.get(name)
            if not entry or "id" not in entry:
                problems.append(f"checks.{name}: missing (needs `id`)")
                continue
            self.checks[name] = Question(
                name=name,
                id=str(entry["id"]),
                kind="code",
                text=str(entry.get("text", "")),
                wave_ids=_wave_ids(entry),
                pass_values=tuple(entry.get("pass_values", ())),
                expected=entry.get("expected"),
            )
        if "screening" in self.checks and not self.checks["screening"].pass_values:
            problems.append("checks.screening: needs `pass_values`")
        if "attention" in self.checks and self.checks["attention"].expected is None:
            problems.append("checks.attention: needs `expected`")

    def _read_firm_variables(self, spec: dict, problems: list[str]) -> None:
        """The firm variables (profile, controls), with their kind and range."""
        self.firm_variables: dict[str, Question] = {}
        for name, entry in (spec.get("firm_variables") or {}).items():
            if not isinstance(entry, dict) or "id" not in entry:
                problems.append(f"firm_variables.{name}: needs `id`")
                continue
            kind = str(entry.get("kind", "integer"))
            if kind not in ("integer", "number", "code", "string"):
                problems.append(f"firm_variables.{name}: kind {kind!r} is not one of integer, number, code, string")
            self.firm_variables[name] = Question(
                name=name,
                id=str(entry["id"]),
                kind=kind,
                min=entry.get("min"),
                max=entry.get("max"),
                codes={int(k): str(v) for k, v in (entry.get("codes") or {}).items()},
                text=str(entry.get("text", "")),
                wave_ids=_wave_ids(entry),
            )
        for name in REQUIRED_FIRM_VARIABLES:
            if name not in self.firm_variables:
                problems.append(f"firm_variables.{name}: missing (the clean table needs it)")

    def _check_columns(self, problems: list[str]) -> None:
        """No two questions may read the same column, by default or in any wave."""
        for wave in [None, *self.waves]:
            seen: dict[str, str] = {}
            for name, column in self._columns(wave):
                if column in seen:
                    where = f"wave {wave}" if wave else "the default ids"
                    problems.append(f"{name} and {seen[column]} both use column {column} in {where}")
                seen[column] = name

    # -- construction -------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike) -> Codebook:
        """Read and check a codebook YAML file."""
        from nero.config import ConfigError, load_yaml

        try:
            spec = load_yaml(path)
        except (ConfigError, OSError) as exc:
            raise CodebookError(f"cannot read the codebook {path}: {exc}") from exc
        if not isinstance(spec, dict):
            raise CodebookError(f"{path}: the codebook must be a YAML mapping")
        return cls(spec, source=str(path))

    def to_dict(self) -> dict:
        """The codebook as a plain dict (round-trips through :class:`Codebook`)."""
        return copy.deepcopy(self.spec)

    def for_wave(self, wave: str) -> dict:
        """The part of the codebook that one wave's import depends on, as a plain dict.

        Other waves' labels and renamings are left out, so adding a wave to the codebook
        does not change this dict for the existing waves (Snakemake params stay equal
        and their imports do not rerun).
        """
        self.check_wave(wave)
        spec = self.to_dict()
        spec["waves"] = {wave: self.waves[wave]}
        for section in ("items", "firm_variables"):
            for entry in (spec.get(section) or {}).values():
                ids = entry.pop("wave_ids", None) or {}
                if wave in ids:
                    entry["wave_ids"] = {wave: ids[wave]}
        for entry in (spec.get("checks") or {}).values():
            ids = entry.pop("wave_ids", None) or {}
            if wave in ids:
                entry["wave_ids"] = {wave: ids[wave]}
        return spec

    # -- lookups --------------------------------------------------------------------------
    @property
    def item_names(self) -> list[str]:
        """Canonical item names in codebook order (the Likert battery)."""
        return list(self.items)

    @property
    def construct_names(self) -> list[str]:
        return list(self.constructs)

    def construct_items(self, construct: str) -> list[str]:
        return [n for n, it in self.items.items() if it.construct == construct]

    def construct_map(self, include_marker: bool = False) -> dict[str, list[str]]:
        """Construct -> its items as ``constructs`` lists them (the measurement model the SEM
        fits); the marker construct only with ``include_marker``."""
        return {
            str(name): [str(i) for i in entry.get("items", [])]
            for name, entry in self.constructs.items()
            if include_marker or not entry.get("marker", False)
        }

    @property
    def marker_construct(self) -> str | None:
        """The construct flagged ``marker: true`` (the common-method marker), or None."""
        return next((str(name) for name, entry in self.constructs.items() if entry.get("marker")), None)

    @property
    def substantive_items(self) -> list[str]:
        """Items of the constructs that are not marker variables."""
        return [n for n, it in self.items.items() if not self.constructs[it.construct].get("marker", False)]

    @property
    def reverse_items(self) -> list[str]:
        return [n for n, it in self.items.items() if it.reverse]

    @property
    def firm_fields(self) -> list[str]:
        """Firm variables other than ``firm_code``, in codebook order."""
        return [n for n in self.firm_variables if n != "firm_code"]

    def check_wave(self, wave: str) -> None:
        """Raise :class:`CodebookError` naming the YAML to add unless ``wave`` is listed."""
        if wave not in self.waves:
            raise CodebookError(
                f"survey wave {wave!r} (folder survey/{wave}/ of the raw data) is not listed in {self.source}. "
                f'Add it under `waves:`, for example\n\nwaves:\n  {wave}:\n    label: "{wave} (fielded <months, year>)"\n\n'
                f"and, for every item the wave renamed, `wave_ids: {{{wave}: <column>}}` on that item."
            )

    def _columns(self, wave: str | None) -> list[tuple[str, str]]:
        out = [(n, it.column(wave)) for n, it in self.items.items()]
        out += [(n, q.column(wave)) for n, q in self.checks.items()]
        out += [(n, q.column(wave)) for n, q in self.firm_variables.items()]
        return out

    def wave_map(self, wave: str | None) -> dict[str, str]:
        """Export column id -> canonical name for the questions of ``wave`` (items, checks, firm variables)."""
        return {column: name for name, column in self._columns(wave)}

    def canonical_order(self) -> list[str]:
        """Column order of an imported wave table (see :data:`LEAD_COLUMNS`)."""
        meta = [c for c in METADATA.values() if c != "response_id"]
        return LEAD_COLUMNS + meta + ["firm_code", *CHECKS, *self.item_names, *self.firm_fields]

    def column_of(self, canonical: str, wave: str | None) -> str:
        """The export column of a canonical question name in ``wave`` (for messages)."""
        for name, column in self._columns(wave):
            if name == canonical:
                return column
        for export, name in METADATA.items():
            if name == canonical:
                return export
        return canonical


def load_codebook(path: str | os.PathLike | dict | Codebook) -> Codebook:
    """A :class:`Codebook` from a path, a dict or a codebook (returned as is)."""
    if isinstance(path, Codebook):
        return path
    if isinstance(path, dict):
        return Codebook(path)
    return Codebook.load(Path(path))


__all__ = [
    "Codebook",
    "Item",
    "Question",
    "METADATA",
    "REQUIRED_METADATA",
    "load_codebook",
    "SurveyInputError",
]
