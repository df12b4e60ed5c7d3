"""PROCESS model 1: simple moderation of X -> Y by W, with Johnson-Neyman points and plot data.

Y = X + W + X*W + C; the conditional effect of X is b1 + b3 W, probed at the mean and
mean +- 1 SD of W (its two values if dichotomous). The Johnson-Neyman points solve
(b1 + b3 w)^2 = t_crit^2 Var(b1 + b3 w) (hand-written, Johnson & Neyman 1936; Hayes &
Matthes 2009) and are reported within the observed range of W.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from nero.tolerances import below_alpha

from .process_equations import (
    Equation,
    _direct,
    _prepare,
    _product,
    _r2_change,
    conditional_effects,
    fit_equation,
    probe_values,
    se_type_name,
)
from .process_result import ProcessResult


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
