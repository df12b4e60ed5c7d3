"""The typology rule, the close-call flag, exemplar quotes and the case summary table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nero.qual.project import SELECTION_COLUMNS
from nero.qual.typology import (
    EXEMPLAR_COLUMNS,
    TYPOLOGY_COLUMNS,
    TypologyRule,
    assign_archetypes,
    axis_scores,
    case_summary_table,
    exemplar_quotes,
)

INST = "Networks/Institutional/Grant schemes"
INST2 = "Networks/Institutional/Government agencies"
VIRT = "Networks/Virtual/E-commerce platforms"
EFF = "Orientation/Efficiency-seeking"
MKT = "Orientation/Market-seeking"
OTHER = "Capacity/Domestic scale-up"

EVIDENCE = {  # case -> (I, V, E, M) in segments
    "K1": (3, 1, 4, 1),  # network .5, orientation -.6 -> Institutional Optimizer
    "K2": (2, 2, 1, 3),  # network 0 -> no pole -> Unassigned, flagged
    "K3": (1, 4, 2, 3),  # -.6, .2 -> Agile Global Scaler (clear: .2 >= .15)
    "K4": (5, 4, 1, 4),  # .111 (close), .6 -> Strategic Explorer, flagged
    "K5": (0, 3, 2, 0),  # -1, -1 -> Platform Optimizer
}


def make_selections() -> pd.DataFrame:
    rows = []
    for case, counts in EVIDENCE.items():
        pos = 0
        for code, n in zip((INST, VIRT, EFF, MKT), counts):
            for k in range(n):
                length = 10 + k
                rows.append((case, code, pos, pos + length, "coder-a", f"{case} says {code} number {k}"))
                pos += length + 1
        rows.append((case, OTHER, pos, pos + 50, "coder-a", "capacity text"))
    records = [
        {
            "selection": f"s{i}",
            "source": f"S-{r[0]}",
            "source_guid": f"S-{r[0]}",
            "case": r[0],
            "code_path": r[1],
            "code_guid": r[1],
            "coder": r[4],
            "start": r[2],
            "end": r[3],
            "raw_start": r[2],
            "raw_end": r[3],
            "text": r[5],
        }
        for i, r in enumerate(rows)
    ]
    return pd.DataFrame(records, columns=SELECTION_COLUMNS)


CASES = pd.DataFrame(
    {
        "case": list(EVIDENCE),
        "case_guid": [""] * 5,
        "sources": [f"S-{c}" for c in EVIDENCE],
        "sector": ["Food", "Retail", "ICT", "Services", "Logistics"],
        "size_band": ["Small (10-49)"] * 5,
        "founding_year": [2001, 2005, 2012, 1999, 2015],
        "foreign_sales_share": [0.2, 0.5, 0.75, 0.4, 0.3],
        "interview_date": ["2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04", "2024-06-05"],
    }
)


def test_axis_scores_by_segments():
    scores = axis_scores(make_selections(), CASES, TypologyRule()).set_index("case")
    assert scores.loc["K1", ["institutional", "virtual", "efficiency", "market"]].tolist() == [3, 1, 4, 1]
    assert scores.loc["K1", "network_score"] == pytest.approx(0.5)
    assert scores.loc["K1", "orientation_score"] == pytest.approx(-0.6)
    assert scores.loc["K4", "network_score"] == pytest.approx(1 / 9)
    assert scores.loc["K5", ["network_score", "orientation_score"]].tolist() == [-1.0, -1.0]


def test_axis_scores_by_characters():
    rule = TypologyRule(evidence="characters")
    scores = axis_scores(make_selections(), CASES, rule).set_index("case")
    # K1: I = 10+11+12 = 33, V = 10 -> (33 - 10) / 43
    assert scores.loc["K1", "institutional"] == 33 and scores.loc["K1", "virtual"] == 10
    assert scores.loc["K1", "network_score"] == pytest.approx(23 / 43)


def test_archetypes_and_close_calls():
    rule = TypologyRule()
    result = assign_archetypes(axis_scores(make_selections(), CASES, rule), rule)
    table = result.table.set_index("case")
    assert list(result.table.columns) == TYPOLOGY_COLUMNS
    assert table["archetype"].to_dict() == {
        "K1": "Institutional Optimizer",
        "K2": "Unassigned",
        "K3": "Agile Global Scaler",
        "K4": "Strategic Explorer",
        "K5": "Platform Optimizer",
    }
    assert table["too_close_to_call"].to_dict() == {"K1": False, "K2": True, "K3": False, "K4": True, "K5": False}
    assert table.loc["K4", "flag"] == "too close to call on the network axis (|0.11| < 0.15)"
    assert table.loc["K2", "network_pole"] == ""
    assert result.counts() == {
        "Institutional Optimizer": 1,
        "Strategic Explorer": 1,
        "Platform Optimizer": 1,
        "Agile Global Scaler": 1,
        "Unassigned": 1,
    }
    # a wider margin flags K3 too (orientation .2)
    wide = TypologyRule(margin=0.25)
    flagged = assign_archetypes(axis_scores(make_selections(), CASES, wide), wide).table
    assert flagged.set_index("case").loc["K3", "too_close_to_call"]


def test_no_evidence_on_an_axis_is_unassigned():
    selections = make_selections()
    selections = selections[~((selections["case"] == "K5") & selections["code_path"].str.startswith("Orientation"))]
    rule = TypologyRule()
    table = assign_archetypes(axis_scores(selections, CASES, rule), rule).table.set_index("case")
    assert np.isnan(table.loc["K5", "orientation_score"])
    assert table.loc["K5", "archetype"] == "Unassigned"
    assert table.loc["K5", "flag"] == "no evidence on the orientation axis"


def test_rule_from_config_and_validation():
    rule = TypologyRule.from_config(
        {
            "evidence": "characters",
            "margin": 0.2,
            "institutional": "N/I",
            "virtual": "N/V",
            "efficiency": "O/E",
            "market": "O/M",
        },
        "coder-x",
    )
    assert (rule.coder, rule.evidence, rule.margin, rule.virtual) == ("coder-x", "characters", 0.2, "N/V")
    with pytest.raises(ValueError, match="evidence must be 'segments' or 'characters'"):
        TypologyRule(evidence="words")


def test_exemplar_quotes_rank_double_evidence_and_corroboration_first():
    selections = make_selections()
    rule = TypologyRule()
    typology = assign_archetypes(axis_scores(selections, CASES, rule), rule).table
    # K1: an efficiency-seeking passage that also carries an institutional code, corroborated by coder-b
    extra = pd.DataFrame(
        [
            {
                "selection": "x1",
                "source": "S-K1",
                "source_guid": "S-K1",
                "case": "K1",
                "code_path": INST2,
                "code_guid": INST2,
                "coder": "coder-a",
                "start": 500,
                "end": 560,
                "raw_start": 500,
                "raw_end": 560,
                "text": "The agency\r\npaid for   our automation.",
            },
            {
                "selection": "x2",
                "source": "S-K1",
                "source_guid": "S-K1",
                "case": "K1",
                "code_path": EFF,
                "code_guid": EFF,
                "coder": "coder-a",
                "start": 500,
                "end": 560,
                "raw_start": 500,
                "raw_end": 560,
                "text": "The agency\r\npaid for   our automation.",
            },
            {
                "selection": "x3",
                "source": "S-K1",
                "source_guid": "S-K1",
                "case": "K1",
                "code_path": EFF,
                "code_guid": EFF,
                "coder": "coder-b",
                "start": 505,
                "end": 560,
                "raw_start": 505,
                "raw_end": 560,
                "text": "agency paid for our automation.",
            },
        ],
        columns=SELECTION_COLUMNS,
    )
    selections = pd.concat([selections, extra], ignore_index=True)
    quotes = exemplar_quotes(selections, typology, rule, per_archetype=3, per_case=1)
    assert list(quotes.columns) == EXEMPLAR_COLUMNS
    io = quotes[quotes["archetype"] == "Institutional Optimizer"]
    assert io["rank"].tolist() == [1, 2, 3]
    first = io.iloc[0]
    assert first["text"] == "The agency paid for our automation."
    assert (first["axes_covered"], first["corroborated"], first["code_path"]) == (2, True, EFF)
    assert first["start"] == 500
    # only K1 is an Institutional Optimizer: after its best quote the others come from it too
    assert set(io["case"]) == {"K1"}
    # the same span is never quoted twice
    assert not io.duplicated(["source", "start", "end"]).any()
    # every archetype with a member case has quotes; Unassigned cases give none
    assert set(quotes["archetype"]) == {
        "Institutional Optimizer",
        "Strategic Explorer",
        "Platform Optimizer",
        "Agile Global Scaler",
    }
    assert "K2" not in set(quotes["case"])
    # network quotes of a Platform Optimizer are virtual-network codings
    po = quotes[(quotes["archetype"] == "Platform Optimizer") & (quotes["axis"] == "network")]
    assert set(po["code_path"]) <= {VIRT}


def test_case_summary_table_groups_cases_by_archetype():
    selections = make_selections()
    rule = TypologyRule()
    typology = assign_archetypes(axis_scores(selections, CASES, rule), rule).table
    table = case_summary_table(typology, CASES, selections, rule)
    assert table.columns.tolist() == [
        "Archetype",
        "Case",
        "Sector",
        "Founded",
        "Size band",
        "Foreign sales (%)",
        "Interviewed",
        "Network reliance",
        "Orientation",
        "Network score",
        "Orientation score",
        "Segments coded",
        "Leading codes",
        "Note",
    ]
    assert table["Case"].tolist() == ["K1", "K4", "K5", "K3", "K2"]
    k1 = table.iloc[0]
    assert (k1["Archetype"], k1["Sector"], k1["Founded"], k1["Foreign sales (%)"]) == (
        "Institutional Optimizer",
        "Food",
        2001,
        20,
    )
    assert (k1["Network reliance"], k1["Orientation"], k1["Segments coded"]) == (
        "Institutional",
        "Efficiency-seeking",
        10,
    )
    assert k1["Leading codes"] == "Efficiency-seeking (4); Grant schemes (3); Domestic scale-up (1)"
    assert table.iloc[-1]["Network reliance"] == "-"
