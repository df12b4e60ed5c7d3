"""Codebook, frequencies, case-by-theme matrix, co-occurrence and saturation on a hand-made study."""

from __future__ import annotations

import pandas as pd
import pytest

from nero.qual.analysis import case_theme_matrix, code_cooccurrence, code_frequencies, codebook_table, saturation_curve
from nero.qual.data import analysis_codes, coder_selections, interview_order
from nero.qual.project import CODEBOOK_COLUMNS, SELECTION_COLUMNS

CODES = ["A", "A/x", "A/y", "B"]


def codebook() -> pd.DataFrame:
    rows = [
        {
            "code_path": p,
            "name": p.rsplit("/", 1)[-1],
            "parent": p.rsplit("/", 1)[0] if "/" in p else "",
            "depth": p.count("/") + 1,
            "is_codable": True,
            "color": "",
            "description": f"about {p}",
            "guid": "",
        }
        for p in CODES
    ]
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def selections(rows) -> pd.DataFrame:
    records = []
    for i, (case, code, start, end, coder) in enumerate(rows):
        records.append(
            {
                "selection": f"s{i}",
                "source": f"S-{case}",
                "source_guid": f"S-{case}",
                "case": case,
                "code_path": code,
                "code_guid": code,
                "coder": coder,
                "start": start,
                "end": end,
                "raw_start": start,
                "raw_end": end,
                "text": f"segment {i}",
            }
        )
    return pd.DataFrame(records, columns=SELECTION_COLUMNS)


SELECTIONS = selections(
    [
        ("C1", "A/x", 0, 10, "coder-a"),
        ("C1", "B", 5, 15, "coder-a"),
        ("C1", "A/y", 20, 30, "coder-a"),
        ("C2", "A/x", 0, 5, "coder-a"),
        ("C2", "A/x", 10, 20, "coder-a"),
        ("C3", "B", 0, 10, "coder-a"),
        ("C3", "A/x", 8, 12, "coder-a"),
        ("C3", "B", 30, 40, "coder-a"),
        ("C1", "A/x", 0, 10, "coder-b"),
    ]
)

CASES = pd.DataFrame(
    {
        "case": ["C1", "C2", "C3", "C4"],
        "case_guid": ["", "", "", ""],
        "sources": ["S-C1", "S-C2", "S-C3", "S-C4"],
        "interview_date": ["2024-01-03", "2024-01-01", "2024-01-02", None],
    }
)


def test_interview_order_by_date_then_undated_last():
    order = interview_order(CASES)
    assert order["case"].tolist() == ["C2", "C3", "C1", "C4"]
    assert order["order"].tolist() == [1, 2, 3, 4]
    assert order["interview_date"].tolist() == ["2024-01-01", "2024-01-02", "2024-01-03", ""]


def test_analysis_codes_are_the_leaves():
    assert analysis_codes(codebook(), SELECTIONS) == ["A/x", "A/y", "B"]


def test_unknown_coder_is_an_error_naming_the_coders():
    with pytest.raises(ValueError, match=r"coder 'coder-z' has no codings \(coders in the project: coder-a, coder-b\)"):
        coder_selections(SELECTIONS, "coder-z")


def test_codebook_table():
    table = codebook_table(codebook(), SELECTIONS, "coder-a").set_index("code_path")
    assert table.loc["A", ["segments", "segments_with_subcodes", "cases", "characters"]].tolist() == [0, 5, 3, 0]
    assert table.loc["A/x", ["segments", "segments_with_subcodes", "cases", "characters"]].tolist() == [4, 4, 3, 29]
    assert table.loc["B", ["segments", "cases", "characters"]].tolist() == [3, 2, 30]
    assert table.loc["A/x", "coders"] == "coder-a;coder-b"
    assert table.loc["B", "coders"] == "coder-a"
    assert table.loc["A/y", "theme"] == "A" and table.loc["A/y", "description"] == "about A/y"


def test_code_frequencies_long_with_zeros():
    freq = code_frequencies(SELECTIONS, codebook(), CASES, "coder-a")
    assert len(freq) == 4 * 3
    c3 = freq[freq["case"] == "C3"].set_index("code_path")
    assert c3["segments"].tolist() == [1, 0, 2]
    assert c3["characters"].tolist() == [4, 0, 20]
    assert c3["share_of_case"].round(6).tolist() == [0.333333, 0.0, 0.666667]
    assert freq[freq["case"] == "C4"]["segments"].sum() == 0


def test_case_theme_matrix():
    matrix = case_theme_matrix(SELECTIONS, codebook(), CASES, "coder-a")
    assert matrix.columns.tolist() == ["case", "A/x", "A/y", "B", "total"]
    assert matrix.values.tolist() == [
        ["C2", 2, 0, 0, 2],
        ["C3", 1, 0, 2, 3],
        ["C1", 1, 1, 1, 3],
        ["C4", 0, 0, 0, 0],
    ]


def test_code_cooccurrence():
    table = code_cooccurrence(SELECTIONS, codebook(), "coder-a")
    assert table[["code_a", "code_b"]].values.tolist() == [["A/x", "A/y"], ["A/x", "B"], ["A/y", "B"]]
    row = table.iloc[1]
    assert (row["cooccurrences"], row["sources"], row["segments_a"], row["segments_b"]) == (2, 2, 4, 3)
    assert row["c_coefficient"] == pytest.approx(2 / (4 + 3 - 2))
    assert table.iloc[0]["cooccurrences"] == 0 and table.iloc[2]["cooccurrences"] == 0


def test_touching_segments_do_not_cooccur():
    touching = selections([("C1", "A/x", 0, 10, "coder-a"), ("C1", "B", 10, 20, "coder-a")])
    assert code_cooccurrence(touching, codebook(), "coder-a")["cooccurrences"].sum() == 0


def test_saturation_curve_and_guest_namey_chen_point():
    result = saturation_curve(SELECTIONS, codebook(), CASES, "coder-a", base_size=2, run_length=1, threshold=0.05)
    table = result.table
    assert table["case"].tolist() == ["C2", "C3", "C1", "C4"]
    assert table["new_codes"].tolist() == [1, 1, 1, 0]
    assert table["cumulative_codes"].tolist() == [1, 2, 3, 3]
    assert table["new_code_paths"].tolist() == ["A/x", "B", "A/y", ""]
    assert result.base_codes == 2
    assert table["run"].tolist() == ["", "", "3-3", "4-4"]
    assert table["new_information"].tolist()[2:] == [0.5, 0.0]
    assert table["meets_threshold"].tolist()[2:] == [False, True]
    assert table["saturation"].tolist() == [False, False, False, True]
    assert result.saturation_interview == 4 and result.saturation_case == "C4"
    assert result.summary() == (
        "Saturation reached at interview 4 of 4 (C4): the run 4-4 added 0 new code(s), 0.0% of the 2 codes "
        "in the base (base size 2, run length 1, new-information threshold <= 5%)."
    )
    summary = result.to_dict()
    assert summary["saturation_reached"] is True and summary["total_codes"] == 3


def test_saturation_not_reached():
    result = saturation_curve(SELECTIONS, codebook(), CASES, "coder-a", base_size=1, run_length=2, threshold=0.05)
    # base {A/x}; run 2-3 adds B and A/y (200%); run 3-4 adds A/y (100%)
    assert result.table["new_information"].tolist()[2:] == [2.0, 1.0]
    assert not result.reached
    assert result.summary().startswith("Saturation not reached within the 4 interviews")
