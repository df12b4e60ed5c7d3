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
    truth/planted_responses.csv
    truth/firms.csv

Everything is written to a temporary directory inside ``out_dir`` first and moved
into place at the end, so a failure leaves the previous study untouched.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nero import __version__
from nero.simulate import text_banks as tb
from nero.simulate.checks import construct_means, dgp_checks, recode_reverse
from nero.simulate.codebook import item_column, likert_items, load_codebook
from nero.simulate.dgp import RECIPES, DGPParameters, item_loadings
from nero.simulate.interviews import Interview, case_variables, interview_truth, simulate_interviews
from nero.simulate.qdpx import QdaCase, QdaProject, QdaSelection, QdaSource, new_guid, utf16_offset, utf16_slice, write_qdpx
from nero.simulate.readme import render_readme
from nero.simulate.slr import simulate_slr
from nero.simulate.survey import (
    CLEANING_RULES,
    WaveResult,
    export_file_name,
    simulate_survey_wave,
    wave_window,
    write_qualtrics_csv,
)

#: Marker line that identifies a generated (synthetic) raw folder.
SYNTHETIC_MARKER = "SYNTHETIC STAND-IN DATA"

#: Thresholds the cleaning stage applies by default (the planted problems are designed around them).
CLEANING_THRESHOLDS = {"speeder_share": 0.4, "straightline_run": 15, "straightline_sd": 0.25}

CODE_COLORS = {
    "Networks": "#1F77B4",
    "Orientation": "#FF7F0E",
    "Capacity": "#2CA02C",
    "Scale-out": "#D62728",
    "Barriers": "#7F7F7F",
    "Enablers": "#9467BD",
}


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


def build_qda_project(seed: int, interviews: list[Interview]) -> QdaProject:
    """REFI-QDA project of the interviews (NVivo-style), GUIDs drawn from ``(seed, 9001)``."""
    rng = np.random.default_rng([int(seed), 9001])
    users = {"coder-a": new_guid(rng), "coder-b": new_guid(rng)}
    codes: dict[str, str] = {}
    for path in tb.CODE_PATHS:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix not in codes:
                codes[prefix] = new_guid(rng)
    variables = {
        "sector": (new_guid(rng), "Text"),
        "size_band": (new_guid(rng), "Text"),
        "founding_year": (new_guid(rng), "Integer"),
        "foreign_sales_share": (new_guid(rng), "Float"),
        "interview_date": (new_guid(rng), "Date"),
    }
    vrng = np.random.default_rng([int(seed), 9002])  # own stream: the GUIDs drawn above stay as they were
    variables.update({"respondent_role": (new_guid(vrng), "Text"), "interview_mode": (new_guid(vrng), "Text")})
    sources, cases = [], []
    for j, interview in enumerate(interviews):
        source = QdaSource(
            guid=new_guid(rng),
            name=interview.document,
            text=interview.text,
            created=f"{interview.interview_date}T18:00:00Z",
        )
        for coder, month in (("coder-a", "2024-12"), ("coder-b", "2025-01")):
            for k, seg in enumerate(interview.codings.get(coder, [])):
                day = 2 + (j * 2) % 26
                created = f"{month}-{day:02d}T{9 + k // 12:02d}:{(k * 5) % 60:02d}:00Z"
                source.selections.append(
                    QdaSelection(
                        guid=new_guid(rng),
                        start=utf16_offset(interview.text, seg.start),
                        end=utf16_offset(interview.text, seg.end),
                        user=coder,
                        codes=list(seg.codes),
                        coding_guids=[new_guid(rng) for _ in seg.codes],
                        created=created,
                    )
                )
        sources.append(source)
        cases.append(
            QdaCase(
                guid=new_guid(rng),
                name=interview.case_name,
                values={**case_variables(interview), "foreign_sales_share": f"{interview.foreign_sales_share:.2f}"},
                source_guid=source.guid,
                description=f"Pseudonymised case; respondent {interview.respondent} ({interview.role}).",
            )
        )
    return QdaProject(
        name="Network Ambidexterity Study 1 (synthetic)",
        origin="NVivo 14",
        created="2024-12-01T09:00:00Z",
        users=users,
        codes=codes,
        code_colors={k: v for k, v in CODE_COLORS.items() if k in codes},
        variables=variables,
        sources=sources,
        cases=cases,
        code_descriptions={path: tb.code_description(path) for path in codes},
    )


def coded_segments_csv(project: QdaProject) -> str:
    """The project's codings as a coded-segments CSV (document, coder, code_path, start, end, text)."""
    rows = []
    for source in project.sources:
        for sel in source.selections:
            text = utf16_slice(source.text, sel.start, sel.end)
            for code in sel.codes:
                rows.append((source.name, sel.user, code, sel.start, sel.end, text))
    rows.sort(key=lambda r: (r[0], r[1], r[3], r[4], r[2]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["document", "coder", "code_path", "start", "end", "text"])
    writer.writerows(rows)
    return buffer.getvalue()


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def manifest_text(raw_dir: Path) -> str:
    """``sha256sum``-format manifest of every file under ``raw_dir`` except the manifest."""
    lines = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(raw_dir).as_posix()
        if rel == "MANIFEST.sha256":
            continue
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}")
    lines.sort(key=lambda line: line.split("  ", 1)[1])
    return "\n".join(lines) + "\n"


def _round_floats(value: Any, digits: int = 6) -> Any:
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _round_floats(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round_floats(v, digits) for v in value]
    return value


def build_truth(
    seed: int,
    n_firms: int,
    codebook: dict[str, Any],
    params: DGPParameters,
    results: list[WaveResult],
    files: dict[str, str],
    interviews: list[Interview],
    checks: dict[str, Any],
    scenario: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble ``truth.json`` (with a ``scenario`` entry when ``scenario`` is given)."""
    loadings = item_loadings(codebook, params)
    waves = [r.wave for r in results]
    items = {
        item: {
            "construct": spec["construct"],
            "loading": loadings[item],
            "reverse": bool(spec.get("reverse", False)),
            "column": {w: item_column(codebook, item, w) for w in waves},
        }
        for item, spec in codebook["items"].items()
    }
    survey = {}
    for r in results:
        start, days = wave_window(r.wave)
        counts = {rule: sum(1 for p in r.planted if p["rule"] == rule) for rule in CLEANING_RULES}
        survey[r.wave] = {
            "file": files[r.wave],
            "rows": len(r.rows),
            "usable": len(r.usable),
            "planted": counts,
            "fielded": [start.date().isoformat(), (start + pd.Timedelta(days=days)).date().isoformat()],
            "renamed_columns": {
                item: item_column(codebook, item, r.wave)
                for item, spec in codebook["items"].items()
                if item_column(codebook, item, r.wave) != spec["id"]
            },
            "value_fixes": r.value_fixes,
            "item_nonresponse": r.item_nonresponse,
        }
    truth = _round_floats(
        {
            "synthetic": True,
            "note": "Ground truth of the SYNTHETIC stand-in study; not an input of the pipeline.",
            "generator": {"module": "nero.simulate", "version": __version__},
            "seed": seed,
            "n_firms": n_firms,
            "waves": waves,
            "calibration_anchors": {"exclusion": 2.5, "crossover": 4.0, "inclusion": 5.5},
            "recipes": [{"name": name, "conditions": {c: 1 for c in conds}} for name, conds in RECIPES],
            "necessary": ["CAP"],
            "expected_effects": {
                "indirect_ambidexterity_via_CAP_on_SCO": "positive",
                "moderation_CAPxMKT_on_SCO": "positive",
                "marker": "unrelated to the constructs; shares only the common-method factor (loading method_loading on every item)",
                "early_vs_late_respondents": "no difference by design (response time independent of the latents)",
                "measurement_invariance_across_waves": "scalar invariance holds by design (same loadings and intercepts in every wave)",
            },
            "dgp": params.to_dict(),
            "items": items,
            "cleaning_thresholds_assumed": CLEANING_THRESHOLDS,
            "survey": survey,
            "planted_responses_total": sum(len(r.planted) for r in results),
            "usable_total": sum(len(r.usable) for r in results),
            "dgp_checks": checks,
            "interviews": [interview_truth(i) for i in interviews],
            "interview_coders": {
                "coder-a": "codes every interview; codings equal the planted segments",
                "coder-b": "double-codes a subset: about 70 % identical, 12 % shifted boundaries, 9 % neighbouring code, 9 % missed, plus 1-3 extra codings of uncoded sentences per interview",
            },
            "double_coded": [i.document for i in interviews if "coder-b" in i.codings],
            "pseudonyms": {
                "firms": [i.case_name for i in interviews],
                "respondents": {i.respondent: f"{i.role}, {i.firm}" for i in interviews},
                "third_parties": ["José (distributor, Mexico)", "Zoë (agency officer)", "Ms Nguyễn (partner, Vietnam)"],
                "survey_recipients": "RecipientFirstName/LastName/Email, IPAddress (203.0.113.0/24, 198.51.100.0/24), ExternalReference and locations are invented; e-mails use example.com",
            },
        }
    )
    if scenario is not None:
        # A non-shipped process (nero.simulate.scenarios): what it plants replaces the planted truth.
        truth["scenario"] = _round_floats(scenario)
        truth["recipes"] = [{"name": n, "conditions": {c: 1 for c in conds}} for n, conds in scenario["recipes"].items()]
        truth["necessary"] = list(scenario["necessary"])
    return truth


def _check_target(out_dir: Path) -> None:
    for sub in ("raw", "truth"):
        target = out_dir / sub
        if not target.exists() or not any(target.iterdir()):
            continue
        readme = out_dir / "raw" / "README.md"
        if not (readme.is_file() and SYNTHETIC_MARKER in readme.read_text(encoding="utf-8")):
            raise FileExistsError(
                f"{target} exists and does not hold a generated synthetic study; refusing to overwrite it"
            )


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
    if n_firms < 10 * len(waves):
        raise ValueError(f"n_firms must be at least {10 * len(waves)} for {len(waves)} waves")
    if len(set(waves)) != len(waves):
        raise ValueError("wave names must be unique")
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    _check_target(out_dir)
    codebook = load_codebook(codebook_path)
    params = params or DGPParameters()
    results = simulate_waves(seed, n_firms, codebook, tuple(waves), params)
    all_ids = [row["ResponseId"] for r in results for row in r.rows]
    if len(all_ids) != len(set(all_ids)):
        raise RuntimeError("duplicate ResponseId across waves")
    checks = dgp_checks(usable_construct_scores(results, codebook))
    interviews = simulate_interviews(seed, n_interviews)
    project = build_qda_project(seed, interviews)

    tmp = Path(tempfile.mkdtemp(prefix=".simulate-", dir=out_dir))
    try:
        raw, truth = tmp / "raw", tmp / "truth"
        files: dict[str, str] = {}
        for r in results:
            rel = f"survey/{r.wave}/{export_file_name(r.wave)}"
            write_qualtrics_csv(r, raw / rel)
            files[r.wave] = rel
        tdir = raw / "interviews" / "transcripts"
        tdir.mkdir(parents=True, exist_ok=True)
        for interview in interviews:
            (tdir / interview.file_name).write_bytes(interview.text.encode("utf-8"))
        write_qdpx(project, raw / "interviews" / "study1.qdpx")
        (raw / "interviews" / "coded_segments.csv").write_bytes(coded_segments_csv(project).encode("utf-8"))
        slr_truth = simulate_slr(seed, raw) if slr else None
        truth_data = build_truth(seed, n_firms, codebook, params, results, files, interviews, checks, scenario)
        (raw / "README.md").write_bytes(
            render_readme(truth_data, codebook, SYNTHETIC_MARKER).encode("utf-8")
        )
        (raw / "MANIFEST.sha256").write_bytes(manifest_text(raw).encode("utf-8"))
        truth.mkdir(parents=True, exist_ok=True)
        if slr_truth is not None:
            (truth / "slr_truth.json").write_bytes((json.dumps(slr_truth, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        (truth / "truth.json").write_bytes(
            (json.dumps(truth_data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        )
        planted = [p for r in results for p in r.planted]
        (truth / "planted_responses.csv").write_bytes(
            _csv_text(["wave", "ResponseId", "rule", "detail"], [[p["wave"], p["ResponseId"], p["rule"], p["detail"]] for p in planted]).encode("utf-8")
        )
        firms = pd.concat([r.usable for r in results], ignore_index=True)
        firms = firms.sort_values(["wave", "ResponseId"]).reset_index(drop=True)
        (truth / "firms.csv").write_bytes(firms.to_csv(index=False, float_format="%.6f", lineterminator="\n").encode("utf-8"))
        for sub in ("raw", "truth"):
            target = out_dir / sub
            backup = None
            if target.exists():
                backup = tmp / f"old-{sub}"
                target.rename(backup)
            (tmp / sub).rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

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
