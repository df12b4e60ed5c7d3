"""The ``nero`` command line.

Each method subpackage that offers commands has a ``cli`` module exposing
``register(subparsers)``; it adds one sub-command (``nero <name> ...``) whose
leaf parsers set ``func`` to a callable ``func(args) -> int``. Commands print
human-readable text by default and a JSON document with ``--json``.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import importlib.util
import sys

from nero.console import UserError, add_json_flag, emit

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
    "nero.design.cli",
]

#: Every sub-command: (name, module that registers it, its one-line help). ``nero CMD ...``
#: imports only CMD's module (a stage's package takes 1-4 s to import), and ``nero --help``
#: none; the help texts are the modules' own (``tests/test_cli.py`` keeps them equal).
COMMANDS = [
    ("simulate", "nero.simulate.cli", "generate the synthetic stand-in study (raw files and ground truth)"),
    ("slr", "nero.slr.cli", "Stage 0: the systematic literature review"),
    ("qual", "nero.qual.cli", "Study 1: the coded interviews"),
    ("survey", "nero.survey.cli", "read and clean the Study 2 survey exports"),
    ("sem", "nero.sem.cli", "CFA, reliability, PROCESS mediation/moderation, SEM checks"),
    ("fsqca", "nero.fsqca.cli", "fuzzy-set QCA: calibration, necessity, truth tables, exact minimization"),
    (
        "audit",
        "nero.provenance.cli",
        "verify raw data, rebuild the study, compare with results-reference/ and with results/",
    ),
    ("status", "nero.provenance.cli", "what in results/ is out of date and why; failed rules; the build lock"),
    ("provenance", "nero.provenance.cli", "raw-data checksums"),
    ("claims", "nero.claims.cli", "the thesis's claims: check the registry, compute the verdicts"),
    ("design", "nero.design.cli", "design analysis: the synthetic stand-in's seed by its declared typicality rule"),
]


def build_parser(command: str | None = "*") -> argparse.ArgumentParser:
    """The ``nero`` parser.

    Parameters
    ----------
    command : str or None
        The sub-command whose module is imported and registered in full (with the other
        commands of that module); the others get a help-only entry with their one-line
        help (enough for ``nero --help`` and for argparse's "invalid choice" message).
        ``"*"`` (default) registers every module; ``None`` none.
    """
    from nero import __version__

    parser = argparse.ArgumentParser(
        prog="nero",
        description="Network Ambidexterity study pipeline: rebuild and audit every result from the raw data.",
    )
    parser.add_argument("--version", action="version", version=f"nero {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = {module for name, module, _ in COMMANDS if command in ("*", name)}
    registered: set[str] = set()
    for name, module, help_text in COMMANDS:
        if module in wanted:
            if (
                module not in registered
                and importlib.util.find_spec(module.rsplit(".", 1)[0]) is not None
                and importlib.util.find_spec(module) is not None
            ):
                importlib.import_module(module).register(sub)  # all of the module's commands, in order
            registered.add(module)
        else:
            sub.add_parser(name, help=help_text, add_help=False)
    register_config(sub)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The sub-command named in ``argv`` (its first word that is not an option), or None."""
    for word in argv:
        if word.startswith("-"):
            if word in ("-h", "--help", "--version"):
                return None
            continue
        return word
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_in(argv))
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
    except OSError as exc:
        # a full disk, a read-only or missing output folder: name the path and what went wrong
        if exc.errno not in _WRITE_ERRNOS:
            raise
        where = exc.filename or "an output file"
        print(
            f"nero: error: cannot write {where}: {exc.strerror} ({errno.errorcode.get(exc.errno, exc.errno)}); "
            "nothing was left half-written (outputs are written atomically). "
            + _WRITE_HINTS.get(exc.errno, "Check the output folder and run again."),
            file=sys.stderr,
        )
        return 2


_WRITE_ERRNOS = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.ENOTDIR,
    errno.EISDIR,
    errno.EFBIG,
}
_WRITE_HINTS = {
    errno.ENOSPC: "Free disk space (results/ and the temporary folder) and run again.",
    errno.EDQUOT: "The disk quota is used up: free space and run again.",
    errno.EROFS: "The folder is on a read-only file system: choose another output folder.",
    errno.EACCES: "The folder is not writable for you: fix its permissions or choose another.",
    errno.EPERM: "The folder or file is protected (immutable?): lift the protection or choose another.",
    errno.ENOTDIR: "A part of the output path is a file, not a folder: choose another output folder.",
    errno.EFBIG: "The file is larger than allowed (a file size limit, `ulimit -f`, or the file system's maximum): "
    "raise the limit and run again.",
}


def _config_check(args: argparse.Namespace) -> int:
    from nero.config import ConfigError, check_config, load_yaml

    try:
        config = load_yaml(args.config)
        if not isinstance(config, dict):
            raise ConfigError(f"{args.config}: expected a mapping of settings at the top level")
        check_config(config, args.schema)
    except FileNotFoundError as exc:
        raise UserError(f"{exc.filename}: no such file") from None
    except ConfigError as exc:
        raise UserError(
            str(exc).replace("config/config.yaml does not match", f"{args.config} does not match", 1)
        ) from None
    emit({"config": args.config, "ok": True}, args.json, f"{args.config}: valid (schema {args.schema})")
    return 0


def register_config(subparsers: argparse._SubParsersAction) -> None:
    """``nero config check``: validate a study configuration before a run."""
    parser = subparsers.add_parser(
        "config",
        help="validate the study configuration",
        description="Validate config/config.yaml against its schema and value orders.",
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(metavar="ACTION")
    check = sub.add_parser(
        "check",
        help="validate a config file, naming every bad key",
        description="Check CONFIG against SCHEMA (types, required and unknown keys, ranges) and "
        "the orders a schema cannot express (fsQCA anchors); exit 2 listing every bad key.",
    )
    check.add_argument("config", nargs="?", default="config/config.yaml", help="default: config/config.yaml")
    check.add_argument("--schema", default="config/schema.yaml", help="default: config/schema.yaml")
    add_json_flag(check)
    check.set_defaults(func=_config_check)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
