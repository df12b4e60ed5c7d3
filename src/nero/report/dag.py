"""What the report stage needs to know about the workflow it runs in (duck-typed Snakemake objects).

These helpers keep the rule files free of function definitions: ``report.smk`` and
``manuscript.smk`` call them with Snakemake's ``workflow`` object.
"""

from __future__ import annotations

import os
from typing import Any


def written_outputs(workflow: Any) -> set[str]:
    """Every output path (without wildcards) that a rule of ``workflow`` writes."""
    return {str(out) for rule in workflow.rules for out in rule.output if "{" not in str(out)}


def is_written(workflow: Any, path: str, exclude: tuple[str, ...] = ()) -> bool:
    """Whether a rule of ``workflow`` (other than ``exclude``) writes ``path`` (wildcard rules included)."""
    return any(rule.name not in exclude and rule.is_producer(path) for rule in workflow.rules)


def rule_files(workflow: Any) -> dict[str, str]:
    """Rule name -> the rule file that defines it, relative to the workflow's base directory."""
    base = workflow.basedir
    out = {}
    for rule in workflow.rules:
        snakefile = getattr(rule, "snakefile", None)
        if snakefile:
            out[rule.name] = os.path.relpath(str(snakefile), base).replace(os.sep, "/")
    return dict(sorted(out.items()))
