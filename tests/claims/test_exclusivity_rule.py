"""Mutual exclusivity as a subset relation (nero.fsqca.exclusivity) and the claim that reads it.

``study2.not_mutually_exclusive`` is supported when none of INST <= ~VIRT, VIRT <= ~INST,
EFF <= ~MKT, MKT <= ~EFF reaches the study's sufficiency consistency cut (.80, config
fsqca.incl_cut); not supported when one does; inconclusive when a relation is missing.
The table is checked against hand-computed consistencies, the rule at its edges (below, on,
above the cut; both pairs; each direction; empty and missing tables), and the rule's
population figure against the truth map's processes (planted, null, weak: not exclusive) and
a process of pure archetypes only (exclusive).
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from nero.claims import evaluate_claims, load_registry
from nero.fsqca import MembershipRangeError, MissingColumnError
from nero.fsqca.exclusivity import EXCLUSIVITY_COLUMNS, exclusivity_table
from nero.testing import REPO

REGISTRY = load_registry(REPO / "config" / "claims.yaml")
CLAIM = "study2.not_mutually_exclusive"
CUT = REGISTRY.thresholds["sufficiency_consistency"]
RELATIONS = [("INST", "VIRT"), ("VIRT", "INST"), ("EFF", "MKT"), ("MKT", "EFF")]


# --- the table ---------------------------------------------------------------------------


def test_consistency_of_x_in_not_y_by_hand():
    # x = (1, .8, .2, 0), y = (0, .6, .9, 1): min(x, 1 - y) = (1, .4, .1, 0) -> 1.5 / 2.0 = .75
    # y in ~x: min(y, 1 - x) = (0, .2, .8, 1) -> 2.0 / 2.5 = .80
    members = pd.DataFrame({"A": [1.0, 0.8, 0.2, 0.0], "B": [0.0, 0.6, 0.9, 1.0]})
    t = exclusivity_table(members, ["A", "B"]).set_index("relation")
    assert list(t.columns) == EXCLUSIVITY_COLUMNS[:2] + EXCLUSIVITY_COLUMNS[3:]
    assert t.loc["A <= ~B", "inclS"] == pytest.approx(0.75, abs=1e-12)
    assert t.loc["B <= ~A", "inclS"] == pytest.approx(0.80, abs=1e-12)
    # coverage of ~B by A: 1.5 / sum(1 - y) = 1.5 / 1.5
    assert t.loc["A <= ~B", "covS"] == pytest.approx(1.0, abs=1e-12)
    # PRI: (1.5 - sum(min(x, 1 - y, y))) / (2.0 - that); min(x, 1-y, y) = (0, .4, .1, 0) = .5 -> 1.0 / 1.5
    assert t.loc["A <= ~B", "PRI"] == pytest.approx(1.0 / 1.5, abs=1e-12)
    # members (> .5) of both: case 2 only (.8, .6)
    assert t.loc["A <= ~B", "n_both"] == 1 and t.loc["A <= ~B", "share_both"] == pytest.approx(0.25)


def test_crisp_exclusive_sets_are_fully_consistent_and_combined_sets_are_not():
    exclusive = pd.DataFrame({"A": [1, 1, 0, 0], "B": [0, 0, 1, 1]}, dtype=float)
    t = exclusivity_table(exclusive, ["A", "B"])
    assert t["inclS"].tolist() == [1.0, 1.0] and t["n_both"].tolist() == [0, 0]
    combined = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0]}, dtype=float)
    assert exclusivity_table(combined, ["A", "B"])["inclS"].tolist() == [0.5, 0.5]


def test_every_ordered_pair_once_and_the_fsqca_package_agrees():
    from nero.fsqca import fit_parameters

    rng = np.random.default_rng(3)
    members = pd.DataFrame(rng.uniform(size=(40, 3)), columns=["A", "B", "C"])
    t = exclusivity_table(members, ["A", "B", "C"])
    assert t["relation"].tolist() == ["A <= ~B", "A <= ~C", "B <= ~A", "B <= ~C", "C <= ~A", "C <= ~B"]
    # the same subset relation as fsQCA's sufficiency of A for the negated outcome ~B
    members["notB"] = 1 - members["B"]
    ref = fit_parameters(members, "A", "notB").to_frame()
    assert t.loc[0, "inclS"] == pytest.approx(float(ref["inclS"].iloc[0]), abs=1e-9)


def test_empty_and_bad_input():
    empty = exclusivity_table(pd.DataFrame({"A": [], "B": []}, dtype=float), ["A", "B"])
    assert empty.empty and list(empty.columns) == EXCLUSIVITY_COLUMNS
    with pytest.raises(MissingColumnError, match="'C'"):
        exclusivity_table(pd.DataFrame({"A": [0.2], "B": [0.4]}), ["A", "C"])
    with pytest.raises(MembershipRangeError, match="column 'B'.*outside"):
        exclusivity_table(pd.DataFrame({"A": [0.2, 0.3], "B": [0.4, 1.5]}), ["A", "B"])


# --- the rule ----------------------------------------------------------------------------


def _tables(**incl):
    """``fsqca/exclusivity.csv`` with the four relations at .60 unless given (``INST_VIRT=.8``)."""
    rows = [
        {"set": x, "other": y, "relation": f"{x} <= ~{y}", "inclS": incl.get(f"{x}_{y}", 0.60)} for x, y in RELATIONS
    ]
    return {"fsqca/exclusivity.csv": pd.DataFrame(rows)}


def _verdict(tables):
    return evaluate_claims(REGISTRY, tables).verdict(CLAIM)


def test_the_cut_is_the_studys_sufficiency_cut():
    import yaml

    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    assert CUT == config["fsqca"]["incl_cut"] == 0.80


@pytest.mark.parametrize("relation", ["INST_VIRT", "VIRT_INST", "EFF_MKT", "MKT_EFF"])
@pytest.mark.parametrize(
    "value,expected",
    [
        (CUT - 1e-6, "supported"),  # just below the cut: the data do not show exclusivity
        (CUT, "not supported"),  # on the cut: the subset relation is shown (>= .80)
        (CUT - 1e-12, "not supported"),  # within the registry tolerance of the cut: on it
        (CUT + 1e-6, "not supported"),
        (1.0, "not supported"),
    ],
)
def test_each_direction_of_each_pair_at_the_cut(relation, value, expected):
    assert _verdict(_tables(**{relation: value})) == expected


def test_all_four_below_supports():
    assert _verdict(_tables()) == "supported"


@pytest.mark.parametrize("drop", RELATIONS)
def test_a_missing_relation_is_inconclusive_never_supported(drop):
    tables = _tables()
    frame = tables["fsqca/exclusivity.csv"]
    tables["fsqca/exclusivity.csv"] = frame[~((frame["set"] == drop[0]) & (frame["other"] == drop[1]))]
    assert _verdict(tables) == "inconclusive"


def test_an_empty_or_absent_table_is_inconclusive():
    assert _verdict({"fsqca/exclusivity.csv": pd.DataFrame(columns=EXCLUSIVITY_COLUMNS)}) == "inconclusive"
    assert _verdict({}) == "inconclusive"


def test_one_pair_exclusive_is_enough_to_fail_even_with_the_other_unknown():
    tables = _tables(EFF_MKT=0.9)
    frame = tables["fsqca/exclusivity.csv"]
    tables["fsqca/exclusivity.csv"] = frame[frame["set"] != "INST"]
    assert _verdict(tables) == "not supported"


# --- the rule's population figure against the processes of the stand-in ----------------------


def _population(params, draws=50_000):
    from nero.simulate.dgp import simulate_latents

    frame = simulate_latents(np.random.default_rng(20251125), draws, params)
    members = pd.DataFrame({k: frame[f"m_{k}"].to_numpy() for k in ("INST", "VIRT", "EFF", "MKT")})
    t = exclusivity_table(members, ["INST", "VIRT", "EFF", "MKT"])
    return {(r.set, r.other): r.inclS for r in t.itertuples() if (r.set, r.other) in RELATIONS}


@pytest.mark.parametrize("scenario", ["planted", "null", "weak"])
def test_population_consistency_is_below_the_cut_where_the_truth_map_plants_combinable_sets(scenario):
    from nero.simulate import claims_truth, scenario_parameters

    truth = claims_truth(scenario, draws=20_000)["claims"][CLAIM]
    assert truth["truth"] == "planted true"
    incl = _population(scenario_parameters(scenario))
    # latent population memberships, 200 000 draws in docs/claims.md: .584, .582, .639, .671
    assert max(incl.values()) < CUT - 0.1, incl


def test_population_of_pure_archetypes_is_exclusive_by_the_rule():
    from nero.simulate import scenario_parameters

    params = scenario_parameters("planted")
    pure = {k: (0.25 if k in ("IO", "SE", "PO", "AGS") else 0.0) for k in params.type_probs}
    incl = _population(dataclasses.replace(params, type_probs=pure))
    # every firm is one of the four archetypes, each on one pole of each axis: about .94
    assert min(incl.values()) > CUT + 0.1, incl
