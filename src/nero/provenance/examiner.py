"""Compare what the examiner reads (``results/``) with a fresh rebuild, file by file.

The reference set (``results-reference/``) holds small tables only; the examiner also
reads the report, the notebooks and the figures. :func:`compare_trees` compares every
file of a rebuilt ``results/`` with the existing one and names each difference:

- tables (``.csv``) cell by cell and JSON value by value, within the audit tolerances
  (:func:`nero.provenance.audit.compare_csv` / ``compare_json``);
- HTML pages (the report, the notebooks' pages) by their visible text, line by line
  (so a changed number in ``report.html`` is named with its line), and the SHA-256 of
  every embedded image;
- executed notebooks (``.ipynb``) by their cell outputs (text, and image hashes), not
  by their metadata (execution times);
- figures (``.png``, ``.pdf``, ``.svg``) and every other file by SHA-256: the figures are
  written byte-identically (fixed metadata, fonts and hash salt), so equal bytes are
  the test.

Run-specific records are skipped: logs, benchmarks, ``provenance.json`` (it holds the
command line and the software environment of the run) and the list of outputs removed at
the start of a run.

Run provenance shown to the examiner (the git commit and whether the tree had uncommitted
changes, the source fingerprint, the software) differs by design between a build and the
audit's rebuild: a build from a clean clone and a rebuild after an edit, say. The report marks
it with the class :data:`RUN_PROVENANCE` and the examiner notebook tags its cell so; those
parts are compared as provenance: each difference is listed (``provenance``) and never
counted as a changed result.
"""

from __future__ import annotations

import difflib
import hashlib
import html as html_lib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from nero.provenance.comparison import ATOL, RTOL, compare_csv, compare_json

#: Not compared: records of one run rather than results of the study.
SKIPPED = ("logs/", "benchmarks/", "provenance.json")
#: Compared as numbers/text cell by cell.
TABLES = (".csv", ".json")
#: Compared by visible text and embedded-image hashes.
PAGES = (".html", ".htm")
#: Marks run provenance: the class of an HTML block (the report), a notebook cell tag
#: (nbconvert's pages give the cell the class ``celltag_<tag>``).
RUN_PROVENANCE = "run-provenance"

_TAG = re.compile(r"<[^>]+>")
_STYLE_SCRIPT = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_DATA_URI = re.compile(r"data:(image/[a-z+]+);base64,([A-Za-z0-9+/=\s]+)")


@dataclass
class FileDiff:
    """One file of the examiner's results that differs from the rebuild."""

    path: str
    kind: str
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{self.path} ({self.kind})"
        return head + ("".join(f"\n      {line}" for line in self.details) if self.details else "")


@dataclass
class TreeComparison:
    """Outcome of :func:`compare_trees`; ``ok`` when no file differs, is missing or is extra."""

    compared: list[str] = field(default_factory=list)
    differ: list[FileDiff] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    #: Run provenance that differs (commit, uncommitted changes, fingerprint): noted, not a failure.
    provenance: list[FileDiff] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.differ or self.missing or self.extra)

    def summary(self, label: str = "results/") -> str:
        lines = []
        if self.ok:
            lines.append(
                f"PASS {label}: all {len(self.compared)} files equal the rebuild "
                "(tables, report text, notebook outputs, figure bytes)"
            )
            lines += self._provenance_lines()
            return "\n".join(lines)
        lines.append(
            f"FAIL {label} differs from the rebuild ({len(self.differ)} file(s) differ, "
            f"{len(self.missing)} missing, {len(self.extra)} not made by the rebuild):"
        )
        lines += [f"  differs: {d}" for d in self.differ]
        lines += [f"  missing in {label} (the rebuild makes it): {p}" for p in self.missing]
        lines += [f"  in {label} but not made by the rebuild: {p}" for p in self.extra]
        lines += self._provenance_lines()
        return "\n".join(lines)

    def _provenance_lines(self) -> list[str]:
        if not self.provenance:
            return []
        return [
            "NOTE run provenance differs from the rebuild's (by design: another commit, uncommitted "
            "changes or source files; not a changed result):"
        ] + [f"  {d}" for d in self.provenance]

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "compared": self.compared,
            "differ": [{"path": d.path, "kind": d.kind, "details": d.details} for d in self.differ],
            "missing": self.missing,
            "extra": self.extra,
            "provenance": [{"path": d.path, "kind": d.kind, "details": d.details} for d in self.provenance],
        }


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def page_text(html: str) -> list[str]:
    """The visible text of an HTML page, one non-blank line per line (tags, scripts and styles removed)."""
    body = _STYLE_SCRIPT.sub("", html)
    body = _DATA_URI.sub("", body)
    body = re.sub(r"<(br|/p|/div|/tr|/h\d|/li|/caption|/figcaption|/table|/pre)\b[^>]*>", "\n", body, flags=re.I)
    body = re.sub(r"</t[dh]\s*>", " | ", body, flags=re.I)
    text = html_lib.unescape(_TAG.sub("", body))
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def page_images(html: str) -> list[str]:
    """SHA-256 of every embedded (base64) image of an HTML page, in order."""
    return [sha256_bytes(re.sub(r"\s+", "", m.group(2)).encode()) for m in _DATA_URI.finditer(html)]


def _around_difference(a: str, b: str, width: int = 160) -> tuple[str, str]:
    """Both lines cut to ``width`` characters around where they first differ (a long table row
    differs far from its start; showing its first characters would hide the change)."""
    if len(a) <= width and len(b) <= width:
        return a, b
    first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, first - width // 2)
    return tuple(
        ("..." if start else "") + text[start : start + width] + ("..." if len(text) > start + width else "")
        for text in (a, b)
    )


def _line_diff(old: list[str], new: list[str], limit: int = 12) -> list[str]:
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            a = old[i1 + k] if i1 + k < i2 else "(absent)"
            b = new[j1 + k] if j1 + k < j2 else "(absent)"
            a, b = _around_difference(a, b)
            out.append(f"text line {i1 + k + 1}: results has {a!r}, rebuild has {b!r}")
            if len(out) >= limit:
                return out + ["..."]
    return out


def split_run_provenance(html: str) -> tuple[str, list[str]]:
    """``html`` without its run-provenance blocks (class :data:`RUN_PROVENANCE` or a notebook cell
    tagged so), and the visible text of those blocks (one line per line).

    Parsed with lxml (nested blocks cannot be cut out by a regular expression); a page
    without such a block is returned as it is.
    """
    if RUN_PROVENANCE not in html:
        return html, []
    import lxml.html

    root = lxml.html.document_fromstring(html)
    wanted = {RUN_PROVENANCE, f"celltag_{RUN_PROVENANCE}"}
    found = [el for el in root.iter() if isinstance(el.tag, str) and wanted & set((el.get("class") or "").split())]
    found = [el for el in found if not any(anc in found for anc in el.iterancestors())]
    if not found:
        return html, []
    text = []
    for el in found:
        text += page_text(lxml.html.tostring(el, encoding="unicode"))
        el.drop_tree()
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"), text


def compare_page(results: Path, rebuilt: Path) -> tuple[list[str], list[str]]:
    """Differences of two HTML pages: visible-text lines, then embedded images; and, apart,
    the differences of their run provenance (:func:`split_run_provenance`)."""
    a = results.read_text(encoding="utf-8", errors="replace")
    b = rebuilt.read_text(encoding="utf-8", errors="replace")
    if a == b:
        return [], []
    a, prov_a = split_run_provenance(a)
    b, prov_b = split_run_provenance(b)
    provenance = _line_diff(prov_a, prov_b)
    details = _line_diff(page_text(a), page_text(b))
    images_a, images_b = page_images(a), page_images(b)
    if len(images_a) != len(images_b):
        details.append(f"{len(images_a)} embedded images in results, {len(images_b)} in the rebuild")
    else:
        details += [
            f"embedded image {i + 1} differs (sha256 {x[:12]} vs {y[:12]})"
            for i, (x, y) in enumerate(zip(images_a, images_b))
            if x != y
        ]
    return details, provenance


def notebook_outputs(path: Path, run_provenance: bool = False) -> list[tuple[int, str]]:
    """``(cell number, output)`` of an executed notebook: text as is, images as their SHA-256.

    The outputs of cells tagged :data:`RUN_PROVENANCE` are left out, or, with
    ``run_provenance=True``, are the only ones returned.
    """
    book = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(book.get("cells", []), start=1):
        if (RUN_PROVENANCE in cell.get("metadata", {}).get("tags", [])) != run_provenance:
            continue
        for output in cell.get("outputs", []):
            if "text" in output:
                found.append((number, "".join(output["text"])))
            for mime, value in sorted(output.get("data", {}).items()):
                value = "".join(value) if isinstance(value, list) else value
                if mime.startswith("image/"):
                    value = "image sha256 " + sha256_bytes(re.sub(r"\s+", "", str(value)).encode())
                elif mime == "text/html":
                    value = "\n".join(page_text(str(value)))
                found.append((number, f"{mime}: {value}"))
            if output.get("output_type") == "error":
                found.append((number, f"error: {output.get('ename')}: {output.get('evalue')}"))
    return found


def _output_diff(a: list[tuple[int, str]], b: list[tuple[int, str]]) -> list[str]:
    if a == b:
        return []
    details = []
    for (cell_a, out_a), (cell_b, out_b) in zip(a, b):  # noqa: B007
        if out_a != out_b:
            lines = _line_diff(out_a.splitlines(), out_b.splitlines(), limit=4)
            details.append(f"cell {cell_a} output: " + ("; ".join(lines) or "differs"))
    if len(a) != len(b):
        details.append(f"{len(a)} outputs in results, {len(b)} in the rebuild")
    return details[:12]


def compare_notebook(results: Path, rebuilt: Path) -> tuple[list[str], list[str]]:
    """Differences of two executed notebooks' outputs; and, apart, of their run-provenance cells."""
    return (
        _output_diff(notebook_outputs(results), notebook_outputs(rebuilt)),
        _output_diff(notebook_outputs(results, True), notebook_outputs(rebuilt, True)),
    )


def _files(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in Path(rel).parts):
            continue
        if rel.startswith(SKIPPED) or rel in SKIPPED:
            continue
        out.append(rel)
    return out


def compare_trees(
    results_dir: str | Path, rebuilt_dir: str | Path, rtol: float | None = None, atol: float | None = None
) -> TreeComparison:
    """Compare every file of ``results_dir`` (what the examiner reads) with ``rebuilt_dir``."""
    rtol = RTOL if rtol is None else rtol
    atol = ATOL if atol is None else atol
    results_dir, rebuilt_dir = Path(results_dir), Path(rebuilt_dir)
    ours, theirs = set(_files(results_dir)), set(_files(rebuilt_dir))
    report = TreeComparison(missing=sorted(theirs - ours), extra=sorted(ours - theirs))
    for rel in sorted(ours & theirs):
        a, b = results_dir / rel, rebuilt_dir / rel
        report.compared.append(rel)
        if a.read_bytes() == b.read_bytes():
            continue
        suffix = a.suffix.lower()
        if suffix in TABLES:
            compare = compare_csv if suffix == ".csv" else compare_json
            try:
                reason, cells = compare(b, a, rel, rtol, atol)
            except (ValueError, UnicodeDecodeError) as exc:
                reason, cells = f"cannot be read as a table ({exc})", []
            if reason:
                details = [
                    f"[row {c.row}, {c.column}]: results has {c.rebuilt!r}, rebuild has {c.reference!r}"
                    for c in cells[:12]
                ]
                report.differ.append(FileDiff(rel, "table", [reason, *details]))
        elif suffix in PAGES:
            details, provenance = compare_page(a, b)
            if details:
                report.differ.append(FileDiff(rel, "page", details))
            if provenance:
                report.provenance.append(FileDiff(rel, "run provenance", provenance))
        elif suffix == ".ipynb":
            details, provenance = compare_notebook(a, b)
            if details:
                report.differ.append(FileDiff(rel, "notebook outputs", details))
            if provenance:
                report.provenance.append(FileDiff(rel, "run provenance", provenance))
        else:
            kind = "figure" if suffix in (".png", ".pdf", ".svg") else "file"
            report.differ.append(
                FileDiff(
                    rel,
                    kind,
                    [
                        f"sha256 {sha256_bytes(a.read_bytes())[:16]} in results, {sha256_bytes(b.read_bytes())[:16]} in the rebuild"
                    ],
                )
            )
    return report
