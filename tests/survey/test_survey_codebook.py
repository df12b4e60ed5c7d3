"""The codebook: wave maps, column mapping by names and ImportIds, schemas, error messages."""

from __future__ import annotations

import pandas as pd
import pandera.errors as pae
import pytest

from nero.survey.codebook import Codebook
from nero.survey.errors import CodebookError
from nero.survey.mapping import map_columns
from nero.survey.schemas import codebook_schema, export_schema


def test_wave_maps_follow_renamed_items(codebook):
    assert codebook.wave_map("wave-1")["Q3_2"] == "INST2"
    assert "Q3_2" not in codebook.wave_map("wave-2")
    assert codebook.wave_map("wave-2")["Q3_6"] == "INST2"
    assert codebook.wave_map("wave-2")["Q5_5"] == "attention"
    assert codebook.wave_map("wave-2")["FirmCode"] == "firm_code"
    assert codebook.item_names[:3] == ["INST1", "INST2", "INST3"] and len(codebook.item_names) == 31
    assert codebook.reverse_items == ["INST4", "VIRT3", "CAP4", "SCO5"]
    assert len(codebook.substantive_items) == 28


def test_for_wave_holds_only_that_wave(codebook):
    spec = codebook.for_wave("wave-1")
    assert list(spec["waves"]) == ["wave-1"]
    assert "wave_ids" not in spec["items"]["INST2"]
    assert codebook.for_wave("wave-2")["items"]["INST2"]["wave_ids"] == {"wave-2": "Q3_6"}
    # adding a wave (and a renaming in it) leaves the existing waves' part unchanged
    bigger = codebook.to_dict()
    bigger["waves"]["wave-3"] = {"label": "Wave 3"}
    bigger["items"]["INST3"]["wave_ids"] = {"wave-3": "Q3_9"}
    assert Codebook(bigger).for_wave("wave-1") == spec


def test_unknown_wave_message_gives_the_yaml(codebook):
    with pytest.raises(CodebookError) as info:
        codebook.check_wave("wave-3")
    assert "survey wave 'wave-3'" in str(info.value)
    assert "waves:\n  wave-3:\n    label:" in str(info.value)


def test_bad_codebook_lists_every_problem(codebook):
    spec = codebook.to_dict()
    spec["items"]["INST3"]["id"] = "Q3_1"  # two items on one column
    spec["constructs"]["INST"]["items"].append("INST9")
    del spec["checks"]["attention"]
    del spec["firm_variables"]["employees"]
    with pytest.raises(CodebookError) as info:
        Codebook(spec, source="broken.yaml")
    message = str(info.value)
    assert "broken.yaml is not a usable codebook" in message
    assert "INST3 and INST1 both use column Q3_1" in message
    assert "constructs.INST: item INST9 has no entry under items" in message
    assert "checks.attention: missing" in message
    assert "firm_variables.employees: missing" in message


def _columns(codebook, wave):
    meta = ["ResponseId", "RecordedDate", "Status", "Progress", "Finished", "Duration (in seconds)", "IPAddress"]
    return meta + list(codebook.wave_map(wave))


def test_map_columns_by_name_and_import_id(codebook):
    columns = _columns(codebook, "wave-1")
    columns[columns.index("Q3_1")] = "Q3_1 - Government agencies"  # renamed in the export, ImportId kept
    ids = {"Q3_1 - Government agencies": "QID3_1", "ResponseId": "_recordId"}
    mapping = map_columns(columns, ids, codebook, "wave-1", file="x.csv")
    assert mapping.ok
    assert mapping.mapping["Q3_1 - Government agencies"] == "INST1"
    assert mapping.how["Q3_1 - Government agencies"] == "ImportId"
    assert mapping.mapping["Duration (in seconds)"] == "duration_s"
    assert mapping.privacy == ["IPAddress"]


def test_map_columns_conflict_between_name_and_import_id(codebook):
    columns = _columns(codebook, "wave-1")
    mapping = map_columns(columns, {"Q3_1": "QID3_3"}, codebook, "wave-1", file="x.csv")
    assert not mapping.ok
    assert mapping.conflicts == ["column 'Q3_1' is INST1 by its name but INST3 by its ImportId QID3_3"]


def test_map_columns_legacy_and_spss_aliases(codebook):
    columns = [
        "ResponseID",
        "RecordedDate",
        "Status",
        "Progress",
        "Finished",
        "Duration__in_seconds_",
        "EmailAddress",
        "Name",
        "ResponseSet",
        *codebook.wave_map("wave-1"),
    ]
    mapping = map_columns(columns, {}, codebook, "wave-1")
    assert mapping.ok, mapping.problems(codebook)
    assert mapping.mapping["ResponseID"] == "response_id"
    assert mapping.mapping["Duration__in_seconds_"] == "duration_s"
    assert sorted(mapping.privacy) == ["EmailAddress", "Name"]
    assert mapping.ignored == ["ResponseSet"]


def test_missing_metadata_column_is_reported(codebook):
    columns = [c for c in _columns(codebook, "wave-1") if c != "Finished"]
    mapping = map_columns(columns, {}, codebook, "wave-1", file="x.csv")
    assert mapping.missing == [("finished", "Finished")]
    assert "missing column 'Finished' for finished" in mapping.problems(codebook)


def test_export_schema_reports_all_failures_at_once(codebook):
    frame = pd.DataFrame(
        {
            "wave": ["wave-1"] * 3,
            "source_file": ["w.csv"] * 3,
            "source_row": [4, 5, 6],
            "response_id": ["R_1", "R_2", "R_2"],
            "recorded_date": ["2025-03-01 10:00:00", "yesterday", "2025-03-02 10:00:00"],
            "status": ["0", "0", "x"],
            "progress": ["100", "150", "100"],
            "finished": ["1", "1", "2"],
            "duration_s": ["600", "-3", "500"],
            **{name: ["4", "4", "4"] for name in [*codebook.item_names, "screening", "attention", "sector"]},
        }
    )
    frame.loc[0, "INST1"] = "Agree"
    with pytest.raises(pae.SchemaErrors) as info:
        export_schema(codebook).validate(frame, lazy=True)
    failures = info.value.failure_cases
    found = {(c, str(v)) for c, v in zip(failures["column"], failures["failure_case"])}
    assert {
        ("response_id", "R_2"),
        ("recorded_date", "yesterday"),
        ("status", "x"),
        ("progress", "150"),
        ("finished", "2"),
        ("duration_s", "-3"),
        ("INST1", "Agree"),
    } <= found


def test_codebook_schema_ranges_and_codes(codebook):
    frame = pd.DataFrame({name: [4.0, 4.0] for name in codebook.item_names})
    frame["attention"] = [6.0, 6.0]
    frame["INST1"] = [8.0, 0.0]
    frame["employees"] = [250.0, 10.0]
    frame["founding_year"] = [2031.0, 1990.0]
    frame["sector"] = [7.0, 1.0]
    frame["foreign_markets"] = [3.0, 2.5]
    frame["years_abroad"] = [1.0, 80.0]
    with pytest.raises(pae.SchemaErrors) as info:
        codebook_schema(codebook).validate(frame, lazy=True)
    failures = info.value.failure_cases
    found = {(c, float(v)) for c, v in zip(failures["column"], failures["failure_case"])}
    assert found == {
        ("INST1", 8.0),
        ("INST1", 0.0),
        ("employees", 250.0),
        ("founding_year", 2031.0),
        ("sector", 7.0),
        ("foreign_markets", 2.5),
        ("years_abroad", 80.0),
    }


def test_construct_map_and_marker_follow_the_constructs_section(codebook):
    """The construct -> items map the SEM fits (nero.sem.syntax.codebook_constructs reads it),
    with and without the marker construct, equal to the YAML's ``constructs`` lists."""
    from nero.sem.syntax import codebook_constructs, marker_construct

    spec = codebook.to_dict()["constructs"]
    assert codebook.construct_map(include_marker=True) == {k: v["items"] for k, v in spec.items()}
    assert codebook.construct_map() == {k: v["items"] for k, v in spec.items() if not v.get("marker")}
    assert codebook.marker_construct == "MARKER" and "MARKER" not in codebook.construct_map()
    assert codebook_constructs(codebook, include_marker=True) == codebook_constructs(codebook.to_dict(), True)
    assert marker_construct(codebook) == marker_construct(codebook.to_dict()) == "MARKER"
    spec_without = codebook.to_dict()
    del spec_without["constructs"]["MARKER"]["marker"]
    assert Codebook(spec_without).marker_construct is None
