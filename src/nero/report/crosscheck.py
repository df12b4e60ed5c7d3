"""Independent checks of the notebooks: headline numbers re-estimated by a second route.

Each study notebook re-estimates the numbers its chapter rests on from the cleaned data by a
route other than the one that produced them, and shows the agreement as a table (quantity,
pipeline, independent, |difference|, tolerance, agrees). :meth:`Agreement.require` raises
:class:`DisagreementError` when any quantity differs by more than its tolerance, so a notebook
run (and with it the build) fails rather than ship a disagreeing notebook.

The second routes, and why each is independent of the pipeline:

- **Regressions** (the PROCESS paths a, b, c', the interactions, the capacity-boosting
  regressions): statsmodels OLS with the pipeline's standard-error type (HC3 as statsmodels
  computes it, t-based *p*) on a design frame built here from ``survey/clean.csv``; the pipeline
  fits them with its own numpy implementation of PROCESS (``nero.sem.process``).
- **fsQCA fit**: consistency, PRI, raw and unique coverage of every term and model computed
  here with numpy from the calibrated memberships (``sum(min(X, Y)) / sum(X)`` etc.); the
  pipeline computes them in ``nero.fsqca.fit``.
- **Study 1 counts**: segments, characters and case-by-theme counts recounted with a pandas
  group-by of the imported coded segments; Krippendorff's alpha from the coincidence matrix
  (Krippendorff 2011, nominal data, two coders), where the pipeline calls the ``krippendorff``
  package.
- **Usable N**: responses received (the imported waves) less the responses the exclusion log
  drops, compared with the rows of the clean table.

Nothing here imports the stage packages (``nero.sem``, ``nero.fsqca``, ``nero.qual``,
``nero.survey``): a route that called the function it checks would check nothing.

Tolerances (stated in each row): counts must agree exactly; the stage tables are written with 8
(SEM) or 10 (fsQCA, Study 1) significant digits, so estimates, standard errors and *p* values
agree within :data:`ESTIMATE_TOL` (1e-6, far above that rounding and far below the two or three
decimals a thesis prints).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nero.manuscript.apa import format_int, format_p

#: Absolute tolerance of an estimate, SE, p value or fit parameter re-estimated by a second route.
ESTIMATE_TOL = 1e-6
#: Tolerance of a count (segments, cases, firms): none.
COUNT_TOL = 0.0
#: The kinds of quantity a check can hold; they set how a value is printed.
KINDS = ("estimate", "p", "count")
#: Columns of :meth:`Agreement.to_frame` and the headings of the printed table.
COLUMNS = ("quantity", "pipeline", "independent", "difference", "tolerance", "agrees")
HEADINGS = ("Quantity", "Pipeline", "Independent", "|Difference|", "Tolerance", "Agrees")


class DisagreementError(AssertionError):
    """A quantity the pipeline reports differs from its independent re-estimate beyond tolerance."""


@dataclass(frozen=True)
class Check:
    """One quantity: the pipeline's value, the independent value and the tolerance.

    Two missing values (NaN on both sides: a statistic undefined for both routes, such as alpha
    of a code without variation) agree; a value missing on one side only does not.
    """

    quantity: str
    pipeline: float
    independent: float
    tolerance: float = ESTIMATE_TOL
    kind: str = "estimate"
    group: str = ""

    def __post_init__(self) -> None:
        for name in ("pipeline", "independent", "tolerance"):  # numpy scalars and ints as plain floats
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.kind not in KINDS:
            raise ValueError(f"check {self.quantity!r}: unknown kind {self.kind!r} (expected one of {KINDS})")
        if not (self.tolerance >= 0):
            raise ValueError(f"check {self.quantity!r}: tolerance must be >= 0, got {self.tolerance!r}")

    @property
    def difference(self) -> float:
        """``|pipeline - independent|`` (NaN when either is missing)."""
        return abs(float(self.pipeline) - float(self.independent))

    @property
    def agrees(self) -> bool:
        """Within tolerance (exactly on it agrees), or missing on both sides."""
        a, b = float(self.pipeline), float(self.independent)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return abs(a - b) <= self.tolerance


def _value_text(value: float, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "undefined"
    if kind == "count":
        return format_int(value)
    if kind == "p":
        return format_p(value)
    return f"{float(value):.6f}".replace("-0.000000", "0.000000")


def _small_text(value: float) -> str:
    """A difference or tolerance as a plain decimal: never exponent notation."""
    if isinstance(value, float) and math.isnan(value):
        return "undefined"
    if value == 0:
        return "0"
    if value < 1e-9:
        return "< 0.000000001"
    return np.format_float_positional(float(value), precision=9, unique=False, fractional=True, trim="-")


class Agreement:
    """The checks of one notebook section, and whether all agree.

    Parameters
    ----------
    title : str
        What is checked (shown above the table).
    checks : iterable of Check
    """

    def __init__(self, title: str, checks: Iterable[Check]):
        self.title = title
        self.checks = list(checks)

    def to_frame(self) -> pd.DataFrame:
        """One row per quantity with the raw values (``COLUMNS``)."""
        return pd.DataFrame(
            [
                {
                    "quantity": c.quantity,
                    "pipeline": c.pipeline,
                    "independent": c.independent,
                    "difference": c.difference,
                    "tolerance": c.tolerance,
                    "agrees": c.agrees,
                }
                for c in self.checks
            ],
            columns=list(COLUMNS),
        )

    def formatted(self) -> pd.DataFrame:
        """The printed table: every cell text (*p* in APA form, estimates to six decimals, no exponents)."""
        rows = [
            (
                c.quantity,
                _value_text(c.pipeline, c.kind),
                _value_text(c.independent, c.kind),
                _small_text(c.difference),
                _small_text(c.tolerance),
                "yes" if c.agrees else "NO",
            )
            for c in self.checks
        ]
        return pd.DataFrame(rows, columns=list(HEADINGS))

    @property
    def disagreements(self) -> list[Check]:
        return [c for c in self.checks if not c.agrees]

    def digest(self) -> pd.DataFrame:
        """One row per ``group`` of checks: how many quantities, the largest |difference|, the
        largest tolerance, whether all agree (for checks too many to print one by one)."""
        rows = []
        groups = list(dict.fromkeys(c.group for c in self.checks))
        for group in groups:
            mine = [c for c in self.checks if c.group == group]
            diffs = [c.difference for c in mine if not math.isnan(c.difference)]
            rows.append(
                {
                    "Group": group or self.title,
                    "Quantities": str(len(mine)),
                    "Largest |difference|": _small_text(max(diffs)) if diffs else "undefined",
                    "Tolerance": _small_text(max(c.tolerance for c in mine)),
                    "Agree": "yes" if all(c.agrees for c in mine) else f"NO ({sum(not c.agrees for c in mine)})",
                }
            )
        return pd.DataFrame(rows, columns=["Group", "Quantities", "Largest |difference|", "Tolerance", "Agree"])

    def summary(self) -> str:
        """The table as fixed-width text, and a closing line with the count that agrees."""
        table = self.formatted()
        cells = [list(HEADINGS)] + table.to_numpy().tolist()
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(HEADINGS))]
        lines = [self.title, ""]
        for k, row in enumerate(cells):
            lines.append(
                "  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths)))
            )
            if k == 0:
                lines.append("  ".join("-" * w for w in widths))
        lines += ["", self.verdict()]
        return "\n".join(lines)

    def verdict(self) -> str:
        bad = len(self.disagreements)
        if not self.checks:
            return "nothing compared"
        return (
            f"all {len(self.checks)} quantities agree within tolerance"
            if not bad
            else f"{bad} of {len(self.checks)} quantities DISAGREE beyond tolerance"
        )

    def to_html(self) -> str:
        """The table as HTML: no index column, every cell escaped, a disagreeing row marked."""
        table = self.formatted()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADINGS)
        body = []
        for check, row in zip(self.checks, table.itertuples(index=False)):
            style = "" if check.agrees else ' style="background:#fdd"'
            cells = "".join(
                f'<td style="text-align:{"left" if i == 0 else "right"}">{html.escape(str(v))}</td>'
                for i, v in enumerate(row)
            )
            body.append(f"<tr{style}>{cells}</tr>")
        return (
            f"<p><strong>{html.escape(self.title)}</strong></p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><p>{html.escape(self.verdict())}</p>"
        )

    def require(self) -> Agreement:
        """Return self if every quantity agrees.

        Raises
        ------
        DisagreementError
            Naming each quantity that disagrees, both values and the tolerance; also when
            nothing was compared (a check of nothing cannot fail, so it proves nothing).
        """
        if not self.checks:
            raise DisagreementError(f"{self.title}: no quantity was compared")
        bad = self.disagreements
        if bad:
            detail = "; ".join(
                f"{c.quantity}: pipeline {c.pipeline!r}, independent {c.independent!r}, tolerance {c.tolerance!r}"
                for c in bad
            )
            raise DisagreementError(f"{self.title}: {len(bad)} of {len(self.checks)} quantities disagree: {detail}")
        return self


# ----------------------------------------------------------------------------- regressions


def _safe(name: str) -> str:
    return re.sub(r"\W+", "_", str(name)).strip("_")


def design_columns(
    clean: pd.DataFrame,
    terms: Sequence[str],
    centred_product: Mapping[str, tuple[str, str]],
    categorical: Sequence[str] = (),
) -> pd.DataFrame:
    """The regressors named by a pipeline table, built from the clean table.

    A term is a column of ``clean``; a key of ``centred_product`` (e.g. ``AMB`` or ``INST:VIRT``:
    the product of the two mean-centred columns); ``A:B`` (the product of the raw columns); or a
    treatment dummy ``<column>_<level>`` of a column of ``categorical`` (level spelled with non-word characters
    as ``_``, e.g. ``wave_wave_2`` for wave ``wave-2``), 1 where the column equals the level.

    Raises
    ------
    KeyError
        A term none of these rules can build, naming it.
    """
    out = pd.DataFrame(index=clean.index)
    dummies = {}
    for column in categorical:
        for level in pd.unique(clean[column].dropna()):
            dummies[_safe(f"{column}_{level}")] = (column, level)
    for term in terms:
        if term in centred_product:
            a, b = centred_product[term]
            out[term] = (clean[a] - clean[a].mean()) * (clean[b] - clean[b].mean())
        elif term in clean.columns:
            out[term] = pd.to_numeric(clean[term])
        elif ":" in term and all(part in clean.columns for part in term.split(":")):
            out[term] = np.prod([pd.to_numeric(clean[part]) for part in term.split(":")], axis=0)
        elif term in dummies:
            column, level = dummies[term]
            out[term] = (clean[column] == level).astype(float)
        else:
            raise KeyError(f"term {term!r}: not a column of the clean table, a centred product, A:B or a dummy")
    return out


def ols(
    clean: pd.DataFrame,
    outcome: str,
    terms: Sequence[str],
    se_type: str = "hc3",
    centred_product: Mapping[str, tuple[str, str]] | None = None,
    categorical: Sequence[str] = (),
) -> pd.DataFrame:
    """OLS of ``outcome`` on ``terms`` by statsmodels: ``term, b, se, p, n`` (constant left out).

    ``se_type`` is the pipeline's name (``ols``, ``hc0`` ... ``hc3``); *p* is t-based with
    n - k - 1 degrees of freedom as PROCESS computes it (statsmodels' ``use_t=True``).
    """
    import statsmodels.api as sm

    X = design_columns(clean, list(terms), centred_product or {}, categorical)
    y = pd.to_numeric(clean[outcome])
    keep = X.notna().all(axis=1) & y.notna()
    cov = "nonrobust" if se_type == "ols" else se_type.upper()
    fit = sm.OLS(y[keep].to_numpy(float), sm.add_constant(X[keep].to_numpy(float), has_constant="add")).fit(
        cov_type=cov, use_t=True
    )
    return pd.DataFrame(
        {"term": list(terms), "b": fit.params[1:], "se": fit.bse[1:], "p": fit.pvalues[1:], "n": int(fit.nobs)}
    )


def equation_checks(
    table: pd.DataFrame,
    clean: pd.DataFrame,
    focus: Mapping[str, str],
    *,
    outcome: str | None = None,
    estimate: str = "b",
    centred_product: Mapping[str, tuple[str, str]] | None = None,
    categorical: Sequence[str] = (),
    group: str = "",
) -> tuple[list[Check], pd.DataFrame]:
    """Re-fit one equation of a pipeline table by statsmodels and check its ``focus`` terms.

    Parameters
    ----------
    table : DataFrame
        The rows of one equation: ``term`` (with ``constant``), the estimate column
        (``estimate``: ``b`` or PROCESS' ``coeff``), ``se``, ``p``, ``n``, ``se_type`` and
        ``outcome`` (or give ``outcome``). The regressors are its terms.
    clean : DataFrame
        The clean analysis table the regressors are built from (:func:`design_columns`).
    focus : mapping
        Label -> term: the coefficients whose b, SE, *p* and N are checked.

    Returns
    -------
    (list of Check, DataFrame)
        The checks and the independent fit (:func:`ols`, indexed by term).
    """
    outcome = outcome or str(table["outcome"].iloc[0])
    terms = [t for t in table["term"] if t != "constant"]
    fit = ols(clean, outcome, terms, str(table["se_type"].iloc[0]), centred_product, categorical).set_index("term")
    rows = table.set_index("term")
    checks = []
    for label, term in focus.items():
        pipe = rows.loc[term]
        mine = regression_checks(
            label,
            pd.Series({"b": pipe[estimate], "se": pipe["se"], "p": pipe["p"]}),
            fit.loc[term],
            pipe["n"],
            fit.loc[term, "n"],
        )
        checks += [Check(c.quantity, c.pipeline, c.independent, c.tolerance, c.kind, group) for c in mine]
    return checks, fit


def regression_checks(
    label: str,
    pipeline: pd.Series,
    independent: pd.Series,
    n_pipeline: float | None = None,
    n_independent: float | None = None,
) -> list[Check]:
    """Checks of one coefficient: b, SE and p (and N when given). Both Series hold ``b, se, p``."""
    checks = [
        Check(f"{label}: b", float(pipeline["b"]), float(independent["b"])),
        Check(f"{label}: SE", float(pipeline["se"]), float(independent["se"])),
        Check(f"{label}: p", float(pipeline["p"]), float(independent["p"]), kind="p"),
    ]
    if n_pipeline is not None:
        checks.append(Check(f"{label}: N", float(n_pipeline), float(n_independent), COUNT_TOL, "count"))
    return checks


# ----------------------------------------------------------------------------- fsQCA


def term_membership(memberships: pd.DataFrame, term: str) -> np.ndarray:
    """Fuzzy AND (minimum) of a term's literals, ``~`` as 1 - x: e.g. ``INST*~EFF*CAP``."""
    parts = []
    for literal in term.split("*"):
        literal = literal.strip()
        name = literal.lstrip("~")
        x = memberships[name].to_numpy(float)
        parts.append(1.0 - x if (len(literal) - len(name)) % 2 else x)
    return np.minimum.reduce(parts)


def fit_parameters(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Consistency, PRI and coverage of sufficiency of ``x`` for ``y`` (Ragin 2008; R QCA's formulas)."""
    xy = np.minimum(x, y)
    xyn = np.minimum(xy, 1.0 - y)
    return {
        "inclS": xy.sum() / x.sum(),
        "PRI": (xy.sum() - xyn.sum()) / (x.sum() - xyn.sum()),
        "covS": xy.sum() / y.sum(),
    }


def solution_checks(
    solutions: pd.DataFrame, memberships: pd.DataFrame, label: str = "", outcome: str | None = None
) -> list[Check]:
    """Every term and model of a ``solutions.csv`` re-computed from the memberships.

    Terms: inclS, PRI, covS and covU (covS of the model less covS of the model without the
    term); ``(model)`` rows: inclS, PRI, covS of the union (maximum) of its terms. The outcome
    is the ``outcome`` column (``~SCO``: 1 - SCO), or ``outcome`` for a table without one (the
    enhanced standard analysis). Each check's group is ``label``, the outcome and the solution.

    Raises
    ------
    KeyError
        No ``outcome`` column and no ``outcome`` given.
    """
    if "outcome" not in solutions.columns:
        if outcome is None:
            raise KeyError(f"{label or 'solutions'}: no outcome column; name the outcome")
        solutions = solutions.assign(outcome=outcome)
    checks = []
    for (outcome, solution, model), rows in solutions.groupby(["outcome", "solution", "model"], sort=False):
        y = term_membership(memberships, str(outcome))
        terms = [t for t in rows["term"] if t != "(model)"]
        xs = {t: term_membership(memberships, t) for t in terms}
        union = np.maximum.reduce(list(xs.values()))
        cov_model = fit_parameters(union, y)["covS"]
        for _, row in rows.iterrows():
            where = f"{outcome} {solution} {model} {row['term']}"
            group = f"{label}{outcome}, {solution}"
            if row["term"] == "(model)":
                got = fit_parameters(union, y)
            else:
                got = fit_parameters(xs[row["term"]], y)
                others = [xs[t] for t in terms if t != row["term"]]
                got["covU"] = cov_model - (fit_parameters(np.maximum.reduce(others), y)["covS"] if others else 0.0)
            for key in ("inclS", "PRI", "covS", "covU"):
                if key in got:
                    checks.append(Check(f"{where}: {key}", float(row[key]), float(got[key]), group=group))
    return checks


# ----------------------------------------------------------------------------- Study 1


def recount_codes(selections: pd.DataFrame, coder: str) -> pd.DataFrame:
    """Segments and characters per case and code of one coder: ``case, code_path, segments, characters``."""
    mine = selections[selections["coder"] == coder]
    return (
        mine.assign(characters=mine["end"] - mine["start"])
        .groupby(["case", "code_path"], as_index=False)
        .agg(segments=("selection", "size"), characters=("characters", "sum"))
    )


def alpha_nominal(a: Sequence, b: Sequence) -> float:
    """Krippendorff's alpha for two coders, nominal values, no missing data, by the coincidence matrix.

    ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k`` with ``n = 2 x units``
    pairable values (Krippendorff 2011, "Computing Krippendorff's alpha-reliability", section C);
    NaN when every value is the same (no variation: alpha undefined). Written out because the
    pipeline uses the ``krippendorff`` package and a check must take another route.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("alpha_nominal: two codings of the same units expected")
    values = np.unique(np.concatenate([a, b]))
    if len(values) < 2:
        return math.nan
    ia, ib = np.searchsorted(values, a), np.searchsorted(values, b)
    o = np.zeros((len(values), len(values)))
    np.add.at(o, (ia, ib), 1.0)  # each unit with two values adds 1/(m_u - 1) = 1 to o[x, y] and to o[y, x]
    np.add.at(o, (ib, ia), 1.0)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    disagree = o.sum() - np.trace(o)
    expected = n_c.sum() ** 2 - (n_c**2).sum()
    return float(1.0 - (n - 1) * disagree / expected)


def document_codings(
    selections: pd.DataFrame, coder_1: str, coder_2: str, codes: Sequence[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per code, whether each coder applied it in each source both coded (1/0), sources sorted."""
    both = sorted(
        set(selections.loc[selections["coder"] == coder_1, "source"])
        & set(selections.loc[selections["coder"] == coder_2, "source"])
    )
    out = {}
    for code in codes:
        used = selections[selections["code_path"] == code]
        out[code] = tuple(
            np.array([int(((used["coder"] == c) & (used["source"] == s)).any()) for s in both])
            for c in (coder_1, coder_2)
        )
    return out


def character_codings(
    selections: pd.DataFrame, coder_1: str, coder_2: str, codes: Sequence[str], lengths: Mapping[str, int]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per code, whether each character of the sources both coded lies in a segment of each coder (1/0).

    ``lengths``: source name -> characters (the REFI-QDA project's ``sources[].characters``); a
    source without a positive length ends at the last character either coder coded in it (the
    convention the study states for a coded-segments table without the texts).
    """
    both = sorted(
        set(selections.loc[selections["coder"] == coder_1, "source"])
        & set(selections.loc[selections["coder"] == coder_2, "source"])
    )
    pair = selections[selections["coder"].isin([coder_1, coder_2])]
    size = {
        s: int(lengths.get(s) or 0) if int(lengths.get(s) or 0) > 0 else int(pair.loc[pair["source"] == s, "end"].max())
        for s in both
    }
    out = {}
    for code in codes:
        vectors = []
        for coder in (coder_1, coder_2):
            parts = []
            for source in both:
                covered = np.zeros(size[source], dtype=np.int8)
                mine = selections[
                    (selections["coder"] == coder)
                    & (selections["code_path"] == code)
                    & (selections["source"] == source)
                ]
                for start, end in zip(mine["start"], mine["end"]):
                    covered[int(start) : int(end)] = 1
                parts.append(covered)
            vectors.append(np.concatenate(parts))
        out[code] = tuple(vectors)
    return out


# ----------------------------------------------------------------------------- the usable sample


def usable_count(waves: Mapping[str, pd.DataFrame], exclusion_log: pd.DataFrame) -> dict[str, dict]:
    """Per wave: responses received (imported), dropped (in the exclusion log), usable (the difference) and their ids.

    The log's ``mv_outlier`` rows (a flag, not a drop) are not subtracted.
    """
    dropped = exclusion_log[exclusion_log["rule"] != "mv_outlier"]
    out = {}
    for wave, frame in sorted(waves.items()):
        gone = set(dropped.loc[dropped["wave"] == wave, "ResponseId"])
        ids = set(frame["response_id"])
        out[wave] = {
            "received": len(frame),
            "dropped": len(gone & ids),
            "usable": len(ids - gone),
            "usable_ids": sorted(ids - gone),
        }
    return out
