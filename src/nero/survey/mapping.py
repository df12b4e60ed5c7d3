"""Mapping an export's columns to the codebook: by column name, then by ImportId.

:func:`map_columns` never uses the question text (it is in the survey's language); a
column whose name and ImportId designate different questions is an error, and every
unknown or missing column is listed with the codebook entry to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nero.survey.codebook import (
    ALIASES,
    ALWAYS_PRIVATE,
    IGNORED_METADATA,
    METADATA,
    METADATA_IMPORT_IDS,
    REQUIRED_METADATA,
    Codebook,
)

_QID = re.compile(r"^QID(.+?)(_TEXT)?$")


def import_id_target(import_id: str | None, wave_map: dict[str, str]) -> str | None:
    """The export column an ImportId designates (``QID3_1`` -> ``Q3_1``; ``status`` -> ``Status``)."""
    if not import_id:
        return None
    if import_id in METADATA_IMPORT_IDS:
        return METADATA_IMPORT_IDS[import_id]
    if import_id in wave_map:  # embedded data: the ImportId is the field name
        return import_id
    match = _QID.match(import_id)
    if match:
        return "Q" + match.group(1)
    return None


@dataclass
class ColumnMapping:
    """How one export's columns map to the codebook for one wave.

    Attributes
    ----------
    file, wave : str
    mapping : dict
        export column -> canonical name (questions and kept metadata).
    privacy : list
        Columns dropped at import because they identify people or places.
    ignored : list
        Legacy metadata columns without use (dropped).
    unknown : list
        ``(column, import_id)`` of columns the codebook does not know.
    missing : list
        ``(canonical name, expected column)`` of codebook questions the export lacks.
    conflicts : list
        Columns whose name and ImportId designate different questions.
    """

    file: str
    wave: str | None
    mapping: dict = field(default_factory=dict)
    privacy: list = field(default_factory=list)
    ignored: list = field(default_factory=list)
    unknown: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    how: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.unknown or self.missing or self.conflicts)

    def to_dict(self) -> dict:
        return {
            "wave": self.wave,
            "mapping": dict(self.mapping),
            "matched_by": dict(self.how),
            "privacy_dropped": list(self.privacy),
            "ignored": list(self.ignored),
            "unknown_columns": [{"column": c, "import_id": i} for c, i in self.unknown],
            "missing_items": [{"item": n, "expected_column": c} for n, c in self.missing],
            "conflicts": list(self.conflicts),
        }

    def problems(self, codebook: Codebook) -> str:
        """A message listing every offending column and the codebook entry that would fix it."""
        wave = self.wave or "WAVE"
        lines = [
            f"{self.file}: the columns do not match {codebook.source} for wave {self.wave}:"
            if self.wave
            else f"{self.file}: the columns do not match the default column ids of {codebook.source} (no wave given: the "
            f"file is not in a wave folder of the codebook ({', '.join(codebook.waves)}) and no --wave was passed; "
            "WAVE below stands for the wave of this file):"
        ]
        missing_cols = {c for _, c in self.missing}
        unknown_names = [c for c, _ in self.unknown]
        for column, import_id in self.unknown:
            tag = f" (ImportId {import_id})" if import_id else ""
            lines.append(f"  unknown column {column!r}{tag}")
        for name, column in self.missing:
            lines.append(f"  missing column {column!r} for {name}")
        for text in self.conflicts:
            lines.append(f"  {text}")
        lines.append("Entries to add to the codebook:")
        renamed = False
        for name, column in self.missing:  # noqa: B007
            candidates = [c for c in unknown_names if c not in missing_cols]
            if candidates and (name in codebook.items or name in codebook.firm_variables or name in codebook.checks):
                section = (
                    "items" if name in codebook.items else ("checks" if name in codebook.checks else "firm_variables")
                )
                lines.append(
                    f"  if wave {wave} renamed {name}: under {section}.{name} add `wave_ids: {{{wave}: <one of {', '.join(candidates)}>}}`"
                )
                renamed = True
        for column, _ in self.unknown:
            if column.startswith("Q") and not column.startswith("Q_"):
                lines.append(
                    f'  a new item: under items add `NEWNAME: {{construct: <construct>, id: {column}, reverse: false, text: "..."}}`'
                    + (" (or a wave_ids entry as above)" if renamed else "")
                )
            else:
                lines.append(f"  a metadata column to drop at import: add {column} to `privacy_drop`")
        if self.missing and not renamed:
            for name, column in self.missing:  # noqa: B007
                lines.append(
                    f"  {name}: if wave {wave} calls it differently, add `wave_ids: {{{wave}: <its column>}}` to its entry"
                )
        return "\n".join(lines)


def map_columns(
    columns: list[str], import_ids: dict[str, str | None], codebook: Codebook, wave: str | None, file: str = "<export>"
) -> ColumnMapping:
    """Map an export's columns to canonical names, keyed on names and ImportIds.

    A column is identified by its name (``Q3_1``, or a metadata name, legacy aliases
    included); a column whose name is unknown is identified by its ImportId
    (``{"ImportId":"QID3_1"}`` -> ``Q3_1``). Where both are known and disagree the
    column is a conflict. Question text is never used.

    Parameters
    ----------
    columns : list of str
        The export's column names in file order.
    import_ids : dict
        Column -> ImportId (``None`` where the format has none).
    codebook : Codebook
    wave : str or None
        The wave whose ids apply (``None``: the default ids).
    file : str
        Named in messages.

    Returns
    -------
    ColumnMapping
        Check ``.ok``; ``.problems(codebook)`` is the message to stop with.
    """
    wave_map = codebook.wave_map(wave)
    privacy = set(codebook.privacy_drop) | set(ALWAYS_PRIVATE)
    result = ColumnMapping(file=file, wave=wave)
    seen_targets: dict[str, str] = {}

    def resolve(name: str) -> tuple[str, str | None]:
        name = ALIASES.get(name, name)
        if name in privacy:
            return "privacy", name
        if name in IGNORED_METADATA:
            return "ignored", name
        if name in METADATA:
            return "meta", METADATA[name]
        if name in wave_map:
            return "question", wave_map[name]
        return "unknown", None

    for column in columns:
        import_id = import_ids.get(column)
        kind, target = resolve(column)
        via = "name"
        id_column = import_id_target(import_id, wave_map)
        if id_column is not None:
            id_kind, id_target = resolve(id_column)
            if kind == "unknown" and id_kind != "unknown":
                kind, target, via = id_kind, id_target, "ImportId"
            elif kind in ("meta", "question") and id_kind in ("meta", "question") and id_target != target:
                result.conflicts.append(
                    f"column {column!r} is {target} by its name but {id_target} by its ImportId {import_id}"
                )
                continue
        if kind == "privacy":
            result.privacy.append(column)
        elif kind == "ignored":
            result.ignored.append(column)
        elif kind == "unknown":
            result.unknown.append((column, import_id))
        else:
            if target in seen_targets:
                result.conflicts.append(f"columns {seen_targets[target]!r} and {column!r} both map to {target}")
                continue
            seen_targets[target] = column
            result.mapping[column] = target
            result.how[column] = via
    for meta in REQUIRED_METADATA:
        if METADATA[meta] not in seen_targets:
            result.missing.append((METADATA[meta], meta))
    for column, name in wave_map.items():
        if name not in seen_targets:
            result.missing.append((name, column))
    return result
