"""Mutual exclusivity of two sets as a subset relation: is membership in X a subset of non-membership in Y?

Two sets X and Y are mutually exclusive when no case is a member of both. In set-theoretic
terms (Ragin 2008; Schneider & Wagemann 2012) that is the subset relation X <= ~Y: a case's
membership in X never exceeds its membership in not-Y. With fuzzy sets the relation holds
to a degree, measured by its consistency, the sufficiency consistency of X for ~Y::

    inclS(X <= ~Y) = sum(min(x, 1 - y)) / sum(x)

(its PRI and coverage follow the same formulas, :func:`nero.fsqca.fit.sufficiency_fit`).
The relation is not symmetric in fuzzy sets (the denominators differ), so both directions
are reported. A consistency at or above the study's sufficiency cut (``fsqca.incl_cut``)
says that the data show membership in X implying non-membership in Y; below it, they do
not: the two sets are combined by some cases. Beside the consistency, the number and share
of cases that are members (> 0.5) of both sets are shown.

:func:`exclusivity_table` gives the relation for every ordered pair of the given sets
(``results/fsqca/exclusivity.csv``); the claims registry reads it
(``study2.not_mutually_exclusive``, docs/claims.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nero.fsqca._data import as_frame, membership_values, require_columns
from nero.fsqca.fit import sufficiency_fit

#: Columns of ``exclusivity.csv``.
EXCLUSIVITY_COLUMNS = ["set", "other", "relation", "inclS", "PRI", "covS", "n_cases", "n_both", "share_both"]


def exclusivity_table(members: pd.DataFrame, sets: Sequence[str]) -> pd.DataFrame:
    """The subset relation X <= ~Y for every ordered pair of ``sets`` (see the module docstring).

    Parameters
    ----------
    members : DataFrame
        Cases by calibrated sets, memberships in [0, 1] (the fsQCA stage's memberships).
    sets : sequence of str
        The sets to pair (e.g. the study's conditions), each a column of ``members``.

    Returns
    -------
    DataFrame
        :data:`EXCLUSIVITY_COLUMNS`, one row per ordered pair (X, Y), X != Y, in the order of
        ``sets``: ``relation`` ``"X <= ~Y"``; ``inclS``, ``PRI``, ``covS`` of X for ~Y;
        ``n_cases``; ``n_both`` and ``share_both``, the cases with membership above 0.5 in
        both sets. Empty (with these columns) when there are no cases.

    Raises
    ------
    nero.fsqca.MissingColumnError, nero.fsqca.MembershipRangeError, ...
        When a set is not a column of ``members`` or a membership is missing or outside
        [0, 1] (the checks of :func:`nero.fsqca.fit.fit_parameters`).
    """
    df = as_frame(members)
    require_columns(df, list(sets), what="set")
    values = {name: membership_values(df, name) for name in sets}
    rows = []
    n = len(df)
    if n == 0:
        return pd.DataFrame(columns=EXCLUSIVITY_COLUMNS)
    for x_name in sets:
        for y_name in sets:
            if x_name == y_name:
                continue
            x, y = values[x_name], values[y_name]
            fit = sufficiency_fit(x, 1.0 - y)
            both = int(np.sum((x > 0.5) & (y > 0.5)))
            rows.append(
                {
                    "set": x_name,
                    "other": y_name,
                    "relation": f"{x_name} <= ~{y_name}",
                    "inclS": fit["inclS"],
                    "PRI": fit["PRI"],
                    "covS": fit["covS"],
                    "n_cases": n,
                    "n_both": both,
                    "share_both": both / n,
                }
            )
    return pd.DataFrame(rows, columns=EXCLUSIVITY_COLUMNS)
