"""The README's list of numbered tables and figures: generated from the workflow, and current."""

import pytest

from nero.manuscript.listing import (
    LISTING_END,
    LISTING_START,
    item_listing,
    listing_markdown,
    workflow_listing,
)
from nero.manuscript.registry import Item


def _items():
    table = Item(
        id="fit",
        kind="table",
        section="m",
        title="Model fit | CFA",
        source=("results/sem/cfa_fit.csv",),
        number=1,
        facts={"n": ("results/survey/clean.csv", "n")},
    )
    figure = Item(
        id="path", kind="figure", section="m", title="Path diagram", source=("results/sem/path.png",), number=1
    )
    return [table, figure]


PRODUCERS = {
    "results/tables/table_01_fit.csv": ("export_section_tables_m", "workflow/scripts/export_section_tables.py"),
    "results/sem/cfa_fit.csv": ("fit_measurement_model", "workflow/scripts/sem_family.py"),
    "results/survey/clean.csv": ("clean_survey", "workflow/scripts/survey_clean.py"),
    "results/sem/path.png": ("draw_sem_figures", "workflow/scripts/sem_figures.py"),
}


def test_each_item_traced_to_its_rule_script_and_source_rules():
    frame = item_listing(_items(), PRODUCERS)
    assert frame.to_dict("records") == [
        {
            "item": "Table 1",
            "title": "Model fit | CFA",
            "file": "results/tables/table_01_fit.{csv,tex,docx}",
            "rule": "export_section_tables_m",
            "script": "workflow/scripts/export_section_tables.py",
            "from": "clean_survey, fit_measurement_model",
        },
        {
            "item": "Figure 1",
            "title": "Path diagram",
            "file": "results/sem/path.png",
            "rule": "draw_sem_figures",
            "script": "workflow/scripts/sem_figures.py",
            "from": "",
        },
    ]
    text = listing_markdown(frame)
    assert text.splitlines()[2] == (
        "| Table 1 | Model fit \\| CFA | `results/tables/table_01_fit.{csv,tex,docx}` | "
        "`export_section_tables_m` | `workflow/scripts/export_section_tables.py` | "
        "`clean_survey`, `fit_measurement_model` |"
    )
    assert text.splitlines()[3].endswith("| `workflow/scripts/sem_figures.py` |  |")


def test_an_item_no_rule_writes_is_named():
    producers = {k: v for k, v in PRODUCERS.items() if k != "results/sem/path.png"}
    with pytest.raises(KeyError, match=r"Figure 1 \(path\): no rule of the workflow writes results/sem/path.png"):
        item_listing(_items(), producers)
    assert item_listing([], PRODUCERS).empty


def test_readme_listing_is_current(repo_root):
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    block = text[text.index(LISTING_START) + len(LISTING_START) : text.index(LISTING_END)]
    assert block.strip() == listing_markdown(workflow_listing(repo_root)), "README is stale: run `make readme-tables`"
