"""The notebooks' inputs, declared once in the library (nero.report.notebook.NOTEBOOK_INPUTS).

The rule execute_notebook takes them as inputs; a result a notebook reads but does not declare
could be read before the rule that writes it has run, or stay stale after it reran.
"""

import json
import re
from pathlib import Path

import pytest

from nero.report.notebook import NOTEBOOK_INPUTS, OPTIONAL_NOTEBOOK_INPUTS, notebook_inputs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: A quoted result path in a notebook's code (``{analysis}`` in an f-string is a pattern).
RESULT_PATH = re.compile(r"[\"']([A-Za-z0-9_./{}-]+\.(?:csv|json|png|txt|html))[\"']")


def _code(path: Path) -> str:
    book = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(cell["source"]) for cell in book["cells"] if cell["cell_type"] == "code")


def test_every_notebook_is_declared_and_nothing_else():
    assert NOTEBOOKS, "no notebook found"
    assert sorted(NOTEBOOK_INPUTS) == [path.stem for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_result_a_notebook_names_is_declared(path):
    declared = NOTEBOOK_INPUTS[path.stem]
    named = sorted(set(RESULT_PATH.findall(_code(path))))
    assert named, f"{path.name}: no result path found in its code (has the reading changed?)"
    missing = []
    for rel in named:
        if "{" in rel:  # an f-string: some declared path must match it
            pattern = re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(rel)) + "$")
            if not any(pattern.match(d) for d in declared):
                missing.append(rel)
        elif rel not in declared:
            missing.append(rel)
    assert missing == [], f"{path.name} reads results it does not declare in NOTEBOOK_INPUTS"


def test_a_path_per_wave_and_none_without_waves():
    two = notebook_inputs("study2_quantitative", ["wave-1", "wave-2"])
    assert [p for p in two if "/waves/" in p] == ["results/survey/waves/wave-1.csv", "results/survey/waves/wave-2.csv"]
    one = notebook_inputs("study2_quantitative", ["wave-1"])
    assert [p for p in one if "/waves/" in p] == ["results/survey/waves/wave-1.csv"]
    assert [p for p in notebook_inputs("study2_quantitative", []) if "/waves/" in p] == []
    assert len(two) == len(one) + 1 == len(NOTEBOOK_INPUTS["study2_quantitative"]) + 1


def test_optional_inputs_only_where_written():
    assert OPTIONAL_NOTEBOOK_INPUTS == {"claims.csv"}
    kept = notebook_inputs("examiner_audit", written=lambda path: True)
    dropped = notebook_inputs("examiner_audit", written=lambda path: path != "results/claims.csv")
    assert "results/claims.csv" in kept
    assert "results/claims.csv" not in dropped
    assert len(kept) == len(dropped) + 1
    assert notebook_inputs("examiner_audit") == kept  # no written(): every optional input kept
    # a required input stays even where written() says no rule writes it
    assert "results/report.html" in notebook_inputs("examiner_audit", written=lambda path: False)


def test_results_folder_and_exact_paths():
    assert notebook_inputs("study1_qualitative", results="out")[:2] == [
        "out/study1/codebook.csv",
        "out/study1/code_frequencies.csv",
    ]
    assert notebook_inputs("examiner_audit")[:2] == ["results/provenance/raw_verified.json", "results/provenance.json"]


def test_unknown_notebook_is_named():
    with pytest.raises(KeyError, match="'study3'.*declared: \\['examiner_audit'"):
        notebook_inputs("study3")
