"""The seam between the design and the claims in the DAG: evaluate_claims reads the scored operating
characteristics (input ``operating=``), rule score_design_claims never reads results/claims.csv, and the
planted-versus-recovered rule exists only for data whose truth map declares them synthetic."""

import json
import shutil

import pytest

from nero.testing import REPO, copy_workflow, run_snakemake

pytestmark = pytest.mark.slow


def _jobs(text: str) -> set[str]:
    """Rule names of the jobs a dry run plans."""
    return {line.split()[-1].rstrip(":") for line in text.splitlines() if line.startswith(("rule ", "localrule "))}


def test_claims_read_the_operating_characteristics_and_the_design_never_reads_the_claims(tmp_path):
    work = copy_workflow(tmp_path / "wf")
    shutil.copytree(REPO / "data" / "raw", work / "data" / "raw")
    shutil.copytree(REPO / "data" / "truth", work / "data" / "truth")
    claims = run_snakemake(work, "-n", "results/claims.csv").stdout
    assert {"score_design_claims", "show_design_reference", "evaluate_claims"} <= _jobs(claims)
    operating = run_snakemake(work, "-n", "results/design_reference/claims_operating.csv").stdout
    assert "score_design_claims" in _jobs(operating) and "evaluate_claims" not in _jobs(operating)
    planted = run_snakemake(work, "-n", "results/truth/planted_vs_recovered.csv").stdout
    assert "compare_planted_recovered" in _jobs(planted)
    # a truth map that does not declare the data synthetic: no planted-versus-recovered rule, no section
    path = work / "data" / "truth" / "claims_truth.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "synthetic": False}))
    proc = run_snakemake(work, "-n", "results/truth/planted_vs_recovered.csv", check=False)
    assert proc.returncode != 0 and "MissingRuleException" in proc.stdout + proc.stderr
