"""An independent, minimal implementation of the cleaning contract of docs/architecture.md.

Used only to check that the synthetic exports and their ground truth agree; the
real cleaning stage lives in ``nero.survey``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from nero.simulate.codebook import item_column, likert_items

RULES = (
    "preview_spam",
    "screening",
    "unfinished",
    "duplicate",
    "attention",
    "speeder",
    "straightliner",
    "out_of_range",
)


def read_export(path: Path) -> pd.DataFrame:
    """Read a Qualtrics export: first header row as columns, skip the other two."""
    return pd.read_csv(path, header=0, skiprows=[1, 2], dtype=str, keep_default_na=False, encoding="utf-8-sig")


def normalise_integer(value: str) -> int | None:
    """Parse a text-entry integer allowing harmless formatting (spaces, 1,200, 45.0)."""
    text = value.strip().replace(",", "")
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(float(text))
    return None


def clean(
    exports: dict[str, Path],
    codebook: dict,
    speeder_share: float = 0.4,
    run_limit: int = 15,
    sd_limit: float = 0.25,
    median_over: str = "finished",
    recode_for_straightline: bool = False,
) -> pd.DataFrame:
    """Apply the eight rules; return one row per response with its ``rule`` ('' = usable)."""
    frames = []
    for wave, path in exports.items():
        frame = read_export(path)
        frame["wave"] = wave
        frames.append(frame)
    lo, hi = codebook["scale"]["min"], codebook["scale"]["max"]
    items = likert_items(codebook)
    screening = codebook["checks"]["screening"]
    attention = codebook["checks"]["attention"]
    fv = codebook["firm_variables"]
    results = []
    for frame in frames:
        for _, row in frame.iterrows():
            rule = ""
            if row["Status"] != "0" or row["DistributionChannel"] in ("preview", "test"):
                rule = "preview_spam"
            elif normalise_integer(row[screening["id"]]) not in screening["pass_values"]:
                rule = "screening"
            elif row["Finished"] == "0" or int(row["Progress"]) < 100:
                rule = "unfinished"
            results.append({"wave": row["wave"], "ResponseId": row["ResponseId"], "rule": rule, "row": row})
    survivors = sorted((r for r in results if not r["rule"]), key=lambda r: (r["row"]["RecordedDate"], r["ResponseId"]))
    kept = set()
    for r in survivors:
        code = r["row"][fv["firm_code"]["id"]]
        if code in kept:
            r["rule"] = "duplicate"
        else:
            kept.add(code)
    for r in results:
        if not r["rule"] and normalise_integer(r["row"][attention["id"]]) != attention["expected"]:
            r["rule"] = "attention"
    medians = {}
    for wave in exports:
        if median_over == "finished":
            pool = [r for r in results if r["wave"] == wave and r["row"]["Finished"] == "1"]
        else:
            pool = [r for r in results if r["wave"] == wave and not r["rule"]]
        medians[wave] = float(np.median([float(r["row"]["Duration (in seconds)"]) for r in pool]))
    for r in results:
        if not r["rule"] and float(r["row"]["Duration (in seconds)"]) < speeder_share * medians[r["wave"]]:
            r["rule"] = "speeder"
    for r in results:
        if r["rule"]:
            continue
        values = []
        for item in items:
            raw = r["row"][item_column(codebook, item, r["wave"])].strip()
            if raw == "":
                continue
            try:
                v = float(raw)
            except ValueError:
                continue
            if recode_for_straightline and codebook["items"][item].get("reverse", False):
                v = lo + hi - v
            values.append(v)
        longest = run = 1
        for a, b in zip(values, values[1:]):
            run = run + 1 if a == b else 1
            longest = max(longest, run)
        if longest >= run_limit or np.std(values, ddof=1) < sd_limit:
            r["rule"] = "straightliner"
    for r in results:
        if r["rule"]:
            continue
        bad = False
        for item in items:
            raw = r["row"][item_column(codebook, item, r["wave"])].strip()
            if raw and (normalise_integer(raw) is None or not lo <= normalise_integer(raw) <= hi):
                bad = True
        for name, spec in fv.items():  # noqa: B007
            if spec["kind"] == "string":
                continue
            value = normalise_integer(r["row"][spec["id"]])
            if value is None:
                bad = True
            elif spec["kind"] == "code" and value not in spec["codes"]:
                bad = True
            elif spec["kind"] == "integer" and not spec["min"] <= value <= spec["max"]:
                bad = True
        if bad:
            r["rule"] = "out_of_range"
    return pd.DataFrame([{k: v for k, v in r.items() if k != "row"} for r in results])
