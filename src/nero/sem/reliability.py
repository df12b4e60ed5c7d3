"""Reliability and discriminant validity of multi-item constructs.

Formulas (named in every table this module returns):

- Cronbach's alpha (Cronbach 1951): k/(k-1) * (1 - sum var(x_i) / var(sum x_i)), item
  variances with divisor n - 1.
- Composite reliability, "CR (Joreskog rho / Fornell-Larcker)": from the standardised
  loadings l_i of a congeneric CFA, (sum l_i)^2 / ((sum l_i)^2 + sum(1 - l_i^2))
  (Fornell & Larcker 1981; Hair et al.). semTools' ``compRelSEM`` instead uses the
  raw-metric loadings and residual variances; both agree for standardised items.
- AVE, "mean squared standardised loading" (Fornell & Larcker 1981): sum(l_i^2)/k.
  semTools' ``AVE`` weights by the item variances; the two agree when the items have
  equal variances.
- Fornell-Larcker criterion: sqrt(AVE) of each construct exceeds its correlations with
  every other construct (factor correlations of the CFA).
- HTMT (Henseler, Ringle & Sarstedt 2015): mean heterotrait-heteromethod item
  correlation / sqrt(product of the mean monotrait-heteromethod correlations of the two
  constructs); HTMT2 (Roemer, Schuberth & Henseler 2021) uses geometric means. Computed
  from the item correlation matrix (absolute values by default, as semTools does).
  Thresholds: 0.85 (Kline 2011, strict) and 0.90 (Gold et al. 2001, liberal).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nero.tolerances import at_least, below

from ._common import SemInputError, frame_text, numeric_frame

ALPHA_FORMULA = "Cronbach's alpha (Cronbach 1951)"
CR_FORMULA = "CR = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)), standardised loadings (Fornell & Larcker 1981)"
AVE_FORMULA = "AVE = mean of squared standardised loadings (Fornell & Larcker 1981)"
HTMT_THRESHOLDS = (0.85, 0.90)


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of the columns of ``items`` (complete rows only)."""
    x = items.dropna().to_numpy(dtype=float)
    k = x.shape[1]
    if k < 2:
        return math.nan
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


def composite_reliability(std_loadings: Sequence[float]) -> float:
    """Composite reliability from standardised loadings (Fornell & Larcker 1981)."""
    l = np.asarray(std_loadings, float)
    s = l.sum() ** 2
    return float(s / (s + np.sum(1 - l**2)))


def average_variance_extracted(std_loadings: Sequence[float]) -> float:
    """AVE: the mean squared standardised loading (Fornell & Larcker 1981)."""
    l = np.asarray(std_loadings, float)
    return float(np.mean(l**2))


def reliability_table(cfa, data: pd.DataFrame, factors: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Alpha, CR and AVE of every first-order factor of a fitted CFA.

    Parameters
    ----------
    cfa : CFAResult
        A converged CFA (standardised loadings are taken from it).
    data : DataFrame
        The item data (for Cronbach's alpha).
    factors : mapping, optional
        Factor -> items; default: the factors of ``cfa`` whose indicators are data columns.

    Returns
    -------
    DataFrame
        construct, n_items, alpha, cr, ave, sqrt_ave, min/max loading, the threshold
        checks (alpha >= .70, CR >= .70, AVE >= .50) and the formula names.
    """
    factors = factors or {f: i for f, i in cfa.factors.items() if all(x in data.columns for x in i)}
    load = cfa.loadings()
    rows = []
    for name, items in factors.items():
        l = load[(load["factor"] == name)].set_index("indicator")["std_all"].reindex(items).to_numpy(float)
        alpha = cronbach_alpha(numeric_frame(data, list(items), what="data", min_rows=3, dropna=False))
        cr = composite_reliability(l) if np.all(np.isfinite(l)) else math.nan
        ave = average_variance_extracted(l) if np.all(np.isfinite(l)) else math.nan
        rows.append(
            {
                "construct": name,
                "n_items": len(items),
                "alpha": alpha,
                "cr": cr,
                "ave": ave,
                "sqrt_ave": math.sqrt(ave) if ave == ave and ave >= 0 else math.nan,
                "min_loading": float(np.nanmin(l)) if len(l) else math.nan,
                "max_loading": float(np.nanmax(l)) if len(l) else math.nan,
                # cut-offs with nero.tolerances.CUT_TOL (a value within it of the cut-off reaches it)
                "alpha_ok": bool(at_least(alpha, 0.70)),
                "cr_ok": bool(at_least(cr, 0.70)),
                "ave_ok": bool(at_least(ave, 0.50)),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["formulas"] = {"alpha": ALPHA_FORMULA, "cr": CR_FORMULA, "ave": AVE_FORMULA}
    out["alpha_formula"] = ALPHA_FORMULA
    out["cr_formula"] = CR_FORMULA
    out["ave_formula"] = AVE_FORMULA
    return out


@dataclass
class DiscriminantResult:
    """A construct x construct table with its criterion.

    ``matrix`` holds the values (Fornell-Larcker: sqrt(AVE) on the diagonal, factor
    correlations off it; HTMT: ratios in the lower triangle); ``checks`` one row per
    pair with the verdict.
    """

    kind: str
    matrix: pd.DataFrame
    checks: pd.DataFrame
    note: str

    def to_frame(self) -> pd.DataFrame:
        m = self.matrix.copy()
        m.insert(0, "construct", m.index)
        return m.reset_index(drop=True)

    def summary(self) -> str:
        return f"{self.kind}\n{frame_text(self.to_frame())}\n{self.note}"

    @property
    def passed(self) -> bool:
        return bool(self.checks["ok"].all()) if len(self.checks) else True


def fornell_larcker(
    cfa, reliability: pd.DataFrame | None = None, data: pd.DataFrame | None = None
) -> DiscriminantResult:
    """Fornell-Larcker table: sqrt(AVE) on the diagonal, factor correlations below it.

    The criterion holds for a pair when both constructs' sqrt(AVE) exceed the absolute
    correlation between them.
    """
    if reliability is None:
        if data is None:
            raise SemInputError("fornell_larcker: pass the reliability table or the data")
        reliability = reliability_table(cfa, data)
    sq = reliability.set_index("construct")["sqrt_ave"]
    names = [n for n in sq.index if n in cfa.latent_cov.index]
    r = cfa.latent_correlations().loc[names, names]
    mat = r.copy()
    for n in names:
        mat.loc[n, n] = sq[n]
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            corr = float(r.loc[a, b])
            rows.append(
                {
                    "construct_1": a,
                    "construct_2": b,
                    "correlation": corr,
                    "sqrt_ave_1": float(sq[a]),
                    "sqrt_ave_2": float(sq[b]),
                    "ok": bool(min(sq[a], sq[b]) > abs(corr)),
                }
            )
    mask = np.triu(np.ones((len(names), len(names)), bool), 1)
    mat = mat.mask(mask)
    return DiscriminantResult(
        "Fornell-Larcker criterion",
        mat,
        pd.DataFrame(rows),
        "Diagonal: sqrt(AVE); below: factor correlations. Criterion (Fornell & Larcker 1981): "
        "sqrt(AVE) > |r| with every other construct.",
    )


def htmt(
    data: pd.DataFrame,
    factors: Mapping[str, Sequence[str]],
    htmt2: bool = False,
    absolute: bool = True,
    thresholds: tuple[float, float] = HTMT_THRESHOLDS,
) -> DiscriminantResult:
    """Heterotrait-monotrait ratio of correlations (Henseler et al. 2015).

    Parameters
    ----------
    data : DataFrame
        Item scores.
    factors : mapping
        Construct -> items (each with at least two items).
    htmt2 : bool
        Use geometric instead of arithmetic means (HTMT2, Roemer et al. 2021).
    absolute : bool
        Use absolute item correlations (semTools' default).
    thresholds : (float, float)
        Strict and liberal cut-offs, 0.85 and 0.90.
    """
    items = [i for its in factors.values() for i in its]
    frame = numeric_frame(data, items, what="data", min_rows=3)
    r = frame.corr().to_numpy()
    if absolute:
        r = np.abs(r)
    idx = {c: k for k, c in enumerate(frame.columns)}
    names = list(factors)

    def mean(values: np.ndarray) -> float:
        if htmt2:
            return float(np.exp(np.mean(np.log(values))))
        return float(np.mean(values))

    mono = {}
    for n in names:
        its = [idx[i] for i in factors[n]]
        if len(its) < 2:
            raise SemInputError(f"htmt: construct {n!r} needs at least two items")
        sub = r[np.ix_(its, its)]
        mono[n] = mean(sub[np.triu_indices(len(its), 1)])
    mat = pd.DataFrame(np.nan, index=names, columns=names)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            het = r[np.ix_([idx[x] for x in factors[a]], [idx[x] for x in factors[b]])].ravel()
            value = mean(het) / math.sqrt(mono[a] * mono[b])
            mat.loc[b, a] = value
            rows.append(
                {
                    "construct_1": a,
                    "construct_2": b,
                    "htmt": value,
                    f"below_{thresholds[0]:.2f}": bool(below(value, thresholds[0])),
                    f"below_{thresholds[1]:.2f}": bool(below(value, thresholds[1])),
                    "ok": bool(below(value, thresholds[0])),
                }
            )
    kind = "HTMT2 (Roemer et al. 2021)" if htmt2 else "HTMT (Henseler et al. 2015)"
    return DiscriminantResult(
        kind,
        mat,
        pd.DataFrame(rows),
        f"{kind} from the item correlation matrix{' (absolute values)' if absolute else ''}; "
        f"discriminant validity when HTMT < {thresholds[0]:.2f} (strict, Kline 2011) or < {thresholds[1]:.2f} "
        "(liberal, Gold et al. 2001).",
    )
