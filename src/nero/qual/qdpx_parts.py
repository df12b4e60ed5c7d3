"""The parts of a REFI-QDA project around its sources: users, codebook, variables, cases and sets.

Each reader takes the :class:`~nero.qual.qdpx_archive.ReadState` of the pass and the
``<Project>`` element, checks every GUID reference against what has been read before
(so users, codes and variables are read first, sources next, cases and sets last), and
raises :class:`~nero.qual.project.QdaImportError` naming the element for a reference
that points nowhere.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from lxml import etree

from nero.qual.project import _VALUE_TAGS, CODEBOOK_COLUMNS, Case, normalise_guid
from nero.qual.qdaxml import find_child, find_children, local_name
from nero.qual.qdpx_archive import ReadState

DANGLING_CODE = "dangling code reference: no Code with this GUID in the CodeBook"
DANGLING_SOURCE = "dangling source reference: no TextSource with this GUID"
DANGLING_SELECTION = "dangling selection reference: no PlainTextSelection with this GUID"
DANGLING_VARIABLE = "dangling reference: no Variable with this GUID in Project/Variables"


def resolve_ref(state: ReadState, ref: etree._Element, known: dict | set, message: str) -> str:
    """The normalised ``targetGUID`` of ``ref``; an import error with ``message`` if it is not in ``known``."""
    target = normalise_guid(ref.get("targetGUID"))
    if target not in known:
        raise state.error(ref, message)
    return target


def _grandchildren(root: etree._Element, group: str, name: str) -> list[etree._Element]:
    """The ``name`` elements inside ``root``'s ``group`` element (none if there is no such group)."""
    group_el = find_child(root, group)
    return find_children(group_el, name) if group_el is not None else []


def read_users(state: ReadState, root: etree._Element) -> dict[str, str]:
    """``Project/Users``: normalised GUID -> user name (else the user's id, else the GUID)."""
    users: dict[str, str] = {}
    for el in _grandchildren(root, "Users", "User"):
        guid = normalise_guid(el.get("guid"))
        if not guid:
            raise state.error(el, "a User without a guid")
        users[guid] = el.get("name") or el.get("id") or guid
    return users


def _code_row(code: etree._Element, guid: str, name: str, parent: str, path: str, depth: int) -> dict[str, Any]:
    """One codebook row (:data:`~nero.qual.project.CODEBOOK_COLUMNS`) for a ``<Code>`` element."""
    description = find_child(code, "Description")
    return {
        "code_path": path,
        "name": name,
        "parent": parent,
        "depth": depth,
        "is_codable": (code.get("isCodable") or "true").strip().lower() in ("true", "1"),
        "color": code.get("color") or "",
        "description": " ".join((description.text or "").split()) if description is not None else "",
        "guid": guid,
    }


def _walk_codes(
    state: ReadState,
    el: etree._Element,
    parent: str,
    depth: int,
    codes: dict[str, str],
    rows: list[dict[str, Any]],
    slashes: list[str],
) -> None:
    """Add the ``<Code>`` children of ``el`` and their descendants, depth first, to ``codes`` and ``rows``."""
    for code in find_children(el, "Code"):
        guid = normalise_guid(code.get("guid"))
        name = (code.get("name") or "").strip()
        if not guid or not name:
            raise state.error(code, "a Code needs a guid and a name")
        if guid in codes:
            raise state.error(code, "a second code with the same GUID")
        if "/" in name:
            slashes.append(name)
        path = f"{parent}/{name}" if parent else name
        codes[guid] = path
        rows.append(_code_row(code, guid, name, parent, path, depth))
        _walk_codes(state, code, path, depth + 1, codes, rows, slashes)


def read_codebook(state: ReadState, root: etree._Element) -> tuple[dict[str, str], pd.DataFrame]:
    """``Project/CodeBook``: code GUID -> full path, and the codebook table (one row per distinct path).

    Code names holding ``/`` and codes sharing a path are warned about; codes sharing a
    path pool their codings.
    """
    codes: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    slashes: list[str] = []
    book = find_child(root, "CodeBook")
    codes_el = find_child(book, "Codes") if book is not None else None
    if codes_el is not None:
        _walk_codes(state, codes_el, "", 1, codes, rows, slashes)
    if slashes:
        state.warn(f"code names containing '/' make ambiguous paths: {', '.join(slashes)}")
    paths = [r["code_path"] for r in rows]
    repeated = sorted({p for p in paths if paths.count(p) > 1})
    if repeated:
        state.warn(f"several codes share a path (their codings are pooled): {', '.join(repeated)}")
    frame = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS).drop_duplicates("code_path", ignore_index=True)
    return codes, frame


def read_variables(root: etree._Element) -> dict[str, tuple[str, str]]:
    """``Project/Variables``: normalised GUID -> ``(name, typeOfVariable)``."""
    variables: dict[str, tuple[str, str]] = {}
    for el in _grandchildren(root, "Variables", "Variable"):
        guid = normalise_guid(el.get("guid"))
        variables[guid] = (el.get("name") or guid, el.get("typeOfVariable") or "Text")
    return variables


def typed_value(state: ReadState, el: etree._Element) -> Any:
    """The value of a ``TextValue``/``IntegerValue``/``FloatValue``/``BooleanValue``/... element as Python."""
    tag, text = local_name(el), (el.text or "").strip()
    try:
        if tag == "IntegerValue":
            return int(text)
        if tag == "FloatValue":
            return float(text)
        if tag == "BooleanValue":
            return text.lower() in ("true", "1")
    except ValueError:
        raise state.error(el, f"{text!r} is not a valid {tag}") from None
    if tag == "TextValue":
        return el.text or ""
    return text


def variable_values(state: ReadState, owner: etree._Element) -> dict[str, Any]:
    """The ``VariableValue`` children of a case or source: variable name -> value (``None`` if empty)."""
    values: dict[str, Any] = {}
    for vv in find_children(owner, "VariableValue"):
        ref = find_child(vv, "VariableRef")
        if ref is None:
            raise state.error(vv, "a VariableValue without a VariableRef")
        name, _ = state.variables[resolve_ref(state, ref, state.variables, DANGLING_VARIABLE)]
        value: Any = None
        for item in vv:
            if isinstance(item.tag, str) and local_name(item) in _VALUE_TAGS:
                value = typed_value(state, item)
                break
        values[name] = value
    return values


def _read_case(state: ReadState, el: etree._Element, selection_guids: set[str], selection_case: dict[str, str]) -> Case:
    """One ``<Case>``: its variables and sources; its selections are mapped to it in ``selection_case``."""
    guid = normalise_guid(el.get("guid"))
    case = Case(guid=guid, name=el.get("name") or guid, variables=variable_values(state, el))
    for ref in find_children(el, "SourceRef"):
        case.sources.append(resolve_ref(state, ref, state.sources, DANGLING_SOURCE))
    for ref in find_children(el, "SelectionRef"):
        selection_case[resolve_ref(state, ref, selection_guids, DANGLING_SELECTION)] = case.name
    for ref in find_children(el, "CodeRef"):
        resolve_ref(state, ref, state.codes, DANGLING_CODE)
    return case


def read_cases(
    state: ReadState, root: etree._Element, selection_guids: set[str]
) -> tuple[dict[str, Case], dict[str, str]]:
    """``Project/Cases``: case GUID -> :class:`Case`, and selection GUID -> case name for ``SelectionRef``\\ s."""
    cases: dict[str, Case] = {}
    selection_case: dict[str, str] = {}
    for el in _grandchildren(root, "Cases", "Case"):
        case = _read_case(state, el, selection_guids, selection_case)
        cases[case.guid] = case
    return cases, selection_case


def read_sets(state: ReadState, root: etree._Element) -> dict[str, dict[str, list[str]]]:
    """``Project/Sets``: set name (else GUID) -> ``{"codes": [code paths], "sources": [source names]}``."""
    sets: dict[str, dict[str, list[str]]] = {}
    for el in _grandchildren(root, "Sets", "Set"):
        members: dict[str, list[str]] = {"codes": [], "sources": []}
        for ref in find_children(el, "MemberCode"):
            members["codes"].append(state.codes[resolve_ref(state, ref, state.codes, DANGLING_CODE)])
        for ref in find_children(el, "MemberSource"):
            members["sources"].append(state.sources[resolve_ref(state, ref, state.sources, DANGLING_SOURCE)].name)
        sets[el.get("name") or normalise_guid(el.get("guid"))] = members
    return sets
