"""Writing the synthetic study's files: ``raw/`` (exports, interviews, README, manifest) and ``truth/``.

Each ``write_*`` function writes one group of files below a folder it is given (the
temporary folder of :func:`nero.simulate.study.simulate_study`); :func:`move_into_place`
then replaces ``out_dir/raw`` and ``out_dir/truth`` by them. :func:`check_target`
refuses to replace folders that do not hold a generated study.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from nero.provenance.manifest import manifest_text
from nero.simulate.interviews import Interview
from nero.simulate.qdpx import QdaProject, write_qdpx
from nero.simulate.readme import render_readme
from nero.simulate.study_qda import coded_segments_csv
from nero.simulate.survey import WaveResult, write_qualtrics_csv
from nero.simulate.survey_instrument import export_file_name

#: Marker line that identifies a generated (synthetic) raw folder.
SYNTHETIC_MARKER = "SYNTHETIC STAND-IN DATA"


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def check_target(out_dir: Path) -> None:
    """Refuse ``out_dir/raw`` or ``out_dir/truth`` if it holds something that is not a generated study."""
    for sub in ("raw", "truth"):
        target = out_dir / sub
        if not target.exists() or not any(target.iterdir()):
            continue
        readme = out_dir / "raw" / "README.md"
        if not (readme.is_file() and SYNTHETIC_MARKER in readme.read_text(encoding="utf-8")):
            raise FileExistsError(
                f"{target} exists and does not hold a generated synthetic study; refusing to overwrite it"
            )


def write_survey_exports(results: list[WaveResult], raw: Path) -> dict[str, str]:
    """Each wave's Qualtrics export under ``raw/survey/<wave>/``; returns wave -> path below ``raw``."""
    files: dict[str, str] = {}
    for r in results:
        rel = f"survey/{r.wave}/{export_file_name(r.wave)}"
        write_qualtrics_csv(r, raw / rel)
        files[r.wave] = rel
    return files


def write_interview_files(interviews: list[Interview], project: QdaProject, raw: Path) -> None:
    """The transcripts, the REFI-QDA project and the coded-segments CSV under ``raw/interviews/``."""
    tdir = raw / "interviews" / "transcripts"
    tdir.mkdir(parents=True, exist_ok=True)
    for interview in interviews:
        (tdir / interview.file_name).write_bytes(interview.text.encode("utf-8"))
    write_qdpx(project, raw / "interviews" / "study1.qdpx")
    (raw / "interviews" / "coded_segments.csv").write_bytes(coded_segments_csv(project).encode("utf-8"))


def write_readme_and_manifest(truth_data: dict[str, Any], codebook: dict[str, Any], raw: Path) -> None:
    """``raw/README.md``, then ``raw/MANIFEST.sha256`` over every file written so far."""
    (raw / "README.md").write_bytes(render_readme(truth_data, codebook, SYNTHETIC_MARKER).encode("utf-8"))
    (raw / "MANIFEST.sha256").write_bytes(manifest_text(raw).encode("utf-8"))


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_truth_files(
    truth: Path,
    truth_data: dict[str, Any],
    slr_truth: dict | None,
    results: list[WaveResult],
    claims_truth: dict | None = None,
) -> None:
    """``truth/``: slr_truth.json (if any), truth.json, claims_truth.json (if any), planted_responses.csv
    and firms.csv."""
    truth.mkdir(parents=True, exist_ok=True)
    if slr_truth is not None:
        (truth / "slr_truth.json").write_bytes(_json_bytes(slr_truth))
    if claims_truth is not None:
        (truth / "claims_truth.json").write_bytes(_json_bytes(claims_truth))
    (truth / "truth.json").write_bytes(_json_bytes(truth_data))
    planted = [p for r in results for p in r.planted]
    (truth / "planted_responses.csv").write_bytes(
        _csv_text(
            ["wave", "ResponseId", "rule", "detail"],
            [[p["wave"], p["ResponseId"], p["rule"], p["detail"]] for p in planted],
        ).encode("utf-8")
    )
    firms = pd.concat([r.usable for r in results], ignore_index=True)
    firms = firms.sort_values(["wave", "ResponseId"]).reset_index(drop=True)
    (truth / "firms.csv").write_bytes(
        firms.to_csv(index=False, float_format="%.6f", lineterminator="\n").encode("utf-8")
    )


def move_into_place(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir/raw`` and ``out_dir/truth`` by ``tmp/raw`` and ``tmp/truth`` (old ones go to ``tmp``)."""
    for sub in ("raw", "truth"):
        target = out_dir / sub
        if target.exists():
            target.rename(tmp / f"old-{sub}")
        (tmp / sub).rename(target)


__all__ = [
    "SYNTHETIC_MARKER",
    "check_target",
    "manifest_text",
    "move_into_place",
    "write_interview_files",
    "write_readme_and_manifest",
    "write_survey_exports",
    "write_truth_files",
]
