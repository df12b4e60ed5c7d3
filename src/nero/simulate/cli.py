"""``nero simulate``: generate the synthetic stand-in study."""

from __future__ import annotations

import argparse

from nero.console import UserError, add_json_flag, emit


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero simulate --seed S --firms N --out DIR``."""
    parser = subparsers.add_parser(
        "simulate",
        help="generate the synthetic stand-in study (raw files and ground truth)",
        description="Write DIR/raw/ (Qualtrics exports, transcripts, REFI-QDA project, README, manifest) "
        "and DIR/truth/ from the documented data-generating process.",
    )
    add_arguments(parser, required=False)
    add_json_flag(parser)
    parser.set_defaults(func=run)
    sub = parser.add_subparsers(dest="simulate_action", metavar="ACTION")
    wave = sub.add_parser(
        "wave",
        help="write one new survey wave into an existing study (to try the new-wave path)",
        description="Simulate one more Qualtrics export with the study's data-generating process and write "
        "it into OUT (a new folder under the raw survey folder, e.g. data/raw/survey/wave-3; the folder name "
        "is the wave). ResponseIds and FirmCodes already used by the other waves are not reused. The "
        "manifest is not touched: the printed next steps say how to register the wave.",
    )
    wave.add_argument("--out", required=True, help="the new wave's folder, e.g. data/raw/survey/wave-3")
    wave.add_argument("--seed", type=int, default=20251124, help="study seed (default: the shipped 20251124)")
    wave.add_argument("--firms", type=int, default=60, help="usable firms in the new wave (default 60)")
    wave.add_argument("--codebook", default=None, help="instrument codebook (default config/codebook.yaml)")
    add_json_flag(wave)
    wave.set_defaults(func=run_wave)


def run_wave(args: argparse.Namespace) -> int:
    """Write one new wave beside the existing ones (see ``nero simulate wave --help``)."""
    from pathlib import Path

    from nero.simulate.codebook import load_codebook
    from nero.simulate.dgp_parameters import DGPParameters
    from nero.simulate.survey import simulate_survey_wave, write_qualtrics_csv
    from nero.simulate.survey_instrument import export_file_name

    out = Path(args.out)
    wave = out.name
    if out.exists() and any(out.iterdir()):
        raise UserError(f"{out}: already holds files; a new wave needs a new folder (e.g. {out.parent}/wave-N)")
    if args.firms < 10:
        raise UserError(f"--firms {args.firms}: expected at least 10 usable firms in a wave")
    taken_ids, taken_codes = _taken_identifiers(out.parent, wave)
    try:
        codebook = load_codebook(args.codebook)
        result = simulate_survey_wave(
            args.seed, wave, args.firms, codebook, DGPParameters(), None, taken_ids, taken_codes
        )
    except (ValueError, FileNotFoundError) as exc:
        raise UserError(str(exc)) from exc
    path = write_qualtrics_csv(result, out / export_file_name(wave))
    raw_dir = next((p for p in out.resolve().parents if (p / "MANIFEST.sha256").is_file()), None)
    steps = [
        f"wrote {path} ({len(result.rows)} responses, {args.firms} usable after cleaning)",
        "next steps to add it to the study:",
        f"  1. list {wave!r} under `waves:` in config/codebook.yaml",
        f"  2. nero provenance manifest {raw_dir if raw_dir else '<the raw-data folder>'}",
        "  3. make study   (only the survey chain reruns)",
    ]
    emit(
        {"file": str(path), "wave": wave, "responses": len(result.rows), "usable": args.firms},
        getattr(args, "json", False),
        "\n".join(steps),
    )
    return 0


def _taken_identifiers(survey_dir, new_wave: str) -> tuple[set[str], set[str]]:
    """ResponseIds and FirmCodes used by the other wave folders (so the new wave reuses none)."""
    from nero.survey.importer import wave_export_files
    from nero.survey.readers import read_export

    ids: set[str] = set()
    codes: set[str] = set()
    if not survey_dir.is_dir():
        return ids, codes
    for folder in sorted(p for p in survey_dir.iterdir() if p.is_dir() and p.name != new_wave):
        for file in wave_export_files(folder):
            try:
                data = read_export(file).data
            except ValueError:
                continue
            ids.update(data.get("ResponseId", []))
            codes.update(data.get("FirmCode", []))
    return ids, codes


def add_arguments(parser: argparse.ArgumentParser, required: bool = True) -> None:
    """Options shared by ``nero simulate`` and ``python -m nero.simulate``.

    ``nero simulate`` checks them in :func:`run` (``required=False``) so that its
    ``wave`` action can take its own options.
    """
    parser.add_argument("--seed", type=int, required=required, help="study seed (the shipped study uses 20251124)")
    parser.add_argument("--firms", type=int, required=required, help="usable firms after cleaning, over all waves")
    parser.add_argument("--out", required=required, help="output directory; DIR/raw and DIR/truth are replaced")
    parser.add_argument("--interviews", type=int, default=13, help="number of interviews (default 13)")
    parser.add_argument(
        "--waves", default="wave-1,wave-2", help="comma-separated wave folder names (default wave-1,wave-2)"
    )
    parser.add_argument("--codebook", default=None, help="instrument codebook (default config/codebook.yaml)")
    parser.add_argument(
        "--scenario",
        choices=("planted", "weak", "null", "contrary", "mismeasured", "biased", "exclusive"),
        default="planted",
        help="data-generating process (nero.simulate.scenarios): planted (the shipped one, default), "
        "weak (planted effects scaled by --effect-scale), null (no recipes, interaction or mediation), "
        "or a contrary process that plants the other side of some claims: contrary (orchestrated recipes, "
        "no MKT -> CAP, three interview archetypes), mismeasured (AVE < .50, a narrow review), biased "
        "(common-method factor, late-respondent bias, non-invariant waves), exclusive (mutually exclusive sets)",
    )
    parser.add_argument(
        "--effect-scale", type=float, default=None, help="effect scale s of --scenario weak (default 0.5)"
    )
    parser.add_argument(
        "--dgp-override",
        action="append",
        default=[],
        metavar="NAME=JSON",
        help="change one DGP parameter, e.g. sco_noise_sd=0.3 or cap_coef='{\"INSTxVIRT\": 0.2}' (repeatable)",
    )


def run(args: argparse.Namespace) -> int:
    """Generate the study and report where it went."""
    from nero.simulate.study import simulate_study

    missing = [f"--{name}" for name in ("seed", "firms", "out") if getattr(args, name, None) is None]
    if missing:
        raise UserError(f"nero simulate: {', '.join(missing)} required (or use `nero simulate wave --out DIR`)")

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
