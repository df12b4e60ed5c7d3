"""Synthetic Study 1 interviews: transcripts, planted evidence and two coders' codings.

Each of the ``n`` interviews is written from its firm's planted archetype: the
profile in :data:`nero.simulate.interview_script.PROFILES` says how many supporting
(``pro``) and contrary (``con``) sentences each code receives (plus or minus
one at random), and the sentences come from the code's sentence bank. The
planted sentences are the coded segments. ``coder-a`` codes every planted
segment as planted; ``coder-b`` double-codes a subset of interviews with
realistic disagreement: most segments identical, some with shifted boundaries
(extended to the next sentence, or starting a few words later), some with a
neighbouring code, some missed, and a few extra codings of uncoded sentences.

Offsets are code-point offsets here; :mod:`nero.simulate.qdpx` converts them to
UTF-16 code units over the CRLF text as stored. The transcript text itself (planted
sentences, turns, offsets) is written by :mod:`nero.simulate.interview_text`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nero.simulate import interview_codes, interview_script
from nero.simulate.interview_text import (
    Segment,
    SentencePools,
    interview_turns,
    planted_sentences,
    render_transcript,
    top_up,
)

#: Archetype of each interview slot before shuffling: 4 / 3 / 3 / 3 for 13 interviews.
ARCHETYPE_ORDER = ("Institutional Optimizer", "Strategic Explorer", "Platform Optimizer", "Agile Global Scaler")

#: How ``coder-b`` codes each planted segment, cumulative shares of one uniform draw: the same
#: span and codes (.80), a shifted boundary (.08), a neighbouring code (.06), missed (.06). With
#: 1-3 extra codings per interview this plants a pooled character-level Krippendorff's alpha of
#: .866 (SD .024, smallest .816 over 30 simulated projects): clearly above the registry's .80, so
#: the reliability part of ``study1.four_strategies`` is planted true, not on its cut. (Before
#: 2026-12-07 the shares were .70 / .12 / .09 / .09: alpha .806, SD .024, below .80 in 23% of
#: projects, so the claim's rule passed or failed on the coder's noise; see config/claims.yaml.)
SECOND_CODER_SAME, SECOND_CODER_SHIFT, SECOND_CODER_OTHER_CODE = 0.80, 0.08, 0.06

#: Code a disagreeing coder confuses with each code.
NEIGHBOUR_CODE = {
    interview_codes.GOV: interview_codes.GRANT,
    interview_codes.GRANT: interview_codes.GOV,
    interview_codes.ASSOC: interview_codes.GOV,
    interview_codes.ECOM: interview_codes.PARTNER,
    interview_codes.SOCIAL: interview_codes.ECOM,
    interview_codes.PARTNER: interview_codes.ECOM,
    interview_codes.EFF: interview_codes.CAP,
    interview_codes.MKT: interview_codes.SCO,
    interview_codes.CAP: interview_codes.EFF,
    interview_codes.SCO: interview_codes.MKT,
    interview_codes.RES: interview_codes.REG,
    interview_codes.REG: interview_codes.RES,
    interview_codes.DIG: interview_codes.PARTNER,
    interview_codes.FOUNDER: interview_codes.ASSOC,
}

#: Founding-year range (inclusive) of each archetype's firms.
FOUNDING_YEARS = {
    "Institutional Optimizer": (1986, 2010),
    "Strategic Explorer": (1992, 2014),
    "Platform Optimizer": (2005, 2018),
    "Agile Global Scaler": (2010, 2020),
}

#: Range of the foreign-sales share of each archetype's firms.
FOREIGN_SHARE_RANGES = {
    "Institutional Optimizer": (0.10, 0.40),
    "Strategic Explorer": (0.30, 0.65),
    "Platform Optimizer": (0.15, 0.50),
    "Agile Global Scaler": (0.45, 0.90),
}


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


def archetype_assignment(rng: np.random.Generator, n: int, archetypes: tuple[str, ...] = ARCHETYPE_ORDER) -> list[str]:
    """Archetypes of ``n`` interviews, spread as evenly as possible (4/3/3/3 for 13), shuffled."""
    slots = [archetypes[j % len(archetypes)] for j in range(n)]
    return [slots[int(i)] for i in rng.permutation(n)]


def simulate_interviews(seed: int, n: int = 13, archetypes: tuple[str, ...] = ARCHETYPE_ORDER) -> list[Interview]:
    """Write ``n`` synthetic interviews with their planted archetypes and codings.

    Parameters
    ----------
    seed
        Study seed (interviews use their own random streams).
    n
        Number of interviews (at least 4 so every archetype occurs; 13 in the study).
    archetypes
        The archetypes the interviews are written from, in :data:`ARCHETYPE_ORDER` (default all
        four; the ``contrary`` process of :mod:`nero.simulate.scenarios` writes them from three,
        so that "four distinct strategies" is false). Each needs an institutional and a virtual
        archetype (the special-text tags go to one of each).

    Returns
    -------
    list of Interview
        In file order; ``codings`` holds ``coder-a`` for all and ``coder-b`` for the
        double-coded subset.
    """
    if n < 4:
        raise ValueError("at least 4 interviews are needed (one per archetype)")
    unknown = [a for a in archetypes if a not in ARCHETYPE_ORDER]
    if unknown or not archetypes:
        raise ValueError(f"archetypes: unknown {unknown or 'none given'}; expected some of {list(ARCHETYPE_ORDER)}")
    if not {"Institutional Optimizer", "Strategic Explorer"} & set(archetypes) or not {
        "Platform Optimizer",
        "Agile Global Scaler",
    } & set(archetypes):
        raise ValueError(f"archetypes {list(archetypes)}: need an institutional and a virtual archetype")
    rng = np.random.default_rng([int(seed), 7001])
    archetypes = archetype_assignment(rng, n, tuple(a for a in ARCHETYPE_ORDER if a in archetypes))
    letters = [chr(ord("A") + j) for j in range(n)] if n <= 26 else [f"{j + 1:02d}" for j in range(n)]
    dates = _interview_dates(rng, n)
    descriptors = _descriptors(rng, archetypes)
    specials = _special_text(archetypes)
    modes = interview_modes(seed, n)
    interviews = []
    for j, archetype in enumerate(archetypes):
        descriptor, sector_code = descriptors[j]
        interviews.append(
            _write_interview(
                np.random.default_rng([int(seed), 7002, j]),
                number=j + 1,
                letter=letters[j],
                archetype=archetype,
                descriptor=descriptor,
                sector=_sector_label(sector_code),
                interview_date=dates[j],
                special=specials[j],
                mode=modes[j],
            )
        )
    _add_codings(seed, interviews, archetypes)
    return interviews


def _interview_dates(rng: np.random.Generator, n: int) -> list[str]:
    """ISO date of each interview: ``n`` distinct days from 3 June 2024 on, not in file order."""
    start_day = dt.date(2024, 6, 3)
    dates = sorted({start_day + dt.timedelta(days=int(d)) for d in rng.choice(180, size=n, replace=False)})
    date_order = rng.permutation(n)
    if n > 1 and all(date_order[j] < date_order[j + 1] for j in range(n - 1)):
        date_order[[0, 1]] = date_order[[1, 0]]
    return [dates[int(date_order[j])].isoformat() for j in range(n)]


def _descriptors(rng: np.random.Generator, archetypes: list[str]) -> list[tuple[str, int]]:
    """Firm descriptor and sector code of each interview, cycling through its archetype's shuffled options."""
    used_desc: dict[str, int] = {a: 0 for a in ARCHETYPE_ORDER}
    desc_orders = {a: rng.permutation(len(interview_script.SECTORS[a])) for a in ARCHETYPE_ORDER}
    out = []
    for archetype in archetypes:
        choice = desc_orders[archetype][used_desc[archetype] % len(interview_script.SECTORS[archetype])]
        used_desc[archetype] += 1
        out.append(interview_script.SECTORS[archetype][int(choice)])
    return out


def _special_text(archetypes: list[str]) -> list[list[str]]:
    """Special-text tags of each interview: three accented names and one emoji, spread over the first interviews."""
    n = len(archetypes)
    first_inst = next(j for j, a in enumerate(archetypes) if a in ("Institutional Optimizer", "Strategic Explorer"))
    first_virt = next(j for j, a in enumerate(archetypes) if a in ("Platform Optimizer", "Agile Global Scaler"))
    specials = []
    for j in range(n):
        special = []
        if j == 0:
            special.append("accented:José")
        if j == first_inst:
            special.append("accented:Zoë")
        if j == min(2, n - 1):
            special.append("accented:Nguyễn")
        if j == first_virt:
            special.append("emoji")
        specials.append(special)
    return specials


def _add_codings(seed: int, interviews: list[Interview], archetypes: list[str]) -> None:
    """``coder-a``'s codings (the planted segments) for all, ``coder-b``'s for the double-coded subset (in place).

    ``coder-b``'s subset and disagreements come from the stream ``(seed, 7003)``.
    """
    crng = np.random.default_rng([int(seed), 7003])
    n = len(interviews)
    n_double = max(4, int(round(n * 5 / 13))) if n >= 4 else n
    double = _double_coded_subset(crng, archetypes, n_double)
    for j, interview in enumerate(interviews):
        interview.codings["coder-a"] = [Segment(s.start, s.end, s.codes, s.kind) for s in interview.segments]
        if j in double:
            interview.codings["coder-b"] = _second_coder(crng, interview)


def interview_modes(seed: int, n: int) -> list[str]:
    """How each of ``n`` interviews was held, from its own stream ``(seed, 7004)`` (weights in ``INTERVIEW_MODES``)."""
    names = [m for m, _ in interview_script.INTERVIEW_MODES]
    weights = np.array([w for _, w in interview_script.INTERVIEW_MODES])
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
        if not options:  # an archetype the interviews are not written from
            continue
        chosen.append(options[int(rng.integers(len(options)))])
    rest = [j for j in range(len(archetypes)) if j not in chosen]
    extra = rng.permutation(len(rest))[: max(0, k - len(chosen))]
    return set(chosen) | {rest[int(i)] for i in extra}


def _firm_facts(rng: np.random.Generator, archetype: str) -> tuple[int, int, float, str]:
    """Founding year, employees, foreign-sales share and the respondent's role (drawn in this order)."""
    founding = FOUNDING_YEARS[archetype]
    founding_year = int(rng.integers(founding[0], founding[1] + 1))
    employees = int(np.clip(np.round(np.exp(np.log(35) + rng.normal(0, 0.7))), 6, 190))
    share = round(float(rng.uniform(*FOREIGN_SHARE_RANGES[archetype])), 2)
    role = interview_script.ROLES[int(rng.integers(len(interview_script.ROLES)))]
    return founding_year, employees, share, role


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
    """One interview from its own stream: firm facts, planted sentences, turns, top-up, rendered text.

    Parameters
    ----------
    rng
        The interview's stream ``(seed, 7002, j)``.
    number, letter
        Interview number (``INT01``) and firm letter (``Firm A``).
    archetype
        Planted archetype (its profile says how many sentences each code gets).
    descriptor, sector
        Pseudonymised firm descriptor and sector label.
    interview_date, mode
        When and how the interview was held.
    special
        Special-text tags (accented names, emoji) planted in this interview.

    Returns
    -------
    Interview
    """
    founding_year, employees, share, role = _firm_facts(rng, archetype)
    respondent = f"R{number}"
    firm = f"Firm {letter}"
    case_name = f"{firm} ({descriptor})"
    document = f"INT{number:02d}_Firm{letter}"
    per_topic = planted_sentences(rng, interview_script.PROFILES[archetype], special)
    pools = SentencePools(rng)
    header = [
        f"Interview {document} \u2014 {case_name}",
        f"Date: {interview_date} | Mode: {mode} | Interviewer: I1 | Respondent: {respondent}, {role}",
        "Note: names of people and firms are pseudonymised; identifying details have been changed.",
    ]
    turns = interview_turns(rng, per_topic, pools, firm, founding_year, employees, descriptor)
    top_up(rng, turns, pools)
    transcript = render_transcript(header, turns, respondent)
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
        text=transcript.text,
        segments=transcript.segments,
        context=transcript.context,
        turn_sentences=transcript.turn_sentences,
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
        for (s0, e0), (s1, e1) in zip(spans, spans[1:]):  # noqa: B007
            next_end[s0] = e1
    out: list[Segment] = []
    for seg in interview.segments:
        u = rng.random()
        if u < SECOND_CODER_SAME:
            out.append(Segment(seg.start, seg.end, seg.codes, seg.kind))
        elif u < SECOND_CODER_SAME + SECOND_CODER_SHIFT:
            if seg.start in next_end and rng.random() < 0.5:
                out.append(Segment(seg.start, next_end[seg.start], seg.codes, seg.kind))
            else:
                starts = _word_starts(text, seg.start, seg.end)
                new_start = starts[min(len(starts) - 1, int(rng.integers(2, 5)))] if len(starts) > 4 else seg.start
                out.append(Segment(new_start, seg.end, seg.codes, seg.kind))
        elif u < SECOND_CODER_SAME + SECOND_CODER_SHIFT + SECOND_CODER_OTHER_CODE:
            out.append(Segment(seg.start, seg.end, tuple(NEIGHBOUR_CODE[c] for c in seg.codes), seg.kind))
        # else: missed by coder-b
    n_extra = int(rng.integers(1, 4))
    for j in rng.permutation(len(interview.context))[:n_extra]:
        start, end = interview.context[int(j)]
        code = (interview_codes.RES, interview_codes.FOUNDER, interview_codes.CAP, interview_codes.DIG)[
            int(rng.integers(4))
        ]
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
        "planted_codes": {code: counts[code] for code in interview_codes.CODE_PATHS if code in counts},
    }
