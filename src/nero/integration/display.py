"""The joint display of Study 1 and Study 2: each interview archetype beside its fsQCA configuration.

A configuration's terms are read by :func:`nero.fsqca.chart.term_conditions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from nero.fsqca.chart import term_conditions


@dataclass
class JointDisplay:
    """Each Study-1 archetype beside the Study-2 configuration that corresponds to it."""

    table: pd.DataFrame
    unmatched_archetypes: list[str] = field(default_factory=list)
    unmatched_configurations: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def summary(self) -> str:
        lines = ["Joint display (Study 1 archetype -> Study 2 configuration)"]
        for row in self.table.itertuples():
            config = (
                row.configuration if isinstance(row.configuration, str) and row.configuration else "(no counterpart)"
            )
            lines.append(
                f"  {row.archetype:<24} {config:<28} incl {row.consistency:.3f}  cov {row.raw_coverage:.3f}  typical cases {row.typical_cases}"
            )
        if self.unmatched_configurations:
            lines.append("  configurations with no archetype: " + ", ".join(self.unmatched_configurations))
        return "\n".join(lines)


def match_archetypes(archetypes: Mapping[str, Mapping[str, int]], terms: Sequence[str]) -> dict[str, list[str]]:
    """For each archetype, the solution terms that contain its defining conditions (same signs).

    A term matches an archetype when every condition the archetype names appears in the
    term with the same sign; the term may hold further (e.g. peripheral) conditions.
    """
    parsed = {t: term_conditions(t) for t in terms}
    return {
        name: [t for t, conds in parsed.items() if all(conds.get(k) == v for k, v in recipe.items())]
        for name, recipe in archetypes.items()
    }


def joint_display(
    archetypes: Mapping[str, Mapping[str, int]],
    term_fit: pd.DataFrame,
    typical_cases: Mapping[str, int],
    quotes: pd.DataFrame | None = None,
    study1_cases: Mapping[str, int] | None = None,
) -> JointDisplay:
    """Build the joint display.

    Parameters
    ----------
    archetypes
        ``{archetype: {condition: 1 or 0}}``, the conditions that define each Study-1 archetype.
    term_fit
        Fit of the Study-2 solution terms (index: term; columns ``inclS``, ``covS``, ``covU``).
    typical_cases
        Number of typical cases per term (membership in the term and in the outcome above 0.5).
    quotes
        Study-1 exemplar quotes (columns ``archetype``, ``rank``, ``case``, ``text``); the
        top-ranked quote of each archetype is shown.
    study1_cases
        Number of Study-1 cases assigned to each archetype.

    When several terms match one archetype, the one with the highest raw coverage is
    shown and the others are listed in ``other_matches``.
    """
    matches = match_archetypes(archetypes, list(term_fit.index))
    rows = []
    used = set()
    for name in archetypes:
        found = sorted(matches[name], key=lambda t: (-float(term_fit.loc[t, "covS"]), t))
        best = found[0] if found else ""
        used.update(found)
        quote = case = ""
        if quotes is not None and len(quotes):
            top = quotes[quotes["archetype"] == name].sort_values("rank")
            if len(top):
                quote, case = str(top.iloc[0]["text"]), str(top.iloc[0]["case"])
        rows.append(
            {
                "archetype": name,
                "defining_conditions": "*".join(("" if v else "~") + k for k, v in archetypes[name].items()),
                "study1_cases": int((study1_cases or {}).get(name, 0)),
                "configuration": best,
                "other_matches": "; ".join(found[1:]),
                "consistency": float(term_fit.loc[best, "inclS"]) if best else float("nan"),
                "raw_coverage": float(term_fit.loc[best, "covS"]) if best else float("nan"),
                "unique_coverage": float(term_fit.loc[best, "covU"]) if best and "covU" in term_fit else float("nan"),
                "typical_cases": int(typical_cases.get(best, 0)) if best else 0,
                "exemplar_quote": quote,
                "quote_case": case,
            }
        )
    table = pd.DataFrame(rows)
    return JointDisplay(
        table=table,
        unmatched_archetypes=[r["archetype"] for r in rows if not r["configuration"]],
        unmatched_configurations=sorted(t for t in term_fit.index if t not in used),
    )


def joint_display_from_results(
    solutions: pd.DataFrame,
    xy: pd.DataFrame,
    archetypes: Mapping[str, Mapping[str, int]],
    outcome: str,
    typology: pd.DataFrame | None = None,
    quotes: pd.DataFrame | None = None,
) -> JointDisplay:
    """The joint display from the written results of the two studies.

    Parameters
    ----------
    solutions
        ``results/fsqca/solutions.csv``; the first intermediate model for ``outcome`` is used.
    xy
        ``results/fsqca/xy_memberships.csv``: case memberships in each term and the outcome.
    archetypes
        ``integration.archetypes`` of the config.
    typology, quotes
        Study 1's ``typology.csv`` and ``exemplar_quotes.csv``.
    """
    main = solutions[
        (solutions["outcome"] == outcome) & (solutions["solution"] == "intermediate") & (solutions["model"] == "M1")
    ]
    terms = main[main["term"] != "(model)"].set_index("term")[["inclS", "PRI", "covS", "covU"]].astype(float)
    if terms.empty:
        raise ValueError(f"solutions: no intermediate model M1 for outcome {outcome!r}")
    y = xy[outcome].to_numpy(dtype=float)
    typical = {t: int(((xy[t].to_numpy(dtype=float) > 0.5) & (y > 0.5)).sum()) for t in terms.index if t in xy}
    counts = typology["archetype"].value_counts().to_dict() if typology is not None else None
    return joint_display(archetypes, terms, typical, quotes, counts)
