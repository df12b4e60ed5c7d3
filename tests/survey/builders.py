"""Small survey exports built in the tests (current, legacy Qualtrics CSV and SPSS .sav).

``build_wave`` makes good responses from a simple factor model and plants one bad
response per cleaning rule, returning the rows (export column -> text) and the planted
``(ResponseId, rule)`` pairs, so that a test knows exactly what cleaning must drop.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nero.survey.codebook import Codebook

META = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
]
META_IMPORT = {
    "StartDate": {"ImportId": "startDate", "timeZone": "Asia/Singapore"},
    "EndDate": {"ImportId": "endDate", "timeZone": "Asia/Singapore"},
    "Status": {"ImportId": "status"},
    "IPAddress": {"ImportId": "ipAddress"},
    "Progress": {"ImportId": "progress"},
    "Duration (in seconds)": {"ImportId": "duration"},
    "Finished": {"ImportId": "finished"},
    "RecordedDate": {"ImportId": "recordedDate", "timeZone": "Asia/Singapore"},
    "ResponseId": {"ImportId": "_recordId"},
    "RecipientLastName": {"ImportId": "recipientLastName"},
    "RecipientFirstName": {"ImportId": "recipientFirstName"},
    "RecipientEmail": {"ImportId": "recipientEmail"},
    "ExternalReference": {"ImportId": "externalDataReference"},
    "LocationLatitude": {"ImportId": "locationLatitude"},
    "LocationLongitude": {"ImportId": "locationLongitude"},
    "DistributionChannel": {"ImportId": "distributionChannel"},
    "UserLanguage": {"ImportId": "userLanguage"},
}
META_TEXT = {
    "StartDate": "Start Date",
    "EndDate": "End Date",
    "Status": "Response Type",
    "IPAddress": "IP Address",
    "Progress": "Progress",
    "Duration (in seconds)": "Duration (in seconds)",
    "Finished": "Finished",
    "RecordedDate": "Recorded Date",
    "ResponseId": "Response ID",
    "RecipientLastName": "Recipient Last Name",
    "RecipientFirstName": "Recipient First Name",
    "RecipientEmail": "Recipient Email",
    "ExternalReference": "External Data Reference",
    "LocationLatitude": "Location Latitude",
    "LocationLongitude": "Location Longitude",
    "DistributionChannel": "Distribution Channel",
    "UserLanguage": "User Language",
}
LAST_NAMES = ["Tan", "Lim", "Ng", "Goh", "Chua", "Koh", "Teo", "Ong"]
FIRST_NAMES = ["Wei Ling", "Jun Hao", "Siti", "Arjun", "Mei Xin", "Hafiz", "Priya", "Kai Wen"]
PLANTED_RULES = [
    "preview_spam",
    "screening",
    "unfinished",
    "duplicate",
    "attention",
    "speeder",
    "straightliner",
    "out_of_range",
]


def question_columns(codebook: Codebook, wave: str | None) -> list[tuple[str, str, str]]:
    """(export column, canonical name, question text) of the questions, in export order."""
    out = [(codebook.checks["screening"].column(wave), "screening", codebook.checks["screening"].text)]
    for name, item in codebook.items.items():
        out.append((item.column(wave), name, item.text))
        if name == "EFF4":
            out.append((codebook.checks["attention"].column(wave), "attention", codebook.checks["attention"].text))
    for name, q in codebook.firm_variables.items():
        if name != "firm_code":
            out.append((q.column(wave), name, q.text))
    out.append((codebook.firm_variables["firm_code"].column(wave), "firm_code", "FirmCode"))
    return out


@dataclass
class Wave:
    """Rows of one wave's export and what was planted in them."""

    wave: str
    columns: list
    rows: list
    planted: list = field(default_factory=list)
    fixes: list = field(default_factory=list)
    private: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [c for c, _, _ in self.columns]


def _stamp(day: int, second: int) -> str:
    return f"2025-03-{1 + day % 28:02d} {8 + (second // 3600) % 10:02d}:{(second // 60) % 60:02d}:{second % 60:02d}"


def build_wave(
    codebook: Codebook,
    wave: str,
    n_good: int = 40,
    seed: int = 1,
    plant: bool = True,
    firm_offset: int = 0,
    id_prefix: str | None = None,
) -> Wave:
    """Good responses from a six-factor model plus (if ``plant``) one bad response per rule."""
    rng = np.random.default_rng(seed)
    columns = [(m, m, META_TEXT[m]) for m in META] + question_columns(codebook, wave)
    prefix = id_prefix or f"R_{wave.replace('-', '')}"
    rows, planted, fixes = [], [], []
    private = {
        "IPAddress": [],
        "RecipientEmail": [],
        "RecipientLastName": [],
        "RecipientFirstName": [],
        "LocationLatitude": [],
        "LocationLongitude": [],
    }

    def good(k: int) -> dict:
        latent = {c: rng.normal() for c in codebook.constructs}
        row = {}
        duration = int(rng.integers(420, 900))
        start = int(rng.integers(0, 20000))
        row.update(
            {
                "StartDate": _stamp(k, start),
                "EndDate": _stamp(k, start + duration),
                "Status": "0",
                "IPAddress": f"203.0.{113 + k % 3}.{10 + k}",
                "Progress": "100",
                "Duration (in seconds)": str(duration),
                "Finished": "1",
                "RecordedDate": _stamp(k, start + duration),
                "ResponseId": f"{prefix}{k:04d}xq",
                "RecipientLastName": LAST_NAMES[k % 8] + f"{k}son",
                "RecipientFirstName": FIRST_NAMES[k % 8] + f" Q{k}",
                "RecipientEmail": f"owner{k}.{wave}@firm{k}.example.sg",
                "ExternalReference": f"EXT-{wave}-{k}",
                "LocationLatitude": f"1.{3000 + 7 * k:04d}17",
                "LocationLongitude": f"103.{8000 + 3 * k:04d}29",
                "DistributionChannel": "anonymous",
                "UserLanguage": "EN",
            }
        )
        for key in private:
            private[key].append(row[key])
        for column, name, _ in question_columns(codebook, wave):
            if name == "screening":
                row[column] = "1"
            elif name == "attention":
                row[column] = str(codebook.checks["attention"].expected)
            elif name in codebook.items:
                item = codebook.items[name]
                value = int(np.clip(np.rint(4 + 1.2 * latent[item.construct] + rng.normal(0, 0.9)), 1, 7))
                if item.reverse:
                    value = 8 - value
                row[column] = str(value)
            elif name == "firm_code":
                row[column] = f"F{firm_offset + k:04d}"
            elif name == "employees":
                row[column] = str(int(rng.integers(5, 190)))
            elif name == "founding_year":
                row[column] = str(int(rng.integers(1970, 2020)))
            elif name == "sector":
                row[column] = str(int(rng.integers(1, 7)))
            elif name == "foreign_markets":
                row[column] = str(int(rng.integers(0, 20)))
            elif name == "years_abroad":
                row[column] = str(int(rng.integers(0, 30)))
        return row

    for k in range(n_good):
        rows.append(good(k))
    if plant:
        k = n_good
        col = {name: column for column, name, _ in question_columns(codebook, wave)}

        def add(rule: str, change) -> None:
            nonlocal k
            row = good(k)
            change(row)
            rows.append(row)
            planted.append((row["ResponseId"], rule))
            k += 1

        add("preview_spam", lambda r: r.update({"Status": "1"}))
        add("preview_spam", lambda r: r.update({"DistributionChannel": "preview"}))

        def screened_out(r):
            r[col["screening"]] = "2"
            for column, name, _ in question_columns(codebook, wave):
                if name not in ("screening", "firm_code"):
                    r[column] = ""
            r["Duration (in seconds)"] = "35"

        add("screening", screened_out)

        def unfinished(r):
            r.update({"Finished": "0", "Progress": "41"})
            for name in [*codebook.item_names[12:], *codebook.firm_fields]:
                r[col[name]] = ""

        add("unfinished", unfinished)
        first_firm = rows[0][col["firm_code"]]
        add("duplicate", lambda r: r.update({col["firm_code"]: first_firm, "RecordedDate": "2025-04-30 23:00:00"}))
        add("attention", lambda r: r.update({col["attention"]: "2"}))
        add("speeder", lambda r: r.update({"Duration (in seconds)": "61"}))

        def straight(r):
            for name in codebook.item_names:
                r[col[name]] = "5"

        add("straightliner", straight)
        add("out_of_range", lambda r: r.update({col["INST3"]: "9"}))
        add("out_of_range", lambda r: r.update({col["employees"]: "about fifty"}))
        # harmless mistypes on good responses: normalised, logged, kept
        rows[1][col["employees"]] = " 45 "
        fixes.append((rows[1]["ResponseId"], "employees", " 45 ", "45"))
        rows[2][col["founding_year"]] = "2009.0"
        fixes.append((rows[2]["ResponseId"], "founding_year", "2009.0", "2009"))
    return Wave(wave=wave, columns=columns, rows=rows, planted=planted, fixes=fixes, private=private)


# ---------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------


def _csv_text(records: list[list[str]], trailing_comma: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for record in records:
        writer.writerow(record + ([""] if trailing_comma else []))
    return buffer.getvalue()


def write_current(path: Path, wave: Wave, bom: bool = False, drop_header: int | None = None) -> Path:
    """A current Qualtrics export: names, question text, ImportId JSON, then the responses."""
    names = wave.names
    texts = [t for _, _, t in wave.columns]
    ids = []
    for column, name, _ in wave.columns:
        if column in META_IMPORT:
            ids.append(json.dumps(META_IMPORT[column], separators=(",", ":")))
        elif name == "firm_code":
            ids.append(json.dumps({"ImportId": column}))
        elif name in ("employees", "founding_year", "foreign_markets", "years_abroad"):
            ids.append(json.dumps({"ImportId": f"QID{column[1:]}_TEXT"}))
        else:
            ids.append(json.dumps({"ImportId": f"QID{column[1:]}"}))
    header = [names, texts, ids]
    if drop_header is not None:
        del header[drop_header]
    records = header + [[row.get(c, "") for c in names] for row in wave.rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("\ufeff" if bom else "") + _csv_text(records), encoding="utf-8", newline="")
    return path


LEGACY_META = [
    "ResponseId",
    "Status",
    "StartDate",
    "EndDate",
    "Finished",
    "Progress",
    "Duration (in seconds)",
    "RecordedDate",
    "IPAddress",
    "RecipientEmail",
    "RecipientLastName",
    "RecipientFirstName",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
]
LEGACY_NAMES = {
    "ResponseId": "ResponseID",
    "RecipientEmail": "EmailAddress",
    "ExternalReference": "ExternalDataReference",
}


def write_legacy(path: Path, wave: Wave) -> Path:
    """A legacy export: V1..Vn (real names in row 2) for metadata, question ids, BOM, trailing comma."""
    meta = LEGACY_META
    questions = [(c, t) for c, n, t in wave.columns if c not in META]
    first = [f"V{i + 1}" for i in range(len(meta))] + [c for c, _ in questions]
    second = [LEGACY_NAMES.get(m, m) for m in meta] + [t for _, t in questions]
    records = [first, second] + [
        [row.get(m, "") for m in meta] + [row.get(c, "") for c, _ in questions] for row in wave.rows
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeff" + _csv_text(records, trailing_comma=True), encoding="utf-8", newline="")
    return path


def write_sav(path: Path, wave: Wave, user_missing_code: int = -99) -> Path:
    """An SPSS export: numeric codes with value labels, -99 declared user-missing for the items.

    Empty item answers are written as the user-missing code; text-entry firm variables
    and metadata dates are strings.
    """
    import pandas as pd
    import pyreadstat

    names = {c: c.replace(" ", "_").replace("(", "_").replace(")", "_") for c in wave.names}
    names["Duration (in seconds)"] = "Duration__in_seconds_"
    numeric = {
        c
        for c, n, _ in wave.columns
        if n in ("Status", "Progress", "Finished", "Duration (in seconds)", "screening", "attention", "sector")
        or n.rstrip("0123456789") in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO", "MARK")
    }
    likert = {
        c for c, n, _ in wave.columns if n.rstrip("0123456789") in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO", "MARK")
    }
    data = {}
    for column in wave.names:
        values = [row.get(column, "") for row in wave.rows]
        if column in numeric:
            coded = []
            for v in values:
                if v == "":
                    coded.append(float(user_missing_code) if column in likert else np.nan)
                else:
                    coded.append(float(v))
            data[names[column]] = coded
        else:
            data[names[column]] = values
    frame = pd.DataFrame(data)
    labels = {
        1: "Strongly disagree",
        2: "Disagree",
        3: "Somewhat disagree",
        4: "Neither agree nor disagree",
        5: "Somewhat agree",
        6: "Agree",
        7: "Strongly agree",
        user_missing_code: "No answer",
    }
    item_vars = [
        names[c]
        for c, n, _ in wave.columns
        if n.rstrip("0123456789") in ("INST", "VIRT", "EFF", "MKT", "CAP", "SCO", "MARK")
    ]
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={names[c]: (t or c)[:200] for c, _, t in wave.columns},
        variable_value_labels={v: labels for v in item_vars},
        missing_ranges={v: [user_missing_code] for v in item_vars},
    )
    return path
