"""The text sources of a REFI-QDA project: their text, and their coded selections as written.

A ``TextSource`` carries its text in ``PlainTextContent`` or points at it with
``plainTextPath``: ``internal://`` for a member of the archive, ``relative://`` for a file
below ``Project/@basePath`` (else beside the ``.qdpx``), ``absolute://`` (the standard's
absolute path), or a bare absolute path / ``file://`` URL. A file outside the archive is read
only when it resolves (``..`` and symbolic links followed) inside the raw folder or a folder
``qual.allowed_source_roots`` lists; anything else is refused unread, naming the project,
the source and the path. Files from an allowed root outside the raw folder are recorded
(location, SHA-256, size) in ``ReadState.external``.

A source's ``PlainTextSelection``\\ s and whole-source ``Coding``\\ s become
:class:`~nero.qual.qdpx_selections.RawSelection`\\ s, one per coding, with the offsets
as written (converted later, once the offset unit is known).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from nero.qual.project import QdaImportError, Source, normalise_guid
from nero.qual.qdaxml import decode_text, describe, find_child, find_children, local_name
from nero.qual.qdpx_archive import ReadState, find_member, member_bytes
from nero.qual.qdpx_parts import DANGLING_CODE, resolve_ref, variable_values
from nero.qual.qdpx_selections import RawSelection
from nero.untrusted import InputLimitError, allowed_root, read_file, sha256_hex


def source_label(el: etree._Element) -> str:
    """A source as a person knows it: ``source 'Interview 03' (line 40)`` (its name, not its GUID)."""
    name = el.get("name")
    return f"source {name!r} (line {el.sourceline})" if name else f"{describe(el)}"


def _internal_text(state: ReadState, el: etree._Element, path: str, rest: str) -> tuple[str, str]:
    """Text of an ``internal://`` source: a member of the archive (under ``Sources/``, any case)."""
    info = find_member(state.members, rest) or find_member(state.members, unquote(rest))
    if info is None:
        raise state.error(
            el, f"plainTextPath {path!r}: no such file in the archive (looked for Sources/{rest}, any case)"
        )
    data = member_bytes(state, info)
    return decode_text(data, f"{state.label}: {source_label(el)} ({info.filename})"), info.filename


def _scheme_path(text: str) -> Path:
    """A path as a project writes it: a ``file:`` URL or a plain path, ``\\`` read as ``/``, %-escapes undone."""
    if text.lower().startswith("file:"):
        return Path(unquote(urlparse(text).path))
    return Path(unquote(text).replace("\\", "/"))


def _where(state: ReadState, candidate: Path) -> tuple[str, bool] | None:
    """Where ``candidate`` lies once resolved: its location as outputs name it and whether it is
    outside the raw folder (in an allowed root); None when it is outside every permitted folder."""
    real = candidate.resolve()
    if state.raw_root is not None and allowed_root(real, [state.raw_root]) is not None:
        return real.relative_to(state.raw_root).as_posix(), False
    for written, root in state.allowed_roots:
        if allowed_root(real, [root]) is not None:
            return f"{written.rstrip('/')}/{real.relative_to(root).as_posix()}", True
    return None


def _outside(state: ReadState, el: etree._Element, path: str, candidate: Path) -> QdaImportError:
    roots = ", ".join([str(state.raw_root)] + [w for w, _ in state.allowed_roots])
    return state.error(
        el,
        f"plainTextPath {path!r} resolves to {candidate.resolve()}, outside the raw folder; refused: a "
        f"project may read only files below {roots} (list the folder under qual.allowed_source_roots in "
        "config/config.yaml if the transcripts genuinely live there)",
    )


def _read_candidates(
    state: ReadState, el: etree._Element, path: str, candidates: list[Path], detail: str
) -> tuple[str, str]:
    """The text of the first candidate that is a file inside a permitted folder.

    A candidate outside every permitted folder is never opened (not even to see whether it
    exists); when no candidate inside is a file and one was outside, the refusal names it.
    """
    outside: Path | None = None
    tried = []
    for candidate in candidates:
        where = _where(state, candidate)
        if where is None:
            outside = outside or candidate
            continue
        tried.append(where[0])
        real = candidate.resolve()  # read the file that was checked, not whatever the link points at later
        if real.is_file():
            location, external = where
            try:
                data = read_file(real, state.budget.limits, f"{state.label}: {source_label(el)} ({location})")
            except InputLimitError as exc:
                raise QdaImportError(str(exc)) from None
            text = decode_text(data, f"{state.label}: {source_label(el)} ({location})")
            if external:
                state.external.append({"location": location, "sha256": sha256_hex(data), "bytes": len(data)})
                state.warn(
                    f"{source_label(el)} is read from {location}, outside the raw folder (an allowed root); "
                    "its checksum is recorded in project.json"
                )
            return text, location
    if outside is not None:
        raise _outside(state, el, path, outside)
    raise state.error(el, f"plainTextPath {path!r}: file not found ({detail}tried {', '.join(tried)})")


def _relative_text(state: ReadState, el: etree._Element, path: str, rest: str) -> tuple[str, str]:
    """Text of a ``relative://`` source: below ``Project/@basePath``, else beside the ``.qdpx`` file."""
    base = state.root.get("basePath") or ""
    rel = _scheme_path(rest)
    candidates = []
    if base:
        base_path = _scheme_path(base)
        candidates.append((base_path if base_path.is_absolute() else state.path.parent / base_path) / rel)
    candidates.append(state.path.parent / rel)
    return _read_candidates(state, el, path, candidates, f"basePath {base!r}; ")


def _local_text(state: ReadState, el: etree._Element, path: str, scheme: str) -> tuple[str, str]:
    """Text of a source at an ``absolute://`` path (REFI-QDA), a ``file://`` URL or a bare path; else of a
    file of that name beside the ``.qdpx`` (a project moved from another machine)."""
    if scheme == "absolute":
        local = _scheme_path(path.partition("://")[2])
    else:
        local = _scheme_path(path)
    if not local.is_absolute():
        local = state.path.parent / local
    return _read_candidates(state, el, path, [local, state.path.parent / local.name], "")


def load_path(state: ReadState, el: etree._Element, path: str) -> tuple[str, str]:
    """The text a ``plainTextPath`` points at, and where it was found.

    Every file outside the archive must resolve (``..`` and symbolic links followed) inside
    the raw folder or an allowed root, else it is refused unread.
    """
    scheme, _, rest = path.partition("://")
    scheme = scheme.lower() if rest else ""
    if scheme == "internal":
        return _internal_text(state, el, path, rest)
    if scheme == "relative":
        return _relative_text(state, el, path, rest)
    return _local_text(state, el, path, scheme)


def read_text_source(state: ReadState, el: etree._Element) -> Source:
    """One ``<TextSource>``: its GUID, name, text (``plainTextPath`` wins over ``PlainTextContent``) and variables."""
    guid = normalise_guid(el.get("guid"))
    if not guid:
        raise state.error(el, "a TextSource without a guid")
    name = el.get("name") or guid
    content = find_child(el, "PlainTextContent")
    path = el.get("plainTextPath")
    if path:
        if content is not None:
            state.warn(f"{describe(el)} has both plainTextPath and PlainTextContent; the file is used")
        text, location = load_path(state, el, path)
    elif content is not None:
        text, location = content.text or "", "PlainTextContent"
        if text.startswith("\ufeff"):
            text = text[1:]
    else:
        raise state.error(el, "neither plainTextPath nor PlainTextContent: the source has no text")
    return Source(guid=guid, name=name, text=text, location=location, variables=variable_values(state, el))


def coder(state: ReadState, *elements: etree._Element) -> str:
    """The coder: the first ``creatingUser`` among ``elements`` (its user name, else the GUID), else ``unknown``."""
    for el in elements:
        guid = normalise_guid(el.get("creatingUser"))
        if guid:
            if guid not in state.users:
                message = f"creatingUser {guid} is not among Project/Users; the GUID stands for the coder"
                if f"{state.label}: {message}" not in state.warnings:
                    state.warn(message)
                return guid
            return state.users[guid]
    return "unknown"


def code_ref(state: ReadState, coding: etree._Element) -> str:
    """The code GUID a ``<Coding>`` applies (its ``CodeRef``, which must name a code of the codebook)."""
    ref = find_child(coding, "CodeRef")
    if ref is None:
        raise state.error(coding, "a Coding without a CodeRef")
    return resolve_ref(state, ref, state.codes, DANGLING_CODE)


def _positions(state: ReadState, sel: etree._Element) -> tuple[int, int]:
    """``startPosition`` and ``endPosition`` of a selection as written: whole numbers, start <= end."""
    try:
        start = int((sel.get("startPosition") or "").strip())
        end = int((sel.get("endPosition") or "").strip())
    except ValueError:
        raise state.error(sel, "startPosition and endPosition must be whole numbers") from None
    if start < 0 or end < start:
        raise state.error(sel, f"startPosition {start} and endPosition {end} do not make a selection")
    return start, end


def read_selections(state: ReadState, el: etree._Element, source: Source, seen: set[str]) -> list[RawSelection]:
    """One :class:`RawSelection` per coding of a text selection or of the whole source; GUIDs go into ``seen``."""
    out: list[RawSelection] = []
    uncoded = 0
    for sel in find_children(el, "PlainTextSelection"):
        guid = normalise_guid(sel.get("guid"))
        seen.add(guid)
        start, end = _positions(state, sel)
        codings = find_children(sel, "Coding")
        if not codings:
            uncoded += 1
        for coding in codings:
            out.append(
                RawSelection(
                    guid=guid,
                    label=describe(sel),
                    source_guid=source.guid,
                    raw_start=start,
                    raw_end=end,
                    code_guid=code_ref(state, coding),
                    coder=coder(state, coding, sel),
                )
            )
    for coding in find_children(el, "Coding"):
        out.append(
            RawSelection(
                guid=normalise_guid(coding.get("guid")),
                label=describe(coding),
                source_guid=source.guid,
                raw_start=0,
                raw_end=-1,
                code_guid=code_ref(state, coding),
                coder=coder(state, coding, el),
                whole_source=True,
            )
        )
    if uncoded:
        state.warn(f"{describe(el)}: {uncoded} selection(s) without a Coding are ignored")
    return out


def read_sources(state: ReadState, root: etree._Element) -> tuple[list[RawSelection], set[str]]:
    """``Project/Sources``: text sources into ``state.sources``; their selections, and every selection GUID.

    Sources of other kinds (PDF, picture, audio, video) are skipped with one warning per kind.
    """
    raw: list[RawSelection] = []
    selection_guids: set[str] = set()
    skipped: dict[str, int] = defaultdict(int)
    sources_el = find_child(root, "Sources")
    for el in sources_el if sources_el is not None else []:
        if not isinstance(el.tag, str):
            continue
        tag = local_name(el)
        if tag != "TextSource":
            skipped[tag] += 1
            continue
        source = read_text_source(state, el)
        if source.guid in state.sources:
            raise state.error(el, "a second source with the same GUID")
        state.sources[source.guid] = source
        raw.extend(read_selections(state, el, source, selection_guids))
    for tag, n in sorted(skipped.items()):
        state.warn(f"{n} {tag} element(s) skipped: only text sources are analysed")
    return raw, selection_guids
