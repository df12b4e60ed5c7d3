"""Confirmatory factor analysis with semopy under an iteration and a time limit.

:func:`fit_cfa` fits a model written in lavaan syntax by maximum likelihood with
semopy (``obj='MLW'``, tolerance 1e-12, which is what makes semopy agree with lavaan),
inside a worker process that is killed at the time limit, so a fit that does not
finish is reported as ``converged=False, reason='time limit'`` instead of hanging the
pipeline. Fit indices follow lavaan's definitions (:mod:`nero.sem.fitindices`).
Standardised estimates are semopy's ("std.all"); their standard errors are computed
here by the delta method (lavaan's ``standardizedSolution``): the Jacobian of the
standardised estimates with respect to the free parameters (central differences) and
the inverse expected information.

:func:`cfa_model_from_codebook` writes the measurement model of the survey constructs
with a marker loading fixed to 1 on every factor (semopy loops forever computing start
values for a factor without a fixed loading).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._common import SemInputError, fmt, frame_text, numeric_frame, run_with_time_limit
from .fitindices import FIT_COLUMNS, baseline_chi2, fit_indices, ml_discrepancy, srmr

#: Default limits of every semopy fit.
DEFAULT_TIME_LIMIT = 120.0
DEFAULT_MAX_ITER = 10000
DEFAULT_TOL = 1e-12

# ----------------------------------------------------------------------------- model text


def codebook_constructs(codebook: Mapping[str, Any], include_marker: bool = False) -> dict[str, list[str]]:
    """Construct -> item list from a codebook dict (``constructs: {NAME: {items: [...]}}``)."""
    try:
        constructs = codebook["constructs"]
    except (KeyError, TypeError) as exc:
        raise SemInputError("codebook: a 'constructs' mapping is expected") from exc
    out = {}
    for name, spec in constructs.items():
        if spec.get("marker") and not include_marker:
            continue
        items = list(spec.get("items", []))
        if not items:
            raise SemInputError(f"codebook: construct {name!r} has no items")
        out[str(name)] = [str(i) for i in items]
    return out


def marker_construct(codebook: Mapping[str, Any]) -> str | None:
    """Name of the construct flagged ``marker: true`` in the codebook (None if none)."""
    for name, spec in codebook.get("constructs", {}).items():
        if spec.get("marker"):
            return str(name)
    return None


def measurement_syntax(
    factors: Mapping[str, Sequence[str]],
    second_order: Mapping[str, Sequence[str]] | None = None,
    method_factor: str | None = None,
    method_loadings: str = "equal",
    header: str | None = None,
) -> str:
    """lavaan-syntax measurement model: one line per factor, first loading fixed to 1.

    ``second_order`` maps a higher-order factor to its first-order factors (with two
    first-order factors both loadings are fixed to 1, the usual equality constraint
    that identifies a two-indicator second-order factor). ``method_factor`` adds a
    common latent (method) factor on every item, uncorrelated with the traits, with
    all loadings fixed to 1 and a free variance (``method_loadings='equal'``: the
    equal-loadings CLF of Podsakoff et al. 2003, one parameter) or with a marker
    loading and free others (``'free'``).
    """
    lines = [f"# {line}" for line in (header or "").splitlines() if line.strip()]
    for name, items in factors.items():
        if not items:
            raise SemInputError(f"model: factor {name!r} has no indicators")
        lines.append(f"{name} =~ " + " + ".join([f"1*{items[0]}", *items[1:]]))
    for name, subs in (second_order or {}).items():
        subs = list(subs)
        if len(subs) < 2:
            raise SemInputError(f"second_order: factor {name!r} needs at least two first-order factors")
        unknown = [s for s in subs if s not in factors]
        if unknown:
            raise SemInputError(f"second_order: {name!r} refers to unknown factor(s) {unknown}")
        if len(subs) == 2:
            lines.append(f"# two first-order factors: both second-order loadings fixed to 1 (identification)")
            lines.append(f"{name} =~ 1*{subs[0]} + 1*{subs[1]}")
        else:
            lines.append(f"{name} =~ " + " + ".join([f"1*{subs[0]}", *subs[1:]]))
    if method_factor:
        all_items = [i for items in factors.values() for i in items]
        if method_loadings == "equal":
            lines.append(f"# common latent factor: equal (unit) loadings, free variance, orthogonal to the traits")
            lines.append(f"{method_factor} =~ " + " + ".join(f"1*{i}" for i in all_items))
        elif method_loadings == "free":
            lines.append(f"# common latent factor: free loadings (marker = first item), orthogonal to the traits")
            lines.append(f"{method_factor} =~ " + " + ".join([f"1*{all_items[0]}", *all_items[1:]]))
        else:
            raise SemInputError("method_loadings must be 'equal' or 'free'")
        top = [n for n in factors if not any(n in s for s in (second_order or {}).values())]
        top += list((second_order or {}).keys())
        for name in top:
            lines.append(f"{method_factor} ~~ 0*{name}")
    return "\n".join(lines) + "\n"


def cfa_model_from_codebook(
    codebook: Mapping[str, Any],
    constructs: Sequence[str] | None = None,
    second_order: Mapping[str, Sequence[str]] | None = None,
    include_marker: bool = False,
) -> str:
    """CFA model (lavaan syntax) of the codebook's constructs.

    Parameters
    ----------
    codebook : mapping
        The parsed ``config/codebook.yaml`` (``constructs: {NAME: {items: [...]}}``).
    constructs : sequence of str, optional
        Constructs to include (default: every construct not flagged ``marker: true``).
    second_order : mapping, optional
        Higher-order factor -> first-order constructs, e.g. ``{"NETAMB": ["INST", "VIRT"]}``.
    include_marker : bool
        Also include the marker construct (when ``constructs`` is not given).

    Returns
    -------
    str
        One ``F =~ 1*item1 + item2 + ...`` line per factor; every factor is identified
        by its first loading fixed to 1.
    """
    available = codebook_constructs(codebook, include_marker=True)
    if constructs is None:
        chosen = codebook_constructs(codebook, include_marker=include_marker)
    else:
        unknown = [c for c in constructs if c not in available]
        if unknown:
            raise SemInputError(f"codebook: unknown construct(s) {unknown}; known: {list(available)}")
        chosen = {c: available[c] for c in constructs}
    header = (
        "CFA model generated by nero.sem from the codebook (lavaan syntax).\n"
        "Every factor is identified by a marker loading fixed to 1."
    )
    return measurement_syntax(chosen, second_order=second_order, header=header)


_LOAD_RE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=~\s*(.+)$")


def parse_measurement(model_text: str) -> dict[str, list[str]]:
    """Factor -> indicators of every ``=~`` line of a lavaan/semopy model (labels and
    fixed values such as ``1*x1`` or ``a*x1`` are stripped)."""
    factors: dict[str, list[str]] = {}
    for raw in model_text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LOAD_RE.match(line)
        if not match:
            continue
        name, rhs = match.group(1), match.group(2)
        items = []
        for term in rhs.split("+"):
            term = term.strip()
            if "*" in term:
                term = term.split("*")[-1].strip()
            if term:
                items.append(term)
        factors.setdefault(name, []).extend(items)
    return factors


def observed_variables(model_text: str, columns: Sequence[str]) -> list[str]:
    """Names in ``model_text`` that are columns of the data, in data order."""
    tokens = set(re.findall(r"[A-Za-z_][\w.]*", "\n".join(l.split("#", 1)[0] for l in model_text.splitlines())))
    return [c for c in columns if c in tokens]


# ----------------------------------------------------------------------------- worker


def _std_vector(model, x: np.ndarray) -> np.ndarray:
    from semopy.inspector import inspect_list

    model.param_vals = x
    model.update_matrices(x)
    return inspect_list(model, information=None, std_est=True)["Est. Std"].to_numpy(dtype=float)


def _to_float(col: pd.Series) -> np.ndarray:
    return pd.to_numeric(col.replace("-", np.nan), errors="coerce").to_numpy(dtype=float)


def _cfa_job(values: np.ndarray, columns: list[str], model_text: str, max_iter: int, tol: float,
             std_se: bool, labels: Sequence[str] = ()) -> dict[str, Any]:
    """Fit one model in semopy; runs in the worker process; returns plain data."""
    import warnings

    import semopy
    from semopy.inspector import inspect_list

    data = pd.DataFrame(values, columns=columns)
    model = semopy.Model(model_text)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(data, obj="MLW", solver="SLSQP", tol=tol, options={"maxiter": int(max_iter)})
    seconds = time.perf_counter() - t0
    x = np.array(model.param_vals, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = inspect_list(model, information="expected", std_est=True)
    out: dict[str, Any] = {
        "success": bool(res.success),
        "n_iter": int(res.n_it) if res.n_it == res.n_it else -1,
        "message": str(res.message),
        "seconds": seconds,
        "n_obs": int(model.n_samples),
        "observed": list(model.vars["observed"]),
        "latent": sorted(model.vars["latent"]),
        "sample_cov": np.array(model.mx_cov, dtype=float),
        "implied_cov": np.array(model.calc_sigma()[0], dtype=float),
        "n_free": int(len(x)),
        "lval": est["lval"].astype(str).tolist(),
        "op": est["op"].astype(str).tolist(),
        "rval": est["rval"].astype(str).tolist(),
        "estimate": est["Estimate"].to_numpy(dtype=float),
        "std": est["Est. Std"].to_numpy(dtype=float),
        "se": _to_float(est["Std. Err"]),
        "free": (est["Std. Err"].astype(str) != "-").tolist(),
        "fim_singular": bool(getattr(model, "_fim_warn", False)),
        "std_se": None,
    }
    if labels:
        active = [k for k, par in model.parameters.items() if par.active]
        pos = [active.index(lab) for lab in labels]
        try:
            _, vcov_all = model.calc_fim(inverse=True)
            out["label_vcov"] = np.asarray(vcov_all)[np.ix_(pos, pos)]
        except Exception:  # noqa: BLE001 - singular information
            out["label_vcov"] = np.full((len(pos), len(pos)), np.nan)
        out["label_values"] = x[pos]
    if std_se:
        try:
            _, vcov = model.calc_fim(inverse=True)
            k = len(x)
            rows = len(out["std"])
            jac = np.zeros((rows, k))
            for i in range(k):
                h = 1e-6 * max(1.0, abs(x[i]))
                xp, xm = x.copy(), x.copy()
                xp[i] += h
                xm[i] -= h
                jac[:, i] = (_std_vector(model, xp) - _std_vector(model, xm)) / (2 * h)
            _std_vector(model, x)
            cov = jac @ vcov @ jac.T
            out["std_se"] = np.sqrt(np.clip(np.diag(cov), 0, None))
        except Exception:  # noqa: BLE001 - singular information: no standardised SEs
            out["std_se"] = None
    return out


# ----------------------------------------------------------------------------- result


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
    estimates : DataFrame
        lavaan-style parameter table: lhs, op, rhs, est, se, z, p, std_all, std_se,
        std_z, std_p, free.
    heywood : DataFrame
        Problems found: variances on the zero bound (semopy bounds variances, so a
        negative variance shows as 0), standardised loadings or factor correlations
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
            "converged": bool(self.converged),
            "reason": self.reason,
            "n_iter": int(self.n_iter),
            "seconds": float(self.seconds),
            "heywood_cases": self.heywood_cases,
            "negative_variances": self.negative_variances,
            "problems": "; ".join(f"{r.parameter}: {r.problem}" for r in self.heywood.itertuples()) if len(self.heywood) else "",
        }

    def fit_row(self) -> dict[str, Any]:
        """Fit indices with the convergence status (one table row)."""
        row = {"model": self.name, "n_obs": self.n_obs}
        row.update({k: self.fit.get(k, math.nan) for k in FIT_COLUMNS})
        row.update({"converged": self.converged, "reason": self.reason, "heywood_cases": self.heywood_cases})
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
        lines = [f"CFA/SEM {self.name}: {'converged' if self.converged else 'NOT converged'} ({self.reason}); "
                 f"N = {self.n_obs}, iterations = {self.n_iter}, {fmt(self.seconds, 2)} s"]
        if self.fit:
            f = self.fit
            lines.append(
                f"chi2({f['df']}) = {fmt(f['chi2'])}, p = {fmt(f['p'])}, chi2/df = {fmt(f['chi2_df'], 2)}; "
                f"CFI = {fmt(f['cfi'])}, TLI = {fmt(f['tli'])}, NFI = {fmt(f['nfi'])}; "
                f"RMSEA = {fmt(f['rmsea'])} 90% CI [{fmt(f['rmsea_ci_lower'])}, {fmt(f['rmsea_ci_upper'])}]; "
                f"SRMR = {fmt(f['srmr'])}"
            )
            lines.append("(RMSEA with N, its interval and SRMR computed with lavaan's definitions, not semopy's)")
            lines.append("Standardised loadings (std.all, delta-method SE):")
            lines.append(frame_text(self.loadings()))
        if len(self.heywood):
            lines.append("Heywood cases / improper solutions:")
            lines.append(frame_text(self.heywood))
        else:
            lines.append("No Heywood case, no variance on the zero bound.")
        return "\n".join(lines)


def _lavaan_table(raw: dict[str, Any], factors: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    loading_pairs = {(item, f) for f, items in factors.items() for item in items}
    rows = []
    std_se = raw["std_se"]
    for i, (l, op, r) in enumerate(zip(raw["lval"], raw["op"], raw["rval"])):
        if op == "~" and (l, r) in loading_pairs:
            lhs, op2, rhs = r, "=~", l
        else:
            lhs, op2, rhs = l, op, r
        se = raw["se"][i]
        est = raw["estimate"][i]
        z = est / se if se and np.isfinite(se) and se > 0 else math.nan
        sse = std_se[i] if std_se is not None else math.nan
        free = bool(raw["free"][i])
        if not (np.isfinite(sse) and sse > 1e-8):
            sse = math.nan  # a standardised value fixed by the scaling (e.g. a factor variance of 1)
        sz = raw["std"][i] / sse if np.isfinite(sse) and sse > 0 else math.nan
        rows.append({
            "lhs": lhs, "op": op2, "rhs": rhs, "est": est, "se": se, "z": z,
            "p": 2 * stats.norm.sf(abs(z)) if np.isfinite(z) else math.nan,
            "std_all": raw["std"][i], "std_se": sse, "std_z": sz,
            "std_p": 2 * stats.norm.sf(abs(sz)) if np.isfinite(sz) else math.nan,
            "free": free,
        })
    return pd.DataFrame(rows)


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
        if eig.min() <= 0:
            rows.append({"parameter": "latent covariance matrix", "value": float(eig.min()),
                         "problem": "not positive definite"})
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
) -> CFAResult:
    """Fit a CFA/SEM (lavaan syntax) by ML with semopy, never longer than ``time_limit``.

    Parameters
    ----------
    data : DataFrame
        Raw data; the observed variables of the model must be numeric columns.
        Incomplete rows are dropped (listwise).
    model_text : str
        Model in lavaan syntax (``=~``, ``~``, ``~~``, fixed values ``1*x``).
    time_limit : float or None
        Seconds before the worker process is killed (None: fit in this process).
    max_iter : int
        Iteration limit of the SLSQP optimiser.
    tol : float
        Optimiser tolerance (1e-12 reproduces lavaan's estimates).
    std_se : bool
        Compute delta-method standard errors of the standardised estimates.
    name : str
        Label used in reports.
    labels : sequence of str
        Parameter labels of the model (``M ~ a*X``) whose values and covariance
        matrix (inverse expected information) are returned in ``label_values`` and
        ``label_vcov``.

    Returns
    -------
    CFAResult
        ``converged`` False with ``reason`` when the fit hit a limit or failed.
    """
    factors = parse_measurement(model_text)
    if not factors and "~" not in model_text:
        raise SemInputError("model: no '=~' or '~' statement found")
    observed = observed_variables(model_text, list(data.columns))
    latent = set(factors)
    indicators = {i for items in factors.values() for i in items if i not in latent}
    missing = sorted(i for i in indicators if i not in data.columns)
    if missing:
        raise SemInputError(f"data: missing column(s) {', '.join(map(repr, missing))} named in the model")
    frame = numeric_frame(data, observed, what="data", min_rows=max(10, len(observed) + 2))
    status, payload, seconds = run_with_time_limit(
        _cfa_job, (frame.to_numpy(), list(frame.columns), model_text, max_iter, tol, std_se, tuple(labels)),
        time_limit=time_limit,
    )
    if status == "time limit":
        return CFAResult(model_text, False, "time limit", n_obs=len(frame), seconds=seconds, factors=factors, name=name)
    if status == "error":
        first = str(payload).splitlines()[0] if payload else "unknown error"
        return CFAResult(model_text, False, f"error: {first}", n_obs=len(frame), seconds=seconds, factors=factors,
                         name=name)
    raw = payload
    table = _lavaan_table(raw, factors)
    S, Sigma = raw["sample_cov"], raw["implied_cov"]
    n = raw["n_obs"]
    p = S.shape[0]
    chi2 = n * ml_discrepancy(S, Sigma)
    df = p * (p + 1) // 2 - raw["n_free"]
    fit = fit_indices(chi2, df, n, baseline_chi2(S, n), srmr(S, Sigma))
    latent_cov = _latent_cov(table, raw["latent"])
    problems = _problems(table, latent_cov)
    converged = raw["success"]
    if converged:
        reason = "converged"
    else:
        reason = f"iteration limit or optimiser failure: {raw['message']}"
    if raw["fim_singular"]:
        reason += " (information matrix singular: standard errors unreliable)"
    obs = raw["observed"]
    return CFAResult(
        model_text=model_text,
        converged=converged,
        reason=reason,
        n_obs=n,
        n_iter=raw["n_iter"],
        seconds=seconds,
        fit=fit,
        estimates=table,
        heywood=problems,
        factors=factors,
        latent_cov=latent_cov,
        sample_cov=pd.DataFrame(S, index=obs, columns=obs),
        implied_cov=pd.DataFrame(Sigma, index=obs, columns=obs),
        name=name,
        label_values={k: float(v) for k, v in zip(labels, raw.get("label_values", []))},
        label_vcov=pd.DataFrame(raw["label_vcov"], index=list(labels), columns=list(labels))
        if labels else pd.DataFrame(),
    )
