"""The SME Playbook (Annex E of the thesis): one card per sufficient configuration.

Every card is read off the results: the configuration chart (conditions core/peripheral,
present/absent, consistency, coverage), the solution table (typical cases), the
robustness verdicts, and the joint display (the Study 1 strategy the configuration
matches, its interview cases and an exemplar quote). A Study 1 strategy that no
configuration matches gets a card that says so. Nothing on a card is written by hand
except the fixed sentence templates below.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from nero.manuscript import apa
from nero.markup import with_csp

FIT_ROWS = ("inclS", "PRI", "covS", "covU", "solution inclS", "solution covS")


@dataclass
class Card:
    """One playbook card."""

    title: str
    configuration: str
    archetypes: list[str]
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    irrelevant: list[str] = field(default_factory=list)
    consistency: float | None = None
    pri: float | None = None
    raw_coverage: float | None = None
    unique_coverage: float | None = None
    typical_cases: list[str] = field(default_factory=list)
    n_typical: int = 0
    study1_cases: int | None = None
    quote: str = ""
    quote_case: str = ""
    robustness: str = ""
    matched: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly view."""
        return asdict(self)


def _label(condition: str, labels: dict[str, str]) -> str:
    return f"{labels.get(condition, condition)} ({condition})"


def playbook_cards(chart: pd.DataFrame, solutions: pd.DataFrame, robustness: pd.DataFrame,
                   joint: pd.DataFrame, labels: dict[str, str], max_cases: int = 5) -> list[Card]:
    """Cards for every configuration of the configuration chart, then unmatched strategies.

    Parameters
    ----------
    chart
        ``fsqca/configuration_chart.csv`` (rows: conditions, then fit rows; columns: configurations).
    solutions
        ``fsqca/solutions.csv`` (typical cases of each term, from the intermediate solution).
    robustness
        ``fsqca/robustness_verdicts.csv``.
    joint
        ``integration/joint_display.csv``.
    labels
        Construct labels (condition -> words).
    max_cases
        Typical cases listed on a card (all are counted).
    """
    if "condition" not in chart.columns:
        raise ValueError(f"configuration chart: column 'condition' is missing (has {list(chart.columns)})")
    body = chart.set_index("condition")
    conditions = [c for c in body.index if c not in FIT_ROWS]
    verdicts = robustness.set_index("configuration")["verdict"].to_dict() if not robustness.empty else {}
    cards = []
    for configuration in [c for c in chart.columns if c != "condition"]:
        cells = body[configuration]
        present = [_label(c, labels) + (" - core" if "core" in str(cells[c]) else " - peripheral")
                   for c in conditions if "present" in str(cells.get(c, ""))]
        absent = [_label(c, labels) + (" - core" if "core" in str(cells[c]) else " - peripheral")
                  for c in conditions if "absent" in str(cells.get(c, ""))]
        irrelevant = [_label(c, labels) for c in conditions if pd.isna(cells.get(c)) or str(cells.get(c)).strip() == ""]
        matches = joint[joint["configuration"] == configuration]
        cases = _typical_cases(solutions, configuration)
        fit = {k: _float(cells.get(k)) for k in ("inclS", "PRI", "covS", "covU")}
        first = matches.iloc[0] if not matches.empty else None
        cards.append(Card(
            title=" / ".join(matches["archetype"]) if first is not None else f"Configuration {configuration}",
            configuration=configuration,
            archetypes=list(matches["archetype"]),
            present=present, absent=absent, irrelevant=irrelevant,
            consistency=fit["inclS"], pri=fit["PRI"], raw_coverage=fit["covS"], unique_coverage=fit["covU"],
            typical_cases=cases[:max_cases], n_typical=len(cases),
            study1_cases=int(first["study1_cases"]) if first is not None and pd.notna(first["study1_cases"]) else None,
            quote="" if first is None or pd.isna(first["exemplar_quote"]) else str(first["exemplar_quote"]),
            quote_case="" if first is None or pd.isna(first["quote_case"]) else str(first["quote_case"]),
            robustness=verdicts.get(configuration, "not assessed"),
            matched=first is not None,
        ))
    for row in joint[joint["configuration"].isna() | ~joint["configuration"].isin(chart.columns)].itertuples(index=False):
        cards.append(Card(title=str(row.archetype), configuration="", archetypes=[str(row.archetype)],
                          quote="" if pd.isna(row.exemplar_quote) else str(row.exemplar_quote),
                          quote_case="" if pd.isna(row.quote_case) else str(row.quote_case),
                          robustness="no sufficient configuration to test", matched=False))
    return cards


def _float(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def _typical_cases(solutions: pd.DataFrame, term: str) -> list[str]:
    rows = solutions[(solutions["term"] == term) & (solutions["solution"] == "intermediate")]
    if rows.empty:
        rows = solutions[solutions["term"] == term]
    if rows.empty or pd.isna(rows.iloc[0]["cases"]):
        return []
    seen: list[str] = []
    for part in str(rows.iloc[0]["cases"]).replace(";", ",").split(","):
        case = part.strip()
        if case and case not in seen:
            seen.append(case)
    return seen


def card_html(card: Card) -> str:
    """One card as an HTML fragment (class ``card``)."""
    e = html.escape
    def items(values: list[str]) -> str:
        return "".join(f"<li>{e(v)}</li>" for v in values) or "<li>none</li>"
    fit = ""
    if card.consistency is not None:
        fit = (f"<p class=\"fit\">Consistency {apa.format_bounded(card.consistency, 3)}, PRI {apa.format_bounded(card.pri, 3)}, "
               f"raw coverage {apa.format_bounded(card.raw_coverage, 3)}, unique coverage {apa.format_bounded(card.unique_coverage, 3)}.</p>")
    cases = ""
    if card.n_typical:
        more = f" and {card.n_typical - len(card.typical_cases)} more" if card.n_typical > len(card.typical_cases) else ""
        cases = f"<p><strong>Typical cases</strong> ({card.n_typical}): {e(', '.join(card.typical_cases))}{more}.</p>"
    quote = f"<blockquote>\u201c{e(card.quote)}\u201d<br><span class=\"who\">{e(card.quote_case)}</span></blockquote>" if card.quote else ""
    study1 = f" Study 1: {card.study1_cases} interview cases." if card.study1_cases is not None else ""
    config = f"<p class=\"config\"><code>{e(card.configuration)}</code>{e(study1)}</p>" if card.configuration else (
        "<p class=\"config\">No sufficient configuration of Study 2 contains this strategy's defining conditions.</p>")
    body = ""
    if card.configuration:
        body = (f"<div class=\"cols\"><div><strong>Build (present)</strong><ul>{items(card.present)}</ul></div>"
                f"<div><strong>Avoid (absent)</strong><ul>{items(card.absent)}</ul></div>"
                f"<div><strong>Either way</strong><ul>{items(card.irrelevant)}</ul></div></div>")
    return (f"<div class=\"card{'' if card.matched else ' unmatched'}\"><h4>{e(card.title)}</h4>{config}{body}{fit}{cases}"
            f"<p><strong>Robustness:</strong> {e(card.robustness)}</p>{quote}</div>")


PLAYBOOK_CSS = """
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1em}
.card{border:1px solid #0072B2;border-radius:6px;padding:.6em 1em;background:#f8fbfe}
.card.unmatched{border-color:#E69F00;background:#fffaf0}.card h4{margin:.2em 0 .4em}
.card .cols{display:flex;gap:1em;flex-wrap:wrap;font-size:.85em}.card .cols div{flex:1;min-width:8em}
.card blockquote{font-style:italic;margin:.5em 0;border-left:3px solid #bbb;padding-left:.6em}
.card .who{font-style:normal;font-size:.85em;color:#555}.card .fit{font-size:.85em}
"""

PLAYBOOK_INTRO = (
    "One card per configuration that Study 2 found sufficient for superior international scale-out, "
    "with the Study 1 strategy it matches. <em>Build</em>: conditions present in the configuration "
    "(core conditions carry the most weight); <em>Avoid</em>: conditions that must be absent; "
    "<em>Either way</em>: conditions the configuration does not depend on. Consistency says how "
    "reliably firms with this recipe scale out; coverage says how many of the successful firms follow it."
)


def cards_html(cards: list[Card]) -> str:
    """All cards in a grid, with the introduction."""
    return f"<p>{PLAYBOOK_INTRO}</p><div class=\"cards\">{''.join(card_html(c) for c in cards)}</div>"


def playbook_page(cards: list[Card], title: str = "SME Playbook (Annex E)") -> str:
    """The playbook as its own self-contained page, with a Content-Security-Policy that runs no script
    and loads nothing (:func:`nero.markup.with_csp`)."""
    return with_csp(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>body{{font-family:\"DejaVu Sans\",Arial,sans-serif;max-width:1100px;"
        f"margin:2em auto;padding:0 1em;color:#222;line-height:1.45}}{PLAYBOOK_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p class=\"warning\"><strong>Synthetic data.</strong> Generated from the "
        "synthetic stand-in study shipped with the pipeline.</p>"
        f"{cards_html(cards)}</body></html>\n",
        scripts=(),
    )
