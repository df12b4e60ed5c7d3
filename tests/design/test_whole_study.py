"""nero.design, whole study: the stages of a replicate reproduce the shipped study's tables
(results-reference/), every claim gets a verdict in a replicate, per-claim rates, the shipped
design reference and its staleness, and the progress line of make design."""

from __future__ import annotations

import io
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from nero.design import DesignError, DesignSettings, StudyContext, run_replicate
from nero.design.metrics import claim_rates
from nero.design.progress import Progress, duration, follow
from nero.design.progress import main as progress_main
from nero.design.replicate import load_claims
from nero.design.shipped import (
    ReferenceError,
    config_sha256,
    fingerprint,
    reference_status,
    source_files,
    write_reference,
)
from nero.design.stages import (
    write_fsqca_results,
    write_integration_results,
    write_review_results,
    write_sem_results,
    write_study1_results,
)
from nero.fsqca import FsqcaSettings
from nero.sem import SemSettings
from nero.testing import REPO

CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
REFERENCE = REPO / "results-reference"


def _same_table(ours: Path, reference: Path) -> None:
    a, b = pd.read_csv(ours), pd.read_csv(reference)
    assert list(a.columns) == list(b.columns), ours.name
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-12, obj=ours.name)


# --------------------------------------------------------------------------- stages = the study's rules


def test_study1_stage_reproduces_the_shipped_tables(tmp_path):
    """The replicate's Study 1 stage on the shipped coding project gives results-reference/study1 exactly."""
    write_study1_results(REPO / "data" / "raw" / "interviews" / "study1.qdpx", CONFIG["qual"], tmp_path)
    for name in ("typology.csv", "reliability.csv", "exemplar_quotes.csv", "selections.csv", "cases.csv"):
        _same_table(tmp_path / "study1" / name, REFERENCE / "study1" / name)


def test_review_stage_reproduces_the_shipped_tables(tmp_path):
    """The replicate's review stage on the shipped exports gives results-reference/slr exactly."""
    write_review_results(REPO / "data" / "raw" / "slr", CONFIG["slr"], CONFIG["seed"], tmp_path)
    for name in (
        "screening_agreement.csv",
        "coding_elements.csv",
        "pathways.csv",
        "articles_per_year.csv",
        "keywords.csv",
        "included.csv",
    ):
        _same_table(tmp_path / "slr" / name, REFERENCE / "slr" / name)
    assert json.loads((tmp_path / "slr" / "prisma.json").read_text()) == json.loads(
        (REFERENCE / "slr" / "prisma.json").read_text()
    )


def test_sem_stage_reproduces_the_shipped_tables_that_need_no_bootstrap(tmp_path):
    """CFA fit, reliability, validity, CMV, non-response, invariance and the regression tables of the
    replicate's SEM stage on the shipped clean survey equal results-reference/sem (fewer bootstrap
    draws change only the bootstrap intervals, which are not compared)."""
    from nero.config import load_yaml

    clean = pd.read_csv(REFERENCE / "survey" / "clean.csv")
    sem = SemSettings.from_config(CONFIG["sem"])
    write_sem_results(clean, load_yaml(REPO / "config" / "codebook.yaml"), sem, CONFIG["seed"], 50, tmp_path)
    for name in (
        "reliability.csv",
        "htmt_checks.csv",
        "fornell_larcker_checks.csv",
        "harman.csv",
        "cmv_difference_tests.csv",
        "marker_adjustment.csv",
        "nonresponse.csv",
        "invariance_tests.csv",
        "ambidexterity_moderation.csv",
        "capacity_boosting.csv",
        "baron_kenny.csv",
    ):
        _same_table(tmp_path / "sem" / name, REFERENCE / "sem" / name)
    ours = pd.read_csv(tmp_path / "sem" / "cfa_fit.csv")
    ref = pd.read_csv(REFERENCE / "sem" / "cfa_fit.csv")
    ref = ref[ref["model"] == "CFA"].reset_index(drop=True)  # the design leaves out any second-order fit
    assert list(ours["model"]) == ["CFA"]
    for col in ("chi2", "cfi", "tli", "rmsea", "srmr"):
        assert ours.loc[0, col] == pytest.approx(ref.loc[0, col], rel=1e-9), col


def test_fsqca_study1_and_integration_stages_reproduce_the_shipped_tables(tmp_path):
    """The fsQCA study (robustness grid included, same seed), the scale-up analyses and the joint
    display of the replicate's stages equal results-reference/."""
    clean = pd.read_csv(REFERENCE / "survey" / "clean.csv")
    write_fsqca_results(clean, FsqcaSettings.from_config(CONFIG["fsqca"]), CONFIG["seed"], tmp_path)
    write_study1_results(REPO / "data" / "raw" / "interviews" / "study1.qdpx", CONFIG["qual"], tmp_path)
    write_integration_results(tmp_path, CONFIG["integration"]["archetypes"], CONFIG["fsqca"]["outcome"])
    for name in (
        "fsqca/solutions.csv",
        "fsqca/necessity.csv",
        "fsqca/robustness_verdicts.csv",
        "fsqca/scale_up/solutions.csv",
        "fsqca/scale_up_reverse/solutions.csv",
        "fsqca/xy_memberships.csv",
        "integration/joint_display.csv",
        "integration/archetype_matches.csv",
    ):
        _same_table(tmp_path / name, REFERENCE / name)


# --------------------------------------------------------------------------- a whole-study replicate


@pytest.fixture(scope="module")
def whole_context():
    config = {**CONFIG, "design": {**CONFIG["design"], "n_boot": 100}}
    return StudyContext.from_config(
        config, str(REPO / "config" / "codebook.yaml"), load_claims(str(REPO / "config" / "claims.yaml"))
    )


def test_every_claim_gets_a_verdict_from_a_whole_study_replicate(whole_context):
    """No claim is inconclusive for lack of a simulated stage: every table the registry reads exists."""
    from nero.claims import evaluate_claims, read_tables

    assert whole_context.whole_study
    scenario = whole_context.design.scenario("planted_n218")
    with tempfile.TemporaryDirectory() as tmp:
        row = run_replicate(whole_context, scenario, 0, tmp)
        tables = read_tables(Path(tmp) / "results", whole_context.claims.tables())
    missing = sorted(set(whole_context.claims.tables()) - set(tables))
    assert missing == []
    frame = evaluate_claims(whole_context.claims, tables).to_frame()
    verdicts = {f"claim_{r.claim_id}": r.verdict for r in frame.itertuples()}
    assert {k: row[k] for k in verdicts} == verdicts
    assert len(verdicts) == len(whole_context.claims.claims)
    lacking = frame[frame["reason"].fillna("").str.contains("missing", case=False)]
    assert lacking.empty, lacking[["claim_id", "reason"]].to_string()
    # the simulators plant all four archetypes among 13 interviews and exactly 70 included articles
    assert row["claim_study1.four_strategies"] in ("supported", "not supported")
    assert row["claim_slr.review_corpus"] == "supported"


def test_a_stage_that_stops_leaves_its_claims_inconclusive(whole_context, tmp_path):
    """With an inclusion cut no truth-table row can pass, the fsQCA study stops (no sufficient
    configuration) as the study's rule would: the replicate records it, the joint display that reads
    its tables stops too, the other stages still run, and the fsQCA claims are inconclusive, not
    "not supported"."""
    from nero.claims import evaluate_claims
    from nero.design.chain import simulate_clean_survey
    from nero.design.replicate import whole_study_tables
    from nero.design.settings import replicate_seeds
    from nero.survey.cleaning import CleaningSettings

    config = {
        **whole_context.config,
        "fsqca": {**whole_context.config["fsqca"], "incl_cut": 1.0, "incl_cut_contradiction": None},
    }
    ctx = StudyContext(
        config,
        whole_context.design,
        whole_context.sim_codebook,
        whole_context.codebook,
        whole_context.claims,
    )
    scenario = ctx.design.scenario("planted_n218")
    seed = replicate_seeds(CONFIG["seed"], scenario.name, 0)[0]
    survey = simulate_clean_survey(
        seed,
        218,
        scenario.parameters(),
        ctx.sim_codebook,
        ctx.codebook,
        CleaningSettings.from_config(dict(CONFIG["survey"])),
        tmp_path / "survey",
    )
    tables, stopped = whole_study_tables(ctx, survey.clean, seed, 1, tmp_path / "study")
    assert [s.split(":")[0] for s in stopped] == ["fsqca", "integration"]
    assert "FsqcaError" in stopped[0] or "MinimizationError" in stopped[0]
    assert str(tmp_path) not in " ".join(stopped) and "<replicate folder>" in stopped[1]  # no machine path
    assert "sem/cfa_fit.csv" in tables and "study1/typology.csv" in tables and "slr/prisma.json" in tables
    assert "fsqca/solutions.csv" not in tables
    frame = evaluate_claims(ctx.claims, tables).to_frame().set_index("claim_id")
    for claim in ("study2.equifinality", "study2.orchestration", "integration.archetypes_matched"):
        assert frame.loc[claim, "verdict"] == "inconclusive", claim


def test_survey_only_setting_keeps_the_short_chain(whole_context):
    config = {**CONFIG, "design": {**CONFIG["design"], "whole_study": False}}
    ctx = StudyContext.from_config(config, str(REPO / "config" / "codebook.yaml"), whole_context.claims)
    assert not ctx.whole_study


@pytest.mark.parametrize(
    "change, message",
    [
        ({"whole_study": "yes"}, "design.whole_study"),
        ({"interviews": 3}, "design.interviews"),
        ({"interviews": True}, "design.interviews"),
    ],
)
def test_bad_whole_study_settings_name_the_key(change, message):
    with pytest.raises(DesignError, match=message):
        DesignSettings.from_config({**CONFIG["design"], **change})


def test_interviews_edge_is_four():
    assert DesignSettings.from_config({**CONFIG["design"], "interviews": 4}).interviews == 4
    assert DesignSettings.from_config(dict(CONFIG["design"])).interviews == 13


# --------------------------------------------------------------------------- per-claim rates


def test_claim_rates_are_shares_with_binomial_mcse():
    verdicts = ["supported"] * 3 + ["not supported"] * 1 + ["inconclusive"] * 4
    reps = pd.DataFrame(
        {
            "scenario": ["a"] * 8 + ["b"] * 2,
            "process": ["planted"] * 8 + ["null"] * 2,
            "n_target": [218] * 10,
            "effect_scale": [1.0] * 8 + [0.0] * 2,
            "claim_x": verdicts + ["supported", "supported"],
        }
    )
    out = claim_rates(reps).set_index("scenario")
    assert out.loc["a", "replications"] == 8
    assert out.loc["a", "supported"] == pytest.approx(3 / 8)
    assert out.loc["a", "supported_mcse"] == pytest.approx(math.sqrt(3 / 8 * 5 / 8 / 8))
    assert out.loc["a", "not_supported"] == pytest.approx(1 / 8)
    assert out.loc["a", "inconclusive"] == pytest.approx(0.5)
    # one side of the range: every replicate supported -> share 1, MCSE 0
    assert out.loc["b", "supported"] == 1.0 and out.loc["b", "supported_mcse"] == 0.0
    assert out.loc["b", "inconclusive"] == 0.0


def test_claim_rates_refuse_unknown_verdicts_and_handle_no_rows():
    reps = pd.DataFrame(
        {"scenario": ["a"], "process": ["planted"], "n_target": [218], "effect_scale": [1.0], "claim_x": ["maybe"]}
    )
    with pytest.raises(ValueError, match="claim_x.*maybe"):
        claim_rates(reps)
    empty = claim_rates(reps.iloc[0:0])
    assert empty.empty and "supported_mcse" in empty.columns


# --------------------------------------------------------------------------- shipped reference


def _mini_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    for rel in ("src/nero/design/settings.py", "config/claims.yaml"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, repo / rel)
    return repo


def _design_dir(tmp_path: Path) -> Path:
    design = tmp_path / "design"
    design.mkdir()
    for name in ("rates.csv", "claim_rates.csv", "design_table.csv", "truth.csv"):
        (design / name).write_text("a,b\n1,2\n")
    (design / "summary.json").write_text("{}\n")
    return design


def test_reference_is_current_then_stale_when_code_or_config_change(tmp_path):
    repo = _mini_repo(tmp_path)
    assert [name for name, _ in source_files(repo, repo)] == ["config/claims.yaml", "src/nero/design/settings.py"]
    ref = repo / "design-reference"
    assert reference_status(ref, repo, CONFIG, repo).stale  # nothing shipped yet
    assert "none shipped" in reference_status(ref, repo, CONFIG, repo).summary()
    write_reference(_design_dir(tmp_path), ref, fingerprint(repo, CONFIG, code=repo), "abc123", CONFIG["design"])
    status = reference_status(ref, repo, CONFIG, repo)
    assert not status.stale and "up to date" in status.summary() and "abc123" in status.summary()
    # a change of a design-relevant config section
    changed = {**CONFIG, "fsqca": {**CONFIG["fsqca"], "incl_cut": 0.81}}
    assert reference_status(ref, repo, changed, repo).changed == ["config"]
    # a config section the design does not read leaves it current
    assert not reference_status(ref, repo, {**CONFIG, "report": {"x": 1}}, repo).stale
    # a code change (one byte)
    path = repo / "src/nero/design/settings.py"
    path.write_bytes(path.read_bytes() + b"\n")
    status = reference_status(ref, repo, CONFIG, repo)
    assert status.changed == ["source"] and "STALE" in status.summary()
    frame = status.to_frame().set_index("part")
    assert bool(frame.loc["source", "changed"]) and not bool(frame.loc["config", "changed"])


def test_reference_of_a_smaller_run_is_current_until_its_own_scenarios_change(tmp_path):
    """A run with fewer replicates and some scenarios (make design with a command-line design) is
    current for the config file as long as its scenarios' definitions and the estimating settings
    (n_boot, alpha, ...) are unchanged."""
    repo = _mini_repo(tmp_path)
    run = {
        **CONFIG["design"],
        "replications": 5,
        "batch_size": 5,
        "scenarios": {k: v for k, v in CONFIG["design"]["scenarios"].items() if k in ("planted_n218", "null_n218")},
    }
    ref = repo / "design-reference"
    write_reference(_design_dir(tmp_path), ref, fingerprint(repo, {**CONFIG, "design": run}, code=repo), "c", run)
    assert json.loads((ref / "provenance.json").read_text())["scenarios"] == ["null_n218", "planted_n218"]
    assert not reference_status(ref, repo, CONFIG, repo).stale
    other = {
        **CONFIG["design"],
        "scenarios": {**CONFIG["design"]["scenarios"], "weak_n218": {"process": "weak", "n": 218, "effect_scale": 0.3}},
    }
    assert not reference_status(ref, repo, {**CONFIG, "design": other}, repo).stale  # not a shipped scenario
    moved = {
        **CONFIG["design"],
        "scenarios": {**CONFIG["design"]["scenarios"], "null_n218": {"process": "null", "n": 250}},
    }
    assert reference_status(ref, repo, {**CONFIG, "design": moved}, repo).changed == ["config"]
    fewer_draws = {**CONFIG["design"], "n_boot": CONFIG["design"]["n_boot"] + 1}
    assert reference_status(ref, repo, {**CONFIG, "design": fewer_draws}, repo).changed == ["config"]


def test_project_status_reads_the_projects_own_config(tmp_path):
    from nero.design.shipped import main as shipped_main
    from nero.design.shipped import project_status

    repo = _mini_repo(tmp_path)
    (repo / "config" / "config.yaml").write_text((REPO / "config" / "config.yaml").read_text())
    assert "none shipped" in project_status(repo).summary()
    assert shipped_main(["status", "--repo", str(repo)]) == 1
    # write needs the run's summary.json with the design section as run
    design = _design_dir(tmp_path)
    with pytest.raises(ReferenceError, match="design_config"):
        shipped_main(["write", "--repo", str(repo), "--design", str(design)])
    (design / "summary.json").write_text(json.dumps({"design_config": CONFIG["design"]}))
    assert shipped_main(["write", "--repo", str(repo), "--design", str(design)]) == 0
    record = json.loads((repo / "design-reference" / "provenance.json").read_text())
    assert record["commit"] and record["replications"] == CONFIG["design"]["replications"]
    status = project_status(repo)
    assert not status.stale, status.summary()
    assert shipped_main(["status", "--repo", str(repo)]) == 0


def test_modules_after_the_run_do_not_change_the_source_hash(tmp_path):
    from nero.design.shipped import source_sha256

    repo = _mini_repo(tmp_path)
    target = repo / "src/nero/design/shipped.py"
    shutil.copyfile(REPO / "src/nero/design/shipped.py", target)
    before = source_sha256(repo, repo)
    target.write_text(target.read_text() + "\n# a comment\n")
    assert source_sha256(repo, repo) == before
    (repo / "src/nero/design/replicate.py").write_text("# the replicate\n")
    assert source_sha256(repo, repo) != before


def test_reference_errors_name_the_file(tmp_path):
    design = _design_dir(tmp_path)
    (design / "claim_rates.csv").unlink()
    with pytest.raises(ReferenceError, match="claim_rates.csv"):
        write_reference(design, tmp_path / "ref", {"config_sha256": "x", "source_sha256": "y"}, "c", {})
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "provenance.json").write_text("{not json")
    with pytest.raises(ReferenceError, match="provenance.json"):
        reference_status(bad, tmp_path, CONFIG)
    (bad / "provenance.json").write_text('{"config_sha256": "a", "source_sha256": "b"}')  # no scenarios
    with pytest.raises(ReferenceError, match="string fields"):
        reference_status(bad, tmp_path, CONFIG)


def test_config_hash_is_order_free_and_reads_design_sections_only():
    reordered = dict(reversed(list(CONFIG.items())))
    assert config_sha256(reordered) == config_sha256(CONFIG)
    assert config_sha256({**CONFIG, "seed": CONFIG["seed"] + 1}) != config_sha256(CONFIG)


# --------------------------------------------------------------------------- progress of make design


@pytest.mark.parametrize(
    "seconds, text",
    [(0, "0 s"), (59.4, "59 s"), (60, "1 min 0 s"), (3599, "59 min 59 s"), (3600, "1 h 0 min"), (-3, "0 s")],
)
def test_duration_edges(seconds, text):
    assert duration(seconds) == text


def test_progress_estimates_the_time_left_from_finished_jobs():
    clock = iter([0.0, 100.0, 250.0, 400.0])
    lines = [
        "Building DAG of jobs...\n",
        "1 of 4 steps (25%) done\n",
        "noise\n",
        "3 of 4 steps (75%) done\n",
        "4 of 4 steps (100%) done\n",
    ]
    out = io.StringIO()
    progress = follow(lines, out, clock=lambda: next(clock))
    text = out.getvalue().splitlines()
    # 1 job in 100 s -> 3 left take about 300 s; 3 jobs in 250 s -> 1 left takes about 83 s
    assert "design: 1 of 4 jobs done (25%), 1 min 40 s elapsed, about 5 min 0 s left" in text
    assert "design: 3 of 4 jobs done (75%), 4 min 10 s elapsed, about 1 min 23 s left" in text
    assert text[-1] == "design: 4 of 4 jobs done (100%), 6 min 40 s elapsed, done"
    assert (progress.done, progress.total) == (4, 4)
    assert Progress(0.0).line(5.0).endswith("estimating the time left")


def test_progress_counts_batch_jobs_when_the_job_table_has_them():
    clock = iter([0.0, 10.0, 300.0, 620.0, 700.0])
    lines = [
        "Job stats:\n",
        "job                      count\n",
        "simulate_design_batch        4\n",
        "compute_design_truth         1\n",
        "total                        6\n",
        "Finished jobid: 3 (Rule: compute_design_truth)\n",
        "1 of 6 steps (17%) done\n",
        "Finished jobid: 1 (Rule: simulate_design_batch)\n",
        "2 of 6 steps (33%) done\n",
        "Finished jobid: 2 (Rule: simulate_design_batch)\n",
        "3 of 6 steps (50%) done\n",
        "simulate_design_batch        4\n",
        "6 of 6 steps (100%) done\n",
    ]
    out = io.StringIO()
    follow(lines, out, clock=lambda: next(clock))
    text = out.getvalue().splitlines()
    progress_lines = [t for t in text if t.startswith("design:")]
    # the truth job alone says nothing about the batches; then 300 s per batch -> 3 left: 15 min
    assert progress_lines[0].endswith("batches 0 of 4, 10 s elapsed, estimating the time left")
    assert progress_lines[1].endswith("batches 1 of 4, 5 min 0 s elapsed, about 15 min 0 s left")
    assert progress_lines[2].endswith("batches 2 of 4, 10 min 20 s elapsed, about 10 min 20 s left")
    assert progress_lines[3].endswith("done")


def test_progress_passes_the_exit_status_through(capsys):
    code = progress_main(["--", sys.executable, "-c", "import sys; print('2 of 5 steps (40%) done'); sys.exit(3)"])
    assert code == 3
    assert "design: 2 of 5 jobs done (40%)" in capsys.readouterr().out
    assert progress_main([]) == 2
