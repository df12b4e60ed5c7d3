"""Typical and deviant cases (Schneider & Rohlfing, 2013): each zone, each side of .5 and on it."""

import pandas as pd
import pytest

from nero.manuscript.casetypes import (
    DIAGONAL_TOLERANCE,
    case_counts,
    classify_cases,
    solution_membership,
    term_membership,
    typical_cases,
)


@pytest.mark.parametrize(
    "x, y, kind",
    [
        (0.8, 0.9, "typical"),  # above .5 in both, on or above the diagonal
        (0.8, 0.8, "typical"),  # on the diagonal
        (0.8, 0.8 - DIAGONAL_TOLERANCE / 2, "typical"),  # within the stated tolerance below it
        (0.8, 0.8 - 2 * DIAGONAL_TOLERANCE, "deviant in degree"),
        (0.9, 0.6, "deviant in degree"),
        (0.9, 0.4, "deviant in kind"),
        (0.501, 0.499, "deviant in kind"),  # each side of .5
        (0.3, 0.7, "deviant for coverage"),
        (0.3, 0.2, "irrelevant"),
        (0.5, 0.9, "at the crossover"),  # exactly .5 is in neither set
        (0.9, 0.5, "at the crossover"),
    ],
)
def test_case_types_at_their_edges(x, y, kind):
    assert classify_cases(pd.Series([x]), pd.Series([y])).iloc[0] == kind


def test_missing_membership_is_an_error():
    with pytest.raises(ValueError, match="membership for every case"):
        classify_cases(pd.Series([0.7, None]), pd.Series([0.8, 0.9]))


MEMBERS = pd.DataFrame(
    {
        "firm_code": ["A", "B", "C", "D"],
        "INST": [0.9, 0.8, 0.7, 0.2],
        "EFF": [0.2, 0.6, 0.9, 0.9],
        "SCO": [0.95, 0.7, 0.3, 0.9],
    }
)


def test_term_membership_is_the_fuzzy_and_with_negation():
    assert term_membership(MEMBERS, "INST*~EFF").round(6).tolist() == [0.8, 0.4, 0.1, 0.1]
    assert solution_membership(MEMBERS, ["INST*~EFF", "EFF"]).round(6).tolist() == [0.8, 0.6, 0.9, 0.9]
    with pytest.raises(ValueError, match="condition 'VIRT' is not a membership column"):
        term_membership(MEMBERS, "INST*VIRT")


def test_counts_and_typical_cases_by_hand():
    # INST*EFF: A .2 (out), B .6 with SCO .7 (typical), C .7 with SCO .3 (deviant in kind), D .2 with SCO .9 (coverage)
    counts = case_counts(MEMBERS, "INST*EFF", "SCO")
    assert counts == {
        "typical": 1,
        "deviant in degree": 0,
        "deviant in kind": 1,
        "deviant for coverage": 2,
        "irrelevant": 0,
        "members": 2,
    }
    assert typical_cases(MEMBERS, "INST*EFF", "SCO") == ["B"]
    # the negated outcome: ~SCO = .05, .3, .7, .1 -> C is typical of INST*EFF for ~SCO
    assert typical_cases(MEMBERS, "INST*EFF", "~SCO") == ["C"]
    assert case_counts(MEMBERS.iloc[:0], "INST", "SCO")["members"] == 0  # no cases: zero counts
