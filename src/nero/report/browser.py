"""Open a report in headless Chromium and read what the page found about itself.

The report carries a small script that, on load, counts images that failed to decode
and JavaScript errors and writes them as attributes of ``<body>``; Chromium's
``--dump-dom`` returns the DOM after load, and console errors are read from its log.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=10000",
    "--window-size=1280,900",
]


def find_chromium() -> str | None:
    """Path of a Chromium binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def load_page(
    html_path: str | os.PathLike, chromium: str | None = None, timeout: int = 120, query: str = ""
) -> tuple[str, list[str]]:
    """Load ``html_path`` in headless Chromium; return the DOM after load and the console's log lines.

    Any page works (the report, the Playbook, an executed notebook); what ran on it shows in
    the DOM (a script that changed the title, an attribute it set) and in the console lines
    (Chromium logs each script or image the Content-Security-Policy refused).
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("Chromium is not installed (Debian: apt-get install chromium)")
    url = Path(html_path).resolve().as_uri() + query
    with tempfile.TemporaryDirectory(prefix="nero-chromium-") as profile:
        proc = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    console = [line for line in proc.stderr.splitlines() if "CONSOLE" in line or "Content Security Policy" in line]
    return proc.stdout, console


def check_page(html_path: str | os.PathLike, chromium: str | None = None, timeout: int = 120) -> dict:
    """Load ``html_path`` in headless Chromium; return images, broken images and errors.

    Returns
    -------
    dict
        ``checked`` (the page's own check ran), ``images`` (count), ``broken_images``
        (alt texts), ``errors`` (JavaScript errors seen by the page) and
        ``console_errors`` (error lines from Chromium's console log), ``tables`` (count),
        ``table_row_issues`` (tables whose laid-out rows differ from their ``data-rows``),
        ``table_overflow`` (tables wider than the window with no scroll box, or clipped),
        ``remote`` (resources fetched from, or ``src``/``href`` pointing to, the network),
        ``csp`` (the page's Content-Security-Policy, empty when it has none) and
        ``csp_violations`` (what the policy blocked: directive and address, ``inline`` for
        an inline script or handler).
    """
    dom, console = load_page(html_path, chromium, timeout, "?selfcheck")
    body = re.search(r"<body([^>]*)>", dom)
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', body.group(1))) if body else {}
    unescape = html.unescape
    errors = [line for line in console if "CONSOLE" in line and ("ERROR" in line or "Uncaught" in line)]
    return {
        "checked": attrs.get("data-checked") == "yes",
        "images": int(attrs.get("data-images", "0")),
        "broken_images": json.loads(unescape(attrs.get("data-broken-images", "[]"))),
        "errors": json.loads(unescape(attrs.get("data-errors", "[]"))),
        "console_errors": errors,
        "tables": int(attrs.get("data-tables", "0")),
        "table_row_issues": json.loads(unescape(attrs.get("data-table-row-issues", "[]"))),
        "table_overflow": json.loads(unescape(attrs.get("data-table-overflow", "[]"))),
        "remote": json.loads(unescape(attrs.get("data-remote", "[]"))),
        "csp": unescape(attrs.get("data-csp", "")),
        "csp_violations": json.loads(unescape(attrs.get("data-csp-violations", "[]"))),
    }
