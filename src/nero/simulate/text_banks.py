"""Sentence banks for the synthetic Study 1 interview transcripts (one import for all of them).

The text lives in three modules, by what it is for:

- :mod:`nero.simulate.interview_codes`: the code paths of the Study 1 codebook and
  their definitions;
- :mod:`nero.simulate.interview_sentences`: the ``pro`` / ``con`` sentence banks per
  code, their slot values, the non-ASCII sentences and the codebook examples
  (:func:`code_description`);
- :mod:`nero.simulate.interview_script`: questions, context and closing sentences,
  topics, the planted evidence per archetype, firm descriptors, roles and modes.

This module re-exports every name so that ``from nero.simulate import text_banks as tb``
keeps working. Everything here is invented for the synthetic stand-in study.
"""

from __future__ import annotations

from nero.simulate.interview_codes import (
    ASSOC,
    CAP,
    CODE_DEFINITIONS,
    CODE_PATHS,
    DIG,
    ECOM,
    EFF,
    FOUNDER,
    GOV,
    GRANT,
    MKT,
    PARTNER,
    REG,
    RES,
    SCO,
    SOCIAL,
)
from nero.simulate.interview_script import (
    CLOSINGS,
    CODE_TOPIC,
    CONTEXT,
    INTERVIEW_MODES,
    PROFILES,
    QUESTIONS,
    ROLES,
    SECTORS,
    TOPICS,
)
from nero.simulate.interview_sentences import ACCENTED_SENTENCES, BANK, EMOJI_SENTENCE, SLOTS, _first_fill, code_description

__all__ = [
    "ACCENTED_SENTENCES",
    "ASSOC",
    "BANK",
    "CAP",
    "CLOSINGS",
    "CODE_DEFINITIONS",
    "CODE_PATHS",
    "CODE_TOPIC",
    "CONTEXT",
    "DIG",
    "ECOM",
    "EFF",
    "EMOJI_SENTENCE",
    "FOUNDER",
    "GOV",
    "GRANT",
    "INTERVIEW_MODES",
    "MKT",
    "PARTNER",
    "PROFILES",
    "QUESTIONS",
    "REG",
    "RES",
    "ROLES",
    "SCO",
    "SECTORS",
    "SLOTS",
    "SOCIAL",
    "TOPICS",
    "code_description",
]
