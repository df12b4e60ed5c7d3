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
    """The study's invariance across waves by FIML on every firm (lavaan's missing = "ml"), and
    on the complete rows, against lavaan 0.6-14 run here (cfa(..., group = "wave", missing =
    "ml" | "listwise", group.equal = ...), items of the six constructs, rows with an item answered)."""
    import json

    from semdata import ROOT

    from nero.config import load_yaml
    from nero.sem.syntax import codebook_constructs

    codebook = load_yaml(ROOT / "config" / "codebook.yaml")
    constructs = codebook_constructs(codebook, include_marker=False)
    factors = {name: codebook_constructs(codebook, include_marker=True)[name] for name in constructs}
    from oracle_compare import TOLERANCE, lavaan_fits

    fits = lavaan_fits("study")  # tests/sem/oracle: study.R fits the groups of inputs/study/groups.json
    lavaan = {}
    for missing, name in (("fiml", "study_invariance_wave"), ("listwise", "study_invariance_wave_listwise")):
        levels = [fits[f"{name}_{level}"] for level in ("configural", "metric", "scalar")]
        n = sum(levels[0]["nobs"]) if isinstance(levels[0]["nobs"], list) else levels[0]["nobs"]
        rows = [
            (lv["fit"]["chisq"], lv["fit"]["cfi"], lv["fit"]["tli"], lv["fit"]["rmsea"], lv["fit"]["srmr"])
            for lv in levels
        ]
        lavaan[missing] = (n, rows, levels[0]["fit"]["baseline.chisq"])
    assert lavaan["fiml"][0] == len(shipped_clean) > lavaan["listwise"][0]
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
            # SRMR is built on the unrestricted moments, which lavaan's EM estimates to 1e-5 (ours
            # to 1e-12): the oracle's SRMR tolerance (tests/sem/oracle_compare.py)
            assert f.loc[level, "srmr"] == pytest.approx(srmr, abs=TOLERANCE["srmr"])
            # the baseline's chi-square is taken against the unrestricted model's log-likelihood, which
            # lavaan's EM reaches to its tolerance of 1e-5 in the moments: a few 1e-6 on about 5,000
            assert f.loc[level, "baseline_chi2"] == pytest.approx(baseline, abs=5e-6)
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
