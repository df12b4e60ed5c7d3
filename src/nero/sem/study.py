"""Every measurement and robustness check of the survey study, by analysis family.

:func:`run_sem_family` runs one family of :mod:`nero.sem.families` (one Snakemake rule
each, so each reruns alone and they run in parallel); :func:`run_sem_checks` runs all
of them and merges the result. Both take the clean survey table
(``results/survey/clean.csv``, columns in docs/architecture.md), the codebook, the
``sem`` settings and the seed, and return a :class:`SemStudyResult` whose
``write(outdir)`` puts every table under ``results/sem/`` (CSV, atomically, numbers
written with :data:`nero.sem._common.SIGNIFICANT_DIGITS` significant digits so that the
bytes do not depend on the last bits of a floating-point sum) with the model texts.
:func:`summarise_families` merges the families' ``parts/<family>.json`` into
``summary.json`` (with the ``headline`` list) and ``convergence.csv``.

The computation is deterministic: seeded bootstraps, starting values from the data,
sorted iteration, and one BLAS thread (:func:`nero.sem._common.single_thread`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nero.outputs import write_csv
from nero.survey.codebook import Codebook

from ._common import (
    SIGNIFICANT_DIGITS,
    SemInputError,
    frame_text,
    require_columns,
    single_thread,
    write_json,
    write_text,
)
from .families import FAMILIES, Context, FamilyResult
from .settings import SemSettings

#: Tables (``<name>.csv``) and model texts written by each family.
FAMILY_OUTPUTS: dict[str, list[str]] = {
    "measurement": [
        "cfa_fit.csv",
        "cfa_loadings.csv",
        "reliability.csv",
        "fornell_larcker.csv",
        "fornell_larcker_checks.csv",
        "htmt.csv",
        "htmt_checks.csv",
        "sensitivity_listwise.csv",
        "cfa_model.txt",
    ],
    "cmv": [
        "harman.csv",
        "cmv_models.csv",
        "cmv_difference_tests.csv",
        "marker_adjustment.csv",
        "marker_correlations.csv",
        "cmv_model1_method_only.txt",
        "cmv_model2_trait_only.txt",
        "cmv_model3_method_trait.txt",
    ],
    "nonresponse": ["nonresponse.csv", "nonresponse_equivalence.csv"],
    "invariance": ["invariance.csv", "invariance_tests.csv"],
    "mediation": [
        "baron_kenny.csv",
        "baron_kenny_models.csv",
        "sobel.csv",
        "indirect_effects.csv",
        "direct_effect.csv",
        "mediation_type.csv",
        "specification_sensitivity.csv",
    ],
    "moderation": [
        "ambidexterity_moderation.csv",
        "ambidexterity_simple_slopes.csv",
        "ambidexterity_johnson_neyman.csv",
        "ambidexterity_dimensions.csv",
        "ambidexterity_index.csv",
        "capacity_boosting.csv",
        "moderation_coefficients.csv",
        "moderation_r2_change.csv",
        "conditional_effects.csv",
        "johnson_neyman.csv",
        "interaction_plot.csv",
        "moderated_mediation.csv",
        "process_equations.csv",
    ],
    "latent": ["latent_mediation.csv", "latent_mediation_fit.csv", "latent_mediation_model.txt"],
    "robust": ["robust_sensitivity.csv"],
}


def _safe(name: str) -> str:
    return re.sub(r"\W+", "_", str(name)).strip("_")


def design_frame(clean: pd.DataFrame, settings: SemSettings) -> tuple[pd.DataFrame, list[str]]:
    """Numeric frame of the structural checks: INST, VIRT, AMB (the product of the mean-centred
    INST and VIRT), M, Y, W and the controls with categorical ones dummy-coded (first level =
    reference). Returns the frame and the control column names (constant ones left out, e.g.
    the wave dummy of a one-wave study).
    """
    xa, xb = settings.x
    cols = [xa, xb, settings.m, settings.y, settings.w, *settings.controls]
    require_columns(clean, cols, "clean table")
    out = pd.DataFrame(index=clean.index)
    constructs = [xa, xb, settings.m, settings.y, settings.w]
    dag = (settings.causal_model or {}).get("nodes") or {}
    constructs += [
        n
        for n, info in dag.items()
        if (info if isinstance(info, str) else info.get("role")) == "construct"
        and n not in constructs
        and n in clean.columns
    ]
    for c in constructs:
        out[c] = pd.to_numeric(clean[c], errors="coerce")
        if out[c].isna().all():
            raise SemInputError(f"clean table: column {c!r} must be numeric")
    out["AMB"] = (out[xa] - out[xa].mean()) * (out[xb] - out[xb].mean())
    controls = []
    for c in settings.controls:
        if c in settings.categorical_controls:
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
        for name in (
            "cfa_fit",
            "reliability",
            "cmv_models",
            "invariance_tests",
            "mediation_type",
            "ambidexterity_moderation",
            "ambidexterity_index",
            "conditional_effects",
            "moderated_mediation",
            "convergence",
        ):
            if name in self.tables:
                lines.append(f"\n[{name}]\n{frame_text(self.tables[name])}")
        return "\n".join(lines)

    def write(self, outdir: str | Path, summary: str | None = "summary.json") -> list[Path]:
        """Write every table (CSV), model text and ``summary`` (JSON; None: no summary) under
        ``outdir``, atomically."""
        outdir = Path(outdir)
        written = []
        for name, frame in sorted(self.tables.items()):
            written.append(write_csv(frame, outdir / f"{name}.csv", digits=SIGNIFICANT_DIGITS))
        for name, text in sorted(self.model_texts.items()):
            written.append(write_text(outdir / name, text))
        if summary:
            info = dict(self.info)
            info["files"] = sorted(str(p.relative_to(outdir)) for p in written) + [summary]
            written.append(write_json(info, outdir / summary))
        return written


def _context(clean: pd.DataFrame, codebook: Codebook | Mapping[str, Any], s: SemSettings, seed: int) -> Context:
    design, controls = design_frame(clean, s)
    return Context(clean, codebook, s, int(seed), design, controls)


def _conventions(s: SemSettings, seed: int) -> dict[str, str]:
    return {
        "sample": "every usable firm; latent-variable models by FIML (lavaan missing = 'ml', fixed.x), "
        "listwise fits in sensitivity_listwise.csv; every table states its N",
        "estimator": "ML (nero.sem.ml, lavaan's conventions): fit indices with lavaan's definitions (RMSEA with N, "
        "SRMR Bentler, RMSEA 90% CI by the noncentral chi-square); SEs from the expected (complete "
        "data) or observed (FIML) information",
        "regressions": f"OLS with {s.se_type} standard errors (PROCESS' names); Wald F tests with the same "
        "covariance; VIF and f2 per predictor",
        "ambidexterity": "INST and VIRT mean-centred with their product INST:VIRT (the multiplier); alternatives "
        f"{', '.join(s.ambidexterity.alternatives)} (He & Wong 2004; Cao et al. 2009)",
        "bootstrap": f"{s.n_boot} case resamples, seed {seed}; percentile and bias-corrected intervals "
        f"({s.boot_ci} in the new tables)",
        "mediation_type": "Zhao, Lynch & Chen (2010)",
        "moderator_probes": "mean and +-1 SD (SD with n - 1)",
        "reliability": "alpha: Cronbach 1951; CR and AVE from standardised loadings (Fornell & Larcker 1981)",
        "htmt": "Henseler et al. 2015, thresholds .85 / .90",
        "invariance": "multi-group ML with equality constraints (complete rows); CFI rule: delta CFI >= -0.01; "
        "not applicable with one group",
        "precision": "numbers written with 8 significant digits (nero.sem._common.SIGNIFICANT_DIGITS)",
    }


def run_sem_family(
    family: str,
    clean: pd.DataFrame,
    codebook: Codebook | Mapping[str, Any],
    settings: SemSettings | Mapping[str, Any] | None = None,
    seed: int = 0,
) -> SemStudyResult:
    """Run one analysis family (a key of :data:`nero.sem.families.FAMILIES`).

    The result's ``info`` holds the family's ``headline`` lines and ``convergence`` rows
    (written as ``parts/<family>.json`` by the pipeline and merged by
    :func:`summarise_families`).
    """
    if family not in FAMILIES:
        raise SemInputError(f"sem: unknown analysis family {family!r}; known: {sorted(FAMILIES)}")
    s = SemSettings.resolve(settings)
    with single_thread():
        part: FamilyResult = FAMILIES[family](_context(clean, codebook, s, seed))
    for row in part.convergence:
        logging.getLogger(__name__).info("fit %s: %.2f s", row["model"], row.pop("seconds", float("nan")))
        row.pop("n_iter", None)
    info = {
        "family": family,
        "headline": part.headline,
        "convergence": part.convergence,
        "n_obs": int(len(clean)),
        "seed": int(seed),
    }
    return SemStudyResult(part.tables, part.texts, info, part.results)


def summarise_families(
    parts: Sequence[Mapping[str, Any]], settings: SemSettings | Mapping[str, Any] | None, seed: int, n_obs: int
) -> tuple[dict[str, Any], pd.DataFrame]:
    """``summary.json`` content and the convergence table from the families' parts (in family order)."""
    s = SemSettings.resolve(settings)
    order = {name: i for i, name in enumerate(FAMILIES)}
    parts = sorted(parts, key=lambda p: order.get(p.get("family"), len(order)))
    headline = [h for p in parts for h in p.get("headline", [])]
    conv = [c for p in parts for c in p.get("convergence", [])]
    convergence = pd.DataFrame(
        conv, columns=["model", "n_obs", "converged", "reason", "heywood_cases", "negative_variances", "problems"]
    )
    info = {
        "seed": int(seed),
        "n_obs": int(n_obs),
        "settings": s.to_dict(),
        "families": [p.get("family") for p in parts],
        "conventions": _conventions(s, seed),
        "all_converged": bool(convergence["converged"].all()) if len(conv) else True,
        "headline": headline,
    }
    return info, convergence


def run_sem_checks(
    clean: pd.DataFrame,
    codebook: Codebook | Mapping[str, Any],
    settings: SemSettings | Mapping[str, Any] | None = None,
    seed: int = 0,
    families: Sequence[str] | None = None,
) -> SemStudyResult:
    """Run every analysis family (or those named) and merge their tables.

    Parameters
    ----------
    clean : DataFrame
        The clean survey table: items (INST1 ... MARK3, reverse items recoded), construct
        scores, controls, ``recorded_date`` and ``wave``.
    codebook : Codebook or mapping
        The study's codebook (:class:`nero.survey.codebook.Codebook`), or a bare measurement
        model ``{constructs: {NAME: {items: [...], marker: true?}}}`` (see
        :func:`nero.sem.syntax.codebook_constructs`).
    settings : SemSettings or mapping, optional
        The settings (:class:`~nero.sem.settings.SemSettings`), or the ``sem`` section of the config
        that overrides its defaults (resolved once).
    seed : int
        Seed of every bootstrap (``numpy.random.default_rng``).
    families : sequence of str, optional
        Families to run (default: all, in the order of :data:`nero.sem.families.FAMILIES`).

    Returns
    -------
    SemStudyResult
        The tables of :data:`FAMILY_OUTPUTS` plus ``convergence``; ``info`` as ``summary.json``.
    """
    s = SemSettings.resolve(settings)
    tables: dict[str, pd.DataFrame] = {}
    texts: dict[str, str] = {}
    results: dict[str, Any] = {}
    parts = []
    for family in families or list(FAMILIES):
        part = run_sem_family(family, clean, codebook, s, seed)
        tables.update(part.tables)
        texts.update(part.model_texts)
        results.update(part.results)
        parts.append(part.info)
    info, convergence = summarise_families(parts, s, seed, len(clean))
    tables["convergence"] = convergence
    return SemStudyResult(tables, texts, info, results)


def write_family(result: SemStudyResult, outdir: str | Path, declared: Sequence[str], part: str | Path) -> list[Path]:
    """Write a family's tables and model texts, a one-row ``note`` table for every declared
    CSV the family could not estimate (e.g. reliability after a failed CFA), and its part
    JSON (headline and convergence rows) for :func:`summarise_families`."""
    outdir = Path(outdir)
    written = result.write(outdir, summary=None)
    names = {p.name for p in written}
    for name in declared:
        if name not in names and name.endswith(".csv"):
            note = f"not estimated in this study (family {result.info.get('family')}); see the log"
            written.append(
                write_csv(
                    pd.DataFrame([{"note": note, "n": result.info.get("n_obs")}]),
                    outdir / name,
                    digits=SIGNIFICANT_DIGITS,
                )
            )
        elif name not in names:
            written.append(write_text(outdir / name, "# not estimated in this study; see the log\n"))
    written.append(write_json(result.info, part))
    return written
