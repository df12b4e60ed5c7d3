"""Transcript text of one synthetic interview: planted sentences, turns and offsets.

The steps of :func:`nero.simulate.interviews.simulate_interviews` that write an
interview's words, each drawing from the interview's own stream in this order:
the planted (coded) sentences per topic (:func:`planted_sentences`), the
interviewer's questions with the respondent's answers, context sentences,
elaborations and probes (:func:`interview_turns`), uncoded elaborations until
the transcript is long enough (:func:`top_up`); :func:`render_transcript` then
lays the turns out as CRLF text and records the code-point offsets of every
planted segment and context sentence (nothing is drawn there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nero.simulate import interview_codes, interview_script, interview_sentences

#: A sentence of an answer: (text, codes, kind) with kind ``pro``, ``con`` or ``context``.
Sentence = tuple[str, tuple[str, ...], str]
#: An interviewer's question (or probe) and the sentences of the answer.
Turn = tuple[str, list[Sentence]]

PROBES = (
    "Could you give me an example?",
    "How did that come about?",
    "Interesting. Could you say a little more about that?",
    "And how did that work out in practice?",
)

ELABORATIONS = (
    "We had to learn how buyers in {country} think, what they expect from a supplier and how long they take to decide.",
    "At that time we were only {headcount} people, so everybody did a bit of everything, including me.",
    "I remember the first big order very clearly, because we worked through the weekend to deliver it on time.",
    "The team still talks about that year, because it was the first time we felt like a real company.",
    "There were months when I was not sure we would make payroll, and I do not say that lightly.",
    "It is a small country, so people know each other and reputation travels fast, in both directions.",
    "Our customers in Singapore were patient with us, and that gave us room to experiment elsewhere.",
    "We review the numbers every Monday, and the conversation is usually about which bets to keep and which to stop.",
    "Some of our competitors went down a different path, and a few of them are no longer around.",
    "Looking at the region, the opportunities are huge, but every market is different from the next.",
    "My father ran a trading business, so I grew up listening to stories about shipping delays and difficult customers.",
    "We changed our pricing model twice before we found something that customers in {country} accepted.",
    "The first product we launched was frankly not very good, but it taught us what the market wanted.",
    "When the exchange rate moved against us, we had to renegotiate almost every contract in a single month.",
    "We hired our first finance manager only in {year}, and I wish we had done it much earlier.",
    "Our board, which is really just two investors and myself, pushes hard on profitability now.",
    "The office used to be a shophouse in Jalan Besar, and we stayed there far longer than we should have.",
    "At one point three big customers accounted for most of our revenue, which was a dangerous position.",
    "We are careful about which partners we choose, because one bad partner can undo years of work.",
    "There is always a tension between serving the customers we have and chasing the ones we want.",
    "I spend much more of my time on people issues now than on the product itself.",
    "We write down what we learn from every market entry, because otherwise we repeat the same mistakes.",
    "Our sales cycle is long, often nine to twelve months from the first meeting to the first order.",
    "Some years were flat, and in those years we mainly fixed things inside the company.",
    "We benchmark ourselves against firms in {country} rather than against other Singapore companies.",
    "Most of our management team has been with us for more than five years, which helps a lot.",
    "Quality problems in the early days cost us one important customer, and we never forgot that lesson.",
    "We still do a lot of things manually, and that is something we are working on.",
    "Our margins are better on the projects abroad, but they also carry more risk.",
    "I try to visit every key customer at least once a year, wherever they are.",
    "We keep a small reserve of cash for opportunities, because they never come at a convenient time.",
    "The younger staff have very different expectations about how a company should work, and we had to adapt.",
)


@dataclass
class Segment:
    """A span of transcript text (code-point offsets, end exclusive) and its codes."""

    start: int
    end: int
    codes: tuple[str, ...]
    kind: str = "pro"


@dataclass
class Transcript:
    """A rendered transcript and where its sentences are (code-point offsets, end exclusive).

    Attributes
    ----------
    text
        The transcript (CRLF line ends).
    segments
        The planted (coded) sentences.
    context
        The uncoded sentences.
    turn_sentences
        Spans of the sentences of each answer, turn by turn.
    """

    text: str
    segments: list[Segment]
    context: list[tuple[int, int]]
    turn_sentences: list[list[tuple[int, int]]]


class SentencePools:
    """Uncoded context sentences and elaborations not yet used in one interview.

    Parameters
    ----------
    rng
        The interview's stream (each sentence taken draws its position, an
        elaboration then fills its slots).
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.context = list(interview_script.CONTEXT)
        self.elaborations = list(ELABORATIONS)

    def context_sentence(self) -> str:
        """Take a context sentence at random (the bank is refilled when it runs out)."""
        if not self.context:
            self.context.extend(interview_script.CONTEXT)
        return self.context.pop(int(self.rng.integers(len(self.context))))

    def elaboration(self) -> str:
        """Take an elaboration at random and fill its slots (callers check that one is left)."""
        return fill_template(self.elaborations.pop(int(self.rng.integers(len(self.elaborations)))), self.rng)


def fill_template(template: str, rng: np.random.Generator) -> str:
    """Fill the ``{slot}`` tokens of a sentence template from :data:`~nero.simulate.interview_sentences.SLOTS`;
    ``{country2}`` becomes a country other than the ``{country}`` chosen. Capitalises the first letter."""
    out = template
    chosen_country = None
    for slot, values in interview_sentences.SLOTS.items():
        token = "{" + slot + "}"
        while token in out:
            value = values[int(rng.integers(len(values)))]
            if slot == "country":
                chosen_country = value
            out = out.replace(token, value, 1)
    if "{country2}" in out:
        others = [c for c in interview_sentences.SLOTS["country"] if c != chosen_country]
        out = out.replace("{country2}", others[int(rng.integers(len(others)))])
    return out[0].upper() + out[1:]


def pick_sentences(bank: tuple[str, ...], k: int, rng: np.random.Generator, used: set[str]) -> list[str]:
    """``k`` sentences of ``bank`` in random order, preferring ones not in ``used`` (the picks are added to it)."""
    pool = [s for s in bank if s not in used] or list(bank)
    idx = rng.permutation(len(pool))[:k]
    picked = [pool[int(i)] for i in idx]
    used.update(picked)
    return picked


def _profile_sentences(rng: np.random.Generator, profile: dict[str, Any]) -> dict[str, list[Sentence]]:
    """Supporting and contrary sentences of each code as the archetype's profile asks, by topic.

    A code planted at least twice gets one more or one fewer at random; a code's
    contrary sentences are dropped with probability 0.3.
    """
    per_topic: dict[str, list[Sentence]] = {t: [] for t in interview_script.TOPICS}
    used: set[str] = set()
    for code in interview_codes.CODE_PATHS:
        n_pro, n_con = profile[code]
        if n_pro >= 2:
            n_pro = max(1, n_pro + int(rng.integers(-1, 2)))
        if n_con >= 1 and rng.random() < 0.3:
            n_con = 0
        for kind, count in (("pro", n_pro), ("con", n_con)):
            bank = interview_sentences.BANK[code][kind]
            if not bank or count == 0:
                continue
            for template in pick_sentences(bank, min(count, len(bank)), rng, used):
                per_topic[interview_script.CODE_TOPIC[code]].append((fill_template(template, rng), (code,), kind))
    return per_topic


def planted_sentences(
    rng: np.random.Generator, profile: dict[str, Any], special: list[str]
) -> dict[str, list[Sentence]]:
    """The coded sentences of an interview by topic, shuffled within each topic.

    Parameters
    ----------
    rng
        The interview's stream.
    profile
        ``(n_pro, n_con)`` per code (:data:`~nero.simulate.interview_script.PROFILES` of the archetype).
    special
        Special-text tags: ``accented:<name>`` adds that accented sentence before
        shuffling, ``emoji`` appends the emoji sentence to the background topic.

    Returns
    -------
    dict
        Topic -> list of (text, codes, kind).
    """
    per_topic = _profile_sentences(rng, profile)
    accented = {
        f"accented:{name}": sentence
        for name, sentence in zip(("José", "Zoë", "Nguyễn"), interview_sentences.ACCENTED_SENTENCES)
    }
    for tag in special:
        if tag in accented:
            code, sentence = accented[tag]
            per_topic[interview_script.CODE_TOPIC[code]].append((sentence, (code,), "pro"))
    for topic in interview_script.TOPICS:
        items = per_topic[topic]
        per_topic[topic] = [items[int(i)] for i in rng.permutation(len(items))]
    if "emoji" in special:
        code, sentence = interview_sentences.EMOJI_SENTENCE
        per_topic["background"].append((sentence, (code,), "pro"))
    return per_topic


def _answer(
    rng: np.random.Generator,
    topic: str,
    planted: list[Sentence],
    pools: SentencePools,
    firm: str,
    founding_year: int,
    employees: int,
    descriptor: str,
) -> list[Sentence]:
    """The respondent's answer on one topic: context, the planted sentences, maybe an elaboration and a closing."""
    answer: list[Sentence] = []
    if topic == "background":
        answer.append(
            (
                f"{firm} started in {founding_year}, and today we are about {employees} people in Singapore.",
                (),
                "context",
            )
        )
        answer.append(
            (
                f"We work in {descriptor.lower()}, and most of our customers are businesses in Singapore and the region.",
                (),
                "context",
            )
        )
    answer.append((pools.context_sentence(), (), "context"))
    answer.extend(planted)
    if rng.random() < 0.7 and pools.elaborations:
        answer.insert(int(rng.integers(1, len(answer) + 1)), (pools.elaboration(), (), "context"))
    if topic == "closing":
        answer.append((interview_script.CLOSINGS[int(rng.integers(len(interview_script.CLOSINGS)))], (), "context"))
    return answer


def _split_long_answer(rng: np.random.Generator, question: str, answer: list[Sentence]) -> list[Turn]:
    """One turn, or two when the answer has more than five sentences (the interviewer probes in between)."""
    if len(answer) > 5:
        cut = int(rng.integers(3, len(answer) - 1))
        return [(question, answer[:cut]), (PROBES[int(rng.integers(len(PROBES)))], answer[cut:])]
    return [(question, answer)]


def interview_turns(
    rng: np.random.Generator,
    per_topic: dict[str, list[Sentence]],
    pools: SentencePools,
    firm: str,
    founding_year: int,
    employees: int,
    descriptor: str,
) -> list[Turn]:
    """The interview's turns, topic by topic: a question drawn from the topic's bank and the answer.

    Parameters
    ----------
    rng
        The interview's stream.
    per_topic
        Planted sentences by topic (:func:`planted_sentences`).
    pools
        Context sentences and elaborations still unused.
    firm, founding_year, employees, descriptor
        What the respondent says about the firm in the background answer.

    Returns
    -------
    list
        (question, answer sentences) per turn.
    """
    turns: list[Turn] = []
    for topic in interview_script.TOPICS:
        question = interview_script.QUESTIONS[topic][int(rng.integers(len(interview_script.QUESTIONS[topic])))]
        answer = _answer(rng, topic, per_topic[topic], pools, firm, founding_year, employees, descriptor)
        turns.extend(_split_long_answer(rng, question, answer))
    return turns


def top_up(rng: np.random.Generator, turns: list[Turn], pools: SentencePools) -> None:
    """Append uncoded elaborations to every third answer until the transcript reaches a drawn 1,250-1,549 words (in place)."""
    words = sum(len(s.split()) for _, a in turns for s, _, _ in a) + sum(len(q.split()) for q, _ in turns)
    k = 0
    target = int(rng.integers(1250, 1550))
    while words < target and pools.elaborations:
        q, a = turns[k % len(turns)]
        extra = pools.elaboration()
        a.append((extra, (), "context"))
        words += len(extra.split())
        k += 3


def render_transcript(header: list[str], turns: list[Turn], respondent: str) -> Transcript:
    """Lay out the header lines and turns as CRLF text and record every sentence's offsets.

    Parameters
    ----------
    header
        Header lines (title, date and mode, pseudonymisation note).
    turns
        (question, answer sentences) per turn.
    respondent
        Speaker label of the answers (``R1``, ...).

    Returns
    -------
    Transcript
    """
    parts: list[str] = []
    pos = 0

    def emit(text: str) -> int:
        nonlocal pos
        start = pos
        parts.append(text)
        pos += len(text)
        return start

    segments: list[Segment] = []
    context: list[tuple[int, int]] = []
    turn_sentences: list[list[tuple[int, int]]] = []
    emit("\r\n".join(header) + "\r\n\r\n")
    for t, (question, answer) in enumerate(turns):
        emit(f"Interviewer: {question}\r\n\r\n")
        emit(f"{respondent}: ")
        spans = []
        for s, (sentence, codes, kind) in enumerate(answer):
            if s:
                emit(" ")
            start = emit(sentence)
            spans.append((start, pos))
            if codes:
                segments.append(Segment(start, pos, codes, kind))
            else:
                context.append((start, pos))
        turn_sentences.append(spans)
        emit("\r\n\r\n" if t < len(turns) - 1 else "\r\n")
    return Transcript("".join(parts), segments, context, turn_sentences)
