"""Every kind of rule of the claims language, on small hand-made tables with known answers."""

import math

import pandas as pd
import pytest

from nero.claims import evaluate_claims, load_registry
from nero.claims.rules import RuleContext, evaluate_rule, render_rule
from nero.claims.select import fmt

THRESHOLDS = {"alpha": 0.05, "zero": 0, "two": 2, "cut": 0.8}
NEC = pd.DataFrame({"expression": ["CAP", "INST", "~CAP"], "inclN": [0.91, 0.68, 0.34], "RoN": [0.587, 0.67, 0.74]})
TESTS = pd.DataFrame(
    {
        "variable": ["a", "b", "c", "d"],
        "group": ["x", "x", "y", "y"],
        "p": [0.20, 0.01, 0.50, float("nan")],
        "d": [-0.3, 0.1, 0.02, 0.4],
        "flag_1": [True, False, True, False],
        "flag_2": [True, True, True, False],
    }
)
TABLES = {
    "fsqca/necessity.csv": NEC,
    "t/tests.csv": TESTS,
    "fsqca/summary.json": {"main_solution_models": 6, "nested": {"list": [3, 4]}, "empty": None},
}


def ev(node, tables=TABLES, claims=None):
    return evaluate_rule(node, RuleContext(tables, THRESHOLDS, claims))


def leaf(**kw):
    return {"table": "fsqca/necessity.csv", "where": {"expression": "CAP"}, **kw}


# --- leaves ------------------------------------------------------------------------------


def test_value_leaf_with_named_threshold_and_literal():
    out = ev(leaf(column="inclN", op=">=", value=0.90))
    assert out.value is True and out.figures[0].value == 0.91 and out.figures[0].result == "pass"
    out = ev(leaf(column="RoN", op=">=", threshold="cut"))
    assert out.value is False and out.figures[0].threshold == "cut" and out.figures[0].limit == 0.8


@pytest.mark.parametrize(
    "op,limit,expected",
    [
        ("==", 0.91, True),
        ("!=", 0.91, False),
        ("<", 0.92, True),
        ("<=", 0.91, True),
        (">", 0.91, False),
        (">=", 0.92, False),
    ],
)
def test_every_comparison_operator(op, limit, expected):
    assert ev(leaf(column="inclN", op=op, value=limit)).value is expected


def test_value_leaf_needs_exactly_one_row():
    none = ev(
        {"table": "fsqca/necessity.csv", "where": {"expression": "MKT"}, "column": "inclN", "op": ">", "value": 0}
    )
    assert none.value is None and "no row" in none.reasons[0]
    many = ev({"table": "t/tests.csv", "where": {"group": "x"}, "column": "p", "op": ">", "value": 0})
    assert many.value is None and "2 rows (the rule needs exactly one)" in many.reasons[0]


def test_missing_table_column_and_empty_value_are_unknown():
    out = ev({"table": "sem/absent.csv", "column": "b", "op": ">", "value": 0})
    assert out.value is None and "sem/absent.csv is not among the results" in out.reasons[0]
    out = ev(leaf(column="nope", op=">", value=0))
    assert out.value is None and "column(s) nope not in fsqca/necessity.csv" in out.reasons[0]
    out = ev({"table": "t/tests.csv", "where": {"variable": "d"}, "column": "p", "op": "<", "value": 1})
    assert out.value is None and "empty" in out.reasons[0]


@pytest.mark.parametrize(
    "aggregate,expected", [("count", 2), ("min", 0.01), ("max", 0.20), ("mean", 0.105), ("sum", 0.21), ("nunique", 2)]
)
def test_aggregates(aggregate, expected):
    node = {"table": "t/tests.csv", "where": {"group": "x"}, "aggregate": aggregate, "op": ">=", "value": 0}
    if aggregate != "count":
        node["column"] = "p"
    out = ev(node)
    assert out.value is True and math.isclose(out.figures[0].value, expected)


def test_aggregate_over_no_rows_or_empty_values_is_unknown_and_so_is_an_unscoped_count():
    assert (
        ev(
            {"table": "t/tests.csv", "where": {"group": "z"}, "column": "p", "aggregate": "max", "op": "<", "value": 1}
        ).value
        is None
    )
    assert ev({"table": "t/tests.csv", "column": "p", "aggregate": "max", "op": "<", "value": 1}).value is None
    out = ev({"table": "t/tests.csv", "where": {"group": "z"}, "aggregate": "count", "op": "==", "value": 0})
    assert out.value is None
    assert "absent evidence: no row of t/tests.csv where group = 'z'" in out.reasons[0]
    scoped = ev(
        {
            "table": "t/tests.csv",
            "where": {"group": "z"},
            "aggregate": "count",
            "op": "==",
            "value": 0,
            "scope": {"variable": {"notnull": True}},
        }
    )
    assert scoped.value is True and scoped.figures[0].value == 0


def test_abs_transform():
    node = {"table": "t/tests.csv", "where": {"variable": "a"}, "column": "d", "abs": True, "op": ">", "value": 0.25}
    assert ev(node).value is True and ev({**node, "abs": False}).value is False
    assert ev({"table": "t/tests.csv", "column": "d", "aggregate": "max", "abs": True, "op": "==", "value": 0.4}).value


def test_row_quantifiers_and_shown_rows():
    base = {
        "table": "t/tests.csv",
        "where": {"group": "x"},
        "column": "p",
        "op": "<",
        "threshold": "alpha",
        "show": ["variable"],
    }
    assert ev({**base, "rows": "any"}).value is True
    assert ev({**base, "rows": "any"}).figures[0].rows == ["variable=b"]
    assert ev({**base, "rows": "all"}).value is False
    none = ev({**base, "rows": "none"})
    assert none.value is False and none.figures[0].rows == ["variable=b"]
    # an empty value makes 'all' unknown unless another row already decides it
    assert ev({**base, "where": {"group": "y"}, "rows": "none"}).value is None
    assert ev({**base, "where": {"group": "y"}, "rows": "all", "op": ">"}).value is None
    assert ev({**base, "where": {"group": "y"}, "rows": "all"}).value is False
    # no selected row: unknown (never vacuously true)
    assert ev({**base, "where": {"group": "z"}, "rows": "all"}).value is None


@pytest.mark.parametrize(
    "where,expected",
    [
        ({"variable": "a"}, ["a"]),
        ({"variable": ["a", "c"]}, ["a", "c"]),
        ({"variable": {"in": ["a", "c"]}}, ["a", "c"]),
        ({"variable": {"not_in": ["a", "c"]}}, ["b", "d"]),
        ({"variable": {"!=": "a"}}, ["b", "c", "d"]),
        ({"p": {"<": "alpha"}}, ["b"]),
        ({"p": {">=": 0.2}}, ["a", "c"]),
        ({"p": {">": 0.01, "<=": 0.2}}, ["a"]),
        ({"variable": {"regex": "^[ab]$"}}, ["a", "b"]),
        ({"variable": {"regex": ["[a-c]", "[b-d]"]}}, ["b", "c"]),
        ({"variable": {"not_regex": "^[ab]$"}}, ["c", "d"]),
        ({"p": {"notnull": True}}, ["a", "b", "c"]),
        ({"p": {"isnull": True}}, ["d"]),
        ({"flag_1": {"ne_column": "flag_2"}}, ["b"]),
        ({"flag_1": {"eq_column": "flag_2"}}, ["a", "c", "d"]),
        ({"flag_1": True}, ["a", "c"]),
        ({"flag_1": "True"}, ["a", "c"]),
        ({"group": "y", "d": {">": 0.1}}, ["d"]),
    ],
)
def test_where_filters(where, expected):
    out = ev(
        {"table": "t/tests.csv", "where": where, "aggregate": "count", "op": ">=", "value": 0, "show": ["variable"]}
    )
    assert out.figures[0].value == len(expected)
    assert out.figures[0].rows == [f"variable={v}" for v in expected]


def test_equality_across_csv_types():
    frame = pd.DataFrame({"k": ["1", "x"], "b": ["True", "false"], "n": [1.0, 2.0]})
    tables = {"t.csv": frame}
    assert ev({"table": "t.csv", "where": {"k": 1}, "column": "n", "op": "==", "value": 1}, tables).value is True
    assert ev({"table": "t.csv", "where": {"k": "x"}, "column": "b", "op": "==", "value": False}, tables).value is True


def test_json_key_leaf():
    node = {"table": "fsqca/summary.json", "key": "main_solution_models", "op": ">", "value": 1}
    assert ev(node).value is True
    assert ev({**node, "key": "nested.list.1", "op": "==", "value": 4}).value is True
    missing = ev({**node, "key": "nested.nope"})
    assert missing.value is None and "key 'nested.nope' not in fsqca/summary.json" in missing.reasons[0]
    assert ev({**node, "key": "empty"}).value is None


# --- combinators: Kleene logic -------------------------------------------------------------

T = leaf(column="inclN", op=">", value=0.5)
F = leaf(column="inclN", op="<", value=0.5)
U = {"table": "sem/absent.csv", "column": "b", "op": ">", "value": 0}


@pytest.mark.parametrize(
    "parts,all_,any_",
    [
        ([T, T], True, True),
        ([T, F], False, True),
        ([F, F], False, False),
        ([T, U], None, True),
        ([F, U], False, None),
        ([U, U], None, None),
    ],
)
def test_all_and_any_are_three_valued(parts, all_, any_):
    assert ev({"all": parts}).value is all_
    assert ev({"any": parts}).value is any_


@pytest.mark.parametrize("node,expected", [({"not": T}, False), ({"not": F}, True), ({"not": U}, None)])
def test_not(node, expected):
    assert ev(node).value is expected


@pytest.mark.parametrize(
    "parts,n,expected",
    [
        ([T, T, F], 2, True),
        ([T, F, F], 2, False),
        ([T, U, F], 2, None),
        ([T, U, U], 2, None),
        ([F, U, F], 2, False),
        ([T, T, U], "two", True),
    ],
)
def test_at_least(parts, n, expected):
    assert ev({"at_least": {"n": n, "of": parts}}).value is expected


def test_claim_reference():
    claims = {"a": True, "b": False, "c": None}
    assert ev({"claim": "a"}, claims=claims).value is True
    assert ev({"claim": "b"}, claims=claims).value is False
    out = ev({"claim": "c"}, claims=claims)
    assert out.value is None and out.figures[0].value == "inconclusive"


def test_unknown_reasons_are_reported_only_when_undecided():
    assert ev({"all": [F, U]}).reasons == []
    assert "sem/absent.csv" in ev({"all": [T, U]}).reasons[0]


def test_render_rule():
    text = render_rule(
        {
            "all": [
                leaf(column="inclN", op=">=", threshold="cut"),
                {"not": {"claim": "x"}},
                {"at_least": {"n": "two", "of": [T, F]}},
            ]
        },
        THRESHOLDS,
    )
    assert text.startswith("ALL of (fsqca/necessity.csv [expression = 'CAP'] inclN >= 0.800 (cut); NOT (claim x")
    assert "AT LEAST 2 (two) of (" in text


def test_fmt():
    assert [fmt(v) for v in (0.91, 0.00043, 3, 2.0, True, None, float("nan"), "x")] == [
        "0.910",
        "4.30e-04",
        "3",
        "2",
        "True",
        "NA",
        "NA",
        "x",
    ]


# --- whole claims --------------------------------------------------------------------------


def _registry(**claim):
    base = {
        "id": "c1",
        "study": "Study 2",
        "statement": "s",
        "source": "abstract",
        "analysis": "a",
        "statistic": "x",
        "rule": leaf(column="inclN", op=">=", threshold="cut"),
    }
    return {
        "title": "t",
        "registered": "2026-11-29",
        "thresholds": {k: {"value": v, "source": "test"} for k, v in THRESHOLDS.items()},
        "claims": [{**base, **claim}],
    }


def test_verdicts_flags_inconclusive_and_evidence():
    reg = _registry(
        inconclusive_when={"table": "fsqca/summary.json", "key": "main_solution_models", "op": ">", "value": 10},
        flags=[
            {"id": "ron", "message": "fails relevance", "when": leaf(column="RoN", op="<", value=0.6)},
            {"id": "quiet", "message": "never", "when": F},
        ],
    )
    result = evaluate_claims(reg, TABLES)
    row = result.to_frame().iloc[0]
    assert row["verdict"] == "supported"
    assert row["flags"].startswith("ron: fails relevance (")
    assert row["evidence"] == "results/fsqca/necessity.csv;results/fsqca/summary.json"
    assert list(result.to_frame().columns)[:10] == [
        "claim_id",
        "study",
        "statement",
        "analysis",
        "statistic",
        "rule",
        "figures",
        "verdict",
        "flags",
        "evidence",
    ]
    gated = evaluate_claims(
        _registry(
            inconclusive_when={"table": "fsqca/summary.json", "key": "main_solution_models", "op": ">", "value": 1},
            inconclusive_reason="n/a here",
        ),
        TABLES,
    )
    assert gated.verdict("c1") == "inconclusive" and gated.claims[0].reason.startswith("n/a here")
    failing = evaluate_claims(_registry(rule=F), TABLES)
    assert failing.verdict("c1") == "not supported"
    missing = evaluate_claims(_registry(rule=U), TABLES)
    assert missing.verdict("c1") == "inconclusive"
    assert missing.claims[0].missing_evidence == ["results/sem/absent.csv"]
    assert "sem/absent.csv is not among the results" in missing.claims[0].reason


def test_claims_referring_to_claims_are_evaluated_after_them():
    reg = _registry()
    reg["claims"].insert(0, {**reg["claims"][0], "id": "both", "rule": {"all": [{"claim": "c1"}, {"claim": "c2"}]}})
    reg["claims"].append({**reg["claims"][1], "id": "c2", "rule": F})
    result = evaluate_claims(load_registry(reg), TABLES)
    assert [c.claim_id for c in result.claims] == ["both", "c1", "c2"]
    assert result.verdict("both") == "not supported"
    assert result.claims[0].evidence == ["results/fsqca/necessity.csv"]


def test_result_is_deterministic_and_json_ready():
    import json

    a = evaluate_claims(_registry(), TABLES)
    b = evaluate_claims(_registry(), TABLES)
    assert json.dumps(a.to_dict(), sort_keys=True) == json.dumps(b.to_dict(), sort_keys=True)
    assert a.to_dict()["counts"] == {"supported": 1, "not supported": 0, "inconclusive": 0}
    assert "[supported] c1" in a.summary()


def test_in_table_filter_reads_the_values_of_another_table():
    verdicts = pd.DataFrame({"configuration": ["A*B", "C", "D*E"], "verdict": ["robust: x", "fragile: y", "robust: z"]})
    solutions = pd.DataFrame({"term": ["A*B", "C", "D*E", "(model)"], "inclS": [0.9, 0.95, 0.7, 0.85]})
    tables = {"v.csv": verdicts, "s.csv": solutions}
    node = {
        "table": "v.csv",
        "aggregate": "count",
        "op": ">=",
        "value": 1,
        "show": ["configuration"],
        "where": {
            "verdict": {"regex": "^robust"},
            "configuration": {"in_table": {"table": "s.csv", "column": "term", "where": {"inclS": {">=": "cut"}}}},
        },
    }
    out = ev(node, tables)
    assert out.value is True and out.figures[0].value == 1 and out.figures[0].rows == ["configuration=A*B"]
    assert "configuration in s.csv [inclS >= 0.800 (cut)] term" in render_rule(node, THRESHOLDS)
    missing = ev(node, {"v.csv": verdicts})
    assert (
        missing.value is None
        and "s.csv (in_table filter on configuration) is not among the results" in missing.reasons[0]
    )
    from nero.claims.rules import rule_tables

    assert rule_tables(node) == ["v.csv", "s.csv"]
