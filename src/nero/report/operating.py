"""Beside each verdict: how often this design's rule supports the claim where it is true and where it is false.

``results/claims.csv`` carries, per claim, the operating characteristics of its rule from the
shipped design analysis (:mod:`nero.design.operating`): ``power_planted`` and
``support_under_null`` with their MCSE and replicate counts, ``decidable``, ``design_note`` and
``design_reference`` (the shipped design's status line). :func:`operating_html` renders them as
one cell of the report's claims table; a stale design reference is said next to the figures.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

#: Columns :func:`operating_html` reads (a claims table without them has no design figures).
OPERATING_COLUMNS = (
    "power_planted",
    "power_planted_mcse",
    "power_planted_replications",
    "support_under_null",
    "support_under_null_mcse",
    "support_under_null_replications",
    "decidable",
    "design_note",
    "design_reference",
)


def _number(value: Any) -> float:
    """``value`` as a float; blanks (``""``, None, NaN) as NaN."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _share(label: str, value: Any, mcse: Any, replicates: Any, missing: str) -> str:
    """``label .90 (MCSE .07, R = 20)``, or ``label unknown (missing)`` without replicates."""
    p, se, r = _number(value), _number(mcse), _number(replicates)
    if math.isnan(p) or math.isnan(r) or r <= 0:
        return f"{label} unknown ({missing})"
    return f"{label} {p:.2f} (MCSE {se:.2f}, R = {int(r)})"


def _true(value: Any) -> bool:
    """A ``decidable`` cell as read back from CSV (bool, or the text True / true)."""
    return value is True or str(value).strip().lower() == "true"


def operating_html(row: Mapping[str, Any]) -> str:
    """The design figures of one claim (a row of ``results/claims.csv``) as an HTML fragment.

    Parameters
    ----------
    row : mapping
        Column -> value; the columns of :data:`OPERATING_COLUMNS` (any may be absent or blank).

    Returns
    -------
    str
        Power and false-support rate with MCSE and R; when the claim is not decidable by this
        design, the note saying so and why (class ``warning``); when the shipped design reference
        is stale (its status line starts with ``design reference: STALE``), a flag saying so.
        Without the columns: a plain statement that no design figures were joined.
    """
    if not any(c in row for c in OPERATING_COLUMNS):
        return '<span class="note">no design analysis joined (results/claims.csv has no operating figures)</span>'
    # a claim no process can make true (nero.design.operating: not identifiable in every process)
    unidentifiable = "not identifiable by this design in every process" in str(row.get("design_note") or "")
    parts = [
        html.escape(
            _share(
                "power",
                row.get("power_planted"),
                row.get("power_planted_mcse"),
                row.get("power_planted_replications"),
                "not identifiable by this design" if unidentifiable else "no scenario plants it true",
            )
        ),
        html.escape(
            _share(
                "false support",
                row.get("support_under_null"),
                row.get("support_under_null_mcse"),
                row.get("support_under_null_replications"),
                "no scenario plants it false",
            )
        ),
    ]
    out = "<br>".join(parts)
    note = str(row.get("design_note") or "").strip()
    if note and not _true(row.get("decidable")):
        out += f'<div class="warning">{html.escape(note[0].upper() + note[1:])}.</div>'
    reference = str(row.get("design_reference") or "").strip()
    if reference.startswith("design reference: STALE"):
        out += f'<br><span class="flag">{html.escape(reference)}: these figures describe older code or config.</span>'
    elif reference:
        out += f'<div class="note">{html.escape(reference)}</div>'
    return out


__all__ = ["OPERATING_COLUMNS", "operating_html"]
