"""CFA/SEM against lavaan's published Holzinger-Swineford and Political Democracy results.

Published numbers: lavaan tutorial (Rosseel 2012; lavaan 0.6 output). The 6-decimal
values were produced with lavaan 0.6-14 / semTools 0.5-6 on the same data (recorded
here; R is not needed to run the tests).
"""

import pytest
from semdata import HS_FACTORS

from nero.sem import fit_cfa, fit_indices, measurement_syntax, rmsea, rmsea_ci, srmr


def test_hs_fit_indices_match_lavaan_published(hs_cfa):
    f = hs_cfa.fit
    assert hs_cfa.converged and hs_cfa.reason == "converged"
    assert f["df"] == 24
    assert round(f["chi2"], 3) == 85.306
    assert round(f["cfi"], 3) == 0.931
    assert round(f["tli"], 3) == 0.896
    assert round(f["nfi"], 3) == 0.907
    assert round(f["rmsea"], 3) == 0.092
    assert round(f["rmsea_ci_lower"], 3) == 0.071
    assert round(f["rmsea_ci_upper"], 3) == 0.114
    assert round(f["srmr"], 3) == 0.065


def test_hs_fit_indices_match_lavaan_to_six_decimals(hs_cfa):
    # lavaan 0.6-14 fitMeasures(), unrounded
    f = hs_cfa.fit
    assert f["chi2"] == pytest.approx(85.30552177, abs=1e-5)
    assert f["p"] == pytest.approx(8.502553217e-09, rel=1e-5)
    assert f["cfi"] == pytest.approx(0.9305596518, abs=1e-7)
    assert f["tli"] == pytest.approx(0.8958394777, abs=1e-7)
    assert f["nfi"] == pytest.approx(0.9071607180, abs=1e-7)
    assert f["rmsea"] == pytest.approx(0.09212148451, abs=1e-7)
    assert f["rmsea_ci_lower"] == pytest.approx(0.07141849044, abs=1e-6)
    assert f["rmsea_ci_upper"] == pytest.approx(0.1136780168, abs=1e-6)
    assert f["srmr"] == pytest.approx(0.06520505718, abs=1e-7)
    assert f["baseline_chi2"] == pytest.approx(918.852, abs=1e-3)


def test_hs_loadings_and_standardised_solution(hs_cfa):
    load = hs_cfa.loadings().set_index("indicator")
    # lavaan summary(): unstandardised loadings and SEs
    assert load.loc["x2", "est"] == pytest.approx(0.554, abs=5e-4)
    assert load.loc["x2", "se"] == pytest.approx(0.100, abs=5e-4)
    assert load.loc["x3", "est"] == pytest.approx(0.729, abs=5e-4)
    assert load.loc["x5", "est"] == pytest.approx(1.113, abs=5e-4)
    assert load.loc["x5", "se"] == pytest.approx(0.065, abs=5e-4)
    assert load.loc["x8", "est"] == pytest.approx(1.180, abs=5e-4)
    assert load.loc["x9", "z"] == pytest.approx(7.155, abs=5e-3)
    # lavaan standardizedSolution(): est.std, se (delta method), z
    expected = {
        "x1": (0.772, 0.055, 14.041),
        "x2": (0.424, 0.060, 7.105),
        "x3": (0.581, 0.055, 10.539),
        "x4": (0.852, 0.023, 37.776),
        "x5": (0.855, 0.022, 38.273),
        "x6": (0.838, 0.023, 35.881),
        "x7": (0.570, 0.053, 10.714),
        "x8": (0.723, 0.051, 14.309),
        "x9": (0.665, 0.051, 13.015),
    }
    for item, (std, se, z) in expected.items():
        assert load.loc[item, "std_all"] == pytest.approx(std, abs=5e-4), item
        assert load.loc[item, "std_se"] == pytest.approx(se, abs=5e-4), item
        assert load.loc[item, "std_z"] == pytest.approx(z, abs=5e-3), item
    assert hs_cfa.heywood_cases == 0 and hs_cfa.negative_variances == 0


def test_hs_factor_covariances(hs_cfa):
    est = hs_cfa.estimates
    cov = est[(est.op == "~~") & (est.lhs != est.rhs)]
    pairs = {frozenset((r.lhs, r.rhs)): r.est for r in cov.itertuples()}
    assert pairs[frozenset(("visual", "textual"))] == pytest.approx(0.408, abs=5e-4)
    assert pairs[frozenset(("visual", "speed"))] == pytest.approx(0.262, abs=5e-4)
    assert pairs[frozenset(("textual", "speed"))] == pytest.approx(0.173, abs=5e-4)
    corr = hs_cfa.latent_correlations()
    assert corr.loc["visual", "textual"] == pytest.approx(0.459, abs=5e-4)


def test_political_democracy_matches_lavaan(poldem):
    from semdata import PD_MODEL

    res = fit_cfa(poldem, PD_MODEL, name="PoliticalDemocracy")
    f = res.fit
    assert res.converged
    assert f["df"] == 35
    assert round(f["chi2"], 3) == 38.125
    assert round(f["p"], 3) == 0.329
    assert round(f["cfi"], 3) == 0.995
    assert round(f["tli"], 3) == 0.993
    assert round(f["rmsea"], 3) == 0.035
    assert round(f["rmsea_ci_lower"], 3) == 0.000
    assert round(f["rmsea_ci_upper"], 3) == 0.092
    assert round(f["srmr"], 3) == 0.044
    est = res.estimates.set_index(["lhs", "op", "rhs"])
    published = {  # lavaan tutorial, sem(model, PoliticalDemocracy): estimate, SE
        ("ind60", "=~", "x2"): (2.180, 0.139),
        ("ind60", "=~", "x3"): (1.819, 0.152),
        ("dem60", "=~", "y2"): (1.257, 0.182),
        ("dem60", "=~", "y3"): (1.058, 0.151),
        ("dem60", "=~", "y4"): (1.265, 0.145),
        ("dem65", "=~", "y6"): (1.186, 0.169),
        ("dem65", "=~", "y7"): (1.280, 0.160),
        ("dem65", "=~", "y8"): (1.266, 0.158),
        ("dem60", "~", "ind60"): (1.483, 0.399),
        ("dem65", "~", "ind60"): (0.572, 0.221),
        ("dem65", "~", "dem60"): (0.837, 0.098),
        ("y2", "~~", "y6"): (2.153, 0.734),
        ("ind60", "~~", "ind60"): (0.448, 0.087),
        ("dem60", "~~", "dem60"): (3.956, 0.921),
        ("dem65", "~~", "dem65"): (0.172, 0.215),
    }
    for key, (value, se) in published.items():
        assert est.loc[key, "est"] == pytest.approx(value, abs=6e-4), key
        assert est.loc[key, "se"] == pytest.approx(se, abs=6e-4), key


def test_second_order_standardised_loadings_match_lavaan(hs):
    text = measurement_syntax(HS_FACTORS, second_order={"g": ["visual", "textual", "speed"]})
    res = fit_cfa(hs, text)
    # three first-order factors: a second-order factor is just identified -> same fit
    assert res.fit["chi2"] == pytest.approx(85.30552177, abs=1e-5)
    load = res.loadings().set_index("indicator")
    # lavaan 0.6-14 standardizedSolution(), g =~ visual + textual + speed
    assert load.loc["visual", "std_all"] == pytest.approx(0.87315011, abs=1e-5)
    assert load.loc["textual", "std_all"] == pytest.approx(0.52512225, abs=1e-5)
    assert load.loc["speed", "std_all"] == pytest.approx(0.53889374, abs=1e-5)
    assert load.loc["visual", "std_se"] == pytest.approx(0.11466395, abs=1e-4)
    assert load.loc["textual", "std_se"] == pytest.approx(0.07926503, abs=1e-4)


def test_index_functions_directly():
    # HS values: chi2 85.306 on 24 df, N = 301
    assert rmsea(85.30552177, 24, 301) == pytest.approx(0.09212148451, abs=1e-9)
    lo, hi = rmsea_ci(85.30552177, 24, 301)
    assert lo == pytest.approx(0.07141849044, abs=1e-6) and hi == pytest.approx(0.1136780168, abs=1e-6)
    # perfect fit: the interval starts at 0
    assert rmsea_ci(10.0, 35, 75)[0] == 0.0
    idx = fit_indices(85.30552177, 24, 301, (918.8516, 36))
    assert idx["cfi"] == pytest.approx(0.93056, abs=1e-5)
    import numpy as np

    s = np.array([[1.0, 0.5], [0.5, 2.0]])
    assert srmr(s, s) == 0.0
    sigma = np.array([[1.0, 0.3], [0.3, 2.0]])
    # one residual of 0.2 scaled by sqrt(1 * 2), over 3 lower-triangle elements
    assert srmr(s, sigma) == pytest.approx(np.sqrt((0.2 / np.sqrt(2)) ** 2 / 3))
