"""``nero provenance``: check the raw data against their manifest, or write a manifest."""

from __future__ import annotations

import argparse

from nero.cli import UserError, add_json_flag, emit
from nero.provenance.manifest import verify_manifest, write_manifest


def _verify(args: argparse.Namespace) -> int:
    try:
        check = verify_manifest(args.raw_dir, args.manifest)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    emit(check.to_dict(), args.json, check.summary())
    return 0 if check.ok else 1


def _manifest(args: argparse.Namespace) -> int:
    path = write_manifest(args.raw_dir)
    emit({"manifest": str(path)}, args.json, f"wrote {path}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "provenance", help="raw-data checksums", description="Check or write the raw-data manifest."
    )
    parser.set_defaults(_parser=parser)
    sub = parser.add_subparsers(metavar="ACTION")

    verify = sub.add_parser(
        "verify", help="compare a raw-data folder with its MANIFEST.sha256",
        description="Compare every file under RAW_DIR with RAW_DIR/MANIFEST.sha256; exit 1 naming "
        "every changed, missing or extra file.",
    )
    verify.add_argument("raw_dir", nargs="?", default="data/raw", help="raw-data folder (default: data/raw)")
    verify.add_argument("--manifest", default=None, help="manifest file (default: RAW_DIR/MANIFEST.sha256)")
    add_json_flag(verify)
    verify.set_defaults(func=_verify)

    manifest = sub.add_parser(
        "manifest", help="(re)write RAW_DIR/MANIFEST.sha256",
        description="Write the manifest of RAW_DIR. Use it only when the raw data were replaced on "
        "purpose (for example the real study files in place of the synthetic stand-in).",
    )
    manifest.add_argument("raw_dir", help="raw-data folder")
    add_json_flag(manifest)
    manifest.set_defaults(func=_manifest)
