"""``python -m nero.simulate --seed S --firms N --out DIR``."""

from __future__ import annotations

import argparse
import sys

from nero.console import UserError, add_json_flag
from nero.simulate.cli import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and generate the study."""
    parser = argparse.ArgumentParser(
        prog="python -m nero.simulate", description="Generate the synthetic stand-in study."
    )
    add_arguments(parser)
    add_json_flag(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except UserError as exc:
        print(f"nero simulate: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
