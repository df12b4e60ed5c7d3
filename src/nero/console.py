"""What every command of the ``nero`` command line shares: the user-error type and the output.

The top-level parser (:mod:`nero.cli`) and each stage's ``cli`` module import these from here,
so no sub-command imports the module that loads it (the stage CLIs sit above this module and
below :mod:`nero.cli`).

- :class:`UserError` -- an error caused by the user's input; printed without a traceback
- :func:`emit` -- print a result as text or, with ``--json``, as JSON
- :func:`add_json_flag` -- the common ``--json`` flag of a leaf parser
- :func:`json_default` -- how numpy and pandas values are written as JSON (also by
  :func:`nero.outputs.write_json`)
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


class UserError(Exception):
    """An error caused by the user's input; printed without a traceback."""


def json_default(obj: Any) -> Any:
    """The JSON form of a value :mod:`json` cannot write itself.

    numpy scalars become Python numbers, arrays lists, data frames lists of records, series and
    other objects with ``to_dict`` dicts, sets sorted lists; anything else its ``str``.
    """
    import numpy as np
    import pandas as pd

    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, pd.DataFrame):
        return obj.to_dict(orient="records")
    if isinstance(obj, pd.Series):
        return obj.to_dict()
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    return str(obj)


def emit(payload: Any, as_json: bool, text: str | None = None) -> None:
    """Print ``payload`` as JSON (``as_json``) or ``text`` (default: JSON anyway)."""
    if as_json or text is None:
        json.dump(payload, sys.stdout, indent=2, default=json_default, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add the common ``--json`` flag to a leaf parser."""
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
