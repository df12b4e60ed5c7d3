"""``nero simulate``: generate the synthetic stand-in study."""

from __future__ import annotations

import argparse

from nero.cli import UserError, add_json_flag, emit


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero simulate --seed S --firms N --out DIR``."""
    parser = subparsers.add_parser(
        "simulate",
        help="generate the synthetic stand-in study (raw files and ground truth)",
        description="Write DIR/raw/ (Qualtrics exports, transcripts, REFI-QDA project, README, manifest) "
        "and DIR/truth/ from the documented data-generating process.",
    )
    add_arguments(parser)
    add_json_flag(parser)
    parser.set_defaults(func=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``nero simulate`` and ``python -m nero.simulate``."""
    parser.add_argument("--seed", type=int, required=True, help="study seed (the shipped study uses 20251123)")
    parser.add_argument("--firms", type=int, required=True, help="usable firms after cleaning, over all waves")
    parser.add_argument("--out", required=True, help="output directory; DIR/raw and DIR/truth are replaced")
    parser.add_argument("--interviews", type=int, default=13, help="number of interviews (default 13)")
    parser.add_argument(
        "--waves", default="wave-1,wave-2", help="comma-separated wave folder names (default wave-1,wave-2)"
    )
    parser.add_argument("--codebook", default=None, help="instrument codebook (default config/codebook.yaml)")


def run(args: argparse.Namespace) -> int:
    """Generate the study and report where it went."""
    from nero.simulate.study import simulate_study

    waves = tuple(w.strip() for w in args.waves.split(",") if w.strip())
    try:
        paths = simulate_study(
            args.seed, args.firms, args.out, n_interviews=args.interviews, waves=waves, codebook_path=args.codebook
        )
    except (ValueError, FileExistsError, FileNotFoundError) as exc:
        raise UserError(str(exc)) from exc
    import json

    truth = json.loads(paths.truth_json.read_text(encoding="utf-8"))
    payload = {
        "paths": paths.to_dict(),
        "usable": truth["usable_total"],
        "planted": truth["planted_responses_total"],
        "dgp_checks": truth["dgp_checks"],
    }
    text = (
        f"wrote {paths.raw} and {paths.truth}: {truth['usable_total']} usable firms, "
        f"{truth['planted_responses_total']} planted bad responses, {len(paths.transcripts)} interviews"
    )
    emit(payload, getattr(args, "json", False), text)
    return 0
