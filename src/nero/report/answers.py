"""The research questions answered one by one from the verdicts of their claims.

Each research question of the report registry (``workflow/report/manuscript.yaml``,
``research_questions``) lists the claims of ``config/claims.yaml`` that answer it (``claims:``).
Its answer is computed from their verdicts (``results/claims.csv``) by one declared mapping,
:func:`answer_from_verdicts`:

=======================================================  =====================
verdicts of the question's claims                        answer
=======================================================  =====================
no claim listed                                          inconclusive
every claim supported                                    supported
some supported, some not supported or inconclusive       partly supported
none supported, at least one not supported               not supported
every claim inconclusive                                 inconclusive
=======================================================  =====================

"Not supported" outweighs "inconclusive" when nothing is supported: a question whose only
decided claim went against it is answered against, not left open. The "because" sentence names
each claim with its verdict and, where the design analysis says the design cannot decide the
claim at the study's N (``decidable`` false in ``results/claims.csv``), says so beside it.
The verdicts are those qualified by the design (:func:`nero.design.operating.annotate_claims`);
where one differs from the rule's outcome (``rule_verdict``), the sentence names the rule's outcome
and that the design cannot back it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: The verdicts of a claim and the answers of a question.
VERDICTS = ("supported", "not supported", "inconclusive")
ANSWERS = ("supported", "partly supported", "not supported", "inconclusive")
#: CSS class of each answer (the verdict badges' classes of nero.report.html).
ANSWER_CLASS = {"supported": "v-yes", "partly supported": "v-maybe", "not supported": "v-no", "inconclusive": "v-maybe"}


class QuestionError(ValueError):
    """A research question's claim list names a claim the verdicts do not have, or a verdict is unknown."""


def answer_from_verdicts(verdicts: Sequence[str]) -> str:
    """The answer of a question from its claims' verdicts (the module's mapping).

    Raises
    ------
    QuestionError
        A verdict outside :data:`VERDICTS`.
    """
    bad = [v for v in verdicts if v not in VERDICTS]
    if bad:
        raise QuestionError(f"verdict(s) {bad} not one of {list(VERDICTS)}")
    if not verdicts:
        return "inconclusive"
    kinds = set(verdicts)
    if kinds == {"supported"}:
        return "supported"
    if "supported" in kinds:
        return "partly supported"
    if "not supported" in kinds:
        return "not supported"
    return "inconclusive"


@dataclass
class Answer:
    """One research question answered: ``answer`` and the claims (id, verdict, design note) behind it."""

    id: str
    question: str
    answer: str
    claims: list[dict[str, Any]] = field(default_factory=list)

    @property
    def because(self) -> str:
        """The reason in words: every claim with its verdict (and where the design cannot decide it)."""
        if not self.claims:
            return "no claim of the registry answers this question"
        parts = []
        for c in self.claims:
            text = f"{c['claim_id']} is {c['verdict']}"
            rule = c.get("rule_verdict") or c["verdict"]
            if rule != c["verdict"]:
                text += f" by design (the rule says {rule}, which this design cannot back at the study's N)"
            elif c.get("undecidable"):
                text += " (this design cannot decide it at the study's N)"
            parts.append(text)
        return "; ".join(parts)

    def summary(self) -> str:
        """``RQ3: partly supported, because ...``."""
        return f"{self.id}: {self.answer}, because {self.because}"


@dataclass
class Answers:
    """Every research question with its answer (:func:`answer_questions`)."""

    answers: list[Answer]

    def to_frame(self) -> pd.DataFrame:
        """One row per question: ``id, question, answer, because, claims``."""
        return pd.DataFrame(
            [
                {
                    "id": a.id,
                    "question": a.question,
                    "answer": a.answer,
                    "because": a.because,
                    "claims": "; ".join(c["claim_id"] for c in a.claims),
                }
                for a in self.answers
            ],
            columns=["id", "question", "answer", "because", "claims"],
        )

    def summary(self) -> str:
        """One line per question."""
        return "\n".join(a.summary() for a in self.answers)


def _text(value: Any) -> str:
    """A text cell, blank for None / NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _false(value: Any) -> bool:
    """A ``decidable`` cell that says False (bool, or the text False / false); blanks are not False."""
    return value is False or str(value).strip().lower() == "false"


def answer_questions(questions: Sequence[Mapping[str, Any]], claims: pd.DataFrame) -> Answers:
    """Answer every research question from the verdicts of its claims.

    Parameters
    ----------
    questions : sequence of mappings
        ``{"id": "RQ1", "question": ..., "claims": [claim ids]}`` (``claims`` may be absent or empty).
    claims : DataFrame
        ``results/claims.csv``: ``claim_id``, ``verdict`` and optionally ``decidable``.

    Returns
    -------
    Answers

    Raises
    ------
    QuestionError
        A question lists a claim id that ``claims`` does not have (naming the question and the id),
        or lists one twice.
    """
    by_id = {str(r["claim_id"]): r for r in claims.to_dict("records")}
    out = []
    for q in questions:
        ids = [str(c) for c in (q.get("claims") or [])]
        missing = [c for c in ids if c not in by_id]
        if missing:
            raise QuestionError(
                f"research question {q.get('id')}: claim(s) {missing} not in results/claims.csv "
                f"(known: {sorted(by_id)})"
            )
        if len(set(ids)) != len(ids):
            raise QuestionError(f"research question {q.get('id')}: a claim is listed twice: {ids}")
        rows = [
            {
                "claim_id": c,
                "verdict": str(by_id[c]["verdict"]),
                "undecidable": _false(by_id[c].get("decidable")),
                "rule_verdict": _text(by_id[c].get("rule_verdict")) or str(by_id[c]["verdict"]),
            }
            for c in ids
        ]
        out.append(
            Answer(str(q["id"]), str(q.get("question", "")), answer_from_verdicts([r["verdict"] for r in rows]), rows)
        )
    return Answers(out)


def answers_html(answers: Answers) -> str:
    """The answers as an HTML list (``ol.rq``): each question, its answer badge and the reason."""
    items = []
    for a in answers.answers:
        items.append(
            f'<li><strong>{html.escape(a.id)}: <span class="verdict {ANSWER_CLASS[a.answer]}">'
            f"{html.escape(a.answer)}</span></strong>, because {html.escape(a.because)}.</li>"
        )
    return (
        '<h3 id="answers">The research questions answered</h3><p class="note">Each answer is computed from the '
        "verdicts of the claims the report registry lists under the question (<code>workflow/report/manuscript."
        "yaml</code>): all supported, supported; some supported, partly supported; none supported and one not "
        "supported, not supported; none decided, inconclusive.</p>"
        f'<ol class="rq">{"".join(items)}</ol>'
    )


__all__ = ["ANSWERS", "Answer", "Answers", "QuestionError", "answer_from_verdicts", "answer_questions", "answers_html"]
