"""``nero qual``: look inside a coding project (REFI-QDA ``.qdpx`` or coded-segments CSV)."""

from __future__ import annotations

import argparse
from pathlib import Path

from nero.console import UserError, add_json_flag, emit
from nero.qual.data import read_project
from nero.qual.project import QdaImportError
from nero.untrusted import ReadLimits

CONFIG_HELP = (
    "config.yaml whose 'limits' (reading limits) and 'qual.allowed_source_roots' (folders outside the raw "
    "folder that sources may be read from) apply; default: the built-in limits, no other folder"
)


def _bounds(args: argparse.Namespace) -> dict:
    """``raw_root``, ``allowed_roots`` and ``limits`` from ``--config`` (none given: the defaults)."""
    if not args.config:
        return {}
    from nero.config import load_yaml

    config = load_yaml(args.config)
    try:
        limits = ReadLimits.from_config(config)
    except (TypeError, ValueError) as exc:
        raise UserError(f"{args.config}: {exc}") from exc
    return {"allowed_roots": list((config.get("qual") or {}).get("allowed_source_roots") or []), "limits": limits}


def _columns(specs: list[str] | None) -> dict[str, str] | None:
    """``["start=Pos0", ...]`` -> ``{"start": "Pos0"}``."""
    if not specs:
        return None
    out = {}
    for spec in specs:
        if "=" not in spec:
            raise UserError(f"--column {spec!r}: expected COLUMN=HEADER (e.g. start=Pos0)")
        name, header = spec.split("=", 1)
        out[name.strip()] = header.strip()
    return out


def _summary(args: argparse.Namespace) -> int:
    try:
        project = read_project(
            args.file, transcripts_dir=args.transcripts, columns=_columns(args.column), **_bounds(args)
        )
    except QdaImportError as exc:
        raise UserError(str(exc)) from exc
    emit(project.to_dict(), args.json, project.summary())
    return 0


def _import(args: argparse.Namespace) -> int:
    from nero.qual.data import import_study

    out = Path(args.out)
    try:
        project = import_study(
            args.file,
            out / "selections.csv",
            out / "cases.csv",
            out / "project.json",
            transcripts_dir=args.transcripts,
            columns=_columns(args.column),
            **_bounds(args),
        )
    except QdaImportError as exc:
        raise UserError(str(exc)) from exc
    emit(
        {"out": str(out), "selections": len(project.selections), "warnings": project.warnings},
        args.json,
        project.summary() + f"\nwrote {out}/selections.csv, cases.csv, project.json",
    )
    return 0


def _column_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--column",
        action="append",
        default=None,
        metavar="COLUMN=HEADER",
        help="a coded-segments CSV's own header for one of document, coder, code_path, start, end, "
        "text (repeatable; e.g. --column start=Pos0)",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "qual",
        help="Study 1: the coded interviews",
        description="Study 1 (qualitative): read REFI-QDA projects and coded-segments CSV files.",
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(metavar="ACTION")

    summary = sub.add_parser(
        "summary",
        help="what a .qdpx or coded-segments CSV holds",
        description="Read FILE (a REFI-QDA .qdpx project or a coded-segments CSV) and print its sources, "
        "codes (full paths), coders, cases with their variables and, with --json, every coded selection "
        "(source, code path, coder, start, end, text; start/end are character indices into the source "
        "text as stored). Exits 2 naming the file and the element if FILE cannot be read.",
    )
    summary.add_argument("file", help="a .qdpx file or a coded-segments .csv")
    summary.add_argument(
        "--transcripts",
        default=None,
        metavar="DIR",
        help="transcripts folder for a CSV (default: transcripts/ beside it)",
    )
    summary.add_argument("--config", default=None, metavar="CONFIG", help=CONFIG_HELP)
    _column_arg(summary)
    add_json_flag(summary)
    summary.set_defaults(func=_summary)

    imp = sub.add_parser(
        "import",
        help="read a coding project into the Study-1 intermediates",
        description="Read FILE (.qdpx or coded-segments CSV) and write selections.csv, cases.csv and "
        "project.json under --out (as the qual_import rule does). Nothing is written if FILE cannot be "
        "read or holds no coded selection; exits 2 naming the file and the element.",
    )
    imp.add_argument("file", help="a .qdpx file or a coded-segments .csv")
    imp.add_argument("--out", required=True, metavar="DIR", help="folder for the three files")
    imp.add_argument(
        "--transcripts",
        default=None,
        metavar="DIR",
        help="transcripts folder for a CSV (default: transcripts/ beside it)",
    )
    imp.add_argument("--config", default=None, metavar="CONFIG", help=CONFIG_HELP)
    _column_arg(imp)
    add_json_flag(imp)
    imp.set_defaults(func=_import)
