"""Confirmatory factor analysis and SEM by maximum likelihood, with lavaan's conventions.

:func:`fit_cfa` fits a model written in lavaan syntax with the engine of
:mod:`nero.sem.ml` (FIML by default: every usable firm, lavaan's ``missing = "ml"``;
``missing="listwise"`` for the complete-case sensitivity analysis), inside a worker
process that is killed at the time limit, so a fit that does not finish is reported
as ``converged=False, reason='time limit'`` instead of hanging the pipeline. Observed
exogenous covariates follow lavaan's ``fixed.x``: their moments are not counted in
the df nor estimated, and the baseline model keeps them. Fit indices follow lavaan's
definitions (:mod:`nero.sem.fitindices`); standardised estimates are lavaan's
``std.all`` with delta-method standard errors (``standardizedSolution``).

The model text helpers live in :mod:`nero.sem.syntax`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from nero.tolerances import is_zero

from ._common import SemInputError, fmt, frame_text, run_with_time_limit, single_thread
from .fitindices import FIT_COLUMNS, fit_indices, srmr
from .ml import MLFit, fit_ml
from .ram import check_syntax, implied, matrices
from .robust import ROBUST_COLUMNS, robust_ml
from .syntax import (
    observed_variables,
    parse_measurement,
)

#: Default limits of every fit.
DEFAULT_TIME_LIMIT = 120.0
DEFAULT_MAX_ITER = 10000
DEFAULT_TOL = 1e-12
MISSING = ("fiml", "listwise")
ESTIMATORS = ("ML", "MLR")


@dataclass
class CFAResult:
    """A fitted (or failed) CFA / SEM.

    Attributes
    ----------
    model_text : str
        The model in lavaan syntax.
    converged : bool
        True when the optimiser reported success within the iteration limit and the
        time limit.
    reason : str
        ``"converged"``, ``"time limit"``, ``"iteration limit or optimiser failure: ..."``
        or ``"error: ..."``.
    fit : dict
        Fit indices (:func:`nero.sem.fitindices.fit_indices`), empty if the fit failed.
    missing : str
        ``"fiml"`` (every usable row) or ``"listwise"`` (complete rows); ``n_obs`` the rows used.
    estimates : DataFrame
        lavaan-style parameter table: lhs, op, rhs, est, se, z, p, std_all, std_se,
        std_z, std_p, free.
    heywood : DataFrame
        Problems found: negative variances (estimates are not bounded, as in lavaan),
        variances on zero, standardised loadings or factor correlations
        of magnitude >= 1, a non-positive-definite latent covariance matrix.
    """

    model_text: str
    converged: bool
    reason: str
    n_obs: int = 0
    n_iter: int = -1
    seconds: float = math.nan
    fit: dict[str, float] = field(default_factory=dict)
    estimates: pd.DataFrame = field(default_factory=pd.DataFrame)
    heywood: pd.DataFrame = field(default_factory=pd.DataFrame)
    factors: dict[str, list[str]] = field(default_factory=dict)
    latent_cov: pd.DataFrame = field(default_factory=pd.DataFrame)
    sample_cov: pd.DataFrame = field(default_factory=pd.DataFrame)
    implied_cov: pd.DataFrame = field(default_factory=pd.DataFrame)
    name: str = "model"
    label_values: dict[str, float] = field(default_factory=dict)
    label_vcov: pd.DataFrame = field(default_factory=pd.DataFrame)
    missing: str = "fiml"
    n_patterns: int = 1
    information: str = ""
    estimator: str = "ML"

    @property
    def ok(self) -> bool:
        """Converged and has estimates."""
        return self.converged and len(self.estimates) > 0

    @property
    def heywood_cases(self) -> int:
        return int(len(self.heywood))

    @property
    def negative_variances(self) -> int:
        """Variances below zero or on semopy's zero bound (where a negative estimate shows as 0)."""
        if len(self.heywood) == 0:
            return 0
        return int(self.heywood["problem"].isin(["variance at zero bound", "negative variance"]).sum())

    def loadings(self) -> pd.DataFrame:
        """Standardised loadings (std.all) with delta-method SE, z and p."""
        if len(self.estimates) == 0:
            return pd.DataFrame(columns=["factor", "indicator", "est", "se", "std_all", "std_se", "std_z", "std_p"])
        e = self.estimates[self.estimates["op"] == "=~"]
        out = e.rename(columns={"lhs": "factor", "rhs": "indicator"})
        return out[["factor", "indicator", "est", "se", "z", "p", "std_all", "std_se", "std_z", "std_p"]].reset_index(
            drop=True
        )

    def latent_correlations(self) -> pd.DataFrame:
        """Model-implied correlations of the factors."""
        if self.latent_cov.empty:
            return self.latent_cov
        sd = np.sqrt(np.clip(np.diag(self.latent_cov.to_numpy()), 1e-300, None))
        r = self.latent_cov.to_numpy() / np.outer(sd, sd)
        return pd.DataFrame(r, index=self.latent_cov.index, columns=self.latent_cov.columns)

    def status(self) -> dict[str, Any]:
        """One row for the convergence report."""
        return {
            "model": self.name,
            "n_obs": int(self.n_obs),
            "converged": bool(self.converged),
            "reason": self.reason,
            "n_iter": int(self.n_iter),
            "seconds": float(self.seconds),
            "heywood_cases": self.heywood_cases,
            "negative_variances": self.negative_variances,
            "problems": "; ".join(f"{r.parameter}: {r.problem}" for r in self.heywood.itertuples())
            if len(self.heywood)
            else "",
        }

    def fit_row(self) -> dict[str, Any]:
        """Fit indices with the convergence status (one table row)."""
        row = {"model": self.name, "n_obs": self.n_obs, "missing": self.missing}
        row.update({k: self.fit.get(k, math.nan) for k in FIT_COLUMNS})
        row.update({"converged": self.converged, "reason": self.reason, "heywood_cases": self.heywood_cases})
        return row

    def robust_row(self) -> dict[str, Any]:
        """ML and MLR fit side by side (one table row; NaN where the fit is not MLR or failed)."""
        row = {"model": self.name, "n_obs": self.n_obs, "missing": self.missing, "estimator": self.estimator}
        row.update({k: self.fit.get(k, math.nan) for k in ("chi2", "df", "cfi", "tli", "rmsea", "srmr")})
        row.update({k: self.fit.get(k, math.nan) for k in ROBUST_COLUMNS})
        row.update({"converged": self.converged, "reason": self.reason})
        return row

    def to_frame(self) -> pd.DataFrame:
        """The parameter table."""
        return self.estimates.copy()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "converged": self.converged,
            "reason": self.reason,
            "n_obs": self.n_obs,
            "n_iter": self.n_iter,
            "fit": self.fit,
            "loadings": self.loadings().to_dict(orient="records"),
            "heywood": self.heywood.to_dict(orient="records"),
        }

    def summary(self) -> str:
        lines = [
            f"CFA/SEM {self.name}: {'converged' if self.converged else 'NOT converged'} ({self.reason}); "
            f"N = {self.n_obs} ({self.missing}), iterations = {self.n_iter}, {fmt(self.seconds, 2)} s"
        ]
        if self.fit:
            f = self.fit
            lines.append(
                f"chi2({f['df']}) = {fmt(f['chi2'])}, p = {fmt(f['p'])}, chi2/df = {fmt(f['chi2_df'], 2)}; "
                f"CFI = {fmt(f['cfi'])}, TLI = {fmt(f['tli'])}, NFI = {fmt(f['nfi'])}; "
                f"RMSEA = {fmt(f['rmsea'])} 90% CI [{fmt(f['rmsea_ci_lower'])}, {fmt(f['rmsea_ci_upper'])}]; "
                f"SRMR = {fmt(f['srmr'])}"
            )
            lines.append("(RMSEA with N, its interval and SRMR computed with lavaan's definitions)")
            if "chi2_scaled" in f:
                lines.append(
                    f"MLR: Yuan-Bentler scaled chi2({f['df']}) = {fmt(f['chi2_scaled'])} (scaling factor "
                    f"{fmt(f['scaling_factor'])}), p = {fmt(f['p_scaled'])}; robust CFI = {fmt(f['cfi_robust'])}, "
                    f"TLI = {fmt(f['tli_robust'])}, RMSEA = {fmt(f['rmsea_robust'])} 90% CI "
                    f"[{fmt(f['rmsea_ci_lower_robust'])}, {fmt(f['rmsea_ci_upper_robust'])}]; SEs are robust (sandwich)"
                )
            lines.append("Standardised loadings (std.all, delta-method SE):")
            lines.append(frame_text(self.loadings()))
        if len(self.heywood):
            lines.append("Heywood cases / improper solutions:")
            lines.append(frame_text(self.heywood))
        else:
            lines.append("No Heywood case, no variance on the zero bound.")
        return "\n".join(lines)


def _std_vector(fit: MLFit, x: np.ndarray) -> np.ndarray:
    """lavaan's std.all of every parameter (fixed ones too) at the free vector ``x``."""
    full, _, _, _, _ = implied(fit.model, x, fit.fixed_cov, fit.fixed_mean)
    S = matrices(fit.model, x, fit.fixed_cov, fit.fixed_mean)[1]
    sd = np.sqrt(np.clip(np.diag(full), 1e-300, None))
    rsd = np.sqrt(np.clip(np.abs(np.diag(S)), 1e-300, None))  # (residual) variances of S; |.| as lavaan
    out = np.empty(len(fit.model.params))
    for k, prm in enumerate(fit.model.params):
        val = x[prm.free] if prm.free >= 0 else prm.value
        if prm.kind == "A":
            out[k] = val * sd[prm.col] / sd[prm.row]
        elif prm.kind == "S" and prm.row == prm.col:
            out[k] = val / (sd[prm.row] * sd[prm.col])
        elif prm.kind == "S":  # a (residual) covariance: lavaan's std.all is the residual correlation
            out[k] = val / (rsd[prm.row] * rsd[prm.col])
        else:
            out[k] = val / sd[prm.row]
    return out


def _parameter_table(fit: MLFit, std_se: bool) -> pd.DataFrame:
    """lavaan-style parameter table (lhs, op, rhs, label, est, se, z, p, std_all, std_se, std_z, std_p, free)."""
    x = fit.x
    se_free = np.sqrt(np.clip(np.diag(fit.vcov), 0, None))
    std = _std_vector(fit, x)
    std_se_v = np.full(len(std), math.nan)
    if std_se and np.all(np.isfinite(fit.vcov)):
        jac = np.zeros((len(std), len(x)))
        for i in range(len(x)):
            h = 1e-6 * max(1.0, abs(x[i]))
            xp, xm = x.copy(), x.copy()
            xp[i] += h
            xm[i] -= h
            jac[:, i] = (_std_vector(fit, xp) - _std_vector(fit, xm)) / (2 * h)
        std_se_v = np.sqrt(np.clip(np.einsum("ij,jk,ik->i", jac, fit.vcov, jac), 0, None))
    rows = []
    for k, prm in enumerate(fit.model.params):
        free = prm.free >= 0
        est = float(x[prm.free]) if free else float(prm.value)
        se = float(se_free[prm.free]) if free else math.nan
        z = est / se if free and se > 0 else math.nan
        sse = float(std_se_v[k]) if np.isfinite(std_se_v[k]) and std_se_v[k] > 1e-8 else math.nan
        sz = std[k] / sse if np.isfinite(sse) else math.nan
        rows.append(
            {
                "lhs": prm.lhs,
                "op": prm.op,
                "rhs": prm.rhs,
                "label": prm.label,
                "est": est,
                "se": se,
                "z": z,
                "p": float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else math.nan,
                "std_all": float(std[k]),
                "std_se": sse,
                "std_z": sz,
                "std_p": float(2 * stats.norm.sf(abs(sz))) if np.isfinite(sz) else math.nan,
                "free": free,
            }
        )
    return pd.DataFrame(rows)


def _fit_job(
    values: np.ndarray,
    columns: list[str],
    model_text: str,
    missing: str,
    max_iter: int,
    std_se: bool,
    estimator: str = "ML",
) -> dict[str, Any]:
    """One fit; runs in the worker process with one BLAS thread; returns plain data.

    With ``estimator="MLR"`` the covariance of the estimates is the sandwich of
    :func:`nero.sem.robust.robust_ml` (so every SE, z, p and standardised SE is robust)."""
    with single_thread():
        fit = fit_ml(pd.DataFrame(values, columns=columns), model_text, missing=missing, max_iter=max_iter)
        robust = None
        if estimator == "MLR" and fit.success:
            robust = robust_ml(fit, fit.values)
            fit.vcov = robust.vcov
            fit.information = "sandwich (observed information, first-order meat)"
        return {"fit": fit, "table": _parameter_table(fit, std_se), "robust": robust}


def _problems(table: pd.DataFrame, latent_cov: pd.DataFrame, bound_tol: float = 1e-6) -> pd.DataFrame:
    rows = []
    if len(table):
        var = table[(table["op"] == "~~") & (table["lhs"] == table["rhs"]) & table["free"]]
        for r in var.itertuples():
            if r.est < -bound_tol:
                rows.append({"parameter": f"{r.lhs} ~~ {r.rhs}", "value": r.est, "problem": "negative variance"})
            elif r.est <= bound_tol:
                rows.append({"parameter": f"{r.lhs} ~~ {r.rhs}", "value": r.est, "problem": "variance at zero bound"})
        lo = table[table["op"].isin(["=~", "~~"]) & (table["lhs"] != table["rhs"])]
        for r in lo.itertuples():
            if np.isfinite(r.std_all) and abs(r.std_all) >= 1.0 - 1e-9:
                kind = "standardised loading >= 1" if r.op == "=~" else "standardised covariance >= 1"
                rows.append({"parameter": f"{r.lhs} {r.op} {r.rhs}", "value": r.std_all, "problem": kind})
    if not latent_cov.empty:
        eig = np.linalg.eigvalsh(latent_cov.to_numpy())
        # not positive definite: the smallest eigenvalue is negative or zero up to rounding
        # (nero.tolerances.ZERO_TOL relative to the largest)
        if eig.min() <= 0 or is_zero(eig.min(), eig.max()):
            rows.append(
                {"parameter": "latent covariance matrix", "value": float(eig.min()), "problem": "not positive definite"}
            )
    return pd.DataFrame(rows, columns=["parameter", "value", "problem"])


def _latent_cov(table: pd.DataFrame, latent: Sequence[str]) -> pd.DataFrame:
    """Factor covariance matrix of exogenous factors from the parameter table (CFA)."""
    names = [n for n in latent if ((table["op"] == "~~") & (table["lhs"] == n) & (table["rhs"] == n)).any()]
    mat = pd.DataFrame(0.0, index=names, columns=names)
    for r in table[(table["op"] == "~~")].itertuples():
        if r.lhs in names and r.rhs in names:
            mat.loc[r.lhs, r.rhs] = r.est
            mat.loc[r.rhs, r.lhs] = r.est
    return mat


def fit_cfa(
    data: pd.DataFrame,
    model_text: str,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_iter: int = DEFAULT_MAX_ITER,
    tol: float = DEFAULT_TOL,
    std_se: bool = True,
    name: str = "model",
    labels: Sequence[str] = (),
    missing: str = "fiml",
    estimator: str = "ML",
) -> CFAResult:
    """Fit a CFA/SEM (lavaan syntax) by ML, never longer than ``time_limit``.

    Parameters
    ----------
    data : DataFrame
        Raw data; the observed variables of the model must be numeric columns.
    model_text : str
        Model in lavaan syntax (``=~``, ``~``, ``~~``, fixed values ``1*x``, labels ``a*x``).
    time_limit : float or None
        Seconds before the worker process is killed (None: fit in this process).
    max_iter : int
        Iteration limit of the optimiser (Fisher scoring, then L-BFGS-B if it stalls).
    tol : float
        Kept for compatibility; convergence is a largest absolute gradient below 1e-10.
    std_se : bool
        Compute delta-method standard errors of the standardised estimates.
    name : str
        Label used in reports.
    labels : sequence of str
        Parameter labels of the model (``M ~ a*X``) whose values and covariance
        matrix are returned in ``label_values`` and ``label_vcov``.
    missing : {'fiml', 'listwise'}
        Full-information ML over every usable row (lavaan ``missing = "ml"``; observed
        information) or complete rows only (expected information).
    estimator : {'ML', 'MLR'}
        'MLR' (lavaan's ``estimator = "MLR"``): the same estimates with Huber-White
        standard errors, the Yuan-Bentler scaled chi-square and robust CFI/TLI/RMSEA
        (:mod:`nero.sem.robust`; ``fit`` gains the keys of ``ROBUST_COLUMNS``).

    Returns
    -------
    CFAResult
        ``converged`` False with ``reason`` when the fit hit a limit or failed.
    """
    if missing not in MISSING:
        raise SemInputError(f"missing must be one of {MISSING}, not {missing!r}")
    if estimator not in ESTIMATORS:
        raise SemInputError(f"estimator must be one of {ESTIMATORS}, not {estimator!r}")
    factors, frame, usable = _model_frame(data, model_text, missing)
    status, payload, seconds = run_with_time_limit(
        _fit_job,
        (frame.to_numpy(), list(frame.columns), model_text, missing, max_iter, std_se, estimator),
        time_limit=time_limit,
    )
    if status != "ok":
        reason = (
            "time limit"
            if status == "time limit"
            else "error: " + (str(payload).splitlines()[0] if payload else "unknown error")
        )
        return CFAResult(
            model_text,
            False,
            reason,
            n_obs=usable,
            seconds=seconds,
            factors=factors,
            name=name,
            missing=missing,
            estimator=estimator,
        )
    res = _result(payload["fit"], payload["table"], model_text, factors, labels, name, missing, seconds)
    res.estimator = estimator
    if payload["robust"] is not None:
        res.fit.update(payload["robust"].to_dict())
    return res


def _model_frame(data: pd.DataFrame, model_text: str, missing: str) -> tuple[dict, pd.DataFrame, int]:
    """The model's factors, its observed columns as float, and the number of usable rows (checked)."""
    check_syntax(model_text)  # refuses unsupported lavaan syntax before any fit (line, token, what is supported)
    factors = parse_measurement(model_text)
    if not factors and "~" not in model_text:
        raise SemInputError("model: no '=~' or '~' statement found")
    latent = set(factors)
    observed = [c for c in observed_variables(model_text, list(data.columns)) if c not in latent]
    indicators = {i for items in factors.values() for i in items if i not in latent}
    absent = sorted(i for i in indicators if i not in data.columns)
    if absent:
        raise SemInputError(f"data: missing column(s) {', '.join(map(repr, absent))} named in the model")
    frame = _numeric(data, observed)
    usable = int(frame.notna().all(axis=1).sum()) if missing == "listwise" else int(frame.notna().any(axis=1).sum())
    need = max(10, len(observed) + 2)
    if usable < need:
        raise SemInputError(
            f"data: need at least {need} usable rows for the {len(observed)} observed variables of "
            f"the model ({missing}); found {usable}"
        )
    return factors, frame, usable


def _result(
    fit,
    table: pd.DataFrame,
    model_text: str,
    factors: dict,
    labels: Sequence[str],
    name: str,
    missing: str,
    seconds: float,
) -> CFAResult:
    """A finished fit as a :class:`CFAResult`: fit indices, problems and the labelled parameters."""
    with_means = missing == "fiml" and fit.n_patterns > 1
    s_value = srmr(fit.h1_cov, fit.sigma, fit.h1_mean if with_means else None, fit.mu if with_means else None)
    indices = fit_indices(fit.chi2, fit.df, fit.n_obs, fit.baseline, s_value)
    latent_cov = _latent_cov(table, fit.model.latent)
    problems = _problems(table, latent_cov)
    reason = "converged" if fit.success else f"iteration limit or optimiser failure: {fit.message}"
    if not np.all(np.isfinite(fit.vcov)):
        reason += " (information matrix singular: standard errors unreliable)"
    if fit.df < 0:
        reason += f" (df = {fit.df} < 0: the model is not identified; estimates and standard errors are arbitrary)"
    obs = fit.model.observed
    pos = {lab: fit.model.labels[lab] for lab in labels if lab in fit.model.labels}
    unknown = [lab for lab in labels if lab not in pos]
    if unknown:
        raise SemInputError(f"model: label(s) {unknown} not in the model")
    idx = [pos[lab] for lab in labels]
    return CFAResult(
        model_text=model_text,
        converged=fit.success,
        reason=reason,
        n_obs=fit.n_obs,
        n_iter=fit.n_iter,
        seconds=seconds,
        fit=indices,
        estimates=table,
        heywood=problems,
        factors=factors,
        latent_cov=latent_cov,
        sample_cov=pd.DataFrame(fit.h1_cov, index=obs, columns=obs),
        implied_cov=pd.DataFrame(fit.sigma, index=obs, columns=obs),
        name=name,
        label_values={lab: float(fit.x[pos[lab]]) for lab in labels},
        label_vcov=pd.DataFrame(fit.vcov[np.ix_(idx, idx)], index=list(labels), columns=list(labels))
        if labels
        else pd.DataFrame(),
        missing=missing,
        n_patterns=fit.n_patterns,
        information=fit.information,
    )


def _numeric(data: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The model's columns as float (missing values kept), with a clear error for text."""
    out = {}
    for col in columns:
        series = data[col]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype(float)
        converted = pd.to_numeric(series, errors="coerce")
        bad = series[converted.isna() & series.notna()]
        if len(bad):
            raise SemInputError(
                f"data: column {col!r} must be numeric; found non-numeric value {bad.iloc[0]!r} in row {bad.index[0]!r}"
            )
        if converted.notna().sum() < 3 or np.nanstd(converted.to_numpy(float)) == 0:
            raise SemInputError(f"data: column {col!r} is constant or empty; a varying numeric column is expected")
        out[col] = converted.astype(float)
    return pd.DataFrame(out, index=data.index)
