"""The typed fsQCA settings (nero.fsqca.settings): resolved once from the ``fsqca:`` config
section, every bad key named, every default and branch of the resolution at its edges."""

from __future__ import annotations

import copy

import pytest
import yaml

from nero.fsqca import Anchor, FsqcaError, FsqcaSettings, FurtherAnalysis, RobustnessProtocol
from nero.testing import REPO

SECTION = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["fsqca"]
MINIMAL = {"outcome": "Y", "conditions": ["A", "B"], "incl_cut": 0.8, "pri_cut": 0.5, "n_cut_min_share": 0.8}


def test_the_shipped_section_resolves_to_its_values():
    s = FsqcaSettings.from_config(SECTION)
    assert s.outcome == "SCO" and s.conditions == ("INST", "VIRT", "EFF", "MKT", "CAP")
    assert s.anchors["INST"] == Anchor(2.5, 4.0, 5.5, SECTION["anchors"]["INST"]["rationale"])
    assert s.anchors["CAP"].values() == (2.5, 4.0, 5.5)
    assert s.robustness == RobustnessProtocol(1.0, (0.75, 0.80, 0.85, 0.90), (0.50, 0.60, 0.70), (1, 2, 3), 50, 0.80)
    assert (s.incl_cut, s.incl_cut_contradiction, s.pri_cut, s.n_cut_min_share) == (0.80, 0.75, 0.50, 0.80)
    assert (s.necessity_threshold, s.necessity_ron, s.max_models, s.holdout_share) == (0.90, 0.50, 1000, 0.50)
    assert s.truth_table_incl_cut == (0.80, 0.75)
    assert s.analyses["scale_up"] == FurtherAnalysis(
        "CAP",
        ("INST", "VIRT", "EFF", "MKT"),
        {"INST": 1, "VIRT": 1, "EFF": 1, "MKT": 1},
        {"INST": 0, "VIRT": 0, "EFF": 0, "MKT": 0},
        SECTION["analyses"]["scale_up"]["description"],
    )
    assert FsqcaSettings.resolve(SECTION) == s and FsqcaSettings.resolve(s) is s


def test_defaults_where_a_key_is_left_out():
    s = FsqcaSettings.from_config(MINIMAL)
    assert (s.anchor_method, s.inclusion_convention, s.half_membership, s.half_shift) == (
        "theory",
        "ragin",
        "shift",
        0.001,
    )
    assert (s.necessity_threshold, s.necessity_ron, s.max_models, s.holdout_share) == (0.9, 0.6, 1000, 0.5)
    assert s.percentile_anchors == (0.05, 0.5, 0.95)
    assert s.robustness is None and s.analyses == {} and s.anchors == {} and s.dir_exp is None
    assert s.truth_table_incl_cut == 0.8  # no contradiction band: the cut alone
    with pytest.raises(FsqcaError, match=r"fsqca\.robustness: missing"):
        s.require_robustness()


@pytest.mark.parametrize("band, expected", [(None, 0.8), (0, 0.8), (0.75, (0.8, 0.75))])
def test_the_contradiction_band_on_each_side(band, expected):
    assert FsqcaSettings.from_config({**MINIMAL, "incl_cut_contradiction": band}).truth_table_incl_cut == expected


@pytest.mark.parametrize(
    "change, message",
    [
        ({"incl_cutt": 0.8}, r"config fsqca: unknown key\(s\) \['incl_cutt'\]"),
        ({"outcome": None}, r"config fsqca: missing key\(s\) \['outcome'\]"),
        ({"incl_cut": "high"}, r"config fsqca\.incl_cut: 'high' is not a number"),
        ({"pri_cut": True}, r"config fsqca\.pri_cut: True is not a number"),
        ({"conditions": "A, B"}, r"config fsqca\.conditions: 'A, B' is not a list of set names"),
        ({"max_models": 10.5}, r"config fsqca\.max_models: 10\.5 is not a whole number"),
        ({"anchor_method": "quantile"}, r"config fsqca\.anchor_method: 'quantile' is not one of theory, percentile"),
        ({"percentile_anchors": [0.1, 0.9]}, r"fsqca\.percentile_anchors: \[0\.1, 0\.9\] must be three quantiles"),
        ({"dir_exp": 1}, r"config fsqca\.dir_exp: 1 is neither"),
        (
            {"anchors": {"A": {"exclusion": 1, "crossover": 2}}},
            r"config fsqca\.anchors\.A: missing key\(s\) \['inclusion'\]",
        ),
        ({"anchors": {"A": {"exclusion": 1, "crossover": "x", "inclusion": 3}}}, r"fsqca\.anchors\.A\.crossover: 'x'"),
        ({"robustness": {"anchor_shift": 1.0}}, r"config fsqca\.robustness: missing key\(s\) \['incl_cuts'"),
        ({"robustness": {**SECTION["robustness"], "n_cuts": [1, 2.5]}}, r"fsqca\.robustness\.n_cuts\[1\]: 2\.5"),
        (
            {"analyses": {"up": {"outcome": "CAP"}}},
            r"config fsqca\.analyses\.up: missing key\(s\) \['conditions', 'dir_exp'\]",
        ),
    ],
)
def test_a_bad_section_names_the_key_and_what_was_expected(change, message):
    with pytest.raises(FsqcaError, match=message):
        FsqcaSettings.from_config({**MINIMAL, **change})


@pytest.mark.parametrize("section", [None, ["outcome"]])
def test_a_section_that_is_not_a_mapping(section):
    with pytest.raises(FsqcaError, match="config fsqca: .* is not a mapping"):
        FsqcaSettings.from_config(section)


def test_a_further_analysis_takes_the_study_settings_and_its_own_sets():
    section = copy.deepcopy(SECTION)
    del section["analyses"]["scale_up"]["dir_exp_negated"]  # then the study's negated expectations apply
    s = FsqcaSettings.from_config(section)
    up = s.analysis("scale_up")
    assert (up.outcome, up.conditions, up.dir_exp) == (
        "CAP",
        ("INST", "VIRT", "EFF", "MKT"),
        section["analyses"]["scale_up"]["dir_exp"],
    )
    assert up.dir_exp_negated == s.dir_exp_negated and up.analyses == {}
    assert (up.incl_cut, up.anchors, up.robustness) == (s.incl_cut, s.anchors, s.robustness)
    reverse = s.analysis("scale_up_reverse")
    assert reverse.dir_exp_negated == section["analyses"]["scale_up_reverse"]["dir_exp_negated"]
    with pytest.raises(FsqcaError, match=r"no analysis named 'scale_out'; expected one of scale_up, scale_up_reverse"):
        s.analysis("scale_out")
    with pytest.raises(FsqcaError, match=r"expected one of \(none\)"):
        FsqcaSettings.from_config(MINIMAL).analysis("scale_up")


def test_settings_are_frozen():
    s = FsqcaSettings.from_config(MINIMAL)
    with pytest.raises(AttributeError):
        s.incl_cut = 0.9  # type: ignore[misc]
