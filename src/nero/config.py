"""Loading and validating the study configuration (``config/config.yaml``).

The workflow validates with ``snakemake.utils.validate``; :func:`config_errors` runs
first so that every problem is listed at once, each as ``key.path: what was expected``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

#: libyaml's safe loader when present (the same documents, ten times faster: the workflow
#: reads these files at every Snakemake start-up), else PyYAML's own.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(ValueError):
    """The configuration does not match its schema."""


def load_yaml(path: str | os.PathLike) -> Any:
    """Read a YAML file; the error names the file and the line on a syntax error."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc


def config_errors(config: dict, schema: dict) -> list[str]:
    """Every way ``config`` breaks ``schema``, as readable lines naming the key.

    Examples
    --------
    >>> config_errors({"seed": -1}, {"type": "object", "properties": {"seed": {"type": "integer", "minimum": 0}}})
    ['seed: expected a value >= 0, got -1']
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    lines = []
    for error in sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.absolute_path]):
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        if error.validator == "required":
            missing = error.message.split("'")[1]
            key = f"{key}.{missing}" if key != "(top level)" else missing
            lines.append(f"{key}: required key is missing")
        elif error.validator == "additionalProperties":
            lines.append(f"{key}: {error.message} (allowed: {', '.join(sorted(error.schema.get('properties', {})))})")
        elif error.validator == "type":
            lines.append(f"{key}: expected {error.validator_value}, got {error.instance!r}")
        elif error.validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            op = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[error.validator]
            lines.append(f"{key}: expected a value {op} {error.validator_value}, got {error.instance!r}")
        elif error.validator == "enum":
            lines.append(f"{key}: expected one of {error.validator_value}, got {error.instance!r}")
        else:
            lines.append(f"{key}: {error.message}")
    return lines


def _strictly_monotone(values: list[float]) -> bool:
    pairs = list(zip(values, values[1:]))
    return all(a < b for a, b in pairs) or all(a > b for a, b in pairs)


def semantic_errors(config: dict) -> list[str]:
    """Problems a JSON schema cannot express (orders between values), each naming the key.

    - ``fsqca.anchors.<set>``: exclusion, crossover and inclusion strictly increasing
      (or all strictly decreasing, for a decreasing set), as the direct method needs;
    - ``fsqca.percentile_anchors``: three strictly increasing quantiles;
    - ``fsqca.incl_cut_contradiction`` not above ``fsqca.incl_cut``.

    Examples
    --------
    >>> semantic_errors({"fsqca": {"anchors": {"INST": {"exclusion": 4, "crossover": 2.5, "inclusion": 5.5}}}})
    ['fsqca.anchors.INST: anchors out of order (exclusion=4, crossover=2.5, inclusion=5.5); expected exclusion < crossover < inclusion (or all reversed for a decreasing set)']
    """  # noqa: E501
    lines: list[str] = []
    fsqca = config.get("fsqca") if isinstance(config, dict) else None
    if not isinstance(fsqca, dict):
        return lines
    for name, anchors in (fsqca.get("anchors") or {}).items():
        if not isinstance(anchors, dict):
            continue
        values = [anchors.get(k) for k in ("exclusion", "crossover", "inclusion")]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            continue  # the schema reports missing or non-numeric anchors
        if not _strictly_monotone([float(v) for v in values]):
            lines.append(
                f"fsqca.anchors.{name}: anchors out of order (exclusion={values[0]:g}, crossover={values[1]:g}, "
                f"inclusion={values[2]:g}); expected exclusion < crossover < inclusion (or all reversed for a decreasing set)"
            )
    quantiles = fsqca.get("percentile_anchors")
    if isinstance(quantiles, list) and len(quantiles) == 3 and all(isinstance(q, (int, float)) for q in quantiles):
        if not all(a < b for a, b in zip(quantiles, quantiles[1:])):
            lines.append(
                f"fsqca.percentile_anchors: {quantiles} out of order; expected three strictly increasing quantiles"
            )
    cut, contradiction = fsqca.get("incl_cut"), fsqca.get("incl_cut_contradiction")
    if isinstance(cut, (int, float)) and isinstance(contradiction, (int, float)) and contradiction > cut:
        lines.append(
            f"fsqca.incl_cut_contradiction: {contradiction:g} is above fsqca.incl_cut {cut:g}; "
            "expected a value <= incl_cut"
        )
    return lines


def check_config(config: dict, schema_path: str | os.PathLike) -> None:
    """Raise :class:`ConfigError` listing every problem of ``config`` against the schema file and its value orders."""
    schema = load_yaml(schema_path)
    errors = config_errors(config, schema) + semantic_errors(config)
    if errors:
        raise ConfigError("config/config.yaml does not match config/schema.yaml:\n  " + "\n  ".join(errors))
