"""``nero provenance``: check the raw data against their manifest, or write a manifest."""

from __future__ import annotations

import argparse

from nero.console import UserError, add_json_flag, emit
from nero.provenance.manifest import verify_manifest, write_manifest


def _verify(args: argparse.Namespace) -> int:
    try:
        check = verify_manifest(args.raw_dir, args.manifest)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    emit(check.to_dict(), args.json, check.summary())
    return 0 if check.ok else 1


def _manifest(args: argparse.Namespace) -> int:
    from pathlib import Path

    folder = Path(args.raw_dir).resolve()
    if not folder.is_dir():
        raise UserError(f"{args.raw_dir}: no such folder (expected the raw-data folder, e.g. data/raw)")
    for parent in folder.parents:
        if (parent / "MANIFEST.sha256").is_file():
            raise UserError(
                f"{args.raw_dir} is inside {parent}, which has its own MANIFEST.sha256; a manifest here would be a "
                f"stray second one. Write the manifest of the whole raw-data folder: nero provenance manifest {parent}"
            )
    path = write_manifest(args.raw_dir)
    emit({"manifest": str(path)}, args.json, f"wrote {path}")
    return 0


def _audit(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nero.provenance.audit import compare_results, run_audit, update_reference

    if args.update_reference:
        tables = update_reference(args.results or "results", args.reference or "results-reference")
        emit(
            {"reference_tables": tables},
            args.json,
            f"copied {len(tables)} tables into {args.reference or 'results-reference'}",
        )
        return 0
    if args.results:
        report = compare_results(args.reference or "results-reference", args.results, args.rtol, args.atol)
    else:
        if not Path(args.repo, "data", "raw", "MANIFEST.sha256").is_file():
            raise UserError(
                f"{args.repo}: no data/raw/MANIFEST.sha256 here (run nero audit from the project folder or pass --repo)"
            )
        report = run_audit(
            args.repo,
            args.reference,
            keep=args.keep,
            cores=args.cores,
            rtol=args.rtol,
            atol=args.atol,
            results_dir=None if args.skip_results else "results",
        )
    emit(report.to_dict(), args.json, report.summary())
    return 0 if report.ok else 1


def register_audit(subparsers: argparse._SubParsersAction) -> None:
    from nero.provenance.comparison import ATOL, RTOL

    audit = subparsers.add_parser(
        "audit",
        help="verify raw data, rebuild the study, compare with results-reference/ and with results/",
        description="Verify data/raw against its manifest, rebuild the whole study in a temporary "
        "directory, compare every table in results-reference/ with the rebuilt one, then compare what the "
        "examiner reads in results/ (tables, the report's text, the notebooks' outputs, figure bytes) with "
        "the rebuild; print a pass/fail list naming every table, cell, file and line that differs.",
    )
    audit.add_argument("--repo", default=".", help="the project folder (default: .)")
    audit.add_argument("--reference", default=None, help="reference tables (default: REPO/results-reference)")
    audit.add_argument("--results", default=None, help="compare this results folder instead of rebuilding")
    audit.add_argument("--keep", default=None, help="rebuild in this folder and keep it (default: a temporary folder)")
    audit.add_argument("--cores", default="all", help="cores for the rebuild (default: all)")
    audit.add_argument("--rtol", type=float, default=RTOL, help=f"relative tolerance (default {RTOL:g})")
    audit.add_argument("--atol", type=float, default=ATOL, help=f"absolute tolerance (default {ATOL:g})")
    audit.add_argument(
        "--skip-results",
        action="store_true",
        help="do not compare the existing REPO/results/ with the rebuild (compared by default)",
    )
    audit.add_argument(
        "--update-reference",
        action="store_true",
        help="copy the reference tables of --results (default results/) into --reference",
    )
    add_json_flag(audit)
    audit.set_defaults(func=_audit)


def _status(args: argparse.Namespace) -> int:
    from nero.outputs import failed_rule_errors, format_failures
    from nero.provenance.runstate import build_status, clear_stale_lock

    if args.clear_stale_lock:
        state = clear_stale_lock(args.repo)
        if state.state == "stale":
            print(
                "nero: removed the stale lock of a killed build (no Snakemake process works here); "
                "its incomplete jobs are rerun",
                flush=True,
            )
        elif state.state == "held":
            raise UserError(state.describe())
        return 0
    if args.errors:
        text = format_failures(failed_rule_errors(f"{args.repo}/results/logs"))
        if text:
            print(text)
        return 1 if text else 0
    report = build_status(args.repo)
    from nero.design.shipped import ReferenceError, project_status

    try:  # the shipped design analysis (design-reference/): stale when code or config changed since
        design = project_status(args.repo)
        design_line, design_record = (
            design.summary(),
            {"stale": design.stale, "changed": design.changed, "shipped": design.shipped, "current": design.current},
        )
    except (ReferenceError, OSError) as exc:
        design_line, design_record = f"design reference: {exc}", {"error": str(exc)}
    emit({**report.to_dict(), "design_reference": design_record}, args.json, report.summary() + "\n" + design_line)
    return 0 if report.ok else 1


def register_status(subparsers: argparse._SubParsersAction) -> None:
    status = subparsers.add_parser(
        "status",
        help="what in results/ is out of date and why; failed rules; the build lock",
        description="Ask Snakemake which outputs are out of date (and why: changed input, code, params, "
        "missing), list the rules whose last run failed with nero's message, and say whether the folder's "
        "lock is free, held by a running build, or stale (left by a killed build). Exit 0 when everything "
        "is current.",
    )
    status.add_argument("--repo", default=".", help="the project folder (default: .)")
    status.add_argument(
        "--errors",
        action="store_true",
        help="only print the messages of the rules whose last run failed (exit 1 if any)",
    )
    status.add_argument(
        "--clear-stale-lock",
        action="store_true",
        help="remove the lock of a killed build (refused while a build is running); used by make study",
    )
    add_json_flag(status)
    status.set_defaults(func=_status)


def register(subparsers: argparse._SubParsersAction) -> None:
    register_audit(subparsers)
    register_status(subparsers)
    parser = subparsers.add_parser(
        "provenance", help="raw-data checksums", description="Check or write the raw-data manifest."
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(metavar="ACTION")

    verify = sub.add_parser(
        "verify",
        help="compare a raw-data folder with its MANIFEST.sha256",
        description="Compare every file under RAW_DIR with RAW_DIR/MANIFEST.sha256; exit 1 naming "
        "every changed, missing or extra file.",
    )
    verify.add_argument("raw_dir", nargs="?", default="data/raw", help="raw-data folder (default: data/raw)")
    verify.add_argument("--manifest", default=None, help="manifest file (default: RAW_DIR/MANIFEST.sha256)")
    add_json_flag(verify)
    verify.set_defaults(func=_verify)

    manifest = sub.add_parser(
        "manifest",
        help="(re)write RAW_DIR/MANIFEST.sha256",
        description="Write the manifest of RAW_DIR. Use it only when the raw data were replaced on "
        "purpose (for example the real study files in place of the synthetic stand-in).",
    )
    manifest.add_argument("raw_dir", help="raw-data folder")
    add_json_flag(manifest)
    manifest.set_defaults(func=_manifest)
