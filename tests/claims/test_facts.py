"""Descriptive facts: statements shown with their figures and evidence, never given a verdict.

The review's pathways and mediators (slr.two_pathways, slr.apmo_mechanisms) were claims decided
by share floors with no rationale; they are facts of the registry now (config/claims.yaml,
``facts``; changelog). A fact's readings are leaves without a comparison; the registry refuses
a reading that would decide something; the facts are in ``ClaimsResult.facts``,
results/facts.csv and claims.json, and the report shows them apart from the verdicts.
"""

import copy

import pandas as pd
import pytest
import yaml

from nero.claims import FACT_COLUMNS, RegistryError, evaluate_claims, load_registry
from nero.report.governance import facts_html, governance_html
from nero.testing import REPO

REGISTRY = load_registry(REPO / "config" / "claims.yaml")
FACTS = ("slr.two_pathways", "slr.apmo_mechanisms")


def _tables():
    return {
        "slr/pathways.csv": pd.DataFrame(
            {"pathway": ["deep transformation", "lightweight entry"], "n_articles": [30, 40], "share": [3 / 7, 4 / 7]}
        ),
        "slr/keywords.csv": pd.DataFrame({"label": ["a", "b", "c"], "cluster": [1, 2, 2]}),
        "slr/coding_elements.csv": pd.DataFrame(
            {
                "category": "mediators",
                "element": [
                    "digital international entrepreneurship",
                    "digital international marketing",
                    "business model innovation",
                    "firm-specific advantage transformation",
                ],
                "n_articles": [32, 40, 19, 15],
                "share": [32 / 70, 40 / 70, 19 / 70, 15 / 70],
            }
        ),
        "slr/prisma.json": {"included_total": 70},
    }


def test_the_review_synthesis_statements_are_facts_not_claims():
    claim_ids = {c.id for c in REGISTRY.claims}
    assert set(FACTS) == {f.id for f in REGISTRY.facts}
    assert not claim_ids & set(FACTS)
    assert "slr.review_corpus" in claim_ids  # the corpus count can fail: it stays a claim
    for fact in REGISTRY.facts:
        assert fact.why_no_verdict.strip() and fact.readings
    changed = {e["claim"] for e in REGISTRY.changelog if "descriptive fact" in e["new_rule"]}
    assert changed == set(FACTS)
    assert set(REGISTRY.tables()) >= {"slr/pathways.csv", "slr/coding_elements.csv", "slr/keywords.csv"}


def test_facts_are_read_and_shown_without_a_verdict():
    result = evaluate_claims(REGISTRY, _tables())
    assert [f.fact_id for f in result.facts] == list(FACTS)
    assert not set(FACTS) & set(result.to_frame()["claim_id"])  # never in the verdicts
    frame = result.facts_frame()
    assert list(frame.columns) == FACT_COLUMNS and "verdict" not in frame.columns
    pathways = result.facts[0]
    assert [f.value for f in pathways.figures] == [30, 3 / 7, 40, 4 / 7, 2]
    assert {f.result for f in pathways.figures} == {"shown"} and pathways.reason == ""
    assert pathways.figures[0].text() == "articles on the deep transformation pathway = 30"
    assert pathways.evidence == ["results/slr/pathways.csv", "results/slr/keywords.csv"]
    mediators = result.facts[1]
    assert [f.value for f in mediators.figures] == [32, 40, 19, 15, 70]
    record = result.to_dict()["facts"][1]
    assert record["figures"][4]["result"] == "shown" and record["figures"][4]["value"] == 70
    assert "fact" in result.summary() and "slr.apmo_mechanisms" in result.summary()


def test_a_missing_table_or_row_shows_why_never_a_verdict():
    tables = _tables()
    del tables["slr/keywords.csv"]
    tables["slr/pathways.csv"] = tables["slr/pathways.csv"].iloc[:1]  # no lightweight entry row
    fact = evaluate_claims(REGISTRY, tables).facts[0]
    results = [f.result for f in fact.figures]
    assert results == ["shown", "shown", "missing", "missing", "missing"]
    assert "no row of slr/pathways.csv" in fact.figures[2].reason
    assert "table slr/keywords.csv is not among the results" in fact.reason
    assert fact.missing_evidence == ["results/slr/keywords.csv"]
    # with no table at all every figure is missing, and there is still no verdict
    empty = evaluate_claims(REGISTRY, {}).facts_frame()
    assert empty["reason"].str.contains("not among the results").all()


def _data():
    return yaml.safe_load((REPO / "config" / "claims.yaml").read_text())


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda f: f["readings"][0].update(op=">=", value=0.1), "remove op, value"),
        (lambda f: f["readings"][0].update(threshold="alpha"), "remove threshold"),
        (lambda f: f["readings"][0].update(rows="all"), "remove rows"),
        (lambda f: f["readings"][0].update(aggregate="share"), "a share needs a scope"),
        (lambda f: f["readings"][0].pop("column"), "readings[0].column: required"),
        (lambda f: f.pop("why_no_verdict"), "why_no_verdict"),
    ],
)
def test_a_reading_that_decides_or_is_malformed_is_refused(change, message):
    data = _data()
    change(data["facts"][0])
    with pytest.raises(RegistryError, match="slr.two_pathways|why_no_verdict") as err:
        load_registry(data)
    assert message in str(err.value)


def test_a_fact_and_a_claim_cannot_share_an_id():
    data = _data()
    fact = copy.deepcopy(data["facts"][0])
    fact["id"] = "slr.review_corpus"
    data["facts"].append(fact)
    with pytest.raises(RegistryError, match="fact 'slr.review_corpus': id: duplicate id"):
        load_registry(data)


def test_a_registry_without_facts_is_valid():
    data = _data()
    data.pop("facts")
    registry = load_registry(data)
    assert registry.facts == [] and evaluate_claims(registry, _tables()).facts_frame().empty


def test_the_report_shows_facts_apart_from_the_verdicts_and_without_a_badge():
    record = evaluate_claims(REGISTRY, _tables()).to_dict()
    text = facts_html(record["facts"])
    assert text.startswith('<h3 id="facts">Descriptive facts (no verdict)</h3>')
    assert 'data-rows="2"' in text and "slr.apmo_mechanisms" in text
    assert "articles coding business model innovation = 19" in text
    assert '<a href="slr/pathways.csv">slr/pathways.csv</a>' in text
    assert "verdict v-" not in text and "supported" not in text  # no badge, no verdict word
    assert facts_html([]) == "" and facts_html(None) == ""
    # placed before the governance parts (right after the verdicts table)
    full = governance_html(record)
    assert full.index('id="facts"') < full.index('id="registry"')


def test_the_truth_map_scores_claims_only():
    import json

    truth = json.loads((REPO / "data" / "truth" / "claims_truth.json").read_text())
    assert not set(FACTS) & set(truth["claims"])
    assert {c.id for c in REGISTRY.claims} == set(truth["claims"])
