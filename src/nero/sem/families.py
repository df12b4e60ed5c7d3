"""The SEM checks of the study, one function per analysis family (one Snakemake rule each).

Families: ``measurement`` (CFA, reliability, discriminant validity, second-order
factor), ``cmv`` (Harman, competing CFA models, marker variable), ``nonresponse``,
``invariance``, ``mediation`` (Baron-Kenny, PROCESS model 4, Zhao et al. type),
``moderation`` (the ambidexterity interaction and its alternatives, CAP x MKT on SCO,
PROCESS models 1 and 14, capacity boosting), ``latent`` (latent mediation) and ``robust``
(the CFA and the latent mediation by ML and MLR). Each
returns a :class:`FamilyResult`; :func:`nero.sem.study.run_sem_checks` runs all of them.

Analysis sample: every usable firm. Latent-variable models use FIML (lavaan's
``missing = "ml"``); the regressions use the construct scores (means of the answered
items), complete for every firm; the listwise (complete-case) fits are reported in
``sensitivity_listwise.csv``. Every table carries its N (column ``n`` or ``n_obs``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nero.survey.codebook import Codebook

from .ambidexterity import (
    ambidexterity_dimensions,
    ambidexterity_index,
    ambidexterity_moderation,
    ambidexterity_probes,
    capacity_boosting,
    mediation_type,
)
from .cfa import CFAResult, fit_cfa
from .cmv import cmv_competing_models, harman_single_factor, marker_adjustment
from .invariance import measurement_invariance
from .latent import latent_mediation
from .nonresponse import early_late_groups, equivalence_tests, nonresponse_tests
from .process_equations import fit_equation
from .process_models import process_model1, process_model4, process_model14
from .regression import baron_kenny_sequence
from .reliability import fornell_larcker, htmt, reliability_table
from .settings import SemSettings
from .syntax import cfa_model_from_codebook, codebook_constructs, marker_construct


@dataclass
class FamilyResult:
    """Tables, model texts, headline lines and convergence rows of one family."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    headline: list[dict[str, Any]] = field(default_factory=list)
    convergence: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """What every family needs: data, codebook, settings, seed and the design frame."""

    clean: pd.DataFrame
    codebook: Codebook | Mapping[str, Any]
    settings: SemSettings
    seed: int
    design: pd.DataFrame
    controls: list[str]

    def covariates(
        self, exposures: list[str], outcome: str, mediator: str | None = None, specification: str = "causal model"
    ) -> list[str]:
        """Design columns of the covariates of one specification (:func:`specification_covariates`)."""
        return specification_covariates(
            self.settings, self.design, self.controls, exposures, outcome, mediator, specification
        )

    @property
    def all_constructs(self) -> dict[str, list[str]]:
        return codebook_constructs(self.codebook, include_marker=True)

    @property
    def factors(self) -> dict[str, list[str]]:
        chosen = self.settings.constructs or list(codebook_constructs(self.codebook, include_marker=False))
        return {c: self.all_constructs[c] for c in chosen}

    @property
    def items(self) -> list[str]:
        return [i for its in self.factors.values() for i in its]

    def fit(self, text: str, name: str, **kw) -> CFAResult:
        s = self.settings
        return fit_cfa(
            self.clean,
            text,
            time_limit=s.time_limit,
            max_iter=s.max_iter,
            name=name,
            missing=kw.pop("missing", s.missing),
            estimator=kw.pop("estimator", s.estimator),
            **kw,
        )


def specification_covariates(
    settings: SemSettings,
    design: pd.DataFrame,
    controls: list[str],
    exposures: list[str],
    outcome: str,
    mediator: str | None = None,
    specification: str = "causal model",
) -> list[str]:
    """Design columns of the covariates of one specification.

    ``causal model``: the covariates the declared DAG allows (:mod:`nero.sem.causal`; no
    descendant of an exposure, the mediator or the outcome), dummy-coded as in the design
    frame (``controls`` are its control columns, :func:`nero.sem.study.design_frame`).
    ``all controls``: every control of ``sem.controls`` (the specification before the causal
    model was declared; kept as a sensitivity row). Without a causal model in the settings
    both are every control.
    """
    spec = settings.causal_model
    if specification == "all controls" or not spec:
        return list(controls)
    from .causal import CausalModel

    names = CausalModel.from_config(spec).covariates(exposures, outcome, mediator)
    out = []
    for name in names:
        if name in settings.categorical_controls:
            out += [c for c in controls if c.startswith(f"{_safe_name(name)}_")]
        elif name in controls or name in design.columns:
            out.append(name)
    return out


def _safe_name(name: str) -> str:
    import re

    return re.sub(r"\W+", "_", str(name)).strip("_")


def _with_n(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The table with an ``n`` column when it has neither ``n`` nor ``n_obs``."""
    if "n" in frame.columns or "n_obs" in frame.columns:
        return frame
    return frame.assign(n=n)


def _listwise_row(fit: CFAResult) -> dict[str, Any]:
    return fit.fit_row()


def measurement(ctx: Context) -> FamilyResult:
    out = FamilyResult()
    s, factors = ctx.settings, ctx.factors
    text = cfa_model_from_codebook(ctx.codebook, constructs=list(factors))
    out.texts["cfa_model.txt"] = text
    cfa = ctx.fit(text, "CFA")
    out.results["cfa"] = cfa
    out.convergence.append(cfa.status())
    fit_rows = [cfa.fit_row()]
    out.tables["cfa_loadings"] = cfa.loadings().assign(n=cfa.n_obs, missing=cfa.missing)
    if cfa.ok:
        rel = reliability_table(cfa, ctx.clean, factors)
        out.tables["reliability"] = _with_n(rel, cfa.n_obs)
        fl = fornell_larcker(cfa, rel)
        out.tables["fornell_larcker"] = _with_n(fl.to_frame(), cfa.n_obs)
        out.tables["fornell_larcker_checks"] = _with_n(fl.checks, cfa.n_obs)
        f = cfa.fit
        out.headline.append(
            {
                "check": "CFA",
                "result": f"chi2({f['df']}) = {f['chi2']:.2f}, CFI = {f['cfi']:.3f}, "
                f"RMSEA = {f['rmsea']:.3f}, SRMR = {f['srmr']:.3f}, N = {cfa.n_obs} ({cfa.missing})",
            }
        )
    ht = htmt(ctx.clean, factors)
    n_items = int(ctx.clean[ctx.items].notna().all(axis=1).sum())
    out.tables["htmt"] = _with_n(ht.to_frame(), n_items)
    out.tables["htmt_checks"] = _with_n(ht.checks, n_items)
    if s.second_order:
        text2 = cfa_model_from_codebook(ctx.codebook, constructs=list(factors), second_order=s.second_order)
        out.texts["cfa_second_order_model.txt"] = text2
        so = ctx.fit(text2, "CFA with second-order factor")
        out.convergence.append(so.status())
        fit_rows.append(so.fit_row())
        out.tables["second_order_loadings"] = so.loadings().assign(n=so.n_obs)
    out.tables["cfa_fit"] = pd.DataFrame(fit_rows)
    if s.listwise_sensitivity:
        lw = ctx.fit(text, "CFA", missing="listwise", std_se=False)
        out.tables["sensitivity_listwise"] = pd.DataFrame([_listwise_row(lw)])
    return out


def cmv(ctx: Context) -> FamilyResult:
    out = FamilyResult()
    s, factors = ctx.settings, ctx.factors
    harm = harman_single_factor(ctx.clean, ctx.items)
    n_items = int(ctx.clean[ctx.items].notna().all(axis=1).sum())
    out.tables["harman"] = _with_n(harm.to_frame(), n_items)
    comp = cmv_competing_models(ctx.clean, factors, s.cmv_method_loadings, s.time_limit, s.max_iter, missing=s.missing)
    for text_name, model in zip(
        ("cmv_model1_method_only.txt", "cmv_model2_trait_only.txt", "cmv_model3_method_trait.txt"), comp.models.values()
    ):
        out.texts[text_name] = model.model_text
        out.convergence.append(model.status())
    n_cmv = max(m.n_obs for m in comp.models.values())
    out.tables["cmv_models"] = _with_n(comp.to_frame(), n_cmv)
    out.tables["cmv_difference_tests"] = _with_n(comp.comparisons, n_cmv)
    marker = marker_construct(ctx.codebook)
    scores = [c for c in factors if c in ctx.clean.columns]
    if marker and marker in ctx.clean.columns:
        mk = marker_adjustment(ctx.clean, scores, marker, s.marker_r_m)
        n_scores = int(ctx.clean[[*scores, marker]].notna().all(axis=1).sum())
        out.tables["marker_adjustment"] = _with_n(mk.table, n_scores)
        out.tables["marker_correlations"] = _with_n(
            mk.marker_correlations.assign(r_m=mk.r_m, rule=mk.r_m_rule), n_scores
        )
    out.headline.append({"check": "Harman", "result": f"first factor {100 * harm.first_share:.1f}% of variance"})
    return out


def nonresponse(ctx: Context) -> FamilyResult:
    s = ctx.settings
    variables = s.nonresponse_variables or s.controls
    numeric_controls = [c for c in variables if c not in s.categorical_controls and c in ctx.clean.columns]
    scores = [c for c in ctx.factors if c in ctx.clean.columns]
    nr = nonresponse_tests(
        ctx.clean,
        numeric_controls + scores,
        s.date_column,
        s.group,
        s.early_late_quantile,
        s.early_late_within_wave,
    )
    table = nr.table
    if {"n_1", "n_2"} <= set(table.columns):
        table = table.assign(n=table["n_1"] + table["n_2"])
    groups = early_late_groups(
        ctx.clean,
        s.date_column,
        s.early_late_quantile,
        s.group if s.early_late_within_wave and s.group in ctx.clean.columns else None,
    )
    equivalence = equivalence_tests(ctx.clean, scores, groups, float(s.nonresponse_equivalence_d))
    equivalence = equivalence.assign(n=equivalence["n_1"] + equivalence["n_2"])
    return FamilyResult(tables={"nonresponse": table, "nonresponse_equivalence": equivalence})


#: Columns of the invariance fit table (``invariance.csv``), whatever the number of groups.
INVARIANCE_FIT_COLUMNS = [
    "level",
    "n_obs",
    "chi2",
    "df",
    "p",
    "chi2_df",
    "cfi",
    "tli",
    "nfi",
    "rmsea",
    "rmsea_ci_lower",
    "rmsea_ci_upper",
    "srmr",
    "baseline_chi2",
    "baseline_df",
    "converged",
    "reason",
    "n_parameters",
    "negative_variances",
    "applicable",
    "note",
]
INVARIANCE_COLUMNS = [
    "level",
    "compared_with",
    "delta_chi2",
    "delta_df",
    "p",
    "delta_cfi",
    "delta_rmsea",
    "invariance_cfi_rule",
    "invariance_chi2_test",
]


def not_applicable_invariance(levels, group: str, n_groups: int, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Invariance tables of a study with fewer than two groups: one row per level, ``applicable`` False."""
    note = f"not applicable: the study has {n_groups} group(s) in {group!r}; measurement invariance needs at least two"
    fits = pd.DataFrame(
        [
            {
                **{c: None for c in INVARIANCE_FIT_COLUMNS},
                "level": lv,
                "n_obs": n,
                "converged": False,
                "reason": note,
                "applicable": False,
                "note": note,
            }
            for lv in levels
        ],
        columns=INVARIANCE_FIT_COLUMNS,
    )
    tests = pd.DataFrame(
        [
            {
                **{c: None for c in INVARIANCE_COLUMNS},
                "level": lv,
                "compared_with": prev,
                "applicable": False,
                "note": note,
                "n_obs": n,
            }
            for prev, lv in zip([None, *levels], levels)
        ]
    )
    return fits, tests


def invariance(ctx: Context) -> FamilyResult:
    out = FamilyResult()
    s = ctx.settings
    group = s.group
    n_groups = int(ctx.clean[group].nunique()) if group and group in ctx.clean.columns else 0
    if n_groups < 2:
        fits, tests = not_applicable_invariance(s.invariance_levels, group, n_groups, len(ctx.clean))
        out.tables["invariance"], out.tables["invariance_tests"] = fits, tests
        out.headline.append({"check": "measurement invariance", "result": fits["note"].iloc[0]})
        return out
    inv = measurement_invariance(
        ctx.clean, ctx.factors, group, s.invariance_levels, s.time_limit, s.max_iter, missing=s.missing
    )
    for r in inv.fits.to_dict(orient="records"):
        negative = str(r.get("negative_variances") or "")
        out.convergence.append(
            {
                "model": f"invariance: {r['level']}",
                "n_obs": int(r["n_obs"]),
                "converged": bool(r["converged"]),
                "reason": r["reason"],
                "seconds": float(r["seconds"]),
                "heywood_cases": 0,
                "negative_variances": len([v for v in negative.split(";") if v.strip()]),
                "problems": negative,
            }
        )
    fits = inv.fits.drop(columns=[c for c in ("seconds", "n_iter") if c in inv.fits.columns])
    out.tables["invariance"] = fits.assign(applicable=True, note="")[INVARIANCE_FIT_COLUMNS]
    out.tables["invariance_tests"] = inv.comparisons.assign(applicable=True, note="", n_obs=int(sum(inv.group_sizes)))
    return out


def mediation(ctx: Context) -> FamilyResult:
    out = FamilyResult()
    s, d = ctx.settings, ctx.design
    m, y, w = s.m, s.y, s.w
    xa, xb = s.x
    controls = ctx.covariates([xa, xb, "AMB"], y, m)
    covs = [xa, xb, *controls]
    bk = baron_kenny_sequence(
        d,
        "AMB",
        m,
        y,
        w,
        [c for c in covs if c != w],
        cov_type=s.se_type.upper() if s.se_type != "ols" else "nonrobust",
    )
    out.tables["baron_kenny"] = _with_n(bk.coefficients, len(d))
    out.tables["baron_kenny_models"] = bk.models
    med = process_model4(d, "AMB", m, y, covs, s.n_boot, ctx.seed, s.conf, s.se_type)
    out.results["process4"] = med
    out.tables["sobel"] = med.sobel.assign(n=med.n)
    out.tables["indirect_effects"] = med.indirect.assign(n=med.n)
    out.tables["direct_effect"] = med.direct.assign(n=med.n, se_type=med.se_type)
    types = mediation_type(d, controls, s, ctx.seed)
    out.tables["mediation_type"] = types
    out.tables["specification_sensitivity"] = specification_sensitivity(ctx)
    ind = med.indirect.iloc[0]
    out.headline.append(
        {
            "check": "indirect effect (PROCESS 4, X = INST x VIRT with main effects)",
            "result": f"{ind['estimate']:.4f}, BC {int(100 * s.conf)}% CI [{ind['bc_lower']:.4f}, "
            f"{ind['bc_upper']:.4f}], N = {med.n}",
        }
    )
    for r in types.itertuples():
        out.headline.append(
            {
                "check": f"mediation type ({r.x} -> {r.m} -> {r.y})",
                "result": f"{r.type} (Zhao et al. 2010): total {r.total:.3f}, direct {r.direct:.3f}, "
                f"indirect {r.indirect:.3f} [{r.indirect_ci_low:.3f}, {r.indirect_ci_high:.3f}]",
            }
        )
    return out


def moderation(ctx: Context) -> FamilyResult:
    out = FamilyResult()
    s, d = ctx.settings, ctx.design
    m, y, w = s.m, s.y, s.w
    xa, xb = s.x
    controls = ctx.covariates([xa, xb, "AMB"], y, m)
    covs = [xa, xb, *controls]
    amb = ambidexterity_moderation(d, controls, s)
    out.tables["ambidexterity_moderation"] = amb
    slopes, jn, _ = ambidexterity_probes(d, controls, s)
    out.tables["ambidexterity_simple_slopes"] = slopes
    out.tables["ambidexterity_johnson_neyman"] = jn
    out.tables["ambidexterity_dimensions"] = ambidexterity_dimensions(d, controls, s)
    index = ambidexterity_index(d, controls, s, ctx.seed)
    out.tables["ambidexterity_index"] = index
    out.tables["capacity_boosting"] = capacity_boosting(d, {w: ctx.covariates([w], m), y: ctx.covariates([w], m)}, s)
    covs_cap_mkt = [c for c in covs + ["AMB"] if c != w]
    mod = process_model1(d, m, w, y, covs_cap_mkt, s.conf, se_type=s.se_type)
    c = mod.equations[y].coef.copy()
    c.insert(0, "term", c.index)
    out.tables["moderation_coefficients"] = c.reset_index(drop=True).assign(n=mod.n, se_type=mod.se_type)
    out.tables["moderation_r2_change"] = mod.r2_change.assign(n=mod.n)
    out.tables["conditional_effects"] = mod.conditional.assign(n=mod.n)
    out.tables["johnson_neyman"] = mod.johnson_neyman.assign(n=mod.n)
    out.tables["interaction_plot"] = mod.plot.rename(columns={"x": m, "w": w, "y_hat": f"{y}_hat"}).assign(n=mod.n)
    mm = process_model14(d, "AMB", m, w, y, [c for c in covs if c != w], s.n_boot, ctx.seed, s.conf, se_type=s.se_type)
    out.tables["moderated_mediation"] = pd.concat([mm.indirect, mm.index], ignore_index=True).assign(n=mm.n)
    med = process_model4(d, "AMB", m, y, covs, s.n_boot, ctx.seed, s.conf, s.se_type)
    eqs = []
    for label, res in (("model 4", med), ("model 1", mod), ("model 14", mm)):
        e = res.coefficients()
        e.insert(0, "process_model", label)
        eqs.append(e.assign(n=res.n, se_type=res.se_type))
    out.tables["process_equations"] = pd.concat(eqs, ignore_index=True)
    prod = amb[(amb["outcome"] == m) & (amb["term"] == "INST:VIRT")].iloc[0]
    out.headline.append(
        {
            "check": "ambidexterity multiplier (INST x VIRT on CAP, main effects in)",
            "result": f"b = {prod['b']:.4f}, {int(100 * s.conf)}% CI [{prod['ci_low']:.4f}, "
            f"{prod['ci_high']:.4f}], p = {prod['p']:.4f}, f2 = {prod['f2']:.4f}, "
            f"N = {int(prod['n'])}",
        }
    )
    idx = index.iloc[0]
    out.headline.append(
        {
            "check": "index of moderated mediation (INST x VIRT -> CAP -> SCO)",
            "result": f"{idx['estimate']:.4f}, {idx['ci_method']} CI [{idx['ci_low']:.4f}, {idx['ci_high']:.4f}]",
        }
    )
    i14 = mm.index.iloc[0]
    out.headline.append(
        {
            "check": "index of moderated mediation (PROCESS 14, CAP x MKT)",
            "result": f"{i14['estimate']:.4f}, BC CI [{i14['bc_lower']:.4f}, {i14['bc_upper']:.4f}]",
        }
    )
    return out


def latent(ctx: Context) -> FamilyResult:
    out = FamilyResult()
    s, d = ctx.settings, ctx.design
    m, y = s.m, s.y
    xa, xb = s.x
    controls = ctx.covariates([xa, xb, "AMB"], y, m)
    cons = ctx.all_constructs
    covs = [xa, xb, *controls]
    data = pd.concat([ctx.clean[cons[m] + cons[y]], d[["AMB", *covs]]], axis=1)
    lat = latent_mediation(
        data,
        "AMB",
        cons[m],
        cons[y],
        covs,
        m,
        y,
        n_boot=int(s.latent_boot),
        seed=ctx.seed,
        conf=s.conf,
        n_jobs=s.n_jobs,
        time_limit=s.time_limit,
        max_iter=s.max_iter,
        missing=s.missing,
        estimator=s.estimator,
    )
    out.results["latent"] = lat
    out.convergence.append(lat.fit.status())
    out.tables["latent_mediation"] = lat.effects.assign(n=lat.fit.n_obs)
    out.texts["latent_mediation_model.txt"] = lat.fit.model_text
    if lat.fit.fit:
        out.tables["latent_mediation_fit"] = pd.DataFrame([lat.fit.fit_row()])
    return out


def specification_sensitivity(ctx: Context) -> pd.DataFrame:
    """The effects the claims read under the causal model's covariates and under every control.

    One row per effect and specification: the total, direct and indirect effect of the
    ambidexterity score (INST x VIRT) on SCO through CAP (PROCESS model 4, its percentile
    bootstrap interval), the b path CAP -> SCO and MKT -> CAP, each with the covariates
    used. ``all controls`` is the specification before the causal model was declared
    (log_foreign_markets, a descendant of SCO, and log_employees, a descendant of CAP,
    among the controls); it is a sensitivity row, not the estimate the claims read.
    """
    s, d = ctx.settings, ctx.design
    m, y, w = s.m, s.y, s.w
    xa, xb = s.x
    rows = []
    for spec in ("causal model", "all controls"):
        controls = ctx.covariates([xa, xb, "AMB"], y, m, specification=spec)
        covs = [xa, xb, *controls]
        med = process_model4(d, "AMB", m, y, covs, s.n_boot, ctx.seed, s.conf, s.se_type)
        total = fit_equation(d, y, ["AMB", *covs], s.conf, s.se_type).coef.loc["AMB"]
        direct, ind = med.direct.iloc[0], med.indirect.iloc[0]
        b_path = fit_equation(d, y, [m, "AMB", *covs], s.conf, s.se_type).coef.loc[m]
        mkt_covs = ctx.covariates([w], m, specification=spec)
        mkt = fit_equation(d, m, [w, *[c for c in mkt_covs if c != w]], s.conf, s.se_type).coef.loc[w]
        text = ", ".join(covs)
        for effect, est, lo, hi, p, used in (
            ("total effect of AMB on SCO", total["coeff"], total["llci"], total["ulci"], total["p"], text),
            ("direct effect of AMB on SCO", direct["estimate"], direct["llci"], direct["ulci"], direct["p"], text),
            ("indirect effect of AMB on SCO via CAP", ind["estimate"], ind["pct_lower"], ind["pct_upper"], None, text),
            ("CAP -> SCO (b path)", b_path["coeff"], b_path["llci"], b_path["ulci"], b_path["p"], text),
            ("MKT -> CAP", mkt["coeff"], mkt["llci"], mkt["ulci"], mkt["p"], ", ".join(mkt_covs)),
        ):
            rows.append(
                {
                    "effect": effect,
                    "specification": spec,
                    "estimate": est,
                    "ci_low": lo,
                    "ci_high": hi,
                    "p": p,
                    "covariates": used,
                    "n": med.n,
                    "se_type": med.se_type,
                }
            )
    return pd.DataFrame(rows)


def robust(ctx: Context) -> FamilyResult:
    """The measurement model (CFA) and the structural model (latent mediation) by ML and by MLR.

    One row per model: the ML chi2 and indices next to lavaan's MLR figures (Yuan-Bentler
    scaled chi2 and scaling factor, robust CFI/TLI/RMSEA; :mod:`nero.sem.robust`), with the
    study's ``missing``. A sensitivity analysis for the 7-point items' negative kurtosis;
    its fits are listed in its own table, not in ``convergence.csv``.
    """
    out = FamilyResult()
    s, d = ctx.settings, ctx.design
    controls = ctx.covariates([*s.x, "AMB"], s.y, s.m)  # the latent family's covariates (causal model)
    text = cfa_model_from_codebook(ctx.codebook, constructs=list(ctx.factors))
    cfa = ctx.fit(text, "measurement model (CFA)", estimator="MLR", std_se=False)
    cons = ctx.all_constructs
    covs = [*s.x, *controls]
    data = pd.concat([ctx.clean[cons[s.m] + cons[s.y]], d[["AMB", *covs]]], axis=1)
    lat = latent_mediation(
        data,
        "AMB",
        cons[s.m],
        cons[s.y],
        covs,
        s.m,
        s.y,
        time_limit=s.time_limit,
        max_iter=s.max_iter,
        missing=s.missing,
        estimator="MLR",
    )
    lat.fit.name = "structural model (latent mediation)"
    rows = [cfa.robust_row(), lat.fit.robust_row()]
    eff = lat.effects.set_index("effect") if "se" in lat.effects.columns else None
    rows[1]["indirect_ab"] = float(eff.loc["indirect a*b", "estimate"]) if eff is not None else math.nan
    rows[1]["indirect_ab_se_robust"] = float(eff.loc["indirect a*b", "se"]) if eff is not None else math.nan
    rows[0]["indirect_ab"] = rows[0]["indirect_ab_se_robust"] = math.nan
    out.tables["robust_sensitivity"] = pd.DataFrame(rows)
    r = rows[0]
    out.headline.append(
        {
            "check": "CFA by MLR (robust sensitivity)",
            "result": f"scaled chi2({r['df']}) = {r['chi2_scaled']:.2f} (scaling factor "
            f"{r['scaling_factor']:.3f}), robust CFI = {r['cfi_robust']:.3f}, robust RMSEA = "
            f"{r['rmsea_robust']:.3f}, N = {r['n_obs']}",
        }
    )
    return out


FAMILIES: dict[str, Callable[[Context], FamilyResult]] = {
    "measurement": measurement,
    "cmv": cmv,
    "nonresponse": nonresponse,
    "invariance": invariance,
    "mediation": mediation,
    "moderation": moderation,
    "latent": latent,
    "robust": robust,
}
