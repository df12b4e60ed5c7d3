"""End to end through Snakemake: the survey outputs from data/raw, privacy, and a third wave
that drops in without code changes (only the survey jobs run again)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from nero.provenance import write_manifest
from nero.survey.pipeline import run_survey
from nero.survey.readers import read_export
from nero.testing import copy_workflow, run_snakemake

pytestmark = pytest.mark.slow
simulate = pytest.importorskip("nero.simulate")

SEED, N_FIRMS = 31, 80
VERIFIED = "results/provenance/raw_verified.json"
SURVEY_FILES = [
    "clean.csv",
    "exclusion_log.csv",
    "flow.csv",
    "flow.png",
    "flow.pdf",
    "missing_items.csv",
    "missing_cases.csv",
    "little_mcar.json",
    "descriptives_items.csv",
    "descriptives_constructs.csv",
    "value_fixes.csv",
    "outliers.csv",
    "harmonised.csv",
    "validation.csv",
]
TARGETS = [f"results/survey/{name}" for name in SURVEY_FILES]
SURVEY_RULES = {"import_survey_wave", "clean_survey", "report_survey", "plot_survey_flow"}
PRIVATE = [
    "IPAddress",
    "RecipientEmail",
    "RecipientFirstName",
    "RecipientLastName",
    "LocationLatitude",
    "LocationLongitude",
    "ExternalReference",
]


def _planned_jobs(work: Path, *targets: str) -> list[tuple[str, str | None]]:
    """(rule, wave or raw-part wildcard) of every job a dry run plans."""
    out = run_snakemake(work, "--dry-run", *targets).stdout
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", out):
        match = re.match(r"(?:local)?rule (\w+):", block)
        if match:
            wave = re.search(r"wildcards: (?:wave|part)=([^\s,]+)", block)
            jobs.append((match.group(1), wave.group(1) if wave else None))
    return jobs


def _add_wave_to_codebook(work: Path, wave: str, label: str) -> None:
    path = work / "config" / "codebook.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = '    label: "Wave 2 (fielded September-October 2025)"\n'
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + f'  {wave}:\n    label: "{label}"\n'), encoding="utf-8")


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    work = copy_workflow(tmp_path_factory.mktemp("survey-study"))
    paths = simulate.simulate_study(seed=SEED, n_firms=N_FIRMS, out_dir=work / "data")
    run_snakemake(work, VERIFIED, *TARGETS)
    return work, paths


def test_outputs_rebuilt_from_raw(study):
    work, paths = study
    for name in SURVEY_FILES:
        assert (work / "results" / "survey" / name).stat().st_size > 0, name
    clean = pd.read_csv(work / "results/survey/clean.csv")
    assert len(clean) == N_FIRMS
    log = pd.read_csv(work / "results/survey/exclusion_log.csv", dtype=str)
    planted = pd.read_csv(paths.truth / "planted_responses.csv", dtype=str)
    assert set(map(tuple, log[["wave", "ResponseId", "rule"]].to_numpy())) == set(
        map(tuple, planted[["wave", "ResponseId", "rule"]].to_numpy())
    )
    flow = pd.read_csv(work / "results/survey/flow.csv", keep_default_na=False)
    assert flow[flow["wave"] == "pooled"]["remaining"].iloc[-1] == N_FIRMS


def test_dag_and_cli_give_identical_bytes(study, tmp_path):
    work, _ = study
    out = tmp_path / "cli"
    run_survey(
        work / "data" / "raw" / "survey",
        work / "config" / "codebook.yaml",
        out,
        {
            "speeder_share": 0.4,
            "straightline_run": 15,
            "straightline_sd": 0.25,
            "mahalanobis_p": 0.001,
            "drop_mv_outliers": False,
        },
    )
    for name in [*SURVEY_FILES, "waves/wave-1.csv", "waves/wave-2.csv"]:
        assert (out / name).read_bytes() == (work / "results" / "survey" / name).read_bytes(), name


def test_no_private_value_reaches_results(study):
    work, _ = study
    values = set()
    for export in sorted((work / "data" / "raw" / "survey").rglob("*.csv")):
        data = read_export(export).data
        for column in PRIVATE:
            values |= {v.strip() for v in data[column] if v.strip()}
    assert len(values) > 50
    texts = {
        p: p.read_text(encoding="utf-8")
        for p in (work / "results" / "survey").rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json")
    }
    texts.update({p: p.read_text(encoding="utf-8") for p in (work / "results" / "logs" / "survey").rglob("*.log")})
    assert len(texts) >= 16
    for value in values:
        pattern = re.compile(r"(?<![\w.@-])" + re.escape(value) + r"(?![\w@-])")
        for path, text in texts.items():
            assert not pattern.search(text), f"{value!r} found in {path}"


def test_third_wave_drops_in_without_code_changes(study, tmp_path):
    base, _ = study
    work = tmp_path / "with-wave-3"
    shutil.copytree(base, work, symlinks=True)
    before = {w: (work / f"results/survey/waves/{w}.csv").stat().st_mtime_ns for w in ("wave-1", "wave-2")}

    # a wave folder that the codebook does not list stops the run, naming the wave and the YAML
    _, wave3 = simulate.write_wave(
        SEED, "wave-3", 20, work / "data" / "raw" / "survey", codebook_path=work / "config" / "codebook.yaml"
    )
    write_manifest(work / "data" / "raw")
    proc = run_snakemake(work, *TARGETS, check=False)
    assert proc.returncode != 0
    assert "survey wave 'wave-3'" in proc.stdout + proc.stderr
    assert "waves:\n  wave-3:\n    label:" in proc.stdout + proc.stderr

    _add_wave_to_codebook(work, "wave-3", "Wave 3 (fielded March-April 2026)")
    jobs = _planned_jobs(work, VERIFIED, *TARGETS)
    rules = {rule for rule, _ in jobs}
    assert rules == {"verify_raw", "verify_raw_part", *SURVEY_RULES}, jobs
    assert [w for rule, w in jobs if rule == "import_survey_wave"] == ["wave-3"]
    assert [w for rule, w in jobs if rule == "verify_raw_part"] == ["survey"]  # interviews untouched

    run_snakemake(work, VERIFIED, *TARGETS)
    after = {w: (work / f"results/survey/waves/{w}.csv").stat().st_mtime_ns for w in ("wave-1", "wave-2")}
    assert after == before, "the existing waves were imported again"
    clean = pd.read_csv(work / "results/survey/clean.csv")
    assert (clean["wave"] == "wave-3").sum() == 20
    assert len(clean) == N_FIRMS + 20
    log = pd.read_csv(work / "results/survey/exclusion_log.csv", dtype=str)
    assert set(map(tuple, log.loc[log["wave"] == "wave-3", ["ResponseId", "rule"]].to_numpy())) == {
        (p["ResponseId"], p["rule"]) for p in wave3.planted
    }
    flow = pd.read_csv(work / "results/survey/flow.csv", keep_default_na=False)
    assert flow[flow["wave"] == "pooled"]["remaining"].iloc[-1] == N_FIRMS + 20
    assert "Nothing to be done" in (lambda p: p.stdout + p.stderr)(run_snakemake(work, VERIFIED, *TARGETS))


def test_malformed_wave_fails_without_output(study, tmp_path):
    base, _ = study
    work = tmp_path / "malformed"
    shutil.copytree(base, work, symlinks=True)
    export = sorted((work / "data" / "raw" / "survey" / "wave-2").glob("*.csv"))[0]
    lines = export.read_bytes().decode("utf-8").split("\r\n")
    lines[5] = lines[5].replace(",0,", ",zero,", 1)  # Status of the third response
    export.write_bytes("\r\n".join(lines).encode("utf-8"))
    write_manifest(work / "data" / "raw")
    proc = run_snakemake(work, *TARGETS, check=False)
    assert proc.returncode != 0
    log = (work / "results/logs/survey/import_wave-2.log").read_text(encoding="utf-8")
    assert "row 6, column 'Status': value 'zero' (expected a whole number)" in log
    assert not (work / "results/survey/waves/wave-2.csv").exists()
