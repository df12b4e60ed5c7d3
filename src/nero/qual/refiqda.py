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
  file below ``Project/@basePath``, ``absolute://``, or a bare absolute path / ``file://``
  URL); a file outside the archive is read only inside the raw folder or an allowed root;
- selection offsets are counted in the unit the producer uses (see
  :mod:`nero.qual.offsets`): the unit is presumed from ``Project/@origin`` and then
  verified: if most decoded selections do not start and end on word boundaries, the
  other units are tried and the one that fits best is used, with a warning giving the
  figures;
- ``project.qde`` is validated against the REFI-QDA ``Project.xsd`` (version 1.0,
  shipped beside this module); deviations are reported as warnings, not failures,
  because exports from the major programs have them.

Every archive member is inflated within :class:`nero.untrusted.ReadLimits` (size, ratio,
total): a decompression bomb is refused before it is inflated.

Anything that makes the project unreadable (not a zip, no ``project.qde``, malformed
XML, a reference to a code, source, variable or selection that is not there, an offset
past the end of its text) raises :class:`QdaImportError` naming the file and the element.

This module is the entry point (:func:`read_qdpx`); the steps live in
:mod:`nero.qual.qdaxml` (XML and text helpers, schema check),
:mod:`nero.qual.qdpx_archive` (the zip archive and ``project.qde``),
:mod:`nero.qual.qdpx_parts` (users, codebook, variables, cases, sets),
:mod:`nero.qual.qdpx_sources` (text sources and their selections) and
:mod:`nero.qual.qdpx_selections` (offset unit, selections table).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from nero.qual.project import (
    BOUNDARY_MAJORITY,
    CODEBOOK_COLUMNS,
    QDA_NAMESPACE,
    SELECTION_COLUMNS,
    Case,
    QdaImportError,
    QdaProject,
    Source,
    normalise_guid,
)
from nero.qual.qdaxml import decode_text, project_schema, schema_deviations
from nero.qual.qdpx_archive import ReadState, check_archive, member_index, read_project_root
from nero.qual.qdpx_parts import read_cases, read_codebook, read_sets, read_users, read_variables
from nero.qual.qdpx_selections import attach_cases, resolve_offsets, sort_selections
from nero.qual.qdpx_sources import read_sources
from nero.untrusted import ArchiveBudget, ReadLimits

__all__ = [
    "BOUNDARY_MAJORITY",
    "CODEBOOK_COLUMNS",
    "QDA_NAMESPACE",
    "SELECTION_COLUMNS",
    "Case",
    "QdaImportError",
    "QdaProject",
    "Source",
    "decode_text",
    "normalise_guid",
    "project_schema",
    "read_qdpx",
    "schema_deviations",
    "sort_selections",
]


def _warn_duplicate_source_names(state: ReadState) -> None:
    """Warn when several sources share a name (their selections then share a ``source`` label)."""
    names = [s.name for s in state.sources.values()]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        state.warn(f"several sources share a name: {', '.join(duplicates)}")


def _read_elements(state: ReadState, root: etree._Element) -> QdaProject:
    """Read the project's parts in dependency order and assemble the :class:`QdaProject`."""
    state.root = root
    state.users = read_users(state, root)
    state.codes, codebook = read_codebook(state, root)
    state.variables = read_variables(root)
    raw, selection_guids = read_sources(state, root)
    cases, selection_case = read_cases(state, root, selection_guids)
    sets = read_sets(state, root)
    unit, check, frame = resolve_offsets(state, raw, root.get("origin"))
    _warn_duplicate_source_names(state)
    frame = attach_cases(state, frame, cases, selection_case)
    if frame.empty:
        state.warn(
            f"no coded selections: the project holds {len(state.sources)} source(s) and {len(state.codes)} code(s) "
            "but no Coding (exported before coding, or without its codings); nothing can be analysed"
        )
    return QdaProject(
        path=state.path,
        name=root.get("name") or "",
        origin=root.get("origin") or "",
        sources=state.sources,
        codes=state.codes,
        codebook=codebook,
        users=state.users,
        cases=cases,
        sets=sets,
        selections=frame,
        offset_unit=unit,
        offset_check=check,
        warnings=state.warnings,
        external_files=state.external,
    )


def raw_folder(path: Path) -> Path:
    """The raw folder a project lies in: the nearest folder above it holding ``MANIFEST.sha256``,
    else the project's own folder."""
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / "MANIFEST.sha256").is_file():
            return candidate
    return folder


def read_qdpx(
    path: str | Path,
    *,
    validate: bool = True,
    raw_root: str | Path | None = None,
    allowed_roots: Sequence[str | Path] = (),
    limits: ReadLimits | None = None,
) -> QdaProject:
    """Read a REFI-QDA project (``.qdpx``).

    Parameters
    ----------
    path
        The ``.qdpx`` file.
    validate
        Validate ``project.qde`` against the REFI-QDA schema and record deviations in
        :attr:`QdaProject.warnings` (they never stop the import).
    raw_root
        The raw folder: a source file outside it (after ``..`` and symbolic links) is refused
        unread. Default: :func:`raw_folder` (the folder holding ``MANIFEST.sha256`` above the
        project, else the project's folder).
    allowed_roots
        Further folders source files may come from (``qual.allowed_source_roots``); files read
        there are listed in :attr:`QdaProject.external_files` with their SHA-256.
    limits
        Reading limits (``limits`` in the config): the archive's size, each member's inflated
        size and ratio, the total inflated, a source file's size.

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
    state = ReadState(Path(path), validate)
    state.raw_root = Path(raw_root).resolve() if raw_root is not None else raw_folder(state.path)
    state.allowed_roots = [(str(root), Path(root).resolve()) for root in allowed_roots]
    state.budget = ArchiveBudget(limits or ReadLimits())
    check_archive(state.path, state.label, state.budget.limits)
    try:
        with zipfile.ZipFile(state.path) as archive:
            state.archive = archive
            state.members = member_index(archive)
            return _read_elements(state, read_project_root(state))
    except zipfile.BadZipFile as exc:
        raise QdaImportError(f"{state.label}: damaged zip archive: {exc}") from None
