"""Loading and validating the study configuration (``config/config.yaml``).

The workflow validates with ``snakemake.utils.validate``; :func:`config_errors` runs
first so that every problem is listed at once, each as ``key.path: what was expected``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml


class ConfigError(ValueError):
    """The configuration does not match its schema."""


def load_yaml(path: str | os.PathLike) -> Any:
    """Read a YAML file; the error names the file and the line on a syntax error."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
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


def check_config(config: dict, schema_path: str | os.PathLike) -> None:
    """Raise :class:`ConfigError` listing every problem of ``config`` against the schema file."""
    schema = load_yaml(schema_path)
    errors = config_errors(config, schema)
    if errors:
        raise ConfigError(
            "config/config.yaml does not match config/schema.yaml:\n  " + "\n  ".join(errors)
        )
