"""Operating characteristics of every claim: power, false support and the weak process, at the study's N.

The design analysis gives, per scenario and claim, the share of replicates in which the claim is
supported (:func:`nero.design.metrics.claim_rates`). Scored against the truth map of the
generator (what each scenario plants for each claim: ``planted true``, ``planted false`` or
``not identifiable``), these shares are the rule's

- **power** (``power_planted``): the supported share in the replicates of the scenarios at the
  study's N where the claim is planted true;
- **false support** (``support_under_null``): the supported share in the replicates of the
  scenarios at the study's N where it is planted false or not identifiable (the null process,
  and the planted process for a claim it does not plant), the weak process left out;
- **weak** (``support_weak``): the supported share under the weak process at the study's N,
  whatever its truth there (``truth_weak``).

With the contrary processes of the generator (``contrary``, ``mismeasured``, ``biased``, ``exclusive``;
:mod:`nero.simulate.scenarios`) beside planted and null at the study's N, every claim is planted
true in some process and false in another, so both rates come from runs; the one exception is a
claim that is not identifiable by this design in every process (a direction of causation read
from one cross-sectional survey): it has no power to measure, and its note says so.

Replicates of several scenarios that qualify are pooled (shares over the pooled replicates),
each with its binomial MCSE sqrt(p (1 - p) / R) and R. A claim is **decidable** by this design
when power >= ``min_power`` (.80) and false support <= ``max_false_support`` (.05); both are
compared with a tolerance of :data:`TOLERANCE` (a share computed as k / R is exact to far below
it), and a claim without replicates on one side is not decidable. ``design_note`` says in words
why a claim is not decidable.

The figures reach ``results/claims.csv`` through rule ``score_design_claims``, which writes them
per claim of the registry (:func:`operating_characteristics` with ``claim_ids``), and rule
``evaluate_claims``, which joins them beside each verdict (:func:`annotate_claims`).
**The verdict qualified by the design** (:func:`qualify_verdict`, applied by
:func:`annotate_claims`): a verdict the design cannot back is "inconclusive by design". A rule's
"not supported" with power below ``min_power`` cannot tell a false claim from a miss, and its
"supported" with false support above ``max_false_support`` cannot tell a true claim from a false
one; either becomes "inconclusive", with the rule's outcome kept beside it (``rule_verdict``,
``rule_reason``) and the reason in words. :func:`agrees_with_truth` scores a qualified verdict
against the truth map. The multiverse's specification counts stay the rule's outcomes.

``design_reference`` carries the status line of the shipped design
(:meth:`nero.design.shipped.ReferenceStatus.summary`), so a verdict read from a stale design
says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from nero.simulate.truth_map import expected_verdict

#: Tolerance of the comparisons with the power and false-support limits.
TOLERANCE = 1e-9
#: The least power of a rule whose "not supported" the design backs.
MIN_POWER = 0.80
#: The most false support of a rule whose "supported" the design backs.
MAX_FALSE_SUPPORT = 0.05
#: The verdicts of a rule (and of the verdict qualified by the design).
VERDICTS = ("supported", "not supported", "inconclusive")
#: Columns :func:`annotate_claims` adds besides those of :func:`operating_characteristics`.
QUALIFIED_COLUMNS = ["rule_verdict", "qualified", "rule_reason"]
#: Truths of the generator's truth map.
TRUTHS = ("planted true", "planted false", "not identifiable by this design")
#: The truth of a claim the design cannot identify (e.g. a direction of causation from one survey).
NOT_IDENTIFIABLE = TRUTHS[2]
#: Columns of :func:`operating_characteristics`.
COLUMNS = [
    "claim_id",
    "power_planted",
    "power_planted_mcse",
    "power_planted_replications",
    "support_under_null",
    "support_under_null_mcse",
    "support_under_null_replications",
    "support_weak",
    "support_weak_mcse",
    "support_weak_replications",
    "truth_weak",
    "decidable",
    "design_note",
    "design_reference",
]
#: ``design_note`` of a claim the design has no rates for.
NO_RATES = (
    "no design result for this claim (the shipped design has no rates for it), so the design has not judged "
    "its verdict: the rule's outcome stands"
)


def _pooled(rows: pd.DataFrame) -> tuple[float, float, int]:
    """Supported share over the pooled replicates of ``rows`` (claim_rates rows), its MCSE and R."""
    r = int(rows["replications"].sum()) if len(rows) else 0
    if r == 0:
        return math.nan, math.nan, 0
    k = float((rows["supported"] * rows["replications"]).sum())
    p = k / r
    return p, math.sqrt(max(p * (1 - p), 0.0) / r), r


def operating_characteristics(
    rates: pd.DataFrame,
    truths: Mapping[str, Mapping[str, str]],
    study_n: int,
    min_power: float = MIN_POWER,
    max_false_support: float = MAX_FALSE_SUPPORT,
    claim_ids: Sequence[str] | None = None,
    reference: str = "",
) -> pd.DataFrame:
    """Power, false support and the weak process of every claim at the study's N.

    Parameters
    ----------
    rates : DataFrame
        :func:`nero.design.metrics.claim_rates` (``scenario, process, n, claim_id, replications,
        supported``, ...).
    truths : mapping
        Scenario name -> claim id -> truth (one of :data:`TRUTHS`). A scenario of ``rates`` missing
        here, or a claim missing in its map, is an error (a verdict cannot be scored without its truth).
    study_n : int
        The study's N (usable firms): only the scenarios at this N are read.
    min_power, max_false_support : float
        The limits of a decidable claim.
    claim_ids : sequence of str, optional
        The claims of the registry: one row each, in this order; a claim without rates gets
        blanks, ``decidable`` False and the note :data:`NO_RATES`; rates of a claim not listed
        are left out. Default: every claim of ``rates``, sorted.
    reference : str
        The shipped design's status line, copied into column ``design_reference``.

    Returns
    -------
    DataFrame
        One row per claim with the columns of :data:`COLUMNS`.

    Raises
    ------
    ValueError
        A scenario or claim without a truth, or a truth outside :data:`TRUTHS`.
    """
    at_n = rates[rates["n"] == int(study_n)].copy()
    truth_col = []
    for scenario, claim in zip(at_n["scenario"], at_n["claim_id"]):
        if scenario not in truths:
            raise ValueError(f"truth map: no scenario {scenario!r}; scenarios with truths: {sorted(truths)}")
        if claim not in truths[scenario]:
            raise ValueError(f"truth map of scenario {scenario!r}: no truth for claim {claim!r}")
        truth = truths[scenario][claim]
        if truth not in TRUTHS:
            raise ValueError(
                f"truth map of scenario {scenario!r}, claim {claim!r}: {truth!r}; expected one of {list(TRUTHS)}"
            )
        truth_col.append(truth)
    at_n["truth"] = truth_col
    rows = []
    known = set(rates["claim_id"])
    order = sorted(known) if claim_ids is None else list(claim_ids)
    if len(set(order)) != len(order):
        raise ValueError(f"claim ids listed twice: {sorted({c for c in order if order.count(c) > 1})}")
    for claim in order:
        if claim not in known:
            rows.append(
                {
                    "claim_id": claim,
                    "power_planted": math.nan,
                    "power_planted_mcse": math.nan,
                    "power_planted_replications": 0,
                    "support_under_null": math.nan,
                    "support_under_null_mcse": math.nan,
                    "support_under_null_replications": 0,
                    "support_weak": math.nan,
                    "support_weak_mcse": math.nan,
                    "support_weak_replications": 0,
                    "truth_weak": "",
                    "decidable": False,
                    "design_note": NO_RATES,
                    "design_reference": reference,
                }
            )
            continue
        part = at_n[at_n["claim_id"] == claim]
        planted = part[(part["truth"] == "planted true") & (part["process"] != "weak")]
        false = part[(part["truth"] != "planted true") & (part["process"] != "weak")]
        weak = part[part["process"] == "weak"]
        power, power_se, power_r = _pooled(planted)
        null, null_se, null_r = _pooled(false)
        weak_p, weak_se, weak_r = _pooled(weak)
        truth_weak = "; ".join(sorted(set(weak["truth"])))
        reasons = []
        scored = part[part["process"] != "weak"]
        if power_r == 0 and len(scored) and (scored["truth"] == NOT_IDENTIFIABLE).all():
            reasons.append(
                f"{NOT_IDENTIFIABLE} in every process the generator has (no data of this design can tell the "
                "claim from its rival), so it has no power to measure: every 'supported' is a false support"
            )
        elif power_r == 0:
            reasons.append(f"no scenario at N = {study_n} plants it true, so its power is unknown")
        elif power < min_power - TOLERANCE:
            reasons.append(
                f"power {power:.2f} (MCSE {power_se:.2f}, {power_r} replicates) is below {min_power:.2f}: "
                f"where the claim is true the rule supports it in only {power:.0%} of studies"
            )
        if null_r == 0:
            reasons.append(f"no scenario at N = {study_n} plants it false, so its false-support rate is unknown")
        elif null > max_false_support + TOLERANCE:
            reasons.append(
                f"false support {null:.2f} (MCSE {null_se:.2f}, {null_r} replicates) is above "
                f"{max_false_support:.2f}: where the claim is false the rule still supports it in "
                f"{null:.0%} of studies"
            )
        decidable = not reasons
        note = (
            "this design can decide it"
            if decidable
            else f"this design cannot decide it at N = {study_n}: " + "; ".join(reasons)
        )
        rows.append(
            {
                "claim_id": claim,
                "power_planted": power,
                "power_planted_mcse": power_se,
                "power_planted_replications": power_r,
                "support_under_null": null,
                "support_under_null_mcse": null_se,
                "support_under_null_replications": null_r,
                "support_weak": weak_p,
                "support_weak_mcse": weak_se,
                "support_weak_replications": weak_r,
                "truth_weak": truth_weak,
                "decidable": decidable,
                "design_note": note,
                "design_reference": reference,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _known(value: object) -> bool:
    """A rate that was measured (a number, not NaN or blank)."""
    try:
        return not math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _share(value: float) -> str:
    """``.71``: a rate in [0, 1] as the design tables print it (two decimals, no leading zero)."""
    return f"{value:.2f}".replace("0.", ".", 1) if value < 1 else f"{value:.2f}"


def qualify_verdict(
    rule_verdict: str,
    power: float = math.nan,
    power_mcse: float = math.nan,
    power_replications: int = 0,
    false_support: float = math.nan,
    false_support_mcse: float = math.nan,
    false_support_replications: int = 0,
    min_power: float = MIN_POWER,
    max_false_support: float = MAX_FALSE_SUPPORT,
) -> tuple[str, str]:
    """The verdict qualified by the design: the rule's outcome, or "inconclusive" where the design cannot back it.

    - the rule says "not supported" and the power is known and below ``min_power``: a miss is
      too likely to tell a false claim from a true one, so "inconclusive";
    - the rule says "supported" and the false support is known and above ``max_false_support``:
      the rule supports too many false claims to tell a true claim from a false one, so
      "inconclusive";
    - otherwise the rule's outcome stands (also "inconclusive", and a claim whose rates are
      unknown: the design has not judged it).

    Both limits are compared with :data:`TOLERANCE`: a power of exactly ``min_power`` or a false
    support of exactly ``max_false_support`` lets the verdict stand.

    Parameters
    ----------
    rule_verdict : str
        The registry rule's outcome: "supported", "not supported" or "inconclusive".
    power, power_mcse, power_replications : float, float, int
        The rule's support rate where the claim is planted true, its MCSE and replicate count.
    false_support, false_support_mcse, false_support_replications : float, float, int
        The rule's support rate where the claim is planted false or not identifiable, its MCSE and R.
    min_power, max_false_support : float
        The limits of a verdict the design backs.

    Returns
    -------
    tuple of str
        The qualified verdict and, where it differs from the rule's, the reason in words
        (empty where the rule's outcome stands).

    Raises
    ------
    ValueError
        A rule verdict outside :data:`VERDICTS`.
    """
    if rule_verdict not in VERDICTS:
        raise ValueError(f"rule verdict {rule_verdict!r}; expected one of {list(VERDICTS)}")
    if rule_verdict == "not supported" and _known(power) and power < min_power - TOLERANCE:
        return "inconclusive", (
            f"inconclusive by design: the rule says not supported, but where the claim is true it supports it "
            f"in only {power:.0%} of studies (power {_share(power)}, MCSE {_share(power_mcse)}, "
            f"{int(power_replications)} replicates < {_share(min_power)}), so this 'not supported' cannot tell "
            "a false claim from a miss"
        )
    if rule_verdict == "supported" and _known(false_support) and false_support > max_false_support + TOLERANCE:
        return "inconclusive", (
            f"inconclusive by design: the rule says supported, but where the claim is false it still supports "
            f"it in {false_support:.0%} of studies (false support {_share(false_support)}, MCSE "
            f"{_share(false_support_mcse)}, {int(false_support_replications)} replicates > "
            f"{_share(max_false_support)}), so this 'supported' cannot tell a true claim from a false one"
        )
    return rule_verdict, ""


def annotate_claims(
    claims: pd.DataFrame,
    operating: pd.DataFrame,
    min_power: float = MIN_POWER,
    max_false_support: float = MAX_FALSE_SUPPORT,
) -> pd.DataFrame:
    """``claims`` (``results/claims.csv``) with the operating characteristics and the verdict qualified by the design.

    Every column of :func:`operating_characteristics` but ``claim_id`` is added after
    ``verdict``; a claim the design has no rates for gets blanks, ``decidable`` False and a
    ``design_note`` saying so (e.g. a claim added to the registry after the design was run).

    ``verdict`` becomes the verdict qualified by the design (:func:`qualify_verdict`): the
    registry rule's outcome is kept in ``rule_verdict`` and its reason in ``rule_reason``;
    ``qualified`` is True where the two verdicts differ, and then ``reason`` says why in words
    (otherwise it is the rule's reason).

    Parameters
    ----------
    claims : DataFrame
        ``claim_id`` and ``verdict`` (the rule's outcome), optionally ``reason`` and any other column.
    operating : DataFrame
        :func:`operating_characteristics` (or the CSV it was written to, read back).
    min_power, max_false_support : float
        The limits of a verdict the design backs.

    Returns
    -------
    DataFrame
        One row per claim of ``claims``, in its order.
    """
    extra = [c for c in COLUMNS if c != "claim_id"]
    base = claims.drop(columns=[c for c in extra + QUALIFIED_COLUMNS if c in claims.columns])
    if "reason" not in base.columns:
        base = base.assign(reason="")
    out = base.merge(operating[COLUMNS], on="claim_id", how="left", validate="one_to_one")
    missing = out["design_note"].isna()
    out.loc[missing, "decidable"] = False
    out.loc[missing, "design_note"] = NO_RATES
    out["decidable"] = out["decidable"].astype(bool)
    out["rule_verdict"] = out["verdict"].astype(str)
    out["rule_reason"] = out["reason"].fillna("").astype(str)
    verdicts, reasons, qualified = [], [], []
    for row in out.to_dict("records"):
        verdict, why = qualify_verdict(
            row["rule_verdict"],
            row["power_planted"],
            row["power_planted_mcse"],
            _count(row["power_planted_replications"]),
            row["support_under_null"],
            row["support_under_null_mcse"],
            _count(row["support_under_null_replications"]),
            min_power,
            max_false_support,
        )
        verdicts.append(verdict)
        reasons.append(why or row["rule_reason"])
        qualified.append(bool(why))
    out["verdict"] = pd.Series(verdicts, index=out.index, dtype=object)
    out["reason"] = pd.Series(reasons, index=out.index, dtype=object)
    out["qualified"] = pd.Series(qualified, index=out.index, dtype=bool)
    order = [c for c in base.columns]
    at = order.index("verdict") + 1 if "verdict" in order else len(order)
    head = order[:at] + ["rule_verdict", "qualified"] + extra
    tail = [c for c in order[at:] if c not in extra]
    if "reason" in tail:
        tail.insert(tail.index("reason") + 1, "rule_reason")
    else:
        tail.append("rule_reason")
    return out[head + tail]


def _count(value: object) -> int:
    """A replicate count read from a table (blank or NaN -> 0)."""
    return int(value) if _known(value) else 0


def annotate_record(record: Mapping[str, Any], annotated: pd.DataFrame) -> dict[str, Any]:
    """``results/claims.json`` (:meth:`nero.claims.ClaimsResult.to_dict`) agreeing with the annotated table.

    Every claim of ``record`` takes the flat columns of ``annotated`` (:func:`annotate_claims`,
    plus any column joined after it) for its id: the qualified ``verdict`` and ``reason``,
    ``rule_verdict``, ``rule_reason``, ``qualified`` and the operating characteristics; the
    structured ``figures``, ``flags`` and ``evidence`` of the record are kept. ``counts`` become
    the counts of the qualified verdicts and ``rule_counts`` those of the rule's outcomes, so the
    JSON and the CSV never tell two verdicts.

    Raises
    ------
    ValueError
        The record and the table do not list the same claims.
    """
    table = annotated.set_index("claim_id", drop=False)
    ids = [str(c["claim_id"]) for c in record.get("claims", [])]
    if sorted(ids) != sorted(map(str, table.index)):
        raise ValueError(
            f"claims.json and claims.csv list different claims: only in the record {sorted(set(ids) - set(table.index))}, "
            f"only in the table {sorted(set(table.index) - set(ids))}"
        )
    structured = {"figures", "flags", "evidence"}
    claims = []
    for claim in record.get("claims", []):
        row = table.loc[claim["claim_id"]]
        merged = dict(claim)
        for col in table.columns:
            if col not in structured:
                merged[col] = _plain(row[col])
        claims.append(merged)
    out = dict(record)
    out["claims"] = claims
    out["counts"] = {v: sum(c["verdict"] == v for c in claims) for v in VERDICTS}
    out["rule_counts"] = {v: sum(c.get("rule_verdict", c["verdict"]) == v for c in claims) for v in VERDICTS}
    return out


def _plain(value: Any) -> Any:
    """A table cell as JSON writes it: NaN -> None, numpy scalars -> Python scalars."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def agrees_with_truth(verdict: str, truth: str, decidable: bool) -> bool:
    """Whether a qualified verdict agrees with the truth map.

    A claim the design can decide agrees only when its verdict is the one its truth calls for
    (:func:`nero.simulate.truth_map.expected_verdict`: planted true -> supported, planted false
    -> not supported, not identifiable -> inconclusive). A claim the design cannot decide agrees
    when its verdict is that one or "inconclusive" (by design), never the opposite verdict.

    Raises
    ------
    ValueError
        A truth outside :data:`TRUTHS` or a verdict outside :data:`VERDICTS`.
    """
    if truth not in TRUTHS:
        raise ValueError(f"truth {truth!r}; expected one of {list(TRUTHS)}")
    if verdict not in VERDICTS:
        raise ValueError(f"verdict {verdict!r}; expected one of {list(VERDICTS)}")
    want = expected_verdict(truth)
    return verdict == want or (not decidable and verdict == "inconclusive")
