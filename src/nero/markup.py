"""Raw-derived text as data in every output: HTML, LaTeX, spreadsheet cells, and the pages' CSP.

Strings that come from raw inputs (transcripts, code names, memos, survey answers,
bibliographic records, file names) are written into pages, notebooks and exported tables.
They must stay text there: never markup that runs, loads or formats. The helpers here are
the one place the project says how:

- :func:`html_text` and :func:`quote_html`: HTML-escaped text (``&``, ``<``, ``>``, quotes),
  for notebooks that show quotes as text, not as Markdown;
- :func:`latex_text`: LaTeX special characters escaped (the ``.tex`` table exports);
- :func:`spreadsheet_cell` / :func:`spreadsheet_frame`: a text cell that a spreadsheet would
  read as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
  gets a leading apostrophe, as OWASP advises for CSV injection; a number such as ``-0.5``
  or ``+1.2`` is left alone. Only the spreadsheet-facing exports (``results/tables/*.csv``)
  are neutralised; the analysis CSVs under ``results/<stage>/`` are data for programs and
  keep every value exactly as read;
- :func:`live_markup`: what in a page would run or load from the network (the check that
  raw-derived text stayed text);
- :func:`with_csp` / :func:`csp_policy`: a ``Content-Security-Policy`` ``<meta>`` for a page
  the pipeline writes: only the page's own inline scripts (by SHA-256 hash) run, images
  load only from ``data:`` URLs, nothing else loads from anywhere, so an escape missed
  somewhere can neither run nor call out.

Written by hand over :mod:`html`, :mod:`hashlib` and :mod:`re`: each rule is a few lines and
no well-kept library covers all four.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")
# a signed figure as the tables print it: "-0.12**", "-.30 [-.45, -.12]", "+3%"; no letter, no reference
_FIGURE = re.compile(r"^[+-][\d.,+\-\u2212<>*()\[\]%\s]*\d[\d.,+\-\u2212<>*()\[\]%\s]*$")
_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_INLINE_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
_HEAD_OPEN = re.compile(r"<head\b[^>]*>", re.I)
_HEAD_CLOSE = re.compile(r"</head\s*>", re.I)
_CHARSET = re.compile(r"\s*<meta\s+charset=[^>]*>", re.I)
_CSP_META = re.compile(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?Content-Security-Policy", re.I)


def html_text(value: object) -> str:
    """``value`` as HTML text: ``&``, ``<``, ``>``, ``"`` and ``'`` escaped (None and NaN: empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def quote_html(text: object, attribution: str = "") -> str:
    """An interview quote as an HTML block quote of escaped text (line breaks kept), with its attribution.

    Used by the notebooks instead of Markdown, in which a transcript's ``<script>`` or
    ``![](http://...)`` would become live markup.
    """
    body = html_text(text).replace("\r\n", "\n").replace("\n", "<br>")
    cite = f"<p><em>{html_text(attribution)}</em></p>" if attribution else ""
    return f"<blockquote><p>{body}</p>{cite}</blockquote>"


def latex_text(value: object) -> str:
    """``value`` with LaTeX's special characters escaped (``\\ & % $ # _ { } ~ ^``)."""
    return "".join(_LATEX.get(ch, ch) for ch in str(value))


def spreadsheet_cell(value: object) -> object:
    """A cell that a spreadsheet cannot run: text starting like a formula gets a leading ``'``.

    Numbers and signed figures as the tables print them (``-0.5``, ``+1.2``, ``-3%``,
    ``-.12**``, ``-.30 [-.45, -.12]``, ``1e-05``) are returned unchanged: without a letter a
    formula can name no function and no cell. Any other value is returned as it is.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if value in ("-", "+") or _NUMBER.match(value) or _FIGURE.match(value):  # a lone sign marks "no value"
        return value
    return "'" + value


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`spreadsheet_cell`."""
    out = frame.copy()
    out.columns = [spreadsheet_cell(c) for c in out.columns]
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not pd.api.types.is_numeric_dtype(column):
            out.iloc[:, i] = column.map(spreadsheet_cell)
    return out


def script_hash(body: str) -> str:
    """The CSP source expression (``'sha256-...'``) that lets an inline script with this text run."""
    digest = hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def inline_scripts(page: str) -> list[str]:
    """The text of every inline ``<script>`` (one without ``src``) of ``page``, in order."""
    return [m.group("body") for m in _INLINE_SCRIPT.finditer(page) if "src=" not in m.group("attrs").lower()]


def csp_policy(scripts: Iterable[str] = ()) -> str:
    """The pages' Content-Security-Policy: only ``scripts`` (inline, by hash) run; images only from ``data:``.

    Styles may be inline (the pages' own ``<style>``; a style cannot run code, and with
    ``img-src``/``font-src`` limited to ``data:`` it cannot call out either). Nothing is
    fetched from anywhere: no scripts, frames, objects, connections or forms.
    """
    hashes = sorted({script_hash(s) for s in scripts})
    script_src = " ".join(hashes) if hashes else "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def csp_meta(scripts: Iterable[str] = ()) -> str:
    """The ``<meta http-equiv="Content-Security-Policy">`` element of :func:`csp_policy`."""
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp_policy(scripts))}">'


def with_csp(page: str, scripts: Iterable[str] | None = None) -> str:
    """``page`` with the CSP ``<meta>`` as the first element of its ``<head>`` (before any script or style).

    Parameters
    ----------
    page
        A whole HTML document with a ``<head>``.
    scripts
        The inline scripts that are the page's own code and may run. Default: the inline
        scripts inside ``<head>`` (the page's template); a script anywhere else (in the body,
        where raw-derived content goes) never runs.

    Raises
    ------
    ValueError
        If the page has no ``<head>``, or already carries a Content-Security-Policy.
    """
    opened = _HEAD_OPEN.search(page)
    closed = _HEAD_CLOSE.search(page, opened.end()) if opened else None
    if opened is None or closed is None:
        raise ValueError("the page has no <head> element to carry its Content-Security-Policy")
    head = page[opened.end() : closed.start()]
    if _CSP_META.search(head):
        raise ValueError("the page already carries a Content-Security-Policy")
    if scripts is None:
        scripts = inline_scripts(head)
    at = opened.end()
    charset = _CHARSET.match(page, at)
    if charset:  # the charset declaration stays first
        at = charset.end()
    return page[:at] + csp_meta(scripts) + page[at:]


_REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
_JS_TYPES = {"", "text/javascript", "module", "application/javascript"}
_LOADING = ("src", "data", "srcset", "poster", "background")


class _LiveMarkup(HTMLParser):
    """Collects the elements and attributes of a page that would run or load something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag in ("head", "body"):
            self.in_head = tag == "head"
        if tag == "script" and attributes.get("type", "").lower() in _JS_TYPES and not self.in_head:
            self.found.append("<script> outside <head>")
        if tag in ("iframe", "frame", "object", "embed", "base", "form"):
            self.found.append(f"<{tag}>")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.found.append(f"<{tag} {name}=javascript:...>")
            loads = name in _LOADING or (name == "href" and tag != "a")
            if loads and _REMOTE.match(value):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def live_markup(page: str) -> list[str]:
    """What in ``page`` would run or load from the network; empty when nothing would.

    Listed: a JavaScript ``<script>`` outside ``<head>`` (the page's own code lives in its
    head), any ``on*`` event handler, a ``javascript:`` URL, ``src``/``data``/``srcset``/
    ``poster`` (or ``href`` of anything but a link) pointing at the network, and frames,
    objects, embeds, ``<base>`` and forms. A link a reader clicks (``<a href="https://...">``)
    loads nothing and is not listed. Parsed with :class:`html.parser.HTMLParser`, as a
    browser tokenises, so escaped text (``&lt;img src="http://..."&gt;``) is not an element.
    """
    scanner = _LiveMarkup()
    scanner.feed(page)
    scanner.close()
    return scanner.found


__all__ = [
    "FORMULA_STARTS",
    "csp_meta",
    "csp_policy",
    "html_text",
    "inline_scripts",
    "latex_text",
    "live_markup",
    "quote_html",
    "script_hash",
    "spreadsheet_cell",
    "spreadsheet_frame",
    "with_csp",
]
