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
