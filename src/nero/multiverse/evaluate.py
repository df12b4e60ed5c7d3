"""Each claim evaluated over a family's specifications, and the per-claim summary over all families.

:func:`run_family` re-runs a family's stage once per specification (into a scratch
folder), overlays the tables it rewrote on the shipped build's tables, and evaluates the
registry (as the specification reads it, :mod:`nero.multiverse.views`) with
:func:`nero.claims.evaluate_claims`. A claim gets a row for every specification that
touches it (:func:`nero.multiverse.views.touches`; once one specification of a family touches a
claim, every specification of that family counts for it). :func:`gather` adds the shipped
specification's row for every claim and counts, per claim, the specifications and those
that support it (:class:`MultiverseResult`).
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nero.claims import ClaimsResult, ClaimVerdict, Registry, evaluate_claims, read_tables

from .grid import STAGES, Family, Specification
from .rerun import STAGE_RUNNERS
from .views import specification_registry, specification_thresholds, touches

log = logging.getLogger(__name__)

#: Columns of ``results/multiverse/specifications.csv`` (one row per specification x claim).
SPEC_COLUMNS = [
    "claim_id",
    "specification",
    "family",
    "stage",
    "shipped",
    "choices",
    "changes",
    "verdict",
    "statistic_label",
    "statistic",
    "ci_low",
    "ci_high",
    "limit",
    "reason",
]
#: Columns of ``results/multiverse/claims.csv`` (one row per claim).
CLAIM_COLUMNS = [
    "claim_id",
    "specifications",
    "specifications_supporting",
    "share_supporting",
    "shipped_verdict",
    "families",
]

_PREFIX = re.compile(r"^\[[^\]]*\]\s*")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the CFA fits run in a child)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def claim_statistic(
    verdict: ClaimVerdict, statistics: Mapping[str, Any], tables: Mapping[str, Any], prefer: str | None = None
) -> dict[str, Any]:
    """The number a claim's curve sorts by, its interval where it has one, and the limit.

    A claim named in ``statistics`` (``multiverse.statistics``: ``table``, ``where``,
    ``estimate``, optional ``ci: [low, high]``) reads its estimate and interval from that
    row of the specification's tables; any other claim shows the value of its first
    numeric figure (the one labelled ``prefer`` where present, "[model] " prefixes
    ignored) and the limit it is compared with.
    """
    out = {"statistic_label": "", "statistic": math.nan, "ci_low": math.nan, "ci_high": math.nan, "limit": math.nan}
    declared = statistics.get(verdict.claim_id)
    if declared:
        frame = tables.get(declared["table"])
        out["statistic_label"] = declared.get("label") or f"{declared['table']} {declared['estimate']}"
        if isinstance(frame, pd.DataFrame) and len(frame):
            mask = pd.Series(True, index=frame.index)
            for column, value in (declared.get("where") or {}).items():
                mask &= frame[column].astype(str) == str(value)
            rows = frame[mask]
            if len(rows) == 1:
                row = rows.iloc[0]
                value = _number(row[declared["estimate"]])
                out["statistic"] = math.nan if value is None else value
                if declared.get("ci"):
                    lo, hi = declared["ci"]
                    out["ci_low"], out["ci_high"] = _number(row[lo]), _number(row[hi])
        if "limit" in declared:
            out["limit"] = float(declared["limit"])
        return {k: (math.nan if v is None else v) for k, v in out.items()}
    numeric = [f for f in verdict.figures if _number(f.value) is not None]
    if prefer:
        numeric = [f for f in numeric if _PREFIX.sub("", f.label) == prefer] or numeric
    if numeric:
        f = numeric[0]
        out.update(statistic_label=_PREFIX.sub("", f.label), statistic=_number(f.value))
        limit = _number(f.limit)
        out["limit"] = math.nan if limit is None else limit
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return (
            isinstance(a, pd.DataFrame)
            and isinstance(b, pd.DataFrame)
            and a.shape == b.shape
            and list(a.columns) == list(b.columns)
            and a.equals(b)
        )
    return a == b


def _changes(spec: Specification, registry: Registry) -> str:
    """What the specification changes, as JSON (config keys, thresholds, columns, model)."""
    moved = {k: v for k, v in specification_thresholds(registry, spec).items() if registry.thresholds.get(k) != v}
    body = {
        "config": spec.settings,
        "thresholds": moved,
        "columns": spec.columns,
        "model": list(spec.model) if spec.model else None,
    }
    return json.dumps({k: v for k, v in body.items() if v}, sort_keys=True, default=str)


def _choices(spec: Specification) -> str:
    return "; ".join(f"{d}: {label}" for d, label in spec.labels().items())


def specification_rows(
    registry: Registry,
    result: ClaimsResult,
    spec: Specification,
    tables: Mapping[str, Any],
    statistics: Mapping[str, Any],
    claim_ids: Sequence[str] | None = None,
    prefer: Mapping[str, str] | None = None,
    reason: str = "",
) -> list[dict[str, Any]]:
    """One row per claim of ``claim_ids`` (default: every claim) as the specification decides it."""
    rows = []
    for verdict in result.claims:
        if claim_ids is not None and verdict.claim_id not in claim_ids:
            continue
        stat = claim_statistic(verdict, statistics, tables, (prefer or {}).get(verdict.claim_id))
        rows.append(
            {
                "claim_id": verdict.claim_id,
                "specification": spec.id,
                "family": spec.family,
                "stage": spec.stage,
                "shipped": spec.shipped,
                "choices": _choices(spec),
                "changes": _changes(spec, registry),
                "verdict": verdict.verdict,
                **stat,
                "reason": reason or verdict.reason,
            }
        )
    return rows


def candidate_registry(registry: Registry, fam: Family) -> Registry:
    """The registry cut to the claims some specification of ``fam`` could move (as if it changed
    every table its stage writes), and the claims they cite; the verdicts of the others cannot
    differ from the shipped ones, so evaluating them per specification would only cost time."""
    import dataclasses

    from nero.claims.rules import rule_claims

    stage_tables = list(STAGES[fam.stage])
    specs = [s for s in fam.specifications() if not s.shipped]
    keep = {c.id for c in registry.claims if any(touches(registry, c, s, stage_tables) for s in specs)}
    todo = list(keep)
    while todo:
        for cited in rule_claims(registry.claim(todo.pop()).rule):
            if cited not in keep:
                keep.add(cited)
                todo.append(cited)
    return dataclasses.replace(registry, claims=[c for c in registry.claims if c.id in keep])


@dataclass
class FamilyRun:
    """The rows of one family (``.to_frame()``) and the CPU seconds each specification took."""

    family: str
    rows: list[dict[str, Any]]
    seconds: dict[str, float] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=SPEC_COLUMNS)

    def summary(self) -> str:
        specs = {r["specification"] for r in self.rows}
        total = sum(self.seconds.values())
        return (
            f"family {self.family}: {len(self.seconds)} specification(s) run in {total:.1f} CPU s; "
            f"{len(specs)} touch a claim; {len(self.rows)} claim rows"
        )


def run_family(
    fam: Family,
    config: Mapping[str, Any],
    registry: Registry,
    shipped: str | Path,
    seed: int,
    study: Mapping[str, Any] | None = None,
    statistics: Mapping[str, Any] | None = None,
) -> FamilyRun:
    """Evaluate every claim over the family's specifications (the shipped one left to :func:`gather`).

    Parameters
    ----------
    fam : Family
    config : mapping
        The study config (each specification's settings are applied to a copy of it).
    registry : Registry
        The claims registry.
    shipped : path
        The shipped build's results folder (``results/``): the tables a specification does
        not re-run, and the cleaned data / coded segments the stages start from.
    seed : int
        The study's seed (bootstraps, subsamples).
    study : mapping, optional
        :func:`nero.claims.inventory.study_inventory` of the study.
    statistics : mapping, optional
        ``multiverse.statistics`` (:func:`claim_statistic`).
    """
    from nero.multiverse.grid import apply_settings

    from .views import solution_models

    shipped = Path(shipped)
    names = registry.tables()
    shipped_tables = read_tables(shipped, names)
    full_registry = registry
    registry = candidate_registry(registry, fam)  # only the claims the family can move (evaluation is the cost)
    shipped_result = evaluate_claims(registry, shipped_tables, study=study)
    prefer = {
        c.claim_id: c_stat["statistic_label"]
        for c in shipped_result.claims
        for c_stat in [claim_statistic(c, statistics or {}, shipped_tables)]
    }
    rows: list[dict[str, Any]] = []
    touched: set[str] = set()
    seconds: dict[str, float] = {}
    runner = STAGE_RUNNERS[fam.stage]
    with tempfile.TemporaryDirectory(prefix="nero-multiverse-") as scratch:
        runs: dict[str, tuple[dict[str, Any], str, float]] = {}

        def stage_tables(spec: Specification) -> tuple[dict[str, Any], str, float]:
            """The tables under ``spec``'s config settings: the stage run once per distinct settings
            (specifications that differ only in thresholds, columns or the model share it; the
            shipped settings are the shipped build)."""
            key = json.dumps(spec.settings, sort_keys=True, default=str)
            if key in runs:
                return runs[key]
            if not spec.settings:
                runs[key] = (shipped_tables, "", 0.0)
                return runs[key]
            start = _cpu()
            folder = Path(scratch) / f"run{len(runs):03d}"
            reason = ""
            try:
                written = runner(apply_settings(config, spec.settings), shipped, folder, seed)
            except ValueError as exc:  # FsqcaError, SemInputError, ...: the stage cannot run at this specification
                written, reason = [], f"the specification's stage ({fam.stage}) failed: {exc}"
                log.warning("%s: %s", spec.id, reason)
            rewritten = [p.relative_to(folder).as_posix() for p in written if p.relative_to(folder).as_posix() in names]
            # a table of the stage that the specification did not write (a failed stage; robustness
            # verdicts of other configurations) is absent: the rules that read it are unknown
            tables = {k: v for k, v in shipped_tables.items() if k not in STAGES[fam.stage] or k in rewritten}
            tables.update(read_tables(folder, rewritten))
            runs[key] = (tables, reason, _cpu() - start)
            return runs[key]

        def models_of(base: Specification) -> dict[str, list[str]]:
            return solution_models(full_registry, stage_tables(base)[0])

        changed_of: dict[int, list[str]] = {}
        for spec in fam.specifications(models_of):
            if spec.shipped:
                continue
            start = _cpu()
            tables, reason, stage_cpu = stage_tables(spec)
            if id(tables) not in changed_of:  # the first specification of a stage run is charged its CPU
                changed_of[id(tables)] = [n for n in names if not _same(tables.get(n), shipped_tables.get(n))]
                start -= stage_cpu
            changed = changed_of[id(tables)]
            result = evaluate_claims(specification_registry(registry, spec), tables, study=study)
            touched |= {c.id for c in registry.claims if touches(registry, c, spec, changed)}
            rows += specification_rows(registry, result, spec, tables, statistics or {}, prefer=prefer, reason=reason)
            seconds[spec.id] = _cpu() - start
            log.info("%s: %.2f CPU s, %d table(s) changed", spec.id, seconds[spec.id], len(changed))
    # a family counts for a claim when one of its specifications can move it; then all of them count
    # (one that leaves the claim's tables as shipped is a specification on which the claim holds or fails too)
    return FamilyRun(fam.name, [r for r in rows if r["claim_id"] in touched], seconds)


@dataclass
class MultiverseResult:
    """Every claim over every specification: ``specifications`` (rows) and the per-claim counts."""

    specifications: pd.DataFrame
    claims: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One row per claim (:data:`CLAIM_COLUMNS`)."""
        return self.claims

    def summary(self) -> str:
        lines = [
            f"multiverse: {len(self.claims)} claims, {self.specifications['specification'].nunique()} specifications"
        ]
        for r in self.claims.itertuples(index=False):
            lines.append(
                f"  {r.claim_id}: {r.specifications_supporting} of {r.specifications} support it "
                f"(shipped: {r.shipped_verdict})"
            )
        return "\n".join(lines)


def gather(
    registry: Registry,
    shipped: str | Path,
    family_frames: Sequence[pd.DataFrame],
    study: Mapping[str, Any] | None = None,
    statistics: Mapping[str, Any] | None = None,
) -> MultiverseResult:
    """The shipped specification's row for every claim, the families' rows, and per claim the
    number of specifications (the shipped one included) and of those that support it."""
    tables = read_tables(Path(shipped), registry.tables())
    result = evaluate_claims(registry, tables, study=study)
    shipped_spec = Specification("shipped", "shipped", ())
    rows = pd.DataFrame(
        specification_rows(registry, result, shipped_spec, tables, statistics or {}), columns=SPEC_COLUMNS
    )
    frames = [rows, *[f for f in family_frames if len(f)]]
    specs = pd.concat(frames, ignore_index=True)[SPEC_COLUMNS] if len(frames) > 1 else rows
    order = {c.id: i for i, c in enumerate(registry.claims)}
    specs = specs.sort_values(
        ["claim_id", "shipped", "family", "specification"],
        ascending=[True, False, True, True],
        key=lambda s: s.map(order) if s.name == "claim_id" else s,
        kind="stable",
    ).reset_index(drop=True)
    out = []
    for claim in registry.claims:
        part = specs[specs["claim_id"] == claim.id]
        n, k = len(part), int((part["verdict"] == "supported").sum())
        families = sorted(set(part["family"]) - {"shipped"})
        out.append(
            {
                "claim_id": claim.id,
                "specifications": n,
                "specifications_supporting": k,
                "share_supporting": k / n if n else math.nan,
                "shipped_verdict": result.verdict(claim.id),
                "families": ";".join(families),
            }
        )
    return MultiverseResult(specs, pd.DataFrame(out, columns=CLAIM_COLUMNS))
