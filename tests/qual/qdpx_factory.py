"""Small REFI-QDA projects written the way each real program writes them, for the tests.

``write_qdpx`` takes selections as Python ``str`` indices and writes them in the offset
unit of the chosen flavour, so a test can check that the importer gets back exactly the
indices it started from.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from nero.qual.offsets import cumulative_units

NS = "urn:QDA-XML:project:1.0"


def guid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


@dataclass
class Flavour:
    """How one program writes a .qdpx."""

    origin: str = "NVivo 14"
    unit: str = "utf16"  # offset unit of the selections
    sources_dir: str = "Sources"  # folder of the text files in the zip
    guid_style: str = "lower"  # "lower" or "brace-upper"
    text_mode: str = "internal"  # "internal", "inline" or "relative"
    bom: bool = False  # write a UTF-8 BOM before each text file
    base_path: str | None = None  # Project/@basePath (for relative://)


NVIVO = Flavour()
ATLAS = Flavour(origin="ATLAS.ti 23.2.1", unit="codepoint", sources_dir="sources", guid_style="brace-upper")
MAXQDA = Flavour(origin="MAXQDA 2022 (Release 22.7.0)", unit="codepoint-lf", bom=True)
QUALCODER = Flavour(origin="QualCoder 3.5", unit="codepoint", text_mode="inline")


@dataclass
class Coding:
    source: str
    code: str  # full path
    coder: str
    start: int  # str index
    end: int  # str index


@dataclass
class Study:
    sources: dict[str, str]  # name -> text
    codes: list[str]  # full paths (parents implied)
    codings: list[Coding]
    cases: dict[str, dict] = field(default_factory=dict)  # case -> {"sources": [...], "variables": {...}}
    coders: tuple[str, ...] = ("coder-a", "coder-b")
    sets: dict[str, list[str]] = field(default_factory=dict)  # set name -> code paths


def _g(flavour: Flavour, value: str) -> str:
    return "{" + value.upper() + "}" if flavour.guid_style == "brace-upper" else value


def _code_tree(paths: list[str]) -> dict:
    tree: dict = {}
    for path in paths:
        node = tree
        for part in path.split("/"):
            node = node.setdefault(part, {})
    return tree


def project_xml(
    study: Study,
    flavour: Flavour,
    *,
    raw_offsets: dict | None = None,
    extra_selection_xml: str = "",
    code_ref_override: dict | None = None,
) -> str:
    """The project.qde text. ``raw_offsets`` maps coding index -> (start, end) written verbatim."""
    g = lambda v: _g(flavour, v)  # noqa: E731
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    attrs = f'name="fixture" origin={quoteattr(flavour.origin)}'
    if flavour.base_path is not None:
        attrs += f" basePath={quoteattr(flavour.base_path)}"
    out.append(f'<Project xmlns="{NS}" {attrs}>')
    out.append("<Users>")
    for coder in study.coders:
        out.append(f'<User guid="{g(guid("user", coder))}" name={quoteattr(coder)}/>')
    out.append("</Users>")
    out.append("<CodeBook><Codes>")

    def emit(node: dict, prefix: str) -> None:
        for name, children in node.items():
            path = f"{prefix}/{name}" if prefix else name
            out.append(f'<Code guid="{g(guid("code", path))}" name={quoteattr(name)} isCodable="true">')
            out.append(f"<Description>Code {escape(path)}</Description>")
            emit(children, path)
            out.append("</Code>")

    emit(_code_tree(study.codes), "")
    out.append("</Codes></CodeBook>")
    variables: list[tuple[str, str]] = []
    for case in study.cases.values():
        for key, value in case.get("variables", {}).items():
            kind = "Integer" if isinstance(value, int) else "Float" if isinstance(value, float) else "Text"
            if key == "interview_date":
                kind = "Date"
            if (key, kind) not in variables:
                variables.append((key, kind))
    if variables:
        out.append("<Variables>")
        for key, kind in variables:
            out.append(f'<Variable guid="{g(guid("var", key))}" name={quoteattr(key)} typeOfVariable="{kind}"/>')
        out.append("</Variables>")
    if study.cases:
        out.append("<Cases>")
        kinds = dict(variables)
        for name, case in study.cases.items():
            out.append(f'<Case guid="{g(guid("case", name))}" name={quoteattr(name)}>')
            for key, value in case.get("variables", {}).items():
                tag = {"Integer": "IntegerValue", "Float": "FloatValue", "Date": "DateValue"}.get(
                    kinds[key], "TextValue"
                )
                out.append(
                    f'<VariableValue><VariableRef targetGUID="{g(guid("var", key))}"/>'
                    f"<{tag}>{escape(str(value))}</{tag}></VariableValue>"
                )
            for source in case.get("sources", []):
                out.append(f'<SourceRef targetGUID="{g(guid("source", source))}"/>')
            out.append("</Case>")
        out.append("</Cases>")
    out.append("<Sources>")
    for name, text in study.sources.items():
        sg = guid("source", name)
        if flavour.text_mode == "internal":
            path_attr = f' plainTextPath="internal://{g(sg)}.txt"'
        elif flavour.text_mode == "relative":
            path_attr = f' plainTextPath="relative://texts/{sg}.txt"'
        else:
            path_attr = ""
        out.append(f'<TextSource guid="{g(sg)}" name={quoteattr(name)}{path_attr}>')
        if flavour.text_mode == "inline":
            out.append("<PlainTextContent>" + escape(text).replace("\r", "&#13;") + "</PlainTextContent>")
        cum = cumulative_units(text, flavour.unit)
        for i, coding in enumerate(study.codings):
            if coding.source != name:
                continue
            if raw_offsets and i in raw_offsets:
                start, end = raw_offsets[i]
            else:
                start, end = int(cum[coding.start]), int(cum[coding.end])
            code_guid = (code_ref_override or {}).get(i, guid("code", coding.code))
            sel = guid("sel", str(i))
            out.append(
                f'<PlainTextSelection guid="{g(sel)}" startPosition="{start}" endPosition="{end}" '
                f'creatingUser="{g(guid("user", coding.coder))}">'
                f'<Coding guid="{g(guid("coding", str(i)))}" creatingUser="{g(guid("user", coding.coder))}">'
                f'<CodeRef targetGUID="{g(code_guid)}"/></Coding></PlainTextSelection>'
            )
        out.append("</TextSource>")
    out.append(extra_selection_xml)
    out.append("</Sources>")
    if study.sets:
        out.append("<Sets>")
        for name, members in study.sets.items():
            out.append(f'<Set guid="{g(guid("set", name))}" name={quoteattr(name)}>')
            for path in members:
                out.append(f'<MemberCode targetGUID="{g(guid("code", path))}"/>')
            out.append("</Set>")
        out.append("</Sets>")
    out.append("</Project>")
    return "\n".join(out)


def write_qdpx(path: Path, study: Study, flavour: Flavour = NVIVO, **kwargs) -> Path:
    """Write ``study`` as a .qdpx in ``flavour``; relative-mode texts go below ``flavour.base_path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    xml = project_xml(study, flavour, **kwargs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for name, text in study.sources.items():
            sg = guid("source", name)
            data = (b"\xef\xbb\xbf" if flavour.bom else b"") + text.encode("utf-8")
            if flavour.text_mode == "internal":
                file_guid = sg.upper() if flavour.guid_style == "brace-upper" else sg
                archive.writestr(f"{flavour.sources_dir}/{file_guid}.txt", data)
            elif flavour.text_mode == "relative":
                target = Path(flavour.base_path) / "texts" / f"{sg}.txt"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return path


# ----------------------------------------------------------------------------- a small study

CODES = [
    "Networks/Institutional/Grant schemes",
    "Networks/Virtual/E-commerce platforms",
    "Orientation/Efficiency-seeking",
    "Orientation/Market-seeking",
]


def small_study() -> Study:
    """Two interviews with CRLF line ends and an emoji; two coders on the first one."""
    text_a = (
        "Interviewer: How did you start?\r\n"
        "Owner: We used a grant scheme \U0001f600 from the agency.\r\n"
        "Owner: Then we sold on Shopee and Lazada to cut costs.\r\n"
    )
    text_b = (
        "Interviewer: Where do you sell?\r\n"
        "Founder: Mostly abroad \u2014 new markets every year \U0001f680.\r\n"
        "Founder: The platform brings the customers.\r\n"
    )

    def span(text: str, phrase: str) -> tuple[int, int]:
        start = text.index(phrase)
        return start, start + len(phrase)

    codings = []
    for coder in ("coder-a", "coder-b"):
        s, e = span(text_a, "We used a grant scheme \U0001f600 from the agency.")
        codings.append(Coding("Interview A", "Networks/Institutional/Grant schemes", coder, s, e))
    s, e = span(text_a, "Then we sold on Shopee and Lazada to cut costs.")
    codings.append(Coding("Interview A", "Networks/Virtual/E-commerce platforms", "coder-a", s, e))
    s, e = span(text_a, "Lazada to cut costs.")
    codings.append(Coding("Interview A", "Orientation/Efficiency-seeking", "coder-a", s, e))
    s, e = span(text_b, "Mostly abroad \u2014 new markets every year \U0001f680.")
    codings.append(Coding("Interview B", "Orientation/Market-seeking", "coder-a", s, e))
    s, e = span(text_b, "The platform brings the customers.")
    codings.append(Coding("Interview B", "Networks/Virtual/E-commerce platforms", "coder-a", s, e))
    return Study(
        sources={"Interview A": text_a, "Interview B": text_b},
        codes=CODES,
        codings=codings,
        cases={
            "Firm A": {
                "sources": ["Interview A"],
                "variables": {
                    "sector": "Food",
                    "size_band": "Small",
                    "founding_year": 2009,
                    "foreign_sales_share": 0.35,
                    "interview_date": "2024-03-05",
                },
            },
            "Firm B": {
                "sources": ["Interview B"],
                "variables": {
                    "sector": "Retail",
                    "size_band": "Micro",
                    "founding_year": 2016,
                    "foreign_sales_share": 0.6,
                    "interview_date": "2024-03-01",
                },
            },
        },
        sets={"Network codes": ["Networks/Institutional/Grant schemes", "Networks/Virtual/E-commerce platforms"]},
    )
