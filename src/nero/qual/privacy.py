"""The privacy check: no real name from the deny-list may appear in any Study-1 output.

The deny-list (``qual.deny_list`` in the config) holds the real names of people and
firms that the transcripts were pseudonymised from. Every output file is searched for
every name: case-insensitively, after Unicode NFKC normalisation, as a whole word or
phrase (so ``Tan`` does not match ``Tangible``), with any run of whitespace (including
a line break) between the words of a multi-word name. Text files are read as UTF-8;
other files (PNG, PDF) are searched in their raw bytes too. Every label of a figure is
drawn from a table that is itself checked.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".csv", ".json", ".txt", ".md", ".rst", ".tsv", ".html", ".svg", ".log"}


class PrivacyViolation(RuntimeError):
    """A deny-listed name appears in an output (the message names the file and the name)."""


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _pattern(name: str) -> re.Pattern[str]:
    words = _normalise(name).split()
    if not words:
        raise ValueError("an empty name in the deny-list")
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


@dataclass
class PrivacyReport:
    """Which files were searched and where deny-listed names were found."""

    files: list[str]
    names_checked: int
    hits: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.hits

    def summary(self) -> str:
        if self.ok:
            return f"privacy check passed: {self.names_checked} deny-listed names, none in {len(self.files)} files"
        found = "; ".join(f"{h['file']} (line {h['line']}): {h['name']!r}" for h in self.hits[:20])
        more = f" and {len(self.hits) - 20} more" if len(self.hits) > 20 else ""
        return f"privacy check failed: deny-listed names found in outputs: {found}{more}"

    def to_dict(self) -> dict:
        """The record written to ``privacy_check.json`` (the names themselves are never written)."""
        return {
            "ok": self.ok,
            "names_checked": self.names_checked,
            "files_checked": sorted(self.files),
            "violations": len(self.hits),
        }


def find_names(text: str, deny_list: Iterable[str]) -> list[tuple[str, int]]:
    """Every (name, line number) of a deny-listed name in ``text``."""
    normalised = _normalise(text)
    hits = []
    for name in deny_list:
        for match in _pattern(name).finditer(normalised):
            hits.append((name, normalised.count("\n", 0, match.start()) + 1))
    return hits


def check_deny_list(paths: Iterable[str | os.PathLike], deny_list: Iterable[str]) -> PrivacyReport:
    """Search every file in ``paths`` for every name in ``deny_list``.

    Returns
    -------
    PrivacyReport
        ``ok`` is True when no name was found; ``hits`` lists file, name and line.
    """
    names = [n for n in dict.fromkeys(deny_list) if n and n.strip()]
    files, hits = [], []
    for path in map(Path, paths):
        files.append(str(path))
        data = path.read_bytes()
        texts = [data.decode("utf-8", errors="replace")]
        if path.suffix.lower() not in TEXT_SUFFIXES:
            texts.append(data.decode("latin-1"))
        seen = set()
        for text in texts:
            for name, line in find_names(text, names):
                if name not in seen:
                    seen.add(name)
                    hits.append({"file": str(path), "name": name, "line": line})
    return PrivacyReport(files=files, names_checked=len(names), hits=hits)


def require_no_names(paths: Iterable[str | os.PathLike], deny_list: Iterable[str]) -> PrivacyReport:
    """:func:`check_deny_list`, raising :class:`PrivacyViolation` (naming file and name) on any hit."""
    report = check_deny_list(paths, deny_list)
    if not report.ok:
        raise PrivacyViolation(report.summary())
    return report
