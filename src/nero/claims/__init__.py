"""The thesis's claims, their decision rules and computed verdicts (``nero.claims``).

- :func:`load_registry` -- read and validate config/claims.yaml (schema
  config/claims.schema.yaml); errors name the claim id and the key.
- :func:`evaluate_claims` -- verdicts (supported / not supported / inconclusive), the
  figures that decided them and flags, from in-memory result tables (no file access).
- :func:`read_tables` -- load the tables a registry names from a results folder.

Descriptive facts (registry ``facts``) are statements shown with their figures and never
given a verdict (:class:`FactRecord`, ``ClaimsResult.facts``, results/facts.csv).

The rule language is described in :mod:`nero.claims.rules` and docs/claims.md.
"""

from nero.claims.evaluate import (
    COLUMNS,
    FACT_COLUMNS,
    ClaimsResult,
    ClaimVerdict,
    FactRecord,
    RaisedFlag,
    evaluate_claims,
    verdicts_by_variant,
)
from nero.claims.io import read_tables
from nero.claims.registry import (
    DEFAULT_REGISTRY,
    DEFAULT_SCHEMA,
    STUDIES,
    VERDICTS,
    Claim,
    Fact,
    Registry,
    RegistryError,
    load_registry,
)
from nero.claims.rules import Figure, Outcome, RuleContext, evaluate_rule, read_figure, render_rule

__all__ = [
    "COLUMNS",
    "FACT_COLUMNS",
    "FactRecord",
    "Fact",
    "read_figure",
    "ClaimsResult",
    "ClaimVerdict",
    "RaisedFlag",
    "evaluate_claims",
    "verdicts_by_variant",
    "read_tables",
    "DEFAULT_REGISTRY",
    "DEFAULT_SCHEMA",
    "STUDIES",
    "VERDICTS",
    "Claim",
    "Registry",
    "RegistryError",
    "load_registry",
    "Figure",
    "Outcome",
    "RuleContext",
    "evaluate_rule",
    "render_rule",
]
