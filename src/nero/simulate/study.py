"""Generate the whole synthetic stand-in study: ``DIR/raw/`` and ``DIR/truth/``.

``simulate_study(seed, n_firms, out_dir)`` writes, in the layout of
``docs/architecture.md``::

    raw/survey/<wave>/<Qualtrics export>.csv
    raw/interviews/study1.qdpx
    raw/interviews/transcripts/*.txt
    raw/interviews/coded_segments.csv
    raw/README.md
    raw/MANIFEST.sha256
    truth/truth.json
    truth/claims_truth.json
    truth/planted_responses.csv
    truth/firms.csv

Everything is written to a temporary directory inside ``out_dir`` first and moved
into place at the end, so a failure leaves the previous study untouched.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nero.provenance.manifest import manifest_text
from nero.simulate.checks import construct_means, dgp_checks, recode_reverse
from nero.simulate.codebook import item_column, likert_items, load_codebook
from nero.simulate.dgp_parameters import DGPParameters
from nero.simulate.interviews import Interview, simulate_interviews
from nero.simulate.slr import simulate_slr
from nero.simulate.study_files import (
    SYNTHETIC_MARKER,
    check_target,
    move_into_place,
    write_interview_files,
    write_readme_and_manifest,
    write_survey_exports,
    write_truth_files,
)
from nero.simulate.study_qda import CODE_COLORS, build_qda_project, coded_segments_csv
from nero.simulate.study_truth import CLEANING_THRESHOLDS, build_truth
from nero.simulate.survey import WaveResult, simulate_survey_wave, write_qualtrics_csv
from nero.simulate.survey_instrument import export_file_name
from nero.simulate.truth_map import claims_truth


@dataclass
class StudyPaths:
    """Where :func:`simulate_study` wrote each file (absolute paths)."""

    root: Path
    raw: Path
    truth: Path
    survey: dict[str, Path] = field(default_factory=dict)
    qdpx: Path | None = None
    transcripts: list[Path] = field(default_factory=list)
    coded_segments: Path | None = None
    readme: Path | None = None
    manifest: Path | None = None
    truth_json: Path | None = None
    planted_responses: Path | None = None
    firms: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly view."""
        return {
            "root": str(self.root),
            "raw": str(self.raw),
            "truth": str(self.truth),
            "survey": {k: str(v) for k, v in self.survey.items()},
            "qdpx": str(self.qdpx),
            "transcripts": [str(p) for p in self.transcripts],
            "coded_segments": str(self.coded_segments),
            "readme": str(self.readme),
            "manifest": str(self.manifest),
            "truth_json": str(self.truth_json),
            "planted_responses": str(self.planted_responses),
            "firms": str(self.firms),
        }


def split_firms(n_firms: int, waves: tuple[str, ...]) -> dict[str, int]:
    """Usable firms per wave: the first wave is 20 % larger than each later one."""
    weights = np.array([1.2] + [1.0] * (len(waves) - 1))
    raw = n_firms * weights / weights.sum()
    counts = np.floor(raw).astype(int)
    for j in np.argsort(-(raw - counts), kind="stable")[: n_firms - counts.sum()]:
        counts[j] += 1
    return dict(zip(waves, (int(c) for c in counts)))


def simulate_waves(
    seed: int,
    n_firms: int,
    codebook: dict[str, Any],
    waves: tuple[str, ...] = ("wave-1", "wave-2"),
    params: DGPParameters | None = None,
) -> list[WaveResult]:
    """Simulate every wave (later waves may re-submit firms of earlier ones)."""
    params = params or DGPParameters()
    ids: set[str] = set()
    codes: set[str] = set()
    results: list[WaveResult] = []
    for wave, n in split_firms(n_firms, waves).items():
        earlier = pd.concat([r.usable for r in results], ignore_index=True) if results else None
        results.append(simulate_survey_wave(seed, wave, n, codebook, params, earlier, ids, codes))
    return results


def usable_construct_scores(results: list[WaveResult], codebook: dict[str, Any]) -> pd.DataFrame:
    """Construct means of the usable responses, computed from the export rows as written."""
    records = []
    for result in results:
        keep = set(result.usable["ResponseId"])
        for row in result.rows:
            if row["ResponseId"] in keep:
                rec = {}
                for item in likert_items(codebook):
                    value = row[item_column(codebook, item, result.wave)]
                    rec[item] = float(value) if value.strip() else np.nan
                records.append(rec)
    items = recode_reverse(pd.DataFrame(records), codebook)
    return construct_means(items, codebook)


def simulate_study(
    seed: int,
    n_firms: int,
    out_dir: str | Path,
    n_interviews: int = 13,
    waves: tuple[str, ...] = ("wave-1", "wave-2"),
    codebook_path: str | Path | None = None,
    params: DGPParameters | None = None,
    scenario: dict[str, Any] | None = None,
    slr: bool = True,
) -> StudyPaths:
    """Generate the synthetic study under ``out_dir`` (``raw/`` and ``truth/``).

    Parameters
    ----------
    seed
        Study seed (same seed, same bytes).
    n_firms
        Usable firms after the documented cleaning rules, over all waves.
    out_dir
        Parent directory; ``out_dir/raw`` and ``out_dir/truth`` are replaced.
    n_interviews
        Number of Study 1 interviews (13 in the study; at least 4).
    waves
        Wave folder names; a wave absent from the codebook's ``wave_ids`` uses the
        default item ids.
    codebook_path
        Instrument codebook; defaults to ``config/codebook.yaml``.
    params
        DGP parameters; defaults to :class:`~nero.simulate.dgp.DGPParameters`.
    scenario
        What a non-shipped process plants (:func:`nero.simulate.scenarios.scenario_truth`,
        with ``params`` from :func:`~nero.simulate.scenarios.scenario_parameters`); written
        to ``truth.json`` (``scenario``, ``recipes``, ``necessary``). ``None`` for the
        shipped process.
    slr
        Also write the literature review (``raw/slr/``, ``truth/slr_truth.json``;
        :mod:`nero.simulate.slr`); its records depend on ``seed`` only.

    Returns
    -------
    StudyPaths

    Raises
    ------
    FileExistsError
        If ``out_dir/raw`` or ``out_dir/truth`` holds something that is not a
        previously generated synthetic study.
    ValueError
        If ``n_firms`` is too small or a wave name repeats.
    """
    _check_arguments(n_firms, waves)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    check_target(out_dir)
    codebook = load_codebook(codebook_path)
    params = params or DGPParameters()
    results = simulate_waves(seed, n_firms, codebook, tuple(waves), params)
    _check_unique_response_ids(results)
    checks = dgp_checks(usable_construct_scores(results, codebook), recipes=params.recipes)
    interviews = simulate_interviews(seed, n_interviews, params.interview_archetypes)
    project = build_qda_project(seed, interviews)

    tmp = Path(tempfile.mkdtemp(prefix=".simulate-", dir=out_dir))
    try:
        raw, truth = tmp / "raw", tmp / "truth"
        files = write_survey_exports(results, raw)
        write_interview_files(interviews, project, raw)
        slr_truth = simulate_slr(seed, raw, params.slr_review) if slr else None
        truth_data = build_truth(seed, n_firms, codebook, params, results, files, interviews, checks, scenario)
        write_readme_and_manifest(truth_data, codebook, raw)
        label = scenario or {}
        claims = claims_truth(
            label.get("scenario", "planted"),
            params=params,
            n_firms=n_firms,
            effect_scale=label.get("effect_scale"),
            overrides=label.get("overrides"),
        )
        write_truth_files(truth, truth_data, slr_truth, results, claims)
        move_into_place(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _study_paths(out_dir, files, interviews)


def _check_arguments(n_firms: int, waves: tuple[str, ...]) -> None:
    if n_firms < 10 * len(waves):
        raise ValueError(f"n_firms must be at least {10 * len(waves)} for {len(waves)} waves")
    if len(set(waves)) != len(waves):
        raise ValueError("wave names must be unique")


def _check_unique_response_ids(results: list[WaveResult]) -> None:
    all_ids = [row["ResponseId"] for r in results for row in r.rows]
    if len(all_ids) != len(set(all_ids)):
        raise RuntimeError("duplicate ResponseId across waves")


def _study_paths(out_dir: Path, files: dict[str, str], interviews: list[Interview]) -> StudyPaths:
    """Where the study's files are once moved into ``out_dir``."""
    raw, truth = out_dir / "raw", out_dir / "truth"
    return StudyPaths(
        root=out_dir,
        raw=raw,
        truth=truth,
        survey={w: raw / rel for w, rel in files.items()},
        qdpx=raw / "interviews" / "study1.qdpx",
        transcripts=[raw / "interviews" / "transcripts" / i.file_name for i in interviews],
        coded_segments=raw / "interviews" / "coded_segments.csv",
        readme=raw / "README.md",
        manifest=raw / "MANIFEST.sha256",
        truth_json=truth / "truth.json",
        planted_responses=truth / "planted_responses.csv",
        firms=truth / "firms.csv",
    )


def write_wave(
    seed: int,
    wave: str,
    n_usable: int,
    out_dir: str | Path,
    codebook_path: str | Path | None = None,
    params: DGPParameters | None = None,
) -> tuple[Path, WaveResult]:
    """Write one extra wave's export into ``out_dir/<wave>/`` (e.g. a third wave for a test).

    The wave uses the codebook's default item ids unless the codebook lists
    ``wave_ids`` for it; its random stream depends only on ``seed`` and ``wave``.
    Its duplicates are within-wave only.

    Returns
    -------
    tuple
        The CSV path and the simulated :class:`WaveResult` (with its planted truth).
    """
    codebook = load_codebook(codebook_path)
    result = simulate_survey_wave(seed, wave, n_usable, codebook, params or DGPParameters())
    path = write_qualtrics_csv(result, Path(out_dir) / wave / export_file_name(wave))
    return path, result


__all__ = [
    "CLEANING_THRESHOLDS",
    "CODE_COLORS",
    "SYNTHETIC_MARKER",
    "StudyPaths",
    "build_qda_project",
    "build_truth",
    "coded_segments_csv",
    "manifest_text",
    "simulate_study",
    "simulate_waves",
    "split_firms",
    "usable_construct_scores",
    "write_wave",
]
