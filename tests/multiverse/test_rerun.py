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
