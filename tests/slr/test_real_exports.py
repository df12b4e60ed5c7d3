"""Exports as the databases really write them (issue 24): each snippet is generated here with the
features of a real export (preambles, repeated keys, tags, separators, header names); no
third-party file is committed. Each test failed before its fix."""

from __future__ import annotations

import json
import logging
import warnings

import pandas as pd
import pytest

from nero.slr.exports import ExportFormatError, ExportWarning
from nero.slr.readers import detect_format, read_export


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _read(path, fmt=None):
    """``read_export`` with its warnings: ``(format, records, [messages])``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fmt, records = read_export(path, fmt)
    return fmt, records, [str(w.message) for w in caught if issubclass(w.category, ExportWarning)]


def _scopus_entry(key, author, title, year="2023", extra=""):
    return (
        f"@ARTICLE{{{key},\nauthor={{{author}}},\ntitle={{{title}}},\njournal={{Journal of Tests}},\n"
        f"year={{{year}}},\n{extra}url={{https://www.scopus.com/inward/record.uri?eid=2-s2.0-8500000{sum(map(ord, title)):04d}"
        "&partnerID=40&md5=0},\nauthor_keywords={SMEs;  export},\ndocument_type={Article},\nsource={Scopus},\n}\n\n"
    )


# --- 1. Scopus BibTeX: preamble, repeated and odd keys, old-style authors, bibtexparser's log


SCOPUS_BIB = (
    "Scopus\nEXPORT DATE: 13 January 2017\n\n"
    + _scopus_entry("Iorio2015149", "Iorio, C. and Aria, M.", "First work", "2015", "doi={10.5555/a.1},\n")
    + _scopus_entry(
        "Iorio2015149", "Iorio, C. and Siciliano, R.", "Second work, same key", "2015", "doi={10.5555/a.2},\n"
    )
    + _scopus_entry("2023", "[No author name available]", "Proceedings volume one", "2023")
    + _scopus_entry("2023", "[No author name available]", "Proceedings volume two", "2023")
    + _scopus_entry("20231", "Tan, W.", "Proceedings volume three", "2023")
    + _scopus_entry("Ribeiro, Jr2022", "Ribeiro, Jr, P.", "A key with a comma", "2022", "doi={10.5555/a.3},\n")
    + _scopus_entry(
        "DAmbrosio2017",
        "D'Ambrosio, A.a , Aria, M.a , Siciliano, R.b",
        "Old-style authors",
        "2017",
        "funding_details={One},\nfunding_details={Two},\n",
    )
)


def test_scopus_bibtex_with_preamble_is_detected_and_read(tmp_path):
    path = _write(tmp_path, "scopus.bib", SCOPUS_BIB)
    assert detect_format(SCOPUS_BIB) == "bibtex"
    fmt, recs, notes = _read(path)
    assert fmt == "bibtex" and len(recs) == 7 and int((recs["doi"] != "").sum()) == 3
    assert list(recs["title"]) == [
        "First work",
        "Second work, same key",
        "Proceedings volume one",
        "Proceedings volume two",
        "Proceedings volume three",
        "A key with a comma",
        "Old-style authors",
    ]
    assert list(recs["line"]) == [4, 16, 28, 39, 50, 61, 73]


def test_repeated_and_odd_bibtex_keys_are_renamed_with_a_warning_never_merged(tmp_path):
    _, recs, notes = _read(_write(tmp_path, "scopus.bib", SCOPUS_BIB))
    renamed = [n for n in notes if "renamed" in n]
    assert len(renamed) == 1 and "3 BibTeX key(s)" in renamed[0]
    assert "line 16: 'Iorio2015149' -> 'Iorio2015149-2'" in renamed[0]
    assert "line 39: '2023' -> '2023-2'" in renamed[0]
    assert "line 61: 'Ribeiro, Jr2022' -> 'Ribeiro_Jr2022'" in renamed[0]
    assert len(set(recs["title"])) == 7  # the two Iorio2015149 works stay two records


def test_old_style_scopus_authors_and_placeholders(tmp_path):
    _, recs, notes = _read(_write(tmp_path, "scopus.bib", SCOPUS_BIB))
    by_title = recs.set_index("title")
    assert by_title.loc["Old-style authors", "authors"] == "D'Ambrosio, A.; Aria, M.; Siciliano, R."
    assert by_title.loc["Proceedings volume one", "authors"] == ""
    assert by_title.loc["A key with a comma", "authors"] == "Ribeiro, Jr, P."
    assert any("2 author placeholder(s) such as '[No author name available]' removed" in n for n in notes)
    assert by_title.loc["Old-style authors", "author_keywords"] == "SMEs; export"


def test_bibtexparser_log_lines_stay_out_of_the_console(tmp_path, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger("bibtexparser")
    before = (logger.level, logger.propagate)
    _read(_write(tmp_path, "scopus.bib", SCOPUS_BIB))
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]
    assert capsys.readouterr().err == ""
    assert (logger.level, logger.propagate) == before  # restored after reading


def test_cli_reads_scopus_bibtex_and_prints_the_repairs(tmp_path, capsys):
    from nero.cli import main

    path = _write(tmp_path, "scopus.bib", SCOPUS_BIB)
    assert main(["slr", "read", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["format"] == "bibtex" and payload["n_records"] == 7 and payload["n_with_doi"] == 3
    assert payload["n_without_year"] == 0 and len(payload["warnings"]) == 2
    assert "warning: " in captured.err and "renamed" in captured.err


# --- 2. records without a year


WOS_RIS = """TY  - JOUR
AU  - Lee, Min
TI  - Early-access record
T2  - JOURNAL OF TESTS
C6  - FEB 2022
DO  - 10.5555/jt.ea.1
AN  - WOS:000000000000901
ER  - 

TY  - JOUR
AU  - Tan, Wei
TI  - An ordinary record
T2  - JOURNAL OF TESTS
PY  - 2021
DA  - MAR 2021
AN  - WOS:000000000000902
ER  - 

TY  - JOUR
AU  - Lim, Sara
TI  - A record with no date at all
T2  - JOURNAL OF TESTS
AN  - WOS:000000000000903
ER  - 
"""


def test_ris_without_py_falls_back_to_early_access_and_keeps_a_yearless_record(tmp_path):
    fmt, recs, notes = _read(_write(tmp_path, "wos.ris", WOS_RIS))
    assert fmt == "ris" and len(recs) == 3
    assert recs["year"].iloc[0] == 2022 and recs["year"].iloc[1] == 2021 and pd.isna(recs["year"].iloc[2])
    assert str(recs["year"].dtype) == "Int64"
    assert list(recs["accession"]) == ["WOS:000000000000901", "WOS:000000000000902", "WOS:000000000000903"]
    assert notes == [
        f"{tmp_path / 'wos.ris'}: 1 record(s) without a publication year, kept with an unknown year "
        "(year filters let them pass; PRISMA counts them as 'year_unknown'): record 3 (line 19, "
        "'A record with no date at all')"
    ]


@pytest.mark.parametrize(
    "tag, value, year",
    [
        ("Y1", "2016/09//", 2016),
        ("DA", "2019/05/04/", 2019),
        ("Y2", "2020", 2020),
        ("PY", "n.d.", None),
        ("PY", "", None),
    ],
)
def test_each_ris_date_tag_and_no_date(tmp_path, tag, value, year):
    text = f"TY  - JOUR\nTI  - A title\n{tag}  - {value}\nER  - \n"
    _, recs, _ = _read(_write(tmp_path, "x.ris", text))
    assert pd.isna(recs["year"].iloc[0]) if year is None else recs["year"].iloc[0] == year


def test_a_year_that_is_not_a_year_is_still_an_error(tmp_path):
    with pytest.raises(
        ExportFormatError, match="line 1, record 1, field PY: expected a four-digit publication year, found '19x7'"
    ):
        read_export(_write(tmp_path, "x.ris", "TY  - JOUR\nTI  - A title\nPY  - 19x7\nER  - \n"))


def test_wos_plain_record_without_py_uses_its_early_access_date_or_stays_unknown(tmp_path):
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI Early access\nEA FEB 2022\nUT WOS:1\nER\n\n"
        "PT J\nTI Nothing\nUT WOS:2\nER\n\nEF\n"
    )
    _, recs, notes = _read(_write(tmp_path, "savedrecs.txt", text))
    assert recs["year"].iloc[0] == 2022 and pd.isna(recs["year"].iloc[1]) and "record 2 (line 9, 'Nothing')" in notes[0]


def test_cli_counts_records_without_a_year(tmp_path, capsys):
    from nero.cli import main

    assert main(["slr", "read", str(_write(tmp_path, "wos.ris", WOS_RIS))]) == 0
    out = capsys.readouterr()
    assert out.out.strip().endswith("RIS, 3 records, 1 with a DOI, 1 without a publication year")
    assert main(["slr", "read", str(_write(tmp_path, "wos.ris", WOS_RIS)), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [r["year"] for r in payload["records"]] == [2022, 2021, None]


# --- 3. DOIs wherever the databases put them


EBSCO_RIS = """TY  - JOUR
AU  - Rivera, Ana
T1  - Policing and platforms
JO  - Criminal Justice Review
Y1  - 2019/06//
M3  - Article
SP  - 11
EP  - 29
N1  - Accession Number: 136000001; Rivera, Ana 1; Email Address: ana@example.org; Source Info: Jun2019, Vol. 44 Issue 2, p11
L3  - 10.1177/0734016819000001
UR  - https://search.ebscohost.com/login.aspx?direct=true&db=cja&AN=136000001&site=ehost-live
DP  - EBSCOhost
DB  - Criminal Justice Abstracts
ER  - 

TY  - JOUR
AU  - Okafor, Chidi
T1  - An older EBSCO export
JO  - Criminal Justice Review
Y1  - 2012///
M3  - doi: 10.1177/0734016812000002
N1  - Accession Number: 136000002
ER  - 

TY  - JOUR
AU  - Nakamura, Ken
T1  - A DOI only in a note
Y1  - 2014///
N1  - Accession Number: 136000003; DOI: 10.1177/0734016814000003
ER  - 

TY  - JOUR
AU  - Silva, Rui
T1  - A DOI only as a link
PY  - 2018
UR  - https://doi.org/10.1177/0734016818000004
ER  - 

TY  - JOUR
AU  - Brown, Lee
T1  - No DOI at all
PY  - 2018
UR  - https://example.org/article/5
ER  - 
"""


def test_ebsco_ris_dois_from_l3_m3_n1_ur_with_a_note_and_accession_numbers(tmp_path):
    _, recs, notes = _read(_write(tmp_path, "ebsco.ris", EBSCO_RIS))
    assert list(recs["doi"]) == [
        "10.1177/0734016819000001",
        "10.1177/0734016812000002",
        "10.1177/0734016814000003",
        "10.1177/0734016818000004",
        "",
    ]
    assert list(recs["accession"])[:3] == ["136000001", "136000002", "136000003"]
    assert (
        f"{tmp_path / 'ebsco.ris'}: DOI(s) read from non-standard field(s): 1 from L3, 1 from M3, 1 from N1, 1 from UR"
        in notes
    )
    assert recs["document_type"].iloc[0] == "Article" and recs["document_type"].iloc[1] == "JOUR"
    assert list(recs["year"]) == [2019, 2012, 2014, 2018, 2018]


def test_ris_do_is_preferred_and_not_noted(tmp_path):
    text = "TY  - JOUR\nTI  - T\nPY  - 2020\nDO  - https://dx.doi.org/10.4236/ojf.2020.101008\nL3  - 10.9999/other\nER  - \n"
    _, recs, notes = _read(_write(tmp_path, "x.ris", text))
    assert recs["doi"].iloc[0] == "https://dx.doi.org/10.4236/ojf.2020.101008" and notes == []


def test_ovid_numbered_ris_is_read(tmp_path):
    text = (
        "1.\nTY  - JOUR\nID  - 20203152553\nT1  - Ovid record\nA1  - Holm, E.\nY1  - 2020//\nER  -\nNL  - Clin Psychol\n\n"
        "Link to the Ovid Full Text or citation: http://ovidsp.ovid.com/x\n\n2.\nTY  - JOUR\nT1  - Second\nY1  - 2019//\nER  -\n"
    )
    fmt, recs, _ = _read(_write(tmp_path, "ovid.ris", text))
    assert fmt == "ris" and list(recs["title"]) == ["Ovid record", "Second"] and recs["authors"].iloc[0] == "Holm, E."
    assert list(recs["line"]) == [2, 13] and recs["accession"].iloc[0] == "20203152553"
    with pytest.raises(ExportFormatError, match="line 7, field NL: tag NL outside a record"):
        read_export(_write(tmp_path, "plain.ris", text.replace("1.\n", "", 1)))


# --- 4. PubMed, Lens and OpenAlex


MEDLINE = """PMID- 30000001
OWN - NLM
STAT- MEDLINE
DP  - 2017 Nov 15
TI  - Export and nitrate: a long title that wraps
      onto a second line.
LID - S0048-9697(17)30912-9 [pii]
LID - 10.5555/pm.2017.1 [doi]
AB  - An abstract.
FAU - Neilen, Amanda D
AU  - Neilen AD
FAU - Chen, Chengrong R
AU  - Chen CR
LA  - eng
PT  - Journal Article
TA  - Sci Total Environ
JT  - The Science of the total environment
OT  - Buffer strips
OT  - Nitrate
MH  - Nitrates
IS  - 1879-1026 (Electronic)
VI  - 598
PG  - 188-197

PMID- 30000002
TI  - An ahead-of-print record.
DP  - 
DEP - 20240102
AID - 10.5555/pm.2024.2 [doi]
AU  - Lim S

PMID- 30000003
TI  - No DOI here.
DP  - 2020
AU  - Tan W
"""


def test_pubmed_medline_nbib(tmp_path):
    fmt, recs, _ = _read(_write(tmp_path, "pubmed.nbib", "\n" + MEDLINE))
    assert fmt == "medline" and len(recs) == 3 and int((recs["doi"] != "").sum()) == 2
    first = recs.iloc[0]
    assert first["title"] == "Export and nitrate: a long title that wraps onto a second line."
    assert first["authors"] == "Neilen, Amanda D; Chen, Chengrong R" and first["accession"] == "30000001"
    assert (
        first["doi"] == "10.5555/pm.2017.1"
        and first["year"] == 2017
        and first["source"] == "The Science of the total environment"
    )
    assert (
        first["author_keywords"] == "Buffer strips; Nitrate"
        and first["index_keywords"] == "Nitrates"
        and first["issn"] == "1879-1026"
    )
    assert list(recs["year"]) == [2017, 2024, 2020] and list(recs["line"]) == [2, 26, 33]


def test_medline_record_must_start_with_pmid(tmp_path):
    with pytest.raises(ExportFormatError, match="line 4, record 2, field TI: a record must start with 'PMID- '"):
        read_export(_write(tmp_path, "x.nbib", "PMID- 1\nTI  - A\n\nTI  - B\n"), "medline")


PUBMED_CSV = (
    "PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year,Create Date,PMCID,NIHMS ID,DOI\n"
    '30000001,"Export and nitrate.","Neilen AD, Chen CR.","Sci Total Environ. 2017;598:188-197.",Neilen AD,'
    "Sci Total Environ,2017,2017/04/26,,,10.5555/pm.2017.1\n"
    '30000003,"No DOI here.","Tan W.","J Test. 2020.",Tan W,J Test,2020,2020/01/01,,,\n'
)


def test_pubmed_csv(tmp_path):
    fmt, recs, _ = _read(_write(tmp_path, "csv-pubmed.csv", PUBMED_CSV))
    assert fmt == "pubmed_csv" and len(recs) == 2 and int((recs["doi"] != "").sum()) == 1
    assert recs["authors"].iloc[0] == "Neilen AD; Chen CR" and recs["accession"].iloc[0] == "30000001"
    assert recs["source"].iloc[0] == "Sci Total Environ" and list(recs["year"]) == [2017, 2020]


LENS_CSV = (
    '"Lens ID","Title","Date Published","Publication Year","Publication Type","Source Title","ISSNs","Publisher",'
    '"Author/s","Abstract","Volume","Issue Number","Start Page","End Page","Fields of Study","Keywords","MeSH Terms",'
    '"External URL","PMID","DOI","Citing Works Count"\n'
    '"000-360-106-493-122","Cyber risk at the edge","2020-11-22","2020","journal article","Environment systems & decisions",'
    '"21945411; 21945403","Springer","Petar Radanliev; David De Roure","An abstract.","41","2","1","12","Risk","Cyber risk; IoT",'
    '"","http://dx.doi.org/10.1007/s10669-020-09792-x","33251087","10.1007/s10669-020-09792-x","10"\n'
    '"000-000-000-000-001","Only a date","2019-03-01","","book chapter","A Book","","","Ann Lee","","","","","","","","","","","",""\n'
    '"000-000-000-000-002","Nothing dated","","","other","","","","","","","","","","","","","","","",""\n'
)


def test_lens_csv(tmp_path):
    fmt, recs, notes = _read(_write(tmp_path, "lens-export.csv", LENS_CSV))
    assert fmt == "lens_csv" and len(recs) == 3 and int((recs["doi"] != "").sum()) == 1
    first = recs.iloc[0]
    assert first["accession"] == "000-360-106-493-122" and first["authors"] == "Petar Radanliev; David De Roure"
    assert first["author_keywords"] == "Cyber risk; IoT" and first["pages"] == "1-12" and first["cited_by"] == "10"
    assert recs["year"].iloc[1] == 2019 and pd.isna(recs["year"].iloc[2])
    assert "record 3 (line 4, 'Nothing dated')" in notes[0]


OPENALEX_CSV = (
    "id,abstract,authorships.author.display_name,cited_by_count,display_name,doi,language,"
    "primary_location.source.display_name,primary_location.source.issn_l,publication_date,publication_year,type,"
    "keywords.display_name\n"
    'https://openalex.org/W2755950973,,Massimo Aria|Corrado Cuccurullo,13235,"bibliometrix : An R-tool for '
    'comprehensive science mapping analysis",https://doi.org/10.1016/j.joi.2017.08.007,en,Journal of Informetrics,'
    "1751-1577,2017-09-12,2017,article,Bibliometrics|Science mapping\n"
    "https://openalex.org/W1,,Ann Lee,0,A preprint,,en,,,2021-01-01,2021,preprint,\n"
)


def test_openalex_csv(tmp_path):
    fmt, recs, _ = _read(_write(tmp_path, "works.csv", OPENALEX_CSV))
    assert fmt == "openalex_csv" and len(recs) == 2 and int((recs["doi"] != "").sum()) == 1
    first = recs.iloc[0]
    assert first["accession"] == "W2755950973" and first["authors"] == "Massimo Aria; Corrado Cuccurullo"
    assert (
        first["doi"] == "https://doi.org/10.1016/j.joi.2017.08.007"
        and first["year"] == 2017
        and first["source"] == "Journal of Informetrics"
    )
    assert first["author_keywords"] == "Bibliometrics; Science mapping" and first["cited_by"] == "13235"


@pytest.mark.parametrize(
    "header, missing",
    [
        (
            LENS_CSV.replace('"Author/s"', '"Authors"').replace('"DOI"', '"doi"'),
            "Lens CSV header lacks the column(s) Author/s, DOI",
        ),
        (OPENALEX_CSV.replace("publication_year", "year").replace(",doi,", ",DOI,"), None),
    ],
)
def test_csv_readers_name_every_missing_column(tmp_path, header, missing):
    path = _write(tmp_path, "x.csv", header)
    if missing is None:  # without its year column an OpenAlex CSV is not recognised: the refusal names the columns
        with pytest.raises(
            ExportFormatError, match=r"this looks like a CSV with the columns id, abstract, authorships"
        ):
            read_export(path)
        with pytest.raises(
            ExportFormatError, match="OpenAlex CSV header lacks the column\\(s\\) publication_year, doi"
        ):
            read_export(path, "openalex_csv")
    else:
        with pytest.raises(ExportFormatError, match=missing.replace("(", "\\(").replace(")", "\\)")):
            read_export(path)


# --- 4b. what is still refused says what the file looks like and what to export instead


@pytest.mark.parametrize(
    "text, says",
    [
        ('[{"id": "W1", "title": "x"}]', "this looks like JSON"),
        ('<?xml version="1.0"?>\n<xml><records/></xml>', "this looks like XML (EndNote XML"),
        ("%0 Journal Article\n%A Lee, M\n%T A title\n", "EndNote/Refer tagged text"),
        ("Title,Year,Journal\nx,2020,J\n", "this looks like a CSV with the columns Title, Year, Journal"),
        (
            '作者,書名,年份,來源出版物名稱,DOI,連結\nTan W.,A title,2020,J,10.1/x,"https://www.scopus.com/inward/record.uri?eid=2-s2.0-1"\n',
            "Scopus CSV exported from the Scopus interface in Chinese",
        ),
        (
            "Autores,Título,Año,Título de la fuente,DOI,EID\nTan W.,A title,2020,J,,2-s2.0-1\n",
            "Scopus interface in a language other than English",
        ),
    ],
)
def test_refusals_say_what_the_file_looks_like_and_what_to_export(tmp_path, text, says):
    with pytest.raises(ExportFormatError) as info:
        read_export(_write(tmp_path, "export.txt", text))
    assert says in str(info.value)
    assert "RIS" in str(info.value) or "English" in str(info.value)


# --- 5. keywords on the file's separator; author hygiene


ACM_BIB = """@inproceedings{10.1145/3000001,
author = {Lee, Min and Tan, Wei},
title = {A paper with comma keywords},
year = {2021},
doi = {10.1145/3000001},
booktitle = {Proceedings of a Conference},
keywords = {SMEs, digital platforms, export},
}
"""


def test_bibtex_keywords_split_on_the_comma_an_acm_or_zotero_file_uses(tmp_path):
    _, recs, _ = _read(_write(tmp_path, "acm.bib", ACM_BIB))
    assert recs["author_keywords"].iloc[0] == "SMEs; digital platforms; export"


def test_a_keyword_with_a_comma_stays_whole_in_a_semicolon_file(tmp_path):
    text = ACM_BIB.replace("SMEs, digital platforms, export", "Evaluation, research; export") + ACM_BIB.replace(
        "3000001", "3000002"
    ).replace("SMEs, digital platforms, export", "export; SMEs")
    _, recs, _ = _read(_write(tmp_path, "zotero.bib", text))
    assert list(recs["author_keywords"]) == ["Evaluation, research; export", "export; SMEs"]


def test_email_addresses_are_removed_from_author_names_with_a_count(tmp_path):
    text = (
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAN ZOOR15512090342\nTI Nest site selection\n"
        "AU Stillman, Andrew N. (andrew.stillman@uconn.edu) \n   Siegel, Rodney B.\nPY 2019\nER\n\nEF\n"
    )
    _, recs, notes = _read(_write(tmp_path, "zoorec.txt", text))
    assert (
        recs["authors"].iloc[0] == "Stillman, Andrew N.; Siegel, Rodney B."
        and recs["accession"].iloc[0] == "ZOOR15512090342"
    )
    assert any("1 e-mail address(es) removed from author names" in n for n in notes)


def test_scopus_csv_placeholder_author_is_removed(tmp_path):
    text = (
        '"Authors","Title","Year","Source title","DOI","EID"\n'
        '"[No author name available]","Editorial","2017","J","","2-s2.0-9"\n'
    )
    _, recs, notes = _read(_write(tmp_path, "scopus.csv", text))
    assert recs["authors"].iloc[0] == "" and "1 author placeholder(s)" in notes[0]


# --- "Done when": nero slr read gives the record and DOI counts of each export


@pytest.mark.parametrize(
    "name, text, fmt, n, with_doi",
    [
        ("scopus.bib", SCOPUS_BIB, "bibtex", 7, 3),
        ("wos.ris", WOS_RIS, "ris", 3, 1),
        ("ebsco.ris", EBSCO_RIS, "ris", 5, 4),
        ("pubmed.nbib", MEDLINE, "medline", 3, 2),
        ("csv-pubmed.csv", PUBMED_CSV, "pubmed_csv", 2, 1),
        ("lens.csv", LENS_CSV, "lens_csv", 3, 1),
        ("openalex.csv", OPENALEX_CSV, "openalex_csv", 2, 1),
    ],
)
def test_cli_record_and_doi_counts(tmp_path, capsys, name, text, fmt, n, with_doi):
    from nero.cli import main

    assert main(["slr", "read", str(_write(tmp_path, name, text)), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["format"], payload["n_records"], payload["n_with_doi"]) == (fmt, n, with_doi)
    assert len(payload["records"]) == n and sum(1 for r in payload["records"] if r["doi"]) == with_doi


@pytest.mark.parametrize(
    "data, says",
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "this looks like a zip archive or an Excel .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "this looks like an Excel .xls workbook"),
        (b"%PDF-1.7\n", "this looks like a PDF file"),
        (
            b'"About the data: Exported on Jan 05, 2023. Criteria: ... Dimensions"\n"Rank","Publication ID","DOI","Title"\n',
            "this looks like a Dimensions CSV",
        ),
    ],
)
def test_binary_and_dimensions_files_are_named(tmp_path, data, says):
    path = tmp_path / "export.dat"
    path.write_bytes(data)
    with pytest.raises(ExportFormatError) as info:
        read_export(path)
    assert says in str(info.value) and "RIS" in str(info.value)


def test_a_broken_entry_gives_nero_s_error_without_bibtexparser_s_log_lines(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    path = _write(tmp_path, "broken.bib", SCOPUS_BIB + "@ARTICLE{Cut2024,\ntitle={A title that never closes\n")
    with pytest.raises(
        ExportFormatError,
        match=r"broken.bib, line 86: unreadable BibTeX entry starting '@ARTICLE\{Cut2024.*\(a syntax error, e.g. an unclosed brace\)",
    ):
        read_export(path)
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]
