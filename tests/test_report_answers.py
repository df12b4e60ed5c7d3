"""The research questions answered from the verdicts (nero.report.answers) and the design cell beside
each verdict (nero.report.operating), at the edges of their rules."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nero.report.answers import QuestionError, answer_from_verdicts, answer_questions, answers_html
from nero.report.operating import operating_html

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "verdicts, answer",
    [
        (["supported", "supported", "supported"], "supported"),  # all supported
        (["supported"], "supported"),  # one claim
        (["supported", "not supported"], "partly supported"),  # mixed
        (["supported", "inconclusive"], "partly supported"),  # one inconclusive beside a supported one
        (["not supported", "inconclusive"], "not supported"),  # nothing supported, one against
        (["not supported"], "not supported"),
        (["inconclusive", "inconclusive"], "inconclusive"),  # nothing decided
        ([], "inconclusive"),  # no claims
    ],
)
def test_answer_from_verdicts_at_every_branch(verdicts, answer):
    assert answer_from_verdicts(verdicts) == answer


def test_an_unknown_verdict_is_an_error():
    with pytest.raises(QuestionError, match="'maybe'"):
        answer_from_verdicts(["supported", "maybe"])


CLAIMS = pd.DataFrame(
    {
        "claim_id": ["a", "b", "c"],
        "verdict": ["supported", "not supported", "inconclusive"],
        "decidable": [True, False, math.nan],
    }
)


def test_answer_questions_names_each_claim_and_the_undecidable_ones():
    qs = [
        {"id": "RQ1", "question": "Q1?", "claims": ["a"]},
        {"id": "RQ2", "question": "Q2?", "claims": ["a", "b"]},
        {"id": "RQ3", "question": "Q3?", "claims": ["c"]},
        {"id": "RQ4", "question": "Q4?"},
    ]
    out = answer_questions(qs, CLAIMS)
    frame = out.to_frame().set_index("id")
    assert list(frame["answer"]) == ["supported", "partly supported", "inconclusive", "inconclusive"]
    assert frame.loc["RQ1", "because"] == "a is supported"
    assert frame.loc["RQ2", "because"] == (
        "a is supported; b is not supported (this design cannot decide it at the study's N)"
    )
    assert frame.loc["RQ3", "because"] == "c is inconclusive"  # a blank decidable is not "cannot decide"
    assert frame.loc["RQ4", "because"] == "no claim of the registry answers this question"
    assert out.summary().splitlines()[1].startswith("RQ2: partly supported, because a is supported")
    page = answers_html(out)
    assert page.count("<li>") == 4 and 'class="verdict v-no"' not in page and "partly supported" in page


def test_a_question_naming_an_unknown_or_repeated_claim_is_an_error():
    with pytest.raises(QuestionError, match=r"RQ9: claim\(s\) \['zz'\] not in results/claims.csv"):
        answer_questions([{"id": "RQ9", "question": "?", "claims": ["a", "zz"]}], CLAIMS)
    with pytest.raises(QuestionError, match="listed twice"):
        answer_questions([{"id": "RQ9", "question": "?", "claims": ["a", "a"]}], CLAIMS)


def test_every_research_question_of_the_registry_lists_claims_of_config_claims_yaml():
    spec = yaml.safe_load((ROOT / "workflow/report/manuscript.yaml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((ROOT / "config/claims.yaml").read_text(encoding="utf-8"))
    ids = {c["id"] for c in registry["claims"]}
    for q in spec["research_questions"]:
        assert q.get("claims"), q["id"]
        assert set(q["claims"]) <= ids, (q["id"], set(q["claims"]) - ids)


ROW = {
    "power_planted": 0.9,
    "power_planted_mcse": 0.0671,
    "power_planted_replications": 20,
    "support_under_null": 0.0,
    "support_under_null_mcse": 0.0,
    "support_under_null_replications": 40,
    "decidable": True,
    "design_note": "this design can decide it",
    "design_reference": "design reference: up to date (made at commit abc with 20 replicates per scenario; ...)",
}


def test_operating_cell_shows_power_false_support_mcse_and_r():
    cell = operating_html(ROW)
    assert "power 0.90 (MCSE 0.07, R = 20)" in cell and "false support 0.00 (MCSE 0.00, R = 40)" in cell
    assert "cannot decide" not in cell and "STALE" not in cell and "up to date" in cell


def test_operating_cell_says_when_the_design_cannot_decide_and_when_the_reference_is_stale():
    row = {
        **ROW,
        "power_planted": 0.75,
        "decidable": "False",
        "design_note": "this design cannot decide it at N = 218: power 0.75 ... is below 0.80",
        "design_reference": "design reference: STALE, the code changed since it was made (...)",
    }
    cell = operating_html(row)
    assert '<div class="warning">This design cannot decide it at N = 218: power 0.75' in cell
    assert "STALE, the code changed" in cell and "older code or config" in cell


def test_operating_cell_without_replicates_or_columns():
    row = {
        **ROW,
        "power_planted": "",
        "power_planted_replications": 0,
        "decidable": False,
        "design_note": "no design result for this claim",
    }
    cell = operating_html(row)
    assert "power unknown (no scenario plants it true)" in cell and "No design result for this claim" in cell
    assert "no design analysis joined" in operating_html({"claim_id": "a", "verdict": "supported"})
