"""Parameter recovery on data simulated from known models (other seeds than development)."""

import pytest
from simdata import simulate_process_data

from nero.sem import process_model1, process_model4, process_model14

A, B, B3 = 0.5, 0.4, 0.25


@pytest.mark.parametrize("seed", [101, 202, 303])
def test_indirect_effect_recovered(seed):
    d = simulate_process_data(seed, n=500, a=A, b=B, b3=B3)
    # at W = 0 the b path is B; centre W so the model-4 b path estimates B on average
    d["w"] = d["w"] - d["w"].mean()
    r = process_model4(d, "x", "m", "y", covariates=["cov1", "w"], n_boot=2000, seed=seed)
    row = r.indirect.iloc[0]
    for lo, hi in ((row["bc_lower"], row["bc_upper"]), (row["pct_lower"], row["pct_upper"])):
        assert lo > 0, "the CI must exclude zero"
        assert lo <= A * B <= hi, "the CI must cover the true a*b"


@pytest.mark.parametrize("seed", [404, 505])
def test_interaction_sign_recovered(seed):
    d = simulate_process_data(seed, n=500, a=A, b=B, b3=B3)
    r1 = process_model1(d, x="m", w="w", y="y", covariates=["x", "cov1"])
    coef = r1.equations["y"].coef.loc["m:w"]
    assert coef["coeff"] > 0 and coef["p"] < 0.05
    assert coef["llci"] <= B3 <= coef["ulci"]
    cond = r1.conditional["effect"].to_numpy()
    assert cond[0] < cond[1] < cond[2]  # the M -> Y effect grows with W
    r14 = process_model14(d, "x", "m", "w", "y", covariates=["cov1"], n_boot=2000, seed=seed)
    idx = r14.index.iloc[0]
    assert idx["bc_lower"] > 0 and idx["bc_lower"] <= A * B3 <= idx["bc_upper"]


def test_negative_interaction_sign():
    d = simulate_process_data(606, n=500, a=A, b=B, b3=-0.3)
    r1 = process_model1(d, x="m", w="w", y="y")
    assert r1.equations["y"].coef.loc["m:w", "coeff"] < 0
    assert r1.equations["y"].coef.loc["m:w", "ulci"] < 0
