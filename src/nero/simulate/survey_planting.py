"""Planted data-quality problems of a synthetic survey wave, one step per kind.

:func:`build_rows` writes every firm's response, usable or carrying the one
problem its role plants (one function per cleaning rule); later steps add the
duplicates (:func:`plant_within_wave_duplicates`,
:func:`plant_cross_wave_duplicate`), let an unfinished firm come back
(:func:`plant_returning_firm`) and put harmless formatting and item nonresponse
into clean responses (:func:`plant_value_fixes`, :func:`plant_item_nonresponse`).
The steps draw from the wave's stream in the order :func:`nero.simulate.survey.simulate_survey_wave`
calls them; the table of what each rule plants is in :mod:`nero.simulate.survey`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from nero.simulate.survey_draws import WaveFrame, base_row, clean_durations, draw_clean_items, firm_code, fmt_time
from nero.simulate.survey_instrument import CLEANING_RULES, NOMINAL_MEDIAN_DURATION, wave_window

_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def planted_entry(wave: str, row: dict[str, str], rule: str, detail: str) -> dict[str, str]:
    """Ground-truth record of one planted bad response."""
    return {"wave": wave, "ResponseId": row["ResponseId"], "rule": rule, "detail": detail}


def set_times(row: dict[str, str], recorded: dt.datetime, duration: int) -> None:
    """Set a response's recorded, end and start times and its duration (in place)."""
    row["RecordedDate"] = fmt_time(recorded)
    row["EndDate"] = fmt_time(recorded)
    row["StartDate"] = fmt_time(recorded - dt.timedelta(seconds=duration))
    row["Duration (in seconds)"] = str(duration)


def _coded_row(frame: WaveFrame, k: int) -> dict[str, str]:
    """:func:`base_row` of firm ``k`` with a fresh FirmCode."""
    row = base_row(frame, k)
    row[frame.fv_cols["firm_code"]] = firm_code(frame.rng, frame.taken_codes)
    return row


def _preview_spam(frame: WaveFrame, k: int, i: int) -> tuple[dict[str, str], str]:
    """Preview, spam or test response (variant rotates with ``i`` and the wave): Status and channel set, no FirmCode."""
    variant = ("preview", "spam", "test")[(i + frame.offset) % 3]
    row = base_row(frame, k, channel={"preview": "preview", "spam": "anonymous", "test": "test"}[variant])
    row["Status"] = {"preview": "1", "spam": "8", "test": "2"}[variant]
    for col in ("RecipientLastName", "RecipientFirstName", "RecipientEmail", "ExternalReference"):
        row[col] = ""
    if variant != "spam":
        for col in ("IPAddress", "LocationLatitude", "LocationLongitude"):
            row[col] = ""
    detail = {
        "preview": "Status 1 (Survey Preview), DistributionChannel preview",
        "spam": "Status 8 (Spam), anonymous link, no FirmCode",
        "test": "Status 2 (Survey Test), DistributionChannel test",
    }[variant]
    return row, detail


def _screening(frame: WaveFrame, k: int, i: int) -> tuple[dict[str, str], str]:
    """Screened-out response: screening answer 2, the rest blank by skip logic, a short duration."""
    screening = frame.codebook["checks"]["screening"]
    row = _coded_row(frame, k)
    dur = int(frame.rng.integers(25, 95))
    rec = frame.firms.times[k]
    row["StartDate"] = fmt_time(rec - dt.timedelta(seconds=dur))
    row["Duration (in seconds)"] = str(dur)
    for col in frame.colnames[frame.colnames.index(screening["id"]) + 1 :]:
        if col != frame.fv_cols["firm_code"]:
            row[col] = ""
    row[screening["id"]] = "2"
    return row, f"{screening['id']} = 2 (not an independent Singapore SME under 200 staff); survey ended by skip logic"


def _unfinished(frame: WaveFrame, k: int, i: int) -> tuple[dict[str, str], str]:
    """Abandoned response: ``Finished`` 0, Progress at a block boundary, later blocks blank."""
    row = _coded_row(frame, k)
    stops = [("INST", 9), ("EFF", 31), ("CAP", 54), ("SCO", 77)]
    construct, progress = stops[(i + frame.offset) % len(stops)]
    first_blank = frame.item_cols[frame.codebook["constructs"][construct]["items"][0]]
    for col in frame.colnames[frame.colnames.index(first_blank) :]:
        if col != frame.fv_cols["firm_code"]:
            row[col] = ""
    dur = int(frame.firms.durations[k] * progress / 100)
    rec = frame.firms.times[k]
    row.update(
        {
            "StartDate": fmt_time(rec - dt.timedelta(seconds=dur)),
            "Duration (in seconds)": str(dur),
            "Progress": str(progress),
            "Finished": "0",
        }
    )
    return row, f"Finished 0, Progress {progress}; blank from {construct} block on"


def _attention(frame: WaveFrame, k: int, i: int) -> tuple[dict[str, str], str]:
    """Attention item answered other than expected (a drawn wrong answer)."""
    attention = frame.codebook["checks"]["attention"]
    lo, hi = frame.codebook["scale"]["min"], frame.codebook["scale"]["max"]
    row = _coded_row(frame, k)
    wrong = [v for v in range(lo, hi + 1) if v != attention["expected"]]
    answer = wrong[int(frame.rng.integers(len(wrong)))]
    row[attention["id"]] = str(answer)
    return row, f"{attention['id']} = {answer} (expected {attention['expected']})"


def _speeder(frame: WaveFrame, k: int, i: int) -> tuple[dict[str, str], str]:
    """Speeder: duration drawn at 12-30 % of the nominal median."""
    row = _coded_row(frame, k)
    dur = int(round(NOMINAL_MEDIAN_DURATION * frame.rng.uniform(0.12, 0.30)))
    rec = frame.firms.times[k]
    row["StartDate"] = fmt_time(rec - dt.timedelta(seconds=dur))
    row["Duration (in seconds)"] = str(dur)
    return (
        row,
        f"Duration {dur} s (about {dur / NOMINAL_MEDIAN_DURATION:.0%} of the typical {NOMINAL_MEDIAN_DURATION:.0f} s)",
    )


def _straightliner(frame: WaveFrame, k: int, i: int) -> tuple[dict[str, str], str]:
    """Straight-liner: all Likert answers 4, or the first 18-24 of them (alternating with ``i``)."""
    items_order = frame.items_order
    row = _coded_row(frame, k)
    if (i + frame.offset) % 2 == 0:
        for item in items_order:
            row[frame.item_cols[item]] = "4"
        return row, f"all {len(items_order)} Likert answers 4 (run {len(items_order)}, SD 0)"
    length = int(frame.rng.integers(18, 25))
    for item in items_order[:length]:
        row[frame.item_cols[item]] = "4"
    return row, f"first {length} Likert answers 4 (run >= {length})"


def _out_of_range(frame: WaveFrame, k: int, i: int) -> tuple[dict[str, str], str]:
    """One out-of-range value: a Likert answer 8 or 77, employees "fifty" or 350, founding year 2031 or markets "many"."""
    fv_cols = frame.fv_cols
    row = _coded_row(frame, k)
    variant = (i + 3 * frame.offset) % 6
    if variant in (0, 3):
        item = frame.items_order[int(frame.rng.integers(len(frame.items_order)))]
        bad = "8" if variant == 0 else "77"
        column = frame.item_cols[item]
        row[column] = bad
        return row, f"{column} ({item}) = {bad} (outside 1..7)"
    if variant == 1:
        row[fv_cols["employees"]] = "fifty"
        return row, f"{fv_cols['employees']} (employees) = 'fifty' (not a number)"
    if variant == 2:
        row[fv_cols["founding_year"]] = "2031"
        return row, f"{fv_cols['founding_year']} (founding_year) = 2031 (after the survey)"
    if variant == 4:
        row[fv_cols["employees"]] = "350"
        return row, f"{fv_cols['employees']} (employees) = 350 (above 199)"
    row[fv_cols["foreign_markets"]] = "many"
    return row, f"{fv_cols['foreign_markets']} (foreign_markets) = 'many' (not a number)"


#: The planted response of each rule that is a separate firm: (frame, firm index, i-th of its rule) -> (row, detail).
PLANTERS: dict[str, Callable[[WaveFrame, int, int], tuple[dict[str, str], str]]] = {
    "preview_spam": _preview_spam,
    "screening": _screening,
    "unfinished": _unfinished,
    "attention": _attention,
    "speeder": _speeder,
    "straightliner": _straightliner,
    "out_of_range": _out_of_range,
}


def _usable_row(frame: WaveFrame, k: int) -> tuple[dict[str, str], dict[str, Any]]:
    """Clean response of usable firm ``k`` and its ground-truth record (``_k`` is the firm index)."""
    row = _coded_row(frame, k)
    record = {
        "ResponseId": row["ResponseId"],
        "FirmCode": row[frame.fv_cols["firm_code"]],
        "RecordedDate": row["RecordedDate"],
    }
    record.update({c: values[k] for c, values in frame.firms.latent_arr.items()})
    record.update({name: int(values[k]) for name, values in frame.firms.firm_arr.items()})
    record["_k"] = k
    return row, record


def build_rows(frame: WaveFrame, roles: np.ndarray) -> tuple[list[dict[str, str]], list[dict[str, str]], pd.DataFrame]:
    """One response per firm, in firm order: clean for usable firms, else the problem its role plants.

    Parameters
    ----------
    frame
        The wave.
    roles
        Role of each firm (:func:`~nero.simulate.survey_draws.assign_roles`).

    Returns
    -------
    rows
        Raw string values per response.
    planted
        Ground-truth record of each planted response.
    usable
        One row per usable firm: ResponseId, FirmCode, RecordedDate, latents, firm
        variables and the firm index ``_k``.
    """
    rows: list[dict[str, str]] = []
    planted: list[dict[str, str]] = []
    usable_records: list[dict[str, Any]] = []
    counters = {rule: 0 for rule in CLEANING_RULES}
    for k in range(len(roles)):
        role = str(roles[k])
        if role == "usable":
            row, record = _usable_row(frame, k)
            usable_records.append(record)
        else:
            i = counters[role]
            counters[role] += 1
            row, detail = PLANTERS[role](frame, k, i)
            planted.append(planted_entry(frame.wave, row, role, detail))
        rows.append(row)
    return rows, planted, pd.DataFrame(usable_records)


def _resubmission(frame: WaveFrame, k: int) -> dict[str, str]:
    """A second complete response of firm ``k``: same firm, fresh answers."""
    again = draw_clean_items(frame.rng, frame.firms.latents.loc[[k]], frame.codebook, frame.params)
    row = base_row(frame, k)
    for item in frame.items_order:
        row[frame.item_cols[item]] = str(int(again.iloc[0][item]))
    for name, spec in frame.codebook["firm_variables"].items():
        if spec["kind"] != "string":
            row[spec["id"]] = str(int(frame.firms.firmvars.loc[k, name]))
    row["Duration (in seconds)"] = str(int(clean_durations(frame.rng, 1)[0]))
    return row


def plant_within_wave_duplicates(
    frame: WaveFrame, by_time: pd.DataFrame, n: int
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Re-submissions of ``n`` usable firms of the earlier 60 % of the wave, recorded later.

    Parameters
    ----------
    frame
        The wave.
    by_time
        Usable firms (:func:`build_rows`) sorted by RecordedDate and ResponseId.
    n
        Within-wave duplicates to plant.

    Returns
    -------
    rows, planted
        The duplicate responses and their ground-truth records.
    """
    rng = frame.rng
    code_col = frame.fv_cols["firm_code"]
    start, days = wave_window(frame.wave)
    end_of_window = start + dt.timedelta(days=days)
    early = by_time.iloc[: max(1, int(0.6 * len(by_time)))]
    picks = rng.choice(len(early), size=min(n, len(early)), replace=False)
    rows: list[dict[str, str]] = []
    planted: list[dict[str, str]] = []
    for pick in sorted(int(p) for p in picks):
        original = early.iloc[pick]
        row = _resubmission(frame, int(original["_k"]))
        orig_time = dt.datetime.strptime(original["RecordedDate"], _TIME_FORMAT)
        rec = min(
            orig_time + dt.timedelta(days=int(rng.integers(1, 15)), seconds=int(rng.integers(600, 20000))),
            end_of_window,
        )
        set_times(row, rec, int(row["Duration (in seconds)"]))
        row[code_col] = original["FirmCode"]
        rows.append(row)
        planted.append(
            planted_entry(
                frame.wave,
                row,
                "duplicate",
                f"FirmCode {original['FirmCode']} already submitted in {frame.wave} as {original['ResponseId']} (earlier RecordedDate; keep first)",
            )
        )
    return rows, planted


def plant_cross_wave_duplicate(frame: WaveFrame, earlier_usable: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """A usable firm of an earlier wave submitting again in this wave, with fresh answers.

    Parameters
    ----------
    frame
        The wave.
    earlier_usable
        Usable firms of earlier waves (``usable`` of their wave results).

    Returns
    -------
    row, planted
        The duplicate response and its ground-truth record.
    """
    rng = frame.rng
    start, _ = wave_window(frame.wave)
    pool = earlier_usable.sort_values(["wave", "ResponseId"]).reset_index(drop=True)
    original = pool.iloc[int(rng.integers(len(pool)))]
    cross_lat = pd.DataFrame(
        [{c: original[c] for c in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO", "MARKER", "METHOD")}]
    )
    cross_items = draw_clean_items(rng, cross_lat, frame.codebook, frame.params)
    row = base_row(frame, 0)
    for item in frame.items_order:
        row[frame.item_cols[item]] = str(int(cross_items.iloc[0][item]))
    for name, spec in frame.codebook["firm_variables"].items():
        if spec["kind"] != "string":
            row[spec["id"]] = str(int(original[name]))
    rec = start + dt.timedelta(days=int(rng.integers(2, 20)), seconds=int(rng.integers(8 * 3600, 20 * 3600)))
    set_times(row, rec, int(clean_durations(rng, 1)[0]))
    row[frame.fv_cols["firm_code"]] = original["FirmCode"]
    return row, planted_entry(
        frame.wave,
        row,
        "duplicate",
        f"FirmCode {original['FirmCode']} already submitted in {original['wave']} as {original['ResponseId']} (cross-wave re-submission; keep first)",
    )


def plant_returning_firm(
    frame: WaveFrame, by_time: pd.DataFrame, rows: list[dict[str, str]], planted: list[dict[str, str]]
) -> None:
    """Give the first unfinished response the FirmCode of a later usable one (in place).

    A firm that abandoned the survey and came back later: its unfinished response is
    dropped by ``unfinished``, so the later complete one is kept. Nothing happens when
    the wave has no unfinished response.

    Parameters
    ----------
    frame
        The wave.
    by_time
        Usable firms sorted by RecordedDate and ResponseId (the target is drawn from the later half).
    rows, planted
        Responses and planted records so far (the donor row and its record are updated).
    """
    rng = frame.rng
    code_col = frame.fv_cols["firm_code"]
    unfinished_rows = [
        r for r in rows if r["ResponseId"] in {p["ResponseId"] for p in planted if p["rule"] == "unfinished"}
    ]
    if not unfinished_rows:
        return
    latest_usable = by_time.iloc[len(by_time) // 2 :]
    target = latest_usable.iloc[int(rng.integers(len(latest_usable)))]
    donor = unfinished_rows[0]
    target_time = dt.datetime.strptime(target["RecordedDate"], _TIME_FORMAT)
    set_times(
        donor,
        target_time - dt.timedelta(days=int(rng.integers(2, 8)), seconds=int(rng.integers(0, 3600))),
        int(donor["Duration (in seconds)"]),
    )
    frame.taken_codes.discard(donor[code_col])
    donor[code_col] = target["FirmCode"]
    for p in planted:
        if p["ResponseId"] == donor["ResponseId"]:
            p["detail"] += f"; same FirmCode as the later complete response {target['ResponseId']}, which is kept"


def choose_clean_rows(rng: np.random.Generator, n_ids: int, n_usable: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw which usable responses get a value fix (3 %, at least 2) and which item nonresponse (2.5 %, at least 1).

    Returns
    -------
    fix_picks, missing_picks
        Positions into the usable ResponseIds (one draw without replacement, split).
    """
    n_fix = max(2, int(round(0.03 * n_usable)))
    n_missing = max(1, int(round(0.025 * n_usable)))
    chosen = rng.choice(n_ids, size=min(n_ids, n_fix + n_missing), replace=False)
    return chosen[:n_fix], chosen[n_fix:]


def plant_value_fixes(frame: WaveFrame, targets: list[dict[str, str]]) -> list[dict[str, str]]:
    """Harmless text-entry formatting (leading/trailing space, ``.0``) in a firm variable of each target (in place).

    ``targets`` are clean usable responses, in the order drawn; nothing is drawn here.
    Returns one record per change: wave, ResponseId, column, variable, raw, normalised.
    """
    fix_styles = (
        ("employees", "lead"),
        ("founding_year", "trail"),
        ("employees", "float"),
        ("years_abroad", "float"),
        ("foreign_markets", "lead"),
    )
    value_fixes: list[dict[str, str]] = []
    for j, row in enumerate(targets):
        name, style = fix_styles[(j + frame.offset) % len(fix_styles)]
        column = frame.fv_cols[name]
        clean = row[column]
        raw = {"lead": f" {clean}", "trail": f"{clean} ", "float": f"{clean}.0"}[style]
        row[column] = raw
        value_fixes.append(
            {
                "wave": frame.wave,
                "ResponseId": row["ResponseId"],
                "column": column,
                "variable": name,
                "raw": raw,
                "normalised": clean,
            }
        )
    return value_fixes


def plant_item_nonresponse(frame: WaveFrame, targets: list[dict[str, str]]) -> list[dict[str, str]]:
    """Blank one Likert answer (two in the first target) of each clean usable response in ``targets`` (MCAR, in place).

    Returns one record per blank: wave, ResponseId, column, item and the answer it replaced.
    """
    items_order = frame.items_order
    nonresponse: list[dict[str, str]] = []
    for j, row in enumerate(targets):
        n_blank = 2 if j == 0 else 1
        blanks = frame.rng.choice(len(items_order), size=n_blank, replace=False)
        for b in sorted(int(x) for x in blanks):
            column = frame.item_cols[items_order[b]]
            nonresponse.append(
                {
                    "wave": frame.wave,
                    "ResponseId": row["ResponseId"],
                    "column": column,
                    "item": items_order[b],
                    "value": row[column],
                }
            )
            row[column] = ""
    return nonresponse
