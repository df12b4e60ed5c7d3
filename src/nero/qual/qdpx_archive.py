"""The ``.qdpx`` zip archive: opening it, finding its members, and parsing its ``project.qde``.

:class:`ReadState` carries what one pass over an archive has read so far (users, codes,
variables, sources) and the warnings it has collected; the other ``qdpx_*`` modules read
the project's parts into it. Member names are matched case-insensitively, with Windows
``\\`` separators read as ``/``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from nero.qual.project import QDA_NAMESPACE, QdaImportError, Source, normalise_guid
from nero.qual.qdaxml import describe, local_name, schema_deviations
from nero.untrusted import ArchiveBudget, InputLimitError, ReadLimits, read_member


@dataclass
class ReadState:
    """One pass over a ``.qdpx`` archive: what has been read so far and the warnings collected.

    Attributes
    ----------
    path
        The ``.qdpx`` file.
    validate
        Whether ``project.qde`` is checked against the REFI-QDA schema.
    label
        The file's name, which starts every error message and warning.
    warnings
        Everything absorbed rather than refused, each starting with ``label``.
    archive, members
        The open archive and its files by lower-case ``/``-separated name.
    root
        The ``<Project>`` element.
    users, codes, variables, sources
        Normalised GUID -> user name, code path, ``(name, type)`` and :class:`Source`.
    raw_root
        The raw folder: no source file outside it is read, unless it lies in one of
        ``allowed_roots`` (both resolved by :func:`nero.qual.refiqda.read_qdpx`).
    allowed_roots
        Further folders the configuration allows source files in: ``(as written, resolved)``.
    budget
        The reading limits and what the archive has inflated so far.
    external
        Every source file read from outside the raw folder: ``location``, ``sha256``, ``bytes``.
    """

    path: Path
    validate: bool = True
    label: str = ""
    warnings: list[str] = field(default_factory=list)
    archive: zipfile.ZipFile | None = None
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    root: etree._Element | None = None
    users: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    raw_root: Path | None = None
    allowed_roots: list[tuple[str, Path]] = field(default_factory=list)
    budget: ArchiveBudget = field(default_factory=ArchiveBudget)
    external: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.label = self.label or self.path.name

    def error(self, el: etree._Element | None, message: str) -> QdaImportError:
        """An import error naming the file, ``project.qde`` and (when given) the element."""
        where = f"{self.label}: project.qde"
        if el is not None:
            where += f": {describe(el)}"
        return QdaImportError(f"{where}: {message}")

    def warn(self, message: str) -> None:
        """Record a warning about the file."""
        self.warnings.append(f"{self.label}: {message}")


def check_archive(path: Path, label: str, limits: ReadLimits | None = None) -> None:
    """Refuse a file that does not exist, is over ``limits.file_bytes`` or is not a (complete) zip archive.

    Raises
    ------
    QdaImportError
        Naming the file, and telling a truncated zip from a file that is no zip at all.
    """
    if not path.exists():
        raise QdaImportError(f"{label}: no such file ({path})")
    limits = limits or ReadLimits()
    if path.stat().st_size > limits.file_bytes:
        raise QdaImportError(
            f"{label} is {path.stat().st_size:,} bytes, over the limit of {limits.file_bytes:,} bytes: refused "
            "(raise limits.file_bytes in config/config.yaml if the file is genuine)"
        )
    if zipfile.is_zipfile(path):
        return
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PK\x03\x04":
        raise QdaImportError(
            f"{label}: truncated or damaged zip archive: it starts like a zip but its end (the "
            f"central directory) is missing ({path.stat().st_size} bytes), so the file was cut "
            "(an interrupted download or copy); export the project from the QDA program again"
        )
    raise QdaImportError(
        f"{label}: not a zip archive (a REFI-QDA .qdpx file is a zip holding project.qde and its sources)"
    )


def member_index(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's files by lower-case, ``/``-separated name (the first of any that collide)."""
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        if not info.is_dir():
            members.setdefault(info.filename.replace("\\", "/").lower(), info)
    return members


def member_bytes(state: ReadState, info: zipfile.ZipInfo) -> bytes:
    """The bytes of one archive member, inflated within the limits (:func:`nero.untrusted.read_member`).

    A member that cannot be read, or is over a limit, is an import error naming the archive,
    the member, the size and the config key.
    """
    try:
        return read_member(state.archive, info, state.label, state.budget)
    except InputLimitError as exc:
        raise QdaImportError(str(exc)) from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise QdaImportError(f"{state.label}: {info.filename}: cannot be read from the archive: {exc}") from None


def find_member(members: dict[str, zipfile.ZipInfo], relative: str) -> zipfile.ZipInfo | None:
    """The member a source path names: under ``Sources/`` or at the top, any case, GUIDs normalised."""
    relative = relative.replace("\\", "/").lstrip("/")
    for candidate in (f"sources/{relative}", relative):
        info = members.get(candidate.lower())
        if info is not None:
            return info
    # GUID-named files: compare names with braces stripped and case folded
    wanted = PurePosixPath(relative)
    key = (normalise_guid(wanted.stem), wanted.suffix.lower())
    for name, info in members.items():
        member = PurePosixPath(name)
        if (normalise_guid(member.stem), member.suffix.lower()) == key and member.parent.name in ("sources", ""):
            return info
    return None


def project_member(state: ReadState) -> zipfile.ZipInfo:
    """``project.qde``, or the archive's only top-level ``.qde`` file (with a warning)."""
    info = state.members.get("project.qde")
    if info is not None:
        return info
    others = [m for m in state.members if m.endswith(".qde") and "/" not in m]
    if len(others) == 1:
        info = state.members[others[0]]
        state.warn(f"the project file is named {info.filename!r}, not project.qde; reading it")
        return info
    listing = ", ".join(sorted(state.members)[:8]) or "nothing"
    raise QdaImportError(f"{state.label}: no project.qde in the archive (it holds: {listing})")


def parse_project_xml(data: bytes, label: str) -> etree._ElementTree:
    """Parse ``project.qde`` without resolving entities or reaching the network; drop comments and PIs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    try:
        return etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        line = f"line {exc.lineno}: " if exc.lineno else ""
        raise QdaImportError(f"{label}: project.qde: {line}malformed XML: {exc.msg}") from None


def check_project_root(state: ReadState, tree: etree._ElementTree) -> etree._Element:
    """The ``<Project>`` element, after warning about a foreign namespace and schema deviations."""
    root = tree.getroot()
    if local_name(root) != "Project":
        raise state.error(root, "the root element must be <Project> (this is not a REFI-QDA project)")
    if etree.QName(root).namespace != QDA_NAMESPACE:
        state.warn(f"project.qde is not in the QDA-XML namespace {QDA_NAMESPACE!r}; reading it by element names")
    if state.validate:
        deviations = schema_deviations(tree)
        if deviations:
            state.warn(
                "project.qde deviates from the REFI-QDA schema (Project.xsd 1.0); the import goes on: "
                + "; ".join(deviations)
            )
    return root


def read_project_root(state: ReadState) -> etree._Element:
    """Find, parse and check ``project.qde`` in the open archive; return its ``<Project>`` element."""
    data = member_bytes(state, project_member(state))
    return check_project_root(state, parse_project_xml(data, state.label))
