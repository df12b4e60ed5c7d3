"""Transcripts, the REFI-QDA project and the coded-segments CSV."""

from __future__ import annotations

import collections
import zipfile

import pandas as pd
import xmlschema
from lxml import etree

from nero.simulate import project_schema_path, utf16_slice
from nero.simulate.interview_codes import CODE_PATHS

NS = {"q": "urn:QDA-XML:project:1.0"}


def _project(paths):
    with zipfile.ZipFile(paths.qdpx) as archive:
        names = archive.namelist()
        xml = archive.read("project.qde")
        sources = {n: archive.read(n) for n in names if n.startswith("Sources/")}
        infos = archive.infolist()
    return names, xml, sources, infos


def _selections(xml, sources):
    root = etree.fromstring(xml)
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    codes = {}

    def walk(el, prefix):
        for code in el.iterfind("q:Code", NS):
            path = f"{prefix}/{code.get('name')}" if prefix else code.get("name")
            codes[code.get("guid")] = path
            walk(code, path)

    walk(root.find("q:CodeBook/q:Codes", NS), "")
    out = []
    for src in root.iterfind(".//q:TextSource", NS):
        text = sources[f"Sources/{src.get('plainTextPath').removeprefix('internal://')}"].decode("utf-8")
        for sel in src.iterfind("q:PlainTextSelection", NS):
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            for coding in sel.iterfind("q:Coding", NS):
                out.append(
                    {
                        "document": src.get("name"),
                        "coder": users[sel.get("creatingUser")],
                        "code_path": codes[coding.find("q:CodeRef", NS).get("targetGUID")],
                        "start": start,
                        "end": end,
                        "text": utf16_slice(text, start, end),
                        "full": text,
                    }
                )
    return root, codes, out


def test_qdpx_validates_against_refi_qda_schema(study):
    paths, _ = study
    names, xml, sources, infos = _project(paths)
    assert names[0] == "project.qde"
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
    schema = xmlschema.XMLSchema(str(project_schema_path()))
    schema.validate(xml.decode("utf-8"))
    root = etree.fromstring(xml)
    assert root.get("origin") == "NVivo 14"
    guids = [el.get(attr) for el in root.iter() for attr in ("guid", "targetGUID", "creatingUser") if el.get(attr)]
    assert guids and all(g == g.lower() for g in guids)


def test_codebook_is_hierarchical_and_complete(study):
    paths, _ = study
    _, xml, sources, _ = _project(paths)
    root, codes, _ = _selections(xml, sources)
    assert set(CODE_PATHS) <= set(codes.values())
    assert {"Networks", "Networks/Institutional", "Networks/Virtual", "Barriers", "Enablers"} <= set(codes.values())


def test_selections_decode_on_word_boundaries(study):
    paths, _ = study
    _, xml, sources, _ = _project(paths)
    _, _, selections = _selections(xml, sources)
    assert len(selections) > 13 * 15
    for s in selections:
        text, full16 = s["text"], s["full"].encode("utf-16-le")
        assert text and not text[0].isspace() and not text[-1].isspace()
        before = full16[2 * s["start"] - 2 : 2 * s["start"]].decode("utf-16-le") if s["start"] else " "
        after = (
            full16[2 * s["end"] : 2 * s["end"] + 2].decode("utf-16-le", errors="replace")
            if 2 * s["end"] < len(full16)
            else " "
        )
        assert not (before.isalnum() and text[0].isalnum()), (before, text)
        assert not (after.isalnum() and text[-1].isalnum()), (text, after)
        assert s["code_path"] in CODE_PATHS


def test_sources_are_the_transcripts_with_crlf_and_no_bom(study):
    paths, truth = study
    _, xml, sources, _ = _project(paths)
    root = etree.fromstring(xml)
    by_name = {}
    for src in root.iterfind(".//q:TextSource", NS):
        by_name[src.get("name")] = sources[f"Sources/{src.get('plainTextPath').removeprefix('internal://')}"]
    assert len(paths.transcripts) == 13
    for path in paths.transcripts:
        data = path.read_bytes()
        assert data == by_name[path.stem]
        assert not data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8")
        assert text.count("\r\n") == text.count("\n") > 20
        assert "Interviewer: " in text
        assert 1200 <= len(text.split()) <= 2500


def test_non_ascii_and_emoji_offsets(study):
    paths, _ = study
    texts = {p.stem: p.read_bytes().decode("utf-8") for p in paths.transcripts}
    joined = "".join(texts.values())
    for needle in ("S$", "José", "Zoë", "Nguyễn", "\U0001f44d"):
        assert needle in joined
    emoji_docs = [d for d, t in texts.items() if "\U0001f44d" in t]
    assert len(emoji_docs) == 1
    doc = emoji_docs[0]
    text = texts[doc]
    emoji_cp = text.index("\U0001f44d")
    segments = pd.read_csv(paths.coded_segments, dtype={"start": int, "end": int}, keep_default_na=False)
    later = segments[(segments["document"] == doc) & (segments["start"] > emoji_cp + 1)]
    assert len(later) > 5
    for _, row in later.iterrows():
        assert utf16_slice(text, row["start"], row["end"]) == row["text"]
        assert text[row["start"] : row["end"]] != row["text"]


def test_coded_segments_csv_matches_the_project(study):
    paths, _ = study
    _, xml, sources, _ = _project(paths)
    _, _, selections = _selections(xml, sources)
    from_qdpx = sorted((s["document"], s["coder"], s["code_path"], s["start"], s["end"], s["text"]) for s in selections)
    csv_rows = pd.read_csv(paths.coded_segments, dtype={"start": int, "end": int}, keep_default_na=False)
    assert list(csv_rows.columns) == ["document", "coder", "code_path", "start", "end", "text"]
    from_csv = sorted(tuple(r) for r in csv_rows.itertuples(index=False))
    assert from_csv == from_qdpx


def test_two_coders_with_realistic_disagreement(study):
    paths, truth = study
    seg = pd.read_csv(paths.coded_segments, dtype={"start": int, "end": int}, keep_default_na=False)
    assert set(seg[seg["coder"] == "coder-a"]["document"]) == {p.stem for p in paths.transcripts}
    double = sorted(set(seg[seg["coder"] == "coder-b"]["document"]))
    assert len(double) >= 4 and double == sorted(truth["double_coded"])
    sub = seg[seg["document"].isin(double)]
    a = set(map(tuple, sub[sub["coder"] == "coder-a"][["document", "code_path", "start", "end"]].to_numpy()))
    b = set(map(tuple, sub[sub["coder"] == "coder-b"][["document", "code_path", "start", "end"]].to_numpy()))
    agree = len(a & b) / len(a | b)
    assert 0.5 < agree < 0.95
    spans_a = {(d, s) for d, _, s, _ in a}
    assert any((d, s) in spans_a and (d, c, s, e) not in a for d, c, s, e in b)  # other code or end
    assert a - b and b - a


def test_cases_carry_variables_and_archetypes_are_spread(study):
    paths, truth = study
    _, xml, _, _ = _project(paths)
    root = etree.fromstring(xml)
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert set(variables.values()) == {
        "sector",
        "size_band",
        "founding_year",
        "foreign_sales_share",
        "interview_date",
        "respondent_role",
        "interview_mode",
    }
    cases = root.findall("q:Cases/q:Case", NS)
    assert len(cases) == 13
    for case in cases:
        names = {variables[v.find("q:VariableRef", NS).get("targetGUID")] for v in case.iterfind("q:VariableValue", NS)}
        assert names == set(variables.values())
        assert case.find("q:SourceRef", NS) is not None
    archetypes = collections.Counter(i["archetype"] for i in truth["interviews"])
    assert sorted(archetypes.values()) == [3, 3, 3, 4]
    dates = [i["variables"]["interview_date"] for i in truth["interviews"]]
    assert dates != sorted(dates) and all("2024-06" <= d <= "2024-11-30" for d in dates)


def test_transcript_header_states_the_recorded_mode_and_role(study):
    paths, truth = study
    modes = collections.Counter(i["variables"]["interview_mode"] for i in truth["interviews"])
    assert set(modes) <= {"video call", "in person", "telephone"} and len(modes) >= 2
    for interview in truth["interviews"]:
        header = (paths.raw / "interviews" / interview["file"]).read_text(encoding="utf-8").splitlines()[1]
        assert f"Mode: {interview['variables']['interview_mode']} |" in header
        assert header.endswith(f"{interview['respondent']}, {interview['variables']['respondent_role']}")


def test_every_code_has_a_definition_and_every_leaf_an_example(study):
    paths, _ = study
    _, xml, _, _ = _project(paths)
    root = etree.fromstring(xml)
    codes = list(root.iterfind(".//q:Code", NS))
    assert len(codes) == 22  # 14 leaf codes, 8 parents
    for code in codes:
        description = code.find("q:Description", NS)
        assert description is not None and len(description.text) > 40, code.get("name")
        is_leaf = code.find("q:Code", NS) is None
        assert ("Example: \u201c" in description.text) == is_leaf, code.get("name")


def test_coded_evidence_follows_the_archetype(study):
    paths, truth = study
    seg = pd.read_csv(paths.coded_segments, keep_default_na=False)
    seg = seg[seg["coder"] == "coder-a"]
    for interview in truth["interviews"]:
        mine = seg[seg["document"] == interview["document"]]
        inst = mine["code_path"].str.startswith("Networks/Institutional").sum()
        virt = mine["code_path"].str.startswith("Networks/Virtual").sum()
        eff = (mine["code_path"] == "Orientation/Efficiency-seeking").sum()
        mkt = (mine["code_path"] == "Orientation/Market-seeking").sum()
        arch = interview["archetype"]
        assert (inst > virt) == (arch in ("Institutional Optimizer", "Strategic Explorer")), interview["document"]
        assert (eff > mkt) == (arch in ("Institutional Optimizer", "Platform Optimizer")), interview["document"]
