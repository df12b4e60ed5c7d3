"""The multiverse columns of ``results/claims.csv``: a join by ``claim_id``.

Rule ``evaluate_claims`` reads ``results/multiverse/claims.csv`` and adds, beside each
verdict, how many specifications of the declared multiverse the claim was evaluated on and
how many of them support it (docs/multiverse.md).
"""

from __future__ import annotations

import pandas as pd

#: The columns joined into results/claims.csv.
JOINED = ("specifications", "specifications_supporting")


def join_specifications(
    claims: pd.DataFrame, multiverse: pd.DataFrame, source: str = "results/multiverse/claims.csv"
) -> pd.DataFrame:
    """``claims`` with :data:`JOINED` from ``multiverse`` (one row per claim), matched by ``claim_id``.

    Raises
    ------
    ValueError
        Naming ``source`` and the claim when a claim has no row (or several) in ``multiverse``,
        or a column is missing: a stale multiverse table never gives a silently blank count.
    """
    missing = [c for c in ("claim_id", *JOINED) if c not in multiverse.columns]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}; expected claim_id, {', '.join(JOINED)}")
    counts = multiverse["claim_id"].value_counts()
    doubled = sorted(counts[counts > 1].index)
    if doubled:
        raise ValueError(f"{source}: claim {doubled[0]!r} has {counts[doubled[0]]} rows; expected one per claim")
    absent = [c for c in claims["claim_id"] if c not in set(multiverse["claim_id"])]
    if absent:
        raise ValueError(f"{source}: no row for claim {absent[0]!r} (rebuild the multiverse: it predates the registry)")
    joined = claims.drop(columns=[c for c in JOINED if c in claims.columns]).merge(
        multiverse[["claim_id", *JOINED]], on="claim_id", how="left", validate="one_to_one"
    )
    for column in JOINED:
        joined[column] = joined[column].astype(int)
    return joined
