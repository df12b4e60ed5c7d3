"""The registry of numbered tables and figures (``workflow/report/manuscript.yaml``).

The registry lists every table and figure in thesis order. :func:`resolve` drops the items
whose sources this workflow does not write and numbers the rest (tables and figures
counted separately); :func:`build_table` turns one table item and its loaded sources
into a :class:`~nero.manuscript.survey_tables.ThesisTable`; :func:`fill_note` writes the
note from the facts of the data.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nero.manuscript import apa, fsqca_tables, qual_tables, survey_tables
from nero.manuscript.labels import relabel
from nero.manuscript.survey_tables import ThesisTable

KINDS = ("table", "figure")
REQUIRED = ("id", "kind", "section", "title", "source")


class RegistryError(ValueError):
    """The registry is malformed (the message names the item and the field)."""


@dataclass(frozen=True)
class Item:
    """One numbered table or figure."""

    id: str
    kind: str
    section: str
    title: str
    source: tuple[str, ...]
    number: int = 0
    builder: str = "copy"
    columns: Mapping[str, str] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)
    facts: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    note: str = ""
    caption: str = ""
    if_reported: bool = False
    supplement: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    checklist: tuple = ()

    @property
    def label(self) -> str:
        """``Table 3`` or ``Figure 2``."""
        return f"{self.kind.capitalize()} {self.number}"

    @property
    def stem(self) -> str:
        """``results/tables/table_03_<id>`` (tables only)."""
        return f"results/tables/table_{self.number:02d}_{self.id}"

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every file the table is built from: its sources, then the files only its facts read
        (those are inputs of its job, not sources: the report links a result to the first item
        whose sources hold it)."""
        extra = [path for path, _ in self.facts.values() if path not in self.source]
        return tuple(self.source) + tuple(dict.fromkeys(extra))

    def outputs(self) -> list[str]:
        """The exported files of a table: CSV, LaTeX, Word, its note (JSON) and, when the item
        moves long detail out of the printed table, its supplementary CSV; none for a figure."""
        if self.kind != "table":
            return []
        return [self.path(key) for key in ("csv", "tex", "docx", "json") + (("supplement",) if self.supplement else ())]

    def path(self, key: str) -> str:
        """The file of one export: ``csv``, ``tex``, ``docx``, ``json`` or ``supplement``
        (``results/tables/table_NN_<id>_supplement.csv``)."""
        return f"{self.stem}_supplement.csv" if key == "supplement" else f"{self.stem}.{key}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly view (for Snakemake params)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "section": self.section,
            "title": self.title,
            "source": list(self.source),
            "number": self.number,
            "builder": self.builder,
            # pairs, not a mapping: the column order is the printed order, and Snakemake's
            # params are serialised with sorted keys (a mapping came back alphabetical)
            "columns": [[k, v] for k, v in self.columns.items()],
            "formats": dict(self.formats),
            "facts": {k: list(v) for k, v in self.facts.items()},
            "note": self.note,
            "caption": self.caption,
            "if_reported": self.if_reported,
            "supplement": list(self.supplement),
            "labels": dict(self.labels),
            "checklist": [list(i) for i in self.checklist],
        }


def load_registry(spec: Mapping[str, Any]) -> tuple[dict[str, str], list[Item]]:
    """Sections and items of the registry (a loaded YAML mapping), checked.

    Raises
    ------
    RegistryError
        Naming the item (by position and id) and the field that is wrong.
    """
    sections = dict(spec.get("sections") or {})
    labels = {str(k): str(v) for k, v in (spec.get("labels") or {}).items()}
    checklists = spec.get("checklists") or {}
    items, seen = [], set()
    for k, raw in enumerate(spec.get("items") or [], start=1):
        where = (
            f"manuscript registry item {k} ({raw.get('id', '?')!r})"
            if isinstance(raw, Mapping)
            else f"manuscript registry item {k}"
        )
        if not isinstance(raw, Mapping):
            raise RegistryError(f"{where}: expected a mapping, got {type(raw).__name__}")
        for key in REQUIRED:
            if not raw.get(key):
                raise RegistryError(f"{where}: field {key!r} is missing")
        if raw["kind"] not in KINDS:
            raise RegistryError(f"{where}: kind {raw['kind']!r} is not one of {KINDS}")
        if raw["section"] not in sections:
            raise RegistryError(f"{where}: section {raw['section']!r} is not listed under 'sections'")
        if raw["id"] in seen:
            raise RegistryError(f"{where}: id {raw['id']!r} is used twice")
        builder = raw.get("builder", "copy")
        if raw["kind"] == "table" and builder not in BUILDERS:
            raise RegistryError(f"{where}: builder {builder!r} is not one of {sorted(BUILDERS)}")
        for heading, kind in (raw.get("formats") or {}).items():
            if kind not in apa.FORMATTERS:
                raise RegistryError(
                    f"{where}: format {kind!r} of column {heading!r} is not one of {sorted(apa.FORMATTERS)}"
                )
        supplement = raw.get("supplement") or []
        if supplement == "all":
            supplement = ["*"]
        if not isinstance(supplement, list):
            raise RegistryError(f"{where}: supplement must be a list of source columns or 'all', got {supplement!r}")
        checklist = ()
        if raw.get("checklist") is not None:
            if raw["checklist"] not in checklists:
                raise RegistryError(f"{where}: checklist {raw['checklist']!r} is not listed under 'checklists'")
            checklist = tuple(
                (int(e[0]), str(e[1]), str(e[2]), tuple(str(i) for i in e[3])) for e in checklists[raw["checklist"]]
            )
        seen.add(raw["id"])
        source = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
        items.append(
            Item(
                id=str(raw["id"]),
                kind=raw["kind"],
                section=raw["section"],
                title=str(raw["title"]),
                source=tuple(str(s) for s in source),
                builder=builder,
                columns=dict(raw.get("columns") or {}),
                formats=dict(raw.get("formats") or {}),
                facts={k: (str(v[0]), str(v[1])) for k, v in (raw.get("facts") or {}).items()},
                note=str(raw.get("note", "")),
                caption=str(raw.get("caption", "")),
                if_reported=bool(raw.get("if_reported", False)),
                checklist=checklist,
                supplement=tuple(str(c) for c in supplement),
                labels={**labels, **{str(k): str(v) for k, v in (raw.get("values") or {}).items()}},
            )
        )
    return sections, items


def resolve(
    items: Iterable[Item], available: Callable[[str], bool], reported: Callable[[str], bool] | None = None
) -> list[Item]:
    """Items whose every source is ``available``, numbered in registry order per kind.

    An item with ``if_reported: true`` (a stage kept out of the default build, such as the
    design analysis) also needs every source flagged for the report (``reported``).
    """
    counters = dict.fromkeys(KINDS, 0)
    out = []
    for item in items:
        if not all(available(path) for path in item.inputs):
            continue
        if item.if_reported and not (reported is not None and all(reported(path) for path in item.source)):
            continue
        counters[item.kind] += 1
        out.append(Item(**{**item.__dict__, "number": counters[item.kind]}))
    return out


def item_from_dict(data: Mapping[str, Any]) -> Item:
    """Inverse of :meth:`Item.to_dict`."""
    columns = data.get("columns") or []
    return Item(
        **{
            **data,
            "source": tuple(data["source"]),
            "facts": {k: tuple(v) for k, v in data["facts"].items()},
            "columns": dict(columns) if isinstance(columns, Mapping) else {k: v for k, v in columns},
            "supplement": tuple(data.get("supplement") or ()),
            "labels": dict(data.get("labels") or {}),
            "checklist": tuple((int(e[0]), e[1], e[2], tuple(e[3])) for e in data.get("checklist") or ()),
        }
    )


# --- builders: (item, sources by path, config) -> ThesisTable


def _copy(item: Item, sources: Mapping[str, Any], config: Mapping[str, Any]) -> ThesisTable:
    frame = sources[item.source[0]]
    if item.columns:
        missing = [c for c in item.columns if c not in frame.columns]
        if missing:
            raise ValueError(f"{item.source[0]}: columns {missing} are missing (has {list(frame.columns)})")
        frame = frame[list(item.columns)].rename(columns=dict(item.columns))
    return ThesisTable(frame.reset_index(drop=True), dict(item.formats))


def _sample_profile(item, sources, config):
    return survey_tables.sample_profile(sources["results/survey/clean.csv"], config["codebook"])


def _constructs(item, sources, config):
    return survey_tables.constructs_table(
        config["codebook"], sources["results/sem/cfa_loadings.csv"], sources["results/sem/reliability.csv"]
    )


def _correlations(item, sources, config):
    codebook = config["codebook"]
    constructs = [c for c in codebook["constructs"] if not codebook["constructs"][c].get("marker")]
    labels = {c: codebook["constructs"][c]["label"] for c in constructs}
    labels.update(
        {
            "log_employees": "Employees (log)",
            "log_firm_age": "Firm age (log)",
            "log_foreign_markets": "Foreign markets (log)",
            "years_abroad": "Years abroad",
        }
    )
    controls = [c for c in ("log_employees", "log_firm_age", "log_foreign_markets", "years_abroad")]
    return survey_tables.correlation_table(
        sources["results/survey/clean.csv"], constructs, labels, sources["results/sem/reliability.csv"], controls
    )


def _hypotheses(item, sources, config):
    return survey_tables.hypotheses_table(sources["results/claims.csv"])


def _coding_scheme(item, sources, config):
    return qual_tables.coding_scheme(
        sources["results/study1/codebook.csv"], sources["results/study1/selections.csv"], config["coder"]
    )


def _data_structure(item, sources, config):
    return qual_tables.data_structure(
        sources["results/study1/codebook.csv"], sources["results/study1/selections.csv"], config["coder"]
    )


def _exemplar_quotes(item, sources, config):
    quotes = qual_tables.single_case_quotes(
        sources["results/study1/exemplar_quotes.csv"], sources["results/study1/selections.csv"]
    )
    table = _copy(item, {item.source[0]: quotes}, config)
    table.facts["shared_dropped"] = len(sources["results/study1/exemplar_quotes.csv"]) - len(quotes)
    return table


def _fsqca_solutions(item, sources, config):
    return fsqca_tables.solutions_table(
        sources["results/fsqca/solutions.csv"], sources["results/fsqca/memberships.csv"]
    )


def _configuration_chart(item, sources, config):
    return fsqca_tables.configuration_chart(sources["results/fsqca/configuration_chart.csv"])


def _joint_display(item, sources, config):
    outcomes = [
        o for o in sources["results/fsqca/solutions.csv"]["outcome"].dropna().unique() if not str(o).startswith("~")
    ]
    if len(outcomes) != 1:
        raise ValueError(
            f"{item.id}: the main solutions name {len(outcomes)} outcomes ({outcomes}) besides negations; expected one"
        )
    quotes = qual_tables.single_case_quotes(
        sources["results/study1/exemplar_quotes.csv"], sources["results/study1/selections.csv"]
    )
    return fsqca_tables.joint_display_table(
        sources["results/integration/joint_display.csv"],
        sources["results/fsqca/memberships.csv"],
        str(outcomes[0]),
        quotes,
    )


def _checklist(item, sources, config):
    return qual_tables.checklist_table(list(item.checklist), dict(config.get("numbers") or {}))


def _responses(item, sources, config):
    return survey_tables.response_table(sources["results/survey/flow.csv"], config["codebook"], config.get("fieldwork"))


BUILDERS: dict[str, Callable[[Item, Mapping[str, Any], Mapping[str, Any]], ThesisTable]] = {
    "copy": _copy,
    "sample_profile": _sample_profile,
    "constructs": _constructs,
    "correlations": _correlations,
    "hypotheses": _hypotheses,
    "coding_scheme": _coding_scheme,
    "data_structure": _data_structure,
    "exemplar_quotes": _exemplar_quotes,
    "fsqca_solutions": _fsqca_solutions,
    "checklist": _checklist,
    "responses": _responses,
    "configuration_chart": _configuration_chart,
    "joint_display": _joint_display,
}


def build_table(item: Item, sources: Mapping[str, Any], config: Mapping[str, Any]) -> ThesisTable:
    """The thesis table of ``item`` from its loaded sources (path -> DataFrame or dict).

    ``config`` holds ``codebook`` (the survey instrument) and ``coder`` (Study 1 primary coder).
    The table's facts gain ``rows`` and, from an ``n``/``n_obs``/``n_cases`` column of the
    first source, ``n``; the item's ``facts`` entries are read from the sources.
    """
    table = BUILDERS[item.builder](item, sources, config)
    table.frame = relabel(table.frame, {**_dummy_labels(config.get("codebook") or {}), **item.labels})
    facts = dict(table.facts)
    facts.setdefault("rows", len(table.frame))
    first = sources.get(item.source[0])
    if isinstance(first, pd.DataFrame) and "n" not in facts:
        for column in ("n", "n_obs", "n_cases"):
            if column in first.columns and first[column].notna().any():
                facts["n"] = int(pd.to_numeric(first[column], errors="coerce").max())
                break
    for name, (path, key) in item.facts.items():
        facts[name] = _lookup(sources[path], key, f"{item.id}: fact {name!r} ({path}, {key!r})")
    table.facts = facts
    return table


def _dummy_labels(codebook: Mapping[str, Any]) -> dict[str, str]:
    """Words for the regression dummies of sector and wave (``sector_2``, ``wave_wave_2``) from the codebook."""
    sector = (codebook.get("firm_variables") or {}).get("sector") or {}
    labels = {
        f"sector_{code}": f"Sector: {str(name)[0].lower()}{str(name)[1:]}"
        for code, name in (sector.get("codes") or {}).items()
    }
    for wave, spec in (codebook.get("waves") or {}).items():
        labels[f"wave_{str(wave).replace('-', '_')}"] = str((spec or {}).get("label", wave)).split(" (")[0]
    return labels


def _lookup(source: Any, key: str, where: str) -> Any:
    """A fact from a source: a table's column (its first row), ``column[by=value]`` (the first
    row where ``by`` equals ``value``), ``@rows`` (a table's row count) or a JSON key path
    (``pooled.df``)."""
    if isinstance(source, pd.DataFrame) and key == "@rows":
        return len(source)
    selected = re.fullmatch(r"(?P<column>[^\[]+)\[(?P<by>[^=\]]+)=(?P<value>[^\]]*)\]", key)
    if isinstance(source, pd.DataFrame) and selected:  # column[by=value]: the first row where by == value
        column, by, value = selected.group("column", "by", "value")
        if column not in source.columns or by not in source.columns:
            raise KeyError(f"{where}: no column {column!r} or {by!r} (has {list(source.columns)})")
        rows = source[source[by].astype(str) == value]
        if rows.empty:
            raise KeyError(f"{where}: no row with {by} = {value!r}")
        return rows[column].iloc[0]
    if isinstance(source, pd.DataFrame):
        if key not in source.columns or source.empty:
            raise KeyError(f"{where}: no column {key!r} (has {list(source.columns)})")
        return source[key].iloc[0]
    value = source
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(f"{where}: no key {part!r}")
        value = value[part]
    return value


class _NoteFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec in apa.FORMATTERS:
            return apa.FORMATTERS[format_spec](value)
        if isinstance(value, float) and not format_spec:
            return apa.format_decimal(value, 2)
        return super().format_field(value, format_spec)


def fill_note(item: Item, facts: Mapping[str, Any]) -> str:
    """The item's note with ``{fact}`` (or ``{fact:p}``, ``{fact:num2}``...) filled from ``facts``.

    Raises
    ------
    KeyError
        A {fact} field with no fact (named with the item).
    """
    try:
        return _NoteFormatter().format(item.note, **facts)
    except KeyError as exc:
        raise KeyError(
            f"manuscript item {item.id!r}: the note needs fact {exc.args[0]!r}, the data give {sorted(facts)}"
        ) from None
