"""Measurement invariance: lavaan's Holzinger-Swineford example by school."""

import pytest

from semdata import HS_FACTORS
from nero.sem import measurement_invariance


@pytest.fixture(scope="module")
def inv(hs):
    return measurement_invariance(hs, HS_FACTORS, group="school",
                                  levels=("configural", "metric", "scalar", "strict"))


def test_levels_match_lavaan(inv):
    f = inv.fits.set_index("level")
    # lavaan tutorial: cfa(..., group = "school", group.equal = ...)
    assert round(f.loc["configural", "chi2"], 3) == 115.851 and f.loc["configural", "df"] == 48
    assert round(f.loc["metric", "chi2"], 3) == 124.044 and f.loc["metric", "df"] == 54
    assert round(f.loc["scalar", "chi2"], 3) == 164.103 and f.loc["scalar", "df"] == 60
    # lavaan 0.6-14 with group.equal = c("loadings", "intercepts", "residuals")
    assert f.loc["strict", "chi2"] == pytest.approx(181.51134523, abs=1e-3) and f.loc["strict", "df"] == 69
    for level, cfi, tli, rmsea, lo, hi, srmr in (
        ("configural", 0.923, 0.885, 0.097, 0.075, 0.120, 0.068),
        ("metric", 0.921, 0.895, 0.093, 0.071, 0.114, 0.072),
        ("scalar", 0.882, 0.859, 0.107, 0.088, 0.127, 0.082),
    ):
        assert round(f.loc[level, "cfi"], 3) == cfi
        assert round(f.loc[level, "tli"], 3) == tli
        assert round(f.loc[level, "rmsea"], 3) == rmsea
        assert round(f.loc[level, "rmsea_ci_lower"], 3) == lo
        assert round(f.loc[level, "rmsea_ci_upper"], 3) == hi
        assert round(f.loc[level, "srmr"], 3) == srmr
    assert f["converged"].all()


def test_difference_tests_and_cfi_rule(inv):
    c = inv.comparisons.set_index("level")
    # lavTestLRT: 8.192 (6 df, p = .2244), 40.059 (6 df, p = 4.435e-07)
    assert c.loc["metric", "delta_chi2"] == pytest.approx(8.192, abs=1e-3)
    assert c.loc["metric", "p"] == pytest.approx(0.2244, abs=1e-4)
    assert c.loc["scalar", "delta_chi2"] == pytest.approx(40.059, abs=1e-3)
    assert c.loc["scalar", "p"] == pytest.approx(4.435e-07, rel=1e-3)
    assert bool(c.loc["metric", "invariance_cfi_rule"]) is True
    assert bool(c.loc["scalar", "invariance_cfi_rule"]) is False  # CFI drops by .038 > .01


def test_configural_is_sum_of_group_fits(inv):
    check = inv.configural_check
    assert check["configural_chi2"] == pytest.approx(check["sum_single_group_chi2"], abs=1e-3)
    assert set(check["single_group_chi2"]) == {"Grant-White", "Pasteur"}


def test_scalar_latent_means(inv):
    est = inv.estimates["scalar"]
    assert list(est[0]["latent_means"]) == [0.0, 0.0, 0.0]  # reference group
    # lavaan: Pasteur is the first group there; the sign flips with the reference group
    assert abs(est[1]["latent_means"]["visual"]) == pytest.approx(0.148, abs=2e-3)
