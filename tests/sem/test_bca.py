"""The BCa bootstrap interval (nero.sem.bootstrap) against R's boot::boot.ci(type = "bca").

The reference figures are in tests/sem/bca/fixtures/bca.json, written by tests/sem/bca/bca_reference.R
(boot 1.3-28.1) from R's own resamples (hand cases: the mean and the plug-in variance of 12 skewed
values, the mean of two values) and from the library's seeded resamples of the shipped mediation
(inputs/, written by tests/sem/bca/export_inputs.py; R refits t0 and the jackknife with lm). R is
given t0, t and the jackknife influence values L, so the limits are comparable to rounding. The
default suite reads the fixture (no R); ``test_r_script_reproduces_the_fixture`` (marker ``r``)
reruns the script.
"""

import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nero.sem.bootstrap import (
    acceleration,
    bca_interval,
    bca_levels,
    bootstrap_coefficients,
    jackknife_coefficients,
    jackknife_influence,
    normal_interpolated_quantiles,
    percentile_interval,
    summarise_draws,
)
from nero.sem.process_models import process_model4, process_model7

BCA = Path(__file__).parent / "bca"
FIXTURE = json.loads((BCA / "fixtures" / "bca.json").read_text())
CASES = {c["name"]: c for c in FIXTURE["cases"]}
#: R's limits and ours from the same t0, t and L: both evaluate the same closed form in double
#: precision (qnorm/pnorm against scipy's ndtri/ndtr, ~1e-16 relative), so 1e-10 is ample.
TOL = 1e-10


def _leave_one_out(x, stat):
    return np.array([stat(np.delete(x, i)) for i in range(len(x))])


def _plugin_variance(v):
    return float(np.mean((v - v.mean()) ** 2))


@pytest.mark.parametrize(
    "name,stat",
    [
        ("mean_of_12_conf0.9", np.mean),
        ("mean_of_12_conf0.95", np.mean),
        ("mean_of_12_conf0.99", np.mean),
        ("plugin_variance_of_12", _plugin_variance),
        ("mean_of_2", np.mean),
    ],
)
def test_bca_equals_boot_ci_on_rs_resamples(name, stat):
    case = CASES[name]
    x, t, t0, conf = np.array(case["data"]), np.array(case["t"]), case["t0"], case["conf"]
    assert stat(x) == pytest.approx(t0, rel=1e-14)
    L = jackknife_influence(_leave_one_out(x, stat))
    np.testing.assert_allclose(L, case["L"], rtol=1e-12, atol=1e-12)  # R's leave-one-out, Efron's centring
    if "L_empinf" in case:  # boot's own jackknife (centred at t0) is the same for the mean
        np.testing.assert_allclose(L, case["L_empinf"], rtol=1e-12, atol=1e-12)
    z0, a, _, _ = bca_levels(t, t0, L, conf)
    assert z0 == pytest.approx(case["z0"], rel=TOL, abs=TOL)
    assert a == pytest.approx(case["a"], rel=TOL, abs=TOL)
    lo, hi = bca_interval(t, t0, L, conf)
    assert lo == pytest.approx(case["lower"], rel=TOL, abs=TOL)
    assert hi == pytest.approx(case["upper"], rel=TOL, abs=TOL)


def test_bca_is_not_the_percentile_interval_on_a_skewed_statistic():
    """The check above compares something: on the variance z0 and a are far from 0 and move the limits."""
    case = CASES["plugin_variance_of_12"]
    assert case["z0"] > 0.2 and case["a"] > 0.1
    pl, pu = percentile_interval(np.array(case["t"]), 0.95)
    assert case["lower"] > pl + 0.5 and case["upper"] > pu + 1.0


def test_jackknife_of_two_cases():
    """n = 2: the mean's leave-one-out values are x2 and x1, L = +-(x1 - x2)/2, a = 0 (boot agrees)."""
    L = jackknife_influence(_leave_one_out(np.array([1.0, 4.0]), np.mean))
    assert L.tolist() == [-1.5, 1.5] == CASES["mean_of_2"]["L"]
    assert acceleration(L) == 0.0 == CASES["mean_of_2"]["a"]
    with pytest.raises(ValueError, match="at least 2 cases"):
        jackknife_influence(np.array([3.0]))


@pytest.mark.parametrize("name", ["all_draws_above", "no_influence", "all_draws_equal"])
def test_no_interval_where_boot_ci_gives_none(name):
    """R stops ('w' infinite, 'a' NA) or returns NULL (constant t); the library returns NaN limits."""
    case = CASES[name]
    assert "error" in case and "lower" not in case
    lo, hi = bca_interval(np.array(case["t"]), case["t0"], np.array(case["L"]), case["conf"])
    assert math.isnan(lo) and math.isnan(hi)


def test_share_below_of_zero_or_one_makes_z0_infinite_and_no_interval():
    t = np.arange(1.0, 11.0)
    L = np.array([-1.0, 0.0, 1.0])
    for t0, share in ((0.5, 0.0), (10.5, 1.0), (1.0, 0.0)):  # t0 = the smallest draw: none strictly below
        z0, a, lo, hi = bca_levels(t, t0, L, 0.95)
        assert np.mean(t < t0) == share and math.isnan(z0) and a == 0.0 and math.isnan(lo) and math.isnan(hi)
        assert all(math.isnan(v) for v in bca_interval(t, t0, L, 0.95))
    # one draw on the other side is enough: z0 finite, an interval
    z0, *_ = bca_levels(t, 1.5, L, 0.95)
    assert z0 == pytest.approx(stats.norm.ppf(0.1), abs=1e-15)
    assert all(math.isfinite(v) for v in bca_interval(t, 1.5, L, 0.95))


def test_zero_variance_draws():
    """Every draw equal (exactly, or within ZERO_TOL of their size): NaN limits, as boot.ci (NULL)."""
    L = np.array([-1.0, 0.0, 1.0])
    assert all(math.isnan(v) for v in bca_interval(np.full(50, 2.0), 2.0, L, 0.95))
    assert all(math.isnan(v) for v in bca_interval(np.full(50, 0.0), 0.0, L, 0.95))
    nearly = 2.0 + np.r_[np.zeros(49), 1e-13]  # within 1e-12 x 2 of each other: constant
    assert all(math.isnan(v) for v in bca_interval(nearly, 2.0, L, 0.95))
    varied = 2.0 + np.r_[np.zeros(25), np.full(25, 1e-9)]
    assert all(math.isfinite(v) for v in bca_interval(varied, 2.0 + 5e-10, L, 0.95))
    s = summarise_draws(np.full(50, 2.0), 2.0, 0.95, jackknife=np.array([2.0, 2.0, 2.0]))
    assert s["pct_lower"] == s["pct_upper"] == 2.0 and math.isnan(s["bca_lower"]) and math.isnan(s["bca_upper"])


def test_closed_form_levels_and_interpolation():
    """By hand: L = (1, 1, -2) gives a = -6/(6 6^1.5); z0 = Phi^-1(15/40); boot's interpolation."""
    t = np.arange(1.0, 41.0)
    L = np.array([1.0, 1.0, -2.0])
    a = -6.0 / (6.0 * 6.0**1.5)
    z0 = stats.norm.ppf(15 / 40)
    z = stats.norm.ppf(0.75)
    want = [stats.norm.cdf(z0 + (z0 + zz) / (1 - a * (z0 + zz))) for zz in (-z, z)]
    got = bca_levels(t, 15.5, L, 0.50)
    assert got[0] == pytest.approx(z0, abs=1e-15) and got[1] == pytest.approx(a, abs=1e-15)
    assert got[2:] == pytest.approx(want, abs=1e-15)
    lo, hi = bca_interval(t, 15.5, L, 0.50)
    for level, limit in zip(want, (lo, hi)):
        k = math.floor(41 * level)  # t_(k) = k here
        assert 1 <= k < 40 and k != 41 * level
        frac = (stats.norm.ppf(level) - stats.norm.ppf(k / 41)) / (
            stats.norm.ppf((k + 1) / 41) - stats.norm.ppf(k / 41)
        )
        assert limit == pytest.approx(k + frac, abs=1e-12)
    # z0 = 0 and a = 0: BCa is the percentile interval at the same interpolation; an integer rank is a draw
    assert bca_interval(t, 20.5, np.array([-1.0, 0.0, 1.0]), 1 - 2 / 41) == pytest.approx((1.0, 40.0), abs=1e-12)
    assert normal_interpolated_quantiles(t, [10 / 41, 0.0, 1 - 1e-12, math.nan])[:3].tolist() == [10.0, 1.0, 40.0]


def test_level_at_and_near_its_bounds():
    t = np.arange(1.0, 101.0)
    L = np.array([-1.0, 0.0, 2.0, -1.0])
    for level in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            bca_interval(t, 50.5, L, level)
    # near 1 the adjusted levels fall below 1/(R+1) and above R/(R+1): the extreme draws
    assert bca_interval(t, 50.5, L, 1 - 1e-9) == (1.0, 100.0)
    # near 0 both limits meet at one point
    lo, hi = bca_interval(t, 50.5, L, 1e-9)
    assert lo == pytest.approx(hi, abs=1e-6) and 1.0 < lo < 100.0


def test_non_monotone_transformation_gives_no_limit():
    """1 - a (z0 + z) <= 0 (large a, z0 and level): that limit is NaN, the other is kept."""
    t = np.arange(1.0, 10001.0)
    L = np.r_[1000.0, np.full(1000, -1.0)]  # a close to 1/6
    a = acceleration(L)
    z0, _, lo_level, hi_level = bca_levels(t, 9999.5, L, 0.999)
    assert 1 - a * (z0 + stats.norm.ppf(0.9995)) < 0 < 1 - a * (z0 + stats.norm.ppf(0.0005))
    assert math.isnan(hi_level) and 0 < lo_level < 1
    lo, hi = bca_interval(t, 9999.5, L, 0.999)
    assert math.isfinite(lo) and math.isnan(hi)


def test_jackknife_coefficients_equal_leave_one_out_fits():
    rng = np.random.default_rng(3)
    n = 40
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n) * 50])
    y = X @ [1.0, 2.0, 0.01] + rng.normal(size=n)
    (jk,) = jackknife_coefficients([(X, y)])
    assert jk.shape == (n, 3)
    for i in (0, 17, n - 1):
        keep = np.arange(n) != i
        ref = np.linalg.lstsq(X[keep], y[keep], rcond=None)[0]
        np.testing.assert_allclose(jk[i], ref, rtol=1e-10, atol=1e-12)


def test_shipped_mediation_equals_boot_ci_on_the_same_resamples():
    """The study's PROCESS model 4 (shipped design): the same draws as R was given, R's lm jackknife,
    and boot.ci's BCa limits, to 1e-10."""
    case = CASES["shipped_mediation"]
    meta = json.loads((BCA / "inputs" / "mediation.json").read_text())
    frame = pd.read_csv(BCA / "inputs" / "mediation_frame.csv")
    res = process_model4(
        frame, meta["x"], meta["m"], meta["y"], meta["covariates"], meta["n_boot"], meta["seed"], meta["conf"]
    )
    row = res.indirect.iloc[0]
    assert row["estimate"] == pytest.approx(case["t0"], rel=1e-12)
    eqs = list(res.equations.values())
    a_draws, y_draws = bootstrap_coefficients([(e.X, e.y) for e in eqs], meta["n_boot"], meta["seed"])
    t = a_draws[:, 1] * y_draws[:, 2]
    # the same resamples (BLAS may sum in another order: 1e-12)
    np.testing.assert_allclose(t, pd.read_csv(BCA / "inputs" / "mediation_draws.csv")["t"], rtol=1e-12)
    assert t.sum() == pytest.approx(case["t_sum"], rel=1e-12)
    a_jk, y_jk = jackknife_coefficients([(e.X, e.y) for e in eqs])
    np.testing.assert_allclose(a_jk[:, 1] * y_jk[:, 2], case["jackknife"], rtol=1e-9)  # R: lm without case i
    assert row["bca_lower"] == pytest.approx(case["lower"], rel=TOL)
    assert row["bca_upper"] == pytest.approx(case["upper"], rel=TOL)
    # the correction is not trivial on this sample (a and z0 are not zero), so BCa differs from the
    # percentile interval and from BC (bias correction only)
    assert abs(case["a"]) > 1e-4 and abs(case["z0"]) > 1e-4
    assert abs(row["pct_lower"] - row["bca_lower"]) > 1e-6 and abs(row["pct_upper"] - row["bca_upper"]) > 1e-6
    assert abs(row["bc_lower"] - row["bca_lower"]) > 1e-6 and abs(row["bc_upper"] - row["bca_upper"]) > 1e-6


def test_every_bootstrapped_effect_gets_bca_limits():
    rng = np.random.default_rng(5)
    n = 120
    d = pd.DataFrame({"x": rng.normal(size=n), "w": rng.normal(size=n)})
    d["m"] = 0.5 * d["x"] + 0.3 * d["x"] * d["w"] + rng.normal(size=n)
    d["y"] = 0.4 * d["m"] + rng.normal(size=n)
    res = process_model7(d, "x", "m", "w", "y", n_boot=400, seed=2)
    for table in (res.indirect, res.index):
        assert {"bca_lower", "bca_upper"} <= set(table.columns)
        assert table["bca_lower"].notna().all() and (table["bca_lower"] < table["bca_upper"]).all()
        assert ((table["bca_lower"] - table["pct_lower"]).abs() > 0).all()
    two = process_model4(d.assign(m2=d["m"] + rng.normal(size=n)), "x", ["m", "m2"], "y", n_boot=300, seed=1).indirect
    assert two["effect"].tolist()[0] == "total indirect" and two["bca_lower"].notna().all()


def _r_missing() -> str | None:
    if shutil.which("Rscript") is None:
        return "Rscript is not installed (Debian: r-base-core r-cran-boot r-cran-jsonlite)"
    ok = subprocess.run(["Rscript", "-e", "library(boot); library(jsonlite)"], capture_output=True)
    return None if ok.returncode == 0 else "R packages boot/jsonlite are not installed (r-cran-boot r-cran-jsonlite)"


@pytest.mark.r
def test_r_script_reproduces_the_fixture(tmp_path):
    """Rerun tests/sem/bca/bca_reference.R on the committed inputs and compare with the committed fixture."""
    reason = _r_missing()
    if reason:
        pytest.skip(reason)
    run = subprocess.run(
        ["Rscript", str(BCA / "bca_reference.R"), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert run.returncode == 0, run.stderr
    fresh = {c["name"]: c for c in json.loads((tmp_path / "bca.json").read_text())["cases"]}
    assert set(fresh) == set(CASES)
    for name, case in CASES.items():
        for key, value in case.items():
            if isinstance(value, float):
                assert fresh[name][key] == pytest.approx(value, rel=1e-12, abs=1e-15), (name, key)
            else:
                assert fresh[name][key] == value, (name, key)


def test_boot_ci_option_reads_its_columns():
    from nero.sem.ambidexterity import _ci
    from nero.sem.settings import BOOT_CIS, SemSettings

    row = {"pct_lower": 1, "pct_upper": 2, "bc_lower": 3, "bc_upper": 4, "bca_lower": 5, "bca_upper": 6}
    assert [_ci(row, m) for m in BOOT_CIS] == [(1, 2), (3, 4), (5, 6)]
    assert SemSettings.from_config({"boot_ci": "bca"}).boot_ci == "bca"
