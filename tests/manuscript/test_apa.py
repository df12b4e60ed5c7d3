"""APA rounding (APA Publication Manual, 7th ed., section 6.36): rules checked case by case."""

import numpy as np
import pandas as pd
import pytest

from nero.manuscript import apa


@pytest.mark.parametrize(
    "value, text",
    [
        (0.0004, "< .001"),
        (0.0, "< .001"),
        (0.001, ".001"),
        (0.0494, ".049"),
        (0.05, ".050"),
        (0.2762, ".276"),
        (0.9996, "> .999"),
        (np.nan, ""),
        (None, ""),
        ("0.03", ".030"),
    ],
)
def test_p_values(value, text):
    assert apa.format_p(value) == text


@pytest.mark.parametrize(
    "value, digits, text",
    [
        (0.8526, 2, ".85"),
        (-0.1234, 2, "-.12"),
        (-0.001, 2, ".00"),
        (1.0, 2, "1.00"),
        (0.99584, 3, ".996"),
        (1.04, 2, "1.04"),
    ],
)
def test_bounded_statistics_have_no_leading_zero(value, digits, text):
    assert apa.format_bounded(value, digits) == text


def test_other_statistics_counts_and_stars():
    assert apa.format_decimal(349.93050, 2) == "349.93" and apa.format_decimal(-0.004, 2) == "0.00"
    assert apa.format_int(218.0) == "218" and apa.format_int("n/a") == "n/a"
    assert [apa.stars(p) for p in (0.0009, 0.009, 0.049, 0.05, None)] == ["***", "**", "*", "", ""]


def test_column_names_choose_the_format():
    frame = pd.DataFrame(
        {
            "p": [1e-9],
            "cfi": [0.995843],
            "chi2": [85.30552],
            "df": [335.0],
            "term": ["INST*EFF"],
            "inclS": [0.9467072324],
            "ok": [True],
            "value": [1.23456789012345],
        }
    )
    out = apa.format_frame(frame)
    assert out.iloc[0].tolist() == ["< .001", ".996", "85.31", "335", "INST*EFF", ".947", "Yes", "1.23"]
    counts = apa.format_frame(pd.DataFrame({"hits": [20.0, np.nan], "b": [2.0, 0.5]}))
    assert counts["hits"].tolist() == ["20", ""] and counts["b"].tolist() == ["2.00", "0.50"]


def test_unknown_format_is_named():
    with pytest.raises(KeyError, match="column 'x'.*'bogus'"):
        apa.format_frame(pd.DataFrame({"x": [1.0]}), {"x": "bogus"})
