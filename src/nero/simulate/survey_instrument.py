"""What a synthetic survey wave looks like before any response is drawn.

The cleaning rules the planted responses are built around and how many of each
a wave carries (:func:`plant_counts`), the fielding calendar of a wave
(:func:`wave_window`, :func:`export_file_name`) and the columns of its Qualtrics
export (:func:`export_columns`). Used by :mod:`nero.simulate.survey` and its
step modules :mod:`nero.simulate.survey_draws` and
:mod:`nero.simulate.survey_planting`; nothing here draws random numbers.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from typing import Any

from nero.simulate.codebook import import_id, item_column, likert_items

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

#: Typical completion time (seconds); clean durations are drawn log-normally around it.
NOMINAL_MEDIAN_DURATION = 660.0


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
    for name, spec in codebook["firm_variables"].items():  # noqa: B007
        if spec["kind"] == "string":
            embedded.append((spec["id"], spec["id"], {"ImportId": spec["id"]}))
        else:
            cols.append((spec["id"], spec["text"], {"ImportId": import_id(spec["id"])}))
    cols.extend(embedded)
    return cols


def export_file_name(wave: str) -> str:
    """Qualtrics-like export file name of a wave."""
    start, days = wave_window(wave)
    closed = start + dt.timedelta(days=days + 2, hours=10, minutes=30)
    return f"NetworkAmbidexterity_SME_Survey_{wave.replace('-', '')}_{closed:%B %Y}_{closed:%H.%M}.csv"
