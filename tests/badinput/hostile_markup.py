"""Hostile text for the corpus: markup payloads, and a check that a page holds none of them live.

The payloads are what a careful attacker would put into a transcript, a code name, a memo,
a survey answer or a bibliographic record: a script, an event handler, a ``javascript:``
link, remote images (HTML and Markdown) and a frame. :func:`live_markup` lists what in a
page would run or load: scripts outside the page's own ``<head>``, ``on*`` handlers,
``javascript:`` URLs, and ``src``/``data``/``srcset`` (or ``href`` of anything but a link)
pointing at the network, frames, objects and forms.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS = (
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    "<a href=\"javascript:document.title='PWNED'\">click</a>",
    "<img src=\"http://127.0.0.1:9/remote.png\">",
    "![remote](http://127.0.0.1:9/markdown.png)",
    "<svg onload=\"document.title='PWNED'\"></svg>",
    "<iframe src=\"http://127.0.0.1:9/frame\"></iframe>",
)
#: Every payload in one string (what the corpus writes into one raw field).
HOSTILE = " ".join(PAYLOADS)
#: What a payload's script would set; a page whose title or DOM holds it ran raw-derived code.
PWNED = "PWNED"
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
JS_TYPES = {"", "text/javascript", "module", "application/javascript"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        if tag == "script" and attributes.get("type", "").lower() in JS_TYPES and not self.in_head:
            self.found.append("<script> outside <head>")
        if tag in ("iframe", "frame", "object", "embed", "base", "form"):
            self.found.append(f"<{tag}>")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")
            loads = name in ("src", "data", "srcset", "poster", "background") or (name == "href" and tag != "a")
            if loads and REMOTE.match(value):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def live_markup(page: str) -> list[str]:
    """What in ``page`` would run or load from the network (empty: nothing)."""
    scanner = _Scanner()
    scanner.feed(page)
    scanner.close()
    return scanner.found


def page_title(dom: str) -> str:
    match = re.search(r"<title>(.*?)</title>", dom, re.S)
    return match.group(1) if match else ""
