"""``nero qual``: look inside a coding project (REFI-QDA ``.qdpx`` or coded-segments CSV)."""

from __future__ import annotations

import argparse

from nero.cli import UserError, add_json_flag, emit
from nero.qual.data import read_project
from nero.qual.refiqda import QdaImportError


def _summary(args: argparse.Namespace) -> int:
    try:
        project = read_project(args.file, transcripts_dir=args.transcripts)
    except QdaImportError as exc:
        raise UserError(str(exc)) from exc
    emit(project.to_dict(), args.json, project.summary())
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "qual", help="Study 1: the coded interviews",
        description="Study 1 (qualitative): read REFI-QDA projects and coded-segments CSV files.",
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(metavar="ACTION")

    summary = sub.add_parser(
        "summary", help="what a .qdpx or coded-segments CSV holds",
        description="Read FILE (a REFI-QDA .qdpx project or a coded-segments CSV) and print its sources, "
        "codes (full paths), coders, cases with their variables and, with --json, every coded selection "
        "(source, code path, coder, start, end, text; start/end are character indices into the source "
        "text as stored). Exits 2 naming the file and the element if FILE cannot be read.",
    )
    summary.add_argument("file", help="a .qdpx file or a coded-segments .csv")
    summary.add_argument("--transcripts", default=None, metavar="DIR",
                         help="transcripts folder for a CSV (default: transcripts/ beside it)")
    add_json_flag(summary)
    summary.set_defaults(func=_summary)
