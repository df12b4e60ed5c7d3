"""The Qualtrics exports: format, planted problems, and agreement with the ground truth."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pandas as pd
import pytest

from nero.simulate import write_wave
from nero.simulate.codebook import item_column, likert_items
from nero.simulate.survey_instrument import CLEANING_RULES, METADATA_COLUMNS

from .conftest import SHIPPED_SEED
from .reference_cleaning import RULES, clean, normalise_integer, read_export


def _header_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [row for _, row in zip(range(3), csv.reader(handle))]


def test_rule_names_match_contract():
    assert CLEANING_RULES == RULES


def test_exports_have_three_header_rows(study, codebook):
    paths, truth = study
    for wave, path in paths.survey.items():
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        names, texts, imports = _header_rows(path)
        assert names[: len(METADATA_COLUMNS)] == [c[0] for c in METADATA_COLUMNS]
        assert names[-1] == "FirmCode"
        assert texts[names.index("Duration (in seconds)")] == "Duration (in seconds)"
        parsed = [json.loads(x) for x in imports]
        assert parsed[names.index("ResponseId")] == {"ImportId": "_recordId"}
        assert parsed[names.index("StartDate")] == {"ImportId": "startDate", "timeZone": "Asia/Singapore"}
        for item in likert_items(codebook):
            column = item_column(codebook, item, wave)
            j = names.index(column)
            assert parsed[j] == {"ImportId": "QID" + column[1:]}
            assert texts[j].endswith(codebook["items"][item]["text"])
        frame = read_export(path)
        assert len(frame) == truth["survey"][wave]["rows"]
        assert frame[names[20]].str.fullmatch(r"[1-7]?|8|77").all()


def test_item_renamed_between_waves(study):
    paths, _ = study
    w1 = _header_rows(paths.survey["wave-1"])[0]
    w2 = _header_rows(paths.survey["wave-2"])[0]
    assert "Q3_2" in w1 and "Q3_6" not in w1
    assert "Q3_6" in w2 and "Q3_2" not in w2


def test_response_ids_and_dates(study):
    paths, _ = study
    ids = []
    for wave, path in paths.survey.items():
        frame = read_export(path)
        ids += frame["ResponseId"].tolist()
        assert frame["ResponseId"].str.fullmatch(r"R_[0-9A-Za-z]{15}").all()
        months = {"wave-1": (3, 4), "wave-2": (9, 10)}[wave]
        for _, row in frame.iterrows():
            start = dt.datetime.fromisoformat(row["StartDate"])
            end = dt.datetime.fromisoformat(row["EndDate"])
            assert start < end and row["EndDate"] == row["RecordedDate"]
            assert (end - start).total_seconds() == int(row["Duration (in seconds)"])
            assert end.month in months and end.year == 2025
        assert frame["RecordedDate"].tolist() == sorted(frame["RecordedDate"])
        emails = frame["RecipientEmail"][frame["RecipientEmail"] != ""]
        assert emails.str.endswith("@example.com").all()
        ips = frame["IPAddress"][frame["IPAddress"] != ""]
        assert ips.str.match(r"^(203\.0\.113|198\.51\.100)\.").all()
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("median_over", ["finished", "survivors"])
@pytest.mark.parametrize("recode", [False, True])
def test_cleaning_leaves_exactly_the_usable_firms(study, codebook, median_over, recode):
    paths, truth = study
    result = clean(paths.survey, codebook, median_over=median_over, recode_for_straightline=recode)
    usable = result[result["rule"] == ""]
    assert len(usable) == truth["n_firms"] == 218
    planted = pd.read_csv(paths.planted_responses, dtype=str)
    merged = result.merge(planted, on=["wave", "ResponseId"], how="left", suffixes=("", "_planted"))
    dropped = merged[merged["rule"] != ""]
    assert (dropped["rule"] == dropped["rule_planted"]).all(), dropped[dropped["rule"] != dropped["rule_planted"]]
    assert merged[merged["rule"] == ""]["rule_planted"].isna().all()
    assert len(planted) == truth["planted_responses_total"] == len(dropped)
    firms = pd.read_csv(paths.firms, dtype=str)
    assert set(firms["ResponseId"]) == set(usable["ResponseId"])


def test_planted_problems_cover_every_rule_and_are_realistic(study):
    paths, truth = study
    planted = pd.read_csv(paths.planted_responses, dtype=str)
    assert set(planted["rule"]) == set(RULES)
    assert 40 <= len(planted) <= 60
    for wave in ("wave-1", "wave-2"):
        assert set(planted[planted["wave"] == wave]["rule"]) == set(RULES)
    assert planted["detail"].str.contains("cross-wave").sum() == 1
    assert planted["detail"].str.contains("which is kept").sum() >= 1


def test_planted_details_are_visible_in_the_files(study, codebook):
    paths, truth = study
    planted = pd.read_csv(paths.planted_responses, dtype=str)
    rows = {}
    for wave, path in paths.survey.items():
        for _, row in read_export(path).iterrows():
            rows[(wave, row["ResponseId"])] = row
    for _, p in planted.iterrows():
        row = rows[(p["wave"], p["ResponseId"])]
        if p["rule"] == "screening":
            assert row["Q1"] == "2" and row["Finished"] == "1" and row["Q3_1"] == ""
        elif p["rule"] == "unfinished":
            assert row["Finished"] == "0" and int(row["Progress"]) < 100
        elif p["rule"] == "attention":
            assert row["Q5_5"] != "6"
        elif p["rule"] == "duplicate":
            code = re.search(r"FirmCode (\S+)", p["detail"]).group(1)
            assert row["FirmCode"] == code
        elif p["rule"] == "preview_spam":
            assert row["Status"] != "0"


def test_value_fixes_and_item_nonresponse(study, codebook):
    paths, truth = study
    n_cells = n_missing = 0
    for wave, path in paths.survey.items():
        frame = read_export(path).set_index("ResponseId")
        fixes = truth["survey"][wave]["value_fixes"]
        assert fixes
        for fix in fixes:
            raw = frame.loc[fix["ResponseId"], fix["column"]]
            assert raw == fix["raw"] and raw != fix["normalised"]
            assert normalise_integer(raw) == int(fix["normalised"])
        for miss in truth["survey"][wave]["item_nonresponse"]:
            assert frame.loc[miss["ResponseId"], miss["column"]] == ""
        n_missing += len(truth["survey"][wave]["item_nonresponse"])
        n_cells += truth["survey"][wave]["usable"] * len(likert_items(codebook))
    assert 0 < n_missing < 0.01 * n_cells


def test_another_seed_gives_a_valid_study_of_the_size_asked(small_study, study, codebook):
    paths, truth = small_study
    result = clean(paths.survey, codebook)
    assert (result["rule"] == "").sum() == 90
    assert set(result["rule"]) - {""} == set(RULES)
    other = read_export(study[0].survey["wave-1"])
    mine = read_export(paths.survey["wave-1"])
    assert set(other["ResponseId"]).isdisjoint(mine["ResponseId"])


def test_extra_wave_uses_default_ids(tmp_path, codebook):
    path, result = write_wave(SHIPPED_SEED, "wave-3", 60, tmp_path)
    names = _header_rows(path)[0]
    assert path.parent.name == "wave-3"
    assert "Q3_2" in names and "Q3_6" not in names
    cleaned = clean({"wave-3": path}, codebook)
    assert (cleaned["rule"] == "").sum() == 60
    planted = {p["ResponseId"]: p["rule"] for p in result.planted}
    for _, r in cleaned[cleaned["rule"] != ""].iterrows():
        assert planted[r["ResponseId"]] == r["rule"]
    months = {dt.datetime.fromisoformat(x).month for x in read_export(path)["RecordedDate"]}
    assert months <= {3, 4}
