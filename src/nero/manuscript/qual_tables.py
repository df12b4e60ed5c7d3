"""Study 1 thesis tables built from the imported codebook and coded selections.

The codebook (``results/study1/codebook.csv``, from the REFI-QDA project) holds a
description for every code: leaf codes "definition ... Example: \u201cquote\u201d", parent
codes "Theme: ..." or "Aggregate dimension: ...". The tables read those descriptions and
the primary coder's selections; nothing here is typed by hand.
"""

from __future__ import annotations

import re

import pandas as pd

from nero.manuscript.survey_tables import ThesisTable, _require

EXAMPLE = re.compile(r"\s*Example:\s*[\u201c\"](?P<quote>.+?)[\u201d\"]\s*$")
LABEL = re.compile(r"^(Theme|Aggregate dimension):\s*")


def split_description(description: str) -> tuple[str, str]:
    """A codebook description as (definition, codebook example); either may be empty."""
    text = "" if pd.isna(description) else str(description).strip()
    match = EXAMPLE.search(text)
    if match is None:
        return LABEL.sub("", text), ""
    return LABEL.sub("", text[: match.start()].strip()), match.group("quote")


def leaf_codes(codebook: pd.DataFrame) -> pd.DataFrame:
    """Codes with no child code, in codebook order."""
    _require(codebook, ["code_path", "name", "depth", "description"], "Study 1 codebook")
    paths = list(codebook["code_path"])
    leaves = [p for p in paths if not any(q.startswith(p + "/") for q in paths)]
    return codebook[codebook["code_path"].isin(leaves)]


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else path


def example_quote(selections: pd.DataFrame, code_path: str, coder: str) -> pd.Series | None:
    """The exemplar of one code: the coder's segment whose length is closest to the median.

    The rule (stated in the table's note): among the primary coder's selections of the
    code, the one whose length in characters is nearest the median length (ties: the
    earlier document, then the earlier position), so the example is typical rather than
    the longest or shortest.
    """
    own = selections[(selections["code_path"] == code_path) & (selections["coder"] == coder)]
    if own.empty:
        return None
    length = own["text"].str.len()
    order = own.assign(_gap=(length - length.median()).abs()).sort_values(["_gap", "source", "start"], kind="stable")
    return order.iloc[0]


def coding_scheme(codebook: pd.DataFrame, selections: pd.DataFrame, coder: str) -> ThesisTable:
    """The coding scheme: every leaf code with its definition, an example quote and its use.

    Columns ``Dimension``, ``Code``, ``Definition``, ``Example quote (case)``,
    ``Segments``, ``Cases``.
    """
    _require(selections, ["code_path", "coder", "text", "source", "start", "case"], "Study 1 selections")
    names = codebook.set_index("code_path")["name"]
    rows = []
    for leaf in leaf_codes(codebook).itertuples(index=False):
        definition, _ = split_description(leaf.description)
        chosen = example_quote(selections, leaf.code_path, coder)
        own = selections[(selections["code_path"] == leaf.code_path) & (selections["coder"] == coder)]
        parent = _parent(leaf.code_path)
        rows.append(
            {
                "Dimension": " / ".join(
                    names.get("/".join(leaf.code_path.split("/")[: d + 1]), "")
                    for d in range(leaf.code_path.count("/"))
                )
                or names[parent],
                "Code": leaf.name,
                "Definition": definition,
                "Example quote (case)": "" if chosen is None else f"\u201c{chosen['text']}\u201d ({chosen['case']})",
                "Segments": len(own),
                "Cases": own["case"].nunique(),
            }
        )
    frame = pd.DataFrame(rows)
    empty = [r["Code"] for r in rows if not r["Definition"]]
    return ThesisTable(
        frame,
        {"Segments": "int", "Cases": "int"},
        {
            "codes": len(rows),
            "coder": coder,
            "without_definition": empty,
            "segments": int((selections["coder"] == coder).sum()),
        },
    )


def data_structure(codebook: pd.DataFrame, selections: pd.DataFrame, coder: str) -> ThesisTable:
    """Data structure in the manner of Gioia, Corley & Hamilton (2013).

    First-order codes (the leaf codes) -> second-order themes (the leaf's parent code;
    a leaf directly under a top-level code is its own theme) -> aggregate dimensions
    (top-level codes), each with the codebook's definition and the number of coded
    segments of the primary coder under it.
    """
    leaves = leaf_codes(codebook)
    info = codebook.set_index("code_path")
    own = selections[selections["coder"] == coder]
    rows = []
    for leaf in leaves.itertuples(index=False):
        parts = leaf.code_path.split("/")
        dimension = parts[0]
        theme = "/".join(parts[:2]) if len(parts) > 2 else leaf.code_path
        under = lambda prefix: int(((own["code_path"] == prefix) | own["code_path"].str.startswith(prefix + "/")).sum())  # noqa: E731
        rows.append(
            {
                "First-order code": leaf.name,
                "Second-order theme": info.at[theme, "name"],
                "Theme definition": split_description(info.at[theme, "description"])[0]
                if theme != leaf.code_path
                else "(the code itself)",
                "Aggregate dimension": info.at[dimension, "name"],
                "Dimension definition": split_description(info.at[dimension, "description"])[0],
                "Segments (code)": under(leaf.code_path),
                "Segments (theme)": under(theme),
                "Segments (dimension)": under(dimension),
            }
        )
    frame = pd.DataFrame(rows)
    return ThesisTable(
        frame,
        {c: "int" for c in frame.columns if c.startswith("Segments")},
        {
            "codes": len(rows),
            "themes": frame["Second-order theme"].nunique(),
            "dimensions": frame["Aggregate dimension"].nunique(),
            "coder": coder,
        },
    )


def single_case_quotes(quotes: pd.DataFrame, selections: pd.DataFrame) -> pd.DataFrame:
    """The exemplar quotes whose sentence was coded in one interview only.

    A sentence that occurs in the transcripts of two cases (the same words spoken in two
    interviews) cannot be attributed to one firm, so it is not printed as anyone's quote;
    the remaining quotes keep their order (best first).
    """
    _require(quotes, ["case", "text"], "exemplar quotes")
    _require(selections, ["case", "text"], "Study 1 selections")
    cases = selections.groupby("text")["case"].nunique()
    shared = set(cases[cases > 1].index)
    return quotes[~quotes["text"].isin(shared)].reset_index(drop=True)


def checklist_table(items: list, numbers: dict[str, str]) -> ThesisTable:
    """A reporting checklist (COREQ, PRISMA 2020) with where each item is reported.

    ``items`` are ``[number, section, item, [registry ids]]``; an item is reported in the
    numbered tables and figures of this build among its ids (``numbers``: id -> "Table 12"),
    and "not reported" when none of them is numbered (the stage is absent, or the study does
    not report it).
    """
    rows = []
    for number, section, text, ids in items:
        where = [numbers[i] for i in ids if i in numbers]
        rows.append(
            {"No.": number, "Section": section, "Item": text, "Reported in": "; ".join(where) or "not reported"}
        )
    frame = pd.DataFrame(rows)
    return ThesisTable(
        frame, {"No.": "int"}, {"items": len(frame), "reported": int((frame["Reported in"] != "not reported").sum())}
    )
