"""The coded-segments CSV: the second import format."""

from __future__ import annotations

import csv

import pytest
from qdpx_factory import small_study

from nero.qual.data import read_project
from nero.qual.offsets import cumulative_units
from nero.qual.project import QdaImportError


def write_csv_study(
    folder, unit="codepoint", transcripts=True, header=("document", "coder", "code_path", "start", "end", "text")
):
    study = small_study()
    folder.mkdir(parents=True, exist_ok=True)
    names = {"Interview A": "INT01_FirmA", "Interview B": "INT02_FirmB"}
    if transcripts:
        (folder / "transcripts").mkdir(exist_ok=True)
        for source, text in study.sources.items():
            (folder / "transcripts" / f"{names[source]}.txt").write_bytes(text.encode("utf-8"))
    path = folder / "coded_segments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for c in study.codings:
            text = study.sources[c.source]
            cum = cumulative_units(text, unit)
            writer.writerow(
                [names[c.source], c.coder, c.code, int(cum[c.start]), int(cum[c.end]), text[c.start : c.end]]
            )
    return path, study, names


def test_reads_segments_and_verifies_them_against_the_transcripts(tmp_path):
    path, study, names = write_csv_study(tmp_path)
    project = read_project(path)
    assert project.file_format == "coded-segments CSV"
    assert project.offset_unit == "codepoint"
    assert project.warnings == []
    got = sorted(
        zip(
            project.selections["source"],
            project.selections["code_path"],
            project.selections["coder"],
            project.selections["start"],
            project.selections["end"],
            project.selections["text"],
        )
    )
    want = sorted(
        (names[c.source], c.code, c.coder, c.start, c.end, study.sources[c.source][c.start : c.end])
        for c in study.codings
    )
    assert got == want
    assert project.coders == ["coder-a", "coder-b"]
    assert "Orientation/Market-seeking" in project.codes.values()
    assert set(project.codebook["code_path"]) >= {
        "Networks",
        "Networks/Virtual",
        "Networks/Virtual/E-commerce platforms",
    }
    assert project.to_dict()["cases"][0]["name"] == "INT01_FirmA"


def test_utf16_offsets_are_detected_from_the_text_column(tmp_path):
    path, study, names = write_csv_study(tmp_path, unit="utf16")
    project = read_project(path)
    assert project.offset_unit == "utf16"
    emoji_row = project.selections[project.selections["text"].str.contains("\U0001f680")].iloc[0]
    assert emoji_row["text"] == "Mostly abroad \u2014 new markets every year \U0001f680."
    assert emoji_row["raw_end"] == emoji_row["end"] + 1


def test_header_aliases_and_no_transcripts(tmp_path):
    path, _, _ = write_csv_study(
        tmp_path, transcripts=False, header=("Document", "Coder", "Code", "Start", "End", "Text")
    )
    project = read_project(path)
    assert len(project.selections) == 6
    assert project.warnings == [
        "coded_segments.csv: no transcripts folder beside the file; offsets taken as code points, unverified"
    ]


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "segs.csv"
    path.write_text("document,coder,start,end,text\nD,c,0,4,abcd\n", encoding="utf-8")
    with pytest.raises(QdaImportError, match=r"^segs\.csv: header: no 'code_path' column"):
        read_project(path)


def test_bad_offset_is_named_by_line_and_column(tmp_path):
    path = tmp_path / "segs.csv"
    path.write_text("document,coder,code_path,start,end,text\nD,c,A/B,0,4,abcd\nD,c,A/B,x,4,abcd\n", encoding="utf-8")
    with pytest.raises(QdaImportError, match=r"^segs\.csv: line 3: column 'start': 'x' is not a whole number"):
        read_project(path)


def test_offset_past_the_end_of_the_transcript(tmp_path):
    path, study, _ = write_csv_study(tmp_path)
    rows = path.read_text(encoding="utf-8").splitlines()
    fields = rows[1].split(",")
    fields[4] = "999"
    rows[1] = ",".join(fields)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    length = len(study.sources["Interview A"])
    with pytest.raises(
        QdaImportError,
        match=(
            rf"^coded_segments\.csv: line 2: column 'end': 999 is past the end of the transcript of 'INT01_FirmA' "
            rf"\({length} code points\)"
        ),
    ):
        read_project(path)


# --- exports of QDA tools (issue 24): separators, every missing column, tools without offsets


def test_semicolon_separated_file_is_read(tmp_path):
    path, study, _ = write_csv_study(tmp_path)
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([["Document", "Coder", "Code", "Start", "End", "Text"]] + rows[1:])
    project = read_project(path)
    assert len(project.selections) == len(study.codings) and project.warnings == []


def test_tab_separated_file_is_read(tmp_path):
    path, study, _ = write_csv_study(tmp_path)
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t").writerows(rows)
    assert len(read_project(path).selections) == len(study.codings)


def test_every_missing_column_is_named_at_once(tmp_path):
    path = tmp_path / "segs.csv"
    path.write_text("document;text;note\nD;abcd;x\n", encoding="utf-8")
    with pytest.raises(QdaImportError) as info:
        read_project(path)
    message = str(info.value)
    assert message.startswith(
        "segs.csv: header: no 'coder', 'code_path', 'start', 'end' columns: 'coder' (accepted names: "
    )
    assert "found: document, text, note" in message
    assert (
        "a file without character offsets cannot be read as coded segments: export the project as REFI-QDA" in message
    )


def test_own_header_names_are_mapped_with_the_columns_option(tmp_path):
    path, study, _ = write_csv_study(tmp_path, header=("Interview", "Analyst", "Node", "From", "To", "Passage"))
    with pytest.raises(QdaImportError, match="no 'document', 'coder', 'code_path', 'start', 'end', 'text' columns"):
        read_project(path)
    columns = {
        "document": "Interview",
        "coder": "Analyst",
        "code_path": "Node",
        "start": "From",
        "end": "To",
        "text": "Passage",
    }
    assert len(read_project(path, columns=columns).selections) == len(study.codings)
    with pytest.raises(QdaImportError, match="columns option: unknown column\\(s\\) begin"):
        read_project(path, columns={"begin": "From"})


def test_qualcoder_code_text_names_are_read(tmp_path):
    path, study, _ = write_csv_study(tmp_path, header=("Filename", "Owner", "Codename", "Pos0", "Pos1", "Seltext"))
    assert len(read_project(path).selections) == len(study.codings)


@pytest.mark.parametrize(
    "header, tool, reason",
    [
        (
            "ID;Quotation Name;Document;Quotation Content;Codes;Reference;Density;Created by;Modified by;Created;Modified;Comment",
            "ATLAS.ti Quotation Manager export",
            "its 'Reference' gives paragraphs",
        ),
        (
            "Color,Document group,Document name,Code,Beginning,End,Weight score,Segment,Modified by,Modified,Created by,Created,Area,"
            "Coverage %",
            "MAXQDA Coded Segments export",
            "'Beginning' and 'End' are paragraph numbers",
        ),
        ("File,Coder,Coded,Id,Codename,Coded_Memo,Category", "QualCoder coding report (CSV)", "ctid:N"),
    ],
)
def test_qda_tool_exports_without_offsets_say_so_and_point_to_refi_qda(tmp_path, header, tool, reason):
    path = tmp_path / "export.csv"
    sep = ";" if ";" in header else ","
    path.write_text(header + "\n" + sep.join(["x"] * len(header.split(sep))) + "\n", encoding="utf-8-sig")
    with pytest.raises(QdaImportError) as info:
        read_project(path)
    message = str(info.value)
    assert message.startswith(f"export.csv: this is an {tool} (columns ")
    assert reason in message and "export the project as REFI-QDA" in message and ".qdpx" in message


def test_cli_column_option(tmp_path, capsys):
    from nero.cli import main

    path, study, _ = write_csv_study(tmp_path, header=("Interview", "Coder", "Code", "From", "To", "Text"))
    assert (
        main(
            [
                "qual",
                "summary",
                str(path),
                "--column",
                "document=Interview",
                "--column",
                "start=From",
                "--column",
                "end=To",
                "--json",
            ]
        )
        == 0
    )
    assert len(__import__("json").loads(capsys.readouterr().out)["selections"]) == len(study.codings)
    assert main(["qual", "summary", str(path), "--column", "start"]) == 2
    assert "--column 'start': expected COLUMN=HEADER" in capsys.readouterr().err


def test_coded_segments_csv_and_its_transcripts_are_read_within_the_file_limit(tmp_path, monkeypatch):
    """A coded-segments CSV or a transcript beside it larger than limits.file_bytes is refused naming the
    file, its size and the key, before it is read whole (issue: untrusted inputs, bounded reading)."""
    import pytest

    from nero.qual.project import QdaImportError
    from nero.qual.segments_csv import read_coded_segments
    from nero.untrusted import ReadLimits

    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "Firm A.txt").write_text("We use grants from the agency." * 4, encoding="utf-8")
    csv = tmp_path / "segments.csv"
    csv.write_text("document,coder,code,start,end,text\nFirm A,C1,Enablers/Grants,0,6,We use\n", encoding="utf-8")
    project = read_coded_segments(csv)  # within the default limit: read as before
    assert len(project.selections) == 1
    small = ReadLimits(file_bytes=100)
    monkeypatch.setattr("nero.untrusted.ReadLimits", lambda: small)
    with pytest.raises(QdaImportError, match=r"Firm A\.txt.*120.*limits\.file_bytes"):
        read_coded_segments(csv)
    csv.write_text(
        "document,coder,code,start,end,text\n" + "Firm A,C1,Enablers/Grants,0,6,We use\n" * 4, encoding="utf-8"
    )
    with pytest.raises(QdaImportError, match=r"segments\.csv.*limits\.file_bytes"):
        read_coded_segments(csv)
