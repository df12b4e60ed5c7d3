"""QDA-XML helpers for the REFI-QDA reader: element names, child lookup, text decoding, schema checks.

Elements are matched by local name (so a ``project.qde`` outside the QDA-XML namespace
still reads), described for error messages as ``<Tag guid="..." name="..."> (line N)``,
plain-text sources are decoded from UTF-8 or BOM-marked UTF-16, and ``project.qde`` is
validated against the REFI-QDA ``Project.xsd`` 1.0 shipped beside this module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from lxml import etree

from nero.qual.project import QdaImportError


def local_name(el: etree._Element) -> str:
    """The element's tag without its namespace."""
    return etree.QName(el).localname


def describe(el: etree._Element) -> str:
    """``<Tag guid="..." name="..."> (line N)`` for error messages."""
    attrs = " ".join(f'{key}="{el.get(key)}"' for key in ("guid", "name", "targetGUID") if el.get(key) is not None)
    tag = local_name(el)
    return f"<{tag}{' ' + attrs if attrs else ''}> (line {el.sourceline})"


def find_children(el: etree._Element, name: str) -> list[etree._Element]:
    """The child elements of ``el`` whose local name is ``name``, in document order."""
    return [child for child in el if isinstance(child.tag, str) and local_name(child) == name]


def find_child(el: etree._Element, name: str) -> etree._Element | None:
    """The first child element of ``el`` whose local name is ``name``, or ``None``."""
    found = find_children(el, name)
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
