"""The frequency-cut sensitivity of the Study 2 fsQCA (nero.fsqca.study.frequency_cut_solutions,
frequency_cut_sensitivity; workflow rule fsqca_frequency_cut_sensitivity).

Checked on hand-made memberships (the share of cases each cut keeps, counted by hand) and on
the shipped reference build: the row of the chosen cut is the study's own main solution and
ESA, and its verdicts are the study's verdicts.
"""

import dataclasses

import pandas as pd
import pytest
import yaml

from nero.claims import evaluate_claims, load_registry, read_tables, verdicts_by_variant
from nero.fsqca.settings import FsqcaSettings
from nero.fsqca.steps import build_truth_tables
from nero.fsqca.study import frequency_cut_sensitivity, frequency_cut_solutions
from nero.testing import REPO

REFERENCE = REPO / "results-reference"
SETTINGS = FsqcaSettings.from_config(yaml.safe_load((REPO / "config" / "config.yaml").read_text())["fsqca"])


def _crisp(counts):
    """Crisp memberships: ``counts`` maps (A, B, Y) to a number of identical cases."""
    rows = [{"A": a, "B": b, "Y": y} for (a, b, y), k in counts.items() for _ in range(k)]
    return pd.DataFrame(rows, dtype=float)


def test_share_of_cases_kept_at_a_fixed_cut_by_hand():
    data = _crisp({(1, 1, 1): 5, (1, 0, 0): 3, (0, 1, 0): 1, (0, 0, 0): 1})
    settings = dataclasses.replace(SETTINGS, incl_cut_contradiction=None)
    assert build_truth_tables(data, "Y", ["A", "B"], settings, n_cut=1).share == pytest.approx(1.0)
    assert build_truth_tables(data, "Y", ["A", "B"], settings, n_cut=2).share == pytest.approx(0.8)  # 8 of 10
    assert build_truth_tables(data, "Y", ["A", "B"], settings, n_cut=4).share == pytest.approx(0.5)  # 5 of 10
    assert build_truth_tables(data, "Y", ["A", "B"], settings, n_cut=4).n_cut == 4


def test_every_cut_up_to_the_chosen_one_and_a_cut_with_no_solution():
    data = _crisp({(1, 1, 1): 5, (1, 0, 0): 3, (0, 1, 0): 1, (0, 0, 0): 1})
    settings = dataclasses.replace(
        SETTINGS, incl_cut_contradiction=None, dir_exp=["A", "B"], dir_exp_negated=["~A", "~B"]
    )
    long = frequency_cut_solutions(data, "Y", ["A", "B"], settings, chosen=6)
    summary = frequency_cut_sensitivity(long, outcome="Y").set_index("n_cut")
    assert list(summary.index) == [1, 2, 3, 4, 5, 6]
    assert summary.loc[1, "main_solution"] == "A*B" and summary.loc[1, "error"] == ""  # every row observed
    assert summary.loc[1, "share_of_cases_kept"] == 1 and summary.loc[4, "share_of_cases_kept"] == pytest.approx(0.5)
    assert summary.loc[6, "main_solution"] == "" and summary.loc[6, "error"] != ""  # the one positive row has 5 cases
    assert summary["chosen"].tolist() == [False] * 5 + [True]


@pytest.fixture(scope="module")
def shipped():
    registry = load_registry(REPO / "config" / "claims.yaml")
    long = pd.read_csv(REFERENCE / "fsqca" / "frequency_cut_solutions.csv")
    table = pd.read_csv(REFERENCE / "fsqca" / "frequency_cut_sensitivity.csv").set_index("n_cut")
    return registry, long, table


def test_the_chosen_cut_is_the_studys_solution_and_verdicts(shipped):
    registry, long, table = shipped
    chosen = int(pd.read_csv(REFERENCE / "fsqca" / "frequency_cut.csv")["n_cut"].iloc[0])
    assert list(table.index) == list(range(1, chosen + 1)) and table.loc[chosen, "chosen"]
    main = pd.read_csv(REFERENCE / "fsqca" / "solutions.csv")
    m1 = main[(main["outcome"] == "SCO") & (main["solution"] == "intermediate") & (main["model"] == "M1")]
    assert table.loc[chosen, "main_solution"] == " + ".join(t for t in m1["term"] if t != "(model)")
    assert table.loc[chosen, "intermediate_models"] == m1["n_models"].iloc[0]
    assert table["share_of_cases_kept"].is_monotonic_decreasing
    tables = read_tables(REFERENCE, registry.tables())
    study = evaluate_claims(registry, tables)
    for column in [c for c in table.columns if c.startswith("verdict: ")]:
        assert table.loc[chosen, column] == study.verdict(column[len("verdict: ") :]), column
    assert {
        "verdict: study2.equifinality",
        "verdict: study2.orchestration",
        "verdict: integration.archetypes_matched",
    } <= set(table.columns)


def test_verdicts_by_variant_replaces_only_the_named_tables(shipped):
    registry, _, _ = shipped
    tables = read_tables(REFERENCE, registry.tables())
    out = verdicts_by_variant(
        registry, tables, {"none": {"fsqca/solutions.csv": None}, "as is": {}}, reads="fsqca/solutions.csv"
    ).set_index(["variant", "claim_id"])
    assert (out.loc["none", "verdict"] == "inconclusive").all()  # absent evidence, never "not supported"
    study = evaluate_claims(registry, tables)
    for claim_id, row in out.loc["as is"].iterrows():
        assert row["verdict"] == study.verdict(claim_id)
