"""Core of Hayes' PROCESS: OLS equations with a chosen SE type, the result object, model 1.

Conventions of PROCESS 2.16 (the release whose printed output the tests reproduce):

- every equation is OLS; standard errors as PROCESS' ``hc`` option names them:
  ``ols`` (PROCESS' default, classical), ``hc0``..``hc4`` (``hc3`` in release 2.16,
  which the tests reproduce: Davidson & MacKinnon 1993; ``hc4``: Cribari-Neto 2004,
  hand-written as statsmodels has none); t tests and intervals on n - k df; the model
  F is the Wald F of all slopes and the test of the R2 change due to an interaction
  the Wald F of its product term(s), both with the chosen covariance (with ``ols`` they
  are the classical F tests), so tests and SEs never disagree;
- covariates enter every equation (mediators' and outcome's);
- a quantitative moderator is probed at its mean and mean +- 1 SD (SD with n - 1), a
  dichotomous one at its two values; variables are not mean-centred unless asked;
- indirect effects get case-resampling bootstrap intervals from 5000 draws: bias-
  corrected (PROCESS 2.x) and percentile (PROCESS 3+), both reported;
- the Johnson-Neyman points solve (b1 + b3 w)^2 = t_crit^2 Var(b1 + b3 w) (hand-written,
  Johnson & Neyman 1936; Hayes & Matthes 2009), reported within the observed range of W.

Model equations (M: mediators, W: moderator, C: covariates):

- 1: Y = X + W + X*W + C; conditional effect of X = b1 + b3 W
- 4: M_i = X + C; Y = X + M_1..M_k + C; indirect a_i b_i, total sum_i a_i b_i
- 7: M_i = X + W + X*W + C; Y = X + M + C; indirect (a1 + a3 W) b; index a3 b
- 8: as 7 with W and X*W in Y too; conditional direct effect c1 + c3 W; index a3 b
- 14: M_i = X + C; Y = X + M + W + M*W + C; indirect a (b1 + b3 W); index a b3
- 15: as 14 with X*W in Y too; conditional direct effect c1 + c3 W; index a b3
- 58: M_i = X + W + X*W + C; Y = X + M + W + M*W + C; indirect (a1 + a3 W)(b1 + b3 W)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._common import SemInputError, fmt, frame_text, numeric_frame
from .bootstrap import bootstrap_coefficients, summarise_draws

MODELS = (1, 4, 7, 8, 14, 15, 58)
#: Standard-error types as PROCESS' ``hc`` option names them.
SE_TYPES = ("ols", "hc0", "hc1", "hc2", "hc3", "hc4")


# ----------------------------------------------------------------------------- equations


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
        return {"outcome": self.outcome, "n": self.n, "R": math.sqrt(max(self.r2, 0)), "R2": self.r2, "MSE": self.mse,
                "F": self.F, "df1": self.df1, "df2": self.df2, "p": self.p}


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


def fit_equation(frame: pd.DataFrame, outcome: str, terms: Sequence[str], conf: float = 0.95,
                 cov_type: str = "HC3") -> Equation:
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
    coef = pd.DataFrame({"coeff": beta, "se": se, "t": t, "p": 2 * stats.t.sf(np.abs(t), df2),
                         "llci": beta - tcrit * se, "ulci": beta + tcrit * se}, index=names)
    ssr = float(resid @ resid)
    r2 = 1.0 - ssr / float(((y - y.mean()) ** 2).sum())
    F, df1 = wald_f(beta, cov, range(1, k)) if k > 1 else (math.nan, 0)
    return Equation(outcome, names, coef, cov, n, float(r2), ssr / df2, F, df1, df2,
                    float(stats.f.sf(F, df1, df2)) if df1 else math.nan, X, y, se_type_name(cov_type))


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


# ----------------------------------------------------------------------------- result


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
        Indirect (or conditional indirect) effects with bootstrap SE, percentile and
        bias-corrected limits; ``w`` is NaN when unconditional.
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
        for kind, df in (("direct", self.direct), ("conditional direct", self.conditional_direct),
                         ("indirect", self.indirect), ("index", self.index),
                         ("conditional", self.conditional), ("sobel", self.sobel)):
            if len(df):
                d = df.copy()
                d.insert(0, "kind", kind)
                parts.append(d)
        out = pd.concat(parts, ignore_index=True, sort=False) if parts else pd.DataFrame()
        out.insert(0, "model", self.model)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model, "variables": self.variables, "n": self.n, "n_boot": self.n_boot, "seed": self.seed,
            "conf": self.conf, "model_summaries": self.model_summaries(), "coefficients": self.coefficients(),
            "direct": self.direct, "indirect": self.indirect, "index_of_moderated_mediation": self.index,
            "conditional_effects": self.conditional, "r2_change": self.r2_change,
            "johnson_neyman_points": self.jn_points, "sobel": self.sobel,
            "conditional_direct": self.conditional_direct, "se_type": self.se_type,
            "conventions": f"OLS, {self.se_type} standard errors, bias-corrected and percentile bootstrap intervals",
        }

    def summary(self) -> str:
        v = self.variables
        lines = [f"PROCESS model {self.model}: Y = {v['y']}, X = {v['x']}"
                 + (f", M = {', '.join(v['m'])}" if v.get("m") else "") + (f", W = {v['w']}" if v.get("w") else "")
                 + (f", covariates = {', '.join(v['covariates'])}" if v.get("covariates") else ""),
                 f"N = {self.n}; {self.se_type.upper()} standard errors; {int(self.conf * 100)}% intervals"]
        for name, eq in self.equations.items():
            lines.append(f"\nOutcome: {name}  R2 = {fmt(eq.r2, 4)}, MSE = {fmt(eq.mse, 4)}, "
                         f"F({eq.df1}, {eq.df2}) = {fmt(eq.F, 4)}, p = {fmt(eq.p, 4)}")
            c = eq.coef.copy()
            c.insert(0, "term", c.index)
            lines.append(frame_text(c, 4))
        for title, df in (("R2 change due to interaction", self.r2_change), ("Direct effect of X on Y", self.direct),
                          ("Conditional direct effect of X at values of W", self.conditional_direct),
                          ("Conditional effects of X at values of W", self.conditional),
                          ("Indirect effect(s) of X on Y", self.indirect), ("Index of moderated mediation", self.index),
                          ("Sobel test", self.sobel)):
            if len(df):
                lines.append(f"\n{title}:")
                lines.append(frame_text(df, 4))
        if self.jn_points or len(self.johnson_neyman):
            pts = ", ".join(fmt(p, 4) for p in self.jn_points) or "none within the range of W"
            lines.append(f"\nJohnson-Neyman transition point(s): {pts}")
        if self.n_boot:
            lines.append(f"\nBootstrap: {self.n_boot} case resamples, seed {self.seed}; BC = bias-corrected, "
                         "pct = percentile")
        return "\n".join(lines)


# ----------------------------------------------------------------------------- helpers


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


def _effect_rows(label: str, est: float, draws: np.ndarray | None, conf: float, w: float = math.nan,
                 mediator: str = "") -> dict[str, Any]:
    row = {"effect": label, "mediator": mediator, "w": w, "estimate": float(est)}
    if draws is not None:
        row.update(summarise_draws(draws, est, conf))
    return row


def _direct(eq: Equation, x: str, conf: float) -> pd.DataFrame:
    c = eq.coef.loc[x]
    return pd.DataFrame([{"effect": "direct", "estimate": c["coeff"], "se": c["se"], "t": c["t"], "p": c["p"],
                          "llci": c["llci"], "ulci": c["ulci"]}])


def _r2_change(frame, eq: Equation, outcome: str, terms: list[str], products: list[str]) -> dict[str, Any]:
    reduced = fit_equation(frame, outcome, [t for t in terms if t not in products], cov_type=eq.se_type)
    idx = [eq.index(p) for p in products]
    F, q = wald_f(eq.coef["coeff"].to_numpy(), eq.cov, idx)
    return {"outcome": outcome, "terms": ", ".join(products), "R2_change": eq.r2 - reduced.r2, "F": F, "df1": q,
            "df2": eq.df2, "p": float(stats.f.sf(F, q, eq.df2))}


def _boot(eqs: list[Equation], n_boot: int, seed: int) -> list[np.ndarray]:
    return bootstrap_coefficients([(e.X, e.y) for e in eqs], n_boot, seed)


# ----------------------------------------------------------------------------- model 1


def process_model1(
    data: pd.DataFrame,
    x: str,
    w: str,
    y: str,
    covariates: Sequence[str] = (),
    conf: float = 0.95,
    center: bool = False,
    jn_points: int = 21,
    se_type: str = "hc3",
) -> ProcessResult:
    """PROCESS model 1 (simple moderation of X -> Y by W).

    Parameters
    ----------
    data : DataFrame
    x, w, y : str
        Focal predictor, moderator, outcome.
    covariates : sequence of str
        Numeric covariates (dummy-code categorical ones beforehand).
    conf : float
        Confidence level.
    center : bool
        Mean-centre X and W before forming the product (PROCESS' ``center=1``).
    jn_points : int
        Number of evenly spaced W values in the Johnson-Neyman table.
    se_type : str
        ``ols`` or ``hc0``..``hc4`` (PROCESS' ``hc`` option).

    Returns
    -------
    ProcessResult
        Coefficients, R2 change, conditional effects at mean +- 1 SD of W,
        Johnson-Neyman points and table, interaction plot data.
    """
    covariates = list(covariates)
    frame = _prepare(data, x, [], y, w, covariates)
    # probe values of a centred variable: those of the raw one minus its mean, so that the
    # mean itself is exactly 0 (as PROCESS prints it), not a rounding residue of ~1e-16
    shift = {v: frame[v].mean() if center else 0.0 for v in (x, w)}
    probes = {v: probe_values(frame[v]) - shift[v] for v in (x, w)}
    if center:
        frame[x] = frame[x] - shift[x]
        frame[w] = frame[w] - shift[w]
    inter = _product(frame, x, w, False)
    terms = [x, w, inter, *covariates]
    eq = fit_equation(frame, y, terms, conf, se_type)
    r2c = pd.DataFrame([_r2_change(frame, eq, y, terms, [inter])])
    b = eq.coef["coeff"].to_numpy()
    V = eq.cov
    i1, i3 = eq.index(x), eq.index(inter)
    tcrit = stats.t.ppf((1 + conf) / 2, eq.df2)

    def cond(wv):
        eff = b[i1] + b[i3] * wv
        se = np.sqrt(V[i1, i1] + 2 * wv * V[i1, i3] + wv**2 * V[i3, i3])
        t = eff / se
        return eff, se, t, 2 * stats.t.sf(np.abs(t), eq.df2)

    wv = probes[w]
    eff, se, t, p = cond(wv)
    conditional = pd.DataFrame({"w": wv, "effect": eff, "se": se, "t": t, "p": p, "llci": eff - tcrit * se,
                                "ulci": eff + tcrit * se})
    # Johnson-Neyman: (b1 + b3 w)^2 - t^2 (v11 + 2 w v13 + w^2 v33) = 0
    qa = b[i3] ** 2 - tcrit**2 * V[i3, i3]
    qb = 2 * (b[i1] * b[i3] - tcrit**2 * V[i1, i3])
    qc = b[i1] ** 2 - tcrit**2 * V[i1, i1]
    lo, hi = float(frame[w].min()), float(frame[w].max())
    points: list[float] = []
    if abs(qa) > 1e-300:
        disc = qb**2 - 4 * qa * qc
        if disc >= 0:
            roots = sorted({(-qb - math.sqrt(disc)) / (2 * qa), (-qb + math.sqrt(disc)) / (2 * qa)})
            points = [float(r) for r in roots if lo <= r <= hi]
    elif abs(qb) > 0:
        r = -qc / qb
        points = [float(r)] if lo <= r <= hi else []
    grid = np.unique(np.concatenate([np.linspace(lo, hi, jn_points), points]))
    e2, s2, t2, p2 = cond(grid)
    jn = pd.DataFrame({"w": grid, "effect": e2, "se": s2, "t": t2, "p": p2, "llci": e2 - tcrit * s2,
                       "ulci": e2 + tcrit * s2, "significant": p2 < 1 - conf,
                       "transition_point": np.isin(grid, points)})
    # interaction plot: predicted Y at X x W probe values, covariates at their means
    xv = probes[x]
    cov_part = sum(b[eq.index(c)] * frame[c].mean() for c in covariates) if covariates else 0.0
    rows = []
    for wval in wv:
        for xval in xv:
            yhat = b[0] + b[i1] * xval + b[eq.index(w)] * wval + b[i3] * xval * wval + cov_part
            rows.append({"x": xval, "w": wval, "y_hat": yhat})
    return ProcessResult(1, {"x": x, "m": [], "y": y, "w": w, "covariates": covariates}, eq.n, {y: eq},
                         _direct(eq, x, conf).iloc[0:0], conditional=conditional, r2_change=r2c,
                         johnson_neyman=jn, jn_points=points, plot=pd.DataFrame(rows), conf=conf,
                         se_type=se_type_name(se_type))


