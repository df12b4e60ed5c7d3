"""Reading REFI-QDA projects (``.qdpx``) as NVivo, ATLAS.ti, MAXQDA and QualCoder write them.

A ``.qdpx`` file is a zip archive holding ``project.qde`` (QDA-XML, namespace
``urn:QDA-XML:project:1.0``) and the plain-text sources under ``Sources/``. Real exports
differ from each other and from the standard in ways this reader absorbs:

- zip member names are matched case-insensitively (``Sources/`` and ``sources/``, and
  Windows ``\\`` separators);
- GUIDs are normalised (braces stripped, case folded) before any reference is matched,
  so ``{7F3C...}`` in one place finds ``7f3c...`` in another;
- a ``TextSource`` carries its text in ``PlainTextContent`` or points at it with
  ``plainTextPath`` (``internal://`` for a member of the archive, ``relative://`` for a
  file below ``Project/@basePath``, or an absolute path / ``file://`` URL);
- selection offsets are counted in the unit the producer uses (see
  :mod:`nero.qual.offsets`): the unit is presumed from ``Project/@origin`` and then
  verified: if most decoded selections do not start and end on word boundaries, the
  other units are tried and the one that fits best is used, with a warning giving the
  figures;
- ``project.qde`` is validated against the REFI-QDA ``Project.xsd`` (version 1.0,
  shipped beside this module); deviations are reported as warnings, not failures,
  because exports from the major programs have them.

Anything that makes the project unreadable (not a zip, no ``project.qde``, malformed
XML, a reference to a code, source, variable or selection that is not there, an offset
past the end of its text) raises :class:`QdaImportError` naming the file and the element.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

import numpy as np
import pandas as pd
from lxml import etree

from nero.qual.offsets import (
    UNIT_NAMES,
    UNIT_ORDER,
    OffsetMap,
    on_word_boundary,
    unit_for_origin,
    word_characters,
)

from nero.qual.project import (  # noqa: F401  (re-exported: the reader's public names)
    BOUNDARY_MAJORITY,
    CODEBOOK_COLUMNS,
    QDA_NAMESPACE,
    SELECTION_COLUMNS,
    _VALUE_TAGS,
    Case,
    QdaImportError,
    QdaProject,
    Source,
    normalise_guid,
)


# --------------------------------------------------------------------------- helpers


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _describe(el: etree._Element) -> str:
    """``<Tag guid="..." name="..."> (line N)`` for error messages."""
    attrs = " ".join(f'{key}="{el.get(key)}"' for key in ("guid", "name", "targetGUID") if el.get(key) is not None)
    tag = _local(el)
    return f"<{tag}{' ' + attrs if attrs else ''}> (line {el.sourceline})"


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in el if isinstance(child.tag, str) and _local(child) == name]


def _child(el: etree._Element, name: str) -> etree._Element | None:
    found = _children(el, name)
    return found[0] if found else None


def decode_text(data: bytes, where: str) -> str:
    """Decode a plain-text source: UTF-8 (BOM optional) or UTF-16 with a BOM; the BOM is dropped.

    Raises
    ------
    QdaImportError
        If the bytes are not valid text in any of these encodings (the message names ``where``).
    """
    try:
        if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise QdaImportError(
            f"{where}, line {line}: byte 0x{data[exc.start]:02x} (position {exc.start} of the file) is not UTF-8 "
            "(expected UTF-8 or BOM-marked UTF-16 text; the file looks like Latin-1/Windows-1252). "
            "Convert it (iconv -f WINDOWS-1252 -t UTF-8) or export the transcripts again as UTF-8"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


@lru_cache(maxsize=1)
def project_schema() -> etree.XMLSchema:
    """The REFI-QDA project schema (``Project.xsd`` 1.0, shipped with this package)."""
    with resources.files("nero.qual").joinpath("Project.xsd").open("rb") as handle:
        return etree.XMLSchema(etree.parse(handle))


def schema_deviations(tree: etree._ElementTree, limit: int = 5) -> list[str]:
    """Distinct ways ``tree`` breaks ``Project.xsd``, each ``line N: message`` (at most ``limit``, then a count)."""
    schema = project_schema()
    if schema.validate(tree):
        return []
    seen: dict[str, str] = {}
    count = 0
    for entry in schema.error_log:
        count += 1
        key = re.sub(r"'[^']*'", "'...'", entry.message)
        key = re.sub(r"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}", "GUID", key)
        seen.setdefault(key, f"line {entry.line}: {entry.message}")
    lines = list(seen.values())[:limit]
    if count > len(lines):
        lines.append(f"... {count} deviations in all")
    return lines


# --------------------------------------------------------------------------- the reader


@dataclass
class _RawSelection:
    guid: str
    label: str
    source_guid: str
    raw_start: int
    raw_end: int
    code_guid: str
    coder: str
    whole_source: bool = False


class _Reader:
    """One pass over a ``.qdpx`` archive."""

    def __init__(self, path: Path, validate: bool) -> None:
        self.path = path
        self.label = path.name
        self.validate = validate
        self.warnings: list[str] = []

    # -- errors -----------------------------------------------------------
    def error(self, el: etree._Element | None, message: str) -> QdaImportError:
        where = f"{self.label}: project.qde"
        if el is not None:
            where += f": {_describe(el)}"
        return QdaImportError(f"{where}: {message}")

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.label}: {message}")

    # -- archive ------------------------------------------------------------
    def read(self) -> QdaProject:
        if not self.path.exists():
            raise QdaImportError(f"{self.label}: no such file ({self.path})")
        if not zipfile.is_zipfile(self.path):
            with self.path.open("rb") as handle:
                magic = handle.read(4)
            if magic == b"PK\x03\x04":
                raise QdaImportError(
                    f"{self.label}: truncated or damaged zip archive: it starts like a zip but its end (the "
                    f"central directory) is missing ({self.path.stat().st_size} bytes), so the file was cut "
                    "(an interrupted download or copy); export the project from the QDA program again"
                )
            raise QdaImportError(
                f"{self.label}: not a zip archive (a REFI-QDA .qdpx file is a zip holding project.qde and its sources)"
            )
        try:
            with zipfile.ZipFile(self.path) as archive:
                self.archive = archive
                self.members = {}
                for info in archive.infolist():
                    if not info.is_dir():
                        self.members.setdefault(info.filename.replace("\\", "/").lower(), info)
                return self._read_project()
        except zipfile.BadZipFile as exc:
            raise QdaImportError(f"{self.label}: damaged zip archive: {exc}") from None

    def _member_bytes(self, info: zipfile.ZipInfo) -> bytes:
        try:
            return self.archive.read(info)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise QdaImportError(f"{self.label}: {info.filename}: cannot be read from the archive: {exc}") from None

    def _read_project(self) -> QdaProject:
        info = self.members.get("project.qde")
        if info is None:
            others = [m for m in self.members if m.endswith(".qde") and "/" not in m]
            if len(others) == 1:
                info = self.members[others[0]]
                self.warn(f"the project file is named {info.filename!r}, not project.qde; reading it")
            else:
                listing = ", ".join(sorted(self.members)[:8]) or "nothing"
                raise QdaImportError(f"{self.label}: no project.qde in the archive (it holds: {listing})")
        data = self._member_bytes(info)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
        try:
            tree = etree.ElementTree(etree.fromstring(data, parser))
        except etree.XMLSyntaxError as exc:
            line = f"line {exc.lineno}: " if exc.lineno else ""
            raise QdaImportError(f"{self.label}: project.qde: {line}malformed XML: {exc.msg}") from None
        root = tree.getroot()
        if _local(root) != "Project":
            raise self.error(root, "the root element must be <Project> (this is not a REFI-QDA project)")
        if etree.QName(root).namespace != QDA_NAMESPACE:
            self.warn(f"project.qde is not in the QDA-XML namespace {QDA_NAMESPACE!r}; reading it by element names")
        if self.validate:
            deviations = schema_deviations(tree)
            if deviations:
                self.warn(
                    "project.qde deviates from the REFI-QDA schema (Project.xsd 1.0); the import goes on: "
                    + "; ".join(deviations)
                )
        return self._parse(root)

    # -- elements -----------------------------------------------------------
    def _parse(self, root: etree._Element) -> QdaProject:
        self.root = root
        self.users = self._users(root)
        self.codes, codebook = self._codebook(root)
        self.variables = self._variables(root)
        self.sources: dict[str, Source] = {}
        self.source_elements: dict[str, etree._Element] = {}
        raw: list[_RawSelection] = []
        selection_guids: set[str] = set()
        sources_el = _child(root, "Sources")
        skipped: dict[str, int] = defaultdict(int)
        if sources_el is not None:
            for el in sources_el:
                if not isinstance(el.tag, str):
                    continue
                tag = _local(el)
                if tag != "TextSource":
                    skipped[tag] += 1
                    continue
                source = self._text_source(el)
                if source.guid in self.sources:
                    raise self.error(el, "a second source with the same GUID")
                self.sources[source.guid] = source
                self.source_elements[source.guid] = el
                raw.extend(self._selections(el, source, selection_guids))
        for tag, n in sorted(skipped.items()):
            self.warn(f"{n} {tag} element(s) skipped: only text sources are analysed")
        cases, selection_case = self._cases(root, selection_guids)
        sets = self._sets(root)
        unit, check, frame = self._resolve_offsets(raw, root.get("origin"))
        names = [s.name for s in self.sources.values()]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            self.warn(f"several sources share a name: {', '.join(duplicates)}")
        frame = self._attach_cases(frame, cases, selection_case)
        if frame.empty:
            self.warn(
                f"no coded selections: the project holds {len(self.sources)} source(s) and {len(self.codes)} code(s) "
                "but no Coding (exported before coding, or without its codings); nothing can be analysed"
            )
        return QdaProject(
            path=self.path, name=root.get("name") or "", origin=root.get("origin") or "",
            sources=self.sources, codes=self.codes, codebook=codebook, users=self.users,
            cases=cases, sets=sets, selections=frame, offset_unit=unit, offset_check=check,
            warnings=self.warnings,
        )

    def _users(self, root: etree._Element) -> dict[str, str]:
        users: dict[str, str] = {}
        users_el = _child(root, "Users")
        for el in _children(users_el, "User") if users_el is not None else []:
            guid = normalise_guid(el.get("guid"))
            if not guid:
                raise self.error(el, "a User without a guid")
            users[guid] = el.get("name") or el.get("id") or guid
        return users

    def _codebook(self, root: etree._Element) -> tuple[dict[str, str], pd.DataFrame]:
        codes: dict[str, str] = {}
        rows: list[dict[str, Any]] = []
        slashes: list[str] = []

        def walk(el: etree._Element, parent: str, depth: int) -> None:
            for code in _children(el, "Code"):
                guid = normalise_guid(code.get("guid"))
                name = (code.get("name") or "").strip()
                if not guid or not name:
                    raise self.error(code, "a Code needs a guid and a name")
                if guid in codes:
                    raise self.error(code, "a second code with the same GUID")
                if "/" in name:
                    slashes.append(name)
                path = f"{parent}/{name}" if parent else name
                codes[guid] = path
                description = _child(code, "Description")
                rows.append({
                    "code_path": path, "name": name, "parent": parent, "depth": depth,
                    "is_codable": (code.get("isCodable") or "true").strip().lower() in ("true", "1"),
                    "color": code.get("color") or "",
                    "description": " ".join((description.text or "").split()) if description is not None else "",
                    "guid": guid,
                })
                walk(code, path, depth + 1)

        book = _child(root, "CodeBook")
        codes_el = _child(book, "Codes") if book is not None else None
        if codes_el is not None:
            walk(codes_el, "", 1)
        if slashes:
            self.warn(f"code names containing '/' make ambiguous paths: {', '.join(slashes)}")
        paths = [r["code_path"] for r in rows]
        repeated = sorted({p for p in paths if paths.count(p) > 1})
        if repeated:
            self.warn(f"several codes share a path (their codings are pooled): {', '.join(repeated)}")
        frame = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS).drop_duplicates("code_path", ignore_index=True)
        return codes, frame

    def _variables(self, root: etree._Element) -> dict[str, tuple[str, str]]:
        variables: dict[str, tuple[str, str]] = {}
        variables_el = _child(root, "Variables")
        for el in _children(variables_el, "Variable") if variables_el is not None else []:
            guid = normalise_guid(el.get("guid"))
            variables[guid] = (el.get("name") or guid, el.get("typeOfVariable") or "Text")
        return variables

    def _variable_values(self, owner: etree._Element) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for vv in _children(owner, "VariableValue"):
            ref = _child(vv, "VariableRef")
            if ref is None:
                raise self.error(vv, "a VariableValue without a VariableRef")
            target = normalise_guid(ref.get("targetGUID"))
            if target not in self.variables:
                raise self.error(ref, "dangling reference: no Variable with this GUID in Project/Variables")
            name, _ = self.variables[target]
            value: Any = None
            for child in vv:
                if isinstance(child.tag, str) and _local(child) in _VALUE_TAGS:
                    value = self._typed_value(child)
                    break
            values[name] = value
        return values

    def _typed_value(self, el: etree._Element) -> Any:
        tag, text = _local(el), (el.text or "").strip()
        try:
            if tag == "IntegerValue":
                return int(text)
            if tag == "FloatValue":
                return float(text)
            if tag == "BooleanValue":
                return text.lower() in ("true", "1")
        except ValueError:
            raise self.error(el, f"{text!r} is not a valid {tag}") from None
        if tag == "TextValue":
            return el.text or ""
        return text

    def _text_source(self, el: etree._Element) -> Source:
        guid = normalise_guid(el.get("guid"))
        if not guid:
            raise self.error(el, "a TextSource without a guid")
        name = el.get("name") or guid
        content = _child(el, "PlainTextContent")
        path = el.get("plainTextPath")
        if path:
            if content is not None:
                self.warn(f"{_describe(el)} has both plainTextPath and PlainTextContent; the file is used")
            text, location = self._load_path(el, path)
        elif content is not None:
            text, location = content.text or "", "PlainTextContent"
            if text.startswith("\ufeff"):
                text = text[1:]
        else:
            raise self.error(el, "neither plainTextPath nor PlainTextContent: the source has no text")
        return Source(guid=guid, name=name, text=text, location=location, variables=self._variable_values(el))

    def _find_member(self, relative: str) -> zipfile.ZipInfo | None:
        relative = relative.replace("\\", "/").lstrip("/")
        for candidate in (f"sources/{relative}", relative):
            info = self.members.get(candidate.lower())
            if info is not None:
                return info
        # GUID-named files: compare names with braces stripped and case folded
        wanted = PurePosixPath(relative)
        key = (normalise_guid(wanted.stem), wanted.suffix.lower())
        for name, info in self.members.items():
            member = PurePosixPath(name)
            if (normalise_guid(member.stem), member.suffix.lower()) == key and member.parent.name in ("sources", ""):
                return info
        return None

    def _load_path(self, el: etree._Element, path: str) -> tuple[str, str]:
        scheme, _, rest = path.partition("://")
        scheme = scheme.lower() if rest else ""
        if scheme == "internal":
            info = self._find_member(rest) or self._find_member(unquote(rest))
            if info is None:
                raise self.error(
                    el, f"plainTextPath {path!r}: no such file in the archive (looked for Sources/{rest}, any case)"
                )
            data = self._member_bytes(info)
            return decode_text(data, f"{self.label}: {self._source_label(el)} ({info.filename})"), info.filename
        if scheme == "relative":
            tried = []
            base = self.root.get("basePath") or ""
            rel = Path(unquote(rest).replace("\\", "/"))
            bases = []
            if base:
                base_path = Path(urlparse(base).path if base.lower().startswith("file:") else base.replace("\\", "/"))
                bases.append(base_path if base_path.is_absolute() else self.path.parent / base_path)
            bases.append(self.path.parent)
            for folder in bases:
                candidate = folder / rel
                tried.append(str(candidate))
                if candidate.is_file():
                    return decode_text(candidate.read_bytes(), f"{self._source_label(el)} ({candidate})"), str(candidate)
            raise self.error(
                el, f"plainTextPath {path!r}: file not found (basePath {base!r}; tried {', '.join(tried)})"
            )
        local = Path(urlparse(path).path) if scheme == "file" else Path(path.replace("\\", "/"))
        for candidate in (local, self.path.parent / local.name):
            if candidate.is_file():
                return decode_text(candidate.read_bytes(), f"{self._source_label(el)} ({candidate})"), str(candidate)
        raise self.error(el, f"plainTextPath {path!r}: file not found")

    @staticmethod
    def _source_label(el: etree._Element) -> str:
        """A source as a person knows it: ``source 'Interview 03' (line 40)`` (its name, not its GUID)."""
        name = el.get("name")
        return f"source {name!r} (line {el.sourceline})" if name else f"{_describe(el)}"

    def _coder(self, *elements: etree._Element) -> str:
        for el in elements:
            guid = normalise_guid(el.get("creatingUser"))
            if guid:
                if guid not in self.users:
                    message = f"creatingUser {guid} is not among Project/Users; the GUID stands for the coder"
                    if f"{self.label}: {message}" not in self.warnings:
                        self.warn(message)
                    return guid
                return self.users[guid]
        return "unknown"

    def _code_ref(self, coding: etree._Element) -> str:
        ref = _child(coding, "CodeRef")
        if ref is None:
            raise self.error(coding, "a Coding without a CodeRef")
        target = normalise_guid(ref.get("targetGUID"))
        if target not in self.codes:
            raise self.error(ref, "dangling code reference: no Code with this GUID in the CodeBook")
        return target

    def _selections(self, el: etree._Element, source: Source, seen: set[str]) -> list[_RawSelection]:
        out: list[_RawSelection] = []
        uncoded = 0
        for sel in _children(el, "PlainTextSelection"):
            guid = normalise_guid(sel.get("guid"))
            seen.add(guid)
            try:
                start = int((sel.get("startPosition") or "").strip())
                end = int((sel.get("endPosition") or "").strip())
            except ValueError:
                raise self.error(sel, "startPosition and endPosition must be whole numbers") from None
            if start < 0 or end < start:
                raise self.error(sel, f"startPosition {start} and endPosition {end} do not make a selection")
            codings = _children(sel, "Coding")
            if not codings:
                uncoded += 1
            for coding in codings:
                out.append(_RawSelection(
                    guid=guid, label=_describe(sel), source_guid=source.guid, raw_start=start, raw_end=end,
                    code_guid=self._code_ref(coding), coder=self._coder(coding, sel),
                ))
        for coding in _children(el, "Coding"):
            out.append(_RawSelection(
                guid=normalise_guid(coding.get("guid")), label=_describe(coding), source_guid=source.guid,
                raw_start=0, raw_end=-1, code_guid=self._code_ref(coding), coder=self._coder(coding, el),
                whole_source=True,
            ))
        if uncoded:
            self.warn(f"{_describe(el)}: {uncoded} selection(s) without a Coding are ignored")
        return out

    def _cases(self, root: etree._Element, selection_guids: set[str]) -> tuple[dict[str, Case], dict[str, str]]:
        cases: dict[str, Case] = {}
        selection_case: dict[str, str] = {}
        cases_el = _child(root, "Cases")
        for el in _children(cases_el, "Case") if cases_el is not None else []:
            guid = normalise_guid(el.get("guid"))
            case = Case(guid=guid, name=el.get("name") or guid, variables=self._variable_values(el))
            for ref in _children(el, "SourceRef"):
                target = normalise_guid(ref.get("targetGUID"))
                if target not in self.sources:
                    raise self.error(ref, "dangling source reference: no TextSource with this GUID")
                case.sources.append(target)
            for ref in _children(el, "SelectionRef"):
                target = normalise_guid(ref.get("targetGUID"))
                if target not in selection_guids:
                    raise self.error(ref, "dangling selection reference: no PlainTextSelection with this GUID")
                selection_case[target] = case.name
            for ref in _children(el, "CodeRef"):
                target = normalise_guid(ref.get("targetGUID"))
                if target not in self.codes:
                    raise self.error(ref, "dangling code reference: no Code with this GUID in the CodeBook")
            cases[guid] = case
        return cases, selection_case

    def _sets(self, root: etree._Element) -> dict[str, dict[str, list[str]]]:
        sets: dict[str, dict[str, list[str]]] = {}
        sets_el = _child(root, "Sets")
        for el in _children(sets_el, "Set") if sets_el is not None else []:
            members: dict[str, list[str]] = {"codes": [], "sources": []}
            for ref in _children(el, "MemberCode"):
                target = normalise_guid(ref.get("targetGUID"))
                if target not in self.codes:
                    raise self.error(ref, "dangling code reference: no Code with this GUID in the CodeBook")
                members["codes"].append(self.codes[target])
            for ref in _children(el, "MemberSource"):
                target = normalise_guid(ref.get("targetGUID"))
                if target not in self.sources:
                    raise self.error(ref, "dangling source reference: no TextSource with this GUID")
                members["sources"].append(self.sources[target].name)
            sets[el.get("name") or normalise_guid(el.get("guid"))] = members
        return sets

    # -- offsets ------------------------------------------------------------
    def _try_unit(self, raw: list[_RawSelection], unit: str) -> dict[str, Any]:
        """Decode every selection in ``unit``: indices, boundary hits, or the first failure."""
        by_source: dict[str, list[int]] = defaultdict(list)
        for i, sel in enumerate(raw):
            if not sel.whole_source:
                by_source[sel.source_guid].append(i)
        starts = np.zeros(len(raw), dtype=np.int64)
        ends = np.zeros(len(raw), dtype=np.int64)
        hits = total = 0
        for guid, rows in by_source.items():
            text = self.sources[guid].text
            omap = OffsetMap(text, unit)
            idx = np.array(rows)
            raw_s = np.array([raw[i].raw_start for i in rows], dtype=np.int64)
            raw_e = np.array([raw[i].raw_end for i in rows], dtype=np.int64)
            s, ok_s = omap.to_index(raw_s)
            e, ok_e = omap.to_index(raw_e)
            bad = ~(ok_s & ok_e)
            if bad.any():
                k = int(np.argmax(bad))
                sel = raw[rows[k]]
                which, value = ("startPosition", sel.raw_start) if not ok_s[k] else ("endPosition", sel.raw_end)
                if value > omap.length:
                    reason = (f"{which} {value} is past the end of the source text "
                              f"({omap.length} {UNIT_NAMES[unit]})")
                else:
                    reason = f"{which} {value} falls inside a character (counting {UNIT_NAMES[unit]})"
                return {"ok": False, "selection": sel, "reason": reason}
            starts[idx], ends[idx] = s, e
            words = word_characters(text)
            boundary = on_word_boundary(words, s) & on_word_boundary(words, e)
            hits += int(boundary.sum())
            total += len(rows)
        return {"ok": True, "starts": starts, "ends": ends, "hits": hits, "total": total}

    def _resolve_offsets(self, raw: list[_RawSelection], origin: str | None) -> tuple[str, dict, pd.DataFrame]:
        presumed = unit_for_origin(origin)
        order = [presumed] + [u for u in UNIT_ORDER if u != presumed]
        results = {presumed: self._try_unit(raw, presumed)}

        def share(result: dict[str, Any]) -> float:
            return result["hits"] / result["total"] if result["total"] else 1.0

        first = results[presumed]
        chosen = presumed
        if not (first["ok"] and share(first) >= BOUNDARY_MAJORITY):
            for unit in order[1:]:
                results[unit] = self._try_unit(raw, unit)
            fitting = [u for u in order if results[u]["ok"]]
            if not fitting:
                sel = first["selection"]
                raise QdaImportError(f"{self.label}: project.qde: {sel.label}: {first['reason']}")
            chosen = max(fitting, key=lambda u: (share(results[u]), -order.index(u)))
            figures = "; ".join(
                f"{UNIT_NAMES[u]}: {results[u]['hits']}/{results[u]['total']} on word boundaries"
                if results[u]["ok"] else f"{UNIT_NAMES[u]}: {results[u]['reason']}"
                for u in order
            )
            self.warn(
                f"Project/@origin {origin!r} implies offsets in {UNIT_NAMES[presumed]}, but most selections "
                f"then do not start and end on word boundaries ({figures}); "
                f"offsets are read as {UNIT_NAMES[chosen]}"
            )
        check = {
            u: ({"on_word_boundaries": r["hits"], "selections": r["total"]} if r["ok"] else {"error": r["reason"]})
            for u, r in results.items()
        }
        result = results[chosen]
        rows = []
        for i, sel in enumerate(raw):
            source = self.sources[sel.source_guid]
            if sel.whole_source:
                start, end, raw_start, raw_end = 0, len(source.text), 0, OffsetMap(source.text, chosen).length
            else:
                start, end = int(result["starts"][i]), int(result["ends"][i])
                raw_start, raw_end = sel.raw_start, sel.raw_end
            if end == start:
                self.warn(f"{sel.label}: an empty selection is ignored")
                continue
            rows.append({
                "selection": sel.guid, "source": source.name, "source_guid": source.guid, "case": "",
                "code_path": self.codes[sel.code_guid], "code_guid": sel.code_guid, "coder": sel.coder,
                "start": start, "end": end, "raw_start": raw_start, "raw_end": raw_end,
                "text": source.text[start:end],
            })
        frame = pd.DataFrame(rows, columns=SELECTION_COLUMNS)
        return chosen, check, frame

    def _attach_cases(self, frame: pd.DataFrame, cases: dict[str, Case], selection_case: dict[str, str]) -> pd.DataFrame:
        case_of: dict[str, str] = {}
        for case in cases.values():
            for guid in case.sources:
                if guid in case_of and case_of[guid] != case.name:
                    self.warn(f"source {self.sources[guid].name!r} belongs to several cases; "
                              f"its codings count for {case_of[guid]!r}")
                    continue
                case_of[guid] = case.name
        frame = frame.copy()
        frame["case"] = [
            selection_case.get(sel, case_of.get(src, self.sources[src].name))
            for sel, src in zip(frame["selection"], frame["source_guid"])
        ]
        return sort_selections(frame)


def sort_selections(frame: pd.DataFrame) -> pd.DataFrame:
    """Selections in a fixed order: source, start, end, code path, coder."""
    frame = frame.astype({"start": "int64", "end": "int64", "raw_start": "int64", "raw_end": "int64"})
    return frame.sort_values(["source", "start", "end", "code_path", "coder"], kind="stable", ignore_index=True)


def read_qdpx(path: str | Path, *, validate: bool = True) -> QdaProject:
    """Read a REFI-QDA project (``.qdpx``).

    Parameters
    ----------
    path
        The ``.qdpx`` file.
    validate
        Validate ``project.qde`` against the REFI-QDA schema and record deviations in
        :attr:`QdaProject.warnings` (they never stop the import).

    Returns
    -------
    QdaProject
        Sources, codes (full paths), users, cases with variables, sets and every coded
        selection with its offsets converted to ``str`` indices.

    Raises
    ------
    QdaImportError
        If the file is not a readable REFI-QDA project; the message names the file and
        the element (for example ``study1.qdpx: project.qde: <PlainTextSelection
        guid="..."> (line 40): endPosition 5012 is past the end of the source text
        (4980 UTF-16 code units)``).
    """
    return _Reader(Path(path), validate).read()
