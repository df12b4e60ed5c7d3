"""Consistency of the PRISMA counts, clear errors on bad screening and coding files, the CLI."""

from __future__ import annotations

import copy
import json
import shutil

import pandas as pd
import pytest

from nero.slr.coding import CodingError, validate_coding
from nero.slr.flow import check_prisma, prisma_table, review_flow
from nero.slr.screening import ScreeningError

from .conftest import SETTINGS, SLR_RAW


def test_prisma_identities_hold_and_a_tampered_count_is_caught(flow):
    check_prisma(flow.prisma)
    bad = copy.deepcopy(flow.prisma)
    bad["databases"]["screened"] += 1
    with pytest.raises(AssertionError, match="identified - duplicates - removed = screened"):
        check_prisma(bad)
    bad = copy.deepcopy(flow.prisma)
    bad["other"]["excluded_reports"]["not empirical"] -= 1
    with pytest.raises(AssertionError, match="assessed - excluded = included \\(other\\)"):
        check_prisma(bad)
    table = prisma_table(flow.prisma)
    assert table.loc[table["branch"] == "total", "n"].item() == 70


def test_prisma_statuses_partition_the_unique_records(flow, dedup):
    counts = flow.flow["status"].value_counts()
    assert counts.sum() == len(dedup.unique) and (flow.flow["status"] != "").all()


@pytest.fixture()
def screening_copy(tmp_path):
    target = tmp_path / "screening"
    shutil.copytree(SLR_RAW / "screening", target)
    return target


def _run(dedup, journals, folder):
    return review_flow(dedup.unique, dedup.groups, folder, journals, SETTINGS)


def test_unknown_accession_in_a_screener_file(dedup, journals, screening_copy):
    path = screening_copy / "title_abstract_screener-a.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[4, "accession"] = "2-s2.0-00000000000"
    frame.to_csv(path, index=False)
    with pytest.raises(ScreeningError, match=r"title_abstract_screener-a.csv: line 6: accession '2-s2.0-00000000000'"):
        _run(dedup, journals, screening_copy)


def test_missing_decision_names_the_records(dedup, journals, screening_copy):
    path = screening_copy / "full_text_screener-b.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    dropped = frame.loc[0, "accession"]
    frame.iloc[1:].to_csv(path, index=False)
    with pytest.raises(ScreeningError, match=f"full_text_screener-b.csv: no decision for 1 record.*{dropped}"):
        _run(dedup, journals, screening_copy)


def test_unresolved_disagreement_is_an_error(dedup, journals, screening_copy):
    path = screening_copy / "title_abstract_reconciled.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.iloc[1:].to_csv(path, index=False)
    with pytest.raises(ScreeningError, match=f"1 disagreement.*{frame.loc[0, 'accession']}"):
        _run(dedup, journals, screening_copy)


def test_bad_decision_value_names_line_and_field(dedup, journals, screening_copy):
    path = screening_copy / "full_text_screener-a.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[2, "decision"] = "maybe"
    frame.to_csv(path, index=False)
    with pytest.raises(ScreeningError, match="line 4: field decision: expected include or exclude, found 'maybe'"):
        _run(dedup, journals, screening_copy)


def test_record_screened_at_the_wrong_stage(dedup, journals, screening_copy, flow):
    removed = flow.flow.loc[flow.flow["status"] == "removed before screening", "accession"].iloc[0]
    path = screening_copy / "title_abstract_screener-a.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[len(frame)] = [removed, "x", "2020", "exclude", "not SME"]
    frame.to_csv(path, index=False)
    with pytest.raises(ScreeningError, match=f"record {removed} .* is not at the title_abstract stage"):
        _run(dedup, journals, screening_copy)


@pytest.fixture(scope="module")
def sheet():
    return pd.read_csv(SLR_RAW / "coding_sheet.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("mediators", "digital magic", "line 5: field mediators: value 'digital magic'"),
        ("pathway", "sideways", "line 5: field pathway: value 'sideways'"),
        ("year", "20x1", "line 5: field year"),
        ("technology_groups", "", "line 5: field technology_groups"),
    ],
)
def test_coding_sheet_schema_errors(sheet, column, value, message):
    bad = sheet.copy()
    bad.loc[3, column] = value
    with pytest.raises(CodingError, match=message):
        validate_coding(bad)


def test_levels_must_match_the_coded_elements(sheet):
    bad = sheet.copy()
    bad.loc[0, "antecedents"] = "globalisation pressure"
    bad.loc[0, "boundary_conditions"] = ""
    bad.loc[0, "levels"] = "firm"
    with pytest.raises(CodingError, match=r"line 2: field levels: 'firm' but the coded .* sit at \['macro'\]"):
        validate_coding(bad)


def test_sheet_must_cover_exactly_the_included_set(sheet, flow, dedup):
    acc_to_id = dict(zip(dedup.groups["accession"], dedup.groups["record_id"]))
    included = list(flow.included["record_id"])
    with pytest.raises(CodingError, match="1 included article\\(s\\) not coded"):
        validate_coding(sheet.iloc[1:].reset_index(drop=True), acc_to_id, included)
    excluded = flow.flow.loc[flow.flow["status"] == "report excluded", "accession"].iloc[0]
    bad = sheet.copy()
    bad.loc[0, "accession"] = excluded
    with pytest.raises(CodingError, match=f"line 2: field accession: {excluded} is not an included article"):
        validate_coding(bad, acc_to_id, included)


def test_cli_reads_an_export_as_json(capsys):
    from nero.cli import main

    path = SLR_RAW / "searches" / "wos_supplement" / "savedrecs.txt"
    assert main(["slr", "read", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["format"] == "wos_tab" and payload["n_records"] == len(payload["records"]) > 0
    assert payload["n_with_doi"] == sum(1 for r in payload["records"] if r["doi"])
    assert set(payload["records"][0]) == {"authors", "title", "year", "source", "doi", "keywords", "accession"}


def test_cli_reports_a_malformed_export(tmp_path, capsys):
    from nero.cli import main

    bad = tmp_path / "savedrecs.txt"
    bad.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI x\nPY 2020\n", encoding="utf-8")
    assert main(["slr", "read", str(bad)]) == 2
    assert "line 3, record 1: the last record has no 'ER'" in capsys.readouterr().err
