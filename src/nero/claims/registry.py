"""The claims registry (config/claims.yaml): loading and validation.

The registry lists every claim of the thesis with its statement, the analysis and
statistic that decide it, and a decision rule (:mod:`nero.claims.rules`) over named
thresholds. It is validated twice: by the JSON Schema ``config/claims.schema.yaml``
(structure, types, misspelt keys) and by :func:`registry_errors` (unique ids, known
threshold names, valid operators and regular expressions, claim references without
cycles). Every error names the claim id and the key.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nero.claims.rules import AGGREGATES, NODE_KINDS, QUANTIFIERS, rule_claims, rule_tables
from nero.claims.select import FILTER_OPS, OPERATORS

#: libyaml's safe loader when present (the same documents, ten times faster: the workflow
#: reads these files at every Snakemake start-up), else PyYAML's own.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: The schema shipped with the study (config/claims.schema.yaml of this checkout).
DEFAULT_SCHEMA = Path(__file__).resolve().parents[3] / "config" / "claims.schema.yaml"
#: The registry shipped with the study.
DEFAULT_REGISTRY = Path(__file__).resolve().parents[3] / "config" / "claims.yaml"
#: Verdicts, in the order they are reported.
VERDICTS = ("supported", "not supported", "inconclusive")
#: The parts of the study a claim belongs to.
STUDIES = ("SLR", "Study 1", "Study 2", "integration", "survey quality")


class RegistryError(ValueError):
    """The claims registry is malformed; the message lists every problem."""


@dataclass
class Claim:
    """One claim of the registry (the mapping as written, plus accessors)."""

    id: str
    study: str
    statement: str
    analysis: str
    statistic: str
    rule: dict[str, Any]
    source: str = ""
    inconclusive_when: dict[str, Any] | None = None
    inconclusive_reason: str = ""
    flags: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    inconclusive_by_design: str = ""
    requires: dict[str, list[str]] = field(default_factory=dict)

    def tables(self) -> list[str]:
        """Every table the claim names (rule, inconclusive condition, flags), first use first."""
        found = rule_tables(self.rule)
        for node in ([self.inconclusive_when] if self.inconclusive_when else []) + [f["when"] for f in self.flags]:
            found += [t for t in rule_tables(node) if t not in found]
        return found


@dataclass
class Fact:
    """A descriptive fact of the registry: a statement shown with its figures, never given a verdict.

    A fact is a statement of the thesis that no rule can test (e.g. a share of the review's own
    coding frame over the whole reviewed corpus): its ``readings`` (leaves without a comparison,
    :func:`nero.claims.rules.read_figure`) are shown beside it with their evidence.
    """

    id: str
    study: str
    statement: str
    source: str
    analysis: str
    readings: list[dict[str, Any]]
    why_no_verdict: str
    note: str = ""

    def tables(self) -> list[str]:
        """Every table the fact reads, first use first."""
        found: list[str] = []
        for node in self.readings:
            for name in rule_tables(node):
                if name not in found:
                    found.append(name)
        return found


@dataclass
class Registry:
    """A validated registry: thresholds (name -> value) and claims in registry order."""

    thresholds: dict[str, Any]
    threshold_sources: dict[str, str]
    claims: list[Claim]
    threshold_config: dict[str, str] = field(default_factory=dict)
    title: str = ""
    registered: str = ""
    digest: str = ""
    tolerance: float = 1e-9
    changelog: list[dict[str, Any]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def tables(self) -> list[str]:
        """Every results-relative table any claim or descriptive fact names (sorted)."""
        return sorted({t for c in [*self.claims, *self.facts] for t in c.tables()})

    def claim(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)

    def order(self) -> list[Claim]:
        """Claims in an order where every referenced claim comes before the one citing it."""
        done: list[str] = []
        by_id = {c.id: c for c in self.claims}

        def visit(c: Claim) -> None:
            if c.id in done:
                return
            for ref in rule_claims(c.rule):
                visit(by_id[ref])
            done.append(c.id)

        for c in self.claims:
            visit(c)
        return [by_id[i] for i in done]


def _claim_label(data: Mapping[str, Any], path: list[Any]) -> tuple[str, list[Any]]:
    """``claim 'x'`` for paths under claims[i], with the rest of the path."""
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
        claims = data.get("claims") or []
        cid = claims[path[1]].get("id") if path[1] < len(claims) and isinstance(claims[path[1]], Mapping) else None
        return (f"claim {cid!r}" if cid else f"claims[{path[1]}]"), path[2:]
    return "registry", path


def _key_text(path: list[Any]) -> str:
    text = ""
    for p in path:
        text += f"[{p}]" if isinstance(p, int) else (f".{p}" if text else str(p))
    return text or "(top level)"


def schema_errors(data: Any, schema: Mapping[str, Any]) -> list[str]:
    """Schema violations as ``claim 'id': key.path: what was expected``."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    lines = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        where, rest = _claim_label(data if isinstance(data, Mapping) else {}, list(error.absolute_path))
        key = _key_text(rest)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            key = f"{key}.{missing}" if rest else missing
            lines.append(f"{where}: {key}: required key is missing")
        elif error.validator == "additionalProperties":
            allowed = ", ".join(sorted(error.schema.get("properties", {})))
            lines.append(f"{where}: {key}: {error.message} (allowed: {allowed})")
        elif error.validator == "enum":
            lines.append(f"{where}: {key}: expected one of {error.validator_value}, got {error.instance!r}")
        elif error.validator == "type":
            lines.append(f"{where}: {key}: expected {error.validator_value}, got {error.instance!r}")
        else:
            lines.append(f"{where}: {key}: {error.message}")
    return lines


def _node_errors(node: Any, key: str, thresholds: Mapping[str, Any], ids: set[str], out: list[str]) -> None:
    if not isinstance(node, Mapping):
        out.append(f"{key}: expected a mapping (a rule), got {node!r}")
        return
    kinds = [k for k in NODE_KINDS if k in node]
    if len(kinds) != 1:
        out.append(f"{key}: a rule node needs exactly one of {', '.join(NODE_KINDS)}; found {kinds or 'none'}")
        return
    kind = kinds[0]
    if kind in ("all", "any"):
        if not isinstance(node[kind], list) or not node[kind]:
            out.append(f"{key}.{kind}: expected a non-empty list of rules")
            return
        for i, part in enumerate(node[kind]):
            _node_errors(part, f"{key}.{kind}[{i}]", thresholds, ids, out)
    elif kind == "not":
        _node_errors(node["not"], f"{key}.not", thresholds, ids, out)
    elif kind == "at_least":
        spec = node["at_least"]
        need = spec.get("n") if isinstance(spec, Mapping) else None
        if isinstance(need, str) and need not in thresholds:
            out.append(f"{key}.at_least.n: unknown threshold {need!r} (known: {', '.join(sorted(thresholds))})")
        for i, part in enumerate(spec.get("of", []) if isinstance(spec, Mapping) else []):
            _node_errors(part, f"{key}.at_least.of[{i}]", thresholds, ids, out)
    elif kind == "claim":
        if node["claim"] not in ids:
            out.append(f"{key}.claim: no claim with id {node['claim']!r}")
    elif kind == "across_models":
        spec = node["across_models"]
        if not isinstance(spec, Mapping) or not {"solutions", "as", "rule"} <= set(spec):
            out.append(f"{key}.across_models: expected a mapping with solutions, as and rule")
            return
        for i, source in enumerate(spec["solutions"]):
            if not str(source.get("table", "")).endswith(".csv"):
                out.append(
                    f"{key}.across_models.solutions[{i}].table: a CSV solution table, got {source.get('table')!r}"
                )
        _node_errors(spec["rule"], f"{key}.across_models.rule", thresholds, ids, out)
    else:
        _leaf_errors(node, key, thresholds, out)


def _leaf_errors(node: Mapping[str, Any], key: str, thresholds: Mapping[str, Any], out: list[str]) -> None:
    table = str(node["table"])
    is_json = table.endswith(".json")
    if table.startswith(("/", "results/")) or ".." in Path(table).parts:
        out.append(f"{key}.table: {table!r} must be relative to results/ (e.g. 'sem/cfa_fit.csv')")
    if is_json and "key" not in node:
        out.append(f"{key}.key: required for a JSON table ({table})")
    if is_json and ("where" in node or "rows" in node or node.get("aggregate", "value") != "value"):
        out.append(f"{key}: a JSON table ({table}) is read by key; where/rows/aggregate apply to CSV tables")
    if not is_json and "key" in node:
        out.append(f"{key}.key: applies to JSON tables; use column for {table}")
    aggregate = node.get("aggregate", "value")
    if aggregate not in AGGREGATES:
        out.append(f"{key}.aggregate: expected one of {list(AGGREGATES)}, got {aggregate!r}")
    if "rows" in node and node["rows"] not in QUANTIFIERS:
        out.append(f"{key}.rows: expected one of {list(QUANTIFIERS)}, got {node['rows']!r}")
    if "rows" in node and "aggregate" in node:
        out.append(f"{key}: give either rows (a quantifier) or aggregate, not both")
    if "scope" in node and node.get("aggregate") not in ("count", "nunique", "share"):
        out.append(f"{key}.scope: applies to a count, nunique or share (the rows that must exist for a zero to count)")
    if node.get("aggregate") == "share" and "scope" not in node:
        out.append(f"{key}.scope: required for a share (the rows the share is taken of)")
    if "one_sided" in node and node.get("aggregate", "value") != "value":
        out.append(f"{key}.one_sided: applies to the one value of a leaf (a p value beside its estimate)")
    if "p_adjust" in node and "rows" not in node:
        out.append(f"{key}.p_adjust: applies to a quantified leaf (rows: all / any / none over p values)")
    if not is_json and aggregate not in ("count", "share") and "column" not in node:
        out.append(f"{key}.column: required (which column of {table} to read)")
    if node.get("op") not in OPERATORS:
        out.append(f"{key}.op: expected one of {list(OPERATORS)}, got {node.get('op')!r}")
    if ("threshold" in node) == ("value" in node):
        out.append(f"{key}: give exactly one of threshold (a registry name) or value (a literal)")
    if "threshold" in node and node["threshold"] not in thresholds:
        out.append(f"{key}.threshold: unknown threshold {node['threshold']!r} (known: {', '.join(sorted(thresholds))})")
    for column, spec in (node.get("where") or {}).items():
        if not isinstance(spec, Mapping):
            continue
        for op, operand in spec.items():
            if op not in FILTER_OPS:
                out.append(f"{key}.where.{column}: unknown operator {op!r} (allowed: {', '.join(FILTER_OPS)})")
            elif op in ("<", "<=", ">", ">=") and isinstance(operand, str) and operand not in thresholds:
                out.append(f"{key}.where.{column}.{op}: {operand!r} is neither a number nor a registry threshold")
            elif op == "in_table":
                if not isinstance(operand, Mapping) or not {"table", "column"} <= set(operand):
                    out.append(f"{key}.where.{column}.in_table: expected a mapping with table, column (and where)")
                elif str(operand["table"]).startswith(("/", "results/")) or not str(operand["table"]).endswith(".csv"):
                    out.append(
                        f"{key}.where.{column}.in_table.table: a CSV path relative to results/, got {operand['table']!r}"
                    )
                elif "in" in spec:
                    out.append(f"{key}.where.{column}: give either in or in_table, not both")
                else:
                    _leaf_errors(
                        {
                            "table": operand["table"],
                            "where": operand.get("where") or {},
                            "aggregate": "count",
                            "op": "==",
                            "value": 0,
                        },
                        f"{key}.where.{column}.in_table",
                        thresholds,
                        out,
                    )
            elif op in ("regex", "not_regex"):
                for pattern in operand if isinstance(operand, list) else [operand]:
                    try:
                        re.compile(str(pattern))
                    except re.error as exc:
                        out.append(f"{key}.where.{column}.{op}: invalid regular expression {pattern!r} ({exc})")


def _reading_errors(node: Mapping[str, Any], key: str, thresholds: Mapping[str, Any]) -> list[str]:
    """Problems of a reading of a descriptive fact: a leaf that shows a value and compares nothing."""
    out: list[str] = []
    decisive = [k for k in ("op", "threshold", "value", "rows", "one_sided", "p_adjust", "scope") if k in node]
    if decisive:
        out.append(f"{key}: a descriptive fact shows figures without a verdict; remove {', '.join(decisive)}")
    if node.get("aggregate") == "share":
        out.append(f"{key}.aggregate: a share needs a scope; read the table's own share column instead")
    if out:
        return out
    errs: list[str] = []
    _leaf_errors({**node, "op": "==", "value": 0}, key, thresholds, errs)
    return errs


def registry_errors(data: Mapping[str, Any]) -> list[str]:
    """Problems the schema cannot see: ids, names, operators, references and cycles."""
    out: list[str] = []
    thresholds = {k: v.get("value") if isinstance(v, Mapping) else v for k, v in (data.get("thresholds") or {}).items()}
    claims = data.get("claims") or []
    seen: dict[str, int] = {}
    for i, claim in enumerate(claims):
        cid = claim.get("id")
        if cid in seen:
            out.append(f"claim {cid!r}: id: duplicate id (also claims[{seen[cid]}])")
        seen.setdefault(cid, i)
    ids = set(seen)
    for j, fact in enumerate(data.get("facts") or []):
        fid = fact.get("id")
        if fid in seen:
            out.append(f"fact {fid!r}: id: duplicate id (also {'a claim' if fid in ids else 'another fact'})")
        seen.setdefault(fid, j)
        for k, node in enumerate(fact.get("readings") or []):
            out += [f"fact {fid!r}: {e}" for e in _reading_errors(node, f"readings[{k}]", thresholds)]
    for claim in claims:
        label = f"claim {claim.get('id')!r}"
        errs: list[str] = []
        _node_errors(claim.get("rule"), "rule", thresholds, ids, errs)
        if claim.get("inconclusive_when") is not None:
            _node_errors(claim["inconclusive_when"], "inconclusive_when", thresholds, ids, errs)
        flag_ids = set()
        for j, flag in enumerate(claim.get("flags") or []):
            if flag.get("id") in flag_ids:
                errs.append(f"flags[{j}].id: duplicate flag id {flag.get('id')!r}")
            flag_ids.add(flag.get("id"))
            _node_errors(flag.get("when"), f"flags[{j}].when", thresholds, ids, errs)
        out += [f"{label}: {e}" for e in errs]
    # claim references must not form a cycle
    graph = {
        c.get("id"): set(rule_claims(c["rule"])) & ids
        for c in claims
        if isinstance(c.get("rule"), Mapping) and not any(e.startswith(f"claim {c.get('id')!r}: rule") for e in out)
    }
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                out.append(f"claim {node!r}: rule: claim references form a cycle: {' -> '.join(trail + [nxt])}")
            elif state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [node])
    return out


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_SAFE_LOADER)
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such file") from None
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from None


def load_registry(
    source: str | os.PathLike | Mapping[str, Any], schema: str | os.PathLike | Mapping[str, Any] | None = None
) -> Registry:
    """Load and validate a claims registry.

    Parameters
    ----------
    source
        Path of a YAML registry (config/claims.yaml) or the registry as a mapping.
    schema
        Path of the JSON Schema (YAML) or the schema mapping; default
        config/claims.schema.yaml of this checkout.

    Returns
    -------
    Registry

    Raises
    ------
    RegistryError
        Listing every problem, each naming the claim id and the key.
    """
    name = "registry"
    if isinstance(source, Mapping):
        data = copy.deepcopy(dict(source))
    else:
        name = str(source)
        data = _read_yaml(Path(source))
    if not isinstance(schema, Mapping):
        schema = _read_yaml(Path(schema) if schema is not None else DEFAULT_SCHEMA)
    if not isinstance(data, Mapping):
        raise RegistryError(f"{name}: expected a mapping with 'thresholds' and 'claims', got {type(data).__name__}")
    errors = schema_errors(data, schema)
    if not errors:
        errors = registry_errors(data)
    if errors:
        raise RegistryError(f"{name} is not a valid claims registry:\n  " + "\n  ".join(errors))
    raw_thresholds = data.get("thresholds") or {}
    tolerance = data.get("tolerance") or {}
    thresholds = {k: v["value"] if isinstance(v, Mapping) else v for k, v in raw_thresholds.items()}
    sources = {k: v.get("source", "") if isinstance(v, Mapping) else "" for k, v in raw_thresholds.items()}
    config_keys = {k: v["config"] for k, v in raw_thresholds.items() if isinstance(v, Mapping) and v.get("config")}
    claims = [
        Claim(
            id=c["id"],
            study=c["study"],
            statement=c["statement"],
            analysis=c["analysis"],
            statistic=c["statistic"],
            rule=c["rule"],
            source=c.get("source", ""),
            inconclusive_when=c.get("inconclusive_when"),
            inconclusive_reason=c.get("inconclusive_reason", ""),
            flags=list(c.get("flags") or []),
            note=c.get("note", ""),
            inconclusive_by_design=c.get("inconclusive_by_design", ""),
            requires={k: list(v) for k, v in (c.get("requires") or {}).items()},
        )
        for c in data["claims"]
    ]
    facts = [
        Fact(
            id=f["id"],
            study=f["study"],
            statement=f["statement"],
            source=f.get("source", ""),
            analysis=f["analysis"],
            readings=[dict(r) for r in f["readings"]],
            why_no_verdict=f["why_no_verdict"],
            note=f.get("note", ""),
        )
        for f in data.get("facts") or []
    ]
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    return Registry(
        thresholds=thresholds,
        threshold_sources=sources,
        claims=claims,
        threshold_config=config_keys,
        title=data.get("title", ""),
        registered=str(data.get("registered", "")),
        digest=digest,
        tolerance=float(tolerance.get("value", 1e-9)) if isinstance(tolerance, Mapping) else 1e-9,
        changelog=[dict(e) for e in data.get("changelog") or []],
        facts=facts,
    )
