"""Planted versus recovered: the shipped synthetic study scored against the truth it was generated from.

Only for the synthetic stand-in (``data/truth/claims_truth.json`` exists and says
``"synthetic": true``); real data have no truth. :func:`planted_vs_recovered` gives one row per
claim of the truth map (its truth, the verdict that truth calls for, the verdict computed,
agreement) and one row per planted population parameter (``population`` of the truth map) with
its estimate in the shipped results, read from the table declared in :data:`PARAMETERS`.

The population parameters are values of the **latent** process (SD units of the latent scores,
:func:`nero.simulate.truth_map.population_effects`); the study estimates them on observed
construct means (7-point scale, measurement error, the common-method factor), so an estimate is
not expected to equal its parameter. Agreement is therefore declared per kind, with these
tolerances:

- ``effect``: planted present when ``|value| > effect`` (the truth map's effect tolerance, 0.02),
  with its sign. Recovered present when the estimate's 95% interval excludes 0 (or, for a table
  with a p value only, two-sided ``p < ALPHA``), with the estimate's sign. Agrees when both say
  absent, or both say present with the same sign.
- ``threshold``: the parameter and the estimate fall on the same side of the claim's cut (a share
  of firms in both sets against ``both_share_min``; the necessity consistency against
  ``necessity_min``; the relevance of necessity against ``relevance_min``), each compared with
  :data:`TOLERANCE` (``>= cut - 1e-9`` is on or above the cut).

A claim's ``agrees`` scores the verdict qualified by the design
(:func:`nero.design.operating.agrees_with_truth`: a claim the design cannot decide agrees when it
is "inconclusive" or the verdict its truth calls for); ``rule_verdict`` keeps the rule's outcome,
and where the two differ ``reading`` says why.

A parameter of the truth map without a declared source, or a claim of the truth map without a
verdict (or the reverse), is named in the table with ``agrees`` blank, never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nero.design.operating import VERDICTS, agrees_with_truth
from nero.simulate.truth_map import TRUTHS, expected_verdict

#: Tolerance of the comparisons with a cut.
TOLERANCE = 1e-9
#: Two-sided level of a p value read as "effect present" (a table without an interval).
ALPHA = 0.05
#: Columns of :func:`planted_vs_recovered`.
COLUMNS = [
    "kind",
    "name",
    "planted",
    "expected",
    "recovered",
    "rule_verdict",
    "ci_low",
    "ci_high",
    "source",
    "agrees",
    "reading",
]


@dataclass(frozen=True)
class Source:
    """Where a planted parameter's estimate is in ``results/``.

    Attributes
    ----------
    table : str
        Path under ``results/``.
    where : dict
        Column -> value selecting exactly one row (tables of several rows), or empty.
    column : str
        The estimate's column (``share_both`` computes the share of firms above 0.5 in both
        columns of ``both``).
    ci : tuple of str, optional
        The 95% interval's columns.
    p : str, optional
        The p value's column (when there is no interval).
    kind : str
        ``effect`` or ``threshold``.
    cut : str, optional
        The truth map's tolerance key of a ``threshold`` parameter.
    both : tuple of str, optional
        The two membership columns of a share of firms in both sets.
    """

    table: str
    column: str
    kind: str
    where: dict = field(default_factory=dict)
    ci: tuple[str, str] | None = None
    p: str | None = None
    cut: str | None = None
    both: tuple[str, str] | None = None


def _process_model_4_on_sco(term: str) -> Source:
    """A coefficient of the SCO equation of PROCESS model 4 (mediation through CAP), with its 95% interval."""
    return Source(
        "sem/process_equations.csv",
        "coeff",
        "effect",
        {"process_model": "model 4", "outcome": "SCO", "term": term},
        ci=("llci", "ulci"),
    )


#: The estimate of every planted population parameter in the shipped results.
PARAMETERS: dict[str, Source] = {
    "amb_on_cap": Source(
        "sem/ambidexterity_moderation.csv",
        "b",
        "effect",
        {"outcome": "CAP", "term": "INST:VIRT"},
        ci=("ci_low", "ci_high"),
    ),
    "amb_total_on_sco": Source(
        "sem/mediation_type.csv", "total", "effect", {"x": "AMB", "m": "CAP", "y": "SCO"}, p="total_p"
    ),
    "amb_direct_on_sco": _process_model_4_on_sco("AMB"),
    "cap_on_sco": _process_model_4_on_sco("CAP"),
    "amb_indirect_via_cap": Source(
        "sem/indirect_effects.csv",
        "estimate",
        "effect",
        {"effect": "indirect", "mediator": "CAP"},
        ci=("pct_lower", "pct_upper"),
    ),
    "mkt_on_cap": Source(
        "sem/capacity_boosting.csv", "b", "effect", {"predictor": "MKT", "outcome": "CAP"}, ci=("ci_low", "ci_high")
    ),
    "both_INST_VIRT": Source(
        "fsqca/memberships.csv", "share_both", "threshold", cut="both_share_min", both=("INST", "VIRT")
    ),
    "both_EFF_MKT": Source(
        "fsqca/memberships.csv", "share_both", "threshold", cut="both_share_min", both=("EFF", "MKT")
    ),
    "cap_necessity_inclN": Source(
        "fsqca/necessity.csv", "inclN", "threshold", {"expression": "CAP"}, cut="necessity_min"
    ),
    "cap_necessity_RoN": Source("fsqca/necessity.csv", "RoN", "threshold", {"expression": "CAP"}, cut="relevance_min"),
}


class RecoveryError(ValueError):
    """A truth map or result table the comparison needs is malformed; the message names it."""


def _table(tables: Mapping[str, pd.DataFrame], source: Source) -> pd.DataFrame:
    """``source.table`` as read, or a :class:`RecoveryError` naming it."""
    if source.table not in tables:
        raise RecoveryError(f"results/{source.table}: not read (needed for the planted-versus-recovered table)")
    return tables[source.table]


def _result(
    kind: str,
    name: str,
    planted: Any,
    recovered: Any,
    source: str,
    agrees: bool | None,
    reading: str,
    expected: str = "",
    ci: tuple[float, float] = (math.nan, math.nan),
    rule_verdict: str = "",
) -> dict[str, Any]:
    """One row of :data:`COLUMNS` (claims and parameters alike)."""
    values = (kind, name, planted, expected, recovered, rule_verdict, ci[0], ci[1], source, agrees, reading)
    return dict(zip(COLUMNS, values, strict=True))


def _row(tables: Mapping[str, pd.DataFrame], source: Source) -> pd.Series:
    """The one row of ``source.table`` that ``source.where`` selects."""
    frame = _table(tables, source)
    mask = pd.Series(True, index=frame.index)
    for col, value in source.where.items():
        if col not in frame.columns:
            raise RecoveryError(f"results/{source.table}: no column {col!r} (expected {list(source.where)})")
        mask &= frame[col].astype(str) == str(value)
    rows = frame[mask]
    if len(rows) != 1:
        raise RecoveryError(f"results/{source.table}: {len(rows)} rows where {source.where}; expected exactly one")
    return rows.iloc[0]


def _effect_row(
    name: str, value: float, source: Source, tables: Mapping[str, pd.DataFrame], tolerance: float
) -> dict[str, Any]:
    row = _row(tables, source)
    est = float(row[source.column])
    planted = abs(value) > tolerance
    lo = hi = math.nan
    if source.ci:
        lo, hi = float(row[source.ci[0]]), float(row[source.ci[1]])
        found = lo > 0 or hi < 0
        how = "95% interval excludes 0" if found else "95% interval includes 0"
    else:
        p = float(row[source.p])
        found = p < ALPHA
        how = f"p = {p:.3g} {'<' if found else '>='} {ALPHA}"
    sign_ok = (math.copysign(1, est) == math.copysign(1, value)) if (planted and found) else True
    agrees = (planted == found) and sign_ok
    want = (
        f"planted {'positive' if value > 0 else 'negative'} (|{value:+.4f}| > {tolerance})"
        if planted
        else f"planted absent (|{value:+.4f}| <= {tolerance})"
    )
    got = f"{'found' if found else 'not found'}, {est:+.4f} ({how})"
    return _result(
        "parameter",
        name,
        value,
        est,
        f"{source.table} {source.column}",
        agrees,
        f"latent effect vs observed estimate: {got}",
        expected=want,
        ci=(lo, hi),
    )


def _threshold_row(
    name: str, value: float, source: Source, tables: Mapping[str, pd.DataFrame], tolerances: Mapping[str, float]
) -> dict[str, Any]:
    if source.cut not in tolerances:
        raise RecoveryError(f"truth map: no tolerance {source.cut!r} (needed for {name}); has {sorted(tolerances)}")
    cut = float(tolerances[source.cut])
    if source.both:
        frame = _table(tables, source)
        missing = [c for c in source.both if c not in frame.columns]
        if missing:
            raise RecoveryError(f"results/{source.table}: no column(s) {missing}")
        if frame.empty:
            raise RecoveryError(f"results/{source.table}: no rows")
        a, b = (pd.to_numeric(frame[c], errors="raise") for c in source.both)
        est = float(((a > 0.5) & (b > 0.5)).mean())
        where = f"share of firms with membership above 0.5 in {source.both[0]} and {source.both[1]}"
    else:
        est = float(_row(tables, source)[source.column])
        where = f"{source.column} of {source.where}"
    above_planted, above_found = value >= cut - TOLERANCE, est >= cut - TOLERANCE
    side = {True: ">=", False: "<"}
    return _result(
        "parameter",
        name,
        value,
        est,
        f"{source.table} ({where})",
        above_planted == above_found,
        f"{est:.4f} {side[above_found]} {cut:g} (planted {value:.4f} {side[above_planted]} {cut:g})",
        expected=f"{side[above_planted]} {cut:g}",
    )


def planted_vs_recovered(
    truth: Mapping[str, Any], claims: pd.DataFrame, tables: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """Each claim's truth and verdict, each planted parameter and its estimate, with agreement.

    Parameters
    ----------
    truth : mapping
        ``data/truth/claims_truth.json`` (``claims``: id -> {truth, why}; ``population``;
        ``tolerances``).
    claims : DataFrame
        ``results/claims.csv`` (``claim_id``, ``verdict``).
    tables : mapping
        Path under ``results/`` -> the table (every ``table`` of :data:`PARAMETERS`).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`; claims first (in the truth map's order, then claims without a truth),
        then parameters (in the truth map's order).

    Raises
    ------
    RecoveryError
        A truth outside the three of the truth map, a table or row missing, a tolerance missing.
    """
    for key in ("claims", "population", "tolerances"):
        if not isinstance(truth.get(key), Mapping):
            raise RecoveryError(f"claims_truth.json: {key!r} must be an object")
    verdicts = dict(zip(claims["claim_id"].astype(str), claims["verdict"].astype(str)))
    records = {str(r["claim_id"]): r for r in claims.to_dict("records")}
    rows: list[dict[str, Any]] = []
    for cid, entry in truth["claims"].items():
        t = entry.get("truth") if isinstance(entry, Mapping) else None
        if t not in TRUTHS:
            raise RecoveryError(f"claims_truth.json, claim {cid!r}: truth {t!r}; expected one of {list(TRUTHS)}")
        want = expected_verdict(t)
        got = verdicts.get(cid)
        reading = str(entry.get("why", "")) if got is not None else "no verdict in results/claims.csv"
        agrees, rule = None, ""
        if got is not None:
            record = records[cid]
            rule = str(record.get("rule_verdict", got) or got)
            decidable = "decidable" not in record or str(record["decidable"]).strip().lower() == "true"
            agrees = agrees_with_truth(got, t, decidable) if got in VERDICTS else got == want
            if rule != got:  # the verdict qualified by the design: the rule's outcome and why beside it
                reading = f"{reading}; {record.get('reason', '')}"
        rows.append(
            _result("claim", cid, t, got or "", "results/claims.csv", agrees, reading, expected=want, rule_verdict=rule)
        )
    for cid in [c for c in verdicts if c not in truth["claims"]]:
        reading = "the truth map has no truth for this claim"
        rows.append(_result("claim", cid, "", verdicts[cid], "results/claims.csv", None, reading))
    tol = truth["tolerances"]
    for name, value in truth["population"].items():
        source = PARAMETERS.get(name)
        if source is None:
            reading = "no estimate of this parameter is declared (nero.design.recovery.PARAMETERS)"
            rows.append(_result("parameter", name, value, math.nan, "", None, reading))
        elif source.kind == "effect":
            if "effect" not in tol:
                raise RecoveryError(f"truth map: no tolerance 'effect' (needed for {name}); has {sorted(tol)}")
            rows.append(_effect_row(name, float(value), source, tables, float(tol["effect"])))
        else:
            rows.append(_threshold_row(name, float(value), source, tables, tol))
    return pd.DataFrame(rows, columns=COLUMNS)


def recovery_tables() -> list[str]:
    """Every table (path under ``results/``) :func:`planted_vs_recovered` reads, sorted."""
    return sorted({s.table for s in PARAMETERS.values()})


__all__ = ["COLUMNS", "PARAMETERS", "RecoveryError", "Source", "planted_vs_recovered", "recovery_tables"]
