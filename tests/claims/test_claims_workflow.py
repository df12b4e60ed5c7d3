"""The claims stage in the workflow: a malformed registry stops Snakemake at start, naming the claim."""

import shutil

import pytest
import yaml

from nero.testing import REPO, copy_workflow, run_snakemake

pytestmark = pytest.mark.slow


def _workflow(tmp_path):
    """A copy of the workflow with a copy of the shipped raw data."""
    work = copy_workflow(tmp_path / "wf")
    shutil.copytree(REPO / "data" / "raw", work / "data" / "raw")
    return work


def test_malformed_registry_stops_the_workflow_naming_claim_and_key(tmp_path):
    work = _workflow(tmp_path)
    path = work / "config" / "claims.yaml"
    data = yaml.safe_load(path.read_text())
    claim = next(c for c in data["claims"] if c["id"] == "study2.logic_inversion.necessity")
    claim["rule"]["all"][1]["threshold"] = "relevance"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    proc = run_snakemake(work, "-n", "results/claims.csv", check=False)
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "claim 'study2.logic_inversion.necessity': rule.all[1].threshold: unknown threshold 'relevance'" in text


def test_dry_run_plans_the_claims_rule_with_the_registry_tables(tmp_path):
    work = _workflow(tmp_path)
    proc = run_snakemake(work, "-n", "results/claims.csv", check=False)
    text = proc.stdout + proc.stderr
    assert "rule evaluate_claims:" in text, text[-3000:]
    assert "results/fsqca/necessity.csv" in text and "results/sem/indirect_effects.csv" in text
