"""The list of numbered tables and figures with the rule and script that make each (README).

The AEA replication-package README asks for "a list of tables and figures with the program
that makes each". This module writes that list from the workflow itself: the numbered items
are the workflow's ``MANUSCRIPT_ITEMS`` (``workflow/report/manuscript.yaml`` resolved against
the rules, as the build numbers them), and each file is traced to the rule that declares it
as an output and that rule's script. ``make readme-tables`` rewrites the README's block;
``tests/manuscript/test_listing.py`` fails when it is stale.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from nero.manuscript.registry import Item

LISTING_START = (
    "<!-- tables-and-figures:start (written by `make readme-tables` from workflow/report/manuscript.yaml) -->"
)
LISTING_END = "<!-- tables-and-figures:end -->"
LISTING_COLUMNS = ["item", "title", "file", "rule", "script", "from"]


def item_listing(items: list[Item], producers: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """One row per numbered item: its label, title, file, the rule and script that write it, and
    the rules that write its sources.

    Parameters
    ----------
    items
        Numbered items (:func:`nero.manuscript.registry.resolve`), in thesis order.
    producers
        Result path -> (rule, script path relative to the repository) for every output of the workflow.

    Raises
    ------
    KeyError
        Naming the item and the file when no rule writes it.
    """
    rows = []
    for item in items:
        file = item.path("csv") if item.kind == "table" else item.source[0]
        if file not in producers:
            raise KeyError(f"{item.label} ({item.id}): no rule of the workflow writes {file}")
        rule, script = producers[file]
        upstream = sorted({producers[p][0] for p in item.inputs if p in producers and producers[p][0] != rule})
        rows.append(
            {
                "item": item.label,
                "title": item.title,
                "file": file.replace(".csv", ".{csv,tex,docx}") if item.kind == "table" else file,
                "rule": rule,
                "script": script,
                "from": ", ".join(upstream),
            }
        )
    return pd.DataFrame(rows, columns=LISTING_COLUMNS)


def listing_markdown(frame: pd.DataFrame) -> str:
    """The listing as a Markdown table (code spans for files, rules and scripts)."""
    lines = [
        "| item | title | file | rule | script | from (rules of its sources) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in frame.itertuples(index=False):
        title = row.title.replace("|", "\\|")
        upstream = ", ".join(f"`{r}`" for r in row[5].split(", ") if r) if row[5] else ""
        lines.append(f"| {row.item} | {title} | `{row.file}` | `{row.rule}` | `{row.script}` | {upstream} |")
    return "\n".join(lines)


def workflow_listing(workdir: str | os.PathLike = ".") -> pd.DataFrame:
    """:func:`item_listing` for the workflow in ``workdir`` as a fresh checkout has it.

    The workflow is copied without ``results/`` (as :func:`nero.figures.dag.checkout_rulegraph_dot`
    does: a built design analysis would add items) and loaded with Snakemake's API; nothing runs.
    """
    import shutil
    import tempfile

    from nero.figures.dag import CHECKOUT_PARTS

    with tempfile.TemporaryDirectory(prefix="nero-listing-") as tmp:
        for part in CHECKOUT_PARTS:
            source = Path(workdir) / part
            if source.is_dir():
                shutil.copytree(source, Path(tmp, part), ignore=shutil.ignore_patterns("__pycache__"))
            elif source.is_file():
                shutil.copy2(source, Path(tmp, part))
        return _loaded_listing(Path(tmp).resolve())


def _loaded_listing(root: Path) -> pd.DataFrame:
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import OutputSettings, ResourceSettings

    with SnakemakeApi(OutputSettings(quiet=True)) as api:
        workflow = api.workflow(
            resource_settings=ResourceSettings(), snakefile=root / "Snakefile", workdir=root
        )._workflow
        producers = {}
        for rule in workflow.rules:
            script = ""
            if rule.script:
                script = os.path.relpath(Path(rule.snakefile).parent / rule.script, root).replace(os.sep, "/")
            for output in rule.output:
                producers.setdefault(str(output), (rule.name, script))
        items = list(workflow.globals["MANUSCRIPT_ITEMS"])
    return item_listing(items, producers)


def update_readme_listing(readme: str | os.PathLike, workdir: str | os.PathLike = ".") -> None:
    """Rewrite the README's block between :data:`LISTING_START` and :data:`LISTING_END`."""
    path = Path(readme)
    text = path.read_text(encoding="utf-8")
    start = text.index(LISTING_START) + len(LISTING_START)
    end = text.index(LISTING_END)
    block = listing_markdown(workflow_listing(workdir))
    path.write_text(text[:start] + "\n" + block + "\n" + text[end:], encoding="utf-8")
