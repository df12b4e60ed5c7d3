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
``design_reference`` carries the status line of the shipped design
(:meth:`nero.design.shipped.ReferenceStatus.summary`), so a verdict read from a stale design
says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

#: Tolerance of the comparisons with the power and false-support limits.
TOLERANCE = 1e-9
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
NO_RATES = "no design result for this claim (the shipped design has no rates for it)"


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
    min_power: float = 0.80,
    max_false_support: float = 0.05,
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


def annotate_claims(claims: pd.DataFrame, operating: pd.DataFrame) -> pd.DataFrame:
    """``claims`` (``results/claims.csv``) with the operating characteristics beside each verdict.

    Every column of :func:`operating_characteristics` but ``claim_id`` is added after
    ``verdict``; a claim the design has no rates for gets blanks, ``decidable`` False and a
    ``design_note`` saying so (e.g. a claim added to the registry after the design was run).
    """
    extra = [c for c in COLUMNS if c != "claim_id"]
    out = claims.drop(columns=[c for c in extra if c in claims.columns]).merge(
        operating[COLUMNS], on="claim_id", how="left", validate="one_to_one"
    )
    missing = out["design_note"].isna()
    out.loc[missing, "decidable"] = False
    out.loc[missing, "design_note"] = NO_RATES
    out["decidable"] = out["decidable"].astype(bool)
    order = list(claims.columns)
    at = order.index("verdict") + 1 if "verdict" in order else len(order)
    return out[order[:at] + extra + [c for c in order[at:] if c not in extra]]
