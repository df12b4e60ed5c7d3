"""The multi-group CFA engine behind :func:`nero.sem.invariance.measurement_invariance`.

For group g, Sigma_g = Lambda_g Phi_g Lambda_g' + Theta_g and mu_g = nu_g + Lambda_g alpha_g,
every factor scaled by a marker loading of 1 (lavaan's parameterisation). Equality
constraints across groups are index sharing in one parameter vector (:func:`_build_spec`);
the discrepancy is the casewise (FIML) likelihood summed over groups and missing-data
patterns (:func:`nero.sem.ml.casewise_terms`), minimised with L-BFGS-B and its analytic
gradient. Written by hand because ``semopy.multigroup`` fits each group on its own and
cannot constrain parameters across groups.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .ml import Patterns, casewise_terms, data_patterns, em_saturated, independence_loglik, loglik

LEVELS = ("configural", "metric", "scalar", "strict")


@dataclass
class _Spec:
    lam_idx: list[np.ndarray]
    lam_fix: np.ndarray
    phi_idx: list[np.ndarray]
    theta_idx: list[np.ndarray]
    nu_idx: list[np.ndarray]
    alpha_idx: list[np.ndarray]
    n_par: int


def _build_spec(pattern: np.ndarray, markers: np.ndarray, n_groups: int, level: str) -> _Spec:
    p, k = pattern.shape
    counter = [0]

    def new(shape) -> np.ndarray:
        size = int(np.prod(shape))
        out = np.arange(counter[0], counter[0] + size).reshape(shape)
        counter[0] += size
        return out

    def lam() -> np.ndarray:
        idx = -np.ones((p, k), int)
        free = pattern & ~markers
        idx[free] = new(int(free.sum()))
        return idx

    def phi() -> np.ndarray:
        idx = -np.ones((k, k), int)
        tri = np.tril_indices(k)
        vals = new(len(tri[0]))
        idx[tri] = vals
        idx[(tri[1], tri[0])] = vals
        return idx

    shared_lam = lam() if level in ("metric", "scalar", "strict") else None
    shared_nu = new(p) if level in ("scalar", "strict") else None
    shared_theta = new(p) if level == "strict" else None
    spec = _Spec([], markers.astype(float), [], [], [], [], 0)
    for g in range(n_groups):
        spec.lam_idx.append(shared_lam if shared_lam is not None else lam())
        spec.phi_idx.append(phi())
        spec.theta_idx.append(shared_theta if shared_theta is not None else new(p))
        spec.nu_idx.append(shared_nu if shared_nu is not None else new(p))
        if level in ("scalar", "strict") and g > 0:
            spec.alpha_idx.append(new(k))
        else:
            spec.alpha_idx.append(-np.ones(k, int))
    spec.n_par = counter[0]
    return spec


def _unpack(x: np.ndarray, spec: _Spec, g: int):
    li = spec.lam_idx[g]
    lam = np.where(li >= 0, x[np.clip(li, 0, None)], spec.lam_fix)
    phi = x[spec.phi_idx[g]]
    theta = x[spec.theta_idx[g]]
    nu = x[spec.nu_idx[g]]
    ai = spec.alpha_idx[g]
    alpha = np.where(ai >= 0, x[np.clip(ai, 0, None)], 0.0)
    return lam, phi, theta, nu, alpha


@dataclass
class _Group:
    """One group's data: missing-data patterns, H1 moments (EM) and size."""

    pat: Patterns
    cov: np.ndarray  # H1 covariance (sample covariance with complete data)
    mean: np.ndarray  # H1 mean
    n: int

    @classmethod
    def from_values(cls, values: np.ndarray) -> _Group:
        pat = data_patterns(values)
        mean, cov = em_saturated(pat, values.shape[1])
        return cls(pat, cov, mean, pat.n_obs)


def _objective(x, spec: _Spec, groups: list[_Group], n_total: int):
    """-2 logL / N of all groups, and its gradient."""
    f_total = 0.0
    grad = np.zeros_like(x)
    for g, grp in enumerate(groups):
        lam, phi, theta, nu, alpha = _unpack(x, spec, g)
        sigma = lam @ phi @ lam.T + np.diag(theta)
        mu = nu + lam @ alpha
        terms = casewise_terms(grp.pat, sigma, mu)
        if terms is None:
            return 1e10, np.zeros_like(x)
        f, G, g_mu = (2.0 / n_total * t for t in terms)  # -logL -> -2 logL / N
        f_total += f
        g_lam = 2.0 * G @ lam @ phi + np.outer(g_mu, alpha)
        g_phi = lam.T @ G @ lam
        li = spec.lam_idx[g]
        np.add.at(grad, li[li >= 0], g_lam[li >= 0])
        np.add.at(grad, spec.phi_idx[g].ravel(), g_phi.ravel())
        np.add.at(grad, spec.theta_idx[g], np.diag(G))
        np.add.at(grad, spec.nu_idx[g], g_mu)
        ai = spec.alpha_idx[g]
        if (ai >= 0).any():
            np.add.at(grad, ai[ai >= 0], (lam.T @ g_mu)[ai >= 0])
    return f_total, grad


def _start(spec: _Spec, groups: list[_Group], pattern: np.ndarray, markers: np.ndarray) -> np.ndarray:
    p, k = pattern.shape
    acc = np.zeros(spec.n_par)
    cnt = np.zeros(spec.n_par)
    for g, grp in enumerate(groups):
        S, m = grp.cov, grp.mean
        lam = np.zeros((p, k))
        phi = np.zeros((k, k))
        for f in range(k):
            items = np.flatnonzero(pattern[:, f])
            r = int(np.flatnonzero(markers[:, f])[0])
            others = [i for i in items if i != r]
            cands = [
                S[r, i] * S[r, j] / S[i, j]
                for a, i in enumerate(others)
                for j in others[a + 1 :]
                if S[i, j] > 1e-8 and S[r, i] * S[r, j] > 0
            ]
            v = float(np.median(cands)) if cands else (abs(S[r, others[0]]) if others else 0.5 * S[r, r])
            v = min(max(v, 0.05 * S[r, r]), 0.95 * S[r, r])
            phi[f, f] = v
            lam[items, f] = S[r, items] / v
            lam[r, f] = 1.0
        ms = [int(np.flatnonzero(markers[:, f])[0]) for f in range(k)]
        for a in range(k):
            for b in range(a):
                phi[a, b] = phi[b, a] = S[ms[a], ms[b]]
        shrink = 1.0
        while np.linalg.eigvalsh(phi).min() <= 1e-6 and shrink > 1e-3:
            shrink *= 0.5
            off = phi - np.diag(np.diag(phi))
            phi = np.diag(np.diag(phi)) + off * shrink
        theta = np.maximum(np.diag(S) - np.einsum("ik,kl,il->i", lam, phi, lam), 0.1 * np.diag(S))
        vals = [(spec.lam_idx[g], lam), (spec.phi_idx[g], phi), (spec.theta_idx[g], theta), (spec.nu_idx[g], m)]
        for idx, val in vals:
            sel = idx >= 0
            np.add.at(acc, idx[sel], val[sel])
            np.add.at(cnt, idx[sel], 1)
    x0 = np.where(cnt > 0, acc / np.maximum(cnt, 1), 0.0)
    return x0


def _mg_job(groups: list[_Group], pattern, markers, level, max_iter):
    """Fit one invariance level (runs in the worker process)."""
    n_total = sum(grp.n for grp in groups)
    spec = _build_spec(pattern, markers, len(groups), level)
    x0 = _start(spec, groups, pattern, markers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = optimize.minimize(
            _objective,
            x0,
            args=(spec, groups, n_total),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": int(max_iter), "maxfun": int(max_iter) * 5, "gtol": 1e-10, "ftol": 1e-15, "maxcor": 50},
        )
        # polish with BFGS from the L-BFGS-B solution
        res2 = optimize.minimize(
            _objective,
            res.x,
            args=(spec, groups, n_total),
            jac=True,
            method="BFGS",
            options={"maxiter": int(max_iter), "gtol": 1e-9},
        )
    best = res2 if res2.fun <= res.fun else res
    _, grad = _objective(best.x, spec, groups, n_total)
    converged = bool(np.max(np.abs(grad)) < 1e-5)
    x = best.x
    out_groups = []
    chi2 = 0.0
    for g, grp in enumerate(groups):
        lam, phi, theta, nu, alpha = _unpack(x, spec, g)
        sigma = lam @ phi @ lam.T + np.diag(theta)
        mu = nu + lam @ alpha
        chi2 += 2.0 * (loglik(grp.pat, grp.cov, grp.mean) - loglik(grp.pat, sigma, mu))
        out_groups.append(
            {"sigma": sigma, "mu": mu, "lambda": lam, "phi": phi, "theta": theta, "nu": nu, "alpha": alpha}
        )
    return {
        "chi2": float(chi2),
        "n_par": spec.n_par,
        "converged": converged,
        "n_iter": int(res.nit) + int(getattr(res2, "nit", 0)),
        "max_grad": float(np.max(np.abs(grad))),
        "message": str(best.message),
        "groups": out_groups,
    }


def _baseline(groups: list[_Group]) -> tuple[float, int]:
    """Chi-square and df of the independence model of every group (means and variances free)."""
    chi2 = sum(
        2.0 * (loglik(grp.pat, grp.cov, grp.mean) - independence_loglik(grp.pat, range(len(grp.mean))))
        for grp in groups
    )
    p = len(groups[0].mean)
    return max(float(chi2), 0.0), len(groups) * (p * (p - 1) // 2)
