"""The bad-input corpus: every kind of bad input, generated from the shipped study.

Each :class:`Case` takes the shipped raw files (``data/raw``), configuration or
codebook, breaks them in one way a real user's files break, and names the command that
must refuse them: the exit status, the words the message must contain (the file and the
row, element or field), and the output folder that must stay absent. No third-party
file is copied: every input is derived from the repository's own synthetic study.

Write the whole corpus to a folder (one sub-folder per case, with ``case.json`` naming
the command and the expectations)::

    python tests/badinput/badinput_corpus.py /tmp/badinput

The tests (``test_corpus.py``) build each case in a temporary folder and run it.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
QDPX = "interviews/study1.qdpx"
WAVE1 = "wave-1"


def _project_identifiers() -> dict[str, str]:
    """The identifiers of the shipped coding project that the cases break: the first Coding and
    its code, the first selection and its span, the first case variable, the source INT01_FirmA.
    Read from ``data/raw/interviews/study1.qdpx`` (not typed here), so a regenerated stand-in
    (another seed, other GUIDs) needs no edit; a project without them is an error naming it."""
    with zipfile.ZipFile(RAW / QDPX) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    found = {
        "coding": re.search(r'<Coding guid="([^"]+)"[^>]*>\s*<CodeRef targetGUID="([^"]+)"/>', qde),
        "selection": re.search(
            r'<PlainTextSelection guid="([^"]+)"[^>]*?startPosition="(\d+)" endPosition="(\d+)"', qde
        ),
        "variable": re.search(r'<VariableRef targetGUID="([^"]+)"/>', qde),
        "source": re.search(r'<TextSource guid="([^"]+)" name="INT01_FirmA"', qde),
    }
    missing = [k for k, m in found.items() if m is None]
    if missing:
        raise ValueError(f"{RAW / QDPX}: project.qde has no {missing} for the bad-input corpus")
    (coding, code), (selection, start, end) = found["coding"].groups(), found["selection"].groups()
    return {
        "coding": coding,
        "code": code,
        "selection": selection,
        "start": start,
        "end": end,
        "variable": found["variable"].group(1),
        "int01": found["source"].group(1),
    }


_IDS = _project_identifiers()
FIRST_CODING, FIRST_CODING_CODE = _IDS["coding"], _IDS["code"]
FIRST_SELECTION, FIRST_START, FIRST_END = _IDS["selection"], _IDS["start"], _IDS["end"]
FIRST_SPAN = f'startPosition="{FIRST_START}" endPosition="{FIRST_END}"'
FIRST_VARIABLE = _IDS["variable"]
#: The GUID of the source INT01_FirmA.
INT01 = _IDS["int01"]


@dataclass
class Case:
    """One bad input: how to make it, the command that reads it, and how that must end."""

    id: str
    kind: str
    what: str
    make: Callable[[Path], None]
    argv: list[str]
    status: int = 2
    expect: tuple[str, ...] = ()
    outputs: str | None = "out"
    inputs: tuple[str, ...] = ("in",)
    extra: dict = field(default_factory=dict)

    def command(self, root: Path) -> list[str]:
        return [a.replace("{dir}", str(root)) for a in self.argv]


# ------------------------------------------------------------------ shipped inputs


def copy_interviews(root: Path, transcripts: bool = False) -> Path:
    target = root / "in" / "interviews"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(RAW / QDPX, target / "study1.qdpx")
    if transcripts:
        shutil.copytree(RAW / "interviews" / "transcripts", target / "transcripts")
        shutil.copy2(RAW / "interviews" / "coded_segments.csv", target / "coded_segments.csv")
    return target


def copy_survey(root: Path) -> Path:
    target = root / "in" / "survey"
    shutil.copytree(RAW / "survey", target)
    shutil.copy2(REPO / "config" / "codebook.yaml", root / "in" / "codebook.yaml")
    return target


def wave_file(root: Path, wave: str = WAVE1) -> Path:
    return next((root / "in" / "survey" / wave).glob("*.csv"))


def rewrite_qde(root: Path, edit: Callable[[str], str], members: Callable[[dict], dict] | None = None) -> None:
    """Rewrite ``project.qde`` (and optionally other members) of the copied ``.qdpx``."""
    path = copy_interviews(root) / "study1.qdpx"
    with zipfile.ZipFile(path) as archive:
        content = {info.filename: archive.read(info) for info in archive.infolist()}
    content["project.qde"] = edit(content["project.qde"].decode("utf-8")).encode("utf-8")
    if members is not None:
        content = members(content)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def first(pattern: str, text: str) -> re.Match:
    match = re.search(pattern, text, re.S)
    assert match, pattern
    return match


def edit_csv_rows(path: Path, edit: Callable[[list[list[str]]], list[list[str]]]) -> None:
    import csv

    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(edit(rows))
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))


def edit_yaml(path: Path, edit: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def fsqca_table(root: Path) -> Path:
    """A small fsQCA table from the shipped wave 1: Likert answers rescaled to [0, 1], ResponseId as case."""
    from nero.survey.readers import read_export

    data = read_export(next((RAW / "survey" / WAVE1).glob("*.csv"))).data
    columns = ["Q3_1", "Q4_1", "Q5_1", "Q8_1"]
    answered = data[columns].apply(lambda col: col.str.fullmatch(r"[1-7]")).all(axis=1)
    data = data[(data["Finished"] == "1") & answered].head(12)
    frame = {"case": list(data["ResponseId"])}
    for name, column in (("INST", "Q3_1"), ("VIRT", "Q4_1"), ("EFF", "Q5_1"), ("SCO", "Q8_1")):
        frame[name] = [round((float(v) - 1) / 6, 4) for v in data[column]]
    import pandas as pd

    target = root / "in" / "table.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(frame).to_csv(target, index=False)
    return target


def edit_text(path: Path, edit: Callable[[str], str]) -> None:
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")


# ------------------------------------------------------------------ commands

QUAL = ["qual", "import", "{dir}/in/interviews/study1.qdpx", "--out", "{dir}/out"]
QUAL_CSV = ["qual", "import", "{dir}/in/interviews/coded_segments.csv", "--out", "{dir}/out"]
SURVEY = ["survey", "clean", "{dir}/in/survey", "--codebook", "{dir}/in/codebook.yaml", "--out", "{dir}/out"]
CONFIG = ["config", "check", "{dir}/in/config.yaml", "--schema", str(REPO / "config" / "schema.yaml")]
FSQCA = ["fsqca", "necessity", "{dir}/in/table.csv", "--outcome", "SCO"]


def config_case(edit: Callable[[dict], None]) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        target = root / "in" / "config.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "config" / "config.yaml", target)
        edit_yaml(target, edit)

    return make


def survey_case(edit: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        copy_survey(root)
        edit(root)

    return make


def set_cell(row: int, column: str, value: str, wave: str = WAVE1) -> Callable[[Path], None]:
    """Set one cell of a wave export (``row`` counted as in the file, header rows included)."""

    def edit(root: Path) -> None:
        def change(rows):
            rows[row - 1][rows[0].index(column)] = value
            return rows

        edit_csv_rows(wave_file(root, wave), change)

    return edit


def qde_case(edit: Callable[[str], str], members: Callable[[dict], dict] | None = None) -> Callable[[Path], None]:
    return lambda root: rewrite_qde(root, edit, members)


def _first_source_member(content: dict) -> str:
    return sorted(n for n in content if n.lower().startswith("sources/"))[0]


def _duplicate_source_guid(qde: str) -> str:
    """The second ``TextSource`` takes the first one's GUID (read from the project, not typed here)."""
    first, second = re.findall(r'<TextSource guid="([^"]+)"', qde)[:2]
    return qde.replace(f'<TextSource guid="{second}"', f'<TextSource guid="{first}"', 1)


def _latin1_transcript(content: dict) -> dict:
    name = next(n for n in content if n.startswith(f"Sources/{INT01}"))
    text = content[name].decode("utf-8")
    content[name] = text.replace("the ", "th\u00e9 ", 1).encode("latin-1", errors="replace")
    return content


def _truncate(root: Path) -> None:
    path = copy_interviews(root) / "study1.qdpx"
    path.write_bytes(path.read_bytes()[:4000])


def _not_zip(root: Path) -> None:
    path = copy_interviews(root) / "study1.qdpx"
    path.write_text("Interviewer: this is a transcript saved with the wrong name\n", encoding="utf-8")


def _no_qde(root: Path) -> None:
    rewrite_qde(root, lambda x: x, lambda c: {k: v for k, v in c.items() if k != "project.qde"})


def _csv_case(edit: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        folder = copy_interviews(root, transcripts=True)
        edit(folder)

    return make


def _segments(edit_rows: Callable[[list[list[str]]], list[list[str]]]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        import csv

        path = folder / "coded_segments.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(edit_rows(rows))
        path.write_text(out.getvalue(), encoding="utf-8")

    return _csv_case(edit)


def _header_only(root: Path, waves=("wave-1", "wave-2")) -> None:
    copy_survey(root)
    for wave in waves:
        path = wave_file(root, wave)
        text = path.read_bytes().decode("utf-8-sig")
        path.write_bytes(("\ufeff" + "\r\n".join(text.split("\r\n")[:3]) + "\r\n").encode("utf-8"))


def _wave_copy_response(root: Path) -> None:
    """The first response of wave 1 exported into wave 2 as well."""
    import csv

    one = list(csv.reader(io.StringIO(wave_file(root, "wave-1").read_text(encoding="utf-8-sig"), newline="")))

    def change(rows):
        row = dict(zip(one[0], one[3]))
        rows.append([row.get(c, "") for c in rows[0]])
        return rows

    edit_csv_rows(wave_file(root, "wave-2"), change)


def _fsqca(edit: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        edit(fsqca_table(root))

    return make


def _changed_raw(root: Path) -> None:
    target = root / "in" / "raw"
    shutil.copytree(RAW, target)
    path = next((target / "survey" / WAVE1).glob("*.csv"))
    path.write_bytes(path.read_bytes().replace(b",5,", b",6,", 1))


def _nested_manifest(root: Path) -> None:
    shutil.copytree(RAW, root / "in" / "raw")


# ------------------------------------------------------------------ hostile projects: paths and bombs

INT01_PATH = f'plainTextPath="internal://{INT01}.txt"'
#: Marks the outside file's text: it must never reach a message or an output.
SECRET = "TOP-SECRET-7f3a9c"


def int01_text() -> str:
    with zipfile.ZipFile(RAW / QDPX) as archive:
        return archive.read(f"Sources/{INT01}.txt").decode("utf-8")


def outside_file(root: Path) -> Path:
    """A file outside the raw folder: INT01's transcript whose first characters are a secret (so its
    selections would still fit and the import would succeed if it were read)."""
    text = int01_text()
    path = root / "outside" / "secret.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SECRET + text[len(SECRET) :], encoding="utf-8", newline="")
    return path


def external_case(
    where: Callable[[Path, Path], str], base: Callable[[Path], str] | None = None, link: bool = False
) -> Callable[[Path], None]:
    """INT01's ``plainTextPath`` pointed at the outside file (``where(root, secret)``), optionally
    under ``<Project basePath=...>`` and through a symbolic link placed inside the raw folder."""

    def make(root: Path) -> None:
        secret = outside_file(root)
        folder = copy_interviews(root)
        if link:
            (folder / "transcripts").mkdir(exist_ok=True)
            (folder / "transcripts" / "INT01.txt").symlink_to(secret)

        def edit(qde: str) -> str:
            qde = qde.replace(INT01_PATH, f'plainTextPath="{where(root, secret)}"', 1)
            if base is not None:
                qde = qde.replace("<Project ", f'<Project basePath="{base(root)}" ', 1)
            return qde

        rewrite_qde(root, edit)

    return make


def _bomb_member(size: int) -> Callable[[dict], dict]:
    """INT01's transcript replaced by ``size`` bytes of spaces (inflates about 1000 times its size)."""

    def members(content: dict) -> dict:
        content[f"Sources/{INT01}.txt"] = b" " * size
        return content

    return members


def limits_case(make: Callable[[Path], None], **limits) -> Callable[[Path], None]:
    """``make``, plus ``in/config.yaml``: the shipped config with ``limits`` lowered."""

    def both(root: Path) -> None:
        make(root)
        config_case(lambda c: c["limits"].update(limits))(root)

    return both


def _big_transcript(root: Path) -> None:
    """INT01 read from a transcript beside the project (``relative://``) that has grown to 300 kB."""
    folder = copy_interviews(root, transcripts=True)
    path = folder / "transcripts" / "INT01_FirmA.txt"
    path.write_bytes(path.read_bytes() + b"filler line\r\n" * 25000)
    rewrite_qde(root, lambda x: x.replace(INT01_PATH, 'plainTextPath="relative://transcripts/INT01_FirmA.txt"', 1))


QUAL_LIMITS = [*QUAL, "--config", "{dir}/in/config.yaml"]
OUTSIDE = ("study1.qdpx", "INT01_FirmA", "outside the raw folder", "secret.txt", "qual.allowed_source_roots")
HOSTILE_CASES: list[Case] = [
    Case(
        "qdpx-path-file-url",
        "hostile project",
        "plainTextPath is a file:// URL to a file outside the raw folder",
        external_case(lambda root, secret: secret.as_uri()),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-bare-absolute",
        "hostile project",
        "plainTextPath is a bare absolute path outside the raw folder",
        external_case(lambda root, secret: str(secret)),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-absolute-scheme",
        "hostile project",
        "plainTextPath uses the standard's absolute:// scheme",
        external_case(lambda root, secret: f"absolute://{secret}"),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-relative-climb",
        "hostile project",
        "relative:// climbs out of the folder with ..",
        external_case(lambda root, secret: "relative://../../outside/secret.txt"),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-relative-climb-escaped",
        "hostile project",
        "relative:// climbs out with %-escaped separators",
        external_case(lambda root, secret: "relative://..%2F..%2Foutside%2Fsecret.txt"),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-relative-climb-backslash",
        "hostile project",
        "relative:// climbs out with Windows separators",
        external_case(lambda root, secret: "relative://..\\..\\outside\\secret.txt"),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-basepath-root",
        "hostile project",
        'relative:// under <Project basePath="/">',
        external_case(lambda root, secret: "relative://" + str(secret).lstrip("/"), base=lambda root: "/"),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-basepath-file-url",
        "hostile project",
        "relative:// under a file:// basePath outside the raw folder",
        external_case(lambda root, secret: "relative://secret.txt", base=lambda root: (root / "outside").as_uri()),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-basepath-climb",
        "hostile project",
        "relative:// under a basePath that climbs out with ..",
        external_case(lambda root, secret: "relative://secret.txt", base=lambda root: "../../outside"),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-path-symlink",
        "hostile project",
        "relative:// to a symbolic link inside the folder that points outside",
        external_case(lambda root, secret: "relative://transcripts/INT01.txt", link=True),
        QUAL,
        expect=OUTSIDE,
    ),
    Case(
        "qdpx-bomb-ratio",
        "hostile project",
        "a transcript member that inflates 1000 times (4 MiB of spaces)",
        qde_case(lambda x: x, _bomb_member(4 * 1024 * 1024)),
        QUAL,
        expect=("study1.qdpx", f"Sources/{INT01}.txt", "4,194,304 bytes", "ratio", "limits.member_ratio"),
    ),
    Case(
        "qdpx-bomb-member-size",
        "hostile project",
        "a transcript member over limits.member_bytes",
        limits_case(qde_case(lambda x: x), member_bytes=4096),
        QUAL_LIMITS,
        expect=(
            "study1.qdpx",
            "member 'project.qde' declares",
            "bytes, over the limit of 4,096 bytes",
            "limits.member_bytes",
        ),
    ),
    Case(
        "qdpx-bomb-archive-total",
        "hostile project",
        "the archive inflates past limits.archive_bytes in total",
        limits_case(qde_case(lambda x: x), archive_bytes=100_000),
        QUAL_LIMITS,
        expect=(
            "study1.qdpx",
            "brings the archive's declared total to",
            "over the limit of 100,000 bytes",
            "limits.archive_bytes",
        ),
    ),
    Case(
        "qdpx-file-over-limit",
        "hostile project",
        "a relative:// transcript beside the project over limits.file_bytes",
        limits_case(_big_transcript, file_bytes=200_000),
        QUAL_LIMITS,
        expect=(
            "study1.qdpx",
            "INT01_FirmA",
            "(transcripts/INT01_FirmA.txt) is",
            "over the limit of 200,000 bytes",
            "limits.file_bytes",
        ),
    ),
]


CASES: list[Case] = [
    # ---------------------------------------------------------------- interview projects (.qdpx)
    Case(
        "qdpx-not-zip",
        "interview project",
        "a text file named .qdpx",
        _not_zip,
        QUAL,
        expect=("study1.qdpx", "not a zip archive"),
    ),
    Case(
        "qdpx-truncated",
        "interview project",
        "a .qdpx cut off during a download",
        _truncate,
        QUAL,
        expect=("study1.qdpx", "truncated", "central directory"),
    ),
    Case(
        "qdpx-no-project-qde",
        "interview project",
        "an archive without project.qde",
        _no_qde,
        QUAL,
        expect=("study1.qdpx", "no project.qde", "sources/"),
    ),
    Case(
        "qdpx-malformed-xml",
        "interview project",
        "project.qde cut in the middle of an element",
        qde_case(lambda x: x[: len(x) // 2]),
        QUAL,
        expect=("study1.qdpx", "project.qde", "line ", "malformed XML"),
    ),
    Case(
        "qdpx-wrong-root",
        "interview project",
        "the root element is not <Project>",
        qde_case(lambda x: x.replace("<Project ", "<Projekt ", 1).replace("</Project>", "</Projekt>")),
        QUAL,
        expect=("study1.qdpx", "<Projekt", "line 2", "root element must be <Project>"),
    ),
    Case(
        "qdpx-dangling-coderef",
        "interview project",
        "a Coding points at a code that is not in the codebook",
        qde_case(
            lambda x: x.replace(
                f'<CodeRef targetGUID="{FIRST_CODING_CODE}"/>',
                '<CodeRef targetGUID="00000000-0000-0000-0000-00000000dead"/>',
                1,
            )
        ),
        QUAL,
        expect=("study1.qdpx", "<CodeRef", "00000000-0000-0000-0000-00000000dead", "line ", "dangling code reference"),
    ),
    Case(
        "qdpx-offset-past-end",
        "interview project",
        "a selection ends past the end of its transcript",
        qde_case(lambda x: x.replace(FIRST_SPAN, f'startPosition="{FIRST_START}" endPosition="99999"', 1)),
        QUAL,
        expect=("study1.qdpx", "PlainTextSelection", FIRST_SELECTION[:8], "endPosition 99999", "past the end"),
    ),
    Case(
        "qdpx-start-after-end",
        "interview project",
        "a selection whose start is after its end",
        qde_case(lambda x: x.replace(FIRST_SPAN, f'startPosition="{FIRST_END}" endPosition="{FIRST_START}"', 1)),
        QUAL,
        expect=("study1.qdpx", FIRST_SELECTION[:8], "line ", "do not make a selection"),
    ),
    Case(
        "qdpx-offset-not-number",
        "interview project",
        "startPosition is not a whole number",
        qde_case(lambda x: x.replace(f'startPosition="{FIRST_START}"', 'startPosition="11.5x"', 1)),
        QUAL,
        expect=("study1.qdpx", FIRST_SELECTION[:8], "line ", "whole numbers"),
    ),
    Case(
        "qdpx-missing-source-file",
        "interview project",
        "plainTextPath names a file that is not in the archive",
        qde_case(lambda x: x, lambda c: {k: v for k, v in c.items() if not k.startswith(f"Sources/{INT01}")}),
        QUAL,
        expect=("study1.qdpx", "INT01_FirmA", f"internal://{INT01[:8]}", "no such file in the archive"),
    ),
    Case(
        "transcript-latin1",
        "transcript",
        "a transcript saved as Latin-1 inside the project",
        qde_case(lambda x: x, _latin1_transcript),
        QUAL,
        expect=("study1.qdpx", "source 'INT01_FirmA'", "line 5", "0xe9", "not UTF-8"),
    ),
    Case(
        "qdpx-no-codings",
        "interview project",
        "a project exported before coding (no Coding at all)",
        qde_case(lambda x: re.sub(r"<Coding .*?</Coding>", "", x, flags=re.S)),
        QUAL,
        expect=("study1.qdpx", "no coded selections", "13 source(s)"),
    ),
    Case(
        "qdpx-duplicate-source-guid",
        "interview project",
        "two sources share one GUID",
        qde_case(_duplicate_source_guid),
        QUAL,
        expect=("study1.qdpx", "<TextSource", INT01[:8], "line ", "same GUID"),
    ),
    Case(
        "qdpx-dangling-sourceref",
        "interview project",
        "a case points at a source that does not exist",
        qde_case(
            lambda x: re.sub(
                r'(<Case .*?<SourceRef targetGUID=")[^"]+',
                r"\g<1>11111111-2222-3333-4444-555555555555",
                x,
                count=1,
                flags=re.S,
            )
        ),
        QUAL,
        expect=("study1.qdpx", "<SourceRef", "11111111-2222-3333-4444-555555555555", "dangling source reference"),
    ),
    Case(
        "qdpx-coding-without-coderef",
        "interview project",
        "a Coding without its CodeRef",
        qde_case(lambda x: x.replace(f'<CodeRef targetGUID="{FIRST_CODING_CODE}"/>', "", 1)),
        QUAL,
        expect=("study1.qdpx", "<Coding", FIRST_CODING[:8], "line ", "without a CodeRef"),
    ),
    Case(
        "qdpx-dangling-variable",
        "interview project",
        "a case variable points at an undeclared Variable",
        qde_case(
            lambda x: x.replace(
                f'<VariableRef targetGUID="{FIRST_VARIABLE}"/>',
                '<VariableRef targetGUID="99999999-0000-0000-0000-000000000000"/>',
                1,
            )
        ),
        QUAL,
        expect=("study1.qdpx", "<VariableRef", "99999999", "dangling reference"),
    ),
    Case(
        "qdpx-bad-typed-value",
        "interview project",
        "an IntegerValue that is not an integer (founding year '19x5')",
        qde_case(lambda x: x.replace("<IntegerValue>1995</IntegerValue>", "<IntegerValue>19x5</IntegerValue>", 1)),
        QUAL,
        expect=("study1.qdpx", "<IntegerValue>", "line ", "'19x5' is not a valid IntegerValue"),
    ),
    Case(
        "qdpx-source-without-text",
        "interview project",
        "a TextSource with neither a file nor inline text",
        qde_case(lambda x: x.replace(" " + INT01_PATH, "", 1)),
        QUAL,
        expect=("study1.qdpx", "INT01_FirmA", "line ", "neither plainTextPath nor PlainTextContent"),
    ),
    Case(
        "qdpx-unknown-format",
        "interview project",
        "a coding project in an unknown format (.nvp)",
        lambda root: shutil.copy2(RAW / QDPX, (copy_interviews(root) / "study1.nvp")),
        ["qual", "import", "{dir}/in/interviews/study1.nvp", "--out", "{dir}/out"],
        expect=("study1.nvp", "unknown format", ".qdpx"),
    ),
    # ---------------------------------------------------------------- coded-segments CSV and transcripts
    Case(
        "segments-missing-column",
        "coded segments",
        "the coded-segments CSV lacks its code column",
        _segments(lambda rows: [[c for i, c in enumerate(r) if i != 2] for r in rows]),
        QUAL_CSV,
        expect=("coded_segments.csv", "code"),
    ),
    Case(
        "segments-offset-past-transcript",
        "coded segments",
        "a segment ends past the end of its transcript",
        _segments(lambda rows: [rows[0], [*rows[1][:4], "999999", *rows[1][5:]], *rows[2:]]),
        QUAL_CSV,
        expect=("coded_segments.csv", "line 2", "'end'", "999999", "past the end of the transcript"),
    ),
    Case(
        "segments-offset-not-number",
        "coded segments",
        "a segment's start is not a number",
        _segments(lambda rows: [rows[0], [*rows[1][:3], "abc", *rows[1][4:]], *rows[2:]]),
        QUAL_CSV,
        expect=("coded_segments.csv", "line 2", "start", "abc"),
    ),
    Case(
        "transcript-latin1-csv",
        "transcript",
        "a transcript file saved as Windows-1252",
        _csv_case(
            lambda folder: (folder / "transcripts" / "INT03_FirmC.txt").write_bytes(
                (folder / "transcripts" / "INT03_FirmC.txt")
                .read_text(encoding="utf-8")
                .replace("the ", "caf\u00e9 the ", 1)
                .encode("cp1252", errors="replace")
            )
        ),
        QUAL_CSV,
        expect=("INT03_FirmC.txt", "line ", "byte 0x", "not UTF-8"),
    ),
    # ---------------------------------------------------------------- survey exports
    Case(
        "survey-missing-column",
        "survey export",
        "an item column missing from a wave's export",
        survey_case(lambda root: edit_csv_rows(wave_file(root), lambda rows: [r[:18] + r[19:] for r in rows])),
        SURVEY,
        expect=("wave-1", "Q3_1", "INST1"),
    ),
    Case(
        "survey-unknown-column",
        "survey export",
        "an item renamed in the export but not in the codebook",
        survey_case(
            lambda root: edit_csv_rows(
                wave_file(root),
                lambda rows: [
                    [
                        {"Q3_1": "Q3_9", '{"ImportId":"QID3_1"}': '{"ImportId":"QID3_9"}'}.get(c, c)
                        if i in (0, 2)
                        else c
                        for c in r
                    ]
                    for i, r in enumerate(rows)
                ],
            )
        ),
        SURVEY,
        expect=("wave-1", "Q3_9", "wave_ids"),
    ),
    Case(
        "survey-utf16",
        "survey export",
        "an export saved as UTF-16",
        survey_case(
            lambda root: wave_file(root).write_bytes(wave_file(root).read_text(encoding="utf-8-sig").encode("utf-16"))
        ),
        SURVEY,
        expect=("wave-1", "UTF-16", "iconv"),
    ),
    Case(
        "survey-latin1",
        "survey export",
        "an export saved by Excel as Windows-1252",
        survey_case(set_cell(6, "RecipientLastName", "Caf\u00e9")),
        SURVEY,
        status=2,
        expect=("wave-1", "row 6", "0xe9", "not UTF-8"),
        extra={"recode": "cp1252"},
    ),
    Case(
        "survey-semicolons",
        "survey export",
        "an export re-saved with semicolons as separators",
        survey_case(lambda root: wave_file(root).write_bytes(wave_file(root).read_bytes().replace(b",", b";"))),
        SURVEY,
        expect=("wave-1", "row 1", "semicolons", "expected commas"),
    ),
    Case(
        "survey-ragged-row",
        "survey export",
        "a response row with one field too many",
        survey_case(
            lambda root: edit_csv_rows(wave_file(root), lambda rows: [*rows[:7], rows[7] + ["extra"], *rows[8:]])
        ),
        SURVEY,
        expect=("wave-1", "row 8", "fields, expected"),
    ),
    Case(
        "survey-two-header-rows",
        "survey export",
        "the ImportId header row deleted",
        survey_case(lambda root: edit_csv_rows(wave_file(root), lambda rows: rows[:2] + rows[3:])),
        SURVEY,
        expect=("wave-1", "row 3", "ImportId", "header row"),
    ),
    Case(
        "survey-duplicate-column",
        "survey export",
        "two columns with the same name",
        survey_case(
            lambda root: edit_csv_rows(
                wave_file(root),
                lambda rows: [[("Q3_2" if c == "Q3_1" and i == 0 else c) for c in r] for i, r in enumerate(rows)],
            )
        ),
        SURVEY,
        expect=("wave-1", "row 1", "'Q3_2' appears twice"),
    ),
    Case(
        "survey-text-answer",
        "survey export",
        "an answer exported as choice text instead of its code",
        survey_case(set_cell(6, "Q3_1", "Agree")),
        SURVEY,
        expect=("wave-1", "row 6", "'Q3_1'", "'Agree'", "numeric"),
    ),
    Case(
        "survey-duplicate-responseid",
        "survey export",
        "one ResponseId twice in a wave",
        survey_case(lambda root: edit_csv_rows(wave_file(root), lambda rows: [*rows, rows[5]])),
        SURVEY,
        expect=("wave-1", "row 6", "ResponseId"),
    ),
    Case(
        "survey-responseid-in-two-waves",
        "survey export",
        "a response exported into both wave folders",
        survey_case(_wave_copy_response),
        SURVEY,
        expect=("ResponseId", "wave-1/", "wave-2/", "row 4"),
    ),
    Case(
        "survey-empty-file",
        "survey export",
        "an empty export file",
        survey_case(lambda root: wave_file(root).write_bytes(b"")),
        SURVEY,
        expect=("wave-1", "empty"),
    ),
    Case(
        "survey-all-header-only",
        "survey export",
        "every wave's export holds only its header rows",
        _header_only,
        SURVEY,
        expect=("wave-1", "wave-2", "no survey responses at all"),
    ),
    Case(
        "survey-unclosed-quote",
        "survey export",
        "a quote opened in a text answer and never closed",
        survey_case(
            lambda root: wave_file(root).write_bytes(
                wave_file(root)
                .read_bytes()
                .replace(b",preview,", b',"preview x",', 1)
                .replace(b'"preview x"', b'"preview "x', 1)
            )
        ),
        SURVEY,
        expect=("wave-1", "row ", "well-formed CSV"),
    ),
    Case(
        "survey-fake-sav",
        "survey export",
        "a CSV renamed to .sav",
        survey_case(lambda root: wave_file(root).rename(wave_file(root).with_suffix(".sav"))),
        SURVEY,
        expect=("wave-1", ".sav", "not an SPSS system file"),
    ),
    Case(
        "survey-wave-not-in-codebook",
        "codebook",
        "a wave folder the codebook does not list",
        survey_case(lambda root: shutil.copytree(root / "in" / "survey" / "wave-2", root / "in" / "survey" / "wave-3")),
        SURVEY,
        expect=("wave-3", "waves"),
    ),
    # ---------------------------------------------------------------- codebook
    Case(
        "codebook-unknown-construct",
        "codebook",
        "an item assigned to a construct that does not exist",
        survey_case(
            lambda root: edit_yaml(
                root / "in" / "codebook.yaml", lambda cb: cb["items"]["INST1"].update(construct="INSTX")
            )
        ),
        SURVEY,
        expect=("codebook.yaml", "INST1", "INSTX"),
    ),
    Case(
        "codebook-yaml-syntax",
        "codebook",
        "a codebook with a YAML syntax error",
        survey_case(
            lambda root: edit_text(root / "in" / "codebook.yaml", lambda t: t.replace("scale:\n", "scale: [\n", 1))
        ),
        SURVEY,
        expect=("codebook.yaml", "line"),
    ),
    # ---------------------------------------------------------------- configuration
    Case(
        "config-anchors-out-of-order",
        "config",
        "fsQCA anchors with the crossover below the exclusion anchor",
        config_case(lambda c: c["fsqca"]["anchors"]["VIRT"].update(exclusion=4.5)),
        CONFIG,
        outputs=None,
        expect=("config.yaml", "fsqca.anchors.VIRT", "out of order", "exclusion=4.5"),
    ),
    Case(
        "config-unknown-key",
        "config",
        "a misspelt key",
        config_case(lambda c: c.update(sed=1)),
        CONFIG,
        outputs=None,
        expect=("config.yaml", "(top level)", "'sed'", "allowed:"),
    ),
    Case(
        "config-wrong-type",
        "config",
        "the seed written as text",
        config_case(lambda c: c.update(seed="twenty")),
        CONFIG,
        outputs=None,
        expect=("config.yaml", "seed: expected integer", "'twenty'"),
    ),
    Case(
        "config-missing-key",
        "config",
        "a required key removed",
        config_case(lambda c: c["fsqca"].pop("incl_cut")),
        CONFIG,
        outputs=None,
        expect=("config.yaml", "fsqca.incl_cut: required key is missing"),
    ),
    # ---------------------------------------------------------------- fsQCA tables
    Case(
        "fsqca-duplicate-case",
        "fsQCA table",
        "two rows with one case label",
        _fsqca(
            lambda p: edit_text(
                p, lambda t: t.replace(t.splitlines()[2].split(",")[0], t.splitlines()[1].split(",")[0], 1)
            )
        ),
        FSQCA,
        outputs=None,
        expect=("table.csv", "column 'case'", "repeated case label", "rows 2, 3"),
    ),
    Case(
        "fsqca-duplicate-column",
        "fsQCA table",
        "two columns with one name",
        _fsqca(lambda p: edit_text(p, lambda t: t.replace("VIRT", "INST", 1))),
        FSQCA,
        outputs=None,
        expect=("table.csv", "row 1", "'INST' appears twice", "columns 2 and 3"),
    ),
    Case(
        "fsqca-out-of-range",
        "fsQCA table",
        "a membership above 1",
        _fsqca(
            lambda p: edit_text(
                p,
                lambda t: re.sub(r"^([^,\n]+),[^,\n]+", r"\1,1.7", t.split("\n", 1)[1], count=1).join(
                    [t.split("\n", 1)[0] + "\n", ""]
                ),
            )
        ),
        FSQCA,
        outputs=None,
        expect=("'INST'", "1.7"),
    ),
    Case(
        "fsqca-not-numeric",
        "fsQCA table",
        "a membership typed as text",
        _fsqca(
            lambda p: edit_text(
                p,
                lambda t: re.sub(r"^([^,\n]+),[^,\n]+", r"\1,high", t.split("\n", 1)[1], count=1).join(
                    [t.split("\n", 1)[0] + "\n", ""]
                ),
            )
        ),
        FSQCA,
        outputs=None,
        expect=("'INST'", "'high'", "not numeric"),
    ),
    Case(
        "fsqca-missing-outcome",
        "fsQCA table",
        "the outcome column is absent",
        _fsqca(lambda p: edit_text(p, lambda t: t.replace("SCO", "SC0", 1))),
        FSQCA,
        outputs=None,
        expect=("'SCO'", "not in the data"),
    ),
    # ---------------------------------------------------------------- raw data and manifest
    Case(
        "raw-changed",
        "raw data",
        "a raw survey file edited after the manifest was written",
        _changed_raw,
        ["provenance", "verify", "{dir}/in/raw"],
        status=1,
        outputs=None,
        expect=("changed: survey/wave-1/", "nero provenance manifest"),
    ),
    Case(
        "manifest-nested",
        "raw data",
        "a manifest written for one part of the raw folder",
        _nested_manifest,
        ["provenance", "manifest", "{dir}/in/raw/survey"],
        outputs=None,
        expect=("raw/survey", "own MANIFEST.sha256", "nero provenance manifest"),
    ),
    *HOSTILE_CASES,
]


def build(case: Case, root: Path) -> Path:
    """Make the inputs of ``case`` under ``root`` (a fresh folder)."""
    root.mkdir(parents=True, exist_ok=True)
    case.make(root)
    recode = case.extra.get("recode")
    if recode:
        path = wave_file(root)
        path.write_bytes(path.read_text(encoding="utf-8-sig").encode(recode, errors="replace"))
    return root


def main(argv: list[str]) -> int:
    """``python tests/badinput/badinput_corpus.py OUTDIR``: write every case (inputs + case.json) under OUTDIR."""
    if len(argv) != 1:
        print(__doc__)
        return 2
    out = Path(argv[0])
    for case in CASES:
        root = build(case, out / case.id)
        (root / "case.json").write_text(
            json.dumps(
                {
                    "id": case.id,
                    "kind": case.kind,
                    "what": case.what,
                    "command": ["nero", *case.command(root)],
                    "exit_status": case.status,
                    "message_contains": list(case.expect),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    print(f"wrote {len(CASES)} cases under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
