"""The specification grid (nero.multiverse.grid) at its edges."""

import copy

import pytest

from nero.multiverse.grid import (
    STAGES,
    Family,
    MultiverseError,
    apply_settings,
    batches,
    family,
    load_families,
    model_options,
)

BASE = {
    "fsqca": {
        "incl_cut": 0.8,
        "pri_cut": 0.5,
        "n_cut_min_share": 0.8,
        "outcome": "SCO",
        "conditions": ["INST", "CAP"],
        "anchors": {
            "INST": {"exclusion": 2.5, "crossover": 4.0, "inclusion": 5.5},
            "CAP": {"exclusion": 2.0, "crossover": 3.5, "inclusion": 5.0},
            "SCO": {"exclusion": 3.0, "crossover": 4.5, "inclusion": 6.0},
        },
        "robustness": {
            "anchor_shift": 1.0,
            "incl_cuts": [0.8],
            "pri_cuts": [0.5],
            "n_cuts": [1],
            "subsamples": 0,
            "subsample_share": 0.8,
        },
    },
    "sem": {"se_type": "hc3"},
}


def _families(families, thresholds=None, models=None):
    return load_families({**BASE, "multiverse": {"families": families}}, thresholds, models)


def test_product_of_dimensions_with_the_shipped_specification_first_and_marked_once():
    (fam,) = _families(
        {
            "cuts": {
                "stage": "fsqca",
                "dimensions": {
                    "consistency": {"set": "fsqca.incl_cut", "values": [0.75, 0.85]},
                    "pri": {"set": "fsqca.pri_cut", "values": [0.6]},
                },
            }
        }
    )
    specs = fam.specifications()
    assert len(specs) == 3 * 2
    assert specs[0].shipped and specs[0].settings == {} and specs[0].id == "cuts:shipped"
    assert sum(s.shipped for s in specs) == 1
    assert {(s.settings.get("fsqca.incl_cut"), s.settings.get("fsqca.pri_cut")) for s in specs} == {
        (None, None),
        (None, 0.6),
        (0.75, None),
        (0.75, 0.6),
        (0.85, None),
        (0.85, 0.6),
    }
    assert len({s.id for s in specs}) == 6


def test_a_dimension_with_one_value_the_shipped_one_gives_one_specification():
    # the shipped value listed again is the same option, not a second specification
    (fam,) = _families(
        {"one": {"stage": "fsqca", "dimensions": {"consistency": {"set": "fsqca.incl_cut", "values": [0.8]}}}}
    )
    specs = fam.specifications()
    assert len(specs) == 1 and specs[0].shipped
    assert specs[0].labels() == {"consistency": "0.8 (shipped)"}


def test_an_empty_dimension_and_a_family_without_dimensions_give_only_the_shipped_specification():
    empty, bare = _families(
        {
            "empty": {"stage": "fsqca", "dimensions": {"consistency": {"set": "fsqca.incl_cut", "values": []}}},
            "bare": {"stage": "models"},
        }
    )
    assert [s.shipped for s in empty.specifications()] == [True]
    assert [s.shipped for s in bare.specifications()] == [True]
    assert Family("x", "models", ()).specifications()[0].id == "x:shipped"


def test_one_nonshipped_value_gives_two_specifications():
    (fam,) = _families(
        {"se": {"stage": "sem_effects", "dimensions": {"se": {"set": "sem.se_type", "values": ["ols"]}}}}
    )
    specs = fam.specifications()
    assert [s.shipped for s in specs] == [True, False]
    assert specs[1].settings == {"sem.se_type": "ols"} and specs[1].id == "se:se=ols"


def test_anchor_moves_are_the_robustness_protocols_one_set_at_a_time():
    (fam,) = _families({"anchors": {"stage": "fsqca", "dimensions": {"anchors": {"anchors": "robustness"}}}})
    specs = fam.specifications()
    assert len(specs) == 1 + 2 * 3  # shipped + each of INST, CAP, SCO up and down
    moved = {s.labels()["anchors"]: s.settings for s in specs if not s.shipped}
    assert moved["CAP +1"] == {
        "fsqca.anchors.CAP.exclusion": 3.0,
        "fsqca.anchors.CAP.crossover": 4.5,
        "fsqca.anchors.CAP.inclusion": 6.0,
    }
    assert moved["SCO -1"] == {
        "fsqca.anchors.SCO.exclusion": 2.0,
        "fsqca.anchors.SCO.crossover": 3.5,
        "fsqca.anchors.SCO.inclusion": 5.0,
    }


@pytest.mark.parametrize(
    "drop, message",
    [
        ("robustness", r"fsqca\.robustness: missing"),
        ("n_cut_min_share", r"config fsqca: missing key\(s\) \['n_cut_min_share'\]"),
    ],
)
def test_anchor_moves_name_the_missing_fsqca_key(drop, message):
    config = {**BASE, "fsqca": {k: v for k, v in BASE["fsqca"].items() if k != drop}}
    families = {"anchors": {"stage": "fsqca", "dimensions": {"anchors": {"anchors": "robustness"}}}}
    with pytest.raises(MultiverseError, match=r"families\.anchors\.dimensions\.anchors: .*" + message):
        load_families({**config, "multiverse": {"families": families}})


def test_threshold_and_option_dimensions():
    (fam,) = _families(
        {
            "s1": {
                "stage": "thresholds",
                "dimensions": {
                    "cut": {"threshold": "coding_reliability", "values": [0.667]},
                    "controls": {"shipped": "causal model", "options": {"none": {"set": {"sem.controls": []}}}},
                },
            }
        },
        thresholds={"coding_reliability": 0.8},
    )
    specs = fam.specifications()
    assert len(specs) == 4
    both = [s for s in specs if s.thresholds and s.settings][0]
    assert both.thresholds == {"coding_reliability": 0.667} and both.settings == {"sem.controls": []}


def test_models_dimension_takes_its_options_from_the_shipped_solutions():
    (fam,) = _families(
        {"m": {"stage": "models", "dimensions": {"model": {"models": ["intermediate", "ESA"]}}}},
        models={"intermediate": ["M1", "M2"], "ESA": ["M1"]},
    )
    assert [s.model for s in fam.specifications()] == [
        None,
        ("intermediate", "M1"),
        ("intermediate", "M2"),
        ("ESA", "M1"),
    ]
    assert len(model_options({})) == 1  # no tied model known: the shipped choice only


@pytest.mark.parametrize(
    "families, message",
    [
        ({"bad": {"stage": "nowhere"}}, "multiverse.families.bad.stage"),
        (
            {"bad": {"stage": "fsqca", "dimensions": {"x": {"set": "fsqca.no_such_key", "values": [1]}}}},
            "multiverse.families.bad.dimensions.x.set: 'fsqca.no_such_key'",
        ),
        (
            {"bad": {"stage": "fsqca", "dimensions": {"x": {"threshold": "nope", "values": [1]}}}},
            "multiverse.families.bad.dimensions.x.threshold",
        ),
        ({"bad": {"stage": "fsqca", "dimensions": {"x": {"options": {"a": {}}}}}}, "names its shipped choice"),
        (
            {"bad": {"stage": "fsqca", "dimensions": {"x": {"shipped": "s", "options": {"a": {"sett": {}}}}}}},
            "unknown key",
        ),
        ({"bad": {"stage": "fsqca", "dimensions": {"x": {"set": "fsqca.incl_cut", "values": 0.7}}}}, "expected a list"),
        ({"bad": {"stage": "fsqca", "dimensions": {"x": {"values": [1]}}}}, "expected one of"),
    ],
)
def test_malformed_declarations_name_the_family_and_key(families, message):
    with pytest.raises(MultiverseError, match=message.replace(".", r"\.").replace("(", r"\(")):
        _families(families, thresholds={})


def test_no_multiverse_section_no_families_and_unknown_family_named():
    assert load_families(BASE) == []
    with pytest.raises(MultiverseError, match="no family 'x'"):
        family([], "x")


def test_apply_settings_copies_and_refuses_a_missing_section():
    out = apply_settings(BASE, {"fsqca.anchors.INST.crossover": 4.5, "sem.se_type": "ols"})
    assert out["fsqca"]["anchors"]["INST"]["crossover"] == 4.5 and out["sem"]["se_type"] == "ols"
    assert BASE["fsqca"]["anchors"]["INST"]["crossover"] == 4.0 and BASE["sem"]["se_type"] == "hc3"
    with pytest.raises(MultiverseError, match="'nosection' is not a section"):
        apply_settings(copy.deepcopy(BASE), {"nosection.key": 1})


def test_every_stage_names_the_tables_it_rewrites():
    assert STAGES["models"] == () and "fsqca/robustness_verdicts.csv" in STAGES["fsqca"]
    assert "sem/indirect_effects.csv" in STAGES["sem_effects"]


def test_families_sharing_a_batch_run_together_and_others_alone():
    fams = _families(
        {
            "a": {"stage": "models", "batch": "one"},
            "b": {"stage": "thresholds"},
            "c": {"stage": "fsqca", "batch": "one"},
        }
    )
    assert {k: [f.name for f in v] for k, v in batches(fams).items()} == {"one": ["a", "c"], "b": ["b"]}


# ----------------------------------------------------------------------------- crossed groups (cross:)

CROSSED = {
    "tables": {
        "stage": "fsqca",
        "dimensions": {
            "consistency": {"set": "fsqca.incl_cut", "values": [0.75]},
            "frequency": {"set": "fsqca.n_cut_min_share", "values": [0.9, 1.0]},
            "pri": {"set": "fsqca.pri_cut", "values": [0.6]},
            "model": {"models": ["intermediate", "ESA"]},
        },
        "cross": [["consistency", "frequency", "model"], ["pri", "model"]],
    }
}


def _models_at(spec):
    """A hand-made truth: the tied models each truth table gives (none where the stage failed)."""
    labels = spec.labels()
    if labels["frequency"] == "1":
        return {}  # no row passes: the stage failed
    if labels["consistency"] == "0.75":
        return {"intermediate": ["M1", "M2", "M3"], "ESA": ["M1"]}
    return {"intermediate": ["M1", "M2"], "ESA": ["M1"]}


def test_crossed_groups_give_the_hand_built_specification_list():
    (fam,) = _families(CROSSED, models={"intermediate": ["M1", "M2"], "ESA": ["M1"]})
    assert fam.groups == (("consistency", "frequency", "model"), ("pri", "model"))
    got = [s.id for s in fam.specifications(_models_at)]
    m2 = ["model=intermediate M1 alone", "model=intermediate M2 alone", "model=ESA M1 alone"]
    m3 = [
        "model=intermediate M1 alone",
        "model=intermediate M2 alone",
        "model=intermediate M3 alone",
        "model=ESA M1 alone",
    ]
    want = ["tables:shipped"] + [f"tables:{m}" for m in m2]
    want += ["tables:frequency=0.9"] + [f"tables:frequency=0.9|{m}" for m in m2]
    want += ["tables:frequency=1"]  # no models where the stage failed: the base specification alone
    want += ["tables:consistency=0.75"] + [f"tables:consistency=0.75|{m}" for m in m3]
    want += ["tables:consistency=0.75|frequency=0.9"] + [f"tables:consistency=0.75|frequency=0.9|{m}" for m in m3]
    want += ["tables:consistency=0.75|frequency=1"]
    want += ["tables:pri=0.6"] + [f"tables:pri=0.6|{m}" for m in m2]  # the shipped-model rows are not repeated
    assert got == want
    assert len(got) == 1 + 3 + 4 + 1 + 5 + 5 + 1 + 4 == 24
    # pri is never crossed with the consistency or frequency cuts
    assert not any("pri=" in s and ("consistency=" in s or "frequency=" in s) for s in got)
    # every specification names every dimension's option (the shipped ones marked)
    spec = fam.specifications(_models_at)[-1]
    assert [d for d, _ in spec.choices] == ["consistency", "frequency", "pri", "model"]
    assert spec.labels()["consistency"] == "0.8 (shipped)" and spec.model == ("ESA", "M1")


def test_without_cross_the_family_is_the_full_factorial_and_models_come_from_the_shipped_tables():
    body = copy.deepcopy(CROSSED)
    del body["tables"]["cross"]
    (fam,) = _families(body, models={"intermediate": ["M1", "M2"], "ESA": ["M1"]})
    assert len(fam.specifications()) == 2 * 3 * 2 * 4  # options: 2, 3, 2 and (shipped + 3 models)
    # 12 truth tables (2 x 3 x 2); those at frequency 1 have no models, the other 8 have 4 (consistency
    # .75) or 3 (.80) tied models each
    assert len(fam.specifications(_models_at)) == 12 + 4 * 4 + 4 * 3


@pytest.mark.parametrize(
    "cross,message",
    [
        ([["consistency", "nope"], ["frequency", "pri", "model"]], r"tables\.cross\[0\]: 'nope' not a dimension"),
        ([["consistency", "frequency", "model"]], r"tables\.cross: dimension\(s\) 'pri' in no group \(never varied\)"),
        ([], r"tables\.cross: expected a list of groups"),
        ([[]], r"tables\.cross: expected a list of groups"),
        ("consistency", r"tables\.cross: expected a list of groups"),
        ([["pri", "pri", "consistency", "frequency", "model"]], r"tables\.cross\[0\]: a dimension is listed twice"),
    ],
)
def test_a_malformed_cross_is_refused_naming_the_family_and_the_key(cross, message):
    body = copy.deepcopy(CROSSED)
    body["tables"]["cross"] = cross
    with pytest.raises(MultiverseError, match=r"multiverse\.families\." + message):
        _families(body)


def test_one_models_dimension_per_family():
    body = copy.deepcopy(CROSSED)
    body["tables"]["dimensions"]["esa"] = {"models": ["ESA"]}
    body["tables"]["cross"][1].append("esa")
    with pytest.raises(MultiverseError, match=r"tables\.dimensions: at most one 'models' dimension"):
        _families(body)


def test_a_group_of_one_dimension_varies_it_alone():
    body = copy.deepcopy(CROSSED)
    body["tables"]["cross"] = [["consistency"], ["frequency"], ["pri"], ["model"]]
    (fam,) = _families(body, models={"intermediate": ["M1"], "ESA": ["M1"]})
    assert [s.id for s in fam.specifications()] == [
        "tables:shipped",
        "tables:consistency=0.75",
        "tables:frequency=0.9",
        "tables:frequency=1",
        "tables:pri=0.6",
        "tables:model=intermediate M1 alone",
        "tables:model=ESA M1 alone",
    ]
