"""The joint display of Study 1 and Study 2: each interview archetype beside its fsQCA configuration.

A configuration's terms are read by :func:`nero.fsqca.chart.term_conditions`; a configuration is an
archetype when it holds the archetype's conditions and not the opposite pole of either axis
(:func:`term_matches`).
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


def opposite_poles(archetypes: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """For each archetype, the conditions at the opposite pole of one of its typology's axes.

    The Study-1 archetypes are the cells of a typology (2 x 2: network institutional vs
    virtual, orientation efficiency vs market). The opposite pole of an archetype's condition
    ``c`` is read from the typology itself: a condition ``d`` such that replacing ``c`` by ``d``
    gives another archetype (Institutional Optimizer ``INST*EFF``: ``VIRT`` from Platform
    Optimizer ``VIRT*EFF``, ``MKT`` from Strategic Explorer ``INST*MKT``). Reading the axes from
    the archetypes keeps one source (config ``integration.archetypes``) for both.

    Returns
    -------
    dict
        ``{archetype: {condition: sign}}``, the opposite-pole conditions with the sign that
        would place a configuration in a neighbouring cell.
    """
    out: dict[str, dict[str, int]] = {}
    for name, recipe in archetypes.items():
        opposite: dict[str, int] = {}
        for condition in recipe:  # in the archetype's order of conditions (its axes)
            for other_name, other in archetypes.items():
                if other_name == name or len(other) != len(recipe):
                    continue
                dropped = [k for k, v in recipe.items() if other.get(k) != v]
                added = {k: v for k, v in other.items() if recipe.get(k) != v}
                if dropped == [condition] and len(added) == 1:
                    opposite.update(added)
        out[name] = opposite
    return out


def term_matches(recipe: Mapping[str, int], opposite: Mapping[str, int], conditions: Mapping[str, int]) -> bool:
    """Whether one configuration (``{condition: sign}``) is the archetype ``recipe``.

    It is when it holds every condition of the archetype with the archetype's sign and does
    not require the opposite pole of either axis (an opposite condition with its sign, e.g.
    ``VIRT`` present for the Institutional Optimizer). The opposite pole absent (``~VIRT``) or
    not named (don't care) is fine; further conditions (e.g. ``CAP``) are fine. A configuration
    that joins both poles of an axis (``INST*VIRT*EFF``) is no single cell of the typology.
    """
    return all(conditions.get(k) == v for k, v in recipe.items()) and not any(
        conditions.get(k) == v for k, v in opposite.items()
    )


def match_archetypes(archetypes: Mapping[str, Mapping[str, int]], terms: Sequence[str]) -> dict[str, list[str]]:
    """For each archetype, the solution terms that match it (:func:`term_matches`).

    A term matches an archetype when every condition the archetype names appears in the
    term with the same sign and no condition of the opposite pole of either axis
    (:func:`opposite_poles`) is required; the term may hold further (e.g. peripheral)
    conditions.
    """
    parsed = {t: term_conditions(t) for t in terms}
    poles = opposite_poles(archetypes)
    return {
        name: [t for t, conds in parsed.items() if term_matches(recipe, poles[name], conds)]
        for name, recipe in archetypes.items()
    }


MATCH_COLUMNS = ["solution", "model", "term", "inclS", "archetype", "defining_conditions", "opposite_poles", "matched"]


def _literal_text(conditions: Mapping[str, int]) -> str:
    return "*".join(("" if v else "~") + k for k, v in conditions.items())


def archetype_match_table(
    solutions: Mapping[str, pd.DataFrame], archetypes: Mapping[str, Mapping[str, int]]
) -> pd.DataFrame:
    """Every (model, term, archetype) of the named solutions with whether the term matches it.

    Parameters
    ----------
    solutions
        ``{name: rows}``: the solution rows of each named solution (e.g. the intermediate
        models of ``fsqca/solutions.csv`` and of ``fsqca/solutions_esa.csv`` for one outcome),
        with columns ``model``, ``term`` and ``inclS``; ``(model)`` rows are skipped.
    archetypes
        ``integration.archetypes`` of the config.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MATCH_COLUMNS`, one row per term and archetype; ``matched`` by
        :func:`match_archetypes`. The claim ``integration.archetypes_matched`` counts these
        rows, so the joint display and the claim share one definition. A solution with no
        term gives no rows.
    """
    poles = opposite_poles(archetypes)
    rows = []
    for solution, frame in solutions.items():
        for model, term, incl in frame[frame["term"] != "(model)"][["model", "term", "inclS"]].itertuples(index=False):
            matches = match_archetypes(archetypes, [str(term)])
            for name in archetypes:
                rows.append(
                    {
                        "solution": solution,
                        "model": str(model),
                        "term": str(term),
                        "inclS": float(incl),
                        "archetype": name,
                        "defining_conditions": _literal_text(archetypes[name]),
                        "opposite_poles": _literal_text(poles[name]),
                        "matched": bool(matches[name]),
                    }
                )
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)


def archetype_matches_from_results(
    solutions: pd.DataFrame, esa: pd.DataFrame, archetypes: Mapping[str, Mapping[str, int]], outcome: str
) -> pd.DataFrame:
    """:func:`archetype_match_table` of every tied intermediate model of ``fsqca/solutions.csv``
    (outcome ``outcome``) and of ``fsqca/solutions_esa.csv`` (its intermediate models, which are
    for the study's outcome), named ``intermediate`` and ``ESA``."""
    main = solutions[(solutions["outcome"] == outcome) & (solutions["solution"] == "intermediate")]
    enhanced = esa[esa["solution"] == "intermediate"]
    return archetype_match_table({"intermediate": main, "ESA": enhanced}, archetypes)


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
