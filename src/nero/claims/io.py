"""Reading the result tables a registry names (the only file access of nero.claims)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd


def read_tables(results_dir: str | os.PathLike, paths: Iterable[str]) -> dict[str, Any]:
    """Load every table of ``paths`` (relative to ``results_dir``) that exists.

    CSV files become DataFrames, JSON files dicts/lists; missing files are left out (the
    claims that need them become inconclusive). A file that exists but cannot be parsed
    is an error naming the file.
    """
    results_dir = Path(results_dir)
    tables: dict[str, Any] = {}
    for rel in paths:
        path = results_dir / rel
        if not path.is_file():
            continue
        try:
            if path.suffix == ".json":
                tables[rel] = json.loads(path.read_text(encoding="utf-8"))
            else:
                tables[rel] = pd.read_csv(path)
        except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: cannot read the table ({exc})") from exc
        except pd.errors.EmptyDataError:
            tables[rel] = pd.DataFrame()
    return tables
