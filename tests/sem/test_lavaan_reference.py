"""Fit, df and estimates equal to lavaan for structural models with observed exogenous
covariates (fixed.x) and for FIML with missing data (lavaan's missing = "ml").

Reference figures: lavaan 0.6-14 (R 4.2, Debian's r-cran-lavaan) on exactly these data and
models; the scripts and whole parameter tables are in tests/sem/oracle (``make oracle``;
these fits are ``pd_fixed_x_ml``, ``hs_fiml_ml`` and ``study_cfa_fiml_ml`` there, compared
in full by test_oracle.py; docs/sem.md, "lavaan oracle"). The study's figures are also
those of issue 13 (a methodologist's lavaan run). The test suite does not need R.
"""

import numpy as np
import pandas as pd
import pytest

from nero.sem import fit_cfa

PD_MODEL = """
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ x1 + x2
dem65 ~ dem60 + x1 + x3
y1 ~~ y5
y2 ~~ y6
"""


def hs_with_missing(hs: pd.DataFrame) -> pd.DataFrame:
    """Holzinger-Swineford with 112 values deleted on a fixed pattern (every k-th row of four items)."""
    out = hs[[f"x{i}" for i in range(1, 10)]].reset_index(drop=True).copy()
    for col, step, off in (("x2", 7, 0), ("x5", 11, 3), ("x9", 13, 5), ("x1", 17, 2)):
        out.loc[np.arange(off, len(out), step), col] = np.nan
    return out


def test_political_democracy_with_observed_exogenous_covariates(poldem):
    # x1..x3 observed exogenous: their 6 moments + 3 means are fixed (fixed.x), df 37 not 43
    res = fit_cfa(poldem, PD_MODEL, name="PD with covariates")
    f = res.fit
    assert res.converged and f["df"] == 37
    assert f["chi2"] == pytest.approx(55.20475682, abs=1e-6)
    assert f["cfi"] == pytest.approx(0.9603804139, abs=1e-8)
    assert f["tli"] == pytest.approx(0.9443184195, abs=1e-8)
    assert f["rmsea"] == pytest.approx(0.08099551055, abs=1e-8)
    assert f["rmsea_ci_lower"] == pytest.approx(0.02787041875, abs=1e-6)
    assert f["rmsea_ci_upper"] == pytest.approx(0.1233406705, abs=1e-6)
    assert f["srmr"] == pytest.approx(0.0497498132, abs=1e-7)
    est = res.estimates.set_index(["lhs", "op", "rhs"])
    lavaan = {
        ("dem60", "x1"): (0.95267023, 0.73071538),
        ("dem60", "x2"): (0.21058396, 0.35232279),
        ("dem65", "dem60"): (0.83546510, 0.09938241),
        ("dem65", "x1"): (0.24503245, 0.27888701),
        ("dem65", "x3"): (0.11553493, 0.13828262),
    }
    for (lhs, rhs), (b, se) in lavaan.items():
        assert est.loc[(lhs, "~", rhs), "est"] == pytest.approx(b, abs=1e-5)
        assert est.loc[(lhs, "~", rhs), "se"] == pytest.approx(se, abs=1e-5)


def test_fiml_holzinger_swineford_with_missing_values(hs):
    data = hs_with_missing(hs)
    res = fit_cfa(data, "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9", name="HS FIML")
    f = res.fit
    assert res.n_obs == 301 and res.missing == "fiml" and f["df"] == 24
    assert f["chi2"] == pytest.approx(86.10229643, abs=1e-5)
    assert f["cfi"] == pytest.approx(0.9239072214, abs=1e-7)
    assert f["tli"] == pytest.approx(0.8858608322, abs=1e-7)
    assert f["rmsea"] == pytest.approx(0.09271819349, abs=1e-7)
    assert f["rmsea_ci_lower"] == pytest.approx(0.07203946515, abs=1e-6)
    assert f["rmsea_ci_upper"] == pytest.approx(0.1142538153, abs=1e-6)
    assert f["srmr"] == pytest.approx(0.06131124818, abs=1e-6)
    lo = res.loadings().set_index(["factor", "indicator"])
    lavaan = {
        ("visual", "x2"): (0.50382802, 0.12922145),
        ("visual", "x3"): (0.73937297, 0.13773007),
        ("textual", "x5"): (1.10763622, 0.06684780),
        ("textual", "x6"): (0.92880194, 0.05793440),
        ("speed", "x8"): (1.16687271, 0.15092505),
        ("speed", "x9"): (0.98563370, 0.16013269),
    }
    for key, (b, se) in lavaan.items():
        assert lo.loc[key, "est"] == pytest.approx(b, abs=2e-5)
        assert lo.loc[key, "se"] == pytest.approx(se, abs=2e-5)
    listwise = fit_cfa(data, res.model_text, missing="listwise")
    assert listwise.n_obs == int(data.notna().all(axis=1).sum()) < 301


def test_study_cfa_by_fiml_on_all_218_firms(shipped_clean):
    """The study's CFA by FIML on every firm and listwise, against lavaan 0.6-14 on the same data
    (tests/sem/oracle: generate.py writes the inputs from data/raw, study.R the fits)."""
    from oracle_compare import lavaan_fits
    from semdata import ROOT

    from nero.config import load_yaml
    from nero.sem import cfa_model_from_codebook

    text = cfa_model_from_codebook(load_yaml(ROOT / "config" / "codebook.yaml"))
    res = fit_cfa(shipped_clean, text, name="CFA")
    f, lav = res.fit, lavaan_fits("study")["study_cfa_fiml_ml"]
    ref = lav["fit"]
    assert res.n_obs == lav["nobs"] == len(shipped_clean) and f["df"] == ref["df"] == 335 and res.missing == "fiml"
    assert f["chi2"] == pytest.approx(2 * (ref["unrestricted.logl"] - ref["logl"]), abs=1e-5)
    assert f["chi2"] == pytest.approx(ref["chisq"], abs=1e-5)
    for ours, theirs in (("cfi", "cfi"), ("tli", "tli"), ("rmsea", "rmsea")):
        assert f[ours] == pytest.approx(ref[theirs], abs=1e-9)
    assert f["rmsea_ci_lower"] == pytest.approx(ref["rmsea.ci.lower"], abs=1e-7)
    assert f["rmsea_ci_upper"] == pytest.approx(ref["rmsea.ci.upper"], abs=1e-7)
    assert f["srmr"] == pytest.approx(ref["srmr"], abs=1e-6)
    listwise = fit_cfa(shipped_clean, text, missing="listwise", std_se=False)
    assert listwise.n_obs == lavaan_fits("study")["study_cfa_listwise_ml"]["nobs"] < len(shipped_clean)


def test_study_latent_mediation_old_specification_has_lavaans_df(shipped_clean):
    """The model before the causal model was declared: X = centred INST x centred VIRT alone with every
    control, listwise, against lavaan (oracle spec study_latent_old_listwise_ml). Its CFI is capped at 1
    and its TLI above 1 on the stand-in: the bound of the index is tested against lavaan's."""
    from oracle_compare import lavaan_fits, lavaan_table
    from semdata import ROOT

    from nero.config import load_yaml
    from nero.sem import latent_mediation
    from nero.sem.settings import SemSettings
    from nero.sem.study import design_frame

    s = SemSettings.from_config(load_yaml(ROOT / "config" / "config.yaml")["sem"])
    design, controls = design_frame(shipped_clean, s)
    items = {c: [f"{c}{i}" for i in range(1, 6)] for c in ("CAP", "SCO")}
    data = pd.concat([shipped_clean[items["CAP"] + items["SCO"]], design[["AMB", *controls]]], axis=1)
    res = latent_mediation(data, "AMB", items["CAP"], items["SCO"], controls, "CAP", "SCO", missing="listwise")
    f, lav = res.fit.fit, lavaan_fits("study")["study_latent_old_listwise_ml"]
    ref = lav["fit"]
    # not 188 df: the 66 moments of the 11 covariates are fixed
    assert res.fit.n_obs == lav["nobs"] and f["df"] == ref["df"] == 122 and len(["AMB", *controls]) == 11
    assert f["chi2"] == pytest.approx(ref["chisq"], abs=5e-4)
    assert f["p"] == pytest.approx(ref["pvalue"], abs=1e-7)
    for key in ("cfi", "tli", "rmsea"):
        assert f[key] == pytest.approx(ref[key], abs=1e-8)
    assert f["cfi"] <= 1.0 and (ref["cfi"] < 1.0 or f["cfi"] == 1.0)
    assert f["rmsea_ci_upper"] == pytest.approx(ref["rmsea.ci.upper"], abs=1e-7)
    assert (
        f["baseline_chi2"] == pytest.approx(ref["baseline.chisq"], abs=1e-5) and f["baseline_df"] == ref["baseline.df"]
    )
    paths = lavaan_table("study", "study_latent_old_listwise_ml").set_index("label")
    eff = res.effects.set_index("effect")
    for ours, label in (("a", "a"), ("b", "b"), ("c' (direct)", "c")):
        assert eff.loc[ours, "estimate"] == pytest.approx(paths.loc[label, "est"], abs=1e-4)
        assert eff.loc[ours, "se"] == pytest.approx(paths.loc[label, "se"], abs=1e-4)
        assert eff.loc[ours, "std_estimate"] == pytest.approx(paths.loc[label, "std_all"], abs=1e-4)
