"""``nero survey``: read one export, or clean a raw survey folder into a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from nero.console import UserError, add_json_flag, emit

DEFAULT_CODEBOOK = "config/codebook.yaml"
DEFAULT_CONFIG = "config/config.yaml"


def _codebook(path: str):
    from nero.survey.codebook import Codebook
    from nero.survey.errors import SurveyInputError

    if not Path(path).is_file():
        raise UserError(f"{path}: no codebook here (pass --codebook PATH)")
    try:
        return Codebook.load(path)
    except SurveyInputError as exc:
        raise UserError(str(exc)) from exc


def _read(args: argparse.Namespace) -> int:
    from nero.survey.errors import SurveyInputError
    from nero.survey.mapping import map_columns
    from nero.survey.readers import read_export

    codebook = _codebook(args.codebook)
    wave = args.wave
    if wave is None:
        folder = Path(args.file).resolve().parent.name
        wave = folder if folder in codebook.waves else None
    elif wave not in codebook.waves:
        raise UserError(f"wave {wave!r} is not listed in {args.codebook} (known: {', '.join(codebook.waves)})")
    try:
        export = read_export(args.file)
    except SurveyInputError as exc:
        raise UserError(str(exc)) from exc
    mapping = map_columns(export.columns, export.import_ids, codebook, wave, file=str(args.file))
    payload = {
        "file": str(args.file),
        "format": export.format,
        "rows": int(len(export.data)),
        "columns": int(len(export.columns)),
        "header_rows": export.header_rows,
        "wave": wave,
        "column_names": export.columns,
        "mapping": mapping.to_dict(),
        "ok": mapping.ok,
    }
    if export.user_missing:
        payload["user_missing"] = export.user_missing
    if export.value_labels:
        payload["value_labels"] = {k: {str(c): label for c, label in v.items()} for k, v in export.value_labels.items()}
    lines = [export.summary(), f"wave ids used: {wave or 'default ids (no wave given)'}"]
    for column, target in mapping.mapping.items():
        via = "" if mapping.how.get(column) == "name" else f" (by ImportId {export.import_ids.get(column)})"
        lines.append(f"  {column} -> {target}{via}")
    if mapping.privacy:
        lines.append(f"  dropped at import (privacy): {', '.join(mapping.privacy)}")
    if not mapping.ok:
        lines.append(mapping.problems(codebook))
    emit(payload, args.json, "\n".join(lines))
    return 0 if mapping.ok else 1


def _clean(args: argparse.Namespace) -> int:
    from nero.config import load_yaml
    from nero.survey.errors import SurveyInputError
    from nero.survey.pipeline import run_survey

    codebook = _codebook(args.codebook)
    settings = None
    if args.config:
        if not Path(args.config).is_file():
            raise UserError(f"{args.config}: no config file here (pass --config PATH)")
        settings = (load_yaml(args.config) or {}).get("survey")
    elif Path(DEFAULT_CONFIG).is_file():
        settings = (load_yaml(DEFAULT_CONFIG) or {}).get("survey")
    try:
        result = run_survey(args.raw_survey_dir, codebook, args.out, settings)
    except (SurveyInputError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    payload = {"out": str(args.out), "counts": result.to_dict(), "usable": int(len(result.clean))}
    emit(payload, args.json, result.summary() + f"\nwrote {args.out}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero survey read`` and ``nero survey clean``."""
    parser = subparsers.add_parser(
        "survey",
        help="read and clean the Study 2 survey exports",
        description="Read Qualtrics (current, legacy) and SPSS exports; clean the survey.",
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(dest="survey_command", metavar="SUBCOMMAND")

    read = sub.add_parser(
        "read",
        help="detect an export's format and map its columns to the codebook",
        description="Report the format detected, rows, columns and the mapping of the "
        "columns to codebook items (exit 1 if a column is unknown or an item missing).",
    )
    read.add_argument("file", help="a Qualtrics CSV (current or legacy) or SPSS .sav export")
    read.add_argument("--codebook", default=DEFAULT_CODEBOOK, help=f"codebook YAML (default {DEFAULT_CODEBOOK})")
    read.add_argument(
        "--wave", default=None, help="wave whose column ids apply (default: the file's folder name if it is a wave)"
    )
    add_json_flag(read)
    read.set_defaults(func=_read)

    clean = sub.add_parser(
        "clean",
        help="import, clean and report a raw survey folder",
        description="Import every wave folder under RAW_SURVEY_DIR, apply the cleaning rules "
        "and write the clean table, exclusion log, flow, reports and figure into --out.",
    )
    clean.add_argument("raw_survey_dir", help="folder with one sub-folder per wave (e.g. data/raw/survey)")
    clean.add_argument("--out", required=True, help="output folder (the layout of results/survey/)")
    clean.add_argument("--codebook", default=DEFAULT_CODEBOOK, help=f"codebook YAML (default {DEFAULT_CODEBOOK})")
    clean.add_argument(
        "--config",
        default=None,
        help=f"config YAML whose `survey:` section holds the settings (default {DEFAULT_CONFIG} if present)",
    )
    add_json_flag(clean)
    clean.set_defaults(func=_clean)
