"""``nero survey read`` and ``nero survey clean``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from builders import build_wave, write_current

from nero.cli import main

REPO = Path(__file__).resolve().parents[2]
CODEBOOK = str(REPO / "config" / "codebook.yaml")
CONFIG = str(REPO / "config" / "config.yaml")


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_read_current_export_json(fixtures_dir, capsys):
    code = main(
        [
            "survey",
            "read",
            str(fixtures_dir / "qualtrics_current.csv"),
            "--codebook",
            CODEBOOK,
            "--wave",
            "wave-2",
            "--json",
        ]
    )
    payload = _json(capsys)
    assert code == 0
    assert payload["format"] == "qualtrics"
    assert payload["rows"] == 18 and payload["columns"] == 56 and payload["header_rows"] == 3
    mapping = payload["mapping"]["mapping"]
    assert mapping["Q3_6"] == "INST2" and mapping["Q3_1"] == "INST1" and mapping["Q5_5"] == "attention"
    assert mapping["Duration (in seconds)"] == "duration_s"
    assert sorted(payload["mapping"]["privacy_dropped"]) == sorted(
        [
            "IPAddress",
            "RecipientLastName",
            "RecipientFirstName",
            "RecipientEmail",
            "ExternalReference",
            "LocationLatitude",
            "LocationLongitude",
        ]
    )
    assert payload["ok"] is True


def test_read_legacy_and_sav(fixtures_dir, capsys):
    assert (
        main(
            [
                "survey",
                "read",
                str(fixtures_dir / "qualtrics_legacy.csv"),
                "--codebook",
                CODEBOOK,
                "--wave",
                "wave-2",
                "--json",
            ]
        )
        == 0
    )
    legacy = _json(capsys)
    assert legacy["format"] == "qualtrics-legacy" and legacy["header_rows"] == 2 and legacy["columns"] == 55
    assert legacy["mapping"]["mapping"]["ResponseID"] == "response_id"
    assert (
        main(
            [
                "survey",
                "read",
                str(fixtures_dir / "qualtrics.sav"),
                "--codebook",
                CODEBOOK,
                "--wave",
                "wave-2",
                "--json",
            ]
        )
        == 0
    )
    sav = _json(capsys)
    assert sav["format"] == "sav" and sav["rows"] == 18
    assert sav["user_missing"]["Q3_1"] == ["-99"]
    # value-label keys read as the cells do ("7", not pyreadstat's 7.0), so a cell finds its label
    assert sav["value_labels"]["Q3_1"]["7"] == "Strongly agree" and "7.0" not in sav["value_labels"]["Q3_1"]


def test_read_reports_unknown_and_missing_columns(fixtures_dir, capsys):
    # the wave-2 fixture read with wave-1 ids: Q3_6 is unknown there and INST2 (Q3_2) missing
    code = main(
        [
            "survey",
            "read",
            str(fixtures_dir / "qualtrics_current.csv"),
            "--codebook",
            CODEBOOK,
            "--wave",
            "wave-1",
            "--json",
        ]
    )
    payload = _json(capsys)
    assert code == 1
    assert payload["mapping"]["unknown_columns"] == [{"column": "Q3_6", "import_id": "QID3_6"}]
    assert payload["mapping"]["missing_items"] == [{"item": "INST2", "expected_column": "Q3_2"}]
    assert (
        main(
            ["survey", "read", str(fixtures_dir / "qualtrics_current.csv"), "--codebook", CODEBOOK, "--wave", "wave-1"]
        )
        == 1
    )
    text = capsys.readouterr().out
    assert "if wave wave-1 renamed INST2: under items.INST2 add `wave_ids: {wave-1: <one of Q3_6>}`" in text


def test_read_malformed_file_is_a_user_error(tmp_path, capsys):
    bad = tmp_path / "export.csv"
    bad.write_bytes(b"ResponseId,Status\r\nR_1,0\r\n")
    assert main(["survey", "read", str(bad), "--codebook", CODEBOOK]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nero: error: ") and "row 2: expected the ImportId header row" in err


def test_clean_writes_every_output(raw_survey, tmp_path, capsys):
    out = tmp_path / "results"
    code = main(
        ["survey", "clean", str(raw_survey), "--out", str(out), "--codebook", CODEBOOK, "--config", CONFIG, "--json"]
    )
    payload = _json(capsys)
    assert code == 0
    assert payload["usable"] == 80 and payload["counts"]["pooled"]["received"] == 100
    assert payload["counts"]["wave-1"]["out_of_range"] == 2
    for name in (
        "clean.csv",
        "exclusion_log.csv",
        "flow.csv",
        "flow.png",
        "flow.pdf",
        "missing_items.csv",
        "missing_cases.csv",
        "little_mcar.json",
        "descriptives_items.csv",
        "descriptives_constructs.csv",
        "value_fixes.csv",
        "outliers.csv",
        "harmonised.csv",
        "validation.csv",
        "waves/wave-2.csv",
    ):
        assert (out / name).stat().st_size > 0, name
    assert len(pd.read_csv(out / "clean.csv")) == 80


def test_clean_malformed_input_writes_nothing(raw_survey, tmp_path, capsys, codebook):
    wave = build_wave(codebook, "wave-2", seed=2, firm_offset=500)
    wave.rows[0]["Q8_1"] = "n/a"
    write_current(raw_survey / "wave-2" / "export.csv", wave)
    out = tmp_path / "results"
    assert main(["survey", "clean", str(raw_survey), "--out", str(out), "--codebook", CODEBOOK]) == 2
    assert "column 'Q8_1': value 'n/a'" in capsys.readouterr().err
    assert not out.exists()


def test_read_outside_a_wave_folder_says_no_wave_was_given(fixtures_dir, capsys):
    assert main(["survey", "read", str(fixtures_dir / "qualtrics_current.csv"), "--codebook", CODEBOOK]) == 1
    text = capsys.readouterr().out
    assert "<wave>" not in text and "for wave None" not in text
    assert (
        "do not match the default column ids of" in text and "no wave given" in text and "no --wave was passed" in text
    )
    assert "if wave WAVE renamed INST2: under items.INST2 add `wave_ids: {WAVE: <one of Q3_6>}`" in text
