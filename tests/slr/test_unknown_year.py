"""Records kept with an unknown publication year (issue 24): the year filter, PRISMA, de-duplication,
the keyword map and the thematic periods each say or skip them, never crash."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from nero.slr.bibliometrics import keyword_map, thematic_evolution
from nero.slr.dedup import deduplicate
from nero.slr.flow import check_prisma, prisma_counts, prisma_table
from nero.slr.screening import scope_filter
from nero.slr.searches import load_table

SETTINGS = {"document_types": ["Article"], "languages": ["English"], "years": [2011, 2023]}


@pytest.mark.parametrize(
    "year, reason",
    [(2010, "publication year"), (2011, ""), (2023, ""), (2024, "publication year"), (pd.NA, ""), (None, "")],
)
def test_year_filter_edges_and_unknown_year(year, reason):
    record = {"document_type": "Article", "language": "English", "year": year}
    assert scope_filter(record, SETTINGS) == reason


def _flow(years, statuses, reasons):
    n = len(years)
    flow = pd.DataFrame(
        {
            "record_id": [f"R{i}" for i in range(n)],
            "branch": "database",
            "status": statuses,
            "reason": reasons,
            "year": pd.array(years, dtype="Int64"),
        }
    )
    groups = pd.DataFrame({"record_id": flow["record_id"], "source_type": "database", "database": "Scopus"})
    return flow, groups


def test_prisma_counts_say_how_many_records_had_no_year():
    flow, groups = _flow(
        [2005, None, 2020, None],
        ["removed before screening", "included", "excluded at screening", "removed before screening"],
        ["publication year", "", "not SME", "document type"],
    )
    counts = prisma_counts(flow, groups)
    check_prisma(counts)
    assert counts["databases"]["year_unknown"] == 1  # the yearless record removed for its document type is not counted
    table = prisma_table(counts)
    assert table.loc[table["box"] == "year_unknown", "n"].tolist() == [1]


def test_prisma_counts_have_no_year_unknown_key_when_every_record_has_a_year():
    flow, groups = _flow([2015, 2020], ["included", "excluded at screening"], ["", "not SME"])
    assert "year_unknown" not in prisma_counts(flow, groups)["databases"]


def test_record_table_round_trip_keeps_unknown_years(tmp_path):
    path = tmp_path / "records.csv"
    pd.DataFrame({"record": [1, 2], "line": [1, 9], "year": pd.array([2020, None], dtype="Int64")}).to_csv(
        path, index=False
    )
    assert path.read_text().splitlines() == ["record,line,year", "1,1,2020", "2,9,"]
    frame = load_table(path)
    assert str(frame["year"].dtype) == "Int64" and frame["year"].iloc[0] == 2020 and pd.isna(frame["year"].iloc[1])


def test_dedup_merges_yearless_records_only_with_yearless_ones():
    base = {
        "search": "s",
        "database": "Scopus",
        "source_type": "database",
        "line": 1,
        "accession": "",
        "source": "J",
        "doi": "",
        "author_keywords": "",
        "index_keywords": "",
        "abstract": "",
        "document_type": "Article",
        "language": "English",
        "issn": "",
        "volume": "",
        "issue": "",
        "pages": "",
        "cited_by": "",
    }
    rows = [
        dict(base, record=1, accession="A1", authors="Lee, M", title="Same work", year=None),
        dict(base, record=2, accession="A2", authors="Lee, M.", title="Same work.", year=None, search="t"),
        dict(base, record=3, accession="A3", authors="Lee, M", title="Same work", year=2021, search="u"),
    ]
    records = pd.DataFrame(rows)
    records["year"] = records["year"].astype("Int64")
    result = deduplicate(records, prefer=["Scopus"])
    assert len(result.unique) == 2
    assert sorted(result.groups.groupby("record_id")["accession"].apply(lambda s: ",".join(sorted(s)))) == [
        "A1,A2",
        "A3",
    ]


def test_keyword_map_and_periods_leave_unknown_years_out():
    keywords = pd.Series(["a; b", "a; b", "a; b", "a; c"])
    years = pd.Series(pd.array([2020, None, 2022, 2018], dtype="Int64"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no mean-of-empty or NA warnings
        kmap = keyword_map(keywords, years, {}, min_occurrences=2, starts=1)
    avg = dict(zip(kmap.items["label"], kmap.items["avg_pub_year"]))
    assert avg["a"] == pytest.approx((2020 + 2022 + 2018) / 3, abs=1e-12) and avg["b"] == pytest.approx(
        2021.0, abs=1e-12
    )
    table, _ = thematic_evolution(
        keywords, years, {}, {"early": [2015, 2020], "late": [2021, 2025]}, min_occurrences=1, starts=1
    )
    assert table.groupby("period")["documents"].first().to_dict() == {"early": 2, "late": 1}


def test_review_flow_counts_and_names_a_screened_record_without_a_year(dedup, journals, flow):
    from nero.slr.flow import review_flow

    from .conftest import SETTINGS, SLR_RAW

    record = flow.flow.loc[(flow.flow["status"] == "included") & (flow.flow["branch"] == "database")].iloc[0]
    unique = dedup.unique.copy()
    unique["year"] = unique["year"].astype("Int64")
    unique.loc[unique["record_id"] == record["record_id"], "year"] = pd.NA
    with pytest.warns(
        UserWarning,
        match=rf"1 database record\(s\) without a publication year passed the year filter "
        rf"\[2011, 2023\] unchecked \(PRISMA 'year_unknown'\): {record['accession']}",
    ):
        result = review_flow(unique, dedup.groups, SLR_RAW / "screening", journals, SETTINGS)
    assert result.prisma["databases"]["year_unknown"] == 1
    without = {k: v for k, v in result.prisma["databases"].items() if k != "year_unknown"}
    assert without == flow.prisma["databases"] and "year_unknown" not in flow.prisma["databases"]
    assert (result.flow["status"] == flow.flow["status"]).all()
