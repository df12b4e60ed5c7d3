"""The claims registry: the shipped one is valid; every kind of mistake is refused by name."""

import copy

import pytest
import yaml

from nero.claims import RegistryError, load_registry
from nero.testing import REPO

SHIPPED = yaml.safe_load((REPO / "config" / "claims.yaml").read_text())
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def test_shipped_registry_is_valid_and_names_the_required_claims():
    registry = load_registry(REPO / "config" / "claims.yaml")
    ids = [c.id for c in registry.claims]
    for required in [
        "study1.four_strategies",
        "study2.equifinality",
        "integration.archetypes_matched",
        "study2.logic_inversion",
        "study2.logic_inversion.necessity",
        "study2.logic_inversion.mediation",
        "study2.ambidexterity_multiplier",
        "study2.capacity_boosting",
        "survey.measurement_validity",
        "survey.no_common_method_bias",
        "survey.no_nonresponse_bias",
        "survey.invariance_across_waves",
    ]:
        assert required in ids
    assert {c.study for c in registry.claims} >= {"Study 1", "Study 2", "integration", "survey quality"}
    assert len(registry.digest) == 64


def test_registry_thresholds_agree_with_the_study_config():
    """Thresholds that restate a config setting must equal it (one source of truth per rule)."""
    t = load_registry(SHIPPED).thresholds
    assert t["necessity_consistency"] == CONFIG["fsqca"]["necessity_threshold"]
    assert t["necessity_relevance"] == CONFIG["fsqca"]["necessity_ron"]
    assert t["sufficiency_consistency"] == CONFIG["fsqca"]["incl_cut"]
    assert t["coding_reliability"] == CONFIG["qual"]["reliability"]["acceptable"]
    assert 1 - t["alpha"] == CONFIG["sem"]["conf"]


def _broken(change):
    data = copy.deepcopy(SHIPPED)
    change(data)
    with pytest.raises(RegistryError) as info:
        load_registry(data)
    return str(info.value)


def _claim(data, cid):
    return next(c for c in data["claims"] if c["id"] == cid)


def test_missing_required_key_names_claim_and_key():
    msg = _broken(lambda d: _claim(d, "study2.equifinality").pop("statistic"))
    assert "claim 'study2.equifinality': statistic: required key is missing" in msg


def test_misspelt_key_names_claim_and_path():
    def change(d):
        _claim(d, "survey.measurement_validity")["rule"]["all"][0]["colum"] = "cfi"

    msg = _broken(change)
    assert "claim 'survey.measurement_validity': rule.all[0]: Additional properties are not allowed ('colum'" in msg


def test_wrong_study_and_operator():
    msg = _broken(lambda d: _claim(d, "study2.equifinality").update(study="Study 3"))
    assert "claim 'study2.equifinality': study: expected one of" in msg

    def bad_op(d):
        _claim(d, "study2.logic_inversion.necessity")["rule"]["all"][1]["op"] = "=>"

    assert "claim 'study2.logic_inversion.necessity': rule.all[1].op: expected one of" in _broken(bad_op)


def test_unknown_threshold_names_the_threshold():
    def change(d):
        _claim(d, "study2.logic_inversion.necessity")["rule"]["all"][0]["threshold"] = "necesity_consistency"

    msg = _broken(change)
    assert (
        "claim 'study2.logic_inversion.necessity': rule.all[0].threshold: unknown threshold 'necesity_consistency'"
        in msg
    )


def test_unknown_threshold_in_a_filter():
    def change(d):
        _claim(d, "study2.not_mutually_exclusive")["rule"]["all"][0]["where"]["INST"] = {">": "sufficiency"}

    assert "rule.all[0].where.INST.>: 'sufficiency' is neither a number nor a registry threshold" in _broken(change)


def test_duplicate_ids_unknown_reference_and_cycles():
    def dup(d):
        d["claims"].append(copy.deepcopy(d["claims"][0]))

    assert "claim 'study1.four_strategies': id: duplicate id (also claims[0])" in _broken(dup)

    def unknown(d):
        _claim(d, "study2.logic_inversion")["rule"]["all"][0]["claim"] = "study2.nope"

    assert "claim 'study2.logic_inversion': rule.all[0].claim: no claim with id 'study2.nope'" in _broken(unknown)

    def cycle(d):
        _claim(d, "study2.logic_inversion.mediation")["rule"] = {"claim": "study2.logic_inversion"}

    assert "claim references form a cycle" in _broken(cycle)


def test_leaf_shape_errors():
    def two_kinds(d):
        _claim(d, "study2.capacity_boosting")["rule"]["all"] = [{"claim": "study2.equifinality"}]

    assert "claim 'study2.capacity_boosting': rule: a rule node needs exactly one of" in _broken(two_kinds)

    def both_limits(d):
        _claim(d, "study2.capacity_boosting")["rule"]["value"] = 0.05

    assert "give exactly one of threshold (a registry name) or value (a literal)" in _broken(both_limits)

    def json_without_key(d):
        _claim(d, "slr.review_corpus")["rule"].pop("key")

    assert "claim 'slr.review_corpus': rule.key: required for a JSON table" in _broken(json_without_key)

    def no_column(d):
        _claim(d, "survey.measurement_validity")["rule"]["all"][0].pop("column")

    assert "rule.all[0].column: required" in _broken(no_column)

    def bad_regex(d):
        _claim(d, "study2.capacity_boosting")["rule"]["where"]["predictor"] = {"regex": "(INST"}

    assert "rule.where.predictor.regex: invalid regular expression '(INST'" in _broken(bad_regex)

    def bad_filter_op(d):
        _claim(d, "study2.capacity_boosting")["rule"]["where"]["predictor"] = {"like": "INST"}

    assert "rule.where.predictor: unknown operator 'like'" in _broken(bad_filter_op)

    def absolute(d):
        _claim(d, "study2.capacity_boosting")["rule"]["table"] = "results/sem/capacity_boosting.csv"

    assert "must be relative to results/" in _broken(absolute)


def test_threshold_without_source_and_bad_date():
    def no_source(d):
        d["thresholds"]["alpha"] = {"value": 0.05}

    assert "registry: thresholds.alpha.source: required key is missing" in _broken(no_source)
    assert "registered" in _broken(lambda d: d.update(registered="soon"))


def test_file_errors(tmp_path):
    with pytest.raises(RegistryError, match="no such file"):
        load_registry(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims: [\n")
    with pytest.raises(RegistryError, match="not valid YAML"):
        load_registry(bad)


def test_cli_check_and_evaluate(tmp_path, capsys):
    import json

    from nero.cli import main

    assert main(["claims", "check", str(REPO / "config" / "claims.yaml")]) == 0
    assert "valid (" in capsys.readouterr().out
    data = copy.deepcopy(SHIPPED)
    _claim(data, "study2.equifinality")["rule"]["all"][1]["op"] = "=>"
    (tmp_path / "claims.yaml").write_text(yaml.safe_dump(data))
    assert main(["claims", "check", str(tmp_path / "claims.yaml")]) == 2
    assert "claim 'study2.equifinality': rule.all[1].op" in capsys.readouterr().err
    assert main(["claims", "evaluate", "--results", str(tmp_path / "nowhere")]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert (
        main(
            [
                "claims",
                "evaluate",
                "--registry",
                str(REPO / "config" / "claims.yaml"),
                "--results",
                str(REPO / "results-reference"),
                "--json",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert len(payload["claims"]) == len(SHIPPED["claims"])
    assert all(c["verdict"] in ("supported", "not supported", "inconclusive") for c in payload["claims"])


def test_in_table_filter_is_checked():
    def change(d):
        leaf = _claim(d, "study2.equifinality")["rule"]["all"][1]
        leaf["where"]["configuration"]["in_table"].pop("column")

    assert "rule.all[1].where.configuration.in_table: expected a mapping with table, column" in _broken(change)

    def bad_threshold(d):
        leaf = _claim(d, "study2.equifinality")["rule"]["all"][1]
        leaf["where"]["configuration"]["in_table"]["where"]["inclS"] = {">=": "nope"}

    assert "in_table.where.inclS.>=: 'nope' is neither a number nor a registry threshold" in _broken(bad_threshold)


def test_new_keys_are_checked():
    def share_without_scope(d):
        _claim(d, "study2.not_mutually_exclusive")["rule"]["all"][0] = {
            "table": "fsqca/memberships.csv",
            "where": {"INST": {">": 0.5}},
            "aggregate": "share",
            "op": ">=",
            "value": 0.1,
        }

    assert "rule.all[0].scope: required for a share" in _broken(share_without_scope)

    def holm_on_a_value(d):
        _claim(d, "study2.capacity_boosting")["rule"]["p_adjust"] = "holm"

    assert "rule.p_adjust: applies to a quantified leaf" in _broken(holm_on_a_value)

    def across_without_rule(d):
        _claim(d, "study2.orchestration")["rule"]["across_models"].pop("rule")

    assert "rule.across_models" in _broken(across_without_rule)

    def changelog_without_reason(d):
        d["changelog"][0].pop("reason")

    assert "changelog[0].reason: required key is missing" in _broken(changelog_without_reason)


def test_registration_document_is_reproducible_and_names_the_hash(tmp_path, capsys):
    from nero.claims.registration import registration_document
    from nero.cli import main

    registry = load_registry(REPO / "config" / "claims.yaml")
    text = registration_document(registry, registry_path=str(REPO / "config" / "claims.yaml"))
    assert text == registration_document(registry, registry_path=str(REPO / "config" / "claims.yaml"))
    assert f"- Registration date: {registry.registered}" in text and registry.digest in text
    assert text.count("\n| 2026-") == len(registry.changelog) and "### `study2.scale_out_to_scale_up`" in text
    assert "Inconclusive by design" in text
    # the descriptive facts are registered too, apart from the claims and without a rule
    facts = text[text.index("## Descriptive facts") : text.index("## Changelog")]
    assert "### `slr.two_pathways` (SLR)" in facts and "- Why no verdict:" in facts and "- Rule:" not in facts
    assert "articles coding business model innovation" in facts
    assert "### `slr.two_pathways`" not in text[: text.index("## Descriptive facts")]
    assert "- Registration date: 2027-01-31" in registration_document(registry, "2027-01-31")
    with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
        registration_document(registry, "31/01/2027")
    out = tmp_path / "registration.md"
    assert main(["claims", "register", "--registry", str(REPO / "config" / "claims.yaml"), "--out", str(out)]) == 0
    assert out.read_text() == text
    assert "sha256" in capsys.readouterr().out
