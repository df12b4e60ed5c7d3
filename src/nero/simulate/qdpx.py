"""Write a REFI-QDA project (``.qdpx``) the way NVivo exports one.

The archive holds ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and
``Sources/<guid>.txt`` for every text source. ``PlainTextSelection`` positions
are UTF-16 code units over the source text exactly as stored (UTF-8, CRLF line
endings kept, no byte-order mark); ``endPosition`` is exclusive. GUIDs are
lowercase. Zip entries have fixed timestamps and a fixed order, so the same
project gives the same bytes.

The REFI-QDA 1.0 project schema (``Project-mrt2019.xsd``, MIT licence) ships
in ``nero/qual/Project.xsd`` (the importer validates with it too); :func:`project_schema_path`
returns it.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from lxml import etree

NAMESPACE = "urn:QDA-XML:project:1.0"
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def project_schema_path() -> Path:
    """Path of the vendored REFI-QDA ``Project.xsd`` (QDA-XML 1.0, 18 March 2019; one copy, kept by ``nero.qual``)."""
    return Path(__file__).resolve().parents[1] / "qual" / "Project.xsd"


def new_guid(rng: np.random.Generator) -> str:
    """A random (version 4) lowercase GUID drawn from ``rng``."""
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 code units before code-point ``index`` of ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def utf16_slice(text: str, start: int, end: int) -> str:
    """Text between UTF-16 positions ``start`` and ``end`` (end exclusive)."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


@dataclass
class QdaSelection:
    """A coded text selection (positions in UTF-16 code units)."""

    guid: str
    start: int
    end: int
    user: str
    codes: list[str]
    coding_guids: list[str]
    created: str


@dataclass
class QdaSource:
    """A text source and its selections."""

    guid: str
    name: str
    text: str
    created: str
    selections: list[QdaSelection] = field(default_factory=list)


@dataclass
class QdaCase:
    """A case with its variable values and source."""

    guid: str
    name: str
    values: dict[str, object]
    source_guid: str
    description: str = ""


@dataclass
class QdaProject:
    """Everything ``project.qde`` holds."""

    name: str
    origin: str
    created: str
    users: dict[str, str]
    codes: dict[str, str]
    code_colors: dict[str, str]
    variables: dict[str, tuple[str, str]]
    sources: list[QdaSource]
    cases: list[QdaCase]
    code_descriptions: dict[str, str] = field(default_factory=dict)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def project_xml(project: QdaProject) -> bytes:
    """Serialise ``project`` as ``project.qde`` bytes (UTF-8, XML declaration)."""
    root = etree.Element(_q("Project"), nsmap={None: NAMESPACE})
    root.set("name", project.name)
    root.set("origin", project.origin)
    first_user = next(iter(project.users.values()))
    root.set("creatingUserGUID", first_user)
    root.set("creationDateTime", project.created)
    users = etree.SubElement(root, _q("Users"))
    for name, guid in project.users.items():
        etree.SubElement(users, _q("User"), guid=guid, name=name)
    codebook = etree.SubElement(root, _q("CodeBook"))
    codes_el = etree.SubElement(codebook, _q("Codes"))
    elements: dict[str, etree._Element] = {}
    for path, guid in project.codes.items():
        parent_path, _, leaf = path.rpartition("/")
        parent = elements[parent_path] if parent_path else codes_el
        attrs = {"guid": guid, "name": leaf, "isCodable": "true"}
        if path in project.code_colors:
            attrs["color"] = project.code_colors[path]
        elements[path] = etree.SubElement(parent, _q("Code"), **attrs)
        if project.code_descriptions.get(path):
            etree.SubElement(elements[path], _q("Description")).text = project.code_descriptions[path]
    variables = etree.SubElement(root, _q("Variables"))
    for name, (guid, kind) in project.variables.items():
        etree.SubElement(variables, _q("Variable"), guid=guid, name=name, typeOfVariable=kind)
    cases = etree.SubElement(root, _q("Cases"))
    for case in project.cases:
        case_el = etree.SubElement(cases, _q("Case"), guid=case.guid, name=case.name)
        if case.description:
            etree.SubElement(case_el, _q("Description")).text = case.description
        for name, value in case.values.items():
            guid, kind = project.variables[name]
            vv = etree.SubElement(case_el, _q("VariableValue"))
            etree.SubElement(vv, _q("VariableRef"), targetGUID=guid)
            tag = {"Text": "TextValue", "Integer": "IntegerValue", "Float": "FloatValue", "Date": "DateValue"}[kind]
            etree.SubElement(vv, _q(tag)).text = str(value)
        etree.SubElement(case_el, _q("SourceRef"), targetGUID=case.source_guid)
    sources = etree.SubElement(root, _q("Sources"))
    for source in project.sources:
        src = etree.SubElement(
            sources,
            _q("TextSource"),
            guid=source.guid,
            name=source.name,
            plainTextPath=f"internal://{source.guid}.txt",
            creatingUser=first_user,
            creationDateTime=source.created,
        )
        for sel in source.selections:
            user = project.users[sel.user]
            sel_el = etree.SubElement(
                src,
                _q("PlainTextSelection"),
                guid=sel.guid,
                name=utf16_slice(source.text, sel.start, sel.end)[:60],
                startPosition=str(sel.start),
                endPosition=str(sel.end),
                creatingUser=user,
                creationDateTime=sel.created,
            )
            for code, coding_guid in zip(sel.codes, sel.coding_guids):
                coding = etree.SubElement(
                    sel_el, _q("Coding"), guid=coding_guid, creatingUser=user, creationDateTime=sel.created
                )
                etree.SubElement(coding, _q("CodeRef"), targetGUID=project.codes[code])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True, standalone=True)


def write_qdpx(project: QdaProject, path: str | Path) -> Path:
    """Write ``project`` as a ``.qdpx`` zip (``project.qde`` first, then ``Sources/``).

    Parameters
    ----------
    project
        The project.
    path
        Output file.

    Returns
    -------
    pathlib.Path
        The written archive.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = [("project.qde", project_xml(project))]
    for source in project.sources:
        entries.append((f"Sources/{source.guid}.txt", source.text.encode("utf-8")))
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data)
    return path
