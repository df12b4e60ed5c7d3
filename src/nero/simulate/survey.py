"""Synthetic Qualtrics survey waves with planted data-quality problems.

A wave is simulated as ``n_usable`` clean responses drawn from the DGP
(:mod:`nero.simulate.dgp`) plus a realistic number of planted bad responses.
Every planted response carries exactly one problem, chosen so that the first
cleaning rule of ``docs/architecture.md`` that matches it is its planted rule:

==============  ============================================================
rule            how it is planted
==============  ============================================================
preview_spam    ``Status`` 1 / ``preview``, 8 (spam) / ``anonymous``, or
                2 / ``test``; answers otherwise plausible, no FirmCode
screening       screening answer 2 ("No"); the rest blank (skip logic),
                ``Finished`` 1, ``Progress`` 100
unfinished      ``Finished`` 0, ``Progress`` < 100, later blocks blank
duplicate       a FirmCode already kept submitted again later (within the
                wave, or across waves when an earlier wave is given)
attention       attention item answered other than expected
speeder         ``Duration`` 12-30 % of the wave's typical duration
straightliner   all 31 Likert answers 4, or a run of 18-24 answers of 4
out_of_range    one Likert answer 8 or 77, employees "fifty" or 350,
                founding year 2031, or foreign markets "many"
==============  ============================================================

Clean responses never trip a rule: ``Status`` 0, ``Finished`` 1, ``Progress``
100, screening 1, attention as expected, duration at least 0.7 x the wave's
nominal median, longest run of identical Likert answers at most 8 and
within-person SD above 0.5 (raw and reverse-recoded), every value in range. A
few clean responses carry harmless text-entry formatting in firm variables
(``value_fixes``) and a few carry one or two blank Likert answers (item
nonresponse, MCAR).

The wave is built in steps, each in its own function and drawing from the
wave's stream in this order: the firms and their clean answers, times and
roles (:mod:`nero.simulate.survey_draws`), one response per firm with its
planted problem, the duplicates, the returning unfinished firm, value fixes and
item nonresponse (:mod:`nero.simulate.survey_planting`). The instrument layout
and fielding calendar are in :mod:`nero.simulate.survey_instrument`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nero.simulate.dgp_parameters import DGPParameters
from nero.simulate.survey_draws import WaveFrame, assign_roles, draw_wave_firms, wave_frame
from nero.simulate.survey_instrument import (
    BASE_PLANT_COUNTS,
    CLEANING_RULES,
    MARKER_STEM,
    MATRIX_STEM,
    METADATA_COLUMNS,
    NOMINAL_MEDIAN_DURATION,
    REFERENCE_WAVE_SIZE,
    export_columns,
    export_file_name,
    plant_counts,
    wave_number,
    wave_stream_key,
    wave_window,
)
from nero.simulate.survey_planting import (
    build_rows,
    choose_clean_rows,
    plant_cross_wave_duplicate,
    plant_item_nonresponse,
    plant_returning_firm,
    plant_value_fixes,
    plant_within_wave_duplicates,
)

__all__ = [
    "BASE_PLANT_COUNTS",
    "CLEANING_RULES",
    "MARKER_STEM",
    "MATRIX_STEM",
    "METADATA_COLUMNS",
    "NOMINAL_MEDIAN_DURATION",
    "REFERENCE_WAVE_SIZE",
    "WaveResult",
    "export_columns",
    "export_file_name",
    "plant_counts",
    "qualtrics_csv_text",
    "simulate_survey_wave",
    "wave_number",
    "wave_stream_key",
    "wave_window",
    "write_qualtrics_csv",
]


@dataclass
class WaveResult:
    """One simulated wave.

    Attributes
    ----------
    wave
        Wave folder name.
    columns
        Export columns as (name, question text, ImportId dict).
    rows
        Raw string values per response, keyed by column name, sorted by RecordedDate.
    planted
        One dict per planted bad response: wave, ResponseId, rule, detail.
    value_fixes
        Harmless formatting planted in clean responses (not drops).
    item_nonresponse
        Blank Likert answers planted in clean responses.
    usable
        One row per usable firm: ResponseId, FirmCode, latent scores and type.
    """

    wave: str
    columns: list[tuple[str, str, dict[str, str]]]
    rows: list[dict[str, str]]
    planted: list[dict[str, str]] = field(default_factory=list)
    value_fixes: list[dict[str, str]] = field(default_factory=list)
    item_nonresponse: list[dict[str, str]] = field(default_factory=list)
    usable: pd.DataFrame = field(default_factory=pd.DataFrame)


def simulate_survey_wave(
    seed: int,
    wave: str,
    n_usable: int,
    codebook: dict[str, Any],
    params: DGPParameters | None = None,
    earlier_usable: pd.DataFrame | None = None,
    taken_response_ids: set[str] | None = None,
    taken_firm_codes: set[str] | None = None,
) -> WaveResult:
    """Simulate one wave's raw export rows and its ground truth.

    Parameters
    ----------
    seed
        Study seed; the wave draws from the stream ``(seed, crc32(wave))`` so a wave
        can be generated on its own and is the same inside a whole study.
    wave
        Wave folder name; column names follow the codebook (``wave_ids`` overrides,
        else the default ``id``).
    n_usable
        Usable responses left after cleaning.
    codebook
        Parsed instrument codebook.
    params
        DGP parameters.
    earlier_usable
        Usable firms of earlier waves (``usable`` of their :class:`WaveResult`);
        when given, one planted duplicate re-submits an earlier wave's firm.
    taken_response_ids, taken_firm_codes
        Identifiers already used by other waves (updated in place).

    Returns
    -------
    WaveResult
    """
    params = (params or DGPParameters()).for_wave(wave)
    rng = np.random.default_rng([int(seed), wave_stream_key(wave)])
    counts = plant_counts(n_usable)
    n_cross = 1 if (earlier_usable is not None and len(earlier_usable) and counts["duplicate"] >= 1) else 0
    # usable firms plus every planted response that is a separate firm
    separate = {rule: c for rule, c in counts.items() if rule != "duplicate"}
    firms = draw_wave_firms(rng, n_usable + sum(separate.values()), wave, codebook, params)
    frame = wave_frame(
        wave,
        codebook,
        params,
        rng,
        taken_response_ids if taken_response_ids is not None else set(),
        taken_firm_codes if taken_firm_codes is not None else set(),
        firms,
    )
    rows, planted, usable = build_rows(frame, assign_roles(rng, n_usable, separate))
    by_time = usable.sort_values(["RecordedDate", "ResponseId"]).reset_index(drop=True)
    duplicates, duplicate_records = plant_within_wave_duplicates(frame, by_time, counts["duplicate"] - n_cross)
    rows += duplicates
    planted += duplicate_records
    if n_cross:
        row, record = plant_cross_wave_duplicate(frame, earlier_usable)
        rows.append(row)
        planted.append(record)
    plant_returning_firm(frame, by_time, rows, planted)
    by_id = {r["ResponseId"]: r for r in rows}
    usable_rows = [by_id[rid] for rid in usable["ResponseId"].tolist()]
    fix_picks, missing_picks = choose_clean_rows(rng, len(usable_rows), n_usable)
    value_fixes = plant_value_fixes(frame, [usable_rows[int(p)] for p in fix_picks])
    nonresponse = plant_item_nonresponse(frame, [usable_rows[int(p)] for p in missing_picks])
    return _wave_result(frame, rows, planted, value_fixes, nonresponse, usable)


def _wave_result(
    frame: WaveFrame,
    rows: list[dict[str, str]],
    planted: list[dict[str, str]],
    value_fixes: list[dict[str, str]],
    nonresponse: list[dict[str, str]],
    usable: pd.DataFrame,
) -> WaveResult:
    """Sort the responses by RecordedDate and the planted records by rule; drop the firm index."""
    rows.sort(key=lambda r: (r["RecordedDate"], r["ResponseId"]))
    usable = usable.drop(columns=["_k"])
    usable.insert(0, "wave", frame.wave)
    planted.sort(key=lambda p: (CLEANING_RULES.index(p["rule"]), p["ResponseId"]))
    return WaveResult(
        wave=frame.wave,
        columns=frame.columns,
        rows=rows,
        planted=planted,
        value_fixes=value_fixes,
        item_nonresponse=nonresponse,
        usable=usable,
    )


def qualtrics_csv_text(columns: list[tuple[str, str, dict[str, str]]], rows: list[dict[str, str]]) -> str:
    """Render a Qualtrics "numeric values" CSV export (three header rows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c[0] for c in columns])
    writer.writerow([c[1] for c in columns])
    writer.writerow([json.dumps(c[2], separators=(",", ":")) for c in columns])
    for row in rows:
        writer.writerow([row.get(c[0], "") for c in columns])
    return buffer.getvalue()


def write_qualtrics_csv(result: WaveResult, path: str | Path) -> Path:
    """Write a wave as a Qualtrics CSV export (UTF-8 with BOM, CRLF, three header rows).

    Parameters
    ----------
    result
        Simulated wave.
    path
        Output file.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + qualtrics_csv_text(result.columns, result.rows)).encode("utf-8"))
    return path
