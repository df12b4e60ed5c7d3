"""Measurement invariance by multi-group ML CFA with equality constraints.

``semopy.multigroup`` fits each group on its own and cannot constrain parameters
across groups, so the multi-group model is fitted here directly (hand-written, with
lavaan's parameterisation): for group g,

    Sigma_g = Lambda_g Phi_g Lambda_g' + Theta_g,     mu_g = nu_g + Lambda_g alpha_g,

every factor scaled by a marker loading of 1. With missing item answers the fit is by
full-information ML (``missing="fiml"``, the default, lavaan's ``missing = "ml"``): the
casewise likelihood of every group is summed over its missing-data patterns (Arbuckle
1996),

    F = -2 logL / N = (1 / N) sum_g sum_patterns n_pg [log|Sigma_g,oo| + p_pg log 2 pi
                                                   + tr(Sigma_g,oo^-1 W_pg)],

W_pg the pattern's moments about mu_g,o, minimised with L-BFGS-B and its analytic
gradient; chi2 = 2 sum_g (logL_g(H1) - logL_g), H1 the unrestricted model of each group
(EM), and the baseline the independence model of each group (available-case means and
variances), as for the single-group fits (:mod:`nero.sem.ml`). With complete data (or
``missing="listwise"``) this is the usual stacked ML discrepancy, chi2 = N F - N F(S).
SRMR uses each group's H1 moments. Levels (Meredith 1993; Vandenberg & Lance 2000):

- configural: same pattern, all parameters free per group, latent means 0;
- metric: loadings equal across groups;
- scalar: loadings and intercepts equal, latent means free except in the first group;
- strict (optional): also residual variances equal.

Invariance holds at a level when the chi-square difference test to the previous level
is not significant, or, the rule used for the verdict, when CFI drops by no more than
0.01 (Cheung & Rensvold 2002); the change in RMSEA (<= 0.015, Chen 2007) is reported
too. The configural chi2 equals the sum of the per-group chi2 of single-group fits.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize

from ._common import SemInputError, frame_text, numeric_frame, require_columns, run_with_time_limit
from .cfa import DEFAULT_MAX_ITER, DEFAULT_TIME_LIMIT, fit_cfa, measurement_syntax
from .fitindices import chi2_difference, fit_indices, srmr
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
    cov: np.ndarray       # H1 covariance (sample covariance with complete data)
    mean: np.ndarray      # H1 mean
    n: int

    @classmethod
    def from_values(cls, values: np.ndarray) -> "_Group":
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
        f, G, g_mu = (2.0 / n_total * t for t in terms)   # -logL -> -2 logL / N
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
            cands = [S[r, i] * S[r, j] / S[i, j] for a, i in enumerate(others) for j in others[a + 1:]
                     if S[i, j] > 1e-8 and S[r, i] * S[r, j] > 0]
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
        res = optimize.minimize(_objective, x0, args=(spec, groups, n_total), jac=True, method="L-BFGS-B",
                                options={"maxiter": int(max_iter), "maxfun": int(max_iter) * 5, "gtol": 1e-10,
                                         "ftol": 1e-15, "maxcor": 50})
        # polish with BFGS from the L-BFGS-B solution
        res2 = optimize.minimize(_objective, res.x, args=(spec, groups, n_total), jac=True, method="BFGS",
                                 options={"maxiter": int(max_iter), "gtol": 1e-9})
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
        out_groups.append({"sigma": sigma, "mu": mu, "lambda": lam, "phi": phi, "theta": theta,
                           "nu": nu, "alpha": alpha})
    return {"chi2": float(chi2), "n_par": spec.n_par, "converged": converged,
            "n_iter": int(res.nit) + int(getattr(res2, "nit", 0)), "max_grad": float(np.max(np.abs(grad))),
            "message": str(best.message), "groups": out_groups}


def _baseline(groups: list[_Group]) -> tuple[float, int]:
    """Chi-square and df of the independence model of every group (means and variances free)."""
    chi2 = sum(2.0 * (loglik(grp.pat, grp.cov, grp.mean) - independence_loglik(grp.pat, range(len(grp.mean))))
               for grp in groups)
    p = len(groups[0].mean)
    return max(float(chi2), 0.0), len(groups) * (p * (p - 1) // 2)


@dataclass
class InvarianceResult:
    """Fit of each invariance level and the tests between consecutive levels."""

    fits: pd.DataFrame
    comparisons: pd.DataFrame
    group_column: str
    groups: list[str]
    group_sizes: list[int]
    configural_check: dict[str, Any] = field(default_factory=dict)
    estimates: dict[str, list[dict]] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.fits.merge(self.comparisons, on="level", how="left")

    def summary(self) -> str:
        lines = [f"Measurement invariance across {self.group_column} ({', '.join(f'{g}: N={n}' for g, n in zip(self.groups, self.group_sizes))})",
                 frame_text(self.fits[["level", "chi2", "df", "p", "cfi", "tli", "rmsea", "srmr", "converged"]]),
                 frame_text(self.comparisons)]
        if self.configural_check:
            c = self.configural_check
            lines.append(f"Configural chi2 {c['configural_chi2']:.3f} vs sum of single-group chi2 "
                         f"{c['sum_single_group_chi2']:.3f} (each group fitted alone)")
        return "\n".join(lines)


def measurement_invariance(
    data: pd.DataFrame,
    factors: Mapping[str, Sequence[str]],
    group: str = "wave",
    levels: Sequence[str] = ("configural", "metric", "scalar"),
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_iter: int = DEFAULT_MAX_ITER,
    check_configural: bool = True,
    delta_cfi: float = 0.01,
    missing: str = "fiml",
) -> InvarianceResult:
    """Configural, metric and scalar (optionally strict) multi-group CFA.

    Parameters
    ----------
    data : DataFrame
        Item data with the ``group`` column.
    factors : mapping
        Factor -> items (simple structure; the first item is the marker).
    group : str
        Grouping column (e.g. the survey wave).
    levels : sequence of str
        Levels to fit, in order, from ``configural``, ``metric``, ``scalar``, ``strict``.
    time_limit, max_iter
        Limits of every fit (each level runs in a worker process).
    check_configural : bool
        Also fit each group alone (same ``missing``) and report the sum of their chi2, which
        must equal the configural chi2.
    delta_cfi : float
        The CFI rule: invariance is supported when CFI drops by at most this much.
    missing : {'fiml', 'listwise'}
        ``"fiml"`` (default): every row with at least one item answered, by full-information
        ML (lavaan's ``missing = "ml"``); ``"listwise"``: complete rows only.
    """
    if missing not in ("fiml", "listwise"):
        raise SemInputError(f"measurement_invariance: missing must be 'fiml' or 'listwise', not {missing!r}")
    levels = list(levels)
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad:
        raise SemInputError(f"measurement_invariance: unknown level(s) {bad}; use {LEVELS}")
    require_columns(data, [group], "data")
    items = [i for its in factors.values() for i in its]
    names = list(factors)
    frame = numeric_frame(data.assign(**{"__group__": data[group]}), items, what="data", min_rows=5,
                          dropna=missing == "listwise")
    frame = frame[frame[items].notna().any(axis=1)]
    frame["__group__"] = data.loc[frame.index, group]
    frame = frame.dropna(subset=["__group__"])
    labels = sorted(pd.unique(frame["__group__"]), key=str)
    if len(labels) < 2:
        raise SemInputError(f"data: column {group!r} must have at least two groups for invariance tests")
    p, k = len(items), len(names)
    pattern = np.zeros((p, k), bool)
    markers = np.zeros((p, k), bool)
    for f, name in enumerate(names):
        for a, item in enumerate(factors[name]):
            pattern[items.index(item), f] = True
            if a == 0:
                markers[items.index(item), f] = True
    groups, sizes = [], []
    for lab in labels:
        x = frame.loc[frame["__group__"] == lab, items].to_numpy(float)
        if len(x) <= p:
            raise SemInputError(f"data: group {lab!r} of {group!r} has {len(x)} usable rows; more than {p} needed")
        unanswered = [item for item, seen in zip(items, (~np.isnan(x)).any(axis=0)) if not seen]
        if unanswered:
            raise SemInputError(f"data: group {lab!r} of {group!r} has no answer to {', '.join(unanswered)}; "
                                "every item needs answers in every group")
        groups.append(_Group.from_values(x))
        sizes.append(groups[-1].n)
    n_total = sum(sizes)
    moments = len(groups) * (p * (p + 1) // 2 + p)
    base_tot = _baseline(groups)
    rows, estimates = [], {}
    for level in levels:
        status, raw, seconds = run_with_time_limit(_mg_job, (groups, pattern, markers, level, max_iter),
                                                   time_limit=time_limit)
        row: dict[str, Any] = {"level": level, "n_obs": n_total, "missing": missing, "seconds": seconds}
        if status != "ok":
            row.update({"converged": False, "reason": "time limit" if status == "time limit" else f"error: {raw}"})
            rows.append(row)
            continue
        chi2 = raw["chi2"]
        df = moments - raw["n_par"]
        sr = sum((grp.n / n_total) * srmr(grp.cov, gr["sigma"], grp.mean, gr["mu"])
                 for grp, gr in zip(groups, raw["groups"]))
        row.update(fit_indices(chi2, df, n_total, base_tot, sr, n_groups=len(groups)))
        row.update({"converged": raw["converged"], "reason": "converged" if raw["converged"] else
                    f"not converged (max |gradient| {raw['max_grad']:.2g}): {raw['message']}",
                    "n_iter": raw["n_iter"], "n_parameters": raw["n_par"]})
        negative = [f"{items[j]} ({labels[g]})" for g, gr in enumerate(raw["groups"]) for j in range(p)
                    if gr["theta"][j] < 0]
        row["negative_variances"] = "; ".join(negative)
        rows.append(row)
        estimates[level] = [{"group": str(lab), "loadings": pd.DataFrame(gr["lambda"], index=items, columns=names),
                             "intercepts": pd.Series(gr["nu"], index=items),
                             "latent_means": pd.Series(gr["alpha"], index=names)}
                            for lab, gr in zip(labels, raw["groups"])]
    fits = pd.DataFrame(rows)
    comps = []
    for prev, cur in zip(levels, levels[1:]):
        a = fits.set_index("level").loc[prev]
        b = fits.set_index("level").loc[cur]
        row = {"level": cur, "compared_with": prev}
        if bool(a.get("converged")) and bool(b.get("converged")):
            row.update(chi2_difference(b["chi2"], int(b["df"]), a["chi2"], int(a["df"])))
            row["delta_cfi"] = b["cfi"] - a["cfi"]
            row["delta_rmsea"] = b["rmsea"] - a["rmsea"]
            row["invariance_cfi_rule"] = bool(row["delta_cfi"] >= -delta_cfi)
            row["invariance_chi2_test"] = bool(row["p"] >= 0.05)
        else:
            row["note"] = "not tested: a level did not converge"
        comps.append(row)
    comparisons = pd.DataFrame(comps, columns=["level", "compared_with", "delta_chi2", "delta_df", "p", "delta_cfi",
                                               "delta_rmsea", "invariance_cfi_rule", "invariance_chi2_test"]
                               + (["note"] if any("note" in c for c in comps) else []))
    check = {}
    if check_configural and "configural" in levels:
        text = measurement_syntax(dict(factors))
        single = []
        for lab in labels:
            sub = frame.loc[frame["__group__"] == lab, items]
            r = fit_cfa(sub, text, time_limit=time_limit, max_iter=max_iter, std_se=False, name=f"{group}={lab}",
                        missing=missing)
            single.append(r.fit.get("chi2", math.nan) if r.converged else math.nan)
        conf = fits.set_index("level").loc["configural"]
        check = {"configural_chi2": float(conf.get("chi2", math.nan)), "sum_single_group_chi2": float(sum(single)),
                 "single_group_chi2": {str(l): float(c) for l, c in zip(labels, single)}}
    return InvarianceResult(fits, comparisons, group, [str(l) for l in labels], sizes, check, estimates)
