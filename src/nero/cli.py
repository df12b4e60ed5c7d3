"""The ``nero`` command line.

Each method subpackage that offers commands has a ``cli`` module exposing
``register(subparsers)``; it adds one sub-command (``nero <name> ...``) whose
leaf parsers set ``func`` to a callable ``func(args) -> int``. Commands print
human-readable text by default and a JSON document with ``--json``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from typing import Any

#: Sub-command modules, in the order they appear in ``nero --help``.
COMMAND_MODULES = [
    "nero.simulate.cli",
    "nero.slr.cli",
    "nero.qual.cli",
    "nero.survey.cli",
    "nero.sem.cli",
    "nero.fsqca.cli",
    "nero.provenance.cli",
    "nero.claims.cli",
]


class UserError(Exception):
    """An error caused by the user's input; printed without a traceback."""


def _json_default(obj: Any) -> Any:
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
        json.dump(payload, sys.stdout, indent=2, default=_json_default, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add the common ``--json`` flag to a leaf parser."""
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def build_parser() -> argparse.ArgumentParser:
    from nero import __version__

    parser = argparse.ArgumentParser(
        prog="nero",
        description="Network Ambidexterity study pipeline: rebuild and audit every result from the raw data.",
    )
    parser.add_argument("--version", action="version", version=f"nero {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) is None:
            continue
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        # a group without a leaf command: show its help
        target = getattr(args, "_parser", parser)
        target.print_help()
        return 2 if args.command is None else 0
    try:
        return int(func(args) or 0)
    except UserError as exc:
        print(f"nero: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    # run through the imported module so that its UserError class is the one raised
    from nero.cli import main as _main

    sys.exit(_main())
