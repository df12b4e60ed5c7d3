"""Every report element that shows a verdict shows the verdict qualified by the design and, where it
differs, the rule's outcome and why (nero.design.operating.annotate_claims read by nero.report,
nero.design.recovery and nero.manuscript)."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import pandas as pd
import pytest

from nero.design.operating import annotate_claims
from nero.design.recovery import planted_vs_recovered
from nero.manuscript.playbook import caveats_html
from nero.manuscript.survey_tables import hypotheses_table
from nero.report.answers import answer_questions, answers_html
from nero.report.html import claims_html
from nero.report.planted import planted_html


class _Rows(HTMLParser):
    """The text of each cell of each <tr> in the table of class ``claims`` (or of every table)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []
        elif tag in ("div", "br") and self._cell is not None:  # a block inside a cell: a word break
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _cells(page: str) -> dict[str, list[str]]:
    parser = _Rows()
    parser.feed(page)
    return {row[0]: row for row in parser.rows if row}


def _annotated() -> pd.DataFrame:
    claims = pd.DataFrame(
        {
            "claim_id": ["low", "cmv", "ok"],
            "study": ["s2", "survey", "s2"],
            "statement": ["A <b>prerequisite</b>", "No method bias", "Fine"],
            "analysis": ["fsQCA", "CFA", "SEM"],
            "rule": ["r"] * 3,
            "figures": ["f"] * 3,
            "verdict": ["not supported", "supported", "supported"],
            "flags": ["", "", ""],
            "evidence": ["", "", ""],
            "reason": ["", "", ""],
        }
    )
    nan = math.nan
    operating = pd.DataFrame(
        {
            "claim_id": ["low", "cmv", "ok"],
            "power_planted": [0.2, 0.99, 1.0],
            "power_planted_mcse": [0.0894, 0.01, 0.0],
            "power_planted_replications": [20, 100, 20],
            "support_under_null": [0.0, 0.35, 0.0],
            "support_under_null_mcse": [0.0, 0.1067, 0.0],
            "support_under_null_replications": [100, 20, 100],
            "support_weak": [nan] * 3,
            "support_weak_mcse": [nan] * 3,
            "support_weak_replications": [0] * 3,
            "truth_weak": [""] * 3,
            "decidable": [False, False, True],
            "design_note": ["cannot", "cannot", "this design can decide it"],
            "design_reference": ["up to date"] * 3,
        }
    )
    return annotate_claims(claims, operating)


def test_the_claims_table_shows_the_qualified_badge_and_the_rules_outcome_where_it_differs():
    page = claims_html(_annotated(), {})
    cells = _cells(page)
    assert cells["low"][2].startswith("inconclusive Rule outcome: not supported. inconclusive by design: the rule says")
    assert "(power .20, MCSE .09, 20 replicates < .80)" in cells["low"][2]
    assert cells["cmv"][2].startswith("inconclusive Rule outcome: supported. inconclusive by design")
    assert "false support .35, MCSE .11, 20 replicates > .05" in cells["cmv"][2]
    assert cells["ok"][2] == "supported"  # unqualified: the badge alone
    assert page.count('class="verdict v-maybe">inconclusive') == 2
    assert "3 claims: 1 supported, 2 inconclusive; 2 of them inconclusive by design" in page
    assert "the rule says not supported on low, supported on cmv" in page
    assert "A &lt;b&gt;prerequisite&lt;/b&gt;" in page and "<b>prerequisite" not in page  # input text escaped


def test_the_research_questions_are_answered_from_the_qualified_verdicts():
    answers = answer_questions([{"id": "RQ1", "question": "Q?", "claims": ["low", "ok"]}], _annotated())
    assert answers.summary() == (
        "RQ1: partly supported, because low is inconclusive by design (the rule says not supported, which this "
        "design cannot back at the study's N); ok is supported"
    )
    assert "partly supported" in answers_html(answers)


def test_the_planted_versus_recovered_table_scores_the_qualified_verdict():
    truth = {
        "claims": {
            "low": {"truth": "planted true", "why": "planted"},
            "cmv": {"truth": "planted false", "why": "method factor"},
            "ok": {"truth": "planted true", "why": "planted"},
        },
        "population": {},
        "tolerances": {},
    }
    table = planted_vs_recovered(truth, _annotated(), {}).set_index("name")
    assert table["recovered"].to_dict() == {"low": "inconclusive", "cmv": "inconclusive", "ok": "supported"}
    assert table["rule_verdict"].to_dict() == {"low": "not supported", "cmv": "supported", "ok": "supported"}
    assert table["agrees"].to_dict() == {"low": True, "cmv": True, "ok": True}  # undecidable: inconclusive agrees
    assert table.loc["low", "reading"].startswith("planted; inconclusive by design: the rule says not supported")
    assert table.loc["ok", "reading"] == "planted"
    cells = _cells(planted_html(table.reset_index()))
    assert cells["low"][3].startswith("inconclusive rule outcome: not supported; planted; inconclusive by design")
    assert cells["ok"][3] == "supported"
    # a decidable claim's opposite verdict does not agree
    wrong = _annotated().assign(decidable=True)
    truth["claims"]["low"]["truth"] = "planted false"
    assert not planted_vs_recovered(truth, wrong.assign(verdict="supported"), {}).set_index("name").at["low", "agrees"]


def test_table_54_and_the_playbook_name_the_rules_outcome():
    table = hypotheses_table(_annotated())
    assert list(table.frame["Verdict"]) == [
        "Inconclusive by design (rule: not supported)",
        "Inconclusive by design (rule: supported)",
        "Supported",
    ]
    plain = hypotheses_table(_annotated().drop(columns=["rule_verdict"]))  # without the design: the rule's outcome
    assert list(plain.frame["Verdict"]) == ["Inconclusive", "Inconclusive", "Supported"]
    page = caveats_html(_annotated())
    assert "No method bias: <strong>inconclusive</strong> (the analysis says supported, but this study" in page
    assert "Fine" not in page


def _check_built_study(results):
    """claims.json tells the verdicts of claims.csv; the built report shows each qualified claim's rule outcome."""
    import json

    claims = pd.read_csv(results / "claims.csv", keep_default_na=False, na_values=[""])
    claims["reason"] = claims["reason"].fillna("")  # a blank cell is the JSON's empty reason
    record = json.loads((results / "claims.json").read_text(encoding="utf-8"))
    for column in ("verdict", "rule_verdict", "reason", "qualified"):
        assert {c["claim_id"]: c[column] for c in record["claims"]} == dict(
            zip(claims["claim_id"], claims[column].tolist(), strict=True)
        ), column
    assert record["counts"] == {v: int((claims["verdict"] == v).sum()) for v in record["counts"]}
    assert record["rule_counts"] == {v: int((claims["rule_verdict"] == v).sum()) for v in record["rule_counts"]}
    page = (results / "report.html").read_text(encoding="utf-8")
    start = page.index('<table class="claims"')
    cells = _cells(page[start : page.index("</table>", start)])  # the claims table (other tables key rows by claim too)
    for row in claims.itertuples(index=False):
        cell = cells[row.claim_id][2]
        if row.qualified:
            assert row.verdict == "inconclusive" and cell.startswith(f"inconclusive Rule outcome: {row.rule_verdict}. ")
            assert row.reason in cell
        else:
            assert row.verdict == row.rule_verdict and "Rule outcome" not in cell
    return int(claims["qualified"].sum())


@pytest.mark.slow
@pytest.mark.study
def test_the_built_study_writes_one_verdict_per_claim_in_csv_json_and_report(shipped_study):
    assert _check_built_study(shipped_study / "results") >= 1  # the shipped design qualifies some verdict
