"""Readers: current and legacy Qualtrics CSV and SPSS .sav, and every malformed input."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from builders import build_wave, write_current

from nero.survey.errors import SurveyInputError
from nero.survey.importer import import_wave
from nero.survey.pipeline import run_survey
from nero.survey.readers import detect_format, read_export
from nero.survey.readers_csv import read_legacy_qualtrics_csv, read_qualtrics_csv
from nero.survey.readers_sav import read_sav


def test_current_export(fixtures_dir):
    path = fixtures_dir / "qualtrics_current.csv"
    assert detect_format(path) == "qualtrics"
    export = read_qualtrics_csv(path)
    assert export.header_rows == 3
    assert len(export.data) == 18
    assert len(export.columns) == 56
    assert export.import_ids["Q3_6"] == "QID3_6"
    assert export.import_ids["ResponseId"] == "_recordId"
    assert export.import_ids["Q10"] == "QID10_TEXT"
    assert export.labels["Q1"].startswith("Is your firm registered in Singapore")
    first = export.data.iloc[0]
    assert first["ResponseId"] == "R_wave20000xq"
    assert first["Status"] == "0"
    assert export.row_number(0) == 4


def test_legacy_export(fixtures_dir):
    path = fixtures_dir / "qualtrics_legacy.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfV1,V2,")
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].endswith(",")  # trailing empty column
    assert detect_format(path) == "qualtrics-legacy"
    export = read_legacy_qualtrics_csv(path)
    assert export.header_rows == 2
    assert len(export.data) == 18
    # V1..V16 took their real names from row 2, the trailing empty column is gone
    assert export.columns[:3] == ["ResponseID", "Status", "StartDate"]
    assert "" not in export.columns and not any(c.startswith("V") for c in export.columns)
    assert export.columns[16:18] == ["Q1", "Q3_1"]
    assert export.data.iloc[0]["ResponseID"] == "R_wave20000xq"
    assert export.row_number(0) == 3


def test_sav_export(fixtures_dir):
    path = fixtures_dir / "qualtrics.sav"
    assert detect_format(path) == "sav"
    export = read_sav(path)
    assert len(export.data) == 18
    assert "Duration__in_seconds_" in export.columns
    # value labels are kept as metadata, the codes stay numeric
    assert export.value_labels["Q3_1"]["7"] == "Strongly agree"
    assert export.data["Q3_1"].iloc[0] in {str(v) for v in range(1, 8)}
    assert export.data["Q3_1"].iloc[0] in export.value_labels["Q3_1"]  # every answered cell finds its label
    # -99 "No answer" is user-missing: the screened-out response has it on every item
    assert export.user_missing["Q3_1"] == ["-99"]
    screened = export.data[export.data["Q1"] == "2"].iloc[0]
    assert screened["Q3_1"] == ""
    assert export.data["Duration__in_seconds_"].iloc[0].isdigit()


def test_three_formats_give_the_same_table(fixtures_dir, codebook):
    frames = {}
    for name in ("qualtrics_current.csv", "qualtrics_legacy.csv", "qualtrics.sav"):
        imported = import_wave([fixtures_dir / name], codebook, "wave-2")
        frames[name] = imported.frame.drop(columns=["source_file", "source_row", "user_language"], errors="ignore")
    reference = frames["qualtrics_current.csv"]
    # SPSS pads string variables and pyreadstat right-trims them: " 45 " arrives as " 45"
    assert reference.loc[1, "employees"] == " 45 " and frames["qualtrics.sav"].loc[1, "employees"] == " 45"
    frames["qualtrics.sav"].loc[1, "employees"] = " 45 "
    assert reference.loc[0, "INST2"] == read_export(fixtures_dir / "qualtrics_current.csv").data.loc[0, "Q3_6"]
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(reference, frame, obj=name)


def test_privacy_columns_never_leave_the_reader_stage(fixtures_dir, codebook):
    imported = import_wave([fixtures_dir / "qualtrics_current.csv"], codebook, "wave-2")
    for column in (
        "IPAddress",
        "RecipientEmail",
        "RecipientFirstName",
        "RecipientLastName",
        "LocationLatitude",
        "LocationLongitude",
        "ExternalReference",
    ):
        assert column not in imported.frame.columns
    text = imported.frame.to_csv()
    assert "@firm" not in text and "203.0." not in text


# ---------------------------------------------------------------------------------------
# malformed inputs: a clear error naming file/row/column/value, and no partial output
# ---------------------------------------------------------------------------------------


def _run_expect_error(raw_root, tmp_path, codebook, *fragments):
    out = tmp_path / "out"
    with pytest.raises(SurveyInputError) as info:
        run_survey(raw_root, codebook, out)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    assert not out.exists() or not any(out.rglob("*")), "partial output written"
    return message


def test_missing_question_text_header_row(raw_survey, tmp_path, codebook, two_waves):
    target = raw_survey / "wave-1" / "export.csv"
    write_current(target, two_waves[0], drop_header=1)
    _run_expect_error(raw_survey, tmp_path, codebook, str(target), "row 2", "question-text header row is missing")


def test_missing_import_id_header_row(raw_survey, tmp_path, codebook, two_waves):
    target = raw_survey / "wave-1" / "export.csv"
    write_current(target, two_waves[0], drop_header=2)
    _run_expect_error(
        raw_survey, tmp_path, codebook, str(target), "row 3", "ImportId header row", "2 header row(s) instead of three"
    )


def test_unknown_column_names_the_column_and_the_entry_to_add(raw_survey, tmp_path, codebook, two_waves):
    wave = build_wave(codebook, "wave-1", seed=1)
    wave.columns.append(("Q3_7", "Q3_7", "A new statement"))
    for row in wave.rows:
        row["Q3_7"] = "4"
    target = write_current(raw_survey / "wave-1" / "export.csv", wave)
    message = _run_expect_error(
        raw_survey, tmp_path, codebook, str(target), "unknown column 'Q3_7' (ImportId QID3_7)", "id: Q3_7"
    )
    assert "construct" in message


def test_renamed_item_without_codebook_entry(raw_survey, tmp_path, codebook, two_waves):
    wave = build_wave(codebook, "wave-1", seed=1)
    wave.columns = [("Q3_9", n, t) if c == "Q3_2" else (c, n, t) for c, n, t in wave.columns]
    for row in wave.rows:
        row["Q3_9"] = row.pop("Q3_2")
    target = write_current(raw_survey / "wave-1" / "export.csv", wave)
    _run_expect_error(
        raw_survey,
        tmp_path,
        codebook,
        str(target),
        "missing column 'Q3_2' for INST2",
        "unknown column 'Q3_9'",
        "wave_ids: {wave-1: <one of Q3_9>}",
    )


def test_non_numeric_answer(raw_survey, tmp_path, codebook):
    wave = build_wave(codebook, "wave-1", seed=1)
    wave.rows[4]["Q4_2"] = "Agree"
    wave.rows[7]["Q5_1"] = "Strongly agree"
    target = write_current(raw_survey / "wave-1" / "export.csv", wave)
    message = _run_expect_error(
        raw_survey,
        tmp_path,
        codebook,
        "2 malformed cell(s)",
        "wave-1/export.csv, row 8, column 'Q4_2': value 'Agree' (expected a numeric answer code",
        "row 11, column 'Q5_1': value 'Strongly agree'",
    )
    assert str(target.name) in message


def test_duplicate_response_id_across_waves(raw_survey, tmp_path, codebook, two_waves):
    wave = build_wave(codebook, "wave-2", seed=2, firm_offset=500)
    wave.rows[3]["ResponseId"] = two_waves[0].rows[5]["ResponseId"]
    write_current(raw_survey / "wave-2" / "export.csv", wave)
    rid = two_waves[0].rows[5]["ResponseId"]
    _run_expect_error(
        raw_survey,
        tmp_path,
        codebook,
        f"ResponseId '{rid}' appears in",
        "wave-1/export.csv row 9",
        "wave-2/export.csv row 7",
    )


def test_duplicate_response_id_within_a_wave(raw_survey, tmp_path, codebook):
    wave = build_wave(codebook, "wave-1", seed=1)
    wave.rows[3]["ResponseId"] = wave.rows[2]["ResponseId"]
    write_current(raw_survey / "wave-1" / "export.csv", wave)
    _run_expect_error(
        raw_survey,
        tmp_path,
        codebook,
        "wave-1/export.csv, row 6, column 'ResponseId'",
        "a ResponseId not used by another response",
    )


def test_wrong_encoding(raw_survey, tmp_path, codebook, two_waves):
    target = raw_survey / "wave-1" / "export.csv"
    text = target.read_text(encoding="utf-8").replace("Start Date", "Start Date (heure de Singapour, d\u00e9but)")
    target.write_bytes(text.encode("cp1252"))
    _run_expect_error(
        raw_survey,
        tmp_path,
        codebook,
        str(target),
        "row 2",
        "byte 0xe9",
        "is not UTF-8",
        "iconv -f WINDOWS-1252 -t UTF-8",
    )


def test_utf16_export(raw_survey, tmp_path, codebook):
    target = raw_survey / "wave-1" / "export.csv"
    target.write_bytes(target.read_text(encoding="utf-8").encode("utf-16"))
    _run_expect_error(raw_survey, tmp_path, codebook, str(target), "UTF-16", "expected a UTF-8")


def test_ragged_row(raw_survey, tmp_path, codebook):
    target = raw_survey / "wave-1" / "export.csv"
    lines = target.read_bytes().decode("utf-8").split("\r\n")
    lines[9] = lines[9].rsplit(",", 3)[0]
    target.write_text("\r\n".join(lines), encoding="utf-8", newline="")
    _run_expect_error(raw_survey, tmp_path, codebook, str(target), "row 10: has 53 fields, expected 56")


def test_not_a_survey_export(tmp_path, codebook):
    root = tmp_path / "survey"
    (root / "wave-1").mkdir(parents=True)
    (root / "wave-1" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    _run_expect_error(root, tmp_path, codebook, "notes.csv, row 1: not a Qualtrics export")


def test_fake_sav(tmp_path):
    path = tmp_path / "export.sav"
    path.write_text("ResponseId\nR_1\n", encoding="utf-8")
    with pytest.raises(SurveyInputError, match="not an SPSS system file"):
        read_export(path)


def test_wave_not_in_codebook(raw_survey, tmp_path, codebook):
    shutil.copytree(raw_survey / "wave-2", raw_survey / "wave-9")
    message = _run_expect_error(raw_survey, tmp_path, codebook, "survey wave 'wave-9'", "waves:\n  wave-9:\n    label:")
    assert "config/codebook.yaml" in message


@pytest.mark.parametrize("name", ["export.por", "export.sav", "export.csv"])
def test_spss_portable_file_is_told_to_save_as_sav(tmp_path, name):
    import pyreadstat

    path = tmp_path / name
    pyreadstat.write_por(pd.DataFrame({"Q1": [1.0, 2.0]}), str(path))
    with pytest.raises(SurveyInputError) as info:
        read_export(path)
    message = str(info.value)
    assert "an SPSS portable file (.por)" in message and "save it as .sav" in message
    assert "iconv" not in message and "UTF-8" not in message
