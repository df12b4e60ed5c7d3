"""Measurement invariance: lavaan's Holzinger-Swineford example by school."""

import pytest
from semdata import HS_FACTORS

from nero.sem import measurement_invariance


@pytest.fixture(scope="module")
def inv(hs):
    return measurement_invariance(hs, HS_FACTORS, group="school", levels=("configural", "metric", "scalar", "strict"))


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


def test_study_waves_by_fiml_match_lavaan(shipped_clean):
    """The study's invariance across waves by FIML on all 218 firms (lavaan's missing = "ml"), and
    on the 214 complete rows, against lavaan 0.6-14 run here (cfa(..., group = "wave", missing =
    "ml" | "listwise", group.equal = ...), items of the six constructs, rows with an item answered)."""
    import json

    from semdata import ROOT

    from nero.config import load_yaml
    from nero.sem.syntax import codebook_constructs

    codebook = load_yaml(ROOT / "config" / "codebook.yaml")
    constructs = codebook_constructs(codebook, include_marker=False)
    factors = {name: codebook_constructs(codebook, include_marker=True)[name] for name in constructs}
    lavaan = {
        "fiml": (
            218,
            [
                (806.53059988, 0.96406431, 0.95945167, 0.04323788, 0.05864533),
                (833.56787578, 0.96273847, 0.95929231, 0.04332275, 0.06352024),
                (852.52494437, 0.96353938, 0.96139464, 0.04218923, 0.06407561),
            ],
            4555.30350039,
        ),
        "listwise": (
            214,
            [
                (797.15983421, 0.96576802, 0.96137407, 0.04211586, 0.05868806),
                (822.80326643, 0.96478719, 0.96153052, 0.04203048, 0.06333753),
                (841.17286743, 0.96576451, 0.96375066, 0.04079963, 0.06389181),
            ],
            4470.65048362,
        ),
    }
    for missing, (n, levels, baseline) in lavaan.items():
        inv = measurement_invariance(shipped_clean, factors, group="wave", missing=missing)
        f = inv.fits.set_index("level")
        assert list(f.index) == ["configural", "metric", "scalar"] and f["converged"].all(), json.dumps(missing)
        assert (f["n_obs"] == n).all() and list(f["df"]) == [670, 692, 714]
        for level, (chi2, cfi, tli, rmsea, srmr) in zip(f.index, levels):
            # chi2 to lavaan's optimiser tolerance; indices to 8 decimals
            assert f.loc[level, "chi2"] == pytest.approx(chi2, abs=1e-6)
            assert f.loc[level, "cfi"] == pytest.approx(cfi, abs=1e-8)
            assert f.loc[level, "tli"] == pytest.approx(tli, abs=1e-8)
            assert f.loc[level, "rmsea"] == pytest.approx(rmsea, abs=1e-8)
            assert f.loc[level, "srmr"] == pytest.approx(srmr, abs=3e-7)
            assert f.loc[level, "baseline_chi2"] == pytest.approx(baseline, abs=1e-6)
        # the configural model is the groups fitted alone, with the same missing-data treatment
        check = inv.configural_check
        assert check["configural_chi2"] == pytest.approx(check["sum_single_group_chi2"], abs=1e-6)


def test_missing_must_be_fiml_or_listwise(hs):
    from nero.sem import SemInputError

    with pytest.raises(SemInputError, match="missing must be 'fiml' or 'listwise'"):
        measurement_invariance(hs, HS_FACTORS, group="school", missing="pairwise")


def test_an_item_unanswered_in_a_group_is_named(hs):
    data = hs.copy()
    data.loc[data["school"] == "Pasteur", "x4"] = float("nan")
    from nero.sem import SemInputError

    with pytest.raises(SemInputError, match="group 'Pasteur' of 'school' has no answer to x4"):
        measurement_invariance(data, HS_FACTORS, group="school")
