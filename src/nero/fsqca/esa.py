"""The enhanced standard analysis (Schneider & Wagemann 2012).

Minimize without untenable, contradictory or necessity-contradicting simplifying
assumptions: contradictory simplifying assumptions (remainders used by the solutions of
both ``Y`` and ``~Y``), remainders outside a condition claimed necessary, and remainders
declared untenable are excluded before minimizing again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from nero.fsqca._errors import FsqcaError
from nero.fsqca.fit import parse_expression
from nero.fsqca.minimization import DEFAULT_MAX_MODELS, minimize, minimize_all
from nero.fsqca.solution import Solution
from nero.fsqca.truthtable import TruthTable, rows_matching


def contradictory_simplifying_assumptions(solution: Solution, negated: Solution) -> list[int]:
    """Remainders (R row numbers) assumed to produce both the outcome and its negation.

    Parameters
    ----------
    solution, negated : Solution
        Parsimonious (or intermediate) solutions for ``Y`` and ``~Y`` on the same conditions.
    """
    if list(solution.conditions) != list(negated.conditions):
        raise FsqcaError("the two solutions use different conditions; expected the same conditions for Y and ~Y")
    a: set[int] = set()
    for i in range(len(solution.models)):
        a.update(solution.simplifying_assumptions(i))
    b: set[int] = set()
    for i in range(len(negated.models)):
        b.update(negated.simplifying_assumptions(i))
    return sorted(a & b)


def remainders_contradicting_necessity(tt: TruthTable, necessary: Iterable[str]) -> list[int]:
    """Remainders (R row numbers) outside a condition claimed necessary (e.g. ``"A"``, ``"B + ~C"``)."""
    observed = set(tt.observed_codes.tolist()) | set(tt.positive_codes.tolist())
    out: set[int] = set()
    everything = set(range(1 << tt.k))
    for expr in necessary:
        inside = set(rows_matching(expr, tt.conditions).tolist())
        out.update(r for r in everything - inside if r not in observed)
    return sorted(r + 1 for r in out)


def untenable_remainders(tt: TruthTable, untenable: Iterable[str]) -> list[int]:
    """Remainders (R row numbers) inside expressions declared untenable (e.g. ``"A*~B"``)."""
    observed = set(tt.observed_codes.tolist()) | set(tt.positive_codes.tolist())
    out: set[int] = set()
    for expr in untenable:
        parse_expression(expr, tt.conditions)
        out.update(r for r in rows_matching(expr, tt.conditions).tolist() if r not in observed)
    return sorted(r + 1 for r in out)


@dataclass
class EnhancedStandardAnalysis:
    """Solutions after excluding problematic remainders (Schneider & Wagemann's ESA)."""

    solutions: dict[str, Solution]
    excluded: dict[str, list[int]]

    @property
    def excluded_rows(self) -> list[int]:
        return sorted({r for rows in self.excluded.values() for r in rows})

    def to_frame(self) -> pd.DataFrame:
        return pd.concat({k: s.to_frame() for k, s in self.solutions.items()}, names=["solution", None])

    def to_dict(self) -> dict:
        return {
            "excluded": self.excluded,
            "excluded_rows": self.excluded_rows,
            "solutions": {k: s.to_dict() for k, s in self.solutions.items()},
        }

    def summary(self) -> str:
        lines = ["enhanced standard analysis"]
        for reason, rows in self.excluded.items():
            lines.append(f"  excluded ({reason}): {', '.join(map(str, rows)) or 'none'}")
        for s in self.solutions.values():
            lines.append(s.summary())
        return "\n".join(lines)


def enhanced_standard_analysis(
    tt: TruthTable,
    negated: TruthTable | None = None,
    *,
    necessary: Iterable[str] = (),
    untenable: Iterable[str] = (),
    dir_exp=None,
    max_models: int = DEFAULT_MAX_MODELS,
) -> EnhancedStandardAnalysis:
    """Enhanced standard analysis: minimize without untenable or contradictory assumptions.

    Parameters
    ----------
    tt : TruthTable
        Truth table of the outcome.
    negated : TruthTable, optional
        Truth table of the negated outcome (``truth_table(data, "~Y", ...)``); when given,
        contradictory simplifying assumptions (used by both parsimonious solutions) are
        excluded (none when no row of the negated outcome passes the cuts).
    necessary : iterable of str
        Conditions (or disjunctions) claimed necessary: remainders outside them are excluded.
    untenable : iterable of str
        Expressions naming impossible or untenable remainders.
    dir_exp : optional
        Directional expectations (adds the intermediate solution).
    """
    excluded: dict[str, list[int]] = {}
    if negated is not None:
        # no row of the negated outcome passes the cuts: it has no solution, so no remainder
        # can be assumed for both
        excluded["contradictory simplifying assumptions"] = (
            []
            if negated.positive_codes.size == 0
            else (
                contradictory_simplifying_assumptions(
                    minimize(tt, "parsimonious", max_models=max_models),
                    minimize(negated, "parsimonious", max_models=max_models),
                )
            )
        )
    necessary = list(necessary)
    if necessary:
        excluded["contradict a necessity claim"] = remainders_contradicting_necessity(tt, necessary)
    untenable = list(untenable)
    if untenable:
        excluded["untenable"] = untenable_remainders(tt, untenable)
    rows = sorted({r for v in excluded.values() for r in v})
    sols = minimize_all(tt, dir_exp=dir_exp, exclude=rows, max_models=max_models)
    return EnhancedStandardAnalysis(solutions=sols, excluded=excluded)
