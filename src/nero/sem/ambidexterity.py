"""Network ambidexterity as the literature measures it, and the structural tables built on it.

The thesis calls network ambidexterity "the primary growth multiplier": a claim about
the *interaction* of institutional (INST) and virtual (VIRT) networking. It is tested
here as moderation (Aiken & West 1991): CAP = INST + VIRT + INST x VIRT + controls,
INST and VIRT mean-centred before the product, with simple slopes at VIRT = mean +- 1 SD
and the Johnson-Neyman region, and on SCO through CAP by the index of moderated
mediation (a-path moderated, PROCESS model 7 logic: X = INST, W = VIRT, M = CAP, Y = SCO).
The two dimensions of He & Wong (2004) and Cao, Gedajlovic & Zhang (2009) are named
alternatives: *combined* = centred INST x VIRT (with its main effects), *balance* =
(scale range) - |INST - VIRT|, reverse-scored as Cao et al. do so that higher means
more balanced.

Mediation is classified by Zhao, Lynch & Chen (2010) from the bootstrap interval of the
indirect effect and the t test of the direct effect: complementary (both significant,
same sign), competitive (both significant, opposite signs), indirect-only, direct-only,
no effect.

Every OLS table states its SE type (PROCESS' names, :data:`nero.sem.process_models.SE_TYPES`),
N, the VIF of each predictor and Cohen's f2 of each predictor
((R2 - R2 without it) / (1 - R2)).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nero.tolerances import below_alpha, excludes_zero, sign

from ._common import SemInputError
from .process_equations import ProcessResult, fit_equation
from .process_models import process_model1, process_model4, process_model7
from .settings import SemSettings

DIMENSIONS = ("combined", "balance")
INTERACTION = "INST:VIRT"


def _r2(frame: pd.DataFrame, outcome: str, terms: Sequence[str]) -> float:
    X = np.column_stack([np.ones(len(frame))] + [frame[t].to_numpy(float) for t in terms])
    y = frame[outcome].to_numpy(float)
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    return 1.0 - float(resid @ resid) / float(((y - y.mean()) ** 2).sum())


def vif(frame: pd.DataFrame, terms: Sequence[str]) -> dict[str, float]:
    """Variance inflation factor 1 / (1 - R2_j) of each term regressed on the others."""
    out = {}
    for t in terms:
        others = [o for o in terms if o != t]
        r2 = _r2(frame, t, others) if others else 0.0
        out[t] = 1.0 / (1.0 - r2) if r2 < 1 else math.inf
    return out


def ols_table(
    frame: pd.DataFrame,
    outcome: str,
    terms: Sequence[str],
    se_type: str = "hc3",
    conf: float = 0.95,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One OLS equation as rows ``outcome,term,b,se,t,p,ci_low,ci_high,vif,f2,n,se_type``."""
    terms = list(terms)
    eq = fit_equation(frame, outcome, terms, conf, se_type)
    full = eq.r2
    v = vif(frame, terms)
    rows = []
    for term in eq.terms:
        c = eq.coef.loc[term]
        f2 = (
            math.nan
            if term == "constant"
            else (full - _r2(frame, outcome, [o for o in terms if o != term])) / (1 - full)
        )
        rows.append(
            {
                "outcome": outcome,
                "term": (labels or {}).get(term, term),
                "b": c["coeff"],
                "se": c["se"],
                "t": c["t"],
                "p": c["p"],
                "ci_low": c["llci"],
                "ci_high": c["ulci"],
                "vif": v.get(term, math.nan),
                "f2": f2,
                "n": eq.n,
                "se_type": eq.se_type,
            }
        )
    return pd.DataFrame(rows)


def interaction_frame(design: pd.DataFrame, settings: SemSettings) -> pd.DataFrame:
    """Design frame with INST and VIRT mean-centred and their product ``INST:VIRT``."""
    xa, xb = settings.x
    out = design.copy()
    out[xa] = out[xa] - out[xa].mean()
    out[xb] = out[xb] - out[xb].mean()
    out[INTERACTION] = out[xa] * out[xb]
    return out


def ambidexterity_moderation(design: pd.DataFrame, controls: Sequence[str], settings: SemSettings) -> pd.DataFrame:
    """CAP = INST + VIRT + INST:VIRT + controls; SCO = the same + CAP (centred INST and VIRT)."""
    xa, xb = settings.x
    m, y = settings.m, settings.y
    f = interaction_frame(design, settings)
    terms = [xa, xb, INTERACTION, *controls]
    se, conf = settings.se_type, settings.conf
    return pd.concat([ols_table(f, m, terms, se, conf), ols_table(f, y, [*terms, m], se, conf)], ignore_index=True)


def ambidexterity_probes(design: pd.DataFrame, controls: Sequence[str], settings: SemSettings):
    """Simple slopes of INST on CAP at VIRT = mean +- 1 SD and the Johnson-Neyman table (PROCESS model 1)."""
    xa, xb = settings.x
    res = process_model1(
        design, xa, xb, settings.m, list(controls), settings.conf, center=True, se_type=settings.se_type
    )
    n = res.n
    slopes = res.conditional.rename(columns={"w": f"{xb}_centred", "effect": f"slope_of_{xa}"}).assign(n=n)
    jn = res.johnson_neyman.rename(columns={"w": f"{xb}_centred", "effect": f"slope_of_{xa}"}).assign(n=n)
    return slopes, jn, res


def ambidexterity_dimensions(design: pd.DataFrame, controls: Sequence[str], settings: SemSettings) -> pd.DataFrame:
    """The alternatives named in ``settings.ambidexterity['alternatives']`` on CAP and on SCO (with CAP)."""
    xa, xb = settings.x
    m, y = settings.m, settings.y
    amb = settings.ambidexterity
    rows = []
    for dim in amb.alternatives:
        if dim not in DIMENSIONS:
            raise SemInputError(f"sem.ambidexterity.alternatives: unknown dimension {dim!r}; known: {DIMENSIONS}")
        if dim == "combined":
            f = interaction_frame(design, settings)
            term, extra = INTERACTION, [xa, xb]
            definition = (
                f"combined = ({xa} - mean) x ({xb} - mean), with both main effects (He & Wong 2004; Cao et al. 2009)"
            )
        else:
            f = design.copy()
            top = float(amb.balance_max)
            f["balance"] = top - (f[xa] - f[xb]).abs()
            term, extra = "balance", []
            definition = (
                f"balance = {top:g} - |{xa} - {xb}| (reverse-scored as Cao et al. 2009: higher = more balanced)"
            )
        for outcome, more in ((m, []), (y, [m])):
            t = ols_table(f, outcome, [term, *extra, *more, *controls], settings.se_type, settings.conf)
            r = t[t["term"] == term].iloc[0]
            rows.append(
                {
                    "dimension": dim,
                    "definition": definition,
                    "outcome": outcome,
                    "b": r["b"],
                    "se": r["se"],
                    "t": r["t"],
                    "p": r["p"],
                    "ci_low": r["ci_low"],
                    "ci_high": r["ci_high"],
                    "n": r["n"],
                }
            )
    return pd.DataFrame(rows)


#: The columns of each ``sem.boot_ci`` interval in an effect row of the PROCESS tables.
CI_COLUMNS = {"percentile": "pct", "bias-corrected": "bc", "bca": "bca"}


def _ci(row: Mapping[str, Any], method: str) -> tuple[float, float]:
    prefix = CI_COLUMNS[method]
    return row[f"{prefix}_lower"], row[f"{prefix}_upper"]


def ambidexterity_index_fit(
    design: pd.DataFrame, controls: Sequence[str], settings: SemSettings, seed: int
) -> ProcessResult:
    """PROCESS model 7 of :func:`ambidexterity_index` (X = INST, W = VIRT, centred; its bootstrap)."""
    xa, xb = settings.x
    return process_model7(
        design,
        xa,
        settings.m,
        xb,
        settings.y,
        list(controls),
        settings.n_boot,
        seed,
        settings.conf,
        center=True,
        se_type=settings.se_type,
    )


def ambidexterity_index(
    design: pd.DataFrame,
    controls: Sequence[str],
    settings: SemSettings,
    seed: int,
    fit: ProcessResult | None = None,
) -> pd.DataFrame:
    """Index of moderated mediation of INST x VIRT on SCO through CAP and the conditional indirect effects.

    ``fit``: :func:`ambidexterity_index_fit` of the same arguments, if already computed (the
    table under another ``boot_ci`` reuses the bootstrap).
    """
    xa, xb = settings.x
    res = fit if fit is not None else ambidexterity_index_fit(design, controls, settings, seed)
    method = settings.boot_ci
    rows = []
    idx = res.index.iloc[0]
    lo, hi = _ci(idx, method)
    rows.append(
        {
            "effect": "index of moderated mediation",
            "estimate": idx["estimate"],
            "boot_se": idx["boot_se"],
            "ci_low": lo,
            "ci_high": hi,
        }
    )
    for label, (_, r) in zip(("-1 SD", "mean", "+1 SD"), res.indirect.iterrows()):
        lo, hi = _ci(r, method)
        rows.append(
            {
                "effect": f"conditional indirect ({xb} = {label})",
                "estimate": r["estimate"],
                "boot_se": r["boot_se"],
                "ci_low": lo,
                "ci_high": hi,
            }
        )
    return pd.DataFrame(rows).assign(n_boot=settings.n_boot, ci_method=method, n=res.n)


def zhao_type(indirect_significant: bool, direct_significant: bool, same_sign: bool) -> str:
    """Zhao, Lynch & Chen (2010, Figure 2) classification of a mediation."""
    if indirect_significant and direct_significant:
        return "complementary" if same_sign else "competitive"
    if indirect_significant:
        return "indirect-only"
    return "direct-only" if direct_significant else "no effect"


def mediation_models(settings: SemSettings, controls: Sequence[str]) -> list[tuple[str, list[str]]]:
    """(X, covariates) of each mediation model: the product with both main effects, and each
    main effect with the other and the product."""
    xa, xb = settings.x
    return [("AMB", [xa, xb, *controls]), (xa, [xb, "AMB", *controls]), (xb, [xa, "AMB", *controls])]


def mediation_type_fits(
    design: pd.DataFrame, controls: Sequence[str], settings: SemSettings, seed: int
) -> list[tuple[ProcessResult, pd.Series]]:
    """PROCESS model 4 and the total-effect coefficient of each of :func:`mediation_models`."""
    m, y = settings.m, settings.y
    out = []
    for x, covs in mediation_models(settings, controls):
        med = process_model4(design, x, m, y, covs, settings.n_boot, seed, settings.conf, settings.se_type)
        out.append((med, fit_equation(design, y, [x, *covs], settings.conf, settings.se_type).coef.loc[x]))
    return out


def mediation_type(
    design: pd.DataFrame,
    controls: Sequence[str],
    settings: SemSettings,
    seed: int,
    fits: Sequence[tuple[ProcessResult, pd.Series]] | None = None,
) -> pd.DataFrame:
    """Total, direct and indirect effect of each mediation model and its Zhao et al. type.

    ``fits``: :func:`mediation_type_fits` of the same arguments, if already computed (the table
    under another ``boot_ci`` reuses the bootstraps).
    """
    m, y = settings.m, settings.y
    alpha = 1 - settings.conf
    rows = []
    fits = fits if fits is not None else mediation_type_fits(design, controls, settings, seed)
    for (x, covs), (med, total) in zip(mediation_models(settings, controls), fits):
        direct = med.direct.iloc[0]
        ind = med.indirect.iloc[0]
        lo, hi = _ci(ind, settings.boot_ci)
        # decisions with nero.tolerances: a CI bound within ZERO_TOL of zero (relative to the
        # estimate's size) does not exclude zero, p within P_TOL of alpha is not below it, and a
        # product that is zero up to rounding has no sign (not "same sign")
        scale = abs(ind["estimate"]) + abs(lo) + abs(hi)
        ind_sig = bool(excludes_zero(lo, hi, scale))
        same_sign = sign(ind["estimate"], scale) * sign(direct["estimate"], abs(direct["estimate"]) + direct["se"]) > 0
        rows.append(
            {
                "x": x,
                "m": m,
                "y": y,
                "total": total["coeff"],
                "total_p": total["p"],
                "direct": direct["estimate"],
                "direct_p": direct["p"],
                "indirect": ind["estimate"],
                "indirect_ci_low": lo,
                "indirect_ci_high": hi,
                "type": zhao_type(ind_sig, bool(below_alpha(direct["p"], alpha)), same_sign),
                "covariates": ", ".join(covs),
                "n": med.n,
                "se_type": med.se_type,
                "ci_method": settings.boot_ci,
            }
        )
    return pd.DataFrame(rows)


def capacity_boosting(
    design: pd.DataFrame, controls: Sequence[str] | Mapping[str, Sequence[str]], settings: SemSettings
) -> pd.DataFrame:
    """MKT -> CAP (market seeking as capacity boosting) and SCO -> CAP (scaling out to scale up), OLS + controls.

    ``controls``: one list for both equations, or a mapping predictor -> its covariates (the
    causal model's adjustment set of each; a covariate equal to the predictor is dropped).
    """
    m, y, w = settings.m, settings.y, settings.w
    rows = []
    for predictor in (w, y):
        covs = controls.get(predictor, []) if isinstance(controls, Mapping) else controls
        covs = [c for c in covs if c != predictor]
        t = ols_table(design, m, [predictor, *covs], settings.se_type, settings.conf)
        r = t[t["term"] == predictor].iloc[0]
        rows.append(
            {
                "predictor": predictor,
                "outcome": m,
                "b": r["b"],
                "se": r["se"],
                "t": r["t"],
                "p": r["p"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "n": r["n"],
                "se_type": r["se_type"],
                "covariates": ", ".join(covs),
            }
        )
    return pd.DataFrame(rows)
