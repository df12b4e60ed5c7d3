"""Robust ML (lavaan's ``estimator = "MLR"``) for a fitted :class:`nero.sem.ml.MLFit`.

Hand-written on the engine, because no maintained Python library computes lavaan's MLR
(semopy's ``se_robust`` is lavaan's MLM: expected information, no FIML, no scaled test;
docs/sem.md, "semopy"). Everything follows lavaan 0.6-14 (``lav_model_vcov``, ``lav_test_yuan_bentler``,
``lav_fit_cfi``, ``lav_fit_rmsea``, ``lav_fit_fiml_corrected``) and is checked against it on
the oracle data (``tests/sem/oracle``):

- **Standard errors** (Huber-White sandwich): V = A^-1 B A^-1, A the observed information
  (Hessian of -logL), B the sum over cases of the outer products of the casewise scores,
  evaluated at the model-implied moments (lavaan's ``information.meat = "first.order"``,
  ``h1.information.meat = "structured"``); with missing data the casewise scores are those
  of each row's observed variables (FIML).
- **Scaled chi-square** (Yuan & Bentler 2000, Mplus' version, lavaan's
  ``yuan.bentler.mplus``): c = [tr(A1^-1 B1) - tr(A0^-1 B0)] / df, A1 and B1 the observed
  and first-order information of the unrestricted model over (mu, vech Sigma) at its own
  estimates (sample or EM moments; ``h1.information = "unstructured"`` in this test), A0
  the model's observed information and B0 its first-order information at the implied
  moments; chi2_scaled = chi2 / c. Elements of the fixed.x block (moments of the observed
  exogenous covariates only) are left out of the unrestricted model, as lavaan does.
  The baseline (independence) model gets its own factor the same way.
- **Robust CFI, TLI, RMSEA** (Brosseau-Liard, Savalei & Li 2012; Brosseau-Liard & Savalei
  2014): CFI = 1 - max(chi2 - c df, 0) / max(chi2 - c df, chi2_b - c_b df_b, 0),
  TLI = 1 - (chi2 - c df) df_b / ((chi2_b - c_b df_b) df), RMSEA = sqrt(max(chi2/(N df) -
  c/N, 0)), its CI from the noncentral chi-square of chi2/c times sqrt(c). With missing
  data (FIML) lavaan computes them from the corrected statistics of Zhang & Savalei (2023,
  "FIML-C", version 3): the model refitted to the EM moments as if complete (chi2 = N
  F_ML(EM moments, implied moments)) with the correction factor
  c3 = tr(U Wm^-1 Wc Wm^-1 U Gamma) / df, U = Wm - Wm Delta (Delta' Wm Delta)^-1 Delta' Wm,
  Gamma = Wm^-1 Jm Wm^-1, Wm and Jm the observed and first-order information of the
  unrestricted missing-data model at the EM estimates, Wc the complete-data information
  at the EM moments; here too.

Information matrices are per case (divided by N), as in lavaan; the Hessians are central
differences of analytic gradients (step 1e-5 relative), accurate to about 1e-9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .fitindices import rmsea_ci
from .ml import MLFit, Patterns, casewise_terms, data_patterns, observed_information
from .ram import _dsigma

#: The robust fit measures (keys of :meth:`RobustFit.to_dict`, in table order).
ROBUST_COLUMNS = (
    "chi2_scaled",
    "p_scaled",
    "scaling_factor",
    "baseline_chi2_scaled",
    "baseline_scaling_factor",
    "cfi_robust",
    "tli_robust",
    "rmsea_robust",
    "rmsea_ci_lower_robust",
    "rmsea_ci_upper_robust",
)


@dataclass
class RobustFit:
    """MLR results of one fit: robust covariance of the free parameters, scaled test, robust indices."""

    vcov: np.ndarray
    chi2: float
    df: int
    scaling_factor: float
    chi2_scaled: float
    p_scaled: float
    baseline_chi2: float
    baseline_df: int
    baseline_scaling_factor: float
    baseline_chi2_scaled: float
    cfi_robust: float
    tli_robust: float
    rmsea_robust: float
    rmsea_ci_lower_robust: float
    rmsea_ci_upper_robust: float
    n_obs: int
    missing: str

    def to_dict(self) -> dict[str, float]:
        """Fit measures with lavaan's ``fitMeasures`` names (dots as underscores)."""
        return {
            "chi2_scaled": self.chi2_scaled,
            "p_scaled": self.p_scaled,
            "scaling_factor": self.scaling_factor,
            "baseline_chi2_scaled": self.baseline_chi2_scaled,
            "baseline_scaling_factor": self.baseline_scaling_factor,
            "cfi_robust": self.cfi_robust,
            "tli_robust": self.tli_robust,
            "rmsea_robust": self.rmsea_robust,
            "rmsea_ci_lower_robust": self.rmsea_ci_lower_robust,
            "rmsea_ci_upper_robust": self.rmsea_ci_upper_robust,
        }

    def summary(self) -> str:
        return (
            f"MLR (N = {self.n_obs}, {self.missing}): chi2 = {self.chi2:.3f}, Yuan-Bentler scaled chi2({self.df}) = "
            f"{self.chi2_scaled:.3f} (scaling factor {self.scaling_factor:.3f}), p = {self.p_scaled:.4f}; "
            f"robust CFI = {self.cfi_robust:.3f}, TLI = {self.tli_robust:.3f}, RMSEA = {self.rmsea_robust:.3f} "
            f"[{self.rmsea_ci_lower_robust:.3f}, {self.rmsea_ci_upper_robust:.3f}]"
        )

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([self.to_dict()])


# ----------------------------------------------------------------------------- the unrestricted model


def _h1_index(p: int, keep_vars: np.ndarray, means: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(is_mean, row, col) of the unrestricted parameters: means, then vech(Sigma) (lower incl.
    diagonal), without the elements of fixed.x variables only (``keep_vars`` False)."""
    r, c = np.tril_indices(p)
    keep = keep_vars[r] | keep_vars[c]
    r, c = r[keep], c[keep]
    mean_idx = np.flatnonzero(keep_vars) if means else np.zeros(0, int)
    is_mean = np.r_[np.ones(len(mean_idx), bool), np.zeros(len(r), bool)]
    return is_mean, np.r_[mean_idx, r], np.r_[mean_idx, c]


def _h1_gradient(pat: Patterns, mu: np.ndarray, sigma: np.ndarray, index) -> np.ndarray:
    """Gradient of logL over the unrestricted parameters (a symmetric element counted once)."""
    terms = casewise_terms(pat, sigma, mu)
    if terms is None:
        raise np.linalg.LinAlgError("implied covariance matrix not positive definite")
    _, G, gmu = terms
    is_mean, r, c = index
    return np.where(is_mean, -gmu[r], np.where(r == c, -G[r, c], -2.0 * G[r, c]))


def _h1_hessian(pat: Patterns, mu: np.ndarray, sigma: np.ndarray, index) -> np.ndarray:
    """Observed information of the unrestricted model per case: -Hessian of logL / N (central differences)."""
    is_mean, r, c = index
    q = len(r)
    H = np.zeros((q, q))
    for k in range(q):
        mp, mm, sp, sm = mu.copy(), mu.copy(), sigma.copy(), sigma.copy()
        if is_mean[k]:
            h = 1e-5 * max(1.0, abs(mu[r[k]]))
            mp[r[k]] += h
            mm[r[k]] -= h
        else:
            h = 1e-5 * max(1.0, abs(sigma[r[k], c[k]]))
            sp[r[k], c[k]] += h
            sm[r[k], c[k]] -= h
            if r[k] != c[k]:
                sp[c[k], r[k]] += h
                sm[c[k], r[k]] -= h
        H[:, k] = (_h1_gradient(pat, mp, sp, index) - _h1_gradient(pat, mm, sm, index)) / (2 * h)
    return -0.5 * (H + H.T) / pat.n_obs


def case_scores(values: np.ndarray, mu: np.ndarray, sigma: np.ndarray, index) -> np.ndarray:
    """Casewise scores of logL over the unrestricted parameters (n x q), each row over its observed variables."""
    is_mean, r, c = index
    n, p = values.shape
    out = np.zeros((n, len(r)))
    mask = ~np.isnan(values)
    keys, inverse = np.unique(np.packbits(mask, axis=1), axis=0, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    for k in range(len(keys)):
        rows = np.flatnonzero(inverse == k)
        cols = np.flatnonzero(mask[rows[0]])
        if len(cols) == 0:
            continue
        inv = np.linalg.inv(sigma[np.ix_(cols, cols)])
        Z = np.zeros((len(rows), p))
        Z[:, cols] = (values[np.ix_(rows, cols)] - mu[cols]) @ inv
        invf = np.zeros((p, p))
        invf[np.ix_(cols, cols)] = inv
        cov_part = Z[:, r] * Z[:, c] - invf[r, c]
        cov_part = np.where(r == c, 0.5 * cov_part, cov_part)
        out[np.ix_(rows, np.arange(len(r)))] = np.where(is_mean, Z[:, r], cov_part)
    return out


def _delta(fit: MLFit, index) -> np.ndarray:
    """Jacobian of the unrestricted parameters (mu, vech Sigma) by the free parameters."""
    dS, dm = _dsigma(fit.model, fit.x, fit.fixed_cov, fit.fixed_mean)
    is_mean, r, c = index
    D = np.zeros((len(r), fit.model.n_free))
    for k in range(fit.model.n_free):
        D[:, k] = np.where(is_mean, dm[k][r], dS[k][r, c])
    return D


def _complete_information(mu: np.ndarray, sigma: np.ndarray, index) -> np.ndarray:
    """Complete-data (expected = observed at the unrestricted estimates) information per case."""
    is_mean, r, c = index
    inv = np.linalg.inv(sigma)
    q = len(r)
    W = np.zeros((q, q))
    m = np.flatnonzero(is_mean)
    s = np.flatnonzero(~is_mean)
    W[np.ix_(m, m)] = inv[np.ix_(r[m], r[m])]
    rs, cs = r[s], c[s]
    # d Sigma / d sigma_ab = E_ab (symmetric); 0.5 tr(inv E_ab inv E_cd)
    A = inv[np.ix_(rs, rs)] * inv[np.ix_(cs, cs)] + inv[np.ix_(rs, cs)] * inv[np.ix_(cs, rs)]
    wa = np.where(rs == cs, 0.5, 1.0)
    W[np.ix_(s, s)] = 0.5 * A * np.outer(wa, wa) * 2.0
    return W


# ----------------------------------------------------------------------------- MLR


def _trace_h(A: np.ndarray, B: np.ndarray) -> float:
    return float(np.sum(B * np.linalg.inv(A).T))


def robust_ml(fit: MLFit, values: np.ndarray) -> RobustFit:
    """lavaan's MLR for a converged fit: sandwich SEs, Yuan-Bentler scaled chi2, robust CFI/TLI/RMSEA.

    Parameters
    ----------
    fit : MLFit
        The ML or FIML fit (:func:`nero.sem.ml.fit_ml`).
    values : ndarray
        The n x p rows the fit used (columns in ``fit.model.observed`` order; NaN = missing).

    Returns
    -------
    RobustFit
    """
    model = fit.model
    p = len(model.observed)
    n = fit.n_obs
    pat = data_patterns(values)
    fiml = fit.missing == "fiml" and fit.n_patterns > 1
    keep_vars = np.array([v not in model.fixed_x for v in model.observed])
    index = _h1_index(p, keep_vars, means=True)
    # model: observed information (Hessian) and first-order information at the implied moments
    A0 = observed_information(model, fit.x, pat, fit.fixed_cov, fit.fixed_mean) / n
    Delta = _delta(fit, index)
    S0 = case_scores(values, fit.mu, fit.sigma, index) @ Delta
    B0 = S0.T @ S0 / n
    A0_inv = np.linalg.inv(A0)
    vcov = A0_inv @ B0 @ A0_inv / n
    # unrestricted model at its own estimates (sample or EM moments: lavaan's mplus variant is "unstructured")
    A1 = _h1_hessian(pat, fit.h1_mean, fit.h1_cov, index)
    S1 = case_scores(values, fit.h1_mean, fit.h1_cov, index)
    B1 = S1.T @ S1 / n
    trace_h1 = _trace_h(A1, B1)
    df = fit.df
    c = (trace_h1 - _trace_h(A0, B0)) / df if df > 0 else math.nan
    # baseline: independent non-fixed.x variables (available-case ML moments), fixed.x block saturated
    mu_b, sigma_b, delta_b = _baseline_moments(pat, fit, keep_vars, index)
    chi2_b, df_b = fit.baseline
    A0b = delta_b.T @ _h1_hessian(pat, mu_b, sigma_b, index) @ delta_b  # the baseline is linear in its parameters
    S0b = case_scores(values, mu_b, sigma_b, index) @ delta_b
    B0b = S0b.T @ S0b / n
    c_b = (trace_h1 - _trace_h(A0b, B0b)) / df_b
    chi2 = fit.chi2
    if fiml:
        x3, c3, x3_b, c3_b = _fiml_corrected(fit, A1, B1, index, Delta, mu_b, sigma_b, delta_b)
    else:
        x3, c3, x3_b, c3_b = chi2, c, chi2_b, c_b
    t1 = max(x3 - c3 * df, 0.0)
    t2 = max(x3 - c3 * df, x3_b - c3_b * df_b, 0.0)
    cfi = 1.0 if math.isclose(t1, 0.0, abs_tol=1.5e-8) and math.isclose(t2, 0.0, abs_tol=1.5e-8) else 1.0 - t1 / t2
    tn = (x3_b - c3_b * df_b) * df
    tli = 1.0 - (x3 - c3 * df) * df_b / tn if df > 0 and abs(tn) > 0 else 1.0
    rmsea = math.sqrt(max(x3 / (n * df) - c3 / n, 0.0)) if df > 0 else 0.0
    lo, hi = rmsea_ci(x3 / c3, df, n) if df > 0 else (math.nan, math.nan)
    chi2_scaled = chi2 / c
    return RobustFit(
        vcov,
        chi2,
        df,
        c,
        chi2_scaled,
        float(stats.chi2.sf(chi2_scaled, df)),
        chi2_b,
        df_b,
        c_b,
        chi2_b / c_b,
        cfi,
        tli,
        rmsea,
        lo * math.sqrt(c3),
        hi * math.sqrt(c3),
        n,
        fit.missing,
    )


def _baseline_moments(pat: Patterns, fit: MLFit, keep_vars: np.ndarray, index):
    """Implied moments of the independence model and its Jacobian (means and variances of the kept variables)."""
    p = len(keep_vars)
    mu = fit.h1_mean.copy()
    sigma = np.zeros((p, p))
    xs = np.flatnonzero(~keep_vars)
    sigma[np.ix_(xs, xs)] = fit.h1_cov[np.ix_(xs, xs)]
    mu[xs] = fit.h1_mean[xs]
    ys = np.flatnonzero(keep_vars)
    for j in ys:
        num = den = ss = 0.0
        for cols, nk, m, s in zip(pat.index, pat.n, pat.mean, pat.cov):  # noqa: B007
            if j in cols:
                k = list(cols).index(j)
                num += nk * m[k]
                den += nk
        mean = num / den
        for cols, nk, m, s in zip(pat.index, pat.n, pat.mean, pat.cov):
            if j in cols:
                k = list(cols).index(j)
                ss += nk * (s[k, k] + (m[k] - mean) ** 2)
        mu[j], sigma[j, j] = mean, ss / den
    is_mean, r, c = index
    D = np.zeros((len(r), 2 * len(ys)))
    for k, j in enumerate(ys):
        D[:, k] = is_mean & (r == j)
        D[:, len(ys) + k] = ~is_mean & (r == j) & (c == j)
    return mu, sigma, D


def _fiml_corrected(fit: MLFit, Wm, Jm, index, Delta, mu_b, sigma_b, delta_b):
    """lavaan's FIML-C (version 3) statistics of the model and the baseline: (XX3, c3, XX3_null, c3_null).

    ``Wm`` and ``Jm`` are the observed and first-order information of the unrestricted
    model at the EM estimates (A1 and B1 of the scaled test)."""
    n = fit.n_obs
    Wc = _complete_information(fit.h1_mean, fit.h1_cov, index)
    Wmi = np.linalg.inv(Wm)
    Gamma = Wmi @ Jm @ Wmi

    def k_of(D, df):
        U = Wm - Wm @ D @ np.linalg.inv(D.T @ Wm @ D) @ D.T @ Wm
        return float(np.trace(U @ Wmi @ Wc @ Wmi @ U @ Gamma)) / df

    def complete_chi2(mu, sigma):
        inv = np.linalg.inv(sigma)
        d = fit.h1_mean - mu
        p = len(mu)
        f = (
            np.linalg.slogdet(sigma)[1]
            + np.trace(fit.h1_cov @ inv)
            - np.linalg.slogdet(fit.h1_cov)[1]
            - p
            + d @ inv @ d
        )
        return n * float(f)

    x3 = complete_chi2(fit.mu, fit.sigma)
    x3_b = complete_chi2(mu_b, sigma_b)
    return x3, k_of(Delta, fit.df), x3_b, k_of(delta_b, fit.baseline[1])
