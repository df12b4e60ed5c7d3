"""Random draws of a synthetic survey wave: firms, clean answers, identities and times.

Every function here consumes the wave's random stream (``np.random.Generator``) in
a fixed order, which is what makes a generated wave byte-identical for a seed:
:func:`draw_wave_firms` draws the firms' latent scores, firm variables, clean
Likert answers, recorded times and durations; :func:`assign_roles` decides which
firms are usable and which carry a planted problem; :func:`base_row` draws the
metadata and respondent identity of one complete, clean response. Used by
:mod:`nero.simulate.survey` and :mod:`nero.simulate.survey_planting`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nero.simulate.codebook import item_column, likert_items
from nero.simulate.dgp import simulate_firm_variables, simulate_items, simulate_latents
from nero.simulate.dgp_parameters import DGPParameters
from nero.simulate.survey_instrument import (
    CLEANING_RULES,
    NOMINAL_MEDIAN_DURATION,
    export_columns,
    wave_number,
    wave_window,
)

#: Latent columns of a firm kept in the ground truth of a usable response.
LATENT_COLUMNS = ("type", "INST", "VIRT", "EFF", "MKT", "CAP", "SCO", "MARKER", "METHOD")

_ALPHANUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_FIRST_NAMES = (
    "Wei Ling",
    "Jun Hao",
    "Siti",
    "Arjun",
    "Mei Xin",
    "Daniel",
    "Priya",
    "Hui Min",
    "Ahmad",
    "Rachel",
    "Kai Wen",
    "Nur Aisyah",
    "Vikram",
    "Grace",
    "Marcus",
    "Farah",
    "Benjamin",
    "Shu Fen",
    "Ravi",
    "Clara",
)
_LAST_NAMES = (
    "Tan",
    "Lim",
    "Lee",
    "Ng",
    "Wong",
    "Goh",
    "Chua",
    "Koh",
    "Teo",
    "Ong",
    "Chan",
    "Yeo",
    "Sim",
    "Kumar",
    "Rahman",
    "Pillai",
    "Nair",
    "Abdullah",
    "Fernandes",
    "Chong",
)


@dataclass
class FirmDraws:
    """What the DGP drew for the firms of one wave, as column arrays.

    Attributes
    ----------
    latents
        Latent scores and type per firm (:func:`~nero.simulate.dgp.simulate_latents`).
    firmvars
        Firm variables per firm (:func:`~nero.simulate.dgp.simulate_firm_variables`).
    times
        Recorded date and time per firm.
    durations
        Clean completion time in seconds per firm.
    item_arr, firm_arr, latent_arr
        The clean Likert answers, firm variables and latent columns as numpy arrays
        (pandas scalar look-ups in the row loop cost more than the whole DGP).
    """

    latents: pd.DataFrame
    firmvars: pd.DataFrame
    times: list[dt.datetime]
    durations: np.ndarray
    item_arr: dict[str, np.ndarray]
    firm_arr: dict[str, np.ndarray]
    latent_arr: dict[str, np.ndarray]


@dataclass
class WaveFrame:
    """What every step of one wave shares: its stream, export layout and firms' draws.

    Attributes
    ----------
    wave
        Wave folder name.
    codebook
        Parsed instrument codebook.
    params
        DGP parameters.
    rng
        The wave's random stream (consumed by every step, in order).
    taken_ids, taken_codes
        ResponseIds and FirmCodes already used (updated in place).
    columns
        Export columns as (name, question text, ImportId dict).
    firms
        The firms' draws.
    offset
        Zero-based wave ordinal (rotates the planted variants between waves).
    colnames
        Export column names in order.
    items_order
        Likert items in codebook order.
    item_cols
        Export column of each Likert item in this wave.
    fv_cols
        Export column of each firm variable.
    """

    wave: str
    codebook: dict[str, Any]
    params: DGPParameters
    rng: np.random.Generator
    taken_ids: set[str]
    taken_codes: set[str]
    columns: list[tuple[str, str, dict[str, str]]]
    firms: FirmDraws
    offset: int
    colnames: list[str]
    items_order: list[str]
    item_cols: dict[str, str]
    fv_cols: dict[str, str]


def _run_and_sd(values: np.ndarray) -> tuple[int, float]:
    """Longest run of identical answers and the within-person SD of one response."""
    longest = run = 1
    for j in range(1, len(values)):
        run = run + 1 if values[j] == values[j - 1] else 1
        longest = max(longest, run)
    return longest, float(np.std(values, ddof=1))


def _quality_ok(raw: np.ndarray, reverse: np.ndarray, lo: int, hi: int) -> bool:
    """Whether one response has no run above 8 and an SD above 0.5, raw and reverse-recoded."""
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


def draw_clean_items(
    rng: np.random.Generator, latents: pd.DataFrame, codebook: dict[str, Any], params: DGPParameters
) -> pd.DataFrame:
    """Items for ``latents``; responses that would look like straight-lining are re-drawn.

    Parameters
    ----------
    rng
        Random stream.
    latents
        Latent scores of the firms (one row each).
    codebook
        Parsed instrument codebook.
    params
        DGP parameters.

    Returns
    -------
    pandas.DataFrame
        One row per firm, one column per Likert item; no row has a run of more than
        8 identical answers or a within-person SD of 0.5 or less (raw or reverse-recoded).
    """
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


def response_id(rng: np.random.Generator, taken: set[str]) -> str:
    """A fresh Qualtrics-style ResponseId (``R_`` and 15 characters) not in ``taken`` (added to it)."""
    while True:
        rid = "R_" + "".join(_ALPHANUM[k] for k in rng.integers(0, len(_ALPHANUM), 15))
        if rid not in taken:
            taken.add(rid)
            return rid


def firm_code(rng: np.random.Generator, taken: set[str]) -> str:
    """A fresh FirmCode (``SG-`` and 6 characters) not in ``taken`` (added to it)."""
    while True:
        code = "SG-" + "".join(_ALPHANUM[k] for k in rng.integers(0, 36, 6))
        if code not in taken:
            taken.add(code)
            return code


def fmt_time(value: dt.datetime) -> str:
    """Qualtrics date-time text (``YYYY-MM-DD HH:MM:SS``)."""
    return value.strftime("%Y-%m-%d %H:%M:%S")


def recorded_times(rng: np.random.Generator, n: int, wave: str) -> list[dt.datetime]:
    """Front-loaded response times: invitation, first and second reminder."""
    start, days = wave_window(wave)
    phase = rng.choice(3, size=n, p=[0.55, 0.30, 0.15])
    lo = np.array([0, 14, 30])[phase]
    hi = np.array([12, 26, days - 2])[phase]
    day = rng.integers(lo, hi + 1)
    seconds = rng.integers(8 * 3600, 22 * 3600, size=n)
    return [start + dt.timedelta(days=int(d), seconds=int(s)) for d, s in zip(day, seconds)]


def order_times_by_latent(
    rng: np.random.Generator, times: list[dt.datetime], eta: np.ndarray, params: DGPParameters
) -> list[dt.datetime]:
    """The same recorded times, handed out so that late respondents score higher on a latent.

    The times are sorted and given to the firms in the order of
    ``r * eta + sqrt(1 - r^2) * z`` (``z ~ N(0, 1)``, ``r = params.late_response_corr``): the
    fielding calendar is unchanged, only who answers when (non-response bias, where late
    respondents stand in for non-respondents; Armstrong & Overton 1977).
    """
    r = float(params.late_response_corr)
    score = r * eta + np.sqrt(1.0 - r**2) * rng.standard_normal(len(eta))
    ordered = sorted(times)
    out: list[dt.datetime] = [ordered[0]] * len(times)
    for rank, k in enumerate(np.argsort(score, kind="stable")):
        out[int(k)] = ordered[rank]
    return out


def clean_durations(rng: np.random.Generator, n: int) -> np.ndarray:
    """Completion times (seconds) of ``n`` clean responses: log-normal around the nominal median."""
    raw = np.exp(np.log(NOMINAL_MEDIAN_DURATION) + rng.normal(0.0, 0.35, n))
    return np.clip(np.round(raw), int(0.7 * NOMINAL_MEDIAN_DURATION), 3600).astype(int)


def draw_wave_firms(
    rng: np.random.Generator, n_firms: int, wave: str, codebook: dict[str, Any], params: DGPParameters
) -> FirmDraws:
    """Draw ``n_firms`` firms: latents, firm variables, clean items, recorded times, durations (in this order).

    Parameters
    ----------
    rng
        The wave's random stream.
    n_firms
        Usable firms plus every planted response that is a separate firm.
    wave
        Wave folder name (fielding window and survey year).
    codebook
        Parsed instrument codebook.
    params
        DGP parameters.

    Returns
    -------
    FirmDraws
    """
    survey_year = wave_window(wave)[0].year
    latents = simulate_latents(rng, n_firms, params)
    firmvars = simulate_firm_variables(rng, latents, params, survey_year=survey_year)
    items = draw_clean_items(rng, latents, codebook, params)
    times = recorded_times(rng, n_firms, wave)
    durations = clean_durations(rng, n_firms)
    if params.late_response_corr:
        times = order_times_by_latent(rng, times, latents[params.late_response_construct].to_numpy(), params)
    return FirmDraws(
        latents=latents,
        firmvars=firmvars,
        times=times,
        durations=durations,
        item_arr={item: items[item].to_numpy() for item in likert_items(codebook)},
        firm_arr={name: firmvars[name].to_numpy() for name in firmvars.columns},
        latent_arr={c: latents[c].to_numpy() for c in LATENT_COLUMNS},
    )


def wave_frame(
    wave: str,
    codebook: dict[str, Any],
    params: DGPParameters,
    rng: np.random.Generator,
    taken_ids: set[str],
    taken_codes: set[str],
    firms: FirmDraws,
) -> WaveFrame:
    """Bundle a wave's stream, identifiers in use, export layout and firms' draws (draws nothing)."""
    columns = export_columns(codebook, wave)
    items_order = likert_items(codebook)
    return WaveFrame(
        wave=wave,
        codebook=codebook,
        params=params,
        rng=rng,
        taken_ids=taken_ids,
        taken_codes=taken_codes,
        columns=columns,
        firms=firms,
        offset=wave_number(wave) - 1,
        colnames=[c[0] for c in columns],
        items_order=items_order,
        item_cols={item: item_column(codebook, item, wave) for item in items_order},
        fv_cols={name: spec["id"] for name, spec in codebook["firm_variables"].items()},
    )


def assign_roles(rng: np.random.Generator, n_usable: int, separate: dict[str, int]) -> np.ndarray:
    """Randomly assign the roles ``usable`` and each planted rule (``separate`` counts) to the firms.

    Parameters
    ----------
    rng
        The wave's random stream (one permutation is drawn).
    n_usable
        Usable firms.
    separate
        Planted responses per rule that are separate firms (every rule but ``duplicate``).

    Returns
    -------
    numpy.ndarray
        Role of each firm, in firm order.
    """
    roles: list[str] = ["usable"] * n_usable
    for rule in CLEANING_RULES:
        roles += [rule] * separate.get(rule, 0)
    roles_arr = np.array(roles)
    order = rng.permutation(len(roles))
    return roles_arr[np.argsort(order)]


def base_row(frame: WaveFrame, k: int, channel: str = "email") -> dict[str, str]:
    """A complete, clean response of firm ``k``: drawn metadata and identity, the firm's clean answers.

    Parameters
    ----------
    frame
        The wave (its stream draws the respondent's name, IP address, ResponseId,
        e-mail number, external reference and location, in this order).
    k
        Firm index into ``frame.firms``.
    channel
        ``DistributionChannel`` value.

    Returns
    -------
    dict
        Raw string value per export column; the embedded ``FirmCode`` is blank.
    """
    rng = frame.rng
    firms = frame.firms
    screening = frame.codebook["checks"]["screening"]
    attention = frame.codebook["checks"]["attention"]
    rec = firms.times[k]
    dur = int(firms.durations[k])
    row = {c: "" for c in frame.colnames}
    first = _FIRST_NAMES[int(rng.integers(len(_FIRST_NAMES)))]
    last = _LAST_NAMES[int(rng.integers(len(_LAST_NAMES)))]
    row.update(
        {
            "StartDate": fmt_time(rec - dt.timedelta(seconds=dur)),
            "EndDate": fmt_time(rec),
            "Status": "0",
            "IPAddress": f"{['203.0.113', '198.51.100'][int(rng.integers(2))]}.{int(rng.integers(1, 255))}",
            "Progress": "100",
            "Duration (in seconds)": str(dur),
            "Finished": "1",
            "RecordedDate": fmt_time(rec),
            "ResponseId": response_id(rng, frame.taken_ids),
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
    item_cols = frame.item_cols
    for item in frame.items_order:
        row[item_cols[item]] = str(int(firms.item_arr[item][k]))
    for name, spec in frame.codebook["firm_variables"].items():
        if spec["kind"] != "string":
            row[spec["id"]] = str(int(firms.firm_arr[name][k]))
    return row
