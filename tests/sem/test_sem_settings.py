"""The typed SEM settings (nero.sem.settings): resolved once from the ``sem:`` config section,
every bad key named, and written into summary.json exactly as the study used them."""

from __future__ import annotations

import dataclasses
import json

import pytest

from nero.config import load_yaml
from nero.sem import AmbidexteritySettings, SemInputError, SemSettings
from nero.sem._common import json_ready
from nero.testing import REPO

SECTION = load_yaml(REPO / "config" / "config.yaml")["sem"]


def test_the_shipped_section_is_written_as_the_reference_summary_has_it():
    """The reference build's summary.json holds the settings the study used (the build before the
    settings were typed): the typed settings write the same JSON, value types included."""
    reference = json.loads((REPO / "results-reference" / "sem" / "summary.json").read_text(encoding="utf-8"))
    ours = json.loads(json.dumps(json_ready(SemSettings.from_config(SECTION).to_dict()), sort_keys=True))
    assert ours == reference["settings"]
    assert isinstance(ours["time_limit"], int) and isinstance(ours["ambidexterity"]["balance_max"], int)


def test_defaults_and_values():
    s = SemSettings.from_config(None)
    assert (s.x, s.m, s.y, s.w, s.se_type, s.boot_ci, s.n_boot, s.conf) == (
        ("INST", "VIRT"),
        "CAP",
        "SCO",
        "MKT",
        "hc3",
        "percentile",
        5000,
        0.95,
    )
    assert s.ambidexterity == AmbidexteritySettings(("combined", "balance"), 6.0)
    assert s.constructs is None and s.causal_model is None and s.n_jobs is None and s.second_order == {}
    shipped = SemSettings.from_config(SECTION)
    assert shipped.controls == tuple(SECTION["controls"]) and shipped.nonresponse_equivalence_d == 0.8
    assert shipped.causal_model == SECTION["causal_model"]
    assert SemSettings.resolve(SECTION) == shipped and SemSettings.resolve(shipped) is shipped
    assert SemSettings.resolve(None) == SemSettings()


def test_a_partial_ambidexterity_section_keeps_the_other_default():
    assert SemSettings.from_config({"ambidexterity": {"balance_max": 4}}).ambidexterity == AmbidexteritySettings(
        ("combined", "balance"), 4
    )
    assert SemSettings.from_config({"ambidexterity": None}).ambidexterity == AmbidexteritySettings()


def test_se_type_in_any_case():
    assert SemSettings.from_config({"se_type": "HC1"}).se_type == "hc1"


@pytest.mark.parametrize(
    "section, message",
    [
        ({"n_boots": 10}, r"config sem: unknown key 'n_boots'"),
        ({"se_type": "hc5"}, r"sem\.se_type: 'hc5' is not one of ols, hc0, hc1, hc2, hc3, hc4"),
        ({"boot_ci": "studentized"}, r"sem\.boot_ci: 'studentized' is not"),
        ({"missing": "pairwise"}, r"sem\.missing: 'pairwise' is not 'fiml' or 'listwise'"),
        ({"estimator": "mlr"}, r"sem\.estimator: 'mlr' is not 'ML' or 'MLR'"),
        ({"ambidexterity": {"balanced": 1}}, r"config sem\.ambidexterity: unknown key\(s\) \['balanced'\]"),
        (["x"], r"config sem: \['x'\] is not a mapping"),
    ],
)
def test_a_bad_section_names_the_key(section, message):
    with pytest.raises(SemInputError, match=message):
        SemSettings.from_config(section)


def test_settings_are_frozen_and_replaced_whole():
    s = SemSettings.from_config(SECTION)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.n_boot = 10  # type: ignore[misc]
    lean = dataclasses.replace(s, n_boot=100, n_jobs=None)
    assert (lean.n_boot, s.n_boot) == (100, 5000) and lean.causal_model == s.causal_model
