"""The multiverse cell of the report's claims table: "k of n specifications support it" and the
claim's specification curve as a thumbnail linking to the full figure (docs/multiverse.md)."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any


def _count(value: Any) -> int | None:
    try:
        return None if value in ("", None) else int(float(value))
    except (TypeError, ValueError):
        return None


def multiverse_cell(claim_id: str, specifications: Any, supporting: Any, root: str | Path = "results") -> str:
    """The ``<td>`` of one claim: its share of supporting specifications and its curve.

    Parameters
    ----------
    claim_id : str
    specifications, supporting : int or blank
        The ``specifications`` and ``specifications_supporting`` columns of results/claims.csv.
    root : path
        The results folder holding ``multiverse/curves/<claim_id>.png`` (the link is relative
        to ``results/report.html``).
    """
    n, k = _count(specifications), _count(supporting)
    if n is None or k is None:
        return '<td class="t"><span class="note">no multiverse counts in results/claims.csv</span></td>'
    text = f"{k} of {n} specification{'s' if n != 1 else ''} support{'s' if n == 1 else ''} it"
    rel = f"multiverse/curves/{claim_id}.png"
    png = Path(root) / rel
    thumb = ""
    if png.is_file():
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        thumb = (
            f'<br><a href="{html.escape(rel)}"><img class="spec-curve" style="max-width:14em" '
            f'alt="specification curve of {html.escape(claim_id)}" src="data:image/png;base64,{data}"></a>'
        )
    return f'<td class="t">{html.escape(text)}{thumb}</td>'
