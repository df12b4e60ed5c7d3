"""Hayes' PROCESS models 1, 4, 7, 8, 14, 15 and 58 with OLS and a chosen SE type.

This module holds the models (model 1, simple moderation, with its Johnson-Neyman points and
plot data; the mediation models) and :func:`process`, which runs any of them; the equations,
SE types and the result object (:class:`~nero.sem.process_equations.ProcessResult`) are in
:mod:`nero.sem.process_equations`.

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
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from nero.tolerances import below_alpha

from ._common import SemInputError
from .process_equations import (
    Equation,
    ProcessResult,
    _boot,
    _direct,
    _effect_rows,
    _jackknife,
    _prepare,
    _product,
    _r2_change,
    conditional_effects,
    fit_equation,
    probe_values,
    se_type_name,
    sobel_test,
)

# --------------------------------------------------------------------------- model 1: simple moderation


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
    probes = _probes(frame, x, w, center)
    inter = _product(frame, x, w, False)
    terms = [x, w, inter, *covariates]
    eq = fit_equation(frame, y, terms, conf, se_type)
    r2c = pd.DataFrame([_r2_change(frame, eq, y, terms, [inter])])
    conditional = conditional_effects(eq, x, inter, probes[w], conf)
    lo, hi = float(frame[w].min()), float(frame[w].max())
    points = johnson_neyman_points(eq, x, inter, conf, lo, hi)
    jn = _johnson_neyman_table(eq, x, inter, conf, np.linspace(lo, hi, jn_points), points)
    plot = _plot_data(eq, frame, x, w, inter, covariates, probes)
    return ProcessResult(
        1,
        {"x": x, "m": [], "y": y, "w": w, "covariates": covariates},
        eq.n,
        {y: eq},
        _direct(eq, x, conf).iloc[0:0],
        conditional=conditional,
        r2_change=r2c,
        johnson_neyman=jn,
        jn_points=points,
        plot=plot,
        conf=conf,
        se_type=se_type_name(se_type),
    )


def _probes(frame: pd.DataFrame, x: str, w: str, center: bool) -> dict[str, np.ndarray]:
    """Probe values of X and W; with ``center``, mean-centre both columns of ``frame`` in place.

    The probe values of a centred variable are those of the raw one minus its mean, so
    that the mean itself is exactly 0 (as PROCESS prints it), not a rounding residue of ~1e-16.
    """
    shift = {v: frame[v].mean() if center else 0.0 for v in (x, w)}
    probes = {v: probe_values(frame[v]) - shift[v] for v in (x, w)}
    if center:
        frame[x] = frame[x] - shift[x]
        frame[w] = frame[w] - shift[w]
    return probes


def johnson_neyman_points(eq: Equation, x: str, inter: str, conf: float, lo: float, hi: float) -> list[float]:
    """Values of W in [lo, hi] where the effect of X turns (non-)significant.

    Roots of (b1 + b3 w)^2 - t^2 (v11 + 2 w v13 + w^2 v33) = 0, a quadratic in w
    (linear when its leading coefficient vanishes).
    """
    b, V = eq.coef["coeff"].to_numpy(), eq.cov
    i1, i3 = eq.index(x), eq.index(inter)
    tcrit = stats.t.ppf((1 + conf) / 2, eq.df2)
    qa = b[i3] ** 2 - tcrit**2 * V[i3, i3]
    qb = 2 * (b[i1] * b[i3] - tcrit**2 * V[i1, i3])
    qc = b[i1] ** 2 - tcrit**2 * V[i1, i1]
    points: list[float] = []
    if abs(qa) > 1e-300:
        disc = qb**2 - 4 * qa * qc
        if disc >= 0:
            roots = sorted({(-qb - math.sqrt(disc)) / (2 * qa), (-qb + math.sqrt(disc)) / (2 * qa)})
            points = [float(r) for r in roots if lo <= r <= hi]
    elif abs(qb) > 0:
        r = -qc / qb
        points = [float(r)] if lo <= r <= hi else []
    return points


def _johnson_neyman_table(
    eq: Equation, x: str, inter: str, conf: float, grid: np.ndarray, points: list[float]
) -> pd.DataFrame:
    """Conditional effects over ``grid`` and the transition ``points``, flagged.

    ``significant`` is p < alpha with the tolerance :data:`nero.tolerances.P_TOL`: at a
    transition point p equals alpha by construction, so the point is a boundary
    (``transition_point``), never judged significant by the last bits of p.
    """
    grid = np.unique(np.concatenate([grid, points]))
    jn = conditional_effects(eq, x, inter, grid, conf)
    jn["transition_point"] = np.isin(grid, points)
    jn["significant"] = below_alpha(jn["p"].to_numpy(), 1 - conf) & ~jn["transition_point"].to_numpy()
    jn = jn[[c for c in jn.columns if c != "transition_point"] + ["transition_point"]]
    return jn


def _plot_data(
    eq: Equation, frame: pd.DataFrame, x: str, w: str, inter: str, covariates: list[str], probes: dict[str, np.ndarray]
) -> pd.DataFrame:
    """Interaction plot: predicted Y at the X x W probe values, covariates at their means."""
    b = eq.coef["coeff"].to_numpy()
    i1, i3 = eq.index(x), eq.index(inter)
    cov_part = sum(b[eq.index(c)] * frame[c].mean() for c in covariates) if covariates else 0.0
    rows = []
    for wval in probes[w]:
        for xval in probes[x]:
            yhat = b[0] + b[i1] * xval + b[eq.index(w)] * wval + b[i3] * xval * wval + cov_part
            rows.append({"x": xval, "w": wval, "y_hat": yhat})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the mediation models


#: The PROCESS models offered.
MODELS = (1, 4, 7, 8, 14, 15, 58)


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
    se_type: str = "hc3",
) -> ProcessResult:
    ms = _mediators(model, m, w)
    covariates = list(covariates)
    frame = _mediation_frame(model, data, x, ms, y, w, covariates, center)
    a_mod, b_mod, c_mod = _moderated_paths(model)
    eqs, r2c = _fit_mediator_equations(frame, x, ms, w, covariates, a_mod, conf, se_type)
    eqs[y], y_r2c = _fit_outcome_equation(frame, x, ms, y, w, covariates, b_mod, c_mod, conf, se_type)
    r2c += y_r2c
    ey = eqs[y]
    eq_list = list(eqs.values())
    draws = _boot(eq_list, n_boot, seed) if n_boot > 0 else None
    jack = _jackknife(eq_list) if n_boot > 0 else None
    wv = probe_values(frame[w]) if w else np.array([math.nan])
    paths = _mediator_paths(eq_list, draws, jack, x, ms, w, a_mod, b_mod)
    if model == 4:
        ind_rows, idx_rows = _parallel_indirect(paths, ms, conf, draws is not None), []
    else:
        ind_rows, idx_rows = _conditional_indirect(model, paths, ms, wv, conf)
    cond_direct = conditional_effects(ey, x, f"{x}:{w}", wv, conf) if c_mod else pd.DataFrame()
    return ProcessResult(
        model,
        {"x": x, "m": ms, "y": y, "w": w, "covariates": covariates},
        ey.n,
        eqs,
        _direct(ey, x, conf),
        conditional_direct=cond_direct,
        se_type=se_type_name(se_type),
        indirect=pd.DataFrame(ind_rows),
        index=pd.DataFrame(idx_rows),
        r2_change=pd.DataFrame(r2c),
        sobel=_sobel_table(eqs, x, ms, ey) if model == 4 else pd.DataFrame(),
        n_boot=n_boot,
        seed=seed,
        conf=conf,
    )


def _mediators(model: int, m: Sequence[str] | str, w: str | None) -> list[str]:
    """The mediators as a list, after checking that ``model`` is a mediation model with what it needs."""
    ms = [m] if isinstance(m, str) else list(m)
    if not ms:
        raise SemInputError(f"process model {model}: at least one mediator is needed")
    if model not in MODELS or model == 1:
        raise SemInputError(f"process: model {model} is not a mediation model; use one of {MODELS[1:]}")
    if model != 4 and not w:
        raise SemInputError(f"process model {model}: a moderator W is needed")
    return ms


def _mediation_frame(
    model: int, data: pd.DataFrame, x: str, ms: list[str], y: str, w: str | None, covariates: list[str], center: bool
) -> pd.DataFrame:
    """The model's numeric columns; with ``center`` (and a W), X, W and the mediators mean-centred."""
    frame = _prepare(data, x, ms, y, w if model != 4 else None, covariates)
    if center and w:
        for c in {x, w, *ms}:
            frame[c] = frame[c] - frame[c].mean()
    return frame


def _moderated_paths(model: int) -> tuple[bool, bool, bool]:
    """Whether W moderates the a paths (X -> M), the b paths (M -> Y) and the direct path (X -> Y)."""
    return model in (7, 8, 58), model in (14, 15, 58), model in (8, 15)


def _fit_mediator_equations(
    frame: pd.DataFrame,
    x: str,
    ms: list[str],
    w: str | None,
    covariates: list[str],
    a_mod: bool,
    conf: float,
    se_type: str,
) -> tuple[dict[str, Equation], list[dict]]:
    """M_i = X (+ W + X*W) + C for each mediator, and the R2 change due to X*W when W moderates."""
    eqs: dict[str, Equation] = {}
    r2c = []
    for mi in ms:
        terms = [x]
        if a_mod:
            terms += [w, _product(frame, x, w, False)]
        terms += covariates
        eqs[mi] = fit_equation(frame, mi, terms, conf, se_type)
        if a_mod:
            r2c.append(_r2_change(frame, eqs[mi], mi, terms, [f"{x}:{w}"]))
    return eqs, r2c


def _fit_outcome_equation(
    frame: pd.DataFrame,
    x: str,
    ms: list[str],
    y: str,
    w: str | None,
    covariates: list[str],
    b_mod: bool,
    c_mod: bool,
    conf: float,
    se_type: str,
) -> tuple[Equation, list[dict]]:
    """Y = X + M (+ W + M*W + X*W) + C, and the R2 change due to its product terms."""
    yterms = [x, *ms]
    if b_mod or c_mod:
        yterms += [w]
    y_products = [_product(frame, mi, w, False) for mi in ms] if b_mod else []
    if c_mod:
        y_products.append(f"{x}:{w}" if f"{x}:{w}" in frame else _product(frame, x, w, False))
    yterms += y_products + covariates
    ey = fit_equation(frame, y, yterms, conf, se_type)
    return ey, ([_r2_change(frame, ey, y, yterms, y_products)] if y_products else [])


def _mediator_paths(
    eq_list: list[Equation],
    draws: list[np.ndarray] | None,
    jack: list[np.ndarray] | None,
    x: str,
    ms: list[str],
    w: str | None,
    a_mod: bool,
    b_mod: bool,
) -> list[tuple[tuple, tuple | None, tuple | None]]:
    """Per mediator, its paths (a1, a3, b1, b3) at the estimates, over the bootstrap draws and over
    the jackknife (each case left out; the BCa acceleration), the last two None without draws.

    Each path is an array: of one value for the estimates, of one value per draw for the
    draws, of one value per case for the jackknife; a3 and b3 are zeros when W does not
    moderate that path.
    """
    estimates = [e.coef["coeff"].to_numpy()[None, :] for e in eq_list]
    return [
        (
            _paths(estimates, eq_list, i, x, mi, w, a_mod, b_mod),
            _paths(draws, eq_list, i, x, mi, w, a_mod, b_mod) if draws is not None else None,
            _paths(jack, eq_list, i, x, mi, w, a_mod, b_mod) if jack is not None else None,
        )
        for i, mi in enumerate(ms)
    ]


def _paths(
    coefs: list[np.ndarray], eq_list: list[Equation], i: int, x: str, mi: str, w: str | None, a_mod: bool, b_mod: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """a1, a3 of mediator ``i``'s equation and b1, b3 of the outcome's (the last equation)."""
    a_eq, y_eq = eq_list[i], eq_list[-1]
    ca, cy = coefs[i], coefs[-1]
    a1 = ca[:, a_eq.index(x)]
    a3 = ca[:, a_eq.index(f"{x}:{w}")] if a_mod else np.zeros_like(a1)
    b1 = cy[:, y_eq.index(mi)]
    b3 = cy[:, y_eq.index(f"{mi}:{w}")] if b_mod else np.zeros_like(b1)
    return a1, a3, b1, b3


def _parallel_indirect(paths: list, ms: list[str], conf: float, with_draws: bool) -> list[dict]:
    """Model 4: each indirect effect a_i b_i, and their total first when there are several mediators."""
    rows = []
    total_est = 0.0
    total_boot = 0.0
    total_jack = 0.0
    for (ea, ba, ja), mi in zip(paths, ms):
        est = float((ea[0] * ea[2])[0])
        bd = ba[0] * ba[2] if ba else None
        jd = ja[0] * ja[2] if ja else None
        rows.append(_effect_rows("indirect", est, bd, conf, mediator=mi, jackknife=jd))
        total_est += est
        if bd is not None:
            total_boot = total_boot + bd
            total_jack = total_jack + jd
    if len(ms) > 1:
        rows.insert(
            0,
            _effect_rows(
                "total indirect",
                total_est,
                total_boot if with_draws else None,
                conf,
                mediator="TOTAL",
                jackknife=total_jack if with_draws else None,
            ),
        )
    return rows


def _conditional_indirect(
    model: int, paths: list, ms: list[str], wv: np.ndarray, conf: float
) -> tuple[list[dict], list[dict]]:
    """(a1 + a3 w)(b1 + b3 w) at each probe value of W, and the index of moderated mediation."""
    ind_rows, idx_rows = [], []
    for (ea, ba, ja), mi in zip(paths, ms):
        for wval in wv:
            est = float(((ea[0] + ea[1] * wval) * (ea[2] + ea[3] * wval))[0])
            bd = (ba[0] + ba[1] * wval) * (ba[2] + ba[3] * wval) if ba else None
            jd = (ja[0] + ja[1] * wval) * (ja[2] + ja[3] * wval) if ja else None
            ind_rows.append(
                _effect_rows("conditional indirect", est, bd, conf, w=float(wval), mediator=mi, jackknife=jd)
            )
        if model in (7, 8, 14, 15):
            idx_rows.append(_index_row(model, ea, ba, ja, conf, mi))
    return ind_rows, idx_rows


def _index_row(model: int, ea: tuple, ba: tuple | None, ja: tuple | None, conf: float, mi: str) -> dict:
    """Index of moderated mediation: a3 b (models 7, 8) or a b3 (models 14, 15)."""
    first = model in (7, 8)
    est = float((ea[1] * ea[2])[0] if first else (ea[0] * ea[3])[0])
    bd = (ba[1] * ba[2] if first else ba[0] * ba[3]) if ba else None
    jd = (ja[1] * ja[2] if first else ja[0] * ja[3]) if ja else None
    return _effect_rows("index of moderated mediation", est, bd, conf, mediator=mi, jackknife=jd)


def _sobel_table(eqs: dict[str, Equation], x: str, ms: list[str], ey: Equation) -> pd.DataFrame:
    """Sobel test of each a_i b_i (model 4)."""
    rows = []
    for mi in ms:
        a_eq = eqs[mi]
        row = sobel_test(a_eq.b(x), a_eq.coef.loc[x, "se"], ey.b(mi), ey.coef.loc[mi, "se"])
        row["mediator"] = mi
        rows.append(row)
    return pd.DataFrame(rows, columns=["mediator", "effect", "se", "z", "p"])


def process_model4(
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    y: str,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
    se_type: str = "hc3",
) -> ProcessResult:
    """PROCESS model 4: (parallel) mediation X -> M_i -> Y.

    Returns the a and b paths (HC3), the direct effect, each indirect effect a_i b_i and
    their total with bootstrap SE, percentile, bias-corrected and BCa intervals from
    ``n_boot`` case resamples (seeded; the BCa acceleration from the jackknife), and Sobel tests.
    """
    return _mediation(4, data, x, m, y, None, covariates, n_boot, seed, conf, False, se_type)


def process_model7(
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    w: str,
    y: str,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
    center: bool = False,
    se_type: str = "hc3",
) -> ProcessResult:
    """PROCESS model 7: first-stage moderated mediation (W moderates X -> M)."""
    return _mediation(7, data, x, m, y, w, covariates, n_boot, seed, conf, center, se_type)


def process_model14(
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    w: str,
    y: str,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
    center: bool = False,
    se_type: str = "hc3",
) -> ProcessResult:
    """PROCESS model 14: second-stage moderated mediation (W moderates M -> Y).

    Conditional indirect effects a_i (b_i + b3_i w) at mean and +-1 SD of W and the index
    of moderated mediation a_i b3_i, each with bootstrap intervals.
    """
    return _mediation(14, data, x, m, y, w, covariates, n_boot, seed, conf, center, se_type)


def process_model8(
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    w: str,
    y: str,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
    center: bool = False,
    se_type: str = "hc3",
) -> ProcessResult:
    """PROCESS model 8: W moderates X -> M and the direct path X -> Y.

    Conditional indirect effects (a1 + a3 w) b, the index of moderated mediation a3 b,
    and the conditional direct effect c1 + c3 w with its t test, at mean and +-1 SD of W.
    """
    return _mediation(8, data, x, m, y, w, covariates, n_boot, seed, conf, center, se_type)


def process_model15(
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    w: str,
    y: str,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
    center: bool = False,
    se_type: str = "hc3",
) -> ProcessResult:
    """PROCESS model 15: W moderates M -> Y and the direct path X -> Y.

    Conditional indirect effects a (b1 + b3 w), the index a b3, and the conditional
    direct effect c1 + c3 w.
    """
    return _mediation(15, data, x, m, y, w, covariates, n_boot, seed, conf, center, se_type)


def process_model58(
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    w: str,
    y: str,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
    center: bool = False,
    se_type: str = "hc3",
) -> ProcessResult:
    """PROCESS model 58: W moderates both X -> M and M -> Y (conditional indirect effects)."""
    return _mediation(58, data, x, m, y, w, covariates, n_boot, seed, conf, center, se_type)


def bootstrap_indirect(
    data: pd.DataFrame,
    x: str,
    m: Sequence[str] | str,
    y: str,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Indirect effect(s) of X on Y through M with percentile, bias-corrected and BCa bootstrap CIs."""
    return process_model4(data, x, m, y, covariates, n_boot, seed, conf).indirect


def process(
    data: pd.DataFrame,
    model: int,
    x: str,
    y: str,
    m: Sequence[str] | str | None = None,
    w: str | None = None,
    covariates: Sequence[str] = (),
    n_boot: int = 5000,
    seed: int = 1,
    conf: float = 0.95,
    se_type: str = "hc3",
) -> ProcessResult:
    """Dispatch to the PROCESS model ``model`` (1, 4, 7, 8, 14, 15 or 58); ``se_type`` ols or hc0..hc4."""
    ms = [] if m is None else ([m] if isinstance(m, str) else list(m))
    if model == 1:
        if not w:
            if len(ms) == 1:
                w = ms[0]  # PROCESS 2.x names the moderator of model 1 "M"
            else:
                raise SemInputError("process model 1: give the moderator with --w (or --m)")
        return process_model1(data, x, w, y, covariates, conf, se_type=se_type)
    if model == 4:
        return process_model4(data, x, ms, y, covariates, n_boot, seed, conf, se_type)
    if model in (7, 8, 14, 15, 58):
        if not w:
            raise SemInputError(f"process model {model}: a moderator W is needed (--w)")
        return _mediation(model, data, x, ms, y, w, covariates, n_boot, seed, conf, False, se_type)
    raise SemInputError(f"process: model {model} is not offered; use one of {MODELS}")
