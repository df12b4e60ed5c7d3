"""End to end: a study with a single survey wave builds, and says what it cannot test.

One wave is a legitimate study (or what is left when a wave's export holds no usable
response). Measurement invariance across waves then has no groups to compare: the whole
DAG must still build, with invariance reported as not applicable in its tables, the
thesis table, the claims and the report, instead of failing.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from nero.simulate import simulate_study
from nero.testing import copy_workflow, run_snakemake

pytestmark = [pytest.mark.slow, pytest.mark.study]


@pytest.fixture(scope="module")
def one_wave_study(tmp_path_factory):
    work = copy_workflow(tmp_path_factory.mktemp("one_wave"))
    simulate_study(seed=11, n_firms=120, out_dir=work / "data", waves=("wave-1",))
    assert [p.name for p in (work / "data" / "raw" / "survey").iterdir() if p.is_dir()] == ["wave-1"]
    run_snakemake(work)
    return work


def test_one_wave_study_builds_every_output(one_wave_study):
    results = one_wave_study / "results"
    for rel in (
        "survey/clean.csv",
        "sem/cfa_fit.csv",
        "sem/invariance.csv",
        "fsqca/solutions.csv",
        "claims.csv",
        "report.html",
        "tables/table_27_invariance.csv",
    ):
        assert (results / rel).stat().st_size > 0, rel
    assert set(pd.read_csv(results / "survey" / "clean.csv")["wave"]) == {"wave-1"}
    proc = run_snakemake(one_wave_study, "-n")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_one_wave_invariance_is_not_applicable_everywhere(one_wave_study):
    results = one_wave_study / "results"
    fits = pd.read_csv(results / "sem" / "invariance.csv")
    tests = pd.read_csv(results / "sem" / "invariance_tests.csv")
    for table in (fits, tests):
        assert not table["applicable"].any()
        assert table["note"].str.startswith("not applicable").all()
    assert fits[["chi2", "cfi", "rmsea"]].isna().all().all()
    # the thesis table exists, with empty fit cells, and its note does not claim two waves
    thesis = json.loads((results / "tables" / "table_27_invariance.json").read_text(encoding="utf-8"))
    assert "two waves" not in thesis["note"] and "single wave" in thesis["note"]
    # the claim cannot be decided, and says why
    claims = pd.read_csv(results / "claims.csv").set_index("claim_id")
    claim = claims.loc["survey.invariance_across_waves"]
    assert claim["verdict"] == "inconclusive"
    assert "not applicable" in claim["reason"]
    assert "measurement invariance needs at least two" in (results / "report.html").read_text(encoding="utf-8")
