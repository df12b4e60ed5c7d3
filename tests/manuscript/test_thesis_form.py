"""Every numbered table in the form a thesis prints, checked over all of them.

The tables are built from the committed reference results (``results-reference/``, the
claims evaluated from them), exactly as the workflow's section jobs build them, including
the registry's round trip through Snakemake's params (JSON with sorted keys). Each table is
checked for snake_case headers or words, unrounded numbers, empty columns, alphabetical
column order, the field's column order (estimate, SE, CI LL, CI UL, p; chi2, df, p, CFI,
TLI, RMSEA, SRMR; fsQCA configuration before its fit) and a note that states N (and, for
the survey models, the estimator and the standard errors).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nero.manuscript.labels import snake_words

ROOT = Path(__file__).resolve().parents[2]
UNROUNDED = re.compile(r"(?<![\w.])-?\d*\.\d{4,}(?![\w.])|\d[eE][-+]?\d")
#: Columns that come in a fixed order wherever they appear with the first of them (APA; the field's fit tables).
FIELD_ORDERS = (
    (
        r"^(b|β|Estimate|Indirect effect \(b\)|Total effect|Direct effect)$",
        r"^(SE|Bootstrap SE)$",
        r"CI LL",
        r"CI UL",
        r"^p$",
    ),
    (r"^χ²$", r"^df$", r"^p$", r"^CFI$", r"^TLI$", r"^RMSEA$", r"^SRMR$"),
    (r"CI LL", r"CI UL"),
    (r"^(Configuration|Condition)$", r"^Consistency$"),
)
ESTIMATOR = re.compile(r"OLS|maximum likelihood|Welch|Pearson|principal component|HTMT")
SE_TYPE = re.compile(r"HC3|bootstrap|observed information|delta-method")


def table_problems(frame: pd.DataFrame, note: str = "", modelled: bool = False) -> list[str]:
    """What keeps a printed table (every cell text) from thesis form; empty when none."""
    problems = []
    headers = [str(c) for c in frame.columns]
    for header in headers:
        if snake_words(header) or re.fullmatch(r"[a-z]+(_[a-z0-9]+)+|[a-z]+\d", header):
            problems.append(f"machine header {header!r}")
    for column in frame.columns:
        cells = frame[column].fillna("").astype(str)
        if len(frame) and (cells.str.strip() == "").all():
            problems.append(f"empty column {column!r}")
        for cell in cells:
            if UNROUNDED.search(cell):
                problems.append(f"unrounded number in column {column!r}: {cell[:60]!r}")
                break
        for cell in cells:
            if snake_words(cell):
                problems.append(f"machine word {snake_words(cell)[0]!r} in column {column!r}")
                break
    if len(headers) >= 4 and headers == sorted(headers, key=str.lower):
        problems.append(f"columns in alphabetical order: {headers}")
    for order in FIELD_ORDERS:
        positions = []
        for pattern in order:
            hits = [k for k, h in enumerate(headers) if re.search(pattern, h)]
            positions.append(hits[0] if hits else None)
        present = [p for p in positions if p is not None]
        if positions[0] is not None and len(present) >= 2 and present != sorted(present):
            problems.append(f"columns {[headers[p] for p in present]} out of the field's order")
    if "N = " not in note:
        problems.append("the note states no N")
    if modelled and not ESTIMATOR.search(note):
        problems.append("the note names no estimator")
    if modelled and any(re.search(r"\bSE\b", h) for h in headers) and not SE_TYPE.search(note):
        problems.append("the note names no standard-error type")
    return problems


def test_every_table_of_the_registry_is_built(reference_tables):
    spec = yaml.safe_load((ROOT / "workflow" / "report" / "manuscript.yaml").read_text(encoding="utf-8"))
    expected = [i["id"] for i in spec["items"] if i["kind"] == "table" and not i.get("if_reported")]
    assert (
        list(reference_tables) == expected and len(expected) == 57
    )  # 54 of the chapters (the MLR sensitivity table included), then the 3 methods tables


def test_every_numbered_table_is_in_thesis_form(reference_tables):
    modelled_sections = {"measurement", "bias", "structural"}
    failures = {}
    for item_id, (item, frame, meta, _) in reference_tables.items():
        problems = table_problems(
            frame, meta["note"], modelled=item.section in modelled_sections and item.builder == "copy"
        )
        if problems:
            failures[f"{meta['label']} {item_id}"] = problems
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def test_printed_columns_keep_the_registry_order(reference_tables):
    for item_id, (item, frame, meta, _) in reference_tables.items():
        if item.builder == "copy" and item.columns:
            declared = [h for h in item.columns.values() if h not in meta["dropped_empty"]]
            assert list(frame.columns) == declared, item_id


def test_long_detail_goes_to_the_supplement(reference_tables):
    item, frame, meta, files = reference_tables["slr_included"]
    supplement = pd.read_csv(io.BytesIO(files["supplement"]))
    assert "abstract" in supplement.columns and len(supplement) == len(frame)
    assert len(frame.columns) <= 6 and "supplementary CSV" in meta["note"]
    item, frame, meta, files = reference_tables["fsqca_solutions"]
    assert not frame.apply(lambda col: col.str.contains("SG-")).any().any()
    assert "cases" in pd.read_csv(io.BytesIO(files["supplement"])).columns


@pytest.mark.parametrize(
    "frame, note, problem",
    [
        (pd.DataFrame({"ci_low": ["1.00"], "Term": ["x"]}), "N = 1", "machine header 'ci_low'"),
        (pd.DataFrame({"Term": ["x"], "b": ["0.8556649132781261"]}), "N = 1", "unrounded number in column 'b'"),
        (pd.DataFrame({"Term": ["x"], "b": ["2.2e-05"]}), "N = 1", "unrounded number in column 'b'"),
        (pd.DataFrame({"Term": ["x"], "Note": [""]}), "N = 1", "empty column 'Note'"),
        (pd.DataFrame({"Term": ["wave_wave_2"]}), "N = 1", "machine word 'wave_wave_2'"),
        (pd.DataFrame({"CFI": ["1"], "df": ["1"], "Model": ["m"], "p": [".1"]}), "N = 1", "alphabetical order"),
        (pd.DataFrame({"Term": ["x"], "95% CI UL": ["1"], "95% CI LL": ["0"]}), "N = 1", "out of the field's order"),
        (pd.DataFrame({"Term": ["x"], "p": [".1"], "b": ["1.00"]}), "N = 1", "out of the field's order"),
        (pd.DataFrame({"Term": ["x"], "b": ["1.00"]}), "OLS.", "states no N"),
    ],
)
def test_the_checks_catch_each_fault(frame, note, problem):
    assert any(problem in p for p in table_problems(frame, note)), table_problems(frame, note)
    fixed = table_problems(
        pd.DataFrame({"Term": ["x"], "b": ["1.00"], "SE": ["0.10"], "p": [".049"]}), "N = 218; OLS; HC3.", modelled=True
    )
    assert fixed == []


def test_modelled_tables_name_estimator_and_standard_errors():
    frame = pd.DataFrame({"Term": ["x"], "b": ["1.00"], "SE": ["0.10"]})
    assert "the note names no estimator" in table_problems(frame, "N = 218.", modelled=True)
    assert "the note names no standard-error type" in table_problems(frame, "N = 218; OLS.", modelled=True)
