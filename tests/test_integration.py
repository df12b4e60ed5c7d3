"""Configuration chart (Fiss notation) and the joint display of the two studies."""

import pandas as pd
import pytest

from nero.fsqca.chart import configuration_chart, term_conditions
from nero.integration import joint_display, match_archetypes

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
    assert row["configuration"] == "INST*EFF*CAP"  # the higher raw coverage of the two matches
    assert row["other_matches"] == "INST*EFF*MKT*CAP"
    assert row["typical_cases"] == 17 and row["exemplar_quote"] == "first" and row["study1_cases"] == 4
    assert display.unmatched_archetypes == ["Platform Optimizer", "Agile Global Scaler"]
    assert display.unmatched_configurations == ["~INST*~VIRT*CAP"]
    assert "no counterpart" in display.summary()
