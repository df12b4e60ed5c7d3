"""Harman, competing CMV models, marker adjustment, non-response tests."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from semdata import HS_FACTORS

from nero.sem import cmv_competing_models, harman_single_factor, marker_adjustment, nonresponse_tests, welch_t_test


def test_harman_on_hs(hs):
    items = [i for its in HS_FACTORS.values() for i in its]
    h = harman_single_factor(hs, items)
    eig = np.linalg.eigvalsh(hs[items].corr().to_numpy())
    assert h.first_share == pytest.approx(eig.max() / 9)
    assert h.first_share == pytest.approx(0.3573715757, abs=1e-9)  # R: eigen(cor(HS[, x1:x9]))
    assert h.n_eigen_above_1 == 3 and not h.cmv_flag


def test_competing_models_on_hs(hs):
    res = cmv_competing_models(hs, HS_FACTORS)
    fits = res.to_frame().set_index("model")
    # lavaan 0.6-14: one factor 312.264 (27 df); three factors 85.306 (24); + equal-loading CLF 54.897 (23)
    assert fits.loc["Model 1: method-only", "chi2"] == pytest.approx(312.2641594, abs=1e-3)
    assert fits.loc["Model 1: method-only", "df"] == 27
    assert fits.loc["Model 1: method-only", "cfi"] == pytest.approx(0.6768832238, abs=1e-6)
    assert fits.loc["Model 2: trait-only", "chi2"] == pytest.approx(85.30552177, abs=1e-4)
    assert fits.loc["Model 3: method-trait", "chi2"] == pytest.approx(54.89683276, abs=1e-3)
    assert fits.loc["Model 3: method-trait", "df"] == 23
    c = res.comparisons.set_index("comparison")
    assert c.loc["Model 1 vs Model 2", "delta_df"] == 3
    assert c.loc["Model 1 vs Model 2", "delta_chi2"] == pytest.approx(312.2641594 - 85.30552177, abs=1e-3)
    assert c.loc["Model 2 vs Model 3", "p"] == pytest.approx(stats.chi2.sf(85.30552177 - 54.89683276, 1), rel=1e-3)


def test_marker_adjustment_formula():
    rng = np.random.default_rng(2)
    n = 400
    common = rng.normal(size=n)
    a = common + rng.normal(size=n)
    b = 0.5 * a + common + rng.normal(size=n)
    c = common + rng.normal(size=n)
    marker = 0.4 * common + rng.normal(size=n)
    d = pd.DataFrame({"A": a, "B": b, "C": c, "MARKER": marker})
    res = marker_adjustment(d, ["A", "B", "C"], "MARKER")
    rm = d.corr().loc[["A", "B", "C"], "MARKER"].min()
    assert res.r_m == pytest.approx(rm)
    row = res.table.iloc[0]
    r = d["A"].corr(d["B"])
    ra = (r - rm) / (1 - rm)
    assert row["r_adjusted"] == pytest.approx(ra)
    t = ra / math.sqrt((1 - ra**2) / (n - 3))
    assert row["t"] == pytest.approx(t) and row["p"] == pytest.approx(2 * stats.t.sf(abs(t), n - 3))
    assert res.table["r_adjusted"].lt(res.table["r"]).all()
    fixed = marker_adjustment(d, ["A", "B"], "MARKER", r_m=0.0)
    assert fixed.table.iloc[0]["r_adjusted"] == pytest.approx(r)


def test_welch_matches_scipy():
    a = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    b = np.array([2.0, 4.0, 6.0, 9.0])
    w = welch_t_test(a, b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert w["t"] == pytest.approx(ref.statistic) and w["p"] == pytest.approx(ref.pvalue)
    v1, v2 = a.var(ddof=1) / 6, b.var(ddof=1) / 4
    assert w["df"] == pytest.approx((v1 + v2) ** 2 / (v1**2 / 5 + v2**2 / 3))


def test_nonresponse_groups_and_waves():
    rng = np.random.default_rng(8)
    n = 200
    wave = np.repeat(["wave-1", "wave-2"], n // 2)
    day = np.tile(np.arange(n // 2), 2)
    start = np.where(wave == "wave-1", np.datetime64("2025-03-01"), np.datetime64("2025-09-01"))
    dates = (start + day.astype("timedelta64[D]")).astype(str)
    late_shift = np.where(day >= 75, 1.0, 0.0)  # late respondents score higher
    d = pd.DataFrame(
        {"wave": wave, "recorded_date": dates, "CAP": rng.normal(size=n) + late_shift, "SCO": rng.normal(size=n)}
    )
    res = nonresponse_tests(d, ["CAP", "SCO"])
    t = res.table.set_index(["comparison", "variable"])
    early_late = [c for c in t.index.get_level_values(0) if c.startswith("early")][0]
    row = t.loc[(early_late, "CAP")]
    assert row["n_1"] == 50 and row["n_2"] == 50  # 25% of each wave of 100
    ref = stats.ttest_ind(d.loc[day < 25, "CAP"], d.loc[day >= 75, "CAP"], equal_var=False)
    assert row["t"] == pytest.approx(ref.statistic) and row["p"] < 0.001
    wave_row = t.loc[("wave-1 vs wave-2", "SCO")]
    ref = stats.ttest_ind(d.loc[wave == "wave-1", "SCO"], d.loc[wave == "wave-2", "SCO"], equal_var=False)
    assert wave_row["t"] == pytest.approx(ref.statistic) and wave_row["n_1"] == 100
