"""Readers on small hand-made snippets of each export format, format detection and malformed exports."""

from __future__ import annotations

import pytest

from nero.slr.exports import ExportFormatError, decode_export
from nero.slr.readers import detect_format, read_export

SCOPUS = (
    '\ufeff"Authors","Author full names","Author(s) ID","Title","Year","Source title","Volume","Issue","Art. No.",'
    '"Page start","Page end","Page count","Cited by","DOI","Link","Abstract","Author Keywords","Index Keywords",'
    '"Language of Original Document","Document Type","Publication Stage","Open Access","Source","EID"\r\n'
    '"Müller T.; Nguyễn T.L.","Müller, Thomas (57000000001); Nguyễn, Thị Lan (57000000002)","57000000001; 57000000002",'
    '"Cross-border e-commerce and SME exports","2021","Journal of Tests","12","3","","45","67","23","4",'
    '"10.5555/JT.2021.1","https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000001","An abstract, with a comma.",'
    '"SMEs; e-commerce","Export","English","Article","Final","","Scopus","2-s2.0-85000000001"\r\n'
)
SCOPUS_OLD_AUTHORS = (
    '"Authors","Title","Year","Source title","DOI","EID"\n"Tan W.M., Lee J.","A title","2015","J","","2-s2.0-1"\n'
)
WOS_PLAIN = """\ufeffFN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Müller, T
   Çelik, A
AF Müller, Thomas
   Çelik, Ayşe
TI Digital platforms and the speed of SME
   internationalization
SO JOURNAL OF TESTS
DE SMEs; digital
   platforms
PY 2020
DI 10.5555/jt.2020.7
UT WOS:000000000000001
ER

PT J
AU Tan, WM
TI Second record
PY 2019
UT WOS:000000000000002
ER

EF
"""
WOS_TAB_HEADER = "PT\tAU\tAF\tTI\tSO\tDE\tPY\tDI\tUT"
WOS_TAB = (
    WOS_TAB_HEADER
    + "\r\n"
    + "J\tØvergaard, J; Lee, M\tØvergaard, Jørgen; Lee, Min\tPlatforms abroad\tJ TEST\tSMEs; export\t2018\t\tWOS:000000000000003\t\r\n"
)
RIS = """TY  - JOUR
AU  - Sánchez-García, M.J.
AU  - Kim, J.-W.
TI  - Social media and born globals
PY  - 2017
T2  - Journal of Tests
DO  - 10.5555/jt.2017.9
UR  - https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000009&partnerID=40
KW  - social media
KW  - born globals
N1  - Export Date: 1 March 2023; Cited By: 7
ER  - 

TY  - JOUR
AU  - Lim, S.L.
TI  - Another one
PY  - 2016///
ER  - 
"""
BIBTEX = r"""@ARTICLE{Muller2022,
	author = {M{\"u}ller, Thomas and Gon{\c c}alves, Jo{\~a}o},
	title = {Industry 4.0 and {SME} internationalisation},
	year = {2022},
	journal = {Journal of Tests},
	doi = {10.5555/jt.2022.3},
	url = {https://www.scopus.com/inward/record.uri?eid=2-s2.0-85000000022&partnerID=40},
	author_keywords = {Industry 4.0; SMEs},
	note = {Cited by: 2},
	source = {Scopus}
}
"""


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_scopus_csv_snippet(tmp_path):
    fmt, recs = read_export(_write(tmp_path, "scopus.csv", SCOPUS))
    assert fmt == "scopus_csv" and len(recs) == 1
    rec = recs.iloc[0]
    assert rec["authors"] == "Müller, Thomas; Nguyễn, Thị Lan"
    assert rec["year"] == 2021 and rec["doi"] == "10.5555/JT.2021.1" and rec["accession"] == "2-s2.0-85000000001"
    assert (
        rec["author_keywords"] == "SMEs; e-commerce" and rec["pages"] == "45-67" and rec["abstract"].endswith("comma.")
    )


def test_scopus_csv_authors_before_2023_are_comma_separated(tmp_path):
    _, recs = read_export(_write(tmp_path, "old.csv", SCOPUS_OLD_AUTHORS))
    assert recs.iloc[0]["authors"] == "Tan W.M.; Lee J."


def test_wos_plain_text_snippet(tmp_path):
    fmt, recs = read_export(_write(tmp_path, "savedrecs.txt", WOS_PLAIN))
    assert fmt == "wos_plain" and len(recs) == 2
    first = recs.iloc[0]
    assert first["authors"] == "Müller, Thomas; Çelik, Ayşe"
    assert first["title"] == "Digital platforms and the speed of SME internationalization"
    assert first["author_keywords"] == "SMEs; digital platforms"
    assert first["accession"] == "WOS:000000000000001" and first["line"] == 3
    assert recs.iloc[1]["authors"] == "Tan, WM" and recs.iloc[1]["doi"] == ""


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_wos_tab_delimited_snippet(tmp_path, encoding):
    fmt, recs = read_export(_write(tmp_path, "savedrecs.txt", WOS_TAB, encoding))
    assert fmt == "wos_tab" and len(recs) == 1
    assert recs.iloc[0]["authors"] == "Øvergaard, Jørgen; Lee, Min" and recs.iloc[0]["year"] == 2018


def test_ris_snippet(tmp_path):
    fmt, recs = read_export(_write(tmp_path, "x.ris", RIS))
    assert fmt == "ris" and len(recs) == 2
    first = recs.iloc[0]
    assert first["authors"] == "Sánchez-García, M.J.; Kim, J.-W."
    assert first["accession"] == "2-s2.0-85000000009" and first["cited_by"] == "7"
    assert first["author_keywords"] == "social media; born globals"
    assert recs.iloc[1]["year"] == 2016 and recs.iloc[1]["line"] == 14


def test_bibtex_snippet_with_latex_accents(tmp_path):
    fmt, recs = read_export(_write(tmp_path, "x.bib", BIBTEX))
    assert fmt == "bibtex" and len(recs) == 1
    rec = recs.iloc[0]
    assert rec["authors"] == "Müller, Thomas; Gonçalves, João"
    assert rec["title"] == "Industry 4.0 and SME internationalisation"
    assert rec["accession"] == "2-s2.0-85000000022" and rec["author_keywords"] == "Industry 4.0; SMEs"


@pytest.mark.parametrize(
    "text, message",
    [
        (
            WOS_PLAIN.replace("UT WOS:000000000000002\nER", "UT WOS:000000000000002"),
            "line 18, record 2: the last record has no 'ER'",
        ),
        (
            WOS_PLAIN.replace("UT WOS:000000000000001\nER\n", "UT WOS:000000000000001\n"),
            "line 17, record 1, field PT: field PT repeated",
        ),
        (WOS_PLAIN.replace("\nEF\n", "\n"), "no closing 'EF'"),
        (WOS_PLAIN.replace("PY 2020", "PY 20x0"), "line 3, record 1, field PY: expected a four-digit publication year"),
        (WOS_PLAIN.replace("VR 1.0\n", "VR 1.0\n   stray\n"), "line 3: continuation line outside a record"),
        (SCOPUS.replace('"2021"', '"MMXXI"'), "line 2, record 1, field Year"),
        (SCOPUS.replace('"Title",', '"Name",', 1), "header lacks the column(s) Title"),
        (SCOPUS.rstrip("\r\n") + '\r\n"Unclosed,"x"\r\n', "record 2"),
        (
            RIS.replace("ER  - \n\nTY", "TY", 1),
            "line 12, record 1: a new record (TY) starts before the previous one ended",
        ),
        (RIS.rsplit("ER  - ", 1)[0], "line 14, record 2: the last record has no 'ER  - '"),
        (RIS.replace("PY  - 2017", "PY  - 20l7"), "line 1, record 1, field PY"),
        (BIBTEX.replace("year = {2022},", "year = {2O22},"), "line 1, record 1, field year"),
        (
            WOS_TAB.replace("\tWOS:000000000000003\t", "\tWOS:000000000000003\textra\tmore"),
            "line 2, record 1: expected 9 tab-separated fields",
        ),
        ("Title;Year\nx;2020\n", "unknown export format"),
    ],
)
def test_malformed_exports_name_file_line_record_and_field(tmp_path, text, message):
    path = _write(tmp_path, "export.txt", text)
    with pytest.raises(ExportFormatError) as info:
        read_export(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_not_utf8_is_named_with_its_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU M\xfcller, T\n".encode("latin-1"))
    with pytest.raises(ExportFormatError, match=r"line 4: not UTF-8"):
        read_export(path)


def test_empty_file_is_an_error(tmp_path):
    with pytest.raises(ExportFormatError, match="empty"):
        read_export(_write(tmp_path, "empty.ris", "\n"))


def test_detection_ignores_byte_order_marks():
    assert detect_format(decode_export(WOS_TAB.encode("utf-16"), "x")) == "wos_tab"
    assert detect_format(decode_export(SCOPUS.encode("utf-8"), "x")) == "scopus_csv"


WOS_BIBTEX = """
@article{ WOS:000000000000111,
Author = {Chiu, Fernanda Rocha and Bergmann,
   Luciano Andrei},
Title = {A title that wraps
   onto a second line},
Journal = {JOURNAL OF TESTS},
Year = {2021},
DOI = {10.5555/jt.2021.111},
Keywords = {SMEs; born globals},
Keywords-Plus = {INTERNATIONALIZATION; FIRMS},
Unique-ID = {WOS:000000000000111},
}
"""


def test_web_of_science_bibtex_keywords_and_wrapped_names(tmp_path):
    fmt, recs = read_export(_write(tmp_path, "wos.bib", WOS_BIBTEX))
    rec = recs.iloc[0]
    assert fmt == "bibtex" and rec["accession"] == "WOS:000000000000111"
    assert rec["authors"] == "Chiu, Fernanda Rocha; Bergmann, Luciano Andrei"
    assert rec["title"] == "A title that wraps onto a second line"
    assert rec["author_keywords"] == "SMEs; born globals" and rec["index_keywords"] == "INTERNATIONALIZATION; FIRMS"
