"""The REFI-QDA importer on projects written the way NVivo, ATLAS.ti, MAXQDA and QualCoder write them."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from qdpx_factory import ATLAS, MAXQDA, NVIVO, QUALCODER, Coding, Study, guid, project_xml, small_study, write_qdpx

from nero.qual.data import import_study
from nero.qual.offsets import OffsetMap, cumulative_units, unit_for_origin
from nero.qual.project import QdaImportError, normalise_guid
from nero.qual.refiqda import read_qdpx

FLAVOURS = {"nvivo": NVIVO, "atlas": ATLAS, "maxqda": MAXQDA, "qualcoder": QUALCODER}


def _expected(study: Study) -> list[tuple[str, str, str, int, int, str]]:
    rows = [
        (c.source, c.code, c.coder, c.start, c.end, study.sources[c.source][c.start : c.end]) for c in study.codings
    ]
    return sorted(rows)


def _got(project) -> list[tuple[str, str, str, int, int, str]]:
    frame = project.selections
    return sorted(zip(frame["source"], frame["code_path"], frame["coder"], frame["start"], frame["end"], frame["text"]))


@pytest.mark.parametrize("name", sorted(FLAVOURS))
def test_every_flavour_gives_back_the_exact_selections(tmp_path, name):
    study = small_study()
    flavour = FLAVOURS[name]
    project = read_qdpx(write_qdpx(tmp_path / f"{name}.qdpx", study, flavour))
    assert project.offset_unit == flavour.unit
    assert _got(project) == _expected(study)
    assert project.warnings == []
    assert project.origin == flavour.origin


def test_relative_paths_resolve_against_base_path(tmp_path):
    study = small_study()
    flavour = dataclasses.replace(NVIVO, text_mode="relative", base_path=str(tmp_path / "elsewhere"))
    path = write_qdpx(tmp_path / "project" / "rel.qdpx", study, flavour)
    with pytest.raises(QdaImportError, match="outside the raw folder"):
        read_qdpx(path)  # the basePath lies outside the project's folder: only an allowed root is read
    project = read_qdpx(path, allowed_roots=[tmp_path / "elsewhere"])
    assert _got(project) == _expected(study)
    location = next(iter(project.sources.values())).location
    assert location.startswith(str(tmp_path / "elsewhere") + "/texts/")
    assert len(project.external_files) == len(study.sources)
    assert {f["location"] for f in project.external_files} == {s.location for s in project.sources.values()}


def test_crlf_and_emoji_selection_maps_to_exactly_the_right_characters(tmp_path):
    text = "Line one.\r\nWe grew 🚀 fast.\r\nEnd."
    target = "We grew 🚀 fast."
    start = text.index(target)
    study = Study(
        sources={"S": text},
        codes=["Orientation/Market-seeking"],
        codings=[Coding("S", "Orientation/Market-seeking", "coder-a", start, start + len(target))],
    )
    # NVivo: UTF-16 units over CRLF text: the emoji counts 2, each CRLF counts 2
    nvivo = read_qdpx(write_qdpx(tmp_path / "n.qdpx", study, NVIVO))
    row = nvivo.selections.iloc[0]
    assert (row["raw_start"], row["raw_end"]) == (11, 27)
    assert (row["start"], row["end"]) == (11, 26)
    assert row["text"] == target
    # MAXQDA style: code points with CRLF counted as one
    maxqda = read_qdpx(write_qdpx(tmp_path / "m.qdpx", study, MAXQDA))
    row = maxqda.selections.iloc[0]
    assert (row["raw_start"], row["raw_end"]) == (10, 25)
    assert row["text"] == target
    # a selection that starts on the CR of a CRLF counted as one begins before the CR
    cum = cumulative_units(text, "codepoint-lf")
    assert cum.tolist()[9:12] == [9, 9, 10]
    index, ok = OffsetMap(text, "codepoint-lf").to_index([9, 10])
    assert ok.all() and index.tolist() == [9, 11]


def test_offset_inside_a_surrogate_pair_is_not_a_character_start():
    index, ok = OffsetMap("a🚀b", "utf16").to_index([0, 1, 2, 3, 4])
    assert ok.tolist() == [True, True, False, True, True]
    assert index[ok].tolist() == [0, 1, 2, 3]


def test_guids_are_normalised_before_matching(tmp_path):
    project = read_qdpx(write_qdpx(tmp_path / "a.qdpx", small_study(), ATLAS))
    code_guid = guid("code", "Orientation/Market-seeking")
    assert project.codes[code_guid] == "Orientation/Market-seeking"
    assert normalise_guid("{" + code_guid.upper() + "}") == code_guid
    assert set(project.users.values()) == {"coder-a", "coder-b"}


def test_codebook_cases_variables_and_sets(nvivo_qdpx_path):
    project = read_qdpx(nvivo_qdpx_path)
    assert project.codebook["code_path"].tolist() == [
        "Networks",
        "Networks/Institutional",
        "Networks/Institutional/Grant schemes",
        "Networks/Virtual",
        "Networks/Virtual/E-commerce platforms",
        "Orientation",
        "Orientation/Efficiency-seeking",
        "Orientation/Market-seeking",
    ]
    assert project.codebook.set_index("code_path").at["Networks/Virtual/E-commerce platforms", "depth"] == 3
    cases = {c.name: c for c in project.cases.values()}
    assert cases["Firm A"].variables == {
        "sector": "Food",
        "size_band": "Small",
        "founding_year": 2009,
        "foreign_sales_share": 0.35,
        "interview_date": "2024-03-05",
    }
    assert [project.sources[g].name for g in cases["Firm B"].sources] == ["Interview B"]
    assert project.sets == {
        "Network codes": {
            "codes": ["Networks/Institutional/Grant schemes", "Networks/Virtual/E-commerce platforms"],
            "sources": [],
        }
    }
    assert set(project.selections["case"]) == {"Firm A", "Firm B"}
    table = project.case_table()
    assert table.columns.tolist()[:3] == ["case", "case_guid", "sources"]
    assert table.set_index("case").at["Firm B", "founding_year"] == 2016


@pytest.fixture
def nvivo_qdpx_path(tmp_path):
    return write_qdpx(tmp_path / "study1.qdpx", small_study())


def _many_lines_study(emoji: bool) -> Study:
    lines, codings = [], []
    words = [
        "Our grant came through the agency",
        "We sell on regional platforms now",
        "Costs fell after automation",
        "New markets matter most to us",
        "The chamber introduced our first buyer",
        "Online communities found us",
    ]
    pos = 0
    for i in range(12):
        sentence = f"{words[i % len(words)]} in year {2010 + i}."
        line = (f"\U0001f642 R{i}: " if emoji else f"R{i}: ") + sentence
        start = pos + line.index(sentence)
        codings.append(Coding("S", "Orientation/Market-seeking", "coder-a", start, start + len(sentence)))
        lines.append(line)
        pos += len(line) + 2
    return Study(sources={"S": "\r\n".join(lines) + "\r\n"}, codes=["Orientation/Market-seeking"], codings=codings)


@pytest.mark.parametrize(
    "claimed,actual,expected_unit",
    [
        ("ATLAS.ti 23", MAXQDA, "codepoint-lf"),  # CRLF counted as one, file claims code points
        ("QualCoder 3.5", NVIVO, "utf16"),  # UTF-16 units (emoji count 2), file claims code points
    ],
)
def test_wrong_origin_is_detected_from_word_boundaries_and_warned(tmp_path, claimed, actual, expected_unit):
    study = _many_lines_study(emoji=actual is NVIVO)
    flavour = dataclasses.replace(actual, origin=claimed)
    project = read_qdpx(write_qdpx(tmp_path / "mislabelled.qdpx", study, flavour))
    assert project.offset_unit == expected_unit
    assert _got(project) == _expected(study)
    assert len(project.warnings) == 1
    warning = project.warnings[0]
    assert f"Project/@origin {claimed!r} implies offsets in code points, but most selections" in warning
    assert "on word boundaries" in warning
    assert project.offset_check[expected_unit] == {"on_word_boundaries": 12, "selections": 12}
    presumed = project.offset_check["codepoint"]
    assert presumed.get("on_word_boundaries", 0) < 6 or "past the end of the source text" in presumed["error"]


def test_schema_deviations_warn_but_do_not_fail(tmp_path):
    study = small_study()
    xml = project_xml(study, NVIVO).replace(' isCodable="true"', "", 1)  # a required attribute missing
    path = tmp_path / "deviant.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        for name, text in study.sources.items():
            archive.writestr(f"Sources/{guid('source', name)}.txt", text.encode("utf-8"))
    project = read_qdpx(path)
    assert len(project.selections) == len(study.codings)
    assert len(project.warnings) == 1
    assert "deviates from the REFI-QDA schema" in project.warnings[0]
    assert "isCodable" in project.warnings[0]


def test_bom_is_not_counted(tmp_path):
    flavour = dataclasses.replace(NVIVO, bom=True)
    study = small_study()
    project = read_qdpx(write_qdpx(tmp_path / "bom.qdpx", study, flavour))
    assert _got(project) == _expected(study)
    assert not next(iter(project.sources.values())).text.startswith("\ufeff")


def test_unit_for_origin():
    assert unit_for_origin("NVivo 14") == "utf16"
    assert unit_for_origin("MAXQDA 2022") == "codepoint-lf"
    assert unit_for_origin("QualCoder 3.5") == "codepoint"
    assert unit_for_origin("") == "codepoint"


# ----------------------------------------------------------------------------- bad input


def _zip(path, members: dict[str, bytes | str]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_not_a_zip(tmp_path):
    path = tmp_path / "study1.qdpx"
    path.write_text("hello")
    with pytest.raises(QdaImportError, match=r"^study1\.qdpx: not a zip archive"):
        read_qdpx(path)


def test_no_project_qde(tmp_path):
    path = _zip(tmp_path / "study1.qdpx", {"Sources/a.txt": "text"})
    with pytest.raises(
        QdaImportError, match=r"^study1\.qdpx: no project\.qde in the archive \(it holds: sources/a\.txt\)"
    ):
        read_qdpx(path)


def test_malformed_xml(tmp_path):
    path = _zip(
        tmp_path / "study1.qdpx", {"project.qde": '<?xml version="1.0"?>\n<Project name="x">\n<Users>\n</Project>'}
    )
    with pytest.raises(QdaImportError, match=r"^study1\.qdpx: project\.qde: line 4: malformed XML: .*Users"):
        read_qdpx(path)


def test_dangling_code_reference(tmp_path):
    study = small_study()
    path = write_qdpx(tmp_path / "study1.qdpx", study, code_ref_override={0: guid("code", "No such code")})
    missing = guid("code", "No such code")
    with pytest.raises(QdaImportError) as info:
        read_qdpx(path)
    message = str(info.value)
    assert message.startswith(f'study1.qdpx: project.qde: <CodeRef targetGUID="{missing}"> (line ')
    assert message.endswith("dangling code reference: no Code with this GUID in the CodeBook")


def test_dangling_source_reference(tmp_path):
    study = small_study()
    study.cases["Firm C"] = {"sources": ["Interview C"], "variables": {}}
    path = write_qdpx(tmp_path / "study1.qdpx", study)
    with pytest.raises(
        QdaImportError,
        match=(
            rf'^study1\.qdpx: project\.qde: <SourceRef targetGUID="{guid("source", "Interview C")}"> \(line \d+\): '
            r"dangling source reference"
        ),
    ):
        read_qdpx(path)


def test_offset_past_the_end_of_the_text(tmp_path):
    study = small_study()
    length = len(study.sources["Interview A"].encode("utf-16-le")) // 2
    path = write_qdpx(tmp_path / "study1.qdpx", study, raw_offsets={0: (40, length + 5)})
    with pytest.raises(QdaImportError) as info:
        read_qdpx(path)
    message = str(info.value)
    assert message.startswith(f'study1.qdpx: project.qde: <PlainTextSelection guid="{guid("sel", "0")}"> (line ')
    assert message.endswith(f"endPosition {length + 5} is past the end of the source text ({length} UTF-16 code units)")


def test_missing_source_file_names_the_element(tmp_path):
    study = small_study()
    path = tmp_path / "study1.qdpx"
    _zip(path, {"project.qde": project_xml(study, NVIVO)})
    with pytest.raises(
        QdaImportError,
        match=r'<TextSource guid="[0-9a-f-]+" name="Interview A"> \(line \d+\): '
        r"plainTextPath 'internal://[0-9a-f-]+\.txt': no such file in the archive",
    ):
        read_qdpx(path)


def test_bad_input_writes_nothing(tmp_path):
    study = small_study()
    length = len(study.sources["Interview A"].encode("utf-16-le")) // 2
    bad = write_qdpx(tmp_path / "bad.qdpx", study, raw_offsets={0: (40, length + 5)})
    out = tmp_path / "out"
    targets = [out / "selections.csv", out / "cases.csv", out / "project.json"]
    with pytest.raises(QdaImportError):
        import_study(bad, *targets)
    assert not out.exists() or list(out.iterdir()) == []
    good = write_qdpx(tmp_path / "good.qdpx", study)
    import_study(good, *targets)
    assert all(t.is_file() for t in targets)


# ----------------------------------------------------------------------------- offsets, property-based

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = st.sampled_from(["a", "Z", " ", ".", "é", "\r\n", "\n", "\U0001f600", "\u4e2d", "\U0001f44d"])


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(PIECES, min_size=1, max_size=40), data=st.data())
def test_offsets_round_trip_in_every_unit(pieces, data):
    text = "".join(pieces)
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    for unit in ("utf16", "codepoint", "codepoint-lf", "utf16-lf"):
        cum = cumulative_units(text, unit)
        index, ok = OffsetMap(text, unit).to_index([cum[i], cum[j]])
        assert ok.all()
        expected = [
            k - 1 if unit.endswith("-lf") and 0 < k < len(text) and text[k - 1 : k + 1] == "\r\n" else k for k in (i, j)
        ]
        assert index.tolist() == expected
    assert cumulative_units(text, "utf16")[-1] == len(text.encode("utf-16-le")) // 2
    assert cumulative_units(text, "codepoint-lf")[-1] == len(text.replace("\r\n", "\n"))


def test_intermediates_keep_line_breaks_quotes_and_emoji_exactly(tmp_path):
    from nero.qual.data import StudyData

    text = 'Q: "Why?"\r\nA: Costs, mainly \U0001f600;\r\nand "markets", later.\r\n'
    start = text.index("A:")
    end = text.index("later.") + len("later.")
    study = Study(
        sources={"S": text},
        codes=["Orientation/Market-seeking"],
        codings=[Coding("S", "Orientation/Market-seeking", "coder-a", start, end)],
        cases={"Firm Z": {"sources": ["S"], "variables": {"founding_year": 2001, "interview_date": "2024-01-02"}}},
    )
    out = tmp_path / "out"
    project = import_study(write_qdpx(tmp_path / "s.qdpx", study), out / "sel.csv", out / "cases.csv", out / "p.json")
    back = StudyData.read(out / "sel.csv", out / "cases.csv", out / "p.json")
    assert back.selections["text"].tolist() == [text[start:end]] == project.selections["text"].tolist()
    assert "\r\n" in back.selections["text"].iloc[0]
    assert back.cases.to_dict(orient="records")[0]["founding_year"] == 2001
    assert back.codebook["code_path"].tolist() == ["Orientation", "Orientation/Market-seeking"]
    assert back.source_lengths() == {"S": len(text)}
