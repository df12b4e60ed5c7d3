"""Synthetic Study 1 interviews: transcripts, planted evidence and two coders' codings.

Each of the ``n`` interviews is written from its firm's planted archetype: the
profile in :data:`nero.simulate.text_banks.PROFILES` says how many supporting
(``pro``) and contrary (``con``) sentences each code receives (plus or minus
one at random), and the sentences come from the code's sentence bank. The
planted sentences are the coded segments. ``coder-a`` codes every planted
segment as planted; ``coder-b`` double-codes a subset of interviews with
realistic disagreement: most segments identical, some with shifted boundaries
(extended to the next sentence, or starting a few words later), some with a
neighbouring code, some missed, and a few extra codings of uncoded sentences.

Offsets are code-point offsets here; :mod:`nero.simulate.qdpx` converts them to
UTF-16 code units over the CRLF text as stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nero.simulate import text_banks as tb

#: Archetype of each interview slot before shuffling: 4 / 3 / 3 / 3 for 13 interviews.
ARCHETYPE_ORDER = ("Institutional Optimizer", "Strategic Explorer", "Platform Optimizer", "Agile Global Scaler")

#: Code a disagreeing coder confuses with each code.
NEIGHBOUR_CODE = {
    tb.GOV: tb.GRANT,
    tb.GRANT: tb.GOV,
    tb.ASSOC: tb.GOV,
    tb.ECOM: tb.PARTNER,
    tb.SOCIAL: tb.ECOM,
    tb.PARTNER: tb.ECOM,
    tb.EFF: tb.CAP,
    tb.MKT: tb.SCO,
    tb.CAP: tb.EFF,
    tb.SCO: tb.MKT,
    tb.RES: tb.REG,
    tb.REG: tb.RES,
    tb.DIG: tb.PARTNER,
    tb.FOUNDER: tb.ASSOC,
}

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
class Interview:
    """One synthetic interview and its planted truth."""

    number: int
    document: str
    file_name: str
    firm: str
    case_name: str
    descriptor: str
    respondent: str
    role: str
    archetype: str
    sector: str
    size_band: str
    employees: int
    founding_year: int
    foreign_sales_share: float
    interview_date: str
    text: str
    segments: list[Segment]
    context: list[tuple[int, int]]
    turn_sentences: list[list[tuple[int, int]]]
    special: list[str] = field(default_factory=list)
    codings: dict[str, list[Segment]] = field(default_factory=dict)
    mode: str = "video call"

    def word_count(self) -> int:
        """Words in the transcript."""
        return len(self.text.split())


def _fill(template: str, rng: np.random.Generator) -> str:
    out = template
    chosen_country = None
    for slot, values in tb.SLOTS.items():
        token = "{" + slot + "}"
        while token in out:
            value = values[int(rng.integers(len(values)))]
            if slot == "country":
                chosen_country = value
            out = out.replace(token, value, 1)
    if "{country2}" in out:
        others = [c for c in tb.SLOTS["country"] if c != chosen_country]
        out = out.replace("{country2}", others[int(rng.integers(len(others)))])
    return out[0].upper() + out[1:]


def _pick(bank: tuple[str, ...], k: int, rng: np.random.Generator, used: set[str]) -> list[str]:
    pool = [s for s in bank if s not in used] or list(bank)
    idx = rng.permutation(len(pool))[:k]
    picked = [pool[int(i)] for i in idx]
    used.update(picked)
    return picked


def _size_band(employees: int) -> str:
    if employees < 10:
        return "Micro (1-9)"
    if employees < 50:
        return "Small (10-49)"
    return "Medium (50-199)"


def _sector_label(code: int) -> str:
    return {
        1: "Manufacturing",
        2: "Wholesale and retail trade",
        3: "Information and communications",
        4: "Professional services",
        5: "Food and beverage",
        6: "Other services",
    }[code]


def archetype_assignment(rng: np.random.Generator, n: int) -> list[str]:
    """Archetypes of ``n`` interviews, spread as evenly as possible (4/3/3/3 for 13), shuffled."""
    slots = [ARCHETYPE_ORDER[j % 4] for j in range(n)]
    return [slots[int(i)] for i in rng.permutation(n)]


def simulate_interviews(seed: int, n: int = 13) -> list[Interview]:
    """Write ``n`` synthetic interviews with their planted archetypes and codings.

    Parameters
    ----------
    seed
        Study seed (interviews use their own random streams).
    n
        Number of interviews (at least 4 so every archetype occurs; 13 in the study).

    Returns
    -------
    list of Interview
        In file order; ``codings`` holds ``coder-a`` for all and ``coder-b`` for the
        double-coded subset.
    """
    if n < 4:
        raise ValueError("at least 4 interviews are needed (one per archetype)")
    rng = np.random.default_rng([int(seed), 7001])
    archetypes = archetype_assignment(rng, n)
    letters = [chr(ord("A") + j) for j in range(n)] if n <= 26 else [f"{j + 1:02d}" for j in range(n)]
    start_day = dt.date(2024, 6, 3)
    dates = sorted({start_day + dt.timedelta(days=int(d)) for d in rng.choice(180, size=n, replace=False)})
    date_order = rng.permutation(n)
    if n > 1 and all(date_order[j] < date_order[j + 1] for j in range(n - 1)):
        date_order[[0, 1]] = date_order[[1, 0]]
    used_desc: dict[str, int] = {a: 0 for a in ARCHETYPE_ORDER}
    desc_orders = {a: rng.permutation(len(tb.SECTORS[a])) for a in ARCHETYPE_ORDER}
    first_inst = next(j for j, a in enumerate(archetypes) if a in ("Institutional Optimizer", "Strategic Explorer"))
    first_virt = next(j for j, a in enumerate(archetypes) if a in ("Platform Optimizer", "Agile Global Scaler"))
    modes = interview_modes(seed, n)
    interviews = []
    for j, archetype in enumerate(archetypes):
        irng = np.random.default_rng([int(seed), 7002, j])
        choice = desc_orders[archetype][used_desc[archetype] % len(tb.SECTORS[archetype])]
        used_desc[archetype] += 1
        descriptor, sector_code = tb.SECTORS[archetype][int(choice)]
        special = []
        if j == 0:
            special.append("accented:José")
        if j == first_inst:
            special.append("accented:Zoë")
        if j == min(2, n - 1):
            special.append("accented:Nguyễn")
        if j == first_virt:
            special.append("emoji")
        interviews.append(
            _write_interview(
                irng,
                number=j + 1,
                letter=letters[j],
                archetype=archetype,
                descriptor=descriptor,
                sector=_sector_label(sector_code),
                interview_date=dates[int(date_order[j])].isoformat(),
                special=special,
                mode=modes[j],
            )
        )
    crng = np.random.default_rng([int(seed), 7003])
    n_double = max(4, int(round(n * 5 / 13))) if n >= 4 else n
    double = _double_coded_subset(crng, archetypes, n_double)
    for j, interview in enumerate(interviews):
        interview.codings["coder-a"] = [Segment(s.start, s.end, s.codes, s.kind) for s in interview.segments]
        if j in double:
            interview.codings["coder-b"] = _second_coder(crng, interview)
    return interviews


def interview_modes(seed: int, n: int) -> list[str]:
    """How each of ``n`` interviews was held, from its own stream ``(seed, 7004)`` (weights in ``INTERVIEW_MODES``)."""
    names = [m for m, _ in tb.INTERVIEW_MODES]
    weights = np.array([w for _, w in tb.INTERVIEW_MODES])
    rng = np.random.default_rng([int(seed), 7004])
    return [names[int(i)] for i in rng.choice(len(names), size=n, p=weights / weights.sum())]


def case_variables(interview: Interview) -> dict[str, Any]:
    """The case variables of one interview as the REFI-QDA project and the truth record hold them."""
    return {
        "sector": interview.sector,
        "size_band": interview.size_band,
        "founding_year": interview.founding_year,
        "foreign_sales_share": interview.foreign_sales_share,
        "interview_date": interview.interview_date,
        "respondent_role": interview.role,
        "interview_mode": interview.mode,
    }


def _double_coded_subset(rng: np.random.Generator, archetypes: list[str], k: int) -> set[int]:
    chosen: list[int] = []
    for archetype in ARCHETYPE_ORDER:  # one interview of each archetype first
        options = [j for j, a in enumerate(archetypes) if a == archetype]
        chosen.append(options[int(rng.integers(len(options)))])
    rest = [j for j in range(len(archetypes)) if j not in chosen]
    extra = rng.permutation(len(rest))[: max(0, k - len(chosen))]
    return set(chosen) | {rest[int(i)] for i in extra}


def _write_interview(
    rng: np.random.Generator,
    number: int,
    letter: str,
    archetype: str,
    descriptor: str,
    sector: str,
    interview_date: str,
    special: list[str],
    mode: str = "video call",
) -> Interview:
    profile = tb.PROFILES[archetype]
    founding = {
        "Institutional Optimizer": (1986, 2010),
        "Strategic Explorer": (1992, 2014),
        "Platform Optimizer": (2005, 2018),
        "Agile Global Scaler": (2010, 2020),
    }[archetype]
    founding_year = int(rng.integers(founding[0], founding[1] + 1))
    employees = int(np.clip(np.round(np.exp(np.log(35) + rng.normal(0, 0.7))), 6, 190))
    share_range = {
        "Institutional Optimizer": (0.10, 0.40),
        "Strategic Explorer": (0.30, 0.65),
        "Platform Optimizer": (0.15, 0.50),
        "Agile Global Scaler": (0.45, 0.90),
    }[archetype]
    share = round(float(rng.uniform(*share_range)), 2)
    role = tb.ROLES[int(rng.integers(len(tb.ROLES)))]
    respondent = f"R{number}"
    firm = f"Firm {letter}"
    case_name = f"{firm} ({descriptor})"
    document = f"INT{number:02d}_Firm{letter}"

    # planted sentences per topic: list of (text, codes, kind)
    per_topic: dict[str, list[tuple[str, tuple[str, ...], str]]] = {t: [] for t in tb.TOPICS}
    used: set[str] = set()
    for code in tb.CODE_PATHS:
        n_pro, n_con = profile[code]
        if n_pro >= 2:
            n_pro = max(1, n_pro + int(rng.integers(-1, 2)))
        if n_con >= 1 and rng.random() < 0.3:
            n_con = 0
        for kind, count in (("pro", n_pro), ("con", n_con)):
            bank = tb.BANK[code][kind]
            if not bank or count == 0:
                continue
            for template in _pick(bank, min(count, len(bank)), rng, used):
                per_topic[tb.CODE_TOPIC[code]].append((_fill(template, rng), (code,), kind))
    accented = {f"accented:{name}": sentence for name, sentence in zip(("José", "Zoë", "Nguyễn"), tb.ACCENTED_SENTENCES)}
    for tag in special:
        if tag in accented:
            code, sentence = accented[tag]
            per_topic[tb.CODE_TOPIC[code]].append((sentence, (code,), "pro"))
    for topic in tb.TOPICS:
        items = per_topic[topic]
        per_topic[topic] = [items[int(i)] for i in rng.permutation(len(items))]
    if "emoji" in special:
        code, sentence = tb.EMOJI_SENTENCE
        per_topic["background"].append((sentence, (code,), "pro"))

    context_pool = list(tb.CONTEXT)
    elaboration_pool = list(ELABORATIONS)

    def context_sentence() -> str:
        if not context_pool:
            context_pool.extend(tb.CONTEXT)
        return context_pool.pop(int(rng.integers(len(context_pool))))

    def elaboration() -> str:
        return _fill(elaboration_pool.pop(int(rng.integers(len(elaboration_pool)))), rng)

    header = [
        f"Interview {document} \u2014 {case_name}",
        f"Date: {interview_date} | Mode: {mode} | Interviewer: I1 | Respondent: {respondent}, {role}",
        "Note: names of people and firms are pseudonymised; identifying details have been changed.",
    ]
    turns: list[tuple[str, list[tuple[str, tuple[str, ...], str]]]] = []
    for topic in tb.TOPICS:
        question = tb.QUESTIONS[topic][int(rng.integers(len(tb.QUESTIONS[topic])))]
        planted = per_topic[topic]
        answer: list[tuple[str, tuple[str, ...], str]] = []
        if topic == "background":
            answer.append((f"{firm} started in {founding_year}, and today we are about {employees} people in Singapore.", (), "context"))
            answer.append((f"We work in {descriptor.lower()}, and most of our customers are businesses in Singapore and the region.", (), "context"))
        answer.append((context_sentence(), (), "context"))
        answer.extend(planted)
        if rng.random() < 0.7 and elaboration_pool:
            answer.insert(int(rng.integers(1, len(answer) + 1)), (elaboration(), (), "context"))
        if topic == "closing":
            answer.append((tb.CLOSINGS[int(rng.integers(len(tb.CLOSINGS)))], (), "context"))
        # long answers are split by a probe from the interviewer
        if len(answer) > 5:
            cut = int(rng.integers(3, len(answer) - 1))
            turns.append((question, answer[:cut]))
            turns.append((PROBES[int(rng.integers(len(PROBES)))], answer[cut:]))
        else:
            turns.append((question, answer))
    # top up short transcripts with uncoded elaborations
    words = sum(len(s.split()) for _, a in turns for s, _, _ in a) + sum(len(q.split()) for q, _ in turns)
    k = 0
    target = int(rng.integers(1250, 1550))
    while words < target and elaboration_pool:
        q, a = turns[k % len(turns)]
        extra = elaboration()
        a.append((extra, (), "context"))
        words += len(extra.split())
        k += 3

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
    text = "".join(parts)
    return Interview(
        number=number,
        document=document,
        file_name=f"{document}.txt",
        firm=firm,
        case_name=case_name,
        descriptor=descriptor,
        respondent=respondent,
        role=role,
        archetype=archetype,
        sector=sector,
        size_band=_size_band(employees),
        employees=employees,
        founding_year=founding_year,
        foreign_sales_share=share,
        interview_date=interview_date,
        text=text,
        segments=segments,
        context=context,
        turn_sentences=turn_sentences,
        special=special,
        mode=mode,
    )


def _word_starts(text: str, start: int, end: int) -> list[int]:
    return [i for i in range(start + 1, end) if text[i - 1] == " " and text[i].isalnum()]


def _second_coder(rng: np.random.Generator, interview: Interview) -> list[Segment]:
    """``coder-b``'s codings: agreement, shifted boundaries, other codes, misses and extras."""
    text = interview.text
    next_end = {}
    for spans in interview.turn_sentences:
        for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
            next_end[s0] = e1
    out: list[Segment] = []
    for seg in interview.segments:
        u = rng.random()
        if u < 0.70:
            out.append(Segment(seg.start, seg.end, seg.codes, seg.kind))
        elif u < 0.82:
            if seg.start in next_end and rng.random() < 0.5:
                out.append(Segment(seg.start, next_end[seg.start], seg.codes, seg.kind))
            else:
                starts = _word_starts(text, seg.start, seg.end)
                new_start = starts[min(len(starts) - 1, int(rng.integers(2, 5)))] if len(starts) > 4 else seg.start
                out.append(Segment(new_start, seg.end, seg.codes, seg.kind))
        elif u < 0.91:
            out.append(Segment(seg.start, seg.end, tuple(NEIGHBOUR_CODE[c] for c in seg.codes), seg.kind))
        # else: missed by coder-b
    n_extra = int(rng.integers(1, 4))
    for j in rng.permutation(len(interview.context))[:n_extra]:
        start, end = interview.context[int(j)]
        code = (tb.RES, tb.FOUNDER, tb.CAP, tb.DIG)[int(rng.integers(4))]
        out.append(Segment(start, end, (code,), "extra"))
    out.sort(key=lambda s: (s.start, s.end, s.codes))
    return out


def interview_truth(interview: Interview) -> dict[str, Any]:
    """Ground-truth record of one interview (for ``truth.json``)."""
    counts: dict[str, dict[str, int]] = {}
    for seg in interview.segments:
        for code in seg.codes:
            entry = counts.setdefault(code, {"pro": 0, "con": 0})
            entry[seg.kind] += 1
    return {
        "document": interview.document,
        "file": f"transcripts/{interview.file_name}",
        "case": interview.case_name,
        "firm": interview.firm,
        "respondent": interview.respondent,
        "role": interview.role,
        "archetype": interview.archetype,
        "variables": case_variables(interview),
        "employees": interview.employees,
        "words": interview.word_count(),
        "double_coded": "coder-b" in interview.codings,
        "special_text": interview.special,
        "planted_codes": {code: counts[code] for code in tb.CODE_PATHS if code in counts},
    }
