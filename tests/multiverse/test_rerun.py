"""Each stage re-run at the shipped settings writes the shipped study's tables byte for byte.

The multiverse re-runs a stage with the library's own stage functions and writers; at the
study's own config a re-run must reproduce results-reference/ exactly, so that any difference
a specification makes is the specification's.
"""

import filecmp
from pathlib import Path

import pytest
import yaml

from nero.multiverse.rerun import STAGE_RUNNERS
from nero.testing import REPO

REFERENCE = REPO / "results-reference"
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


@pytest.mark.parametrize(
    "stage",
    [
        "fsqca",
        "fsqca_necessity",
        "sem_effects",
        "sem_measurement",
        "sem_nonresponse",
        "study1_typology",
        "review",
        "review_map",
    ],
)
def test_a_stage_at_the_shipped_settings_reproduces_the_reference_tables(stage, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)  # the config's paths (codebook, raw_dir) are relative to the project
    written = STAGE_RUNNERS[stage](CONFIG, REFERENCE, tmp_path, int(CONFIG["seed"]))
    compared = 0
    for path in written:
        rel = Path(path).relative_to(tmp_path)
        ref = REFERENCE / rel
        if ref.is_file() and rel.suffix == ".csv":
            assert filecmp.cmp(path, ref, shallow=False), f"{stage}: {rel} differs from results-reference"
            compared += 1
    assert compared >= 1, f"{stage}: no table compared"


def test_sem_effects_under_another_interval_reuses_the_bootstraps_and_reports_that_interval(tmp_path, monkeypatch):
    """boot_ci picks the columns the index and mediation-type tables report: the fits and bootstraps
    are computed once for percentile, BC and BCa alike, and each table shows its interval's limits."""
    import pandas as pd

    import nero.sem.ambidexterity as amb
    from nero.multiverse import rerun
    from nero.multiverse.grid import apply_settings

    monkeypatch.setattr(rerun, "_SEM_EFFECT_FITS", {})
    calls = []
    real = amb.mediation_type_fits
    monkeypatch.setattr(amb, "mediation_type_fits", lambda *a, **k: calls.append(1) or real(*a, **k))
    out = {}
    for ci in ("percentile", "bias-corrected", "bca"):
        folder = tmp_path / ci
        STAGE_RUNNERS["sem_effects"](
            apply_settings(CONFIG, {"sem.boot_ci": ci}), REFERENCE, folder, int(CONFIG["seed"])
        )
        out[ci] = {t: pd.read_csv(folder / "sem" / f"{t}.csv") for t in ("ambidexterity_index", "mediation_type")}
    assert calls == [1]  # one set of bootstraps for the three intervals
    ind = pd.read_csv(tmp_path / "bca" / "sem" / "indirect_effects.csv").iloc[0]
    for ci, prefix in (("percentile", "pct"), ("bias-corrected", "bc"), ("bca", "bca")):
        mt = out[ci]["mediation_type"]
        assert (mt["ci_method"] == ci).all()
        amb_row = mt[mt["x"] == "AMB"].iloc[0]
        assert (
            amb_row["indirect_ci_low"] == ind[f"{prefix}_lower"]
            and amb_row["indirect_ci_high"] == ind[f"{prefix}_upper"]
        )
    lows = {ci: out[ci]["ambidexterity_index"]["ci_low"].iloc[0] for ci in out}
    assert len(set(lows.values())) == 3  # three different limits of the index of moderated mediation
