"""Reliability, Fornell-Larcker and HTMT, checked against semTools on Holzinger-Swineford."""

import numpy as np
import pytest
from semdata import HS_FACTORS

from nero.sem import (
    average_variance_extracted,
    composite_reliability,
    cronbach_alpha,
    fornell_larcker,
    htmt,
    reliability_table,
)


def test_alpha_matches_semtools_and_formula(hs):
    # semTools 0.5-6 compRelSEM(fit, tau.eq = TRUE, obs.var = TRUE) = Cronbach's alpha
    assert cronbach_alpha(hs[HS_FACTORS["visual"]]) == pytest.approx(0.6261171319, abs=1e-9)
    assert cronbach_alpha(hs[HS_FACTORS["textual"]]) == pytest.approx(0.8827069129, abs=1e-9)
    assert cronbach_alpha(hs[HS_FACTORS["speed"]]) == pytest.approx(0.6884550230, abs=1e-9)


def test_cr_and_ave_from_standardised_loadings():
    loadings = [0.7, 0.8, 0.9]
    assert composite_reliability(loadings) == pytest.approx(2.4**2 / (2.4**2 + 0.51 + 0.36 + 0.19))
    assert average_variance_extracted(loadings) == pytest.approx((0.49 + 0.64 + 0.81) / 3)


def test_reliability_table(hs, hs_cfa):
    rel = reliability_table(hs_cfa, hs).set_index("construct")
    std = hs_cfa.loadings().set_index("indicator")["std_all"]
    assert rel.loc["visual", "ave"] == pytest.approx(np.mean(std[["x1", "x2", "x3"]] ** 2))
    assert rel.loc["visual", "cr"] == pytest.approx(0.6258, abs=1e-4)
    assert rel.loc["textual", "ave"] == pytest.approx(0.7195, abs=1e-4)
    # semTools' AVE weights by item variances (0.3706, 0.7210): close, not equal
    assert rel.loc["visual", "ave"] == pytest.approx(0.3706, abs=2e-3)
    assert rel.loc["textual", "ave"] == pytest.approx(0.7210, abs=2e-3)
    assert bool(rel.loc["textual", "ave_ok"]) and not bool(rel.loc["visual", "ave_ok"])
    assert "Fornell & Larcker" in rel["cr_formula"].iloc[0]


def test_htmt_matches_semtools(hs):
    # semTools 0.5-6 htmt(HS.model, HolzingerSwineford1939, htmt2 = FALSE / TRUE)
    h = htmt(hs, HS_FACTORS).matrix
    assert h.loc["textual", "visual"] == pytest.approx(0.4243230424, abs=1e-9)
    assert h.loc["speed", "visual"] == pytest.approx(0.4665497385, abs=1e-9)
    assert h.loc["speed", "textual"] == pytest.approx(0.2895678628, abs=1e-9)
    h2 = htmt(hs, HS_FACTORS, htmt2=True).matrix
    assert h2.loc["textual", "visual"] == pytest.approx(0.3840885639, abs=1e-9)
    assert h2.loc["speed", "visual"] == pytest.approx(0.3867729305, abs=1e-9)
    assert h2.loc["speed", "textual"] == pytest.approx(0.2796835510, abs=1e-9)
    res = htmt(hs, HS_FACTORS)
    assert res.passed and "0.85" in res.note and "0.90" in res.note


def test_fornell_larcker(hs, hs_cfa):
    fl = fornell_larcker(hs_cfa, data=hs)
    m = fl.matrix
    assert m.loc["visual", "visual"] == pytest.approx(np.sqrt(0.370984), abs=1e-5)
    assert m.loc["textual", "visual"] == pytest.approx(0.459, abs=5e-4)
    assert np.isnan(m.loc["visual", "textual"])
    # sqrt(AVE) of visual (.609) > .459 and .471: the criterion holds everywhere on HS
    assert fl.passed and len(fl.checks) == 3
