"""The study configuration is validated, and a bad key is named with what was expected."""

import copy

import pytest
import yaml

from nero.config import ConfigError, check_config, config_errors


@pytest.fixture(scope="module")
def shipped(repo_root):
    return yaml.safe_load((repo_root / "config" / "config.yaml").read_text())


@pytest.fixture(scope="module")
def schema(repo_root):
    return yaml.safe_load((repo_root / "config" / "schema.yaml").read_text())


def test_shipped_config_is_valid(shipped, schema):
    assert config_errors(shipped, schema) == []


def test_missing_key_is_named(shipped, schema):
    bad = copy.deepcopy(shipped)
    del bad["seed"]
    assert "seed: required key is missing" in config_errors(bad, schema)


def test_wrong_type_and_range_are_named(shipped, schema):
    bad = copy.deepcopy(shipped)
    bad["survey"]["speeder_share"] = 2
    bad["raw_dir"] = 5
    errors = config_errors(bad, schema)
    assert "survey.speeder_share: expected a value <= 1, got 2" in errors
    assert "raw_dir: expected string, got 5" in errors


def test_unknown_key_is_an_error(shipped, schema, repo_root):
    bad = copy.deepcopy(shipped)
    bad["survey"]["speeder_shares"] = 0.3
    errors = config_errors(bad, schema)
    assert any(e.startswith("survey:") and "speeder_shares" in e for e in errors)
    with pytest.raises(ConfigError, match="speeder_shares"):
        check_config(bad, repo_root / "config" / "schema.yaml")


def test_fsqca_anchors_out_of_order_are_caught_before_the_run_naming_the_key(shipped, repo_root):
    from nero.config import semantic_errors

    assert semantic_errors(shipped) == []
    bad = copy.deepcopy(shipped)
    bad["fsqca"]["anchors"]["VIRT"].update(exclusion=4.0, crossover=2.5)
    with pytest.raises(ConfigError) as caught:
        check_config(bad, repo_root / "config" / "schema.yaml")
    assert "fsqca.anchors.VIRT: anchors out of order (exclusion=4, crossover=2.5, inclusion=5.5)" in str(caught.value)
    # a decreasing set (all three reversed) is a legitimate calibration
    reversed_ = copy.deepcopy(shipped)
    reversed_["fsqca"]["anchors"]["VIRT"].update(exclusion=5.5, crossover=4.0, inclusion=2.5)
    assert semantic_errors(reversed_) == []


def test_percentile_anchors_and_contradiction_cut_orders(shipped):
    from nero.config import semantic_errors

    bad = copy.deepcopy(shipped)
    bad["fsqca"]["percentile_anchors"] = [0.5, 0.05, 0.95]
    bad["fsqca"]["incl_cut_contradiction"] = 0.95
    errors = semantic_errors(bad)
    assert any(e.startswith("fsqca.percentile_anchors:") for e in errors)
    assert any(e.startswith("fsqca.incl_cut_contradiction:") for e in errors)
