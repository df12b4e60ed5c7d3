"""PROCESS models 8 and 15 and the SE types (ols, hc0..hc4) of nero.sem.process.

Model 8 against Hayes' PROCESS 2.16.3 printed output (fixtures/Results_OLS_Model8.txt,
HC3, printed to 4 decimals); model 15 against its formulas; SE types against statsmodels
(ols, HC0-HC3) and the closed form of HC4 (Cribari-Neto 2004).
"""

import numpy as np
import pytest
import statsmodels.api as sm
from semdata import fixture_csv

from nero.sem import SemInputError
from nero.sem.process_equations import fit_equation
from nero.sem.process_models import process, process_model8, process_model15

TOL = 5.1e-5


def close(value, printed):
    return abs(value - printed) <= TOL


@pytest.fixture(scope="module")
def m8():
    return process_model8(fixture_csv("Data_Model8.csv"), x="x", m=["m1", "m2"], w="w", y="y", n_boot=2000, seed=3)


def test_model8_equations_match_process(m8):
    expected = {
        "m1": {
            "constant": (1.0855, 0.0593, 18.2944),
            "x": (0.9592, 0.0421, 22.7899),
            "w": (0.9677, 0.0448, 21.6190),
            "x:w": (1.0050, 0.0311, 32.3625),
        },
        "m2": {
            "constant": (0.9465, 0.0583, 16.2349),
            "x": (-0.9838, 0.0403, -24.3880),
            "w": (-1.0259, 0.0421, -24.3571),
            "x:w": (-0.9878, 0.0307, -32.1447),
        },
        "y": {
            "constant": (1.0385, 0.0814, 12.7649),
            "m1": (0.9867, 0.0331, 29.7989),
            "m2": (0.9806, 0.0311, 31.5822),
            "x": (1.0198, 0.0695, 14.6785),
            "w": (0.9631, 0.0653, 14.7543),
            "x:w": (1.0264, 0.0570, 18.0208),
        },
    }
    for outcome, terms in expected.items():
        coef = m8.equations[outcome].coef
        for term, (b, se, t) in terms.items():
            assert close(coef.loc[term, "coeff"], b) and close(coef.loc[term, "se"], se), (outcome, term)
            assert abs(coef.loc[term, "t"] - t) <= 5.1e-5 * max(1, abs(t)), (outcome, term)
    for outcome, (r2, mse, F) in {
        "m1": (0.9001, 0.9973, 3070.4477),
        "m2": (0.9005, 1.0112, 2797.1441),
        "y": (0.9166, 1.0301, 2064.7249),
    }.items():
        eq = m8.equations[outcome]
        assert close(eq.r2, r2) and close(eq.mse, mse) and close(eq.F, F), outcome


def test_model8_conditional_direct_indirect_and_index(m8):
    expected_direct = [
        (0.0124, 1.0326, 0.0696, 14.8377, 0.8960, 1.1692),
        (1.0131, 2.0596, 0.0971, 21.2209, 1.8692, 2.2501),
        (2.0137, 3.0866, 0.1432, 21.5620, 2.8057, 3.3675),
    ]
    for (_, row), exp in zip(m8.conditional_direct.iterrows(), expected_direct):
        for got, e in zip(row[["w", "effect", "se", "t", "llci", "ulci"]], exp):
            assert close(got, e), (got, e)
    ind = m8.indirect
    printed = {"m1": [0.9588, 1.9511, 2.9434], "m2": [-0.9768, -1.9460, -2.9153]}
    for med, values in printed.items():
        got = ind[ind["mediator"] == med]["estimate"].to_numpy()
        assert np.all(np.abs(got - values) <= TOL)
    idx = m8.index.set_index("mediator")
    assert close(idx.loc["m1", "estimate"], 0.9917) and close(idx.loc["m2", "estimate"], -0.9687)
    # bootstrap SE within Monte-Carlo error of PROCESS' 5000 draws (printed .0455 and .0413)
    assert idx.loc["m1", "boot_se"] == pytest.approx(0.0455, rel=0.12)
    assert idx.loc["m2", "boot_se"] == pytest.approx(0.0413, rel=0.12)


def test_model15_matches_its_formulas():
    data = fixture_csv("Data_Model8.csv")
    res = process_model15(data, x="x", m="m1", w="w", y="y", covariates=["q"], n_boot=200, seed=1, se_type="ols")
    d = data.copy()
    d["m1:w"], d["x:w"] = d["m1"] * d["w"], d["x"] * d["w"]
    ols_y = sm.OLS(d["y"], sm.add_constant(d[["x", "m1", "w", "m1:w", "x:w", "q"]])).fit()
    ols_m = sm.OLS(d["m1"], sm.add_constant(d[["x", "q"]])).fit()
    coef = res.equations["y"].coef
    for term in ("x", "m1", "w", "m1:w", "x:w", "q"):
        assert coef.loc[term, "coeff"] == pytest.approx(ols_y.params[term], rel=1e-10)
        assert coef.loc[term, "se"] == pytest.approx(ols_y.bse[term], rel=1e-10)
    a, b3 = ols_m.params["x"], ols_y.params["m1:w"]
    assert res.index.iloc[0]["estimate"] == pytest.approx(a * b3, rel=1e-10)
    w = res.conditional_direct["w"].to_numpy()
    assert np.allclose(res.conditional_direct["effect"], ols_y.params["x"] + ols_y.params["x:w"] * w, rtol=1e-10)
    cond = res.indirect["estimate"].to_numpy()
    assert np.allclose(cond, a * (ols_y.params["m1"] + b3 * w), rtol=1e-10)
    assert process(data, 15, x="x", y="y", m="m1", w="w", n_boot=0).model == 15


@pytest.mark.parametrize(
    "se_type,cov_type", [("ols", "nonrobust"), ("hc0", "HC0"), ("hc1", "HC1"), ("hc2", "HC2"), ("HC3", "HC3")]
)
def test_se_types_equal_statsmodels(se_type, cov_type):
    data = fixture_csv("Data_Model1.csv")
    eq = fit_equation(data, "y", ["x", "m"], cov_type=se_type)
    ref = sm.OLS(data["y"], sm.add_constant(data[["x", "m"]])).fit(cov_type=cov_type)
    assert np.allclose(eq.coef["se"].to_numpy(), ref.bse.to_numpy(), rtol=1e-10)
    # the model F uses the same covariance: with ols it is the classical F
    if se_type == "ols":
        assert eq.F == pytest.approx(ref.fvalue, rel=1e-10)


def test_hc4_closed_form():
    data = fixture_csv("Data_Model1.csv").iloc[:60]
    X = np.column_stack([np.ones(60), data["x"], data["m"]])
    y = data["y"].to_numpy()
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    e = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    meat = np.zeros((3, 3))
    for i in range(60):  # observation by observation (Cribari-Neto 2004, eq. 4)
        h = X[i] @ bread @ X[i]
        delta = min(4.0, 60 * h / 3)
        meat += np.outer(X[i], X[i]) * e[i] ** 2 / (1 - h) ** delta
    expected = np.sqrt(np.diag(bread @ meat @ bread))
    eq = fit_equation(data, "y", ["x", "m"], cov_type="hc4")
    assert np.allclose(eq.coef["se"].to_numpy(), expected, rtol=1e-10)
    with pytest.raises(SemInputError, match="hc0"):
        fit_equation(data, "y", ["x"], cov_type="robust")
