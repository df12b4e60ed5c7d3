"""The edges of the decision rules: absent evidence, float tolerance, tied fsQCA models,
Holm families, one-sided p values, shares, claims the design cannot decide, and the registry
checked against the study's config. Each case is a small hand-made table with a known answer."""

import pandas as pd
import pytest
import yaml

from nero.claims import evaluate_claims, load_registry, read_tables
from nero.claims.inventory import config_problems, requirement_problems, study_inventory
from nero.claims.rules import RuleContext, evaluate_rule, render_rule
from nero.testing import REPO

THRESHOLDS = {"alpha": 0.05, "zero": 0, "cut": 0.8, "share": 0.10}


def ev(node, tables, tol=1e-9):
    return evaluate_rule(node, RuleContext(tables, THRESHOLDS, {}, tol))


# --- absent evidence ---------------------------------------------------------------------

SOL = pd.DataFrame(
    {
        "model": ["M1", "M1", "M1", "M2", "M2", "M2"],
        "term": ["INST*EFF", "VIRT*MKT", "(model)", "INST*VIRT*MKT", "VIRT*EFF", "(model)"],
        "inclS": [0.86, 0.93, 0.87, 0.95, 0.81, 0.88],
    }
)
ESA = pd.DataFrame(
    {
        "solution": ["intermediate"] * 3,
        "model": ["M1"] * 3,
        "term": ["INST*VIRT*MKT", "VIRT*EFF", "(model)"],
        "inclS": [0.95, 0.79, 0.86],
    }
)
BOTH = {
    "table": "s.csv",
    "where": {"term": {"regex": ["(^|\\*)INST(\\*|$)", "(^|\\*)VIRT(\\*|$)"]}, "inclS": {">=": "cut"}},
    "aggregate": "count",
    "scope": {"term": {"notnull": True}},
    "op": ">=",
    "value": 1,
}


def test_a_count_whose_selection_is_empty_is_unknown_unless_its_scope_has_rows():
    tables = {"s.csv": SOL[SOL["model"] == "M1"]}
    unscoped = {k: v for k, v in BOTH.items() if k != "scope"}
    out = ev(unscoped, tables)
    assert out.value is None
    assert "absent evidence: no row of s.csv" in out.reasons[0]
    out = ev(BOTH, tables)  # the model exists and has no INST*VIRT term: a decided zero
    assert out.value is False and out.figures[0].value == 0
    out = ev(BOTH, {"s.csv": SOL.iloc[0:0]})  # the analysis itself is absent
    assert out.value is None and "the analysis is not among the results" in out.reasons[0]
    out = ev({**BOTH, "scope": {"model_name": "M1"}}, tables)  # a scope column the table lacks
    assert out.value is None


def test_a_study_without_the_constructs_makes_the_claims_inconclusive_not_unsupported():
    """Issue 28, item 9: constructs named differently must not give 'not supported'."""
    registry = load_registry(REPO / "config" / "claims.yaml")
    tables = read_tables(REPO / "results-reference", registry.tables())
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    codebook = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text())
    renamed = {"INST": "GOV", "VIRT": "DIG"}
    codebook["constructs"] = {renamed.get(k, k): v for k, v in codebook["constructs"].items()}
    config["fsqca"]["conditions"] = [renamed.get(c, c) for c in config["fsqca"]["conditions"]]
    study = study_inventory(config, codebook)
    assert "INST" not in study["constructs"] and "GOV" in study["constructs"]
    result = evaluate_claims(registry, tables, study=study)
    for claim_id in (
        "study2.ambidexterity_multiplier",
        "study2.orchestration",
        "integration.archetypes_matched",
        "study2.not_mutually_exclusive",
    ):
        claim = next(c for c in result.claims if c.claim_id == claim_id)
        assert claim.verdict == "inconclusive", claim_id
        assert claim.reason.startswith("absent evidence: the study has no construct 'INST'"), claim.reason
    # constructs the study has: the verdict is the rule's
    full = evaluate_claims(
        registry,
        tables,
        study=study_inventory(
            yaml.safe_load((REPO / "config" / "config.yaml").read_text()),
            yaml.safe_load((REPO / "config" / "codebook.yaml").read_text()),
        ),
    )
    assert full.verdict("study2.capacity_boosting") == result.verdict("study2.capacity_boosting")


def test_requirement_problems_names_every_gap():
    class C:
        requires = {"constructs": ["INST", "XYZ"], "analyses": ["fsqca.scale_up"]}

    problems = requirement_problems(C(), {"constructs": ["INST"], "analyses": ["fsqca"]})
    assert len(problems) == 2 and "no construct 'XYZ'" in problems[0] and "no analysis 'fsqca.scale_up'" in problems[1]
    assert requirement_problems(C(), {"constructs": ["INST", "XYZ"], "analyses": ["fsqca.scale_up"]}) == []


def test_registry_thresholds_that_name_a_config_key_must_equal_it():
    registry = load_registry(REPO / "config" / "claims.yaml")
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    assert config_problems(registry, config) == []
    config["fsqca"]["necessity_ron"] = 0.60
    problems = config_problems(registry, config)
    assert problems == [
        "threshold 'necessity_relevance' = 0.5 but config fsqca.necessity_ron = 0.6: the registry and "
        "the analyses must use one definition"
    ]
    del config["fsqca"]["incl_cut"]
    assert any("config key 'fsqca.incl_cut' is not set" in p for p in config_problems(registry, config))
    config["fsqca"]["incl_cut"] = 0.8 + 1e-12  # within the tolerance: the same cut
    assert not any("incl_cut" in p for p in config_problems(registry, config))


# --- float tolerance ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,op,expected",
    [
        (0.9, ">=", True),
        (0.9 - 1e-12, ">=", True),
        (0.9 - 1e-6, ">=", False),
        (0.9 + 1e-12, ">", False),
        (0.9 + 1e-6, ">", True),
        (0.9 + 1e-12, "<=", True),
        (0.9 - 1e-12, "<", False),
        (0.9 + 1e-12, "==", True),
        (0.9 + 1e-12, "!=", False),
    ],
)
def test_a_value_within_the_tolerance_of_its_threshold_is_decided_as_equal(value, op, expected):
    table = {"n.csv": pd.DataFrame({"expression": ["CAP"], "inclN": [value]})}
    node = {"table": "n.csv", "where": {"expression": "CAP"}, "column": "inclN", "op": op, "value": 0.9}
    assert ev(node, table).value is expected
    # a tolerance of zero decides by the last bit
    if value != 0.9 and abs(value - 0.9) < 1e-9:
        assert ev(node, table, tol=0.0).value is not expected


def test_row_filters_use_the_tolerance_too():
    table = {"s.csv": pd.DataFrame({"term": ["A", "B"], "inclS": [0.8 - 1e-13, 0.8 - 1e-4]})}
    node = {
        "table": "s.csv",
        "where": {"inclS": {">=": "cut"}},
        "aggregate": "count",
        "op": "==",
        "value": 1,
        "scope": {"term": {"notnull": True}},
    }
    assert ev(node, table).value is True


# --- every tied model and the ESA --------------------------------------------------------


def across(solutions, rule=BOTH):
    return {"across_models": {"solutions": solutions, "as": "s.csv", "rule": rule}}


MAIN = {"name": "intermediate", "table": "sol.csv"}
ESA_SOURCE = {"name": "ESA", "table": "esa.csv", "where": {"solution": "intermediate"}}


def test_models_that_disagree_make_the_rule_unknown_with_model_ambiguity():
    out = ev(across([MAIN, ESA_SOURCE]), {"sol.csv": SOL, "esa.csv": ESA})
    assert out.value is None
    assert out.reasons == ["model ambiguity: holds in intermediate M2, ESA M1; fails in intermediate M1"]
    assert [f.label.split("]")[0] + "]" for f in out.figures] == ["[intermediate M1]", "[intermediate M2]", "[ESA M1]"]


def test_models_that_agree_decide():
    assert ev(across([MAIN]), {"sol.csv": SOL[SOL["model"] == "M2"]}).value is True
    assert ev(across([MAIN]), {"sol.csv": SOL[SOL["model"] == "M1"]}).value is False
    one = {
        "table": "s.csv",
        "where": {"term": {"regex": "VIRT"}, "inclS": {">=": "cut"}},
        "aggregate": "count",
        "scope": {"term": {"notnull": True}},
        "op": ">=",
        "value": 1,
    }
    assert ev(across([MAIN, ESA_SOURCE], one), {"sol.csv": SOL, "esa.csv": ESA}).value is True


def test_a_missing_solution_table_is_absent_evidence():
    out = ev(across([MAIN, ESA_SOURCE]), {"sol.csv": SOL})
    assert out.value is None and out.reasons[0] == "ESA: table esa.csv is not among the results"
    out = ev(across([{**MAIN, "where": {"model": "M9"}}]), {"sol.csv": SOL})
    assert out.value is None and "absent evidence: no solution in sol.csv" in out.reasons[0]
    assert "IN EVERY MODEL of [intermediate (sol.csv), ESA (esa.csv)]" in render_rule(
        across([MAIN, ESA_SOURCE]), THRESHOLDS
    )


# --- families, one-sided tests, shares ------------------------------------------------------

P = pd.DataFrame({"variable": ["a", "b", "c"], "p": [0.02, 0.03, 0.04]})


def test_holm_adjustment_of_a_family():
    node = {"table": "p.csv", "column": "p", "rows": "none", "op": "<", "threshold": "alpha"}
    assert ev(node, {"p.csv": P}).value is False  # unadjusted: three 'differences'
    out = ev({**node, "p_adjust": "holm"}, {"p.csv": P})  # Holm: .06, .06, .06
    assert out.value is True and "(holm-adjusted)" in out.figures[0].value
    edge = pd.DataFrame({"variable": ["a", "b"], "p": [0.025, 0.5]})  # Holm: exactly .05 -> not below alpha
    assert ev({**node, "p_adjust": "holm"}, {"p.csv": edge}).value is True
    below = pd.DataFrame({"variable": ["a", "b"], "p": [0.0249, 0.5]})  # Holm: .0498 < .05
    assert ev({**node, "p_adjust": "holm"}, {"p.csv": below}).value is False


@pytest.mark.parametrize(
    "b,p,expected",
    [(0.2, 0.08, True), (-0.2, 0.08, False), (0.2, 0.10, False), (0.2, 0.0999, True), (0.0, 0.01, False)],
)
def test_one_sided_p_in_the_claimed_direction(b, p, expected):
    table = {"r.csv": pd.DataFrame({"term": ["x"], "b": [b], "p": [p]})}
    node = {
        "table": "r.csv",
        "where": {"term": "x"},
        "column": "p",
        "one_sided": {"estimate": "b", "direction": "greater"},
        "op": "<",
        "threshold": "alpha",
    }
    assert ev(node, table).value is expected


@pytest.mark.parametrize("members,expected", [(10, True), (9, False), (0, False)])
def test_share_of_the_scope(members, expected):
    frame = pd.DataFrame(
        {"firm_code": [f"F{i}" for i in range(100)], "INST": [0.9] * members + [0.2] * (100 - members)}
    )
    node = {
        "table": "m.csv",
        "where": {"INST": {">": 0.5}},
        "aggregate": "share",
        "scope": {"firm_code": {"notnull": True}},
        "op": ">=",
        "threshold": "share",
    }
    out = ev(node, {"m.csv": frame})
    assert out.value is expected and out.figures[0].value == members / 100
    empty = ev(node, {"m.csv": frame.iloc[0:0]})
    assert empty.value is None and "the share's base" in empty.reasons[0]


# --- claims the design cannot decide -----------------------------------------------------


def test_inconclusive_by_design_overrides_the_rule_and_says_why():
    registry = {
        "title": "t",
        "registered": "2026-12-07",
        "thresholds": {"zero": {"value": 0, "source": "s"}},
        "claims": [
            {
                "id": "c.direction",
                "study": "Study 2",
                "statement": "X causes Y",
                "source": "s",
                "analysis": "a",
                "statistic": "s",
                "inconclusive_by_design": "one cross-section",
                "rule": {"table": "r.csv", "column": "b", "op": ">", "threshold": "zero"},
            }
        ],
    }
    result = evaluate_claims(registry, {"r.csv": pd.DataFrame({"b": [0.5]})})
    claim = result.claims[0]
    assert claim.verdict == "inconclusive" and claim.reason == "inconclusive by design: one cross-section"
    assert claim.figures[0].result == "pass"  # the rule is still shown
