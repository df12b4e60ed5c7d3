"""Problems of real export files: SPSS dates and times, older Qualtrics ImportId rows,
and a wave whose export holds only its header rows."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import pytest

from nero.survey.cleaning import clean_survey
from nero.survey.importer import import_wave
from nero.survey.pipeline import read_back
from nero.survey.readers import read_export
from nero.survey.readers_sav import read_sav


def test_sav_dates_times_and_empty_cells_come_back_as_iso_text(tmp_path):
    """Closed form: SPSS stores seconds since 1582-10-14; a date is written as a date, a time as a time,
    an empty date cell stays empty (pandas' NaT used to crash with 'NaTType does not support strftime')."""
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(
        {
            "d": [dt.date(2000, 1, 1), None],
            "t": [dt.time(10, 10, 10), None],
            "stamp": [dt.datetime(2020, 5, 1, 3, 4, 5), None],
            "x": [1.0, 2.0],
        }
    )
    path = tmp_path / "dates.sav"
    pyreadstat.write_sav(frame, str(path))
    export = read_sav(path)
    assert export.data["d"].tolist() == ["2000-01-01", ""]
    assert export.data["t"].tolist() == ["10:10:10", ""]
    assert export.data["stamp"].tolist() == ["2020-05-01 03:04:05", ""]
    assert export.data["x"].tolist() == ["1", "2"]


def test_sav_dates_outside_pandas_range_are_read(tmp_path):
    """A year-1500 date (out of pandas' nanosecond range) is read, not refused."""
    pyreadstat = pytest.importorskip("pyreadstat")
    seconds = (dt.datetime(1500, 6, 1) - dt.datetime(1582, 10, 14)).total_seconds()
    frame = pd.DataFrame({"founded": [seconds, 0.0]})
    path = tmp_path / "old.sav"
    pyreadstat.write_sav(frame, str(path), variable_format={"founded": "DATE11"})
    assert read_sav(path).data["founded"].tolist() == ["1500-06-01", "1582-10-14"]


def test_older_exports_with_single_quoted_importids_are_read(tmp_path, fixtures_dir):
    """Older Qualtrics exports write the third header row as {'ImportId': 'QID3_1'}."""
    text = (fixtures_dir / "qualtrics_current.csv").read_text(encoding="utf-8-sig")
    rows = text.split("\n")
    import csv
    import io

    records = list(csv.reader(io.StringIO(text, newline="")))
    import json

    records[2] = [repr(json.loads(c)) if c.strip() else c for c in records[2]]  # Python dict notation
    assert records[2][0].startswith("{'ImportId': '")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    path = tmp_path / "older.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert rows  # the fixture is not empty
    old = read_export(path)
    new = read_export(fixtures_dir / "qualtrics_current.csv")
    assert old.format == "qualtrics"
    assert old.import_ids == new.import_ids
    pd.testing.assert_frame_equal(old.data, new.data)


def test_header_only_wave_stays_in_the_flow_with_zero_counts_and_a_warning(raw_survey, codebook, caplog):
    export = next((raw_survey / "wave-2").glob("*.csv"))
    lines = export.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    export.write_text("".join(lines[:3]), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        imports = {w: import_wave(sorted((raw_survey / w).glob("*.csv")), codebook, w) for w in ("wave-1", "wave-2")}
    assert any(str(export) in r.getMessage() and "no responses" in r.getMessage() for r in caplog.records)
    result = clean_survey({w: read_back(i.frame) for w, i in imports.items()}, codebook)
    flow = result.flow
    empty = flow[flow["wave"] == "wave-2"]
    assert len(empty) == len(flow[flow["wave"] == "wave-1"])
    assert empty["remaining"].eq(0).all() and empty["dropped"].eq(0).all()
    assert result.counts("pooled")["received"] == result.counts("wave-1")["received"]
    assert any("wave-2" in w and "only the header rows" in w for w in result.warnings)
