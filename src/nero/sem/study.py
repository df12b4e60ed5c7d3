"""Every measurement and robustness check of the survey study in one call.

:func:`run_sem_checks` takes the clean survey table (``results/survey/clean.csv``,
columns in docs/architecture.md), the codebook, the ``sem`` settings and the seed,
and returns a :class:`SemStudyResult` whose ``write(outdir)`` puts every table under
``results/sem/`` (CSV, atomically) with ``cfa_model.txt`` and ``summary.json``.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ._common import SemInputError, frame_text, require_columns, write_csv, write_json, write_text
from .cfa import CFAResult, cfa_model_from_codebook, codebook_constructs, fit_cfa, marker_construct
from .cmv import cmv_competing_models, harman_single_factor, marker_adjustment
from .invariance import measurement_invariance
from .latent import latent_mediation
from .nonresponse import nonresponse_tests
from .process import process_model1, process_model4, process_model14
from .regression import baron_kenny_sequence
from .reliability import fornell_larcker, htmt, reliability_table

#: Settings of the ``sem`` stage and their defaults (every key may be overridden).
DEFAULT_SETTINGS: dict[str, Any] = {
    "constructs": None,               # CFA constructs (None: every non-marker construct)
    "second_order": {},               # e.g. {"NETAMB": ["INST", "VIRT"]}
    "x": ["INST", "VIRT"],            # network ambidexterity = product of the mean-centred scores
    "m": "CAP",
    "y": "SCO",
    "w": "MKT",
    "controls": ["log_employees", "log_firm_age", "log_foreign_markets", "years_abroad", "sector", "wave"],
    "categorical_controls": ["sector", "wave"],
    "n_boot": 5000,
    "conf": 0.95,
    "time_limit": 120.0,              # seconds per model fit
    "max_iter": 10000,
    "cmv_method_loadings": "equal",   # common latent factor: 'equal' or 'free' loadings
    "marker_r_m": "smallest",         # Lindell-Whitney r_M rule
    "early_late_quantile": 0.25,
    "early_late_within_wave": True,
    "date_column": "recorded_date",
    "group": "wave",                  # measurement invariance across this column
    "invariance_levels": ["configural", "metric", "scalar"],
    "latent_boot": 0,                 # bootstrap refits of the latent mediation (0: delta method only)
    "n_jobs": None,
}


def merge_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults overridden by ``settings``; unknown keys are errors."""
    out = copy.deepcopy(DEFAULT_SETTINGS)
    for key, value in (settings or {}).items():
        if key not in DEFAULT_SETTINGS:
            raise SemInputError(f"sem settings: unknown key {key!r}; known: {sorted(DEFAULT_SETTINGS)}")
        out[key] = value
    return out


def _safe(name: str) -> str:
    return re.sub(r"\W+", "_", str(name)).strip("_")


def design_frame(clean: pd.DataFrame, settings: Mapping[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    """Numeric frame of the structural checks: AMB (product), AMB_BALANCE, M, Y, W and
    the controls with categorical ones dummy-coded (first level = reference).

    AMB = (INST - mean INST) * (VIRT - mean VIRT); AMB_BALANCE = 1 - |INST - VIRT|.
    Returns the frame and the control column names.
    """
    xa, xb = settings["x"]
    cols = [xa, xb, settings["m"], settings["y"], settings["w"], *settings["controls"]]
    require_columns(clean, cols, "clean table")
    out = pd.DataFrame(index=clean.index)
    for c in [xa, xb, settings["m"], settings["y"], settings["w"]]:
        out[c] = pd.to_numeric(clean[c], errors="coerce")
        if out[c].isna().all():
            raise SemInputError(f"clean table: column {c!r} must be numeric")
    a = out[xa] - out[xa].mean()
    b = out[xb] - out[xb].mean()
    out["AMB"] = a * b
    out["AMB_BALANCE"] = 1.0 - (out[xa] - out[xb]).abs()
    controls = []
    for c in settings["controls"]:
        if c in settings["categorical_controls"]:
            levels = sorted(pd.unique(clean[c].dropna()), key=str)
            for level in levels[1:]:
                name = _safe(f"{c}_{level}")
                out[name] = (clean[c] == level).astype(float).where(clean[c].notna())
                controls.append(name)
        else:
            out[c] = pd.to_numeric(clean[c], errors="coerce")
            controls.append(c)
    controls = [c for c in controls if out[c].std() > 0]
    return out, controls


@dataclass
class SemStudyResult:
    """Every table of the SEM checks.

    Attributes
    ----------
    tables : dict of DataFrame
        Table name -> DataFrame (written as ``<name>.csv``).
    model_texts : dict of str
        File name -> model text in lavaan syntax (``cfa_model.txt`` among them).
    info : dict
        Settings, seed, N, conventions and headline results (``summary.json``).
    """

    tables: dict[str, pd.DataFrame]
    model_texts: dict[str, str]
    info: dict[str, Any]
    results: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Headline results, one row per check."""
        return pd.DataFrame(self.info.get("headline", []))

    def summary(self) -> str:
        lines = [f"SEM checks: N = {self.info.get('n_obs')}, seed = {self.info.get('seed')}"]
        for name in ("cfa_fit", "reliability", "cmv_models", "invariance", "indirect_effects",
                     "conditional_effects", "moderated_mediation", "convergence"):
            if name in self.tables:
                lines.append(f"\n[{name}]\n{frame_text(self.tables[name])}")
        return "\n".join(lines)

    def write(self, outdir: str | Path) -> list[Path]:
        """Write every table (CSV), model text and ``summary.json`` under ``outdir``, atomically."""
        outdir = Path(outdir)
        written = []
        for name, frame in sorted(self.tables.items()):
            written.append(write_csv(frame, outdir / f"{name}.csv"))
        for name, text in sorted(self.model_texts.items()):
            written.append(write_text(outdir / name, text))
        info = dict(self.info)
        info["files"] = sorted(p.name for p in written) + ["summary.json"]
        written.append(write_json(info, outdir / "summary.json"))
        return written


def run_sem_checks(clean: pd.DataFrame, codebook: Mapping[str, Any], settings: Mapping[str, Any] | None = None,
                   seed: int = 0) -> SemStudyResult:
    """Run the measurement model, CMV, non-response, invariance and structural checks.

    Parameters
    ----------
    clean : DataFrame
        The clean survey table: items (INST1 ... MARK3, reverse items recoded), construct
        scores, controls, ``recorded_date`` and ``wave``.
    codebook : mapping
        The parsed codebook (constructs and their items; the marker construct flagged).
    settings : mapping, optional
        Overrides of :data:`DEFAULT_SETTINGS` (the ``sem`` section of the config).
    seed : int
        Seed of every bootstrap (``numpy.random.default_rng``).

    Returns
    -------
    SemStudyResult
        Tables: cfa_fit, cfa_loadings, reliability, fornell_larcker, htmt, (second_order_fit,
        second_order_loadings), harman, cmv_models, cmv_difference_tests, marker_adjustment,
        marker_correlations, nonresponse, invariance, invariance_tests, baron_kenny,
        baron_kenny_models, sobel, indirect_effects, direct_effect, moderation_coefficients,
        conditional_effects, johnson_neyman, interaction_plot, moderated_mediation,
        process_equations, balance_variant, latent_mediation, convergence.
    """
    s = merge_settings(settings)
    tl, mi = s["time_limit"], s["max_iter"]
    all_constructs = codebook_constructs(codebook, include_marker=True)
    chosen = s["constructs"] or list(codebook_constructs(codebook, include_marker=False))
    factors = {c: all_constructs[c] for c in chosen}
    marker = marker_construct(codebook)
    items = [i for its in factors.values() for i in its]
    require_columns(clean, items, "clean table")
    tables: dict[str, pd.DataFrame] = {}
    texts: dict[str, str] = {}
    results: dict[str, Any] = {}
    fits: list[CFAResult] = []
    headline: list[dict[str, Any]] = []

    # --- measurement model
    text = cfa_model_from_codebook(codebook, constructs=chosen)
    texts["cfa_model.txt"] = text
    cfa = fit_cfa(clean, text, time_limit=tl, max_iter=mi, name="CFA")
    fits.append(cfa)
    results["cfa"] = cfa
    fit_rows = [cfa.fit_row()]
    tables["cfa_loadings"] = cfa.loadings()
    if cfa.ok:
        rel = reliability_table(cfa, clean, factors)
        tables["reliability"] = rel
        fl = fornell_larcker(cfa, rel)
        tables["fornell_larcker"] = fl.to_frame()
        tables["fornell_larcker_checks"] = fl.checks
        headline.append({"check": "CFA", "result": f"chi2({cfa.fit['df']}) = {cfa.fit['chi2']:.2f}, "
                         f"CFI = {cfa.fit['cfi']:.3f}, RMSEA = {cfa.fit['rmsea']:.3f}, SRMR = {cfa.fit['srmr']:.3f}"})
    ht = htmt(clean, factors)
    tables["htmt"] = ht.to_frame()
    tables["htmt_checks"] = ht.checks
    if s["second_order"]:
        text2 = cfa_model_from_codebook(codebook, constructs=chosen, second_order=s["second_order"])
        texts["cfa_second_order_model.txt"] = text2
        so = fit_cfa(clean, text2, time_limit=tl, max_iter=mi, name="CFA with second-order factor")
        fits.append(so)
        results["second_order"] = so
        fit_rows.append(so.fit_row())
        tables["second_order_loadings"] = so.loadings()

    # --- common-method variance
    harm = harman_single_factor(clean, items)
    tables["harman"] = harm.to_frame()
    comp = cmv_competing_models(clean, factors, s["cmv_method_loadings"], tl, mi)
    results["cmv"] = comp
    fits.extend(comp.models.values())
    for text_name, model in zip(("cmv_model1_method_only.txt", "cmv_model2_trait_only.txt",
                                 "cmv_model3_method_trait.txt"), comp.models.values()):
        texts[text_name] = model.model_text
    tables["cmv_models"] = comp.to_frame()
    tables["cmv_difference_tests"] = comp.comparisons
    scores = [c for c in chosen if c in clean.columns]
    if marker and marker in clean.columns:
        mk = marker_adjustment(clean, scores, marker, s["marker_r_m"])
        tables["marker_adjustment"] = mk.table
        tables["marker_correlations"] = mk.marker_correlations.assign(r_m=mk.r_m, rule=mk.r_m_rule)
    headline.append({"check": "Harman", "result": f"first factor {100 * harm.first_share:.1f}% of variance"})
    tables["cfa_fit"] = pd.DataFrame(fit_rows)

    # --- non-response bias
    numeric_controls = [c for c in s["controls"] if c not in s["categorical_controls"] and c in clean.columns]
    nr = nonresponse_tests(clean, numeric_controls + scores, s["date_column"], s["group"], s["early_late_quantile"],
                           s["early_late_within_wave"])
    tables["nonresponse"] = nr.table

    # --- measurement invariance
    if s["group"] and s["group"] in clean.columns and clean[s["group"]].nunique() > 1:
        inv = measurement_invariance(clean, factors, s["group"], s["invariance_levels"], tl, mi)
        results["invariance"] = inv
        tables["invariance"] = inv.fits
        tables["invariance_tests"] = inv.comparisons
    # --- structural robustness checks
    design, controls = design_frame(clean, s)
    m, y, w = s["m"], s["y"], s["w"]
    bk = baron_kenny_sequence(design, "AMB", m, y, w, controls)
    tables["baron_kenny"] = bk.coefficients
    tables["baron_kenny_models"] = bk.models
    med = process_model4(design, "AMB", m, y, controls, s["n_boot"], seed, s["conf"])
    results["process4"] = med
    tables["sobel"] = med.sobel
    tables["indirect_effects"] = med.indirect
    tables["direct_effect"] = med.direct
    mod = process_model1(design, m, w, y, controls + ["AMB"], s["conf"])
    results["process1"] = mod
    c = mod.equations[y].coef.copy()
    c.insert(0, "term", c.index)
    tables["moderation_coefficients"] = c.reset_index(drop=True)
    tables["moderation_r2_change"] = mod.r2_change
    tables["conditional_effects"] = mod.conditional
    tables["johnson_neyman"] = mod.johnson_neyman
    tables["interaction_plot"] = mod.plot.rename(columns={"x": m, "w": w, "y_hat": f"{y}_hat"})
    mm = process_model14(design, "AMB", m, w, y, controls, s["n_boot"], seed, s["conf"])
    results["process14"] = mm
    tables["moderated_mediation"] = pd.concat([mm.indirect, mm.index], ignore_index=True)
    eqs = []
    for label, res in (("model 4", med), ("model 1", mod), ("model 14", mm)):
        e = res.coefficients()
        e.insert(0, "process_model", label)
        eqs.append(e)
    tables["process_equations"] = pd.concat(eqs, ignore_index=True)
    bal4 = process_model4(design, "AMB_BALANCE", m, y, controls, s["n_boot"], seed, s["conf"])
    bal14 = process_model14(design, "AMB_BALANCE", m, w, y, controls, s["n_boot"], seed, s["conf"])
    tables["balance_variant"] = pd.concat([
        bal4.direct.assign(process_model=4), bal4.indirect.assign(process_model=4),
        bal14.indirect.assign(process_model=14), bal14.index.assign(process_model=14)], ignore_index=True)
    # --- latent mediation
    lat_data = pd.concat([clean[all_constructs[m] + all_constructs[y]], design[["AMB", *controls]]], axis=1)
    lat = latent_mediation(lat_data, "AMB", all_constructs[m], all_constructs[y], controls, m, y,
                           n_boot=int(s["latent_boot"]), seed=seed, conf=s["conf"], n_jobs=s["n_jobs"],
                           time_limit=tl, max_iter=mi)
    results["latent"] = lat
    fits.append(lat.fit)
    tables["latent_mediation"] = lat.effects
    texts["latent_mediation_model.txt"] = lat.fit.model_text
    if lat.fit.fit:
        tables["latent_mediation_fit"] = pd.DataFrame([lat.fit.fit_row()])

    # --- convergence of every fit
    conv = [f.status() for f in fits]
    if "invariance" in results:
        for r in results["invariance"].fits.to_dict(orient="records"):
            negative = str(r.get("negative_variances") or "")
            n_iter = r.get("n_iter", -1)
            conv.append({"model": f"invariance: {r['level']}", "converged": bool(r["converged"]),
                         "reason": r["reason"], "n_iter": int(n_iter) if n_iter == n_iter else -1,
                         "seconds": float(r["seconds"]), "heywood_cases": 0,
                         "negative_variances": len([v for v in negative.split(";") if v.strip()]),
                         "problems": negative})
    # Fit times go to the log, not the tables: tables must be byte-identical across reruns.
    for row in conv:
        logging.getLogger(__name__).info("fit %s: %.2f s", row["model"], row.pop("seconds"))
    tables["convergence"] = pd.DataFrame(conv)
    if "invariance" in tables and "seconds" in tables["invariance"]:
        tables["invariance"] = tables["invariance"].drop(columns="seconds")

    ind = med.indirect.iloc[0]
    headline.append({"check": "indirect effect (PROCESS 4)",
                     "result": f"{ind['estimate']:.4f}, BC {int(100 * s['conf'])}% CI [{ind['bc_lower']:.4f}, "
                               f"{ind['bc_upper']:.4f}]"})
    idx = mm.index.iloc[0]
    headline.append({"check": "index of moderated mediation (PROCESS 14)",
                     "result": f"{idx['estimate']:.4f}, BC CI [{idx['bc_lower']:.4f}, {idx['bc_upper']:.4f}]"})
    info = {
        "seed": int(seed),
        "n_obs": int(len(clean)),
        "settings": s,
        "constructs": factors,
        "marker_construct": marker,
        "controls_in_models": controls,
        "x_definition": f"AMB = ({s['x'][0]} - mean) * ({s['x'][1]} - mean); variant AMB_BALANCE = "
                        f"1 - |{s['x'][0]} - {s['x'][1]}|",
        "conventions": {
            "estimator": "ML (semopy MLW, tol 1e-12); fit indices with lavaan's definitions (RMSEA with N, "
                         "SRMR Bentler, RMSEA 90% CI by the noncentral chi-square)",
            "regressions": "OLS with HC3 standard errors (statsmodels), t tests on n - k df",
            "bootstrap": f"{s['n_boot']} case resamples, seed {seed}; percentile and bias-corrected intervals",
            "moderator_probes": "mean and +-1 SD (SD with n - 1)",
            "reliability": "alpha: Cronbach 1951; CR and AVE from standardised loadings (Fornell & Larcker 1981)",
            "htmt": "Henseler et al. 2015, thresholds .85 / .90",
            "invariance": "multi-group ML with equality constraints; CFI rule: delta CFI >= -0.01",
        },
        "all_converged": bool(all(r["converged"] for r in conv)),
        "headline": headline,
    }
    return SemStudyResult(tables, texts, info, results)
