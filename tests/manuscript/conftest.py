"""Shared inputs of the manuscript tests: the shipped Study 1 project, read through nero.qual, and
every numbered table built from the committed reference results."""

import io
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nero.manuscript.build import make_table
from nero.manuscript.registry import item_from_dict, load_registry, resolve
from nero.qual.analysis import codebook_table
from nero.qual.data import StudyData, import_study

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "results-reference"


@pytest.fixture(scope="session")
def instrument():
    with open(ROOT / "config" / "codebook.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="session")
def study1(tmp_path_factory):
    """Codebook table and selections of the shipped REFI-QDA project (as the qual stage makes them)."""
    out = tmp_path_factory.mktemp("study1")
    import_study(
        ROOT / "data" / "raw" / "interviews" / "study1.qdpx", out / "sel.csv", out / "cases.csv", out / "project.json"
    )
    study = StudyData.read(out / "sel.csv", out / "cases.csv", out / "project.json")
    return codebook_table(study.codebook, study.selections, "coder-a"), study.selections


@pytest.fixture(scope="session")
def reference_tables():
    """Every numbered table built from results-reference/ (claims evaluated from it)."""
    from nero.claims import evaluate_claims, read_tables
    from nero.claims import load_registry as load_claims

    claims_registry = load_claims(ROOT / "config" / "claims.yaml", ROOT / "config" / "claims.schema.yaml")
    claims = evaluate_claims(claims_registry, read_tables(REFERENCE, claims_registry.tables())).to_frame()
    spec = yaml.safe_load((ROOT / "workflow" / "report" / "manuscript.yaml").read_text(encoding="utf-8"))
    _, items = load_registry(spec)

    def path_of(source: str) -> Path:
        return REFERENCE / source.removeprefix("results/")

    def available(source: str) -> bool:
        return (
            source == "results/claims.csv" or source.endswith(".png") or path_of(source).is_file()
        )  # figures: drawn by the workflow

    resolved = resolve(items, available)
    with open(ROOT / "config" / "codebook.yaml", encoding="utf-8") as handle:
        config = {
            "codebook": yaml.safe_load(handle),
            "coder": "coder-a",
            "numbers": {i.id: i.label for i in resolved},
            # the fieldwork facts as the methods section's job gets them (workflow/rules/manuscript.smk)
            "fieldwork": yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))["fieldwork"][
                "waves"
            ],
        }
    out = {}
    for item in resolved:
        if item.kind != "table":
            continue
        item = item_from_dict(json.loads(json.dumps(item.to_dict(), sort_keys=True)))  # as Snakemake's params carry it
        sources = {}
        for source in item.inputs:
            if source == "results/claims.csv":
                sources[source] = claims
            elif source.endswith(".json"):
                sources[source] = json.loads(path_of(source).read_text(encoding="utf-8"))
            else:
                sources[source] = pd.read_csv(path_of(source))
        files = make_table(item, sources, config)
        frame = pd.read_csv(io.BytesIO(files["csv"]), dtype=str, keep_default_na=False)
        out[item.id] = (item, frame, json.loads(files["json"]), files)
    return out
