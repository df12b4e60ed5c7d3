"""``nero design``: the design analysis's commands (``select-seed``: the stand-in's seed by the declared rule)."""

from __future__ import annotations

import argparse

from nero.console import UserError, add_json_flag, emit


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``nero design select-seed``."""
    parser = subparsers.add_parser(
        "design",
        help="design analysis: the synthetic stand-in's seed by its declared typicality rule",
        description="Commands of the design analysis (the Monte Carlo itself runs with `make design`).",
    )
    sub = parser.add_subparsers(dest="design_action", metavar="ACTION", required=True)
    select = sub.add_parser(
        "select-seed",
        help="apply the declared seed-selection rule and write its table (data/seed_selection.csv)",
        description="Estimate the five planted survey effects on 100 simulated studies of the planted process "
        "(seeds 101-200), then on the candidates 20251124, 20251125, ... until one has every effect within 2 "
        "Monte Carlo SDs (rule declared 2026-12-07 20:44 UTC, docs/design.md). Writes the Monte Carlo rows, "
        "their mean and SD, the seed before the rule and every candidate examined. About 1 CPU s per seed.",
    )
    select.add_argument("--config", default="config/config.yaml", help="study config (default config/config.yaml)")
    select.add_argument("--codebook", default=None, help="instrument codebook (default: the config's codebook)")
    select.add_argument(
        "--out", default="data/seed_selection.csv", help="the table written (default data/seed_selection.csv)"
    )
    add_json_flag(select)
    select.set_defaults(func=run_select_seed)


def run_select_seed(args: argparse.Namespace) -> int:
    """Apply the rule; write the table; say whether the config's seed is the one the rule chooses."""
    from nero.config import load_yaml
    from nero.design import seed_selection as rule
    from nero.outputs import atomic_path

    try:
        config = dict(load_yaml(args.config))
        draw = rule.SurveyDraw(config, args.codebook or config["codebook"])
        reference = rule.monte_carlo(draw, rule.MC_SEEDS)
        selection = rule.typical_seed(draw, reference)
        previous = rule.examine(rule.PREVIOUS_SEED, draw, reference)
    except (rule.SeedSelectionError, KeyError, FileNotFoundError) as exc:
        raise UserError(f"nero design select-seed: {exc}") from exc
    table = rule.selection_table(selection, previous)
    with atomic_path(args.out) as tmp:
        table.to_csv(tmp, index=False, lineterminator="\n")
    configured = int(config.get("seed", -1))
    agrees = configured == selection.seed
    text = f"{selection.summary()}\nwrote {args.out}\nconfig seed {configured}: " + (
        "the rule's seed" if agrees else f"NOT the rule's seed {selection.seed}"
    )
    emit(
        {"seed": selection.seed, "config_seed": configured, "agrees": agrees, "table": str(args.out)},
        getattr(args, "json", False),
        text,
    )
    return 0 if agrees else 1
