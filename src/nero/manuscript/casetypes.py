"""Typical and deviant cases of a sufficient configuration (Schneider & Rohlfing, 2013).

One definition for every table and the Playbook. For a configuration X sufficient for the
outcome Y, a case is

- *typical*: X > .5 and Y > .5 and Y >= X (a member of both, on or above the diagonal);
- *deviant in degree*: X > .5 and Y > .5 but Y < X (consistent in kind, not in degree);
- *deviant in kind* (deviant for consistency): X > .5 and Y < .5 (the configuration
  without the outcome);
- *deviant for coverage*: X < .5 and Y > .5 (the outcome through another path);
- *irrelevant*: X < .5 and Y < .5;

where "> .5" is strict: a membership of exactly .5 is in neither set (the calibration
shifts such cases off .5). Y >= X is read with a tolerance of 1e-9, the precision of the
memberships as written (ten significant digits): a case with Y within 1e-9 below X is
typical. A configuration's membership is the fuzzy AND of its literals: the minimum over
its conditions, ``1 - x`` for a negated condition (``~EFF``) (Ragin, 2008).

Written by hand: these are three comparisons per case, and no Python QCA library exposes
Schneider and Rohlfing's case types.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Tolerance of the diagonal comparison Y >= X (memberships are written to ten significant digits).
DIAGONAL_TOLERANCE = 1e-9
CASE_TYPES = ("typical", "deviant in degree", "deviant in kind", "deviant for coverage", "irrelevant")


def term_membership(memberships: pd.DataFrame, term: str) -> pd.Series:
    """Membership of every case in a conjunction such as ``INST*~EFF*CAP`` (minimum of the literals).

    Raises
    ------
    ValueError
        A condition of the term that is not a column of ``memberships`` (named).
    """
    literals = [part.strip() for part in str(term).split("*") if part.strip()]
    if not literals:
        raise ValueError(f"configuration {term!r} has no condition")
    columns = []
    for literal in literals:
        name = literal.lstrip("~")
        if name not in memberships.columns:
            raise ValueError(
                f"configuration {term!r}: condition {name!r} is not a membership column (has {list(memberships.columns)})"
            )
        x = pd.to_numeric(memberships[name], errors="raise").astype(float)
        columns.append(1.0 - x if literal.startswith("~") else x)
    return pd.concat(columns, axis=1).min(axis=1)


def classify_cases(x: pd.Series, y: pd.Series) -> pd.Series:
    """The case type of every case from its membership in the configuration (``x``) and the outcome (``y``)."""
    x = x.astype(float)
    y = y.astype(float)
    if x.isna().any() or y.isna().any():
        raise ValueError(
            "case types need a membership for every case (a configuration or outcome membership is missing)"
        )
    in_x, in_y = x > 0.5, y > 0.5
    out_x, out_y = x < 0.5, y < 0.5
    kinds = np.select(
        [in_x & in_y & (y >= x - DIAGONAL_TOLERANCE), in_x & in_y, in_x & out_y, out_x & in_y, out_x & out_y],
        list(CASE_TYPES),
        default="at the crossover",
    )
    return pd.Series(kinds, index=x.index, name="case_type")


def solution_membership(memberships: pd.DataFrame, terms: list[str]) -> pd.Series:
    """Membership in a solution: the fuzzy OR (maximum) of its terms' memberships."""
    if not terms:
        raise ValueError("a solution needs at least one term")
    return pd.concat([term_membership(memberships, t) for t in terms], axis=1).max(axis=1)


def case_counts(memberships: pd.DataFrame, term: str | pd.Series, outcome: str) -> dict[str, int]:
    """Cases of each type for one configuration (a term, or its memberships): ``members`` (X > .5)
    and one count per type. ``outcome`` may be negated (``~SCO``)."""
    if outcome.lstrip("~") not in memberships.columns:
        raise ValueError(f"outcome {outcome!r} is not a membership column (has {list(memberships.columns)})")
    x = term if isinstance(term, pd.Series) else term_membership(memberships, term)
    kinds = classify_cases(x, term_membership(memberships, outcome))  # ~SCO: the negated outcome
    counts = {kind: int((kinds == kind).sum()) for kind in CASE_TYPES}
    counts["members"] = int((x > 0.5).sum())
    return counts


def typical_cases(memberships: pd.DataFrame, term: str, outcome: str, id_column: str = "firm_code") -> list[str]:
    """Identifiers of the typical cases of ``term``, most typical first (highest X, then Y, then id)."""
    x = term_membership(memberships, term)
    y = term_membership(memberships, outcome)
    kinds = classify_cases(x, y)
    frame = pd.DataFrame({"id": memberships[id_column].astype(str), "x": x, "y": y})[kinds == "typical"]
    return frame.sort_values(["x", "y", "id"], ascending=[False, False, True], kind="stable")["id"].tolist()
