"""Hayes' PROCESS models 1, 4, 7, 14 and 58 with OLS (statsmodels) and HC3 errors.

Conventions of PROCESS 2.16 (the release whose printed output the tests reproduce):

- every equation is OLS with HC3 standard errors (Davidson & MacKinnon 1993), t tests
  and intervals on n - k df; the model F is the HC3 Wald F of all slopes, the test of
  the R2 change due to an interaction the HC3 Wald F of its product term(s);
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
- 14: M_i = X + C; Y = X + M + W + M*W + C; indirect a (b1 + b3 W); index a b3
- 58: M_i = X + W + X*W + C; Y = X + M + W + M*W + C; indirect (a1 + a3 W)(b1 + b3 W)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from ._common import SemInputError, fmt, frame_text, numeric_frame
from .bootstrap import bootstrap_coefficients, summarise_draws

MODELS = (1, 4, 7, 14, 58)


# ----------------------------------------------------------------------------- equations


@dataclass
class Equation:
    """One OLS equation with HC3 inference."""

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

    def b(self, term: str) -> float:
        return float(self.coef.loc[term, "coeff"])

    def index(self, term: str) -> int:
        return self.terms.index(term)

    def summary_row(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "n": self.n, "R": math.sqrt(max(self.r2, 0)), "R2": self.r2, "MSE": self.mse,
                "F": self.F, "df1": self.df1, "df2": self.df2, "p": self.p}


def wald_f(beta: np.ndarray, cov: np.ndarray, idx: Sequence[int]) -> tuple[float, int]:
    """Wald F = b' V^-1 b / q of the coefficients ``idx`` (HC3 V: PROCESS' robust F)."""
    idx = list(idx)
    b = beta[idx]
    v = cov[np.ix_(idx, idx)]
    return float(b @ np.linalg.solve(v, b) / len(idx)), len(idx)


def fit_equation(frame: pd.DataFrame, outcome: str, terms: Sequence[str], conf: float = 0.95,
                 cov_type: str = "HC3") -> Equation:
    """OLS of ``outcome`` on a constant and ``terms`` (columns of ``frame``), HC3 errors."""
    X = np.column_stack([np.ones(len(frame))] + [frame[t].to_numpy(float) for t in terms])
    y = frame[outcome].to_numpy(float)
    names = ["constant", *terms]
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise SemInputError(f"data: the predictors of {outcome!r} ({', '.join(terms)}) are collinear")
    res = sm.OLS(y, X).fit(cov_type=cov_type, use_t=True)
    ci = res.conf_int(alpha=1 - conf)
    coef = pd.DataFrame({"coeff": res.params, "se": res.bse, "t": res.tvalues, "p": res.pvalues, "llci": ci[:, 0],
                         "ulci": ci[:, 1]}, index=names)
    cov = np.asarray(res.cov_params())
    df2 = int(res.df_resid)
    F, df1 = wald_f(np.asarray(res.params), cov, range(1, X.shape[1])) if X.shape[1] > 1 else (math.nan, 0)
    return Equation(outcome, names, coef, cov, len(y), float(res.rsquared), float(res.ssr / df2), F, df1, df2,
                    float(stats.f.sf(F, df1, df2)) if df1 else math.nan, X, y)


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
        for kind, df in (("direct", self.direct), ("indirect", self.indirect), ("index", self.index),
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
            "conventions": "OLS, HC3 standard errors, bias-corrected and percentile bootstrap intervals",
        }

    def summary(self) -> str:
        v = self.variables
        lines = [f"PROCESS model {self.model}: Y = {v['y']}, X = {v['x']}"
                 + (f", M = {', '.join(v['m'])}" if v.get("m") else "") + (f", W = {v['w']}" if v.get("w") else "")
                 + (f", covariates = {', '.join(v['covariates'])}" if v.get("covariates") else ""),
                 f"N = {self.n}; HC3 standard errors; {int(self.conf * 100)}% intervals"]
        for name, eq in self.equations.items():
            lines.append(f"\nOutcome: {name}  R2 = {fmt(eq.r2, 4)}, MSE = {fmt(eq.mse, 4)}, "
                         f"F({eq.df1}, {eq.df2}) = {fmt(eq.F, 4)}, p = {fmt(eq.p, 4)}")
            c = eq.coef.copy()
            c.insert(0, "term", c.index)
            lines.append(frame_text(c, 4))
        for title, df in (("R2 change due to interaction", self.r2_change), ("Direct effect of X on Y", self.direct),
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
    reduced = fit_equation(frame, outcome, [t for t in terms if t not in products])
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

    Returns
    -------
    ProcessResult
        Coefficients, R2 change, conditional effects at mean +- 1 SD of W,
        Johnson-Neyman points and table, interaction plot data.
    """
    covariates = list(covariates)
    frame = _prepare(data, x, [], y, w, covariates)
    if center:
        frame[x] = frame[x] - frame[x].mean()
        frame[w] = frame[w] - frame[w].mean()
    inter = _product(frame, x, w, False)
    terms = [x, w, inter, *covariates]
    eq = fit_equation(frame, y, terms, conf)
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

    wv = probe_values(frame[w])
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
    xv = probe_values(frame[x])
    cov_part = sum(b[eq.index(c)] * frame[c].mean() for c in covariates) if covariates else 0.0
    rows = []
    for wval in wv:
        for xval in xv:
            yhat = b[0] + b[i1] * xval + b[eq.index(w)] * wval + b[i3] * xval * wval + cov_part
            rows.append({"x": xval, "w": wval, "y_hat": yhat})
    return ProcessResult(1, {"x": x, "m": [], "y": y, "w": w, "covariates": covariates}, eq.n, {y: eq},
                         _direct(eq, x, conf).iloc[0:0], conditional=conditional, r2_change=r2c,
                         johnson_neyman=jn, jn_points=points, plot=pd.DataFrame(rows), conf=conf)


# ----------------------------------------------------------------------------- mediation models


def _mediation(
    model: int,
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    y: str,
    w: str | None,
    covariates: Sequence[str],
    n_boot: int,
    seed: int,
    conf: float,
    center: bool,
) -> ProcessResult:
    ms = [m] if isinstance(m, str) else list(m)
    if not ms:
        raise SemInputError(f"process model {model}: at least one mediator is needed")
    if model != 4 and not w:
        raise SemInputError(f"process model {model}: a moderator W is needed")
    covariates = list(covariates)
    frame = _prepare(data, x, ms, y, w if model != 4 else None, covariates)
    if center and w:
        for c in {x, w, *ms}:
            frame[c] = frame[c] - frame[c].mean()
    a_mod = model in (7, 58)
    b_mod = model in (14, 58)
    eqs: dict[str, Equation] = {}
    r2c = []
    for mi in ms:
        terms = [x]
        if a_mod:
            terms += [w, _product(frame, x, w, False)]
        terms += covariates
        eqs[mi] = fit_equation(frame, mi, terms, conf)
        if a_mod:
            r2c.append(_r2_change(frame, eqs[mi], mi, terms, [f"{x}:{w}"]))
    yterms = [x, *ms]
    if b_mod:
        yterms += [w] + [_product(frame, mi, w, False) for mi in ms]
    yterms += covariates
    eqs[y] = fit_equation(frame, y, yterms, conf)
    if b_mod:
        r2c.append(_r2_change(frame, eqs[y], y, yterms, [f"{mi}:{w}" for mi in ms]))
    ey = eqs[y]
    eq_list = list(eqs.values())
    draws = _boot(eq_list, n_boot, seed) if n_boot > 0 else None

    def coefs(k: int) -> list[np.ndarray]:
        """Coefficient vectors of every equation: k = -1 estimate, else all draws."""
        if k < 0:
            return [e.coef["coeff"].to_numpy()[None, :] for e in eq_list]
        return draws

    def paths(cs, i, mi):
        a_eq, y_eq = eq_list[i], ey
        ca, cy = cs[i], cs[-1]
        a1 = ca[:, a_eq.index(x)]
        a3 = ca[:, a_eq.index(f"{x}:{w}")] if a_mod else np.zeros_like(a1)
        b1 = cy[:, y_eq.index(mi)]
        b3 = cy[:, y_eq.index(f"{mi}:{w}")] if b_mod else np.zeros_like(b1)
        return a1, a3, b1, b3

    wv = probe_values(frame[w]) if w else np.array([math.nan])
    est_c, boot_c = coefs(-1), (coefs(0) if draws is not None else None)
    ind_rows, idx_rows = [], []
    total_est = 0.0
    total_boot = 0.0
    for i, mi in enumerate(ms):
        ea = paths(est_c, i, mi)
        ba = paths(boot_c, i, mi) if boot_c is not None else None
        if model == 4:
            est = float((ea[0] * ea[2])[0])
            bd = ba[0] * ba[2] if ba else None
            ind_rows.append(_effect_rows("indirect", est, bd, conf, mediator=mi))
            total_est += est
            if bd is not None:
                total_boot = total_boot + bd
        else:
            for wval in wv:
                est = float(((ea[0] + ea[1] * wval) * (ea[2] + ea[3] * wval))[0])
                bd = (ba[0] + ba[1] * wval) * (ba[2] + ba[3] * wval) if ba else None
                ind_rows.append(_effect_rows("conditional indirect", est, bd, conf, w=float(wval), mediator=mi))
            if model in (7, 14):
                est = float((ea[1] * ea[2])[0] if model == 7 else (ea[0] * ea[3])[0])
                bd = (ba[1] * ba[2] if model == 7 else ba[0] * ba[3]) if ba else None
                idx_rows.append(_effect_rows("index of moderated mediation", est, bd, conf, mediator=mi))
    if model == 4 and len(ms) > 1:
        ind_rows.insert(0, _effect_rows("total indirect", total_est, total_boot if draws is not None else None, conf,
                                        mediator="TOTAL"))
    sobel_rows = []
    if model == 4:
        for mi in ms:
            a_eq = eqs[mi]
            row = sobel_test(a_eq.b(x), a_eq.coef.loc[x, "se"], ey.b(mi), ey.coef.loc[mi, "se"])
            row["mediator"] = mi
            sobel_rows.append(row)
    return ProcessResult(
        model, {"x": x, "m": ms, "y": y, "w": w, "covariates": covariates}, ey.n, eqs, _direct(ey, x, conf),
        indirect=pd.DataFrame(ind_rows), index=pd.DataFrame(idx_rows), r2_change=pd.DataFrame(r2c),
        sobel=pd.DataFrame(sobel_rows, columns=["mediator", "effect", "se", "z", "p"]) if model == 4 else pd.DataFrame(),
        n_boot=n_boot, seed=seed, conf=conf,
    )


def process_model4(data: pd.DataFrame, x: str, m: Sequence[str] | str, y: str, covariates: Sequence[str] = (),
                   n_boot: int = 5000, seed: int = 1, conf: float = 0.95) -> ProcessResult:
    """PROCESS model 4: (parallel) mediation X -> M_i -> Y.

    Returns the a and b paths (HC3), the direct effect, each indirect effect a_i b_i and
    their total with bootstrap SE, percentile and bias-corrected intervals from
    ``n_boot`` case resamples (seeded), and Sobel tests.
    """
    return _mediation(4, data, x, m, y, None, covariates, n_boot, seed, conf, False)


def process_model7(data: pd.DataFrame, x: str, m: Sequence[str] | str, w: str, y: str,
                   covariates: Sequence[str] = (), n_boot: int = 5000, seed: int = 1, conf: float = 0.95,
                   center: bool = False) -> ProcessResult:
    """PROCESS model 7: first-stage moderated mediation (W moderates X -> M)."""
    return _mediation(7, data, x, m, y, w, covariates, n_boot, seed, conf, center)


def process_model14(data: pd.DataFrame, x: str, m: Sequence[str] | str, w: str, y: str,
                    covariates: Sequence[str] = (), n_boot: int = 5000, seed: int = 1, conf: float = 0.95,
                    center: bool = False) -> ProcessResult:
    """PROCESS model 14: second-stage moderated mediation (W moderates M -> Y).

    Conditional indirect effects a_i (b_i + b3_i w) at mean and +-1 SD of W and the index
    of moderated mediation a_i b3_i, each with bootstrap intervals.
    """
    return _mediation(14, data, x, m, y, w, covariates, n_boot, seed, conf, center)


def process_model58(data: pd.DataFrame, x: str, m: Sequence[str] | str, w: str, y: str,
                    covariates: Sequence[str] = (), n_boot: int = 5000, seed: int = 1, conf: float = 0.95,
                    center: bool = False) -> ProcessResult:
    """PROCESS model 58: W moderates both X -> M and M -> Y (conditional indirect effects)."""
    return _mediation(58, data, x, m, y, w, covariates, n_boot, seed, conf, center)


def bootstrap_indirect(data: pd.DataFrame, x: str, m: Sequence[str] | str, y: str, covariates: Sequence[str] = (),
                       n_boot: int = 5000, seed: int = 1, conf: float = 0.95) -> pd.DataFrame:
    """Indirect effect(s) of X on Y through M with percentile and bias-corrected bootstrap CIs."""
    return process_model4(data, x, m, y, covariates, n_boot, seed, conf).indirect


def process(data: pd.DataFrame, model: int, x: str, y: str, m: Sequence[str] | str | None = None,
            w: str | None = None, covariates: Sequence[str] = (), n_boot: int = 5000, seed: int = 1,
            conf: float = 0.95) -> ProcessResult:
    """Dispatch to the PROCESS model ``model`` (1, 4, 7, 14 or 58)."""
    ms = [] if m is None else ([m] if isinstance(m, str) else list(m))
    if model == 1:
        if not w:
            if len(ms) == 1:
                w = ms[0]  # PROCESS 2.x names the moderator of model 1 "M"
            else:
                raise SemInputError("process model 1: give the moderator with --w (or --m)")
        return process_model1(data, x, w, y, covariates, conf)
    if model == 4:
        return process_model4(data, x, ms, y, covariates, n_boot, seed, conf)
    if model in (7, 14, 58):
        if not w:
            raise SemInputError(f"process model {model}: a moderator W is needed (--w)")
        return _mediation(model, data, x, ms, y, w, covariates, n_boot, seed, conf, False)
    raise SemInputError(f"process: model {model} is not offered; use one of {MODELS}")
