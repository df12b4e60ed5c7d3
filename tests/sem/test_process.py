"""PROCESS models 1, 4 and 14 against Hayes' PROCESS 2.16.3 output (fixtures/)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from semdata import fixture_csv

from nero.sem import (
    bias_corrected_interval,
    bootstrap_coefficients,
    percentile_interval,
    process_model1,
    process_model4,
    process_model7,
    process_model14,
    process_model58,
    sobel_test,
)

TOL = 5.1e-5  # printed to 4 decimals


def close(value, printed):
    return abs(value - printed) <= TOL


def check_table(coef: pd.DataFrame, expected: dict):
    for term, row in expected.items():
        got = coef.loc[term, ["coeff", "se", "t", "p", "llci", "ulci"]].to_numpy()
        for g, e, name in zip(got, row, ["coeff", "se", "t", "p", "llci", "ulci"]):
            assert close(g, e), (term, name, g, e)


def check_boot(row, printed_est, printed_se, printed_lo, printed_hi):
    """Point estimate exactly; bootstrap SE and BC limits within Monte-Carlo error."""
    assert close(row["estimate"], printed_est)
    assert row["boot_se"] == pytest.approx(printed_se, rel=0.10)
    assert abs(row["bc_lower"] - printed_lo) <= 0.3 * printed_se
    assert abs(row["bc_upper"] - printed_hi) <= 0.3 * printed_se


@pytest.fixture(scope="module")
def m1():
    return process_model1(fixture_csv("Data_Model1.csv"), x="x", w="m", y="y")


def test_model1_coefficients(m1):
    eq = m1.equations["y"]
    check_table(
        eq.coef,
        {
            "constant": (0.9197, 0.0430, 21.4126, 0.0, 0.8354, 1.0040),
            "m": (1.0064, 0.0424, 23.7380, 0.0, 0.9232, 1.0896),
            "x": (1.0286, 0.0303, 33.9907, 0.0, 0.9692, 1.0880),
            "x:m": (0.9670, 0.0300, 32.2261, 0.0, 0.9081, 1.0259),
        },
    )
    assert close(np.sqrt(eq.r2), 0.9237) and close(eq.r2, 0.8531) and close(eq.mse, 1.0097)
    assert close(eq.F, 1877.8535) and (eq.df1, eq.df2) == (3, 996)


def test_model1_r2_change_and_conditional_effects(m1):
    r = m1.r2_change.iloc[0]
    assert close(r["R2_change"], 0.1505) and close(r["F"], 1038.5213) and r["df2"] == 996
    expected = [
        (-0.9795, 0.0815, 0.0447, 1.8230, 0.0686, -0.0062, 0.1691),
        (0.0188, 1.0468, 0.0302, 34.6650, 0.0000, 0.9875, 1.1060),
        (1.0171, 2.0121, 0.0403, 49.9625, 0.0000, 1.9331, 2.0911),
    ]
    for (_, row), exp in zip(m1.conditional.iterrows(), expected):
        for g, e in zip(row[["w", "effect", "se", "t", "p", "llci", "ulci"]], exp):
            assert close(g, e), (g, e)


def test_model1_johnson_neyman_and_plot(m1):
    eq = m1.equations["y"]
    b, V = eq.coef["coeff"], eq.cov
    tcrit = __import__("scipy").stats.t.ppf(0.975, eq.df2)
    for w in m1.jn_points:  # at a transition point |t| equals the critical t
        eff = b["x"] + b["x:m"] * w
        se = np.sqrt(V[1, 1] + 2 * w * V[1, 3] + w * w * V[3, 3])
        assert abs(eff / se) == pytest.approx(tcrit, abs=1e-8)
    assert len(m1.jn_points) == 2
    assert m1.jn_points[0] == pytest.approx(-1.1629, abs=1e-4) and m1.jn_points[1] == pytest.approx(-0.9733, abs=1e-4)
    assert m1.johnson_neyman["transition_point"].sum() == 2
    # at the transition points p = .05 and one bound is 0 by construction: boundaries, never judged
    # significant, the bound written as exactly 0 (not +-1e-17); PROCESS prints p = .0500 there
    jn = m1.johnson_neyman
    points = jn[jn["transition_point"]]
    assert (points["p"] - 0.05).abs().max() < 1e-12 and not points["significant"].any()
    assert ((points["llci"] == 0) ^ (points["ulci"] == 0)).all()
    bounds = points[["llci", "ulci"]].to_numpy()
    assert not np.signbit(bounds[bounds == 0]).any()  # 0, never -0
    others = jn[~jn["transition_point"]]
    assert (
        (others["significant"] == (others["p"] < 0.05)).all()
        and others["significant"].any()
        and not others["significant"].all()
    )
    assert (others[["llci", "ulci"]] != 0).all(axis=None)
    assert len(m1.plot) == 9
    p = m1.plot.iloc[0]
    assert p["y_hat"] == pytest.approx(b["constant"] + b["x"] * p["x"] + b["m"] * p["w"] + b["x:m"] * p["x"] * p["w"])


def test_hc3_equals_statsmodels(m1):
    d = fixture_csv("Data_Model1.csv")
    X = sm.add_constant(np.column_stack([d.x, d.m, d.x * d.m]))
    res = sm.OLS(d.y, X).fit(cov_type="HC3")
    assert np.allclose(m1.equations["y"].coef["se"].to_numpy(), res.bse, rtol=1e-12)


@pytest.fixture(scope="module")
def m4():
    return process_model4(fixture_csv("Data_Model4.csv"), x="x", m=["m1", "m2"], y="y", n_boot=5000, seed=1)


def test_model4_paths_and_direct_effect(m4):
    check_table(
        m4.equations["m1"].coef,
        {
            "constant": (1.0534, 0.0429, 24.5777, 0.0, 0.9693, 1.1376),
            "x": (0.9637, 0.0306, 31.4854, 0.0, 0.9036, 1.0238),
        },
    )
    check_table(
        m4.equations["m2"].coef,
        {
            "constant": (0.9210, 0.0428, 21.5225, 0.0, 0.8370, 1.0050),
            "x": (-0.9719, 0.0301, -32.3062, 0.0, -1.0309, -0.9128),
        },
    )
    check_table(
        m4.equations["y"].coef,
        {
            "constant": (1.0079, 0.0667, 15.1025, 0.0, 0.8769, 1.1388),
            "m1": (0.9870, 0.0331, 29.8099, 0.0, 0.9220, 1.0519),
            "m2": (0.9811, 0.0311, 31.5778, 0.0, 0.9201, 1.0420),
            "x": (1.0523, 0.0566, 18.5862, 0.0, 0.9412, 1.1634),
        },
    )
    assert close(m4.equations["m1"].F, 991.3306) and close(m4.equations["m2"].F, 1043.6906)
    assert close(m4.equations["y"].F, 883.3145) and close(m4.equations["y"].r2, 0.7509)
    d = m4.direct.iloc[0]
    assert close(d["estimate"], 1.0523) and close(d["se"], 0.0566) and close(d["t"], 18.5862)


def test_model4_indirect_effects(m4):
    ind = m4.indirect.set_index("mediator")
    check_boot(ind.loc["TOTAL"], -0.0024, 0.0616, -0.1253, 0.1183)
    check_boot(ind.loc["m1"], 0.9511, 0.0434, 0.8667, 1.0361)
    check_boot(ind.loc["m2"], -0.9535, 0.0428, -1.0380, -0.8697)
    # percentile limits are near the BC ones for these symmetric distributions
    assert abs(ind.loc["m1", "pct_lower"] - 0.8667) < 0.3 * 0.0434
    s = m4.sobel.set_index("mediator").loc["m1"]
    assert s["effect"] == pytest.approx(0.9637 * 0.9870, abs=2e-4)
    assert s["se"] == pytest.approx(np.sqrt(0.98696**2 * 0.03061**2 + 0.96368**2 * 0.03311**2), rel=2e-3)


@pytest.fixture(scope="module")
def m14():
    return process_model14(fixture_csv("Data_Model14.csv"), x="x", m=["m1", "m2"], w="v", y="y", n_boot=5000, seed=1)


def test_model14_outcome_equation(m14):
    check_table(
        m14.equations["y"].coef,
        {
            "constant": (1.0305, 0.0863, 11.9435, 0.0, 0.8612, 1.1999),
            "m1": (0.9683, 0.0418, 23.1749, 0.0, 0.8864, 1.0503),
            "m2": (0.9551, 0.0428, 22.3406, 0.0, 0.8712, 1.0390),
            "x": (1.0538, 0.0568, 18.5598, 0.0, 0.9424, 1.1652),
            "v": (0.9780, 0.0615, 15.9083, 0.0, 0.8573, 1.0986),
            "m1:v": (1.0178, 0.0268, 37.9978, 0.0, 0.9652, 1.0703),
            "m2:v": (1.0239, 0.0271, 37.7533, 0.0, 0.9707, 1.0772),
        },
    )
    assert close(m14.equations["y"].F, 3397.5005) and close(m14.equations["y"].r2, 0.9511)


def test_model14_conditional_indirect_and_index(m14):
    ind = m14.indirect
    printed = {
        "m1": [
            (0.0149, 0.9478, 0.0497, 0.8572, 1.0512),
            (1.0299, 1.9433, 0.0702, 1.8125, 2.0871),
            (2.0449, 2.9388, 0.1047, 2.7398, 3.1494),
        ],
        "m2": [
            (0.0149, -0.9431, 0.0500, -1.0444, -0.8490),
            (1.0299, -1.9532, 0.0674, -2.0845, -1.8217),
            (2.0449, -2.9632, 0.1002, -3.1541, -2.7671),
        ],
    }
    for med, rows in printed.items():
        sub = ind[ind["mediator"] == med].reset_index(drop=True)
        for i, (w, est, se, lo, hi) in enumerate(rows):
            assert close(sub.loc[i, "w"], w)
            check_boot(sub.loc[i], est, se, lo, hi)
    idx = m14.index.set_index("mediator")
    check_boot(idx.loc["m1"], 0.9808, 0.0416, 0.9020, 1.0655)
    check_boot(idx.loc["m2"], -0.9952, 0.0409, -1.0748, -0.9164)


def test_bootstrap_is_deterministic_and_matches_loop():
    rng = np.random.default_rng(0)
    n = 60
    X = np.column_stack([np.ones(n), rng.normal(size=n)])
    y = X @ [1.0, 2.0] + rng.normal(size=n)
    a = bootstrap_coefficients([(X, y)], 300, seed=11)[0]
    b = bootstrap_coefficients([(X, y)], 300, seed=11)[0]
    assert np.array_equal(a, b)
    # the count-weighted normal equations equal refitting on the resampled rows
    from nero.sem.bootstrap import BLOCK

    g = np.random.default_rng(11)
    idx = g.integers(0, n, size=(BLOCK, n))[0]
    ref = np.linalg.lstsq(X[idx], y[idx], rcond=None)[0]
    assert np.allclose(a[0], ref, atol=1e-10)


def test_intervals():
    draws = np.arange(1, 1001, dtype=float)
    lo, hi = percentile_interval(draws, 0.95)
    assert lo == pytest.approx(25.975) and hi == pytest.approx(975.025)
    # estimate at the median: z0 = 0, so BC equals percentile
    assert bias_corrected_interval(draws, 500.5, 0.95) == pytest.approx((lo, hi))
    blo, bhi = bias_corrected_interval(draws, 600.5, 0.95)
    assert blo > lo and bhi > hi
    s = sobel_test(0.5, 0.1, 0.4, 0.1)
    assert s["se"] == pytest.approx(np.sqrt(0.16 * 0.01 + 0.25 * 0.01)) and s["z"] == pytest.approx(0.2 / s["se"])


def test_models_7_and_58_reduce_to_their_formulas():
    d = fixture_csv("Data_Model14.csv")
    r7 = process_model7(d, x="x", m="m1", w="v", y="y", n_boot=200, seed=3)
    a = r7.equations["m1"].coef["coeff"]
    b = r7.equations["y"].coef["coeff"]["m1"]
    assert r7.index.iloc[0]["estimate"] == pytest.approx(a["x:v"] * b)
    first = r7.indirect.iloc[0]
    assert first["estimate"] == pytest.approx((a["x"] + a["x:v"] * first["w"]) * b)
    r58 = process_model58(d, x="x", m="m1", w="v", y="y", n_boot=200, seed=3)
    a = r58.equations["m1"].coef["coeff"]
    by = r58.equations["y"].coef["coeff"]
    row = r58.indirect.iloc[2]
    assert row["estimate"] == pytest.approx((a["x"] + a["x:v"] * row["w"]) * (by["m1"] + by["m1:v"] * row["w"]))
    assert len(r58.index) == 0


def test_model1_centred_probes_at_exactly_zero():
    """With mean-centring, W is probed at exactly 0 (PROCESS prints .0000), +- 1 SD around it, and the
    effects equal those of the uncentred model at W's mean +- 1 SD (the centred model is a reparameterisation)."""
    data = fixture_csv("Data_Model1.csv")
    data["m"] = data["m"] + 0.3  # a mean whose centred residue is not 0 in floating point (-8e-17)
    raw = process_model1(data, x="x", w="m", y="y")
    centred = process_model1(data, x="x", w="m", y="y", center=True)
    w = centred.conditional["w"].to_numpy()
    assert w[1] == 0.0 and w[0] == pytest.approx(-w[2], rel=1e-12)
    assert w[2] == pytest.approx(data["m"].std(ddof=1), rel=1e-12)
    assert centred.conditional["effect"].to_numpy() == pytest.approx(raw.conditional["effect"].to_numpy(), rel=1e-9)
