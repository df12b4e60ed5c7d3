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
    parser.add_argument(
        "--scenario",
        choices=("planted", "weak", "null"),
        default="planted",
        help="data-generating process (nero.simulate.scenarios): planted (the shipped one, default), "
        "weak (planted effects scaled by --effect-scale) or null (no recipes, interaction or mediation)",
    )
    parser.add_argument("--effect-scale", type=float, default=None, help="effect scale s of --scenario weak (default 0.5)")
    parser.add_argument(
        "--dgp-override",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help='change one DGP parameter, e.g. sco_noise_sd=0.3 or cap_coef=\'{"INSTxVIRT": 0.2}\' (repeatable)',
    )


def run(args: argparse.Namespace) -> int:
    """Generate the study and report where it went."""
    from nero.simulate.study import simulate_study

    waves = tuple(w.strip() for w in args.waves.split(",") if w.strip())
    try:
        params, scenario = _scenario_arguments(args)
        paths = simulate_study(
            args.seed,
            args.firms,
            args.out,
            n_interviews=args.interviews,
            waves=waves,
            codebook_path=args.codebook,
            params=params,
            scenario=scenario,
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


def parse_overrides(items: list[str]) -> dict[str, object]:
    """``NAME=JSON`` strings to an overrides mapping (a value that is not JSON is kept as text)."""
    import json

    out: dict[str, object] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--dgp-override {item!r}: expected NAME=VALUE, e.g. sco_noise_sd=0.3")
        try:
            out[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[name.strip()] = value
    return out


def _scenario_arguments(args: argparse.Namespace):
    """DGP parameters and truth entry of the requested scenario (``(None, None)`` for the shipped one)."""
    scenario = getattr(args, "scenario", "planted")
    scale = getattr(args, "effect_scale", None)
    overrides = parse_overrides(getattr(args, "dgp_override", []) or [])
    if scenario == "planted" and scale is None and not overrides:
        return None, None
    from nero.simulate.scenarios import scenario_parameters, scenario_truth

    return scenario_parameters(scenario, scale, overrides), scenario_truth(scenario, scale, overrides)
