"""The truth table: one row per configuration of the conditions observed in the data.

A case belongs to the row where its membership is above 0.5 (in every condition it is
either more in or more out). For each observed row, over *all* cases (R QCA's
formulas): ``incl = sum(min(row, Y)) / sum(row)``,
``PRI = (sum(min(row, Y)) - sum(min(row, Y, ~Y))) / (sum(row) - sum(min(row, Y, ~Y)))``
and ``n`` = the number of cases with row membership above 0.5.

``OUT`` is ``"1"`` when ``incl >= incl_cut`` and ``PRI >= pri_cut``; ``"C"`` (a
contradiction) when a second, lower consistency cut ``incl_cut0`` is given and
``incl_cut0 <= incl < incl_cut``; ``"0"`` otherwise; and ``"?"`` (a logical remainder)
for rows with fewer than ``n_cut`` cases. Comparisons use R's tolerance
(``sqrt(machine epsilon)``).

Row numbers are R's: the first condition is the most significant bit, row number =
binary code + 1.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nero.fsqca._data import (
    DEFAULT_HALF_SHIFT,
    HalfReport,
    apply_half_policy,
    as_frame,
    check_half_policy,
    membership_values,
    resolve_sets,
)
from nero.fsqca._errors import ConstantConditionWarning, FsqcaError
from nero.fsqca.fit import outcome_values, parse_expression

#: R's tolerance for "greater than or equal" (admisc::agteb).
TOLERANCE = float(np.finfo(float).eps ** 0.5)

#: Largest number of conditions a truth table accepts.
MAX_CONDITIONS = 30


def _agteb(a: np.ndarray | float, b: float) -> np.ndarray:
    return (np.asarray(a) > b) | (np.abs(np.asarray(a) - b) <= TOLERANCE)


def row_bits(code: int, k: int) -> np.ndarray:
    """Row code -> 0/1 vector (first condition = most significant bit)."""
    return np.array([(code >> (k - 1 - j)) & 1 for j in range(k)], dtype=np.int64)


def codes_of(crisp: np.ndarray) -> np.ndarray:
    """n x k 0/1 matrix -> row codes."""
    k = crisp.shape[1]
    weights = (1 << np.arange(k - 1, -1, -1)).astype(np.int64)
    return crisp.astype(np.int64) @ weights


def row_membership(values: np.ndarray, code: int) -> np.ndarray:
    """Membership of every case in the configuration ``code``."""
    bits = row_bits(code, values.shape[1]).astype(bool)
    return np.where(bits, values, 1.0 - values).min(axis=1)


def rows_matching(expression: str, conditions: Sequence[str]) -> np.ndarray:
    """Row codes (all 2^k configurations) that are inside ``expression`` (crisp)."""
    k = len(conditions)
    if k > 22:
        raise FsqcaError(
            f"{k} conditions: rows can be selected by an expression for at most 22 conditions; "
            "give R row numbers instead"
        )
    terms = parse_expression(expression, conditions)
    codes = np.arange(1 << k, dtype=np.int64)
    inside = np.zeros(codes.size, dtype=bool)
    for t in terms:
        ok = np.ones(codes.size, dtype=bool)
        for c, v in t:
            ok &= ((codes >> (k - 1 - c)) & 1) == v
        inside |= ok
    return codes[inside]


@dataclass
class TruthTable:
    """A truth table (see the module docstring).

    Attributes
    ----------
    table : DataFrame
        Observed configurations, indexed by R's row number: the conditions (0/1),
        ``OUT``, ``n``, ``incl``, ``PRI`` and ``cases``.
    conditions : list of str
    outcome : str
        As given (``"~Y"`` for the negated outcome).
    incl_cut, incl_cut0, n_cut, pri_cut
        The cuts used (``incl_cut0`` is None without a contradiction band).
    excluded : tuple of int
        Row codes of remainders declared untenable (treated as ``OUT = 0`` when minimizing).
    half : HalfReport
    notes : tuple of str
        Notes on the data (a constant condition, see :func:`constant_condition_notes`).
        Which memberships of exactly 0.5 were met and how they were handled.
    values : ndarray
        Case memberships in the conditions (after the 0.5 policy), n x k.
    y : ndarray
        Case memberships in the outcome (negated for ``~Y``).
    cases : list of str
        Case labels.
    """

    table: pd.DataFrame
    conditions: list[str]
    outcome: str
    incl_cut: float
    incl_cut0: float | None
    n_cut: int
    pri_cut: float
    values: np.ndarray
    y: np.ndarray
    cases: list[str]
    excluded: tuple[int, ...] = ()
    half: HalfReport = field(default_factory=lambda: HalfReport("shift", DEFAULT_HALF_SHIFT))
    notes: tuple[str, ...] = ()

    # ----------------------------------------------------------------- row sets
    @property
    def k(self) -> int:
        return len(self.conditions)

    def _codes(self, outs: Iterable[str]) -> np.ndarray:
        outs = set(outs)
        sel = self.table["OUT"].isin(outs).to_numpy()
        return (self.table.index.to_numpy(dtype=np.int64)[sel] - 1).astype(np.int64)

    @property
    def positive_codes(self) -> np.ndarray:
        """Codes of the rows with ``OUT = 1``."""
        return np.sort(self._codes(["1"]))

    @property
    def negative_codes(self) -> np.ndarray:
        """Codes of the rows that must not be covered: ``OUT = 0``, ``C`` and excluded remainders."""
        neg = set(self._codes(["0", "C"]).tolist()) | set(self.excluded)
        return np.array(sorted(neg), dtype=np.int64)

    @property
    def observed_codes(self) -> np.ndarray:
        """Codes of the rows with at least ``n_cut`` cases."""
        return np.sort(self._codes(["1", "0", "C"]))

    @property
    def data(self) -> pd.DataFrame:
        """The memberships used: conditions and the outcome (negated for ``~Y``)."""
        df = pd.DataFrame(self.values, index=self.cases, columns=self.conditions)
        df[self.outcome] = self.y
        return df

    def row_cases(self, code: int) -> list[str]:
        """Cases in row ``code`` (empty for remainders)."""
        rn = int(code) + 1
        if rn not in self.table.index:
            return []
        s = self.table.at[rn, "cases"]
        return [c for c in s.split(",") if c]

    # ----------------------------------------------------------------- output
    def to_frame(self, complete: bool = False) -> pd.DataFrame:
        """The table; ``complete=True`` adds every remainder (``OUT = "?"``, ``n = 0``)."""
        if not complete:
            return self.table.copy()
        if self.k > 20:
            raise FsqcaError(
                f"a complete truth table of {self.k} conditions has 2^{self.k} rows; expected at most 20 conditions"
            )
        codes = np.arange(1 << self.k, dtype=np.int64)
        bits = ((codes[:, None] >> np.arange(self.k - 1, -1, -1)) & 1).astype(int)
        full = pd.DataFrame(bits, columns=self.conditions, index=pd.Index(codes + 1, name="row"))
        full["OUT"] = "?"
        full["n"] = 0
        full["incl"] = np.nan
        full["PRI"] = np.nan
        full["cases"] = ""
        for code in self.excluded:
            full.at[code + 1, "OUT"] = "0"
        full.loc[self.table.index, list(self.table.columns)] = self.table.to_numpy()
        return full

    def to_dict(self) -> dict:
        rows = []
        for rn, r in self.table.iterrows():
            row = {"row": int(rn)}
            row.update({c: int(r[c]) for c in self.conditions})
            row.update(
                {
                    "OUT": r["OUT"],
                    "n": int(r["n"]),
                    "incl": round(float(r["incl"]), 6),
                    "PRI": round(float(r["PRI"]), 6),
                    "cases": r["cases"],
                }
            )
            rows.append(row)
        return {
            "outcome": self.outcome,
            "conditions": list(self.conditions),
            "incl_cut": self.incl_cut,
            "incl_cut0": self.incl_cut0,
            "n_cut": self.n_cut,
            "pri_cut": self.pri_cut,
            "excluded_rows": [int(c) + 1 for c in self.excluded],
            "half_membership": self.half.to_dict(),
            "notes": list(self.notes),
            "rows": rows,
        }

    def summary(self, digits: int = 3) -> str:
        cut = f"incl.cut = {self.incl_cut:g}" + (f" / {self.incl_cut0:g}" if self.incl_cut0 is not None else "")
        head = (
            f"truth table for {self.outcome} ({len(self.cases)} cases, {self.k} conditions; "
            f"{cut}, n.cut = {self.n_cut}, pri.cut = {self.pri_cut:g})"
        )
        counts = self.table["OUT"].value_counts()
        tally = ", ".join(f"OUT={o}: {int(counts.get(o, 0))}" for o in ("1", "0", "C", "?"))
        lines = [head, tally]
        if self.half.any:
            lines.append(self.half.describe())
        if self.excluded:
            lines.append("excluded remainders (rows): " + ", ".join(str(c + 1) for c in self.excluded))
        frame = self.table.copy()
        frame["incl"] = frame["incl"].round(digits)
        frame["PRI"] = frame["PRI"].round(digits)
        lines.append(frame.to_string())
        return "\n".join(lines)


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | str | None = None,
    incl_cut: float | Sequence[float] = 0.8,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    *,
    exclude: Iterable[int | str] | None = None,
    half: str = "shift",
    half_shift: float = DEFAULT_HALF_SHIFT,
) -> TruthTable:
    """Build the truth table of ``outcome`` on ``conditions``.

    Parameters
    ----------
    data : DataFrame
        Cases by sets, memberships in [0, 1] (crisp 0/1 or fuzzy).
    outcome : str
        Outcome column; ``"~Y"`` for the negated outcome.
    conditions : list of str or "A,B,C", optional
        Default: every other column.
    incl_cut : float or (float, float)
        Consistency cut for ``OUT = 1``; a pair ``(incl_cut, incl_cut0)`` also marks rows
        with ``incl_cut0 <= incl < incl_cut`` as contradictions (``OUT = "C"``).
    n_cut : int
        Rows with fewer cases are remainders (``OUT = "?"``).
    pri_cut : float
        Minimum PRI for ``OUT = 1``.
    exclude : iterable of int or str, optional
        Remainders declared untenable: R row numbers or expressions (``"A*~B"``, every
        remainder inside is excluded). They are never used as simplifying assumptions.
    half : {"shift", "fail", "keep"}
        Policy for condition memberships of exactly 0.5 (default: shift by ``half_shift``
        and warn; ``"keep"`` follows R: such a case belongs to no row).
    half_shift : float
        Constant added to memberships of exactly 0.5 under ``"shift"``.

    Returns
    -------
    TruthTable

    Raises
    ------
    MissingColumnError, NonNumericError, MissingValueError, MembershipRangeError
        For bad data; the message names the column, case and value.
    """
    df = as_frame(data)
    _, conds = resolve_sets(df, outcome, conditions)
    if len(conds) > MAX_CONDITIONS:
        raise FsqcaError(f"{len(conds)} conditions; expected at most {MAX_CONDITIONS}")
    ic1, ic0, n_cut = _check_cuts(incl_cut, pri_cut, n_cut)
    check_half_policy(half, half_shift)
    cases = [str(c) for c in df.index]
    if len(df) == 0:
        raise FsqcaError(
            f"no cases: the table has its columns ({', '.join(map(str, df.columns))}) but no rows; "
            "expected at least one case"
        )
    _, y = outcome_values(df, outcome)
    values, report = _condition_values(df, conds, cases, half, half_shift)
    notes = constant_condition_notes(values, conds)
    for note in notes:
        warnings.warn(note, ConstantConditionWarning, stacklevel=2)
    table = _rows(values, y, conds, cases, ic1, ic0, n_cut, float(pri_cut))
    observed = set(int(i) - 1 for i in table.index[table["OUT"] != "?"])
    excluded = excluded_rows(exclude, conds, observed)
    return TruthTable(
        table=table,
        conditions=list(conds),
        outcome=outcome.strip(),
        incl_cut=ic1,
        incl_cut0=ic0,
        n_cut=n_cut,
        pri_cut=float(pri_cut),
        values=values,
        y=y,
        cases=cases,
        excluded=tuple(sorted(excluded)),
        half=report,
        notes=tuple(notes),
    )


def _check_cuts(incl_cut, pri_cut, n_cut) -> tuple[float, float | None, int]:
    """The consistency cuts (incl_cut, incl_cut0 or None) and n_cut, checked."""
    if isinstance(incl_cut, (list, tuple, np.ndarray)):
        if len(incl_cut) != 2:
            raise FsqcaError(f"incl_cut {list(incl_cut)!r}: expected one cut or a pair (incl_cut, incl_cut0)")
        ic1, ic0 = float(incl_cut[0]), float(incl_cut[1])
    else:
        ic1, ic0 = float(incl_cut), None
    if not 0 <= ic1 <= 1 or (ic0 is not None and not 0 <= ic0 <= ic1):
        raise FsqcaError(f"consistency cuts {ic1!r}/{ic0!r} unusable; expected 0 <= incl_cut0 <= incl_cut <= 1")
    if not 0 <= float(pri_cut) <= 1:
        raise FsqcaError(f"pri_cut {pri_cut!r} unusable; expected a value in [0, 1]")
    if int(n_cut) != n_cut or n_cut < 1:
        raise FsqcaError(f"n_cut {n_cut!r} unusable; expected a whole number >= 1")
    return ic1, ic0, int(n_cut)


def _condition_values(
    df: pd.DataFrame, conds: list[str], cases: list[str], half: str, half_shift: float
) -> tuple[np.ndarray, HalfReport]:
    """Cases x conditions memberships after the 0.5 policy, and what the policy did."""
    values = np.zeros((len(df), len(conds)))
    cells: list[tuple[str, str]] = []
    for j, c in enumerate(conds):
        col = membership_values(df, c)
        col, hit = apply_half_policy(col, c, cases, half, half_shift)
        values[:, j] = col
        cells.extend(hit)
    return values, HalfReport(half, half_shift, tuple(cells))


def _row_outcome(n: int, incl: float, pri: float, ic1: float, ic0: float | None, n_cut: int, pri_cut: float) -> str:
    """OUT of one row: "?" (remainder), "1", "C" (contradiction) or "0"."""
    if n < n_cut:
        return "?"
    if bool(_agteb(incl, ic1)) and bool(_agteb(pri, pri_cut)):
        return "1"
    if ic0 is not None and incl < ic1 and bool(_agteb(incl, ic0)):
        return "C"
    return "0"


def _rows(
    values: np.ndarray,
    y: np.ndarray,
    conds: list[str],
    cases: list[str],
    ic1: float,
    ic0: float | None,
    n_cut: int,
    pri_cut: float,
) -> pd.DataFrame:
    """One row per configuration with a case of membership above 0.5: OUT, n, incl, PRI and cases."""
    k = len(conds)
    at_half = np.isclose(values, 0.5, rtol=0, atol=1e-12).any(axis=1)
    case_codes = codes_of((values > 0.5).astype(np.int64))
    ymin = np.minimum(y, 1.0 - y)
    index, records = [], []
    for code in np.unique(case_codes).tolist():
        m = row_membership(values, code)
        n = int((m > 0.5).sum())
        a = float(np.minimum(m, y).sum())
        b = float(np.minimum(m, ymin).sum())
        s = float(m.sum())
        incl = a / s if s > 0 else float("nan")
        pri = (a - b) / (s - b) if (s - b) > 0 else float("nan")
        in_row = (case_codes == code) & ~at_half
        rec = {c: int(b_) for c, b_ in zip(conds, row_bits(code, k))}
        rec.update(
            {
                "OUT": _row_outcome(n, incl, pri, ic1, ic0, n_cut, pri_cut),
                "n": n,
                "incl": incl,
                "PRI": pri,
                "cases": ",".join(cases[i] for i in np.flatnonzero(in_row)),
            }
        )
        index.append(code + 1)
        records.append(rec)
    return pd.DataFrame(
        records, index=pd.Index(index, name="row"), columns=conds + ["OUT", "n", "incl", "PRI", "cases"]
    )


def excluded_rows(exclude: Iterable[int | str] | None, conditions: Sequence[str], observed: set[int]) -> set[int]:
    """Codes of the remainders declared untenable (``exclude`` of :func:`truth_table` and ``minimize``).

    Items are R row numbers (int or digit string) or expressions such as ``"A*~B"`` (every
    configuration inside); observed rows (``observed``, codes) are never excluded.
    """
    k = len(conditions)
    excluded: set[int] = set()
    for item in exclude or ():
        if isinstance(item, str) and not item.strip().lstrip("-").isdigit():
            codes = rows_matching(item, conditions).tolist()
        else:
            rn = int(item)
            if not 1 <= rn <= (1 << k):
                raise FsqcaError(f"excluded row {rn} does not exist; expected a row number between 1 and {1 << k}")
            codes = [rn - 1]
        excluded.update(c for c in codes if c not in observed)
    return excluded


def constant_condition_notes(values: np.ndarray, conditions: Sequence[str]) -> list[str]:
    """A note for every condition on one side of the crossover in every case.

    Such a condition has the same value in every observed row: it cannot tell
    configurations apart, and a solution term's use of it rests on remainders only.
    """
    notes = []
    for j, c in enumerate(conditions):
        col = values[:, j]
        if col.size == 0:
            continue
        if np.all(col == col[0]):
            what = f"membership {col[0]:g} in every case"
        elif np.all(col > 0.5) or np.all(col < 0.5):
            what = "membership " + ("above" if col[0] > 0.5 else "below") + " 0.5 in every case"
        else:
            continue
        notes.append(
            f"condition {c!r} is constant ({what}): every observed truth table row has "
            f"{c} = {int(col[0] > 0.5)}, so it distinguishes no configurations"
        )
    return notes
