"""Shared helpers of :mod:`nero.sem`: input checks, atomic writers, time-limited runs."""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nero.outputs import atomic_write_text


class SemInputError(ValueError):
    """Bad input data for a :mod:`nero.sem` function (missing column, non-numeric, too few rows).

    The message names the column and what was expected; the CLI adds the file name.
    """


# ----------------------------------------------------------------------------- input checks


def require_columns(data: pd.DataFrame, columns: Iterable[str], what: str = "data") -> None:
    """Raise :class:`SemInputError` naming every column of ``columns`` missing from ``data``."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise SemInputError(
            f"{what}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"available: {', '.join(map(str, data.columns[:40]))}"
        )


def numeric_frame(
    data: pd.DataFrame,
    columns: Sequence[str],
    what: str = "data",
    min_rows: int = 3,
    dropna: bool = True,
) -> pd.DataFrame:
    """Return ``data[columns]`` as float64, checking that every column is numeric.

    Rows with a missing value in any of ``columns`` are dropped (listwise deletion)
    when ``dropna``; at least ``min_rows`` complete rows must remain.
    """
    require_columns(data, columns, what)
    out = {}
    for col in columns:
        series = data[col]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype(float)
        if not pd.api.types.is_numeric_dtype(series):
            converted = pd.to_numeric(series, errors="coerce")
            bad = series[converted.isna() & series.notna()]
            if len(bad):
                raise SemInputError(
                    f"{what}: column {col!r} must be numeric; found non-numeric value "
                    f"{bad.iloc[0]!r} in row {bad.index[0]!r}"
                )
            series = converted
        out[col] = series.astype(float)
    frame = pd.DataFrame(out, index=data.index)
    if dropna:
        frame = frame.dropna()
    if len(frame) < min_rows:
        raise SemInputError(
            f"{what}: need at least {min_rows} complete rows in column(s) {', '.join(columns)}; found {len(frame)}"
        )
    for col in columns:
        if np.nanstd(frame[col].to_numpy()) == 0:
            raise SemInputError(f"{what}: column {col!r} is constant; a varying numeric column is expected")
    return frame


def dummies(data: pd.DataFrame, column: str, prefix: str | None = None) -> pd.DataFrame:
    """Treatment-coded dummies of a categorical column (first sorted level is the reference)."""
    levels = sorted(pd.unique(data[column].dropna()), key=lambda v: (str(type(v)), v))
    prefix = prefix or column
    cols = {}
    for level in levels[1:]:
        name = f"{prefix}[{level}]"
        cols[name] = (data[column] == level).astype(float).where(data[column].notna())
    return pd.DataFrame(cols, index=data.index)


# ----------------------------------------------------------------------------- writers


def json_default(obj: Any) -> Any:
    """JSON encoder for numpy / pandas objects (NaN is written as null by the caller)."""
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return None if not np.isfinite(obj) else float(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, pd.DataFrame):
        return json_ready(obj.to_dict(orient="records"))
    if isinstance(obj, pd.Series):
        return json_ready(obj.to_dict())
    if isinstance(obj, (pd.Timestamp,)):
        return obj.isoformat()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return str(obj)


def json_ready(obj: Any) -> Any:
    """Replace non-finite floats by ``None`` recursively (strict JSON has no NaN)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, np.floating):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_ready(v) for v in obj]
    return obj


def write_text(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` atomically (temporary file in the target folder, then rename)."""
    target = Path(target)
    atomic_write_text(target, text)
    return target


#: Significant digits of every number written to a SEM table (documented output precision: the
#: estimates agree with lavaan to about 1e-8 relative, so further digits carry no information);
#: the tables are written by :func:`nero.outputs.write_csv` with ``digits=SIGNIFICANT_DIGITS``.
SIGNIFICANT_DIGITS = 8


def write_json(payload: Any, target: str | os.PathLike) -> Path:
    """Write JSON (sorted keys, NaN as null) atomically."""
    text = json.dumps(json_ready(payload), indent=2, sort_keys=True, default=json_default, allow_nan=False)
    return write_text(target, text + "\n")


# ----------------------------------------------------------------------------- threads


@contextmanager
def single_thread():
    """Run the block with one BLAS/OpenMP thread (threadpoolctl), so results and speed do
    not depend on the machine's core count and parallel rules do not oversubscribe."""
    from threadpoolctl import threadpool_limits  # a declared dependency: without it the guard would do nothing

    with threadpool_limits(limits=1):
        yield


# ----------------------------------------------------------------------------- time limits


def _child(conn, func: Callable, args: tuple, kwargs: dict) -> None:  # pragma: no cover - runs in child
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        result = func(*args, **kwargs)
        conn.send(("ok", result))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def _context():
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def run_with_time_limit(
    func: Callable, args: tuple = (), kwargs: dict | None = None, time_limit: float | None = 120.0
) -> tuple[str, Any, float]:
    """Run ``func(*args, **kwargs)`` in a worker process, killed after ``time_limit`` seconds.

    Returns ``(status, payload, seconds)`` with status ``"ok"`` (payload = the return
    value), ``"time limit"`` (payload None), or ``"error"`` (payload = the message).
    ``time_limit=None`` runs in this process without a limit. The worker's result must
    be picklable.
    """
    kwargs = kwargs or {}
    start = time.perf_counter()
    if time_limit is None:
        try:
            return "ok", func(*args, **kwargs), time.perf_counter() - start
        except Exception as exc:  # noqa: BLE001 - reported as a failed fit
            return "error", f"{type(exc).__name__}: {exc}", time.perf_counter() - start
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, func, args, kwargs), daemon=True)
    proc.start()
    sender.close()
    status, payload = "error", "interrupted"
    try:
        if receiver.poll(time_limit):
            try:
                status, payload = receiver.recv()
            except EOFError:
                status, payload = "error", f"worker process died (exit code {proc.exitcode})"
        else:
            status, payload = "time limit", None
    finally:
        if proc.is_alive():
            proc.join(0.5 if status == "ok" else 0)
        if proc.is_alive():
            proc.terminate()
            proc.join(2)
        if proc.is_alive():  # pragma: no cover - terminate ignored
            proc.kill()
            proc.join(2)
        receiver.close()
    return status, payload, time.perf_counter() - start


def fmt(value: Any, digits: int = 3) -> str:
    """Format a number for the text summaries ('-' for missing)."""
    if value is None:
        return "-"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return "-"
    return f"{v:.{digits}f}"


def frame_text(frame: pd.DataFrame, digits: int = 3) -> str:
    """A DataFrame printed with fixed decimals (for ``summary()``)."""
    if frame is None or len(frame) == 0:
        return "(empty)"
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200):
        return frame.to_string(index=False, float_format=lambda v: f"{v:.{digits}f}")
