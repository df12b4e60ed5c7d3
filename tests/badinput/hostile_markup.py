"""Hostile text for the corpus: markup payloads, and a check that a page holds none of them live.

The payloads are what a careful attacker would put into a transcript, a code name, a memo,
a survey answer or a bibliographic record: a script, an event handler, a ``javascript:``
link, remote images (HTML and Markdown) and a frame. Pages are checked with
:func:`nero.markup.live_markup` and, in the browser, for the title a payload would set.
"""

from __future__ import annotations

import re

PAYLOADS = (
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\">",
    "<a href=\"javascript:document.title='PWNED'\">click</a>",
    '<img src="http://127.0.0.1:9/remote.png">',
    "![remote](http://127.0.0.1:9/markdown.png)",
    "<svg onload=\"document.title='PWNED'\"></svg>",
    '<iframe src="http://127.0.0.1:9/frame"></iframe>',
)
#: Every payload in one string (what the corpus writes into one raw field).
HOSTILE = " ".join(PAYLOADS)
#: What a payload's script would set; a page whose title or DOM holds it ran raw-derived code.
PWNED = "PWNED"


def page_title(dom: str) -> str:
    match = re.search(r"<title>(.*?)</title>", dom, re.S)
    return match.group(1) if match else ""
