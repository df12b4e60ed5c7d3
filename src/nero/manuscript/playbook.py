"""The SME Playbook (Annex E of the thesis): plain-language recipes for owners and managers,
a self-diagnosis, and what the findings mean for policymakers.

Every statement is read off the results: the configuration chart (which conditions each
recipe needs), the memberships (how many surveyed firms follow a recipe and how many of them
scaled out, with the one definition of typical and deviant cases of
:mod:`nero.manuscript.casetypes`), the solutions for the *absence* of scale-out (what to
avoid), the robustness verdicts, the calibration anchors and the survey items (the
self-diagnosis), the joint display and the exemplar quotes (a quote spoken in one interview
only), and the claims (the caveats). The plain words for each condition are the registry's
``playbook.conditions`` (``workflow/report/manuscript.yaml``); the sentences around them are
the fixed templates below. No firm identifier appears: cases are counted, and a quote is
attributed to the sector of the interviewed firm. Every text from the data is escaped
(:func:`html.escape`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from nero.manuscript.casetypes import case_counts
from nero.markup import with_csp

FIT_ROWS = ("inclS", "PRI", "covS", "covU", "solution inclS", "solution covS")


@dataclass
class Card:
    """One recipe of the Playbook."""

    title: str
    configuration: str
    archetypes: list[str]
    build: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    either: list[str] = field(default_factory=list)
    members: int = 0
    scaled_out: int = 0
    typical: int = 0
    deviant: int = 0
    robustness: str = ""
    quote: str = ""
    quote_from: str = ""
    evidence: list[list[str]] = field(default_factory=list)
    matched: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly view."""
        return asdict(self)


def _words(condition: str, plain: Mapping[str, str]) -> str:
    return plain.get(condition.lstrip("~"), condition.lstrip("~"))


def _sector(case: str) -> str:
    """``Firm J (Furniture and design)`` -> ``an interviewed furniture and design firm`` (no firm name)."""
    match = re.search(r"\(([^)]+)\)\s*$", str(case))
    return f"an interviewed {match.group(1)[0].lower()}{match.group(1)[1:]} firm" if match else "an interviewed firm"


def failure_recipes(solutions: pd.DataFrame, outcome: str) -> list[str]:
    """Terms of every intermediate model for the absence of the outcome (``~SCO``)."""
    negated = solutions[
        (solutions["outcome"] == f"~{outcome}")
        & (solutions["solution"] == "intermediate")
        & (solutions["term"] != "(model)")
    ]
    if negated.empty:
        return []
    models = [set(group["term"]) for _, group in negated.groupby("model")]
    common = set.intersection(*models)
    return [t for t in dict.fromkeys(negated["term"]) if t in common]


def playbook_cards(
    chart: pd.DataFrame,
    solutions: pd.DataFrame,
    robustness: pd.DataFrame,
    joint: pd.DataFrame,
    memberships: pd.DataFrame,
    quotes: pd.DataFrame,
    plain: Mapping[str, str],
    evidence: Mapping[str, str] | None = None,
    short: Mapping[str, str] | None = None,
) -> list[Card]:
    """One card per configuration of the chart (largest raw coverage first), then each Study 1
    strategy that no configuration matches.

    Parameters
    ----------
    chart, solutions, robustness, joint, memberships
        ``fsqca/configuration_chart.csv``, ``fsqca/solutions.csv``, ``fsqca/robustness_verdicts.csv``,
        ``integration/joint_display.csv``, ``fsqca/memberships.csv``.
    quotes
        Exemplar quotes (``study1/exemplar_quotes.csv``) already restricted to sentences spoken in
        one interview (:func:`nero.manuscript.qual_tables.single_case_quotes`), best first.
    plain
        Condition -> plain words.
    evidence
        Label -> link (``report.html#table-49``) of the tables behind every card.
    short
        Condition -> a short name, for the lists of what to avoid (``plain`` when not given).
    """
    short = short or plain
    if "condition" not in chart.columns:
        raise ValueError(f"configuration chart: column 'condition' is missing (has {list(chart.columns)})")
    outcomes = [o for o in solutions["outcome"].dropna().unique() if not str(o).startswith("~")]
    if len(outcomes) != 1:
        raise ValueError(f"fsQCA solutions: expected one outcome besides negations, found {outcomes}")
    outcome = str(outcomes[0])
    body = chart.set_index("condition")
    conditions = [c for c in body.index if c not in FIT_ROWS]
    configurations = [c for c in chart.columns if c != "condition"]
    if "covS" in body.index:
        configurations.sort(key=lambda c: -float(body.at["covS", c]))
    needed = {c: [k for k in conditions if "present" in str(body.at[k, c])] for c in configurations}
    shared = [k for k in conditions if configurations and all(k in needed[c] for c in configurations)]
    failures = failure_recipes(solutions, outcome)
    verdicts = robustness.set_index("configuration") if not robustness.empty else pd.DataFrame()
    links = [[k, v] for k, v in (evidence or {}).items()]
    cards = []
    for configuration in configurations:
        cells = body[configuration]
        present = needed[configuration]
        core = [k for k in present if "core" in str(cells[k])]
        order = (
            [k for k in shared if k in present]
            + [k for k in core if k not in shared]
            + [k for k in present if k not in shared and k not in core]
        )
        absent = [k for k in conditions if "absent" in str(cells.get(k, ""))]
        avoid = [f"{_words(k, short)} (firms on this recipe scaled out without it)" for k in absent]
        for term in failures:  # a recipe for NOT scaling out that lacks what this recipe builds
            lacking = [lit.lstrip("~") for lit in term.split("*") if lit.startswith("~")]
            if any(k in present for k in lacking):
                having = [lit for lit in term.split("*") if not lit.startswith("~")]
                text = "having " + (
                    "no " + _words(lacking[0], short)
                    if len(lacking) == 1
                    else "neither " + " nor ".join(_words(k, short) for k in lacking)
                )
                if having:
                    text += " while relying on " + " and ".join(_words(k, short) for k in having)
                text += ": firms in this position did not scale out"
                avoid.append(text)
        counts = case_counts(memberships, configuration, outcome)
        match = joint[joint["configuration"] == configuration]
        archetypes = list(match["archetype"])
        quote = quotes[quotes["archetype"].isin(archetypes)].head(1)
        share = float(verdicts.at[configuration, "survival_all"]) if configuration in verdicts.index else None
        cards.append(
            Card(
                title=" / ".join(archetypes) if archetypes else "A recipe no interviewed firm followed",
                configuration=configuration,
                archetypes=archetypes,
                build=[_words(k, plain) for k in order],
                first=[_words(k, plain) for k in order if k in shared],
                avoid=avoid,
                either=[_words(k, plain) for k in conditions if k not in present and k not in absent],
                members=counts["members"],
                scaled_out=counts["typical"] + counts["deviant in degree"],
                typical=counts["typical"],
                deviant=counts["deviant in kind"],
                robustness=(
                    ""
                    if share is None
                    else f"The recipe held in {round(100 * share)} of every 100 re-runs of the analysis "
                    "with other reasonable choices (thresholds, cut-offs, random halves of the sample)."
                ),
                quote="" if quote.empty else str(quote.iloc[0]["text"]),
                quote_from="" if quote.empty else _sector(quote.iloc[0]["case"]),
                evidence=links,
                matched=bool(archetypes),
            )
        )
    for row in joint[joint["configuration"].isna() | ~joint["configuration"].isin(configurations)].itertuples(
        index=False
    ):
        quote = quotes[quotes["archetype"] == row.archetype].head(1)
        cards.append(
            Card(
                title=str(row.archetype),
                configuration="",
                archetypes=[str(row.archetype)],
                quote="" if quote.empty else str(quote.iloc[0]["text"]),
                quote_from="" if quote.empty else _sector(quote.iloc[0]["case"]),
                evidence=links,
                matched=False,
            )
        )
    return cards


def self_diagnosis(
    answers: Mapping[str, float],
    codebook: Mapping[str, Any],
    anchors: pd.DataFrame,
    cards: list[Card],
    conditions: list[str],
) -> pd.DataFrame:
    """Score one firm's answers to the survey statements against the calibrated conditions.

    Reverse-worded statements are recoded (8 - answer on the 1-7 scale), each condition is the
    mean of its statements, calibrated with the study's anchors by the direct method
    (:func:`nero.fsqca.calibration.calibrate_direct`, as the analysis calibrates them), and each
    recipe's membership is the smallest membership of the conditions it builds.

    Returns
    -------
    pandas.DataFrame
        One row per recipe: ``recipe``, ``membership``, ``follows`` (membership above .5) and
        ``missing`` (conditions of the recipe the firm is not in), highest membership first.

    Raises
    ------
    ValueError
        A statement of a condition without an answer, or an answer outside 1-7 (named).
    """
    from nero.fsqca.calibration import calibrate_direct

    anchor = anchors.set_index("set")
    membership = {}
    for condition in conditions:
        items = codebook["constructs"][condition]["items"]
        values = []
        for item in items:
            if item not in answers:
                raise ValueError(f"self-diagnosis: statement {item} of {condition} has no answer")
            value = float(answers[item])
            if not 1 <= value <= 7:
                raise ValueError(f"self-diagnosis: answer to {item} is {value}; expected 1 to 7")
            values.append(8 - value if codebook["items"][item].get("reverse") else value)
        score = sum(values) / len(values)
        a = anchor.loc[condition]
        membership[condition] = float(
            calibrate_direct(
                pd.Series([score]), float(a["exclusion"]), float(a["crossover"]), float(a["inclusion"])
            ).iloc[0]
        )
    rows = []
    for card in cards:
        if not card.configuration:
            continue
        needs = [lit for lit in card.configuration.split("*")]
        values = {lit: (1 - membership[lit[1:]]) if lit.startswith("~") else membership[lit] for lit in needs}
        rows.append(
            {
                "recipe": card.title,
                "membership": min(values.values()),
                "follows": min(values.values()) > 0.5,
                "missing": [lit for lit, v in values.items() if v <= 0.5],
            }
        )
    return pd.DataFrame(rows).sort_values("membership", ascending=False, kind="stable").reset_index(drop=True)


def card_html(card: Card) -> str:
    """One card as an HTML fragment (class ``card``); every text escaped."""
    e = html.escape

    def items(values: list[str], empty: str) -> str:
        return "".join(f"<li>{e(v)}</li>" for v in values) or f"<li>{e(empty)}</li>"

    if not card.configuration:
        body = (
            "<p>The survey found no combination of conditions containing this strategy that reliably led to "
            "scaling out. Treat it as a route that still needs evidence.</p>"
        )
    else:
        steps = "".join(
            f"<li>{e(v)}{' <em>(every recipe needs this: build it first)</em>' if v in card.first else ''}</li>"
            for v in card.build
        )
        body = (
            f"<p><strong>What to build, in this order</strong></p><ol>{steps}</ol>"
            f"<p><strong>What to avoid</strong></p><ul>{items(card.avoid, 'nothing specific beyond the steps above')}</ul>"
            f"<p><strong>Does not matter for this recipe</strong>: {e(', '.join(card.either) or 'none')}.</p>"
            f'<p class="fit">Of the surveyed firms, {card.members} follow this recipe; {card.scaled_out} of them '
            f"scaled out well ({card.typical} clear examples), {card.deviant} did not. {e(card.robustness)}</p>"
        )
    quote = (
        f'<blockquote>\u201c{e(card.quote)}\u201d<br><span class="who">{e(card.quote_from)}</span></blockquote>'
        if card.quote
        else ""
    )
    evidence = ""
    if card.evidence:
        evidence = (
            '<p class="evidence">Evidence: '
            + ", ".join(f'<a href="{e(href, quote=True)}">{e(label)}</a>' for label, href in card.evidence)
            + ".</p>"
        )
    return (
        f'<div class="card{"" if card.matched else " unmatched"}"><h4>{e(card.title)}</h4>{body}{quote}{evidence}</div>'
    )


PLAYBOOK_CSS = """
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1em}
.card{border:1px solid #0072B2;border-radius:6px;padding:.6em 1em;background:#f8fbfe}
.card.unmatched{border-color:#E69F00;background:#fffaf0}.card h4{margin:.2em 0 .4em}
.card blockquote{font-style:italic;margin:.5em 0;border-left:3px solid #bbb;padding-left:.6em}
.card .who{font-style:normal;font-size:.85em;color:#555}.card .fit,.card .evidence{font-size:.85em}
table.diag{border-collapse:collapse;font-size:.9em}table.diag td,table.diag th{border-bottom:1px solid #ccc;padding:.2em .5em;text-align:left}
"""

PLAYBOOK_INTRO = (
    "Each card is a recipe that surveyed firms used to grow abroad. Build the steps in the order given; the "
    "first steps are the ones every recipe shares. The numbers say how many surveyed firms followed the recipe "
    "and how many of them scaled out. The statistics behind each card are linked under it."
)


def cards_html(cards: list[Card]) -> str:
    """All cards in a grid, with the introduction."""
    return f'<p>{PLAYBOOK_INTRO}</p><div class="cards">{"".join(card_html(c) for c in cards)}</div>'


def diagnosis_html(
    codebook: Mapping[str, Any], anchors: pd.DataFrame, conditions: list[str], plain: Mapping[str, str]
) -> str:
    """The self-diagnosis worksheet: the survey statements of each condition and the thresholds."""
    e = html.escape
    anchor = anchors.set_index("set")
    blocks = []
    for condition in conditions:
        spec = codebook["constructs"][condition]
        statements = "".join(
            f"<li>{e(codebook['items'][i]['text'])}{' <em>(score 8 minus your answer)</em>' if codebook['items'][i].get('reverse') else ''}</li>"
            for i in spec["items"]
        )
        a = anchor.loc[condition]
        blocks.append(
            f"<tr><th>{e(plain.get(condition, condition))}</th><td><ol>{statements}</ol></td>"
            f"<td>above {a['crossover']:g}: you have it; {a['inclusion']:g} or more: fully</td></tr>"
        )
    return (
        "<p>Rate each statement from 1 (strongly disagree) to 7 (strongly agree) and average each block. "
        "A block whose average is above the threshold is a step you have already built. Your recipe is the card "
        "whose steps you all have; if you miss one step of a card, that step is what to build next.</p>"
        f'<table class="diag" data-rows="{len(blocks)}"><thead><tr><th>Step</th><th>Statements</th><th>Threshold (average)</th></tr></thead>'
        f"<tbody>{''.join(blocks)}</tbody></table>"
    )


def policy_html(cards: list[Card], plain: Mapping[str, str], conditions: list[str]) -> str:
    """What the recipes mean for agencies and programme designers (counts read off the cards)."""
    e = html.escape
    recipes = [c for c in cards if c.configuration]
    if not recipes:
        return "<p>The survey found no reliable recipe, so it supports no specific policy advice.</p>"
    lines = []
    shared = recipes[0].first
    if shared:
        lines.append(f"Every recipe builds {e(' and '.join(shared))}: support for it reaches firms on every route.")
    for condition in conditions:
        words = plain.get(condition, condition)
        n = sum(words in c.build for c in recipes)
        if 0 < n < len(recipes):
            lines.append(
                f"{e(words[0].upper() + words[1:])} is part of {n} of the {len(recipes)} recipes: programmes should not make it a condition of support, since other routes also work."  # noqa: E501
            )
    lines.append(
        f"There are {len(recipes)} different recipes: firms reach foreign markets by more than one route, so support schemes "
        "that allow several routes fit more firms than a single programme."
    )
    return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


def caveats_html(claims: pd.DataFrame) -> str:
    """The caveats the claims carry: every claim with a flag or without a 'supported' verdict."""
    e = html.escape
    if claims.empty:
        return ""
    flagged = claims[
        (claims["verdict"] != "supported")
        | claims.get("flags", pd.Series("", index=claims.index)).fillna("").astype(str).ne("")
    ]
    items = "".join(
        f"<li>{e(str(r.statement))}: <strong>{e(str(r.verdict))}</strong>"
        + (
            f" (the analysis says {e(str(r.rule_verdict))}, but this study is too small or too noisy to rely on that)"
            if "rule_verdict" in claims and pd.notna(r.rule_verdict) and str(r.rule_verdict) not in ("", str(r.verdict))
            else ""
        )
        + (f" ({e(str(r.flags))})" if "flags" in claims and pd.notna(r.flags) and str(r.flags) else "")
        + "</li>"
        for r in flagged.itertuples(index=False)
    )
    return (
        "<p>The data are synthetic (a stand-in for the confidential survey). A recipe describes firms that "
        "succeeded, not a guarantee; it is a pattern across firms, not proof that one step causes another. "
        "Claims of the thesis that are not fully supported or carry a warning:</p><ul>" + items + "</ul>"
    )


def playbook_sections(
    cards: list[Card], diagnosis: str = "", policy: str = "", caveats: str = "", level: int = 2
) -> str:
    """The Playbook's four parts (self-diagnosis, recipes, policymakers, caveats) as HTML headed at ``level``.

    The same body serves the Playbook's own page (``level`` 2) and the report's Annex E
    (``level`` 3, below the annex heading), so the annex is never cards alone. Sections are
    given as already escaped HTML; an empty one is left out.
    """
    if level not in range(1, 7):
        raise ValueError(f"heading level must be 1-6, got {level!r}")
    sections = [
        ("For owners and managers: which recipe fits you?", diagnosis),
        ("Recipes", cards_html(cards)),
        ("For policymakers", policy),
        ("Caveats", caveats),
    ]
    return "".join(f"<h{level}>{html.escape(head)}</h{level}>{content}" for head, content in sections if content)


def playbook_page(
    cards: list[Card], title: str = "SME Playbook (Annex E)", diagnosis: str = "", policy: str = "", caveats: str = ""
) -> str:
    """The playbook as its own self-contained page (sections given as already escaped HTML), with a
    Content-Security-Policy that runs no script and loads nothing (:func:`nero.markup.with_csp`)."""
    body = playbook_sections(cards, diagnosis, policy, caveats, level=2)
    return with_csp(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<title>{html.escape(title)}</title><style>body{{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1100px;'
        f"margin:2em auto;padding:0 1em;color:#222;line-height:1.45}}{PLAYBOOK_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="warning"><strong>Synthetic data.</strong> Generated from the '
        "synthetic stand-in study shipped with the pipeline.</p>"
        f"{body}</body></html>\n"
    )
