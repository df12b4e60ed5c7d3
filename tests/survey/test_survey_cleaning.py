"""Cleaning: each rule, their order, recoding, scores, controls, outputs and determinism."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from builders import build_wave, write_current
from hypothesis import given, settings
from hypothesis import strategies as st

from nero.survey.cleaning import CleaningSettings, clean_survey
from nero.survey.importer import import_wave
from nero.survey.pipeline import CLEAN_OUTPUTS, FIGURE_OUTPUTS, REPORT_OUTPUTS, read_back, run_survey
from nero.survey.responses import normalise_number
from nero.survey.rules import (
    RULES,
    longest_run,
    mahalanobis_outliers,
    rule_duplicate,
    rule_speeder,
    rule_straightliner,
    wave_median_durations,
)

CLEAN_COLUMNS = (
    ["firm_code", "wave", "response_id", "recorded_date", "duration_s"]
    + [f"INST{i}" for i in range(1, 6)]
    + [f"VIRT{i}" for i in range(1, 6)]
    + [f"EFF{i}" for i in range(1, 5)]
    + [f"MKT{i}" for i in range(1, 5)]
    + [f"CAP{i}" for i in range(1, 6)]
    + [f"SCO{i}" for i in range(1, 6)]
    + [
        "MARK1",
        "MARK2",
        "MARK3",
        "employees",
        "founding_year",
        "sector",
        "foreign_markets",
        "years_abroad",
        "log_employees",
        "log_firm_age",
        "log_foreign_markets",
        "INST",
        "VIRT",
        "EFF",
        "MKT",
        "CAP",
        "SCO",
        "MARKER",
        "mv_outlier",
    ]
)


def _frames(tmp_path, codebook, waves):
    frames = []
    for wave in waves:
        path = write_current(tmp_path / wave.wave / "export.csv", wave)
        frames.append(read_back(import_wave([path], codebook, wave.wave).frame))
    return frames


@pytest.fixture()
def result(tmp_path, codebook, two_waves):
    return clean_survey(_frames(tmp_path, codebook, two_waves), codebook, CleaningSettings())


def test_drops_exactly_the_planted_responses(result, two_waves):
    planted = {(w.wave, rid, rule) for w in two_waves for rid, rule in w.planted}
    logged = set(map(tuple, result.exclusion_log[["wave", "ResponseId", "rule"]].to_numpy()))
    assert logged == planted
    assert len(result.clean) == 80
    counts = result.counts()
    assert counts == {
        "received": 100,
        "preview_spam": 4,
        "screening": 2,
        "unfinished": 2,
        "duplicate": 2,
        "attention": 2,
        "speeder": 2,
        "straightliner": 2,
        "out_of_range": 4,
        "mv_outlier": 0,
        "usable": 80,
        "mv_outlier_flagged": 0,
    }


def test_exclusion_details_name_the_evidence(result):
    detail = dict(zip(result.exclusion_log["ResponseId"], result.exclusion_log["detail"]))
    assert detail["R_wave10040xq"] == "Status=1 (Survey Preview)"
    assert detail["R_wave10042xq"] == "Q1=2 (passes: 1)"
    assert detail["R_wave10043xq"] == "Finished=0, Progress=41"
    assert detail["R_wave10044xq"].startswith("FirmCode F0000 already kept: wave-1 R_wave10000xq recorded 2025-")
    assert detail["R_wave10045xq"] == "Q5_5=2 (expected 6)"
    assert detail["R_wave10046xq"].startswith("Duration 61 s < 0.4 x wave median ")
    assert detail["R_wave10047xq"] == "longest run 31 >= 15; within-person SD 0.000 < 0.25 over 31 items"
    assert detail["R_wave10048xq"] == "INST3 (Q3_3)=9: expected a Likert code 1..7"
    assert (
        detail["R_wave10049xq"] == "employees (Q10)=about fifty: expected a whole number (the entry cannot be parsed)"
    )


def test_clean_table_columns_order_and_values(result, two_waves, codebook):
    clean = result.clean
    assert list(clean.columns) == CLEAN_COLUMNS
    assert list(clean["wave"]) == sorted(clean["wave"])
    assert clean.groupby("wave")["response_id"].apply(lambda s: list(s) == sorted(s)).all()
    raw = {row["ResponseId"]: row for w in two_waves for row in w.rows}
    row = clean.iloc[5]
    source = raw[row["response_id"]]
    wave = row["wave"]
    for item in codebook.item_names:
        answer = float(source[codebook.items[item].column(wave)])
        expected = 8 - answer if codebook.items[item].reverse else answer  # min + max - x
        assert row[item] == expected, item
    for construct in codebook.construct_names:
        items = codebook.construct_items(construct)
        assert row[construct] == pytest.approx(np.mean([row[i] for i in items]))
    year = int(row["recorded_date"][:4])
    assert row["recorded_date"] == source["RecordedDate"][:10]
    assert row["log_employees"] == pytest.approx(math.log(row["employees"]))
    assert row["log_firm_age"] == pytest.approx(math.log(year - row["founding_year"] + 1))
    assert row["log_foreign_markets"] == pytest.approx(math.log1p(row["foreign_markets"]))
    assert set(clean["mv_outlier"]) == {0}


def test_value_fixes_are_logged_and_applied(result):
    fixes = result.value_fixes
    assert list(fixes.columns) == ["wave", "ResponseId", "column", "export_column", "raw", "fixed"]
    assert set(map(tuple, fixes[["ResponseId", "column", "raw", "fixed"]].to_numpy())) == {
        ("R_wave10001xq", "employees", " 45 ", "45"),
        ("R_wave10002xq", "founding_year", "2009.0", "2009"),
        ("R_wave20001xq", "employees", " 45 ", "45"),
        ("R_wave20002xq", "founding_year", "2009.0", "2009"),
    }
    clean = result.clean.set_index("response_id")
    assert clean.loc["R_wave10001xq", "employees"] == 45
    assert clean.loc["R_wave10002xq", "founding_year"] == 2009


def test_flow_table(result):
    flow = result.flow
    pooled = flow[flow["wave"] == "pooled"]
    assert list(pooled["rule"]) == ["", *RULES, "mv_outlier"]
    assert list(pooled["stage"]) == ["received", "screened", "screened", "complete", *["quality checks"] * 5, "usable"]
    assert list(pooled["remaining"]) == [100, 96, 94, 92, 90, 88, 86, 84, 80, 80]
    per_wave = flow[flow["wave"] != "pooled"].groupby("step")[["dropped", "remaining"]].sum()
    assert per_wave["dropped"].tolist() == pooled["dropped"].tolist()
    assert per_wave["remaining"].tolist() == pooled["remaining"].tolist()


def test_harmonised_keeps_every_response_with_its_verdict(result):
    harmonised = result.harmonised
    assert len(harmonised) == 100
    assert (harmonised["excluded_by"] == "").sum() == 80
    assert harmonised.set_index("response_id").loc["R_wave20047xq", "excluded_by"] == "straightliner"
    assert "IPAddress" not in harmonised.columns and "RecipientEmail" not in harmonised.columns


def test_first_matching_rule_drops(tmp_path, codebook):
    wave = build_wave(codebook, "wave-1", seed=5, n_good=30, plant=False)
    both = wave.rows[3]
    both.update({"Finished": "0", "Progress": "80", "Q5_5": "1", "Duration (in seconds)": "20"})
    result = clean_survey(_frames(tmp_path, codebook, [wave]), codebook)
    assert result.exclusion_log[["ResponseId", "rule"]].to_numpy().tolist() == [[both["ResponseId"], "unfinished"]]


def test_duplicate_keeps_the_earliest_across_waves(tmp_path, codebook):
    w1 = build_wave(codebook, "wave-1", seed=5, n_good=30, plant=False)
    w2 = build_wave(codebook, "wave-2", seed=6, n_good=30, plant=False, firm_offset=100)
    w1.rows[2]["RecordedDate"] = "2025-03-20 10:00:00"
    w2.rows[4]["FirmCode"] = w1.rows[2]["FirmCode"]
    w2.rows[4]["RecordedDate"] = "2025-03-10 10:00:00"  # the wave-2 copy is the earlier submission
    result = clean_survey(_frames(tmp_path, codebook, [w1, w2]), codebook)
    log = result.exclusion_log
    assert log[["wave", "ResponseId", "rule"]].to_numpy().tolist() == [
        ["wave-1", w1.rows[2]["ResponseId"], "duplicate"]
    ]
    assert w2.rows[4]["ResponseId"] in set(result.clean["response_id"])


def test_settings_come_from_config(tmp_path, codebook):
    wave = build_wave(codebook, "wave-1", seed=5, n_good=30, plant=False)
    durations = sorted(int(r["Duration (in seconds)"]) for r in wave.rows)
    frames = _frames(tmp_path, codebook, [wave])
    strict = clean_survey(
        frames,
        codebook,
        {
            "speeder_share": 0.9,
            "straightline_run": 15,
            "straightline_sd": 0.25,
            "mahalanobis_p": 0.001,
            "drop_mv_outliers": False,
        },
    )
    median = float(np.median(durations))
    expected = sum(d < 0.9 * median for d in durations)
    assert (strict.exclusion_log["rule"] == "speeder").sum() == expected > 0
    with pytest.raises(ValueError, match="unknown survey settings"):
        CleaningSettings.from_config({"speeder_sharee": 0.4})


def test_mv_outlier_flagged_or_dropped(tmp_path, codebook):
    wave = build_wave(codebook, "wave-1", seed=7, n_good=120, plant=False)
    odd = wave.rows[10]
    pattern = [1, 7, 2, 7, 1, 6, 1, 7, 2, 7, 1, 7, 1, 6, 7, 1, 7, 2, 7, 1, 7, 1, 6, 1, 7, 2, 7, 1]
    for item, value in zip(codebook.substantive_items, pattern):
        odd[codebook.items[item].column("wave-1")] = str(value)
    frames = _frames(tmp_path, codebook, [wave])
    flagged = clean_survey(frames, codebook)
    assert flagged.clean.set_index("response_id").loc[odd["ResponseId"], "mv_outlier"] == 1
    assert len(flagged.clean) == 120
    row = flagged.outliers.set_index("ResponseId").loc[odd["ResponseId"]]
    assert row["p"] < 0.001 and row["df"] == 28
    dropped = clean_survey(frames, codebook, {**CleaningSettings().to_dict(), "drop_mv_outliers": True})
    assert odd["ResponseId"] in set(
        dropped.exclusion_log.loc[dropped.exclusion_log["rule"] == "mv_outlier", "ResponseId"]
    )
    assert len(dropped.clean) == 120 - (dropped.exclusion_log["rule"] == "mv_outlier").sum()


def test_outputs_are_byte_identical_across_runs(tmp_path, raw_survey, codebook):
    run_survey(raw_survey, codebook, tmp_path / "a")
    run_survey(raw_survey, codebook, tmp_path / "b")
    names = [*CLEAN_OUTPUTS.values(), *REPORT_OUTPUTS.values(), *FIGURE_OUTPUTS.values(), "waves/wave-1.csv"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "flow.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "a" / "flow.pdf").read_bytes()[:5] == b"%PDF-"


# ---------------------------------------------------------------------------------------
# rule functions on small frames
# ---------------------------------------------------------------------------------------


def test_rule_speeder_uses_the_wave_median_of_finished_responses():
    frame = pd.DataFrame(
        {
            "wave": ["a"] * 5 + ["b"] * 3,
            "finished": [1, 1, 1, 1, 0, 1, 1, 1],
            "duration_s": [100.0, 400.0, 500.0, 600.0, 10.0, 1000.0, 1000.0, 399.0],
        }
    )
    medians = wave_median_durations(frame)
    assert medians == {"a": 450.0, "b": 1000.0}
    flagged = rule_speeder(frame, medians, 0.4)
    assert sorted(flagged.index) == [0, 4, 7]  # 100 < 180, 10 < 180, 399 < 400


def test_rule_duplicate_ties_and_missing_codes():
    frame = pd.DataFrame(
        {
            "firm_code": ["A", "A", "B", None, None, "A"],
            "recorded_date": pd.to_datetime(
                ["2025-03-02", "2025-03-01", "2025-03-01", "2025-03-01", "2025-03-01", "2025-03-01"]
            ),
            "wave": ["w1", "w1", "w1", "w1", "w1", "w2"],
            "response_id": ["R_1", "R_2", "R_3", "R_4", "R_5", "R_0"],
        }
    )
    out = rule_duplicate(frame)
    assert sorted(out.index) == [0, 5]
    assert "already kept: w1 R_2" in out[0]


def test_rule_straightliner_run_and_sd():
    items = [f"i{k}" for k in range(20)]
    frame = pd.DataFrame(
        [
            [4] * 15 + [1, 2, 3, 5, 6],  # run 15
            [4] * 14 + [1, 2, 3, 5, 6, 7],  # run 14, SD large
            [4, 5] * 10,  # run 1, SD 0.51
            [4] * 19 + [5],  # run 19, SD 0.22
        ],
        columns=items,
        dtype=float,
    )
    out = rule_straightliner(frame, items, run=15, sd=0.25)
    assert sorted(out.index) == [0, 3]
    assert out[0].startswith("longest run 15 >= 15")
    assert "within-person SD 0.224 < 0.25" in out[3]


@given(st.lists(st.sampled_from([1.0, 2.0, 3.0, math.nan]), min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_longest_run_matches_brute_force(values):
    best = 0
    for i in range(len(values)):
        for j in range(i, len(values)):
            window = values[i : j + 1]
            if not any(math.isnan(v) for v in window) and len(set(window)) == 1:
                best = max(best, j - i + 1)
    assert longest_run(np.array(values)) == best


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(["{}", " {} ", "{}.0", "{:,}", " {:,} "]))
@settings(max_examples=200, deadline=None)
def test_normalise_number_recovers_harmless_formats(number, style):
    raw = style.format(number)
    value, fixed = normalise_number(raw)
    assert value == number
    assert fixed == (None if raw == str(number) else str(number))


@pytest.mark.parametrize("raw", ["about 50", "fifty", "12.5", "1.200", "1 200", "50+", "--3"])
def test_normalise_number_refuses_the_rest(raw):
    value, fixed = normalise_number(raw)
    assert math.isnan(value) and fixed == ""


def test_mahalanobis_matches_scipy():
    from scipy.spatial.distance import mahalanobis

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    out = mahalanobis_outliers(frame, ["a", "b", "c"], 0.001)
    x = frame.to_numpy()
    inverse = np.linalg.inv(np.cov(x, rowvar=False))
    expected = mahalanobis(x[7], x.mean(axis=0), inverse) ** 2
    assert out["mahalanobis_d2"].iloc[7] == pytest.approx(expected)
    assert out["df"].iloc[0] == 3
