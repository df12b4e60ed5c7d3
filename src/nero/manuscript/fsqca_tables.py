"""fsQCA thesis tables in print form: the solutions (counts, not firm lists), the
configuration chart in Fiss notation, and the joint display with typical and deviant cases.

Case types follow one definition (:mod:`nero.manuscript.casetypes`, Schneider & Rohlfing,
2013), shared with the Playbook.
"""

from __future__ import annotations

import pandas as pd

from nero.manuscript.casetypes import case_counts, solution_membership
from nero.manuscript.survey_tables import ThesisTable, _require

#: Fiss (2011) notation of a configuration chart cell.
FISS = {
    "core present": "\u25cf",
    "peripheral present": "\u2022",
    "core absent": "\u2297",
    "peripheral absent": "\u2298",
}
FIT_LABELS = {
    "inclS": "Consistency",
    "PRI": "PRI",
    "covS": "Raw coverage",
    "covU": "Unique coverage",
    "solution inclS": "Solution consistency",
    "solution covS": "Solution coverage",
}
SOLUTION_LABELS = {"conservative": "Conservative", "parsimonious": "Parsimonious", "intermediate": "Intermediate"}


def solutions_table(solutions: pd.DataFrame, memberships: pd.DataFrame) -> ThesisTable:
    """Every term of every solution with its fit and case counts (the firm lists go to the supplement).

    Columns: Solution, Model, Configuration, Consistency, PRI, Raw coverage, Unique coverage,
    Cases (n) (membership above .5), Typical (n), Deviant in kind (n).
    """
    _require(solutions, ["outcome", "solution", "model", "term", "inclS", "PRI", "covS", "covU"], "fsQCA solutions")
    keys = [c for c in ("outcome", "solution", "n_models", "model") if c in solutions.columns]
    rows = []
    for row in solutions.itertuples(index=False):
        if row.term == "(model)":  # the whole solution: fuzzy OR of the model's terms
            same = (solutions[keys] == pd.Series(row._asdict())[keys]).all(axis=1) & (solutions["term"] != "(model)")
            counts = case_counts(
                memberships, solution_membership(memberships, list(solutions.loc[same, "term"])), row.outcome
            )
            label = "Solution"
        else:
            counts = case_counts(memberships, row.term, row.outcome)
            label = row.term
        rows.append(
            {
                "Solution": SOLUTION_LABELS.get(row.solution, row.solution),
                "Model": row.model,
                "Configuration": label,
                "Consistency": row.inclS,
                "PRI": row.PRI,
                "Raw coverage": row.covS,
                "Unique coverage": row.covU,
                "Cases (n)": counts["members"],
                "Typical (n)": counts["typical"],
                "Deviant in kind (n)": counts["deviant in kind"],
            }
        )
    frame = pd.DataFrame(rows)
    return ThesisTable(
        frame,
        {
            "Consistency": "bounded3",
            "PRI": "bounded3",
            "Raw coverage": "bounded3",
            "Unique coverage": "bounded3",
            "Cases (n)": "int",
            "Typical (n)": "int",
            "Deviant in kind (n)": "int",
        },
        {"terms": len(frame)},
    )


def configuration_chart(chart: pd.DataFrame) -> ThesisTable:
    """The configuration chart in Fiss notation, configurations in order of raw coverage (largest first).

    Condition cells become symbols (``FISS``), a blank cell stays blank (either way); fit rows are
    rounded as bounded statistics.

    Raises
    ------
    ValueError
        A condition cell that is not one of the four Fiss states or blank (named with row and column).
    """
    _require(chart, ["condition"], "configuration chart")
    body = chart.set_index("condition")
    configurations = [c for c in chart.columns if c != "condition"]
    if "covS" in body.index:
        configurations.sort(key=lambda c: -float(body.at["covS", c]))
    rows = []
    for condition in body.index:
        fit = condition in FIT_LABELS
        row = {"Condition": FIT_LABELS.get(condition, condition)}
        for configuration in configurations:
            value = body.at[condition, configuration]
            if fit:
                row[configuration] = "" if pd.isna(value) else _bounded(value)
            elif pd.isna(value) or str(value).strip() == "":
                row[configuration] = ""
            elif str(value).strip() in FISS:
                row[configuration] = FISS[str(value).strip()]
            else:
                raise ValueError(
                    f"configuration chart: cell ({condition}, {configuration}) is {value!r}; expected one of {sorted(FISS)} or blank"
                )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["Condition"] + configurations)
    return ThesisTable(frame, {c: "text" for c in frame.columns}, {"configurations": len(configurations)})


def _bounded(value: object) -> str:
    from nero.manuscript import apa

    return apa.format_bounded(value, 3)


def joint_display_table(
    joint: pd.DataFrame, memberships: pd.DataFrame, outcome: str, quotes: pd.DataFrame | None = None
) -> ThesisTable:
    """Study 1 strategies beside their configurations, with typical and deviant case counts.

    ``quotes``: the exemplar quotes attributable to one firm
    (:func:`nero.manuscript.qual_tables.single_case_quotes`), best first; a strategy's quote is
    its first one there (the joint display's own quote when not given).

    Columns: Strategy, Defining conditions, Study 1 cases (n), Configuration, Consistency,
    Raw coverage, Unique coverage, Typical cases (n), Deviant cases (n), Exemplar quote, Quote from.
    """
    _require(
        joint,
        [
            "archetype",
            "defining_conditions",
            "study1_cases",
            "configuration",
            "consistency",
            "raw_coverage",
            "unique_coverage",
            "exemplar_quote",
            "quote_case",
        ],
        "joint display",
    )
    rows = []
    for row in joint.itertuples(index=False):
        matched = isinstance(row.configuration, str) and row.configuration.strip() != ""
        counts = case_counts(memberships, row.configuration, outcome) if matched else {}
        quote, quote_case = row.exemplar_quote, row.quote_case
        if quotes is not None:
            own = quotes[quotes["archetype"] == row.archetype].head(1)
            quote, quote_case = (own.iloc[0]["text"], own.iloc[0]["case"]) if not own.empty else ("", "")
        rows.append(
            {
                "Strategy": row.archetype,
                "Defining conditions": row.defining_conditions,
                "Study 1 cases (n)": row.study1_cases,
                "Configuration": row.configuration if matched else "none",
                "Consistency": row.consistency,
                "Raw coverage": row.raw_coverage,
                "Unique coverage": row.unique_coverage,
                "Typical cases (n)": counts.get("typical"),
                "Deviant cases (n)": counts.get("deviant in kind"),
                "Exemplar quote": quote,
                "Quote from": quote_case,
            }
        )
    frame = pd.DataFrame(rows)
    return ThesisTable(
        frame,
        {
            "Study 1 cases (n)": "int",
            "Consistency": "bounded3",
            "Raw coverage": "bounded3",
            "Unique coverage": "bounded3",
            "Typical cases (n)": "int",
            "Deviant cases (n)": "int",
        },
        {"strategies": len(frame)},
    )
