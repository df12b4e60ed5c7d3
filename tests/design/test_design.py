"""nero.design: settings and seeds, scoring against the planted truth, rates with MCSEs,
true values, one replicate end to end, and the figure."""

from __future__ import annotations

import hashlib
import math
import tempfile

import numpy as np
import pandas as pd
import pytest
import yaml

from nero.design import (
    DesignError,
    DesignSettings,
    StudyContext,
    proportion,
    replicate_seeds,
    report_table,
    run_replicate,
    score_solution,
    summarise,
    true_values,
)
from nero.simulate import load_codebook, scenario_parameters, scenario_truth
from nero.testing import REPO

CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
RECIPES = scenario_truth("planted")["recipes"]


def _design(**changes):
    section = {**CONFIG["design"], **changes}
    return DesignSettings.from_config(section)


def test_shipped_design_settings():
    d = _design()
    assert [s.name for s in d.scenarios][:5] == [f"planted_n{n}" for n in (100, 150, 218, 300, 500)]
    assert d.scenario("null_n218").process == "null" and d.scenario("weak_n218").effect_scale == 0.5
    assert d.n_batches * d.batch_size >= d.replications
    covered = [r for b in range(d.n_batches) for r in d.batch_replicates(b)]
    assert covered == list(range(d.replications))
    assert set(d.processes()) == {"planted", "null", "weak_s0p5", "contrary", "mismeasured", "biased", "exclusive"}
    assert {s.n for s in d.scenarios if s.process in ("contrary", "mismeasured", "biased", "exclusive")} == {218}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"replications": 0}, "design.replications"),
        ({"alpha": 1.5}, "design.alpha"),
        ({"scenarios": {"x": {"process": None, "n": 100}}}, "quote null"),
        ({"scenarios": {"x": {"process": "planted", "n": 100, "effect_scale": 0.5}}}, "weak only"),
        ({"scenarios": {"x": {"process": "contrary", "n": 100, "effect_scale": 0.5}}}, "weak only"),
        ({"scenarios": {"x": {"process": "opposite", "n": 100}}}, "contrary, mismeasured, biased, exclusive"),
        ({"scenarios": {"x": {"process": "planted", "n": 100, "overrides": {"nope": 1}}}}, "unknown DGP parameter"),
        ({"extra": 1}, "unknown"),
    ],
)
def test_bad_design_settings_name_the_key(change, message):
    with pytest.raises(DesignError, match=message):
        _design(**change)


def test_seeds_depend_on_study_seed_scenario_and_replicate_only():
    a = replicate_seeds(20251123, "planted_n218", 7)
    assert a == replicate_seeds(20251123, "planted_n218", 7)
    assert a != replicate_seeds(20251123, "planted_n218", 8)
    assert a != replicate_seeds(20251123, "planted_n300", 7)
    assert a != replicate_seeds(1, "planted_n218", 7)
    assert len(set(a)) == len(a) and all(0 <= v < 2**32 for v in a)
    # spawned children of the scenario's SeedSequence: replicate r is child r
    root = np.random.SeedSequence(20251123, spawn_key=(__import__("zlib").crc32(b"planted_n218"),))
    assert a == [int(v) for v in root.spawn(8)[7].generate_state(4)]


def test_score_solution_recovery_and_spurious_terms():
    models = [
        ["INST*EFF*CAP", "INST*~VIRT*MKT*CAP", "VIRT*MKT*CAP", "EFF*MKT*~CAP"],
        ["INST*EFF*CAP", "INST*MKT*CAP", "VIRT*EFF*CAP", "VIRT*MKT*CAP"],
    ]
    s = score_solution(models, RECIPES)
    assert (s["recovered_IO"], s["recovered_SE"], s["recovered_PO"], s["recovered_AGS"]) == (True, True, False, True)
    assert not s["recovered_all"] and s["recovered_all_any_model"]
    assert s["n_spurious"] == 1 and s["spurious_terms"] == "EFF*MKT*~CAP"
    # a term without CAP does not recover a recipe: CAP is in every recipe
    assert not score_solution([["INST*EFF"]], RECIPES)["recovered_IO"]
    # under the null every term is spurious; no solution, nothing spurious
    assert score_solution([["INST*EFF*CAP"]], {})["n_spurious"] == 1
    empty = score_solution([], RECIPES)
    assert not empty["solution_found"] and empty["n_spurious"] == 0 and not empty["recovered_all"]


def test_proportion_and_mcse():
    p, se, k, r = proportion(pd.Series([True, False, True, True, np.nan]))
    assert (k, r) == (3, 4) and p == 0.75 and se == pytest.approx(math.sqrt(0.75 * 0.25 / 4))
    assert proportion(pd.Series([], dtype=float))[3] == 0


def test_summarise_reads_power_and_type_one_error():
    rows = []
    for name, process, hits in (("p", "planted", [1, 1, 0, 1]), ("z", "null", [0, 1, 0, 0])):
        for r, h in enumerate(hits):
            rows.append(
                {
                    "scenario": name,
                    "process": process,
                    "n_target": 218,
                    "effect_scale": 1.0 if process == "planted" else 0.0,
                    "replicate": r,
                    "interaction_rejects": bool(h),
                    "recovered_all": bool(h),
                    "any_spurious": not h,
                }
            )
    rates = summarise(pd.DataFrame(rows), {"p": scenario_truth("planted"), "z": scenario_truth("null")})
    get = rates.set_index(["scenario", "metric"])
    assert get.loc[("p", "interaction_rejects"), "reading"] == "power"
    assert get.loc[("z", "interaction_rejects"), "reading"] == "type I error"
    assert get.loc[("z", "interaction_rejects"), "estimate"] == 0.25
    assert ("z", "recovery_all") not in get.index  # nothing planted to recover under the null
    table = report_table(rates)
    assert list(table["scenario"]) == ["p", "z"] and table.loc[0, "recovery_all"] == "0.750 (0.217)"


def test_true_values_follow_the_planted_effects():
    codebook, sem = load_codebook(), CONFIG["sem"]
    planted = true_values(scenario_parameters("planted"), codebook, sem, n=40_000).set_index("estimand")
    weak = true_values(scenario_parameters("weak", 0.5), codebook, sem, n=40_000).set_index("estimand")
    null = true_values(scenario_parameters("null"), codebook, sem, n=40_000).set_index("estimand")
    # planted INST x VIRT on CAP and mediation through CAP: clearly positive population values
    assert planted.loc["interaction", "value"] > 10 * planted.loc["interaction", "mc_se"]
    assert planted.loc["indirect", "value"] > 10 * planted.loc["indirect", "mc_se"]
    # halving the planted effects shrinks both; the null removes most of them (what is left comes
    # from the common-method factor and the clipped 7-point items, see docs/design.md)
    assert weak.loc["interaction", "value"] < planted.loc["interaction", "value"]
    assert abs(null.loc["interaction", "value"]) < 0.5 * planted.loc["interaction", "value"]
    assert abs(null.loc["indirect", "value"]) < 0.1 * planted.loc["indirect", "value"]


@pytest.fixture(scope="module")
def context():
    config = {**CONFIG, "design": {**CONFIG["design"], "n_boot": 200}}
    return StudyContext.from_config(config, str(REPO / "config" / "codebook.yaml"))


def test_one_replicate_is_deterministic_and_scored(context):
    scenario = context.design.scenario("planted_n300")
    truth = pd.DataFrame([{"estimand": "indirect", "value": 0.1}, {"estimand": "interaction", "value": 0.2}])
    with tempfile.TemporaryDirectory() as tmp:
        a = run_replicate(context, scenario, 0, tmp, truth)
        b = run_replicate(context, scenario, 0, tmp, truth)
    a.pop("cpu_seconds"), b.pop("cpu_seconds")
    assert a == b
    assert a["n_clean"] == 300 and a["cleaning_exact"]
    assert {
        "recovered_all",
        "any_spurious",
        "necessity_CAP_passes",
        "indirect_rejects",
        "interaction_rejects",
        "indirect_bc_covers",
        "interaction_covers",
    } <= set(a)


def test_null_replicates_reject_nothing_planted(context):
    """Under the null process at the study's N (SCO independent of CAP) CAP's necessity
    consistency stays far below the 0.90 threshold (mean about 0.74 in the design runs), and
    there is no recipe to recover."""
    scenario = context.design.scenario("null_n218")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run_replicate(context, scenario, r, tmp) for r in range(2)]
    assert not any(r["necessity_CAP_passes"] for r in rows)
    assert not any(r["recovered_all"] for r in rows)


def test_design_figure_is_deterministic(tmp_path):
    from nero.figures.design import plot_design_curves

    rows = []
    for n in (100, 218, 500):
        for metric in ("recovery_all", "indirect_rejects"):
            rows.append(
                {
                    "scenario": f"planted_n{n}",
                    "process": "planted",
                    "n": n,
                    "metric": metric,
                    "estimate": n / 600,
                    "mcse": 0.03,
                }
            )
    rows.append(
        {
            "scenario": "null_n218",
            "process": "null",
            "n": 218,
            "metric": "indirect_rejects",
            "estimate": 0.04,
            "mcse": 0.01,
        }
    )
    rates = pd.DataFrame(rows)
    a = plot_design_curves(rates, [tmp_path / "a.png", tmp_path / "a.pdf"])
    b = plot_design_curves(rates, [tmp_path / "b.png", tmp_path / "b.pdf"])
    for x, y in zip(a, b):
        assert hashlib.sha256(x.read_bytes()).digest() == hashlib.sha256(y.read_bytes()).digest()
