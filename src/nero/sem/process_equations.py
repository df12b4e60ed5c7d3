"""OLS equations of PROCESS with a chosen SE type, the helpers the models build them with, and
the result object of a model (:class:`ProcessResult`).

Every equation of a PROCESS model is OLS; its standard errors are of one of PROCESS'
``hc`` types (:data:`SE_TYPES`), and its model F and the F test of an interaction's R2
change are Wald F tests with that covariance (see :mod:`nero.sem.process_models` for the
conventions of PROCESS 2.16 that the tests reproduce).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from nero.tolerances import snap_zero

from ._common import SemInputError, fmt, frame_text, numeric_frame
from .bootstrap import bootstrap_coefficients, jackknife_coefficients, summarise_draws

#: Standard-error types as PROCESS' ``hc`` option names them.
SE_TYPES = ("ols", "hc0", "hc1", "hc2", "hc3", "hc4")


@dataclass
class Equation:
    """One OLS equation with the inference of its SE type."""

    outcome: str
    terms: list[str]
    coef: pd.DataFrame
    cov: np.ndarray
    n: int
    r2: float
    mse: float
    F: float
    df1: int
    df2: int
    p: float
    X: np.ndarray = field(repr=False, default=None)
    y: np.ndarray = field(repr=False, default=None)
    se_type: str = "hc3"

    def b(self, term: str) -> float:
        return float(self.coef.loc[term, "coeff"])

    def index(self, term: str) -> int:
        return self.terms.index(term)

    def summary_row(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "n": self.n,
            "R": math.sqrt(max(self.r2, 0)),
            "R2": self.r2,
            "MSE": self.mse,
            "F": self.F,
            "df1": self.df1,
            "df2": self.df2,
            "p": self.p,
        }


def wald_f(beta: np.ndarray, cov: np.ndarray, idx: Sequence[int]) -> tuple[float, int]:
    """Wald F = b' V^-1 b / q of the coefficients ``idx`` (V of the chosen SE type, as PROCESS)."""
    idx = list(idx)
    b = beta[idx]
    v = cov[np.ix_(idx, idx)]
    return float(b @ np.linalg.solve(v, b) / len(idx)), len(idx)


def se_type_name(se_type: str) -> str:
    """Check an SE type (``ols``, ``hc0``..``hc4``, any case) and return it in lower case."""
    key = str(se_type).lower()
    if key not in SE_TYPES:
        raise SemInputError(f"se_type must be one of {', '.join(SE_TYPES)} (PROCESS' names), not {se_type!r}")
    return key


def ols_covariance(X: np.ndarray, resid: np.ndarray, se_type: str) -> np.ndarray:
    """Covariance of OLS coefficients: classical (``ols``) or heteroscedasticity-consistent HC0-HC4.

    HC0 White (1980); HC1 n/(n-k) HC0; HC2 e^2/(1-h); HC3 e^2/(1-h)^2; HC4 e^2/(1-h)^d with
    d = min(4, n h / k) (Cribari-Neto 2004) -- the estimators PROCESS offers; written out
    here because statsmodels lacks HC4 and one formula for all keeps them consistent.
    """
    n, k = X.shape
    xtx_inv = np.linalg.inv(X.T @ X)
    kind = se_type_name(se_type)
    if kind == "ols":
        return xtx_inv * float(resid @ resid) / (n - k)
    h = np.einsum("ij,jk,ik->i", X, xtx_inv, X)
    e2 = resid**2
    if kind == "hc0":
        w = e2
    elif kind == "hc1":
        w = e2 * n / (n - k)
    elif kind == "hc2":
        w = e2 / (1 - h)
    elif kind == "hc3":
        w = e2 / (1 - h) ** 2
    else:
        w = e2 / (1 - h) ** np.minimum(4.0, n * h / k)
    return xtx_inv @ (X.T * w) @ X @ xtx_inv


def fit_equation(
    frame: pd.DataFrame, outcome: str, terms: Sequence[str], conf: float = 0.95, cov_type: str = "HC3"
) -> Equation:
    """OLS of ``outcome`` on a constant and ``terms`` (columns of ``frame``); ``cov_type`` an SE type
    of :data:`SE_TYPES` (any case)."""
    X = np.column_stack([np.ones(len(frame))] + [frame[t].to_numpy(float) for t in terms])
    y = frame[outcome].to_numpy(float)
    names = ["constant", *terms]
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise SemInputError(f"data: the predictors of {outcome!r} ({', '.join(terms)}) are collinear")
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    n, k = X.shape
    df2 = n - k
    cov = ols_covariance(X, resid, cov_type)
    se = np.sqrt(np.diag(cov))
    t = beta / se
    tcrit = stats.t.ppf((1 + conf) / 2, df2)
    coef = pd.DataFrame(
        {
            "coeff": beta,
            "se": se,
            "t": t,
            "p": 2 * stats.t.sf(np.abs(t), df2),
            "llci": beta - tcrit * se,
            "ulci": beta + tcrit * se,
        },
        index=names,
    )
    ssr = float(resid @ resid)
    r2 = 1.0 - ssr / float(((y - y.mean()) ** 2).sum())
    F, df1 = wald_f(beta, cov, range(1, k)) if k > 1 else (math.nan, 0)
    return Equation(
        outcome,
        names,
        coef,
        cov,
        n,
        float(r2),
        ssr / df2,
        F,
        df1,
        df2,
        float(stats.f.sf(F, df1, df2)) if df1 else math.nan,
        X,
        y,
        se_type_name(cov_type),
    )


def probe_values(w: pd.Series | np.ndarray) -> np.ndarray:
    """Mean - 1 SD, mean, mean + 1 SD (SD with n - 1); the two values of a dichotomous W."""
    w = np.asarray(w, float)
    u = np.unique(w)
    if len(u) == 2:
        return u
    m, s = w.mean(), w.std(ddof=1)
    return np.array([m - s, m, m + s])


def sobel_test(a: float, se_a: float, b: float, se_b: float) -> dict[str, float]:
    """First-order Sobel (1982) test of the indirect effect a*b: SE = sqrt(b^2 se_a^2 + a^2 se_b^2)."""
    se = math.sqrt(b**2 * se_a**2 + a**2 * se_b**2)
    z = a * b / se if se > 0 else math.nan
    return {"effect": a * b, "se": se, "z": z, "p": float(2 * stats.norm.sf(abs(z))) if z == z else math.nan}


# ----------------------------------------------------------------------------- helpers of the models


def _prepare(data, x, m, y, w, covariates, min_rows=10):
    cols = [x, *m, y, *([w] if w else []), *covariates]
    seen = []
    for c in cols:
        if c in seen:
            raise SemInputError(f"process: variable {c!r} is given in two roles")
        seen.append(c)
    return numeric_frame(data, cols, what="data", min_rows=max(min_rows, len(cols) + 3))


def _product(frame: pd.DataFrame, a: str, b: str, center: bool) -> str:
    name = f"{a}:{b}"
    va, vb = frame[a], frame[b]
    if center:
        va, vb = va - va.mean(), vb - vb.mean()
    frame[name] = va * vb
    return name


def _effect_rows(
    label: str,
    est: float,
    draws: np.ndarray | None,
    conf: float,
    w: float = math.nan,
    mediator: str = "",
    jackknife: np.ndarray | None = None,
) -> dict[str, Any]:
    row = {"effect": label, "mediator": mediator, "w": w, "estimate": float(est)}
    if draws is not None:
        row.update(summarise_draws(draws, est, conf, jackknife))
    return row


def _direct(eq: Equation, x: str, conf: float) -> pd.DataFrame:
    c = eq.coef.loc[x]
    return pd.DataFrame(
        [
            {
                "effect": "direct",
                "estimate": c["coeff"],
                "se": c["se"],
                "t": c["t"],
                "p": c["p"],
                "llci": c["llci"],
                "ulci": c["ulci"],
            }
        ]
    )


def _r2_change(frame, eq: Equation, outcome: str, terms: list[str], products: list[str]) -> dict[str, Any]:
    reduced = fit_equation(frame, outcome, [t for t in terms if t not in products], cov_type=eq.se_type)
    idx = [eq.index(p) for p in products]
    F, q = wald_f(eq.coef["coeff"].to_numpy(), eq.cov, idx)
    return {
        "outcome": outcome,
        "terms": ", ".join(products),
        "R2_change": eq.r2 - reduced.r2,
        "F": F,
        "df1": q,
        "df2": eq.df2,
        "p": float(stats.f.sf(F, q, eq.df2)),
    }


def _boot(eqs: list[Equation], n_boot: int, seed: int) -> list[np.ndarray]:
    return bootstrap_coefficients([(e.X, e.y) for e in eqs], n_boot, seed)


def _jackknife(eqs: list[Equation]) -> list[np.ndarray]:
    return jackknife_coefficients([(e.X, e.y) for e in eqs])


def conditional_effects(eq: Equation, focal: str, product: str, wv: np.ndarray, conf: float) -> pd.DataFrame:
    """Effect b1 + b3 w of ``focal`` at the values ``wv`` of the moderator, with t tests and intervals.

    b1 is the coefficient of ``focal`` and b3 that of its ``product`` with W; the SE is
    sqrt(v11 + 2 w v13 + w^2 v33) from the equation's covariance (of its SE type), the t
    test and the interval on the equation's n - k df.
    """
    b, V = eq.coef["coeff"].to_numpy(), eq.cov
    i1, i3 = eq.index(focal), eq.index(product)
    eff = b[i1] + b[i3] * wv
    se = np.sqrt(V[i1, i1] + 2 * wv * V[i1, i3] + wv**2 * V[i3, i3])
    t = eff / se
    tcrit = stats.t.ppf((1 + conf) / 2, eq.df2)
    # a bound that is zero up to rounding (at a Johnson-Neyman point, by construction) is 0
    # (nero.tolerances.ZERO_TOL relative to the effect's size), never 1e-17 or -3e-17
    scale = np.abs(eff) + tcrit * se
    return pd.DataFrame(
        {
            "w": wv,
            "effect": eff,
            "se": se,
            "t": t,
            "p": 2 * stats.t.sf(np.abs(t), eq.df2),
            "llci": snap_zero(eff - tcrit * se, scale),
            "ulci": snap_zero(eff + tcrit * se, scale),
        }
    )


#: The effect tables of :meth:`ProcessResult.summary`, in print order, by attribute.
SUMMARY_TABLES = (
    ("R2 change due to interaction", "r2_change"),
    ("Direct effect of X on Y", "direct"),
    ("Conditional direct effect of X at values of W", "conditional_direct"),
    ("Conditional effects of X at values of W", "conditional"),
    ("Indirect effect(s) of X on Y", "indirect"),
    ("Index of moderated mediation", "index"),
    ("Sobel test", "sobel"),
)


@dataclass
class ProcessResult:
    """Output of a PROCESS model.

    Attributes
    ----------
    model : int
    variables : dict
        Roles: x, m (list), y, w, covariates.
    equations : dict
        Outcome name -> :class:`Equation` (mediators first, then Y).
    direct : DataFrame
        Direct effect of X on Y (conditional on W for model 58 is not needed: X*W is
        not in the Y equation of any model here).
    indirect : DataFrame
        Indirect (or conditional indirect) effects with bootstrap SE, percentile,
        bias-corrected and BCa limits; ``w`` is NaN when unconditional.
    index : DataFrame
        Index of moderated mediation (models 7 and 14) with bootstrap limits.
    conditional : DataFrame
        Conditional effects of X at values of W (model 1).
    r2_change : DataFrame
        R2 increase due to the interaction (HC3 Wald F), models 1/7/14/58.
    johnson_neyman : DataFrame
        Effect of X across the range of W with the transition points (model 1).
    plot : DataFrame
        Predicted Y at X, W = mean and +-1 SD, covariates at their means (model 1).
    sobel : DataFrame
        Sobel tests of each a*b (model 4).
    conditional_direct : DataFrame
        Conditional direct effect of X at values of W (models 8 and 15).
    se_type : str
        Standard errors of every equation (``ols``, ``hc0``..``hc4``).
    """

    model: int
    variables: dict[str, Any]
    n: int
    equations: dict[str, Equation]
    direct: pd.DataFrame
    indirect: pd.DataFrame = field(default_factory=pd.DataFrame)
    index: pd.DataFrame = field(default_factory=pd.DataFrame)
    conditional: pd.DataFrame = field(default_factory=pd.DataFrame)
    r2_change: pd.DataFrame = field(default_factory=pd.DataFrame)
    johnson_neyman: pd.DataFrame = field(default_factory=pd.DataFrame)
    jn_points: list[float] = field(default_factory=list)
    plot: pd.DataFrame = field(default_factory=pd.DataFrame)
    sobel: pd.DataFrame = field(default_factory=pd.DataFrame)
    conditional_direct: pd.DataFrame = field(default_factory=pd.DataFrame)
    se_type: str = "hc3"
    n_boot: int = 0
    seed: int | None = None
    conf: float = 0.95

    def coefficients(self) -> pd.DataFrame:
        """All equations' coefficients in one long table."""
        parts = []
        for name, eq in self.equations.items():
            c = eq.coef.copy()
            c.insert(0, "term", c.index)
            c.insert(0, "outcome", name)
            parts.append(c.reset_index(drop=True))
        return pd.concat(parts, ignore_index=True)

    def model_summaries(self) -> pd.DataFrame:
        return pd.DataFrame([eq.summary_row() for eq in self.equations.values()])

    def to_frame(self) -> pd.DataFrame:
        """Every effect (direct, indirect, conditional, index) in one long table."""
        parts = []
        for kind, df in (
            ("direct", self.direct),
            ("conditional direct", self.conditional_direct),
            ("indirect", self.indirect),
            ("index", self.index),
            ("conditional", self.conditional),
            ("sobel", self.sobel),
        ):
            if len(df):
                d = df.copy()
                d.insert(0, "kind", kind)
                parts.append(d)
        out = pd.concat(parts, ignore_index=True, sort=False) if parts else pd.DataFrame()
        out.insert(0, "model", self.model)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "variables": self.variables,
            "n": self.n,
            "n_boot": self.n_boot,
            "seed": self.seed,
            "conf": self.conf,
            "model_summaries": self.model_summaries(),
            "coefficients": self.coefficients(),
            "direct": self.direct,
            "indirect": self.indirect,
            "index_of_moderated_mediation": self.index,
            "conditional_effects": self.conditional,
            "r2_change": self.r2_change,
            "johnson_neyman_points": self.jn_points,
            "sobel": self.sobel,
            "conditional_direct": self.conditional_direct,
            "se_type": self.se_type,
            "conventions": f"OLS, {self.se_type} standard errors, percentile, bias-corrected and BCa bootstrap intervals",
        }

    def summary(self) -> str:
        """The model as PROCESS prints it: variables, each equation, the effect tables, J-N, bootstrap."""
        lines = self._header_lines()
        for name, eq in self.equations.items():
            lines += _equation_lines(name, eq)
        for title, attr in SUMMARY_TABLES:
            df = getattr(self, attr)
            if len(df):
                lines.append(f"\n{title}:")
                lines.append(frame_text(df, 4))
        lines += self._footer_lines()
        return "\n".join(lines)

    def _header_lines(self) -> list[str]:
        v = self.variables
        return [
            f"PROCESS model {self.model}: Y = {v['y']}, X = {v['x']}"
            + (f", M = {', '.join(v['m'])}" if v.get("m") else "")
            + (f", W = {v['w']}" if v.get("w") else "")
            + (f", covariates = {', '.join(v['covariates'])}" if v.get("covariates") else ""),
            f"N = {self.n}; {self.se_type.upper()} standard errors; {int(self.conf * 100)}% intervals",
        ]

    def _footer_lines(self) -> list[str]:
        lines = []
        if self.jn_points or len(self.johnson_neyman):
            pts = ", ".join(fmt(p, 4) for p in self.jn_points) or "none within the range of W"
            lines.append(f"\nJohnson-Neyman transition point(s): {pts}")
        if self.n_boot:
            lines.append(
                f"\nBootstrap: {self.n_boot} case resamples, seed {self.seed}; pct = percentile, BC = bias-corrected, "
                "BCa = bias-corrected and accelerated (jackknife acceleration)"
            )
        return lines


def _equation_lines(name: str, eq: Equation) -> list[str]:
    """An equation's fit line and coefficient table."""
    c = eq.coef.copy()
    c.insert(0, "term", c.index)
    return [
        f"\nOutcome: {name}  R2 = {fmt(eq.r2, 4)}, MSE = {fmt(eq.mse, 4)}, "
        f"F({eq.df1}, {eq.df2}) = {fmt(eq.F, 4)}, p = {fmt(eq.p, 4)}",
        frame_text(c, 4),
    ]
