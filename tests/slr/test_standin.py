"""The shipped stand-in: every reader, the de-duplication, the flow and the counts against the planted truth."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from nero.slr.coding import coding_tables, validate_coding
from nero.slr.flow import check_prisma, included_records

from .conftest import SLR_RAW


def test_every_search_reads_all_its_records(searches, truth):
    got = {r.search: r.records for r in searches.searches.itertuples()}
    assert got == {name: s["records"] for name, s in truth["searches"].items()}
    assert searches.searches["matches_reported"].all()
    formats = dict(zip(searches.searches["search"], searches.searches["format"]))
    assert formats["scopus_main"] == "Scopus CSV" and formats["wos_main"] == "Web of Science plain text"
    assert formats["wos_supplement"] == "Web of Science tab-delimited" and formats["scopus_update"] == "BibTeX"


def test_non_ascii_author_names_survive_every_format(searches):
    authors = " ".join(searches.records["authors"])
    for name in ("Müller", "Nguyễn", "Çelik", "Øvergaard", "Łapińska", "Šimić"):
        assert name in authors
    for search in ("scopus_main", "scopus_supplement", "scopus_update", "wos_main", "wos_supplement"):
        recs = searches.records[searches.records["search"] == search]
        assert recs["authors"].str.contains(r"[^\x00-\x7f]").any(), search


def test_every_planted_duplicate_is_merged(dedup, truth):
    record_of = {
        (s, a): r for s, a, r in zip(dedup.groups["search"], dedup.groups["accession"], dedup.groups["record_id"])
    }
    kinds = Counter()
    for group in truth["duplicate_groups"]:
        ids = {record_of[(m["search"], m["accession"])] for m in group["members"]}
        assert len(ids) == 1, group
        kinds[group["kind"]] += 1
    assert kinds["title variant, DOI missing on one side"] > 0 and kinds["DOI missing on one side"] > 0
    expected_unique = len(dedup.groups) - truth["prisma"]["databases"]["duplicates_removed"]
    assert len(dedup.unique) == expected_unique


def test_same_title_other_work_is_not_merged(dedup, truth):
    trap = truth["not_duplicates"][0]
    rid = dedup.groups.loc[dedup.groups["accession"] == trap["accession"], "record_id"].item()
    assert (dedup.groups["record_id"] == rid).sum() == 1


def test_every_merge_is_logged_with_its_rule(dedup):
    merged = dedup.log[dedup.log["rule"] != "not merged"]
    assert len(merged) == len(dedup.groups) - len(dedup.unique)
    assert set(merged["rule"]) == {"DOI", "title+year+first author"}
    assert merged["reason"].str.len().gt(0).all()


def test_prisma_counts_equal_the_planted_flow(flow, truth):
    check_prisma(flow.prisma)
    expected = truth["prisma"]
    for branch in ("databases", "other"):
        for key, value in expected[branch].items():
            assert flow.prisma[branch][key] == value, (branch, key)
    assert flow.prisma["included_total"] == 70


def test_exactly_the_planted_70_are_included(flow, truth):
    included = flow.included
    assert len(included) == 70
    assert sorted(included["accession"]) == truth["included"]


def test_every_planted_off_topic_record_is_excluded(flow, dedup, truth):
    rid_of = dict(zip(dedup.groups["accession"], dedup.groups["record_id"]))
    status = dict(zip(flow.flow["record_id"], flow.flow["status"]))
    offtopic = {rid_of[a] for a in truth["offtopic"]}
    assert offtopic and all(status[r] != "included" for r in offtopic)
    assert all(status[r] in ("removed before screening", "excluded at screening") for r in offtopic)


def test_exclusion_reasons_match_the_planted_fates(flow, dedup, truth):
    rid_of = dict(zip(dedup.groups["accession"], dedup.groups["record_id"]))
    by_id = flow.flow.set_index("record_id")
    for accession, fate in truth["fates"].items():
        row = by_id.loc[rid_of[accession]]
        if fate["reason"]:
            assert row["reason"] == fate["reason"], accession


def test_kappa_before_reconciliation_equals_the_generators(flow, truth):
    got = flow.agreement.set_index("stage")
    for stage in ("title_abstract", "full_text"):
        assert got.at[stage, "n"] == truth["screening"][stage]["n"]
        assert got.at[stage, "disagreements"] == truth["screening"][stage]["disagreements"]
        assert abs(got.at[stage, "kappa"] - truth["screening"][stage]["kappa"]) < 1e-9


def test_coding_tables_count_the_planted_coding(flow, dedup, truth):
    sheet = pd.read_csv(SLR_RAW / "coding_sheet.csv", dtype=str, keep_default_na=False)
    inc = included_records(flow.flow, dedup.unique)
    coded = validate_coding(
        sheet, dict(zip(dedup.groups["accession"], dedup.groups["record_id"])), list(inc["record_id"])
    )
    tables = coding_tables(coded)
    assert dict(zip(tables.pathways["pathway"], tables.pathways["n_articles"])) == truth["coding"]["pathways"]
    mediators = tables.elements[tables.elements["category"] == "mediators"]
    assert {e: n for e, n in zip(mediators["element"], mediators["n_articles"]) if n} == truth["coding"]["mediators"]
    pw = tables.pathway_by_outcome.set_index("pathway")
    for key, n in truth["coding"]["pathway_by_outcome"].items():
        pathway, outcome = key.split("|")
        assert pw.at[pathway, outcome] == n
    assert {str(y): n for y, n in zip(tables.per_year["year"], tables.per_year["n_articles"])} == truth["coding"][
        "per_year"
    ]
    tech = tables.apmo_by_technology
    assert (
        (tech[["planning", "design", "production", "supply chain", "marketing/sales"]].le(tech["n_articles"], axis=0))
        .all()
        .all()
    )
