"""Configuration chart (Fiss notation) and the joint display of the two studies."""

import pandas as pd
import pytest

from nero.fsqca.chart import configuration_chart, term_conditions
from nero.integration import (
    archetype_match_table,
    archetype_matches_from_results,
    joint_display,
    match_archetypes,
    opposite_poles,
    term_matches,
)

ARCHETYPES = {
    "Institutional Optimizer": {"INST": 1, "EFF": 1},
    "Strategic Explorer": {"INST": 1, "MKT": 1},
    "Platform Optimizer": {"VIRT": 1, "EFF": 1},
    "Agile Global Scaler": {"VIRT": 1, "MKT": 1},
}


def test_term_parsing():
    assert term_conditions("INST*~EFF*CAP") == {"INST": 1, "EFF": 0, "CAP": 1}
    with pytest.raises(ValueError, match="'A\\+B' is not a condition"):
        term_conditions("A+B*C")
    with pytest.raises(ValueError, match="both present and absent"):
        term_conditions("A*~A")


def test_term_parsing_reads_literals_as_parse_expression_does():
    # the parser is fsQCA's (nero.fsqca.fit.parse_expression): spaces around literals, names
    # with dots; each refusal is a ValueError naming the term
    assert term_conditions(" A.1 * ~B ") == {"A.1": 1, "B": 0}
    assert term_conditions("~CAP") == {"CAP": 0}
    for bad, reason in [
        ("A**B", "cannot read ''"),
        ("~~A", "doubled negation"),
        ("A*B(", "cannot read 'B\\('"),
        ("", "empty expression"),
    ]:
        with pytest.raises(ValueError, match=reason):
            term_conditions(bad)
    assert term_conditions("A*B*A*B") == {"A": 1, "B": 1}  # a repeated literal with its sign is kept once


def test_core_and_peripheral_conditions():
    # parsimonious: CAP*INST and VIRT*MKT; intermediate terms add peripheral conditions
    chart = configuration_chart(
        ["INST*EFF*CAP", "VIRT*MKT*~EFF*CAP"], ["INST*CAP", "VIRT*MKT"], ["INST", "VIRT", "EFF", "MKT", "CAP"]
    )
    assert chart["INST*EFF*CAP"].tolist() == ["core present", "", "peripheral present", "", "core present"]
    assert chart["VIRT*MKT*~EFF*CAP"].tolist() == [
        "",
        "core present",
        "peripheral absent",
        "core present",
        "peripheral present",
    ]


def test_chart_appends_fit_rows():
    fit = pd.DataFrame({"inclS": [0.91], "covS": [0.3]}, index=["A*B"])
    chart = configuration_chart(["A*B"], ["A"], ["A", "B"], fit)
    assert list(chart.index) == ["A", "B", "inclS", "covS"]
    assert chart.loc["inclS", "A*B"] == 0.91


def test_archetypes_match_terms_with_extra_conditions_but_not_wrong_signs():
    terms = ["INST*EFF*CAP", "INST*~EFF*MKT*CAP", "VIRT*~MKT*CAP", "EFF*~INST"]
    matches = match_archetypes(ARCHETYPES, terms)
    assert matches == {
        "Institutional Optimizer": ["INST*EFF*CAP"],
        "Strategic Explorer": ["INST*~EFF*MKT*CAP"],
        "Platform Optimizer": [],
        "Agile Global Scaler": [],
    }


def test_joint_display_lists_matches_and_gaps():
    fit = pd.DataFrame(
        {"inclS": [0.9, 0.85, 0.88], "covS": [0.20, 0.15, 0.25], "covU": [0.05, 0.04, 0.06]},
        index=["INST*EFF*CAP", "INST*EFF*MKT*CAP", "~INST*~VIRT*CAP"],
    )
    quotes = pd.DataFrame(
        {
            "archetype": ["Institutional Optimizer"] * 2,
            "rank": [2, 1],
            "case": ["Firm B", "Firm A"],
            "text": ["second", "first"],
        }
    )
    display = joint_display(ARCHETYPES, fit, {"INST*EFF*CAP": 17}, quotes, {"Institutional Optimizer": 4})
    row = display.table.set_index("archetype").loc["Institutional Optimizer"]
    assert row["configuration"] == "INST*EFF*CAP"
    assert row["other_matches"] == ""  # INST*EFF*MKT*CAP joins both orientation poles: no archetype
    assert row["typical_cases"] == 17 and row["exemplar_quote"] == "first" and row["study1_cases"] == 4
    # INST*EFF*MKT*CAP was counted as Institutional Optimizer and Strategic Explorer; it is neither
    assert display.unmatched_archetypes == ["Strategic Explorer", "Platform Optimizer", "Agile Global Scaler"]
    assert display.unmatched_configurations == ["INST*EFF*MKT*CAP", "~INST*~VIRT*CAP"]
    assert "no counterpart" in display.summary()


def test_joint_display_shows_the_higher_raw_coverage_of_two_matches():
    fit = pd.DataFrame(
        {"inclS": [0.9, 0.85], "covS": [0.20, 0.30], "covU": [0.05, 0.04]},
        index=["INST*EFF*CAP", "INST*~VIRT*EFF"],
    )
    row = joint_display(ARCHETYPES, fit, {}).table.set_index("archetype").loc["Institutional Optimizer"]
    assert (row["configuration"], row["other_matches"]) == ("INST*~VIRT*EFF", "INST*EFF*CAP")


def test_opposite_poles_are_read_from_the_two_by_two_typology():
    assert opposite_poles(ARCHETYPES) == {
        "Institutional Optimizer": {"VIRT": 1, "MKT": 1},
        "Strategic Explorer": {"VIRT": 1, "EFF": 1},
        "Platform Optimizer": {"INST": 1, "MKT": 1},
        "Agile Global Scaler": {"INST": 1, "EFF": 1},
    }
    # one archetype alone has no neighbouring cell: nothing is an opposite pole
    assert opposite_poles({"Institutional Optimizer": {"INST": 1, "EFF": 1}}) == {"Institutional Optimizer": {}}
    assert opposite_poles({}) == {}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        # the archetype's conditions only
        ("INST*EFF", True),
        # with a further condition (CAP) and don't-care on both opposite poles
        ("INST*EFF*CAP", True),
        # network axis: opposite pole absent -> matches; present -> does not
        ("INST*~VIRT*EFF*CAP", True),
        ("INST*VIRT*EFF*CAP", False),
        # orientation axis likewise
        ("INST*EFF*~MKT*CAP", True),
        ("INST*EFF*MKT*CAP", False),
        # both opposite poles absent; both present
        ("INST*~VIRT*EFF*~MKT", True),
        ("INST*VIRT*EFF*MKT", False),
        # an archetype condition missing or with the wrong sign
        ("INST*CAP", False),
        ("INST*~EFF*CAP", False),
        ("~INST*EFF*CAP", False),
    ],
)
def test_a_configuration_is_the_institutional_optimizer(term, expected):
    poles = opposite_poles(ARCHETYPES)
    recipe = ARCHETYPES["Institutional Optimizer"]
    assert term_matches(recipe, poles["Institutional Optimizer"], term_conditions(term)) is expected
    assert match_archetypes(ARCHETYPES, [term])["Institutional Optimizer"] == ([term] if expected else [])


def test_a_configuration_joining_both_network_poles_is_neither_optimizer():
    """The contrary process's recipes join INST and VIRT: INST*VIRT*EFF*CAP was counted as the
    Institutional and the Platform Optimizer; it is neither (nor any other archetype)."""
    assert match_archetypes(ARCHETYPES, ["INST*VIRT*EFF*CAP", "INST*VIRT*MKT*CAP"]) == {name: [] for name in ARCHETYPES}
    # each archetype's own cell, with the other poles absent, matches that archetype only
    cells = ["INST*~VIRT*EFF*~MKT", "INST*~VIRT*~EFF*MKT", "~INST*VIRT*EFF*~MKT", "~INST*VIRT*~EFF*MKT"]
    assert match_archetypes(ARCHETYPES, cells) == {name: [cell] for name, cell in zip(ARCHETYPES, cells)}


def test_match_table_lists_every_model_and_term_and_the_esa():
    solutions = pd.DataFrame(
        {
            "outcome": ["SCO"] * 7 + ["~SCO"],
            "solution": ["intermediate"] * 6 + ["parsimonious", "intermediate"],
            "model": ["M1", "M1", "M1", "M2", "M2", "M2", "M1", "M1"],
            "term": [
                "INST*EFF*CAP",
                "VIRT*MKT*CAP",
                "(model)",
                "INST*VIRT*EFF*CAP",
                "INST*~VIRT*EFF*CAP",
                "(model)",
                "INST*CAP",
                "~INST*~VIRT",
            ],
            "inclS": [0.85, 0.93, 0.87, 0.89, 0.84, 0.86, 0.79, 0.95],
        }
    )
    esa = pd.DataFrame(
        {
            "solution": ["intermediate", "conservative"],
            "model": ["M1", "M1"],
            "term": ["INST*VIRT*MKT*CAP", "VIRT*EFF"],
            "inclS": [0.947, 0.9],
        }
    )
    table = archetype_matches_from_results(solutions, esa, ARCHETYPES, "SCO")
    # 4 intermediate SCO terms and 1 ESA term, each beside the 4 archetypes; no (model), parsimonious, ~SCO or conservative rows
    assert len(table) == 5 * 4
    assert list(table.columns) == [
        "solution",
        "model",
        "term",
        "inclS",
        "archetype",
        "defining_conditions",
        "opposite_poles",
        "matched",
    ]
    matched = table[table["matched"]]
    assert sorted(zip(matched["solution"], matched["model"], matched["term"], matched["archetype"])) == [
        ("intermediate", "M1", "INST*EFF*CAP", "Institutional Optimizer"),
        ("intermediate", "M1", "VIRT*MKT*CAP", "Agile Global Scaler"),
        ("intermediate", "M2", "INST*~VIRT*EFF*CAP", "Institutional Optimizer"),
    ]
    # every tied model is listed, the bipolar terms with no match (M2's INST*VIRT*EFF*CAP, the ESA's INST*VIRT*MKT*CAP)
    assert not table[(table["term"] == "INST*VIRT*EFF*CAP")]["matched"].any()
    assert set(table[table["solution"] == "ESA"]["term"]) == {"INST*VIRT*MKT*CAP"}
    row = table[(table["term"] == "INST*EFF*CAP") & (table["archetype"] == "Institutional Optimizer")].iloc[0]
    assert (row["defining_conditions"], row["opposite_poles"], row["inclS"]) == ("INST*EFF", "VIRT*MKT", 0.85)


def test_match_table_of_an_empty_solution_has_no_rows():
    empty = pd.DataFrame({"model": [], "term": [], "inclS": []})
    table = archetype_match_table({"intermediate": empty, "ESA": empty}, ARCHETYPES)
    assert table.empty and list(table.columns)[-1] == "matched"
    only_model_row = pd.DataFrame({"model": ["M1"], "term": ["(model)"], "inclS": [0.9]})
    assert archetype_match_table({"intermediate": only_model_row}, ARCHETYPES).empty
