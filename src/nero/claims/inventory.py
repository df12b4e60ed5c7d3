"""What a study has, for checking the claims registry against it.

A claim names the constructs and analyses it needs (``requires`` in config/claims.yaml).
:func:`study_inventory` lists what the study's config and codebook provide;
:func:`requirement_problems` says what a claim needs that the study lacks, so that the
claim is inconclusive ("absent evidence") instead of "not supported" when, say, the
constructs are named differently or an fsQCA analysis is not configured. The workflow
runs the check when it starts (workflow/rules/claims.smk) and logs every gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def study_inventory(config: Mapping[str, Any], codebook: Mapping[str, Any]) -> dict[str, list[str]]:
    """The constructs and analyses of a study.

    Parameters
    ----------
    config
        The study config (config/config.yaml as a mapping).
    codebook
        The survey codebook (config/codebook.yaml as a mapping).

    Returns
    -------
    dict
        ``constructs``: the codebook's constructs and the fsQCA outcome and conditions;
        ``analyses``: the stages configured (``survey``, ``sem``, ``qual``, ``slr``,
        ``integration``, ``fsqca`` and ``fsqca.<name>`` for each further fsQCA analysis).
    """
    constructs = list((codebook.get("constructs") or {}).keys())
    fsqca = config.get("fsqca") or {}
    for name in [fsqca.get("outcome"), *(fsqca.get("conditions") or [])]:
        if name and name not in constructs:
            constructs.append(name)
    analyses = [name for name in ("survey", "sem", "qual", "slr", "integration", "fsqca") if config.get(name)]
    analyses += [f"fsqca.{name}" for name in (fsqca.get("analyses") or {})]
    return {"constructs": constructs, "analyses": analyses}


def requirement_problems(claim: Any, study: Mapping[str, Any]) -> list[str]:
    """What ``claim.requires`` names that ``study`` lacks, one sentence each (empty: nothing)."""
    problems = []
    for kind in ("constructs", "analyses"):
        have = set(study.get(kind) or [])
        for name in (getattr(claim, "requires", None) or {}).get(kind, []):
            if name not in have:
                singular = kind[:-1] if kind == "constructs" else "analysis"
                problems.append(
                    f"the study has no {singular} {name!r} (requires.{kind}; the study has "
                    f"{', '.join(sorted(have)) or 'none'})"
                )
    return problems


def config_problems(registry: Any, config: Mapping[str, Any], tol: float = 1e-9) -> list[str]:
    """Thresholds of the registry that differ from the study config key they name (``config:``).

    One definition of each cut (e.g. "necessary" = ``fsqca.necessity_threshold`` and
    ``fsqca.necessity_ron``): the registry's threshold and the config the analyses use must
    agree, else the tables and the claims would call different things necessary.
    """
    problems = []
    for name, key in sorted(getattr(registry, "threshold_config", {}).items()):
        node: Any = config
        for part in key.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        value = registry.thresholds[name]
        if node is None:
            problems.append(f"threshold {name!r}: config key {key!r} is not set in the study config")
        elif abs(float(node) - float(value)) > tol:
            problems.append(
                f"threshold {name!r} = {value} but config {key} = {node}: the registry and the analyses "
                "must use one definition"
            )
    return problems


__all__ = ["config_problems", "requirement_problems", "study_inventory"]
