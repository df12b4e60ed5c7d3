"""``nero claims``: check the claims registry; evaluate it on a results folder.

``nero claims check REGISTRY`` validates a registry (schema and names) and lists its
claims; ``nero claims evaluate --results DIR`` prints the rule's outcome on every claim
from the tables under DIR (``--json``: the record of the rules alone). The verdicts the study
reports, qualified by the design analysis's power and false support, are the workflow's
(``results/claims.csv`` and ``results/claims.json``, :mod:`nero.design.operating`): this package
sits below the design and does not read it;
``nero claims register`` writes the registration document (rules, thresholds, changelog,
sha256; dated by the registry or ``--date``) for deposit before the real data are unblinded.
"""

from __future__ import annotations

import argparse

from nero.console import UserError, add_json_flag, emit


def _load(path: str, schema: str | None):
    from nero.claims.registry import RegistryError, load_registry

    try:
        return load_registry(path, schema)
    except RegistryError as exc:
        raise UserError(str(exc)) from None


def _check(args: argparse.Namespace) -> int:
    registry = _load(args.registry, args.schema)
    payload = {
        "registry": args.registry,
        "valid": True,
        "claims": [c.id for c in registry.claims],
        "tables": registry.tables(),
        "thresholds": registry.thresholds,
    }
    lines = [f"{args.registry}: valid ({len(registry.claims)} claims, {len(registry.thresholds)} thresholds)"]
    lines += [f"  {c.id} [{c.study}]" for c in registry.claims]
    lines.append("tables named: " + ", ".join(registry.tables()))
    emit(payload, args.json, "\n".join(lines))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nero.claims.evaluate import evaluate_claims
    from nero.claims.io import read_tables

    if not Path(args.results).is_dir():
        raise UserError(f"--results {args.results}: not a folder")
    registry = _load(args.registry, args.schema)
    try:
        tables = read_tables(args.results, registry.tables())
    except ValueError as exc:
        raise UserError(str(exc)) from None
    result = evaluate_claims(registry, tables)
    emit(result.to_dict(), args.json, result.summary())
    return 0


def _register(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nero.claims.registration import registration_document

    registry = _load(args.registry, args.schema)
    try:
        text = registration_document(registry, args.date, args.registry)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    payload = {
        "registry": args.registry,
        "out": args.out,
        "registry_sha256": registry.digest,
        "document_sha256": digest,
        "date": args.date or registry.registered,
    }
    emit(payload, args.json, f"wrote {args.out} (sha256 {digest})" if args.out else text)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero claims`` with its ``check`` and ``evaluate`` commands."""

    parser = subparsers.add_parser(
        "claims",
        help="the thesis's claims: check the registry, compute the verdicts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(dest="claims_command", metavar="COMMAND")

    check = sub.add_parser("check", help="validate a claims registry (schema, thresholds, references)")
    check.add_argument("registry", help="the registry, e.g. config/claims.yaml")
    check.add_argument("--schema", default=None, help="JSON Schema (default: config/claims.schema.yaml)")
    add_json_flag(check)
    check.set_defaults(func=_check)

    evaluate = sub.add_parser(
        "evaluate",
        help="the rule's outcome on every claim from a results folder (results/claims.csv has the verdicts qualified by the design)",
    )
    evaluate.add_argument("--results", default="results", help="the results folder (default: results)")
    evaluate.add_argument("--registry", default="config/claims.yaml", help="the registry (default: config/claims.yaml)")
    evaluate.add_argument("--schema", default=None, help="JSON Schema (default: config/claims.schema.yaml)")
    add_json_flag(evaluate)
    evaluate.set_defaults(func=_evaluate)

    reg = sub.add_parser("register", help="write the registration document of the registry (for deposit)")
    reg.add_argument("--registry", default="config/claims.yaml", help="the registry (default: config/claims.yaml)")
    reg.add_argument("--schema", default=None, help="JSON Schema (default: config/claims.schema.yaml)")
    reg.add_argument("--date", default=None, help="registration date YYYY-MM-DD (default: the registry's registered)")
    reg.add_argument("--out", default=None, help="write the document here (Markdown); default: print it")
    add_json_flag(reg)
    reg.set_defaults(func=_register)
