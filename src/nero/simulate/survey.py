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
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nero.simulate.codebook import import_id, item_column, likert_items
from nero.simulate.dgp import DGPParameters, simulate_firm_variables, simulate_items, simulate_latents

#: Cleaning rules in the order of docs/architecture.md.
CLEANING_RULES = (
    "preview_spam",
    "screening",
    "unfinished",
    "duplicate",
    "attention",
    "speeder",
    "straightliner",
    "out_of_range",
)

#: Planted responses per rule for a wave of ``REFERENCE_WAVE_SIZE`` usable firms.
BASE_PLANT_COUNTS = {
    "preview_spam": 2,
    "screening": 4,
    "unfinished": 5,
    "duplicate": 3,
    "attention": 3,
    "speeder": 3,
    "straightliner": 3,
    "out_of_range": 3,
}
REFERENCE_WAVE_SIZE = 110

#: Qualtrics metadata columns: (column, question-text row, ImportId JSON).
METADATA_COLUMNS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "Asia/Singapore"}),
    ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "Asia/Singapore"}),
    ("Status", "Response Type", {"ImportId": "status"}),
    ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
    ("Progress", "Progress", {"ImportId": "progress"}),
    ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
    ("Finished", "Finished", {"ImportId": "finished"}),
    ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": "Asia/Singapore"}),
    ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
    ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
    ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
    ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
    ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
    ("LocationLatitude", "Location Latitude", {"ImportId": "locationLatitude"}),
    ("LocationLongitude", "Location Longitude", {"ImportId": "locationLongitude"}),
    ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
    ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
)

#: Matrix stems written before the item text in the question-text row.
MATRIX_STEM = "Please indicate how far you agree with each statement about your firm"
MARKER_STEM = "Please indicate how far you agree with each statement about yourself"

NOMINAL_MEDIAN_DURATION = 660.0
_ALPHANUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_FIRST_NAMES = (
    "Wei Ling", "Jun Hao", "Siti", "Arjun", "Mei Xin", "Daniel", "Priya", "Hui Min", "Ahmad", "Rachel",
    "Kai Wen", "Nur Aisyah", "Vikram", "Grace", "Marcus", "Farah", "Benjamin", "Shu Fen", "Ravi", "Clara",
)
_LAST_NAMES = (
    "Tan", "Lim", "Lee", "Ng", "Wong", "Goh", "Chua", "Koh", "Teo", "Ong",
    "Chan", "Yeo", "Sim", "Kumar", "Rahman", "Pillai", "Nair", "Abdullah", "Fernandes", "Chong",
)


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


def wave_stream_key(wave: str) -> int:
    """Stable integer key of a wave name (random-stream selector)."""
    return zlib.crc32(wave.encode("utf-8"))


def wave_number(wave: str) -> int:
    """Ordinal of a wave folder name (``wave-2`` -> 2); 1 when it carries no number."""
    digits = re.findall(r"\d+", wave)
    return int(digits[-1]) if digits else 1


def wave_window(wave: str) -> tuple[dt.datetime, int]:
    """Fielding window of a wave: waves alternate March-April and September-October from 2025.

    Returns
    -------
    tuple
        Start (midnight, Singapore time) and length in days (58).
    """
    k = wave_number(wave)
    year = 2025 + (k - 1) // 2
    month = 3 if k % 2 == 1 else 9
    return dt.datetime(year, month, 3), 58


def plant_counts(n_usable: int) -> dict[str, int]:
    """Number of planted responses per rule for a wave of ``n_usable`` usable firms."""
    scale = n_usable / REFERENCE_WAVE_SIZE
    return {rule: max(1, int(round(base * scale))) for rule, base in BASE_PLANT_COUNTS.items()}


def export_columns(codebook: dict[str, Any], wave: str) -> list[tuple[str, str, dict[str, str]]]:
    """Columns of a wave's export: metadata, screening, Likert battery with the attention
    check after its block, firm variables, then the embedded ``FirmCode``."""
    cols: list[tuple[str, str, dict[str, str]]] = list(METADATA_COLUMNS)
    screening = codebook["checks"]["screening"]
    cols.append((screening["id"], screening["text"], {"ImportId": import_id(screening["id"])}))
    attention = codebook["checks"]["attention"]
    block = attention["id"].split("_")[0]
    battery = []
    for item in likert_items(codebook):
        column = item_column(codebook, item, wave)
        spec = codebook["items"][item]
        stem = MARKER_STEM if spec["construct"] == "MARKER" else MATRIX_STEM
        battery.append((column, f"{stem} - {spec['text']}", {"ImportId": import_id(column)}))
    last_in_block = max((j for j, c in enumerate(battery) if c[0].split("_")[0] == block), default=len(battery) - 1)
    battery.insert(
        last_in_block + 1,
        (attention["id"], f"{MATRIX_STEM} - {attention['text']}", {"ImportId": import_id(attention["id"])}),
    )
    cols.extend(battery)
    embedded = []
    for name, spec in codebook["firm_variables"].items():
        if spec["kind"] == "string":
            embedded.append((spec["id"], spec["id"], {"ImportId": spec["id"]}))
        else:
            cols.append((spec["id"], spec["text"], {"ImportId": import_id(spec["id"])}))
    cols.extend(embedded)
    return cols


def _run_and_sd(values: np.ndarray) -> tuple[int, float]:
    longest = run = 1
    for j in range(1, len(values)):
        run = run + 1 if values[j] == values[j - 1] else 1
        longest = max(longest, run)
    return longest, float(np.std(values, ddof=1))


def _quality_ok(raw: np.ndarray, reverse: np.ndarray, lo: int, hi: int) -> bool:
    recoded = np.where(reverse, lo + hi - raw, raw)
    for values in (raw, recoded):
        run, sd = _run_and_sd(values)
        if run > 8 or sd <= 0.5:
            return False
    return True


def _clearly_ok(raw: np.ndarray, reverse: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Rows that pass :func:`_quality_ok` with a margin (vectorised pre-check; the others are checked one by one)."""
    ok = np.ones(len(raw), dtype=bool)
    for values in (raw, np.where(reverse, lo + hi - raw, raw)):
        run = longest = np.ones(len(values), dtype=int)
        for j in range(1, values.shape[1]):
            run = np.where(values[:, j] == values[:, j - 1], run + 1, 1)
            longest = np.maximum(longest, run)
        ok &= (longest <= 8) & (np.std(values, axis=1, ddof=1) > 0.5 + 1e-9)
    return ok


def _draw_clean_items(
    rng: np.random.Generator, latents: pd.DataFrame, codebook: dict[str, Any], params: DGPParameters
) -> pd.DataFrame:
    """Items for ``latents``; responses that would look like straight-lining are re-drawn."""
    items = simulate_items(rng, latents, codebook, params)
    lo, hi = codebook["scale"]["min"], codebook["scale"]["max"]
    reverse = np.array([codebook["items"][i].get("reverse", False) for i in items.columns])
    clearly_ok = _clearly_ok(items.to_numpy(), reverse, lo, hi)
    for idx in items.index[~clearly_ok]:
        for _ in range(100):
            if _quality_ok(items.loc[idx].to_numpy(), reverse, lo, hi):
                break
            items.loc[idx] = simulate_items(rng, latents.loc[[idx]], codebook, params).iloc[0]
        else:  # pragma: no cover - practically unreachable with the default DGP
            raise RuntimeError("could not draw a clean response")
    return items


def _response_id(rng: np.random.Generator, taken: set[str]) -> str:
    while True:
        rid = "R_" + "".join(_ALPHANUM[k] for k in rng.integers(0, len(_ALPHANUM), 15))
        if rid not in taken:
            taken.add(rid)
            return rid


def _firm_code(rng: np.random.Generator, taken: set[str]) -> str:
    while True:
        code = "SG-" + "".join(_ALPHANUM[k] for k in rng.integers(0, 36, 6))
        if code not in taken:
            taken.add(code)
            return code


def _fmt_time(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _recorded_times(rng: np.random.Generator, n: int, wave: str) -> list[dt.datetime]:
    """Front-loaded response times: invitation, first and second reminder."""
    start, days = wave_window(wave)
    phase = rng.choice(3, size=n, p=[0.55, 0.30, 0.15])
    lo = np.array([0, 14, 30])[phase]
    hi = np.array([12, 26, days - 2])[phase]
    day = rng.integers(lo, hi + 1)
    seconds = rng.integers(8 * 3600, 22 * 3600, size=n)
    return [start + dt.timedelta(days=int(d), seconds=int(s)) for d, s in zip(day, seconds)]


def _clean_durations(rng: np.random.Generator, n: int) -> np.ndarray:
    raw = np.exp(np.log(NOMINAL_MEDIAN_DURATION) + rng.normal(0.0, 0.35, n))
    return np.clip(np.round(raw), int(0.7 * NOMINAL_MEDIAN_DURATION), 3600).astype(int)


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
    params = params or DGPParameters()
    rng = np.random.default_rng([int(seed), wave_stream_key(wave)])
    taken_ids = taken_response_ids if taken_response_ids is not None else set()
    taken_codes = taken_firm_codes if taken_firm_codes is not None else set()
    counts = plant_counts(n_usable)
    offset = wave_number(wave) - 1
    survey_year = wave_window(wave)[0].year
    lo, hi = codebook["scale"]["min"], codebook["scale"]["max"]
    items_order = likert_items(codebook)
    columns = export_columns(codebook, wave)
    colnames = [c[0] for c in columns]
    screening = codebook["checks"]["screening"]
    attention = codebook["checks"]["attention"]
    fv = codebook["firm_variables"]
    fv_cols = {name: spec["id"] for name, spec in fv.items()}
    item_cols = {item: item_column(codebook, item, wave) for item in items_order}

    # ---- firms: usable ones plus every planted response that is a separate firm
    n_cross = 1 if (earlier_usable is not None and len(earlier_usable) and counts["duplicate"] >= 1) else 0
    n_within_dup = counts["duplicate"] - n_cross
    separate = {rule: c for rule, c in counts.items() if rule != "duplicate"}
    n_firms = n_usable + sum(separate.values())
    latents = simulate_latents(rng, n_firms, params)
    firmvars = simulate_firm_variables(rng, latents, params, survey_year=survey_year)
    items = _draw_clean_items(rng, latents, codebook, params)
    times = _recorded_times(rng, n_firms, wave)
    durations = _clean_durations(rng, n_firms)
    # column arrays for the row loop (pandas scalar look-ups there cost more than the whole DGP)
    item_arr = {item: items[item].to_numpy() for item in items_order}
    firm_arr = {name: firmvars[name].to_numpy() for name in firmvars.columns}
    latent_arr = {c: latents[c].to_numpy() for c in ("type", "INST", "VIRT", "EFF", "MKT", "CAP", "SCO", "MARKER", "METHOD")}

    roles: list[str] = ["usable"] * n_usable
    for rule in CLEANING_RULES:
        roles += [rule] * separate.get(rule, 0)
    roles_arr = np.array(roles)
    order = rng.permutation(n_firms)
    roles_arr = roles_arr[np.argsort(order)]  # random assignment of roles to firms

    def base_row(k: int, channel: str = "email") -> dict[str, str]:
        rec = times[k]
        dur = int(durations[k])
        row = {c: "" for c in colnames}
        first = _FIRST_NAMES[int(rng.integers(len(_FIRST_NAMES)))]
        last = _LAST_NAMES[int(rng.integers(len(_LAST_NAMES)))]
        row.update(
            {
                "StartDate": _fmt_time(rec - dt.timedelta(seconds=dur)),
                "EndDate": _fmt_time(rec),
                "Status": "0",
                "IPAddress": f"{['203.0.113', '198.51.100'][int(rng.integers(2))]}.{int(rng.integers(1, 255))}",
                "Progress": "100",
                "Duration (in seconds)": str(dur),
                "Finished": "1",
                "RecordedDate": _fmt_time(rec),
                "ResponseId": _response_id(rng, taken_ids),
                "RecipientLastName": last,
                "RecipientFirstName": first,
                "RecipientEmail": f"{first.lower().replace(' ', '')}.{last.lower()}{int(rng.integers(10, 99))}@example.com",
                "ExternalReference": f"CL{int(rng.integers(10000, 99999)):05d}",
                "LocationLatitude": f"{1.27 + 0.17 * rng.random():.4f}",
                "LocationLongitude": f"{103.68 + 0.30 * rng.random():.4f}",
                "DistributionChannel": channel,
                "UserLanguage": "EN",
                screening["id"]: str(screening["pass_values"][0]),
                attention["id"]: str(attention["expected"]),
            }
        )
        for item in items_order:
            row[item_cols[item]] = str(int(item_arr[item][k]))
        for name, spec in fv.items():
            if spec["kind"] != "string":
                row[spec["id"]] = str(int(firm_arr[name][k]))
        return row

    rows: list[dict[str, str]] = []
    planted: list[dict[str, str]] = []
    usable_records: list[dict[str, Any]] = []
    counters = {rule: 0 for rule in CLEANING_RULES}

    def plant(row: dict[str, str], rule: str, detail: str) -> None:
        planted.append({"wave": wave, "ResponseId": row["ResponseId"], "rule": rule, "detail": detail})

    for k in range(n_firms):
        role = str(roles_arr[k])
        if role == "usable":
            row = base_row(k)
            row[fv_cols["firm_code"]] = _firm_code(rng, taken_codes)
            rows.append(row)
            record = {"ResponseId": row["ResponseId"], "FirmCode": row[fv_cols["firm_code"]], "RecordedDate": row["RecordedDate"]}
            record.update({c: values[k] for c, values in latent_arr.items()})
            record.update({name: int(values[k]) for name, values in firm_arr.items()})
            record["_k"] = k
            usable_records.append(record)
            continue
        i = counters[role]
        counters[role] += 1
        if role == "preview_spam":
            variant = ("preview", "spam", "test")[(i + offset) % 3]
            row = base_row(k, channel={"preview": "preview", "spam": "anonymous", "test": "test"}[variant])
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
            plant(row, "preview_spam", detail)
        elif role == "screening":
            row = base_row(k)
            row[fv_cols["firm_code"]] = _firm_code(rng, taken_codes)
            dur = int(rng.integers(25, 95))
            rec = times[k]
            row["StartDate"] = _fmt_time(rec - dt.timedelta(seconds=dur))
            row["Duration (in seconds)"] = str(dur)
            for col in colnames[colnames.index(screening["id"]) + 1 :]:
                if col != fv_cols["firm_code"]:
                    row[col] = ""
            row[screening["id"]] = "2"
            plant(row, "screening", f"{screening['id']} = 2 (not an independent Singapore SME under 200 staff); survey ended by skip logic")
        elif role == "unfinished":
            row = base_row(k)
            row[fv_cols["firm_code"]] = _firm_code(rng, taken_codes)
            stops = [("INST", 9), ("EFF", 31), ("CAP", 54), ("SCO", 77)]
            construct, progress = stops[(i + offset) % len(stops)]
            first_blank = item_cols[codebook["constructs"][construct]["items"][0]]
            for col in colnames[colnames.index(first_blank) :]:
                if col != fv_cols["firm_code"]:
                    row[col] = ""
            dur = int(durations[k] * progress / 100)
            rec = times[k]
            row.update(
                {
                    "StartDate": _fmt_time(rec - dt.timedelta(seconds=dur)),
                    "Duration (in seconds)": str(dur),
                    "Progress": str(progress),
                    "Finished": "0",
                }
            )
            plant(row, "unfinished", f"Finished 0, Progress {progress}; blank from {construct} block on")
        elif role == "attention":
            row = base_row(k)
            row[fv_cols["firm_code"]] = _firm_code(rng, taken_codes)
            wrong = [v for v in range(lo, hi + 1) if v != attention["expected"]]
            answer = wrong[int(rng.integers(len(wrong)))]
            row[attention["id"]] = str(answer)
            plant(row, "attention", f"{attention['id']} = {answer} (expected {attention['expected']})")
        elif role == "speeder":
            row = base_row(k)
            row[fv_cols["firm_code"]] = _firm_code(rng, taken_codes)
            dur = int(round(NOMINAL_MEDIAN_DURATION * rng.uniform(0.12, 0.30)))
            rec = times[k]
            row["StartDate"] = _fmt_time(rec - dt.timedelta(seconds=dur))
            row["Duration (in seconds)"] = str(dur)
            plant(row, "speeder", f"Duration {dur} s (about {dur / NOMINAL_MEDIAN_DURATION:.0%} of the typical {NOMINAL_MEDIAN_DURATION:.0f} s)")
        elif role == "straightliner":
            row = base_row(k)
            row[fv_cols["firm_code"]] = _firm_code(rng, taken_codes)
            if (i + offset) % 2 == 0:
                for item in items_order:
                    row[item_cols[item]] = "4"
                detail = f"all {len(items_order)} Likert answers 4 (run {len(items_order)}, SD 0)"
            else:
                length = int(rng.integers(18, 25))
                for item in items_order[:length]:
                    row[item_cols[item]] = "4"
                detail = f"first {length} Likert answers 4 (run >= {length})"
            plant(row, "straightliner", detail)
        elif role == "out_of_range":
            row = base_row(k)
            row[fv_cols["firm_code"]] = _firm_code(rng, taken_codes)
            variant = (i + 3 * offset) % 6
            if variant in (0, 3):
                item = items_order[int(rng.integers(len(items_order)))]
                bad = "8" if variant == 0 else "77"
                row[item_cols[item]] = bad
                detail = f"{item_cols[item]} ({item}) = {bad} (outside 1..7)"
            elif variant == 1:
                row[fv_cols["employees"]] = "fifty"
                detail = f"{fv_cols['employees']} (employees) = 'fifty' (not a number)"
            elif variant == 2:
                row[fv_cols["founding_year"]] = "2031"
                detail = f"{fv_cols['founding_year']} (founding_year) = 2031 (after the survey)"
            elif variant == 4:
                row[fv_cols["employees"]] = "350"
                detail = f"{fv_cols['employees']} (employees) = 350 (above 199)"
            else:
                row[fv_cols["foreign_markets"]] = "many"
                detail = f"{fv_cols['foreign_markets']} (foreign_markets) = 'many' (not a number)"
            plant(row, "out_of_range", detail)
        else:  # pragma: no cover - roles come from CLEANING_RULES
            raise AssertionError(role)
        rows.append(row)

    usable = pd.DataFrame(usable_records)
    code_col = fv_cols["firm_code"]
    start, days = wave_window(wave)
    end_of_window = start + dt.timedelta(days=days)

    # ---- duplicates: re-submissions of kept firms (later RecordedDate)
    by_time = usable.sort_values(["RecordedDate", "ResponseId"]).reset_index(drop=True)
    early = by_time.iloc[: max(1, int(0.6 * len(by_time)))]
    picks = rng.choice(len(early), size=min(n_within_dup, len(early)), replace=False)
    for j, pick in enumerate(sorted(int(p) for p in picks)):
        original = early.iloc[pick]
        k = int(original["_k"])
        row = _resubmission(rng, k, latents, firmvars, codebook, params, base_row, items_order, item_cols, fv)
        orig_time = dt.datetime.strptime(original["RecordedDate"], "%Y-%m-%d %H:%M:%S")
        rec = min(orig_time + dt.timedelta(days=int(rng.integers(1, 15)), seconds=int(rng.integers(600, 20000))), end_of_window)
        _set_times(row, rec, int(row["Duration (in seconds)"]))
        row[code_col] = original["FirmCode"]
        rows.append(row)
        plant(row, "duplicate", f"FirmCode {original['FirmCode']} already submitted in {wave} as {original['ResponseId']} (earlier RecordedDate; keep first)")
    if n_cross:
        pool = earlier_usable.sort_values(["wave", "ResponseId"]).reset_index(drop=True)
        original = pool.iloc[int(rng.integers(len(pool)))]
        cross_lat = pd.DataFrame([{c: original[c] for c in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO", "MARKER", "METHOD")}])
        cross_items = _draw_clean_items(rng, cross_lat, codebook, params)
        row = base_row(0)
        for item in items_order:
            row[item_cols[item]] = str(int(cross_items.iloc[0][item]))
        for name, spec in fv.items():
            if spec["kind"] != "string":
                row[spec["id"]] = str(int(original[name]))
        rec = start + dt.timedelta(days=int(rng.integers(2, 20)), seconds=int(rng.integers(8 * 3600, 20 * 3600)))
        _set_times(row, rec, int(_clean_durations(rng, 1)[0]))
        row[code_col] = original["FirmCode"]
        rows.append(row)
        plant(row, "duplicate", f"FirmCode {original['FirmCode']} already submitted in {original['wave']} as {original['ResponseId']} (cross-wave re-submission; keep first)")

    # ---- a firm that abandoned the survey and came back later: its unfinished
    # response is dropped by `unfinished`, so the later complete one is kept.
    unfinished_rows = [r for r in rows if r["ResponseId"] in {p["ResponseId"] for p in planted if p["rule"] == "unfinished"}]
    if unfinished_rows:
        latest_usable = by_time.iloc[len(by_time) // 2 :]
        target = latest_usable.iloc[int(rng.integers(len(latest_usable)))]
        donor = unfinished_rows[0]
        target_time = dt.datetime.strptime(target["RecordedDate"], "%Y-%m-%d %H:%M:%S")
        _set_times(donor, target_time - dt.timedelta(days=int(rng.integers(2, 8)), seconds=int(rng.integers(0, 3600))), int(donor["Duration (in seconds)"]))
        taken_codes.discard(donor[code_col])
        donor[code_col] = target["FirmCode"]
        for p in planted:
            if p["ResponseId"] == donor["ResponseId"]:
                p["detail"] += f"; same FirmCode as the later complete response {target['ResponseId']}, which is kept"

    # ---- harmless formatting (value fixes) and item nonresponse in clean responses
    by_id = {r["ResponseId"]: r for r in rows}
    usable_ids = usable["ResponseId"].tolist()
    n_fix = max(2, int(round(0.03 * n_usable)))
    n_missing = max(1, int(round(0.025 * n_usable)))
    chosen = rng.choice(len(usable_ids), size=min(len(usable_ids), n_fix + n_missing), replace=False)
    value_fixes: list[dict[str, str]] = []
    fix_styles = (("employees", "lead"), ("founding_year", "trail"), ("employees", "float"), ("years_abroad", "float"), ("foreign_markets", "lead"))
    for j, pick in enumerate(chosen[:n_fix]):
        row = by_id[usable_ids[int(pick)]]
        name, style = fix_styles[(j + offset) % len(fix_styles)]
        column = fv_cols[name]
        clean = row[column]
        raw = {"lead": f" {clean}", "trail": f"{clean} ", "float": f"{clean}.0"}[style]
        row[column] = raw
        value_fixes.append({"wave": wave, "ResponseId": row["ResponseId"], "column": column, "variable": name, "raw": raw, "normalised": clean})
    nonresponse: list[dict[str, str]] = []
    for j, pick in enumerate(chosen[n_fix:]):
        row = by_id[usable_ids[int(pick)]]
        n_blank = 2 if j == 0 else 1
        blanks = rng.choice(len(items_order), size=n_blank, replace=False)
        for b in sorted(int(x) for x in blanks):
            column = item_cols[items_order[b]]
            nonresponse.append({"wave": wave, "ResponseId": row["ResponseId"], "column": column, "item": items_order[b], "value": row[column]})
            row[column] = ""

    rows.sort(key=lambda r: (r["RecordedDate"], r["ResponseId"]))
    usable = usable.drop(columns=["_k"])
    usable.insert(0, "wave", wave)
    planted.sort(key=lambda p: (CLEANING_RULES.index(p["rule"]), p["ResponseId"]))
    return WaveResult(
        wave=wave,
        columns=columns,
        rows=rows,
        planted=planted,
        value_fixes=value_fixes,
        item_nonresponse=nonresponse,
        usable=usable,
    )


def _set_times(row: dict[str, str], recorded: dt.datetime, duration: int) -> None:
    row["RecordedDate"] = _fmt_time(recorded)
    row["EndDate"] = _fmt_time(recorded)
    row["StartDate"] = _fmt_time(recorded - dt.timedelta(seconds=duration))
    row["Duration (in seconds)"] = str(duration)


def _resubmission(rng, k, latents, firmvars, codebook, params, base_row, items_order, item_cols, fv):
    """A second complete response of firm ``k``: same firm, fresh answers."""
    again = _draw_clean_items(rng, latents.loc[[k]], codebook, params)
    row = base_row(k)
    for item in items_order:
        row[item_cols[item]] = str(int(again.iloc[0][item]))
    for name, spec in fv.items():
        if spec["kind"] != "string":
            row[spec["id"]] = str(int(firmvars.loc[k, name]))
    row["Duration (in seconds)"] = str(int(_clean_durations(rng, 1)[0]))
    return row


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


def export_file_name(wave: str) -> str:
    """Qualtrics-like export file name of a wave."""
    start, days = wave_window(wave)
    closed = start + dt.timedelta(days=days + 2, hours=10, minutes=30)
    return f"NetworkAmbidexterity_SME_Survey_{wave.replace('-', '')}_{closed:%B %Y}_{closed:%H.%M}.csv"
