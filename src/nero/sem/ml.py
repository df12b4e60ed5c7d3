"""Maximum likelihood (complete data and FIML) for CFA/SEM in RAM form, as lavaan does.

Written by hand because no maintained Python library does what the study needs:
semopy 2.3.11 has a FIML objective but no usable fit statistics after it (no H1
model, meaningless chi2; docs/sem.md, "semopy"), it does not follow lavaan's ``fixed.x``
convention in its df, and its set-ordered internals give run-to-run differences in
the last digits. This engine follows lavaan 0.6 (``missing = "ml"``, ``fixed.x =
TRUE``, ``meanstructure`` with FIML):

- the model is written in the reticular action model (McArdle & McDonald 1984):
  Sigma = F (I - A)^-1 S (I - A)^-T F', mu = F (I - A)^-1 m;
- observed exogenous covariates (only on the right of ``~``) are fixed at their
  sample means and ML covariance (lavaan's ``fixed.x``); their q(q+1)/2 + q moments
  are neither estimated nor counted in the df, and the baseline model keeps them;
- the casewise (FIML) log-likelihood is summed over missing-data patterns (Arbuckle
  1996); with complete data it equals the usual ML discrepancy (one pattern);
- chi2 = 2 (logL_H1 - logL), H1 the unrestricted model (EM algorithm with missing
  data, sample moments otherwise); baseline: independent variables (available-case
  means and variances) with the fixed.x block saturated;
- standard errors: expected information with complete data (lavaan's default for
  ``missing = "listwise"``), observed information (numerical Hessian of the analytic
  gradient) with FIML (lavaan's default for ``missing = "ml"``);
- starting values are computed from the data alone (no random or hash-ordered
  input), so the same data give the same bytes.

The model (RAM form, lavaan's defaults, starting values) is in :mod:`nero.sem.ram`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from ._common import SemInputError
from .ram import RamModel, _dsigma, _index, implied, parse_model, start_values

LOG2PI = math.log(2 * math.pi)


# ----------------------------------------------------------------------------- data


@dataclass
class Patterns:
    """Missing-data patterns: observed-variable positions, counts, means and covariances (divisor n)."""

    index: list[np.ndarray]
    n: np.ndarray
    mean: list[np.ndarray]
    cov: list[np.ndarray]
    n_obs: int


def data_patterns(values: np.ndarray) -> Patterns:
    """Group rows by their pattern of observed columns (rows with nothing observed dropped)."""
    mask = ~np.isnan(values)
    keep = mask.any(axis=1)
    values, mask = values[keep], mask[keep]
    keys = np.packbits(mask, axis=1)
    _, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    idx, ns, means, covs = [], [], [], []
    for k in range(int(inverse.max()) + 1):
        rows = values[inverse == k]
        cols = np.flatnonzero(mask[inverse == k][0])
        sub = rows[:, cols]
        mu = sub.mean(axis=0)
        d = sub - mu
        idx.append(cols)
        ns.append(len(sub))
        means.append(mu)
        covs.append(d.T @ d / len(sub))
    return Patterns(idx, np.array(ns, float), means, covs, int(len(values)))


def loglik(pat: Patterns, sigma: np.ndarray, mu: np.ndarray) -> float:
    """Casewise normal log-likelihood summed over patterns (-inf if Sigma is not positive definite)."""
    total = 0.0
    for cols, n, m, s in zip(pat.index, pat.n, pat.mean, pat.cov):
        sg = sigma[np.ix_(cols, cols)]
        try:
            chol = np.linalg.cholesky(sg)
        except np.linalg.LinAlgError:
            return -math.inf
        inv = np.linalg.inv(sg)
        d = m - mu[cols]
        logdet = 2.0 * np.sum(np.log(np.diag(chol)))
        total += -0.5 * n * (logdet + len(cols) * LOG2PI + np.sum(inv * (s + np.outer(d, d))))
    return float(total)


def em_saturated(pat: Patterns, p: int, tol: float = 1e-12, max_iter: int = 5000) -> tuple[np.ndarray, np.ndarray]:
    """ML mean and covariance of the unrestricted model with missing data (EM, Dempster et al. 1977)."""
    if len(pat.index) == 1 and len(pat.index[0]) == p:
        return pat.mean[0].copy(), pat.cov[0].copy()
    mu = np.zeros(p)
    var = np.zeros(p)
    for j in range(p):
        num = sum(n * m[list(c).index(j)] for c, n, m in zip(pat.index, pat.n, pat.mean) if j in c)
        den = sum(n for c, n in zip(pat.index, pat.n) if j in c)
        mu[j] = num / den
    for j in range(p):
        num = sum(
            n * (s[list(c).index(j), list(c).index(j)] + (m[list(c).index(j)] - mu[j]) ** 2)
            for c, n, m, s in zip(pat.index, pat.n, pat.mean, pat.cov)
            if j in c
        )
        den = sum(n for c, n in zip(pat.index, pat.n) if j in c)
        var[j] = num / den
    sigma = np.diag(var)
    prev = -math.inf
    for _ in range(max_iter):
        t1 = np.zeros(p)
        t2 = np.zeros((p, p))
        for cols, n, m, s in zip(pat.index, pat.n, pat.mean, pat.cov):
            mis = np.setdiff1d(np.arange(p), cols)
            if len(mis) == 0:
                t1 += n * m
                t2 += n * (s + np.outer(m, m))
                continue
            soo = sigma[np.ix_(cols, cols)]
            beta = np.linalg.solve(soo, sigma[np.ix_(cols, mis)]).T  # regression of missing on observed
            cond = sigma[np.ix_(mis, mis)] - beta @ sigma[np.ix_(cols, mis)]
            em = mu[mis] + beta @ (m - mu[cols])  # mean of the predicted values
            full_m = np.empty(p)
            full_m[cols], full_m[mis] = m, em
            # E[y y'] summed: observed block from s, cross terms via beta
            c2 = np.zeros((p, p))
            c2[np.ix_(cols, cols)] = s
            c2[np.ix_(mis, cols)] = beta @ s
            c2[np.ix_(cols, mis)] = (beta @ s).T
            c2[np.ix_(mis, mis)] = beta @ s @ beta.T + cond
            t1 += n * full_m
            t2 += n * (c2 + np.outer(full_m, full_m))
        mu = t1 / pat.n.sum()
        sigma = t2 / pat.n.sum() - np.outer(mu, mu)
        ll = loglik(pat, sigma, mu)
        if abs(ll - prev) < tol * max(1.0, abs(ll)):
            break
        prev = ll
    return mu, sigma


# ----------------------------------------------------------------------------- implied moments


def casewise_terms(pat: Patterns, sigma: np.ndarray, mu: np.ndarray):
    """-logL of the patterns under (``sigma``, ``mu``) and its derivatives with respect to
    ``sigma`` (symmetric form) and ``mu``; None if a pattern's Sigma is not positive definite.

    Shared by the single-group engine (chained through the RAM matrices) and the
    multi-group invariance models (chained through Lambda, Phi, Theta, nu, alpha).
    """
    p = len(mu)
    G = np.zeros((p, p))
    gmu = np.zeros(p)
    f = 0.0
    for cols, n, m, s in zip(pat.index, pat.n, pat.mean, pat.cov):
        sg = sigma[np.ix_(cols, cols)]
        try:
            chol = np.linalg.cholesky(sg)
        except np.linalg.LinAlgError:
            return None
        logdet = 2.0 * float(np.sum(np.log(np.diag(chol))))
        inv = np.linalg.inv(sg)
        d = m - mu[cols]
        w = s + np.outer(d, d)
        f += 0.5 * n * (logdet + len(cols) * LOG2PI + np.sum(inv * w))
        G[np.ix_(cols, cols)] += 0.5 * n * (inv - inv @ w @ inv)
        gmu[cols] += -n * (inv @ d)
    return f, G, gmu


def objective_and_gradient(x, model: RamModel, pat: Patterns, fixed_cov, fixed_mean) -> tuple[float, np.ndarray]:
    """-logL / N and its analytic gradient with respect to the free parameters."""
    full, mu_full, B, sigma, mu = implied(model, x, fixed_cov, fixed_mean)
    p, nv = len(model.observed), len(model.variables)
    terms = casewise_terms(pat, sigma, mu)
    if terms is None:
        return 1e20, np.zeros_like(x)
    f, G, gmu = terms
    Gf = np.zeros((nv, nv))
    Gf[:p, :p] = G
    gm = np.zeros(nv)
    gm[:p] = gmu
    dA = 2.0 * B.T @ Gf @ full + np.outer(B.T @ gm, mu_full)
    dS = B.T @ Gf @ B
    dm = B.T @ gm
    grad = np.zeros_like(x)
    idx = _index(model)
    for kind in ("A", "S", "M"):
        rows, cols, free, _ = idx[kind]
        keep = free >= 0
        r, c, fr = rows[keep], cols[keep], free[keep]
        if kind == "A":
            vals = dA[r, c]
        elif kind == "S":
            vals = dS[r, c] * np.where(r == c, 1.0, 2.0)
        else:
            vals = dm[r]
        np.add.at(grad, fr, vals)
    return f / pat.n_obs, grad / pat.n_obs


# ----------------------------------------------------------------------------- starting values and fit


@dataclass
class MLFit:
    """Result of :func:`fit_ml` (plain data)."""

    model: RamModel
    x: np.ndarray
    success: bool
    message: str
    n_iter: int
    n_obs: int
    loglik: float
    h1_loglik: float
    baseline_loglik: float
    sigma: np.ndarray
    mu: np.ndarray
    h1_cov: np.ndarray
    h1_mean: np.ndarray
    vcov: np.ndarray
    information: str
    missing: str
    n_patterns: int
    fixed_cov: np.ndarray
    fixed_mean: np.ndarray
    values: np.ndarray | None = None  # the rows used (model.observed order), for casewise (robust) statistics

    @property
    def chi2(self) -> float:
        return max(2.0 * (self.h1_loglik - self.loglik), 0.0)

    @property
    def df(self) -> int:
        p, q = len(self.model.observed), len(self.model.fixed_x)
        return p * (p + 1) // 2 + p - self.model.n_free - (q * (q + 1) // 2 + q)

    @property
    def baseline(self) -> tuple[float, int]:
        p, q = len(self.model.observed), len(self.model.fixed_x)
        df_b = p * (p + 1) // 2 + p - 2 * (p - q) - (q * (q + 1) // 2 + q)
        return max(2.0 * (self.h1_loglik - self.baseline_loglik), 0.0), df_b


def _baseline_loglik(pat: Patterns, model: RamModel, h1_cov, h1_mean) -> float:
    """Independence model: each non-fixed.x variable alone (available-case ML mean and variance),
    the fixed.x block saturated."""
    p = len(model.observed)
    xs = [model.observed.index(v) for v in model.fixed_x]
    total = independence_loglik(pat, [j for j in range(p) if j not in xs])
    if xs:
        sx = h1_cov[np.ix_(xs, xs)]
        _, logdet = np.linalg.slogdet(sx)
        total += -0.5 * pat.n_obs * (logdet + len(xs) * LOG2PI + len(xs))
    return total


def independence_loglik(pat: Patterns, columns) -> float:
    """Log-likelihood of the independence model of ``columns``: each variable alone, with its
    available-case ML mean and variance (the FIML estimates when the variables are independent)."""
    total = 0.0
    for j in columns:
        vals = []
        for cols, n, m, s in zip(pat.index, pat.n, pat.mean, pat.cov):
            if j in cols:
                k = list(cols).index(j)
                vals.append((n, m[k], s[k, k]))
        n_j = sum(v[0] for v in vals)
        mean = sum(v[0] * v[1] for v in vals) / n_j
        var = sum(v[0] * (v[2] + (v[1] - mean) ** 2) for v in vals) / n_j
        total += -0.5 * n_j * (math.log(var) + LOG2PI + 1.0)
    return total


def expected_information(model: RamModel, x, fixed_cov, fixed_mean, n: int) -> np.ndarray:
    """Expected (Fisher) information of complete data: N/2 tr(S^-1 dS_k S^-1 dS_l) + N dm_k' S^-1 dm_l."""
    _, _, _, sigma, _ = implied(model, x, fixed_cov, fixed_mean)
    inv = np.linalg.inv(sigma)
    dS, dm = _dsigma(model, x, fixed_cov, fixed_mean)
    a = np.matmul(inv[None, :, :], np.asarray(dS))  # Sigma^-1 dSigma_k
    dmat = np.asarray(dm)
    k = len(a)
    flat = a.reshape(k, -1)
    info = 0.5 * (flat @ a.transpose(0, 2, 1).reshape(k, -1).T) + dmat @ inv @ dmat.T
    return n * info


def observed_information(model: RamModel, x, pat: Patterns, fixed_cov, fixed_mean) -> np.ndarray:
    """Observed information: central differences of the analytic gradient of -logL."""
    k = len(x)
    H = np.zeros((k, k))
    for i in range(k):
        h = 1e-5 * max(1.0, abs(x[i]))
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        H[:, i] = (
            objective_and_gradient(xp, model, pat, fixed_cov, fixed_mean)[1]
            - objective_and_gradient(xm, model, pat, fixed_cov, fixed_mean)[1]
        ) / (2 * h)
    return 0.5 * (H + H.T) * pat.n_obs


class _TimeLimit(Exception):
    """The fit passed its deadline (raised inside the optimiser's callback)."""


def _fisher_scoring(
    fun, x0, model, fixed_cov, fixed_mean, max_iter: int, tol: float = 1e-10, deadline: float | None = None
):
    """Fisher scoring with step halving: x <- x - t I(x)^-1 g(x), I the expected information per case."""
    x = x0.copy()
    f, g = fun(x)
    for it in range(1, max_iter + 1):
        if np.max(np.abs(g)) < tol:
            return x, it - 1, "converged"
        if deadline is not None and time.monotonic() > deadline:
            return x, it - 1, "time limit"
        info = expected_information(model, x, fixed_cov, fixed_mean, 1)
        try:
            step = np.linalg.solve(info, g)
        except np.linalg.LinAlgError:
            return x, it, "singular information"
        t = 1.0
        while True:
            f_new, g_new = fun(x - t * step)
            if f_new <= f + 1e-14 * abs(f):
                break
            t *= 0.5
            if t < 1e-8:
                return x, it, "step halving failed"
        x, f, g = x - t * step, f_new, g_new
    return x, max_iter, "iteration limit"


def fit_ml(
    data: pd.DataFrame,
    model_text: str,
    missing: str = "fiml",
    max_iter: int = 10000,
    information: str | None = None,
    time_limit: float | None = None,
) -> MLFit:
    """Fit a CFA/SEM by ML (``missing='fiml'``: casewise likelihood; ``'listwise'``: complete rows).

    Rows missing an observed exogenous covariate are dropped (lavaan's ``fixed.x``).
    ``information`` defaults to ``'expected'`` for listwise and ``'observed'`` for FIML;
    ``'none'`` skips the standard errors (``vcov`` NaN; the bootstrap refits need only
    estimates). ``time_limit`` (seconds, checked between iterations) stops the optimiser
    with ``message='time limit'`` (``success`` False) in this process.
    """
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    if missing not in ("fiml", "listwise"):
        raise SemInputError(f"missing must be 'fiml' or 'listwise', not {missing!r}")
    model = parse_model(model_text, list(data.columns))
    values = data[model.observed].apply(pd.to_numeric, errors="coerce").to_numpy(float)
    xs = [model.observed.index(v) for v in model.fixed_x]
    keep = ~np.isnan(values).any(axis=1) if missing == "listwise" else ~np.isnan(values[:, xs]).any(axis=1)
    values = values[keep]
    pat = data_patterns(values)
    p = len(model.observed)
    if pat.n_obs < p + 2:
        raise SemInputError(f"data: {pat.n_obs} usable rows for {p} observed variables")
    h1_mean, h1_cov = em_saturated(pat, p)
    fixed_cov = h1_cov[np.ix_(xs, xs)] if xs else np.zeros((0, 0))
    fixed_mean = h1_mean[xs] if xs else np.zeros(0)
    x0 = start_values(model, h1_cov, h1_mean)
    fun = lambda v: objective_and_gradient(v, model, pat, fixed_cov, fixed_mean)  # noqa: E731
    info_kind = information or ("expected" if missing == "listwise" or len(pat.index) == 1 else "observed")
    x, n_iter, message = _fisher_scoring(fun, x0, model, fixed_cov, fixed_mean, max_iter, deadline=deadline)
    if message not in ("converged", "time limit"):  # scoring stalled: quasi-Newton from where it stopped

        def check_deadline(_xk):
            if deadline is not None and time.monotonic() > deadline:
                raise _TimeLimit

        try:
            res = optimize.minimize(
                fun,
                x,
                jac=True,
                method="L-BFGS-B",
                callback=check_deadline,
                options={"maxiter": int(max_iter), "ftol": 1e-15, "gtol": 1e-10, "maxcor": 30},
            )
            x, n_iter = res.x, n_iter + int(res.nit)
            message = "converged" if np.max(np.abs(fun(x)[1])) < 1e-7 else f"not converged: {res.message}"
        except _TimeLimit:
            message = "time limit"
    success = message == "converged"
    full, mu_full, B, sigma, mu = implied(model, x, fixed_cov, fixed_mean)
    if info_kind == "none":
        info = None
    elif info_kind == "expected":
        info = expected_information(model, x, fixed_cov, fixed_mean, pat.n_obs)
    else:
        info = observed_information(model, x, pat, fixed_cov, fixed_mean)
    try:
        vcov = np.full((len(x), len(x)), np.nan) if info is None else np.linalg.inv(info)
    except np.linalg.LinAlgError:
        vcov = np.full((len(x), len(x)), np.nan)
    return MLFit(
        model,
        x,
        success,
        message,
        n_iter,
        pat.n_obs,
        -fun(x)[0] * pat.n_obs,
        loglik(pat, h1_cov, h1_mean),
        _baseline_loglik(pat, model, h1_cov, h1_mean),
        sigma,
        mu,
        h1_cov,
        h1_mean,
        vcov,
        info_kind,
        missing,
        len(pat.index),
        fixed_cov,
        fixed_mean,
        values,
    )
