"""The Baron & Kenny (1986) sequence of nested OLS models with robust errors.

Five models as in the robustness checks of the reference study (controls C in all):

1. M = C + X                    (X -> M)
2. Y = C + X                    (X -> Y, total effect)
3. Y = C + M                    (M -> Y)
4. Y = C + X + M                (mediation: the X coefficient shrinks)
5. Y = C + X + M + W + M*W      (moderation of M -> Y by W)

Coefficients are standardised betas: every variable (and dummy) is z-scored and the
interaction is the product of the z-scored M and W (Friedrich 1982; Aiken & West 1991),
so the product's t equals that of the raw-metric model. Standard errors of the chosen
SE type (default HC3). Delta R2 is against the preceding model of the same outcome (models
1-3: the controls-only model; 4: model 2; 5: model 4); its F test is the classical
nested-model F; f2 = delta R2 / (1 - R2) (Cohen 1988: .02 small, .15 medium, .35 large).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy import stats

from ._common import SemInputError, frame_text, numeric_frame
from .process_equations import ols_covariance

MODEL_SPECS = (
    ("Model 1", "m", ["x"], "Model 0 (controls -> M)"),
    ("Model 2", "y", ["x"], "Model 0 (controls -> Y)"),
    ("Model 3", "y", ["m"], "Model 0 (controls -> Y)"),
    ("Model 4", "y", ["x", "m"], "Model 2"),
    ("Model 5", "y", ["x", "m", "w", "m:w"], "Model 4"),
)


@dataclass
class BaronKennyResult:
    """Coefficients and model statistics of the five nested models."""

    coefficients: pd.DataFrame
    models: pd.DataFrame
    variables: dict

    def to_frame(self) -> pd.DataFrame:
        return self.coefficients.copy()

    def summary(self) -> str:
        wide = self.coefficients.pivot_table(index="term", columns="model", values="beta", sort=False)
        return (
            "Baron-Kenny sequence (standardised betas, HC3 SEs)\n"
            + frame_text(wide.reset_index())
            + "\n"
            + frame_text(self.models[["model", "outcome", "n", "r2", "delta_r2", "f_change", "p_change", "f2"]])
        )


def _zscore(s: pd.Series) -> pd.Series:
    sd = s.std(ddof=1)
    return (s - s.mean()) / sd if sd > 0 else s * 0.0


def baron_kenny_sequence(
    data: pd.DataFrame,
    x: str,
    m: str,
    y: str,
    w: str,
    controls: Sequence[str] = (),
    cov_type: str = "HC3",
) -> BaronKennyResult:
    """Fit the five nested models of the Baron-Kenny sequence.

    Parameters
    ----------
    data : DataFrame
        Numeric columns (dummy-code categorical controls beforehand).
    x, m, y, w : str
        Predictor, mediator, outcome, moderator of the M -> Y path.
    controls : sequence of str
        Control variables entered in every model.
    cov_type : str
        SE type as PROCESS names it: ``ols`` or ``hc0``..``hc4`` (default HC3), see
        :func:`nero.sem.process_equations.ols_covariance`; the delta-R2 F tests are the
        classical nested-model F whatever the SE type (R2 does not depend on it).

    Returns
    -------
    BaronKennyResult
        ``coefficients``: model, outcome, term, beta, se, t, p (controls included);
        ``models``: n, R2, adjusted R2, delta R2 with its F test, f2.
    """
    controls = list(controls)
    frame = numeric_frame(data, [x, m, y, w, *controls], what="data", min_rows=len(controls) + 10)
    z = frame.apply(_zscore)
    roles = {"x": x, "m": m, "y": y, "w": w, "m:w": "m:w"}
    z["m:w"] = z[m] * z[w]
    fits = {
        "Model 0 (controls -> M)": _ols(z, m, controls, cov_type),
        "Model 0 (controls -> Y)": _ols(z, y, controls, cov_type),
    }
    for name, out_role, preds, _ in MODEL_SPECS:
        fits[name] = _ols(z, roles[out_role], controls + [roles[p] for p in preds], cov_type)
    outcome_of = {name: m if name in ("Model 1", "Model 0 (controls -> M)") else y for name in fits}
    order = [
        "Model 0 (controls -> M)",
        "Model 0 (controls -> Y)",
        "Model 1",
        "Model 2",
        "Model 3",
        "Model 4",
        "Model 5",
    ]
    models = pd.DataFrame(_model_rows(fits, outcome_of)).set_index("model").loc[order].reset_index()
    coefs = pd.DataFrame(_coefficient_rows(fits, outcome_of, f"{m} x {w}"))
    coefs["model"] = pd.Categorical(coefs["model"], order, ordered=True)
    coefs = coefs.sort_values("model", kind="stable").reset_index(drop=True)
    coefs["model"] = coefs["model"].astype(str)
    return BaronKennyResult(coefs, models, {"x": x, "m": m, "y": y, "w": w, "controls": controls, "se": cov_type})


def _ols(z: pd.DataFrame, outcome: str, terms: list[str], cov_type: str) -> SimpleNamespace:
    """OLS of ``outcome`` on ``terms`` (and a constant) with PROCESS's SE type; statsmodels-like fields."""
    names = ["const", *terms]
    X = np.column_stack([np.ones(len(z))] + [z[t].to_numpy(float) for t in terms])
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise SemInputError(f"data: predictors of {outcome!r} are collinear ({', '.join(terms)})")
    y = z[outcome].to_numpy(float)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    n, k = X.shape
    cov = ols_covariance(X, resid, cov_type)
    params = pd.Series(beta, index=names)
    bse = pd.Series(np.sqrt(np.diag(cov)), index=names)
    tvalues = params / bse
    r2 = 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())
    return SimpleNamespace(
        params=params,
        bse=bse,
        tvalues=tvalues,
        pvalues=pd.Series(2 * stats.t.sf(np.abs(tvalues), n - k), index=names),
        nobs=n,
        rsquared=r2,
        rsquared_adj=1.0 - (1.0 - r2) * (n - 1) / (n - k),
        df_model=k - 1,
        df_resid=n - k,
    )


def _coefficient_rows(fits: dict[str, SimpleNamespace], outcome_of: dict[str, str], product: str) -> list[dict]:
    """One row per model and term (constant left out); the product term labelled ``product``."""
    rows = []
    for name, res in fits.items():
        for term in res.params.index:
            if term == "const":
                continue
            rows.append(
                {
                    "model": name,
                    "outcome": outcome_of[name],
                    "term": product if term == "m:w" else term,
                    "beta": float(res.params[term]),
                    "se": float(res.bse[term]),
                    "t": float(res.tvalues[term]),
                    "p": float(res.pvalues[term]),
                }
            )
    return rows


def _model_rows(fits: dict[str, SimpleNamespace], outcome_of: dict[str, str]) -> list[dict]:
    """One row per model: n, R2, adjusted R2 and the nested-model F test of its change in R2."""
    base_of = {spec[0]: spec[3] for spec in MODEL_SPECS}
    rows = []
    for name, res in fits.items():
        base = base_of.get(name)
        row = {
            "model": name,
            "outcome": outcome_of[name],
            "n": int(res.nobs),
            "r2": float(res.rsquared),
            "adj_r2": float(res.rsquared_adj),
            "compared_with": base or "",
            "delta_r2": np.nan,
            "f_change": np.nan,
            "df1": np.nan,
            "df2": np.nan,
            "p_change": np.nan,
            "f2": np.nan,
        }
        if base:
            b = fits[base]
            d = res.rsquared - b.rsquared
            q = int(res.df_model - b.df_model)
            fchg = (d / q) / ((1 - res.rsquared) / res.df_resid)
            row.update(
                {
                    "delta_r2": float(d),
                    "df1": q,
                    "df2": float(res.df_resid),
                    "f_change": float(fchg),
                    "p_change": float(stats.f.sf(fchg, q, res.df_resid)),
                    "f2": float(d / (1 - res.rsquared)),
                }
            )
        rows.append(row)
    return rows
