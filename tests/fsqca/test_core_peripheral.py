"""Core and peripheral conditions per intermediate model (nero.fsqca.study.core_peripheral).

Fiss (2011): core conditions are those of the parsimonious solution, peripheral those only the
intermediate solution has. Computed per intermediate model from the parsimonious model(s) it
derives from (the (conservative, parsimonious) pair of R QCA's i.sol that gave it), never from
the union of every tied parsimonious model. Hand-worked cases, then the real engine.
"""

from types import SimpleNamespace

import pandas as pd
import pytest

from nero.fsqca._errors import FsqcaError
from nero.fsqca.minimization import minimize
from nero.fsqca.study import core_peripheral, core_peripheral_table, nested_parsimonious_models
from nero.fsqca.truthtable import truth_table


def _sol(models, pairs=None):
    return SimpleNamespace(models=models, counterfactuals=pairs)


def test_one_nested_parsimonious_model_hand_worked():
    main = _sol([["A*B*C", "~A*D"]], [{"parsimonious_model": 1, "models": [1]}])
    pars = _sol([["A*B", "D"]])
    chart = core_peripheral(main, pars, 0, ["A", "B", "C", "D"])
    assert chart["A*B*C"].tolist() == ["core present", "core present", "peripheral present", ""]
    assert chart["~A*D"].tolist() == ["peripheral absent", "", "", "core present"]


def test_two_parsimonious_models_core_only_where_both_agree():
    # A*B*C contains A*B (P1) and B*C (P2): B is core under both, A and C under one each
    main = _sol(
        [["A*B*C", "~A*D"]], [{"parsimonious_model": 1, "models": [1]}, {"parsimonious_model": 2, "models": [1]}]
    )
    pars = _sol([["A*B", "D"], ["B*C", "D"]])
    chart = core_peripheral(main, pars, 0, ["A", "B", "C", "D"])
    assert chart["A*B*C"].tolist() == ["peripheral present", "core present", "peripheral present", ""]
    table = core_peripheral_table(main, pars, ["A", "B", "C", "D"]).set_index(["term", "condition"])
    assert table.loc[("A*B*C", "A"), "core_in"] == 1 and table.loc[("A*B*C", "B"), "core_in"] == 2
    assert (table["of"] == 2).all() and table.loc[("~A*D", "D"), "status"] == "core present"
    assert set(table["parsimonious_models"]) == {"M1, M2"}


def test_the_union_of_tied_parsimonious_models_is_not_used():
    # P2 is tied but the intermediate model does not derive from it: C stays peripheral
    main = _sol([["A*B*C"]], [{"parsimonious_model": 1, "models": [1]}, {"parsimonious_model": 2, "models": [2]}])
    pars = _sol([["A*B"], ["C"]])
    assert core_peripheral(main, pars, 0, ["A", "B", "C"])["A*B*C"].tolist() == [
        "core present",
        "core present",
        "peripheral present",
    ]


def test_without_pair_records_the_termwise_nested_models_are_used_and_none_is_an_error():
    main = _sol([["A*B*C"]])
    assert nested_parsimonious_models(main, _sol([["A*B"], ["C*E"]]), 0) == [0]
    with pytest.raises(FsqcaError, match="M1: no parsimonious model is nested"):
        core_peripheral(main, _sol([["C*E"]]), 0, ["A", "B", "C"])


def test_real_engine_textbook_case():
    """Crisp, three conditions: only A*B*C shows the outcome, A*B*~C is a remainder. The
    parsimonious solution uses it (A*B); with the expectation that C contributes when present,
    A*B*~C is a difficult counterfactual, so the intermediate solution is A*B*C (Ragin 2008, ch. 9):
    A and B core, C peripheral."""
    rows = []
    for a in (0, 1):
        for b in (0, 1):
            for c in (0, 1):
                if (a, b, c) == (1, 1, 0):
                    continue  # the remainder
                rows += [{"A": a, "B": b, "C": c, "Y": int(a and b and c)}] * 2
    tt = truth_table(pd.DataFrame(rows, dtype=float), "Y", ["A", "B", "C"], incl_cut=0.8, n_cut=1)
    main = minimize(tt, "intermediate", dir_exp=["A", "B", "C"])
    pars = minimize(tt, "parsimonious")
    assert pars.models == [["A*B"]] and main.models == [["A*B*C"]]
    chart = core_peripheral(main, pars, 0, ["A", "B", "C"])
    assert chart["A*B*C"].tolist() == ["core present", "core present", "peripheral present"]
