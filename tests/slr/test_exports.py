"""The shared rules of the export readers, each at its edges: years, DOIs, keyword separators, author clean-up."""

from __future__ import annotations

import pytest

from nero.slr.exports import (
    ExportFormatError,
    Repairs,
    clean_authors,
    find_doi,
    first_doi,
    keyword_separator,
    parse_year,
)


@pytest.mark.parametrize(
    "candidates, year",
    [
        ([("PY", "2020")], 2020),
        ([("PY", "2016///")], 2016),
        ([("PY", ""), ("C6", "FEB 2022")], 2022),  # WoS early access
        ([("PY", ""), ("DEP", "20240102")], 2024),  # MEDLINE electronic date
        ([("PY", "n.d."), ("Y1", "2016/09//")], 2016),
        ([("PY", "  "), ("DA", "")], None),
        ([("PY", "no date")], None),
        ([("PY", ""), ("EA", "JAN")], None),  # a month without a year
        ([("PY", ""), ("PD", "DEC 16 2020")], 2020),
        ([("PY", ""), ("DA", "1499")], None),  # outside 1500-2099 in a secondary field
        ([("PY", ""), ("DA", "1500")], 1500),
        ([("PY", ""), ("DA", "2099")], 2099),
        ([("PY", ""), ("DA", "2100")], None),
    ],
)
def test_parse_year(candidates, year):
    assert parse_year(candidates, "f", 1, 1, "PY") == year


@pytest.mark.parametrize("value", ["20x0", "MMXXI", "10 15", "201"])
def test_a_year_field_that_is_not_a_year_is_an_error(value):
    with pytest.raises(
        ExportFormatError,
        match=f"f, line 3, record 2, field PY: expected a four-digit publication year, found '{value}'",
    ):
        parse_year([("PY", value), ("DA", "2020")], "f", 3, 2, "PY")


@pytest.mark.parametrize(
    "text, doi",
    [
        ("10.1177/0734016819000001", "10.1177/0734016819000001"),
        ("doi: 10.1016/S0140-6736(20)30183-5.", "10.1016/S0140-6736(20)30183-5"),
        ("10.1002/(SICI)1097-4571(199806)", "10.1002/(SICI)1097-4571(199806)"),  # the DOI's own brackets stay
        ("(see 10.5555/abc).", "10.5555/abc"),  # the sentence's bracket goes
        ("https://doi.org/10.1016/j.joi.2017.08.007.", "10.1016/j.joi.2017.08.007"),
        ("https://x.org/record?doi=10.1080%2f20964129.2020.1722034&p=1", "10.1080/20964129.2020.1722034&p=1"),
        ("Accession Number: 1; DOI: 10.5555/abc; Language: English", "10.5555/abc"),
        ("10.123/too-short-registrant", ""),
        ("", ""),
    ],
)
def test_find_doi(text, doi):
    assert find_doi(text) == doi


def test_first_doi_keeps_the_standard_field_as_written_and_counts_the_others():
    repairs = Repairs("f")
    assert (
        first_doi([("DO", "https://doi.org/10.5555/a"), ("L3", "10.5555/b")], repairs, "DO")
        == "https://doi.org/10.5555/a"
    )
    assert first_doi([("DO", ""), ("L3", ["http://x.org/supp", "10.5555/b"])], repairs, "DO") == "10.5555/b"
    assert first_doi([("DO", "n/a"), ("UR", "https://example.org")], repairs, "DO") == ""
    assert dict(repairs.doi_tags) == {"L3": 1}


@pytest.mark.parametrize(
    "values, sep",
    [
        (["a; b", "c, d"], ";"),  # any ';' decides for the file
        (["a, b", "c"], ","),
        (["a", "b"], ";"),  # no separator at all: ';' (one keyword per record)
        ([], ";"),
    ],
)
def test_keyword_separator(values, sep):
    assert keyword_separator(values) == sep


def test_clean_authors_counts_placeholders_and_emails():
    repairs = Repairs("f")
    names = [
        "[No author name available]",
        "Anonymous",
        "[Anonymous]",
        "Stillman, Andrew N. (andrew.stillman@uconn.edu)",
        "Lee, M <m.lee@example.org>",
        "Anonymity, A.",
        "Tan, W.",
    ]
    assert clean_authors(names, repairs) == ["Stillman, Andrew N.", "Lee, M", "Anonymity, A.", "Tan, W."]
    assert (repairs.placeholders, repairs.emails) == (3, 2)
    assert repairs.messages() == [
        "f: 3 author placeholder(s) such as '[No author name available]' removed",
        "f: 2 e-mail address(es) removed from author names",
    ]
