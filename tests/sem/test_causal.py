"""The declared causal model: covariates of each specification, refusals, and the drawing."""

import pytest
import yaml

from nero.sem.causal import CausalModel, CausalModelError, draw_causal_model
from nero.testing import REPO

SPEC = yaml.safe_load((REPO / "config" / "config.yaml").read_text())["sem"]["causal_model"]


@pytest.fixture(scope="module")
def dag():
    return CausalModel.from_config(SPEC)


def test_ambidexterity_through_capacity_to_scale_out(dag):
    covs = dag.covariates(["INST", "VIRT", "AMB"], "SCO", "CAP")
    assert covs == ["EFF", "MKT", "log_firm_age", "sector", "wave"]
    assert dag.excluded(
        ["log_employees", "log_foreign_markets", "years_abroad", "log_firm_age"], ["INST", "VIRT", "AMB"], "SCO", "CAP"
    ) == ["log_employees", "log_foreign_markets", "years_abroad"]


def test_market_seeking_on_capacity(dag):
    assert dag.covariates(["MKT"], "CAP") == ["INST", "VIRT", "EFF", "AMB", "log_firm_age", "sector", "wave"]


def test_a_graph_without_the_descendant_edges_keeps_every_control():
    spec = {
        "nodes": SPEC["nodes"],
        "edges": [e for e in SPEC["edges"] if e[0] not in ("CAP", "SCO") or e[1] in ("SCO",)],
    }
    covs = CausalModel.from_config(spec).covariates(["INST", "VIRT", "AMB"], "SCO", "CAP")
    assert {"log_employees", "log_foreign_markets", "years_abroad"} <= set(covs)


@pytest.mark.parametrize(
    "spec,message",
    [
        ({"nodes": {"A": "construct", "B": "construct"}, "edges": [["A", "B"], ["B", "A"]]}, "has a cycle (A -> B"),
        ({"nodes": {"A": "construct"}, "edges": [["A", "Z"]]}, "edges[0]: 'Z' is not a declared node"),
        ({"nodes": {"A": "factor"}, "edges": []}, "nodes.A: role must be one of"),
        ({"nodes": {"A": "construct"}}, "expected a mapping with 'nodes' and 'edges'"),
        ({"nodes": {"A": "construct"}, "edges": [["A"]]}, "edges[0]: expected [cause, effect]"),
    ],
)
def test_malformed_models_are_refused_by_name(spec, message):
    with pytest.raises(CausalModelError) as info:
        CausalModel.from_config(spec)
    assert message in str(info.value)


def test_unknown_exposure_is_refused(dag):
    with pytest.raises(CausalModelError, match="'XYZ' is not a node"):
        dag.covariates(["XYZ"], "SCO")


def test_the_figure_is_byte_reproducible(dag, tmp_path):
    draw_causal_model(dag, str(tmp_path / "a.png"))
    draw_causal_model(dag, str(tmp_path / "b.png"))
    data = (tmp_path / "a.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data == (tmp_path / "b.png").read_bytes()
