"""Selection offsets: the units QDA programs count in, and their conversion to ``str`` indices.

A REFI-QDA ``PlainTextSelection`` gives ``startPosition`` / ``endPosition`` in whatever
unit the exporting program counts:

``utf16``
    UTF-16 code units over the text as stored (NVivo, a .NET program: a character
    outside the Basic Multilingual Plane, such as an emoji, counts 2; CRLF counts 2).
``codepoint``
    Unicode code points over the text as stored (CRLF counts 2).
``codepoint-lf``
    Code points with every CRLF counted as one character (programs that normalise
    line ends to LF internally).
``utf16-lf``
    UTF-16 code units with CRLF counted as one.

Python ``str`` indices are code points over the stored text, so ``codepoint`` needs no
conversion. A byte-order mark at the start of a file is removed before counting
(it is never part of the text).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Human-readable name of each offset unit.
UNIT_NAMES = {
    "utf16": "UTF-16 code units",
    "codepoint": "code points",
    "codepoint-lf": "code points (CRLF counted as one)",
    "utf16-lf": "UTF-16 code units (CRLF counted as one)",
}

#: The order in which units are tried after the one the producer implies.
UNIT_ORDER = ("utf16", "codepoint", "codepoint-lf", "utf16-lf")

#: Producer (substring of ``Project/@origin``, case-insensitive) -> the unit it is presumed to count.
ORIGIN_UNITS = (
    ("nvivo", "utf16"),
    ("atlas", "codepoint"),
    ("maxqda", "codepoint-lf"),
    ("qualcoder", "codepoint"),
)

#: Unit presumed for a producer not listed in :data:`ORIGIN_UNITS`.
DEFAULT_UNIT = "codepoint"


def unit_for_origin(origin: str | None) -> str:
    """The offset unit a producer is presumed to count in, from ``Project/@origin``.

    Examples
    --------
    >>> unit_for_origin("NVivo 14")
    'utf16'
    >>> unit_for_origin("ATLAS.ti 23.2.1")
    'codepoint'
    >>> unit_for_origin(None)
    'codepoint'
    """
    text = (origin or "").lower()
    for needle, unit in ORIGIN_UNITS:
        if needle in text:
            return unit
    return DEFAULT_UNIT


def cumulative_units(text: str, unit: str) -> np.ndarray:
    """Offsets (in ``unit``) of every ``str`` index of ``text``: ``out[i]`` = units before ``text[i]``.

    The array has ``len(text) + 1`` entries and never decreases; ``out[-1]`` is the length
    of the text in ``unit``.
    """
    if unit not in UNIT_NAMES:
        raise ValueError(f"unknown offset unit {unit!r} (expected one of {', '.join(UNIT_NAMES)})")
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    weights = np.ones(codes.size, dtype=np.int64)
    if unit.startswith("utf16"):
        weights[codes > 0xFFFF] = 2
    if unit.endswith("-lf") and codes.size > 1:
        crlf = (codes[:-1] == 0x0D) & (codes[1:] == 0x0A)
        weights[:-1][crlf] = 0
    out = np.zeros(codes.size + 1, dtype=np.int64)
    np.cumsum(weights, out=out[1:])
    return out


@dataclass(frozen=True)
class OffsetMap:
    """Converts offsets in one unit to ``str`` indices of one text."""

    text: str
    unit: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cum", cumulative_units(self.text, self.unit))

    @property
    def length(self) -> int:
        """Length of the text in this unit."""
        return int(self._cum[-1])

    def to_index(self, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``str`` indices of ``offsets`` and a mask of offsets that fall on a character start.

        An offset past the end, or inside a character (the second UTF-16 unit of a
        surrogate pair), has ``ok`` False. Where several indices share an offset (the CR
        of a CRLF counted as one), the first is used, so a selection never starts or
        ends between CR and LF.
        """
        offsets = np.asarray(offsets, dtype=np.int64)
        index = np.searchsorted(self._cum, offsets, side="left")
        inside = index < self._cum.size
        ok = inside & (offsets >= 0)
        ok[ok] = self._cum[index[ok]] == offsets[ok]
        return np.where(ok, index, -1), ok


def word_characters(text: str) -> np.ndarray:
    """Boolean mask: is each character of ``text`` part of a word (letter or digit)?"""
    return np.fromiter((c.isalnum() for c in text), dtype=bool, count=len(text))


def on_word_boundary(is_word: np.ndarray, index: np.ndarray) -> np.ndarray:
    """Whether each ``str`` index lies between words (not between two word characters)."""
    index = np.asarray(index, dtype=np.int64)
    n = is_word.size
    before = np.zeros(index.size, dtype=bool)
    after = np.zeros(index.size, dtype=bool)
    has_before = (index > 0) & (index <= n)
    has_after = (index >= 0) & (index < n)
    before[has_before] = is_word[index[has_before] - 1]
    after[has_after] = is_word[index[has_after]]
    return ~(before & after)
