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
    from semdata import ROOT

    from nero.config import load_yaml
    from nero.sem import cfa_model_from_codebook

    text = cfa_model_from_codebook(load_yaml(ROOT / "config" / "codebook.yaml"))
    res = fit_cfa(shipped_clean, text, name="CFA")
    f = res.fit
    assert res.n_obs == 218 and f["df"] == 335 and res.missing == "fiml"
    # issue 13 (lavaan, missing = "fiml"): chi2 359.797, CFI .9933, TLI .9924, RMSEA .0184 [0, .0320], SRMR .0399;
    # unrounded from lavaan 0.6-14 here: logL -9911.567664, unrestricted -9731.669264
    assert f["chi2"] == pytest.approx(2 * (9911.567664 - 9731.669264), abs=1e-5)
    assert f["cfi"] == pytest.approx(0.9932550133, abs=1e-9)
    assert f["tli"] == pytest.approx(0.9923892389, abs=1e-9)
    assert f["rmsea"] == pytest.approx(0.0184266833, abs=1e-9)
    assert f["rmsea_ci_lower"] == 0 and f["rmsea_ci_upper"] == pytest.approx(0.03196995174, abs=1e-7)
    assert f["srmr"] == pytest.approx(0.03985510678, abs=1e-6)
    listwise = fit_cfa(shipped_clean, text, missing="listwise", std_se=False)
    assert listwise.n_obs == 214


def test_study_latent_mediation_old_specification_has_lavaans_df(shipped_clean):
    """The model that produced issue 13's figures: X = centred INST x centred VIRT alone, listwise (217)."""
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
    f = res.fit.fit
    assert res.fit.n_obs == 217 and f["df"] == 122  # not 188: the 66 moments of the 11 covariates are fixed
    assert f["chi2"] == pytest.approx(136.218, abs=5e-4)
    assert f["p"] == pytest.approx(0.1789481916, abs=1e-8)
    assert f["cfi"] == pytest.approx(0.9910374225, abs=1e-9)
    assert f["tli"] == pytest.approx(0.9886131187, abs=1e-9)
    assert f["rmsea"] == pytest.approx(0.02317451823, abs=1e-9)
    assert f["rmsea_ci_upper"] == pytest.approx(0.04211674781, abs=1e-7)
    assert f["baseline_chi2"] == pytest.approx(1741.383074, abs=1e-5) and f["baseline_df"] == 155
    eff = res.effects.set_index("effect")
    for label, est, se in (("a", 0.245, 0.043), ("b", 0.540, 0.070), ("c' (direct)", -0.284, 0.040)):
        assert round(eff.loc[label, "estimate"], 3) == est and round(eff.loc[label, "se"], 3) == se
