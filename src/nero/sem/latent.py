"""The mediation X -> M -> Y as a latent SEM (a further robustness check), fitted by
:func:`nero.sem.cfa.fit_cfa` with lavaan's fixed.x convention for X and the controls.

M and Y are latent factors measured by their items (marker loadings fixed to 1); X and
the controls are observed. The indirect effect a*b gets a delta-method (Sobel-type)
SE that uses the covariance of a and b from the engine's inverse information:
Var(ab) = b^2 Var(a) + a^2 Var(b) + 2ab Cov(a, b). The standardised indirect effect is
the product of the standardised (std.all) a and b. An optional case-resampling
bootstrap refits the model with the same engine, rows, estimator and limits on every
resample, spread over worker processes with progress output (ML fits cannot be
vectorised like the OLS bootstrap).
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._common import SemInputError, fmt, frame_text, numeric_frame
from .bootstrap import summarise_draws
from .cfa import DEFAULT_MAX_ITER, DEFAULT_TIME_LIMIT, CFAResult, fit_cfa


def latent_mediation_syntax(
    x: str,
    m_items: Sequence[str],
    y_items: Sequence[str],
    covariates: Sequence[str] = (),
    m_name: str = "M",
    y_name: str = "Y",
) -> str:
    """lavaan syntax of the latent mediation model with labelled paths a, b, c."""
    cov = "".join(f" + {c}" for c in covariates)
    return (
        "# latent mediation (nero.sem): M and Y latent, X and controls observed\n"
        f"{m_name} =~ " + " + ".join([f"1*{m_items[0]}", *m_items[1:]]) + "\n"
        f"{y_name} =~ " + " + ".join([f"1*{y_items[0]}", *y_items[1:]]) + "\n"
        f"{m_name} ~ a*{x}{cov}\n"
        f"{y_name} ~ b*{m_name} + c*{x}{cov}\n"
    )


@dataclass
class LatentMediationResult:
    """Latent mediation fit and its effects table."""

    fit: CFAResult
    effects: pd.DataFrame
    boot_draws: np.ndarray | None = None
    boot_failed: int = 0

    def to_frame(self) -> pd.DataFrame:
        return self.effects.copy()

    def summary(self) -> str:
        f = self.fit
        head = f"Latent mediation (ML engine): {'converged' if f.converged else 'NOT converged'} ({f.reason})"
        if f.fit:
            head += (
                f"; chi2({f.fit['df']}) = {fmt(f.fit['chi2'])}, CFI = {fmt(f.fit['cfi'])}, "
                f"RMSEA = {fmt(f.fit['rmsea'])}, SRMR = {fmt(f.fit['srmr'])}"
            )
        return head + "\n" + frame_text(self.effects)


def _boot_chunk(values, columns, model_text, index_sets, max_iter, missing, time_limit):  # pragma: no cover - workers
    """a*b of the engine's refit on each resample (NaN when a refit fails or passes the time limit)."""
    from ._common import single_thread
    from .ml import fit_ml

    out = []
    with single_thread():
        for idx in index_sets:
            data = pd.DataFrame(values[idx], columns=columns)
            try:
                fit = fit_ml(
                    data, model_text, missing=missing, max_iter=max_iter, information="none", time_limit=time_limit
                )
            except Exception:  # noqa: BLE001 - a resample the engine cannot fit counts as failed
                out.append(math.nan)
                continue
            if not fit.success:
                out.append(math.nan)
                continue
            labels = fit.model.labels
            out.append(float(fit.x[labels["a"]] * fit.x[labels["b"]]))
    return out


def latent_bootstrap(
    data: pd.DataFrame,
    model_text: str,
    columns: Sequence[str],
    n_boot: int,
    seed: int = 1,
    n_jobs: int | None = None,
    max_iter: int = DEFAULT_MAX_ITER,
    progress: bool = True,
    chunk: int = 25,
    missing: str = "fiml",
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> tuple[np.ndarray, int]:
    """Bootstrap draws of a*b of a model labelled ``a`` and ``b``, refitted by the engine in ``n_jobs`` processes.

    Every resample is refitted exactly as the estimate: :func:`nero.sem.ml.fit_ml` with the
    same ``missing`` (FIML over the same rows, or complete rows), iteration limit and time
    limit per fit (a refit past it counts as failed). Resample indices are drawn up front
    from ``default_rng(seed)``, so the draws do not depend on the scheduling. Progress goes
    to stderr. Returns (draws, n_failed).
    """
    frame = numeric_frame(data, list(columns), what="data", dropna=False)
    values = frame.to_numpy()
    n = len(values)
    rng = np.random.default_rng(seed)
    sets = [rng.integers(0, n, size=n) for _ in range(n_boot)]
    jobs = [sets[i : i + chunk] for i in range(0, n_boot, chunk)]
    n_jobs = n_jobs or os.cpu_count() or 1
    draws: list[list[float]] = [None] * len(jobs)  # type: ignore[list-item]
    done = 0
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=n_jobs) as pool:
        futures = {
            pool.submit(_boot_chunk, values, list(frame.columns), model_text, job, max_iter, missing, time_limit): i
            for i, job in enumerate(jobs)
        }
        for fut in as_completed(futures):
            draws[futures[fut]] = fut.result()
            done += len(jobs[futures[fut]])
            if progress:
                print(
                    f"latent bootstrap: {done}/{n_boot} draws, {time.perf_counter() - start:.1f} s, {n_jobs} workers",
                    file=sys.stderr,
                    flush=True,
                )
    flat = np.array([v for part in draws for v in part], float)
    return flat, int(np.sum(~np.isfinite(flat)))


def latent_mediation(
    data: pd.DataFrame,
    x: str,
    m_items: Sequence[str],
    y_items: Sequence[str],
    covariates: Sequence[str] = (),
    m_name: str = "M",
    y_name: str = "Y",
    n_boot: int = 0,
    seed: int = 1,
    conf: float = 0.95,
    n_jobs: int | None = None,
    progress: bool = False,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_iter: int = DEFAULT_MAX_ITER,
    missing: str = "fiml",
    estimator: str = "ML",
) -> LatentMediationResult:
    """Fit X -> M -> Y with latent M and Y (the engine, :func:`nero.sem.cfa.fit_cfa`); a, b, c' and a*b with
    delta-method SEs.

    Parameters
    ----------
    data : DataFrame
    x : str
        Observed predictor column.
    m_items, y_items : sequence of str
        Items of the latent mediator and outcome.
    covariates : sequence of str
        Observed controls (numeric; dummy-code categorical ones) in both equations.
    n_boot : int
        Bootstrap refits of the latent model (0: none); run in ``n_jobs`` processes by the
        same engine, on the same rows, with the same ``missing``, iteration and time limits.
    missing : {'fiml', 'listwise'}
        FIML over every row with X and the covariates observed (lavaan's ``fixed.x``),
        or complete rows only.
    estimator : {'ML', 'MLR'}
        'MLR': robust (sandwich) SEs of a, b, c' and of a*b (delta method with the robust
        covariance), and the robust fit measures (:mod:`nero.sem.robust`).
    """
    if len(m_items) < 2 or len(y_items) < 2:
        raise SemInputError("latent_mediation: the mediator and the outcome need at least two items each")
    text = latent_mediation_syntax(x, m_items, y_items, covariates, m_name, y_name)
    cols = [x, *m_items, *y_items, *covariates]
    frame = numeric_frame(data, cols, what="data", min_rows=len(cols) + 10, dropna=missing == "listwise")
    fit = fit_cfa(
        frame,
        text,
        time_limit=time_limit,
        max_iter=max_iter,
        std_se=True,
        name="latent mediation",
        labels=("a", "b", "c"),
        missing=missing,
        estimator=estimator,
    )
    rows = []
    draws, failed = None, 0
    if fit.ok and fit.label_values:
        a, b, c = (fit.label_values[k] for k in ("a", "b", "c"))
        V = fit.label_vcov.to_numpy()
        est = fit.estimates

        def std_of(lhs, rhs):
            r = est[(est["lhs"] == lhs) & (est["op"] == "~") & (est["rhs"] == rhs)]
            return (float(r["std_all"].iloc[0]), float(r["std_se"].iloc[0])) if len(r) else (math.nan, math.nan)

        z = stats.norm.ppf((1 + conf) / 2)
        for label, value, se, (sv, sse) in (
            ("a", a, math.sqrt(V[0, 0]), std_of(m_name, x)),
            ("b", b, math.sqrt(V[1, 1]), std_of(y_name, m_name)),
            ("c' (direct)", c, math.sqrt(V[2, 2]), std_of(y_name, x)),
        ):
            zz = value / se
            rows.append(
                {
                    "effect": label,
                    "estimate": value,
                    "se": se,
                    "z": zz,
                    "p": float(2 * stats.norm.sf(abs(zz))),
                    "ci_lower": value - z * se,
                    "ci_upper": value + z * se,
                    "std_estimate": sv,
                    "std_se": sse,
                }
            )
        var_ab = b**2 * V[0, 0] + a**2 * V[1, 1] + 2 * a * b * V[0, 1]
        se_ab = math.sqrt(max(var_ab, 0))
        zz = a * b / se_ab if se_ab > 0 else math.nan
        row = {
            "effect": "indirect a*b",
            "estimate": a * b,
            "se": se_ab,
            "z": zz,
            "p": float(2 * stats.norm.sf(abs(zz))) if zz == zz else math.nan,
            "ci_lower": a * b - z * se_ab,
            "ci_upper": a * b + z * se_ab,
            "std_estimate": std_of(m_name, x)[0] * std_of(y_name, m_name)[0],
            "std_se": math.nan,
            "method": "delta method (first-order, with Cov(a, b))",
        }
        if n_boot > 0:
            draws, failed = latent_bootstrap(
                frame, text, cols, n_boot, seed, n_jobs, max_iter, progress, missing=missing, time_limit=time_limit
            )
            s = summarise_draws(draws, a * b, conf)
            row.update(
                {
                    "boot_se": s["boot_se"],
                    "pct_lower": s["pct_lower"],
                    "pct_upper": s["pct_upper"],
                    "bc_lower": s["bc_lower"],
                    "bc_upper": s["bc_upper"],
                    "n_boot": n_boot,
                    "boot_failed": failed,
                }
            )
        rows.append(row)
    effects = pd.DataFrame(rows)
    if not fit.ok:
        effects = pd.DataFrame(
            [{"effect": "indirect a*b", "estimate": math.nan, "note": f"not estimated: {fit.reason}"}]
        )
    return LatentMediationResult(fit, effects, draws, failed)
