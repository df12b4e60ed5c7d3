"""PROCESS models 1, 4, 7, 8, 14, 15 and 58 against a second, independent implementation:
pyprocessmacro 2.2.0 (PyPI; a Python port of PROCESS, test-time only), on generated data.

Every deterministic figure is compared to 1e-8: each equation's coefficients, SE, t, p and
CI (OLS SEs, pyprocessmacro's only kind), R2, MSE, F and its df and p; the (conditional)
direct effects with SE, t, p and CI; the point estimates of the (conditional) indirect
effects at the moderator's mean and +-1 SD (with those moderator values) and of the index
of moderated mediation. Bootstrap intervals depend on each program's random stream and
are compared with the PROCESS 2.16 fixtures elsewhere (test_process.py).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from nero.sem import process

pyprocessmacro = pytest.importorskip("pyprocessmacro", reason="pyprocessmacro (test extra) is not installed")

TOL = 1e-8


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(20261207)
    n = 240
    d = pd.DataFrame({"x": rng.normal(size=n), "w": rng.normal(size=n) + 0.5, "c": rng.normal(size=n)})
    d["m"] = 0.4 * d.x + 0.2 * d.w + 0.3 * d.x * d.w + 0.1 * d.c + rng.normal(size=n)
    d["y"] = 0.5 * d.m + 0.2 * d.x + 0.2 * d.m * d.w + 0.15 * d.x * d.w - 0.1 * d.c + rng.normal(size=n)
    return d


def _theirs(d, model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if model == 1:
            return pyprocessmacro.Process(data=d, model=1, x="x", m="w", y="y", controls=["c"], suppr_init=True)
        # PROCESS 2's names: model 4 has no moderator; 14 and 15 call the second-stage moderator V
        mod = {} if model == 4 else {"v": "w"} if model in (14, 15) else {"w": "w"}
        return pyprocessmacro.Process(
            data=d, model=model, x="x", m="m", y="y", controls=["c"], suppr_init=True, boot=50, seed=1, **mod
        )


def _ours(d, model):
    if model == 1:
        return process(d, 1, "x", "y", w="w", covariates=["c"], se_type="ols")
    return process(d, model, "x", "y", m="m", w="w", covariates=["c"], n_boot=50, seed=1, se_type="ols")


def _term(name: str) -> frozenset:
    name = {"Cons": "constant"}.get(name, name)
    return frozenset(name.replace("*", ":").split(":"))


MODELS = [1, 4, 7, 8, 14, 15, 58]


@pytest.mark.parametrize("model", MODELS)
def test_equations_equal_pyprocessmacro(data, model):
    ours, theirs = _ours(data, model), _theirs(data, model)
    assert set(ours.equations) == set(theirs.outcome_models)
    for outcome, eq in ours.equations.items():
        ref = theirs.outcome_models[outcome].coeff_summary()
        ref.index = [_term(t) for t in ref.index]
        coef = eq.coef.copy()
        coef.index = [_term(t) for t in coef.index]
        assert set(coef.index) == set(ref.index), (outcome, coef.index, ref.index)
        for ours_col, their_col in (
            ("coeff", "coeff"),
            ("se", "se"),
            ("t", "t"),
            ("p", "p"),
            ("llci", "LLCI"),
            ("ulci", "ULCI"),
        ):
            np.testing.assert_allclose(
                coef.loc[ref.index, ours_col].to_numpy(float),
                ref[their_col].to_numpy(float),
                rtol=0,
                atol=TOL,
                err_msg=f"model {model}, {outcome}: {ours_col}",
            )
        summ = theirs.outcome_models[outcome].model_summary()
        row = eq.summary_row()
        for ours_key, their_key in (
            ("R2", "R²"),
            ("MSE", "MSE"),
            ("F", "F"),
            ("df1", "df1"),
            ("df2", "df2"),
            ("p", "p-value"),
        ):
            assert row[ours_key] == pytest.approx(float(summ[their_key].iloc[0]), abs=TOL), (model, outcome, ours_key)


@pytest.mark.parametrize("model", MODELS)
def test_direct_and_conditional_effects_equal_pyprocessmacro(data, model):
    ours, theirs = _ours(data, model), _theirs(data, model)
    ref = theirs.direct_model.coeff_summary()
    if model == 1:
        mine = ours.conditional.rename(columns={"effect": "Effect"})
    elif model in (8, 15):
        mine = ours.conditional_direct.rename(columns={"estimate": "Effect", "effect": "Effect"})
    else:
        mine = ours.direct.rename(columns={"estimate": "Effect"})
    assert len(mine) == len(ref)
    mod = "v" if "v" in ref.columns else "w"
    if mod in ref.columns:
        np.testing.assert_allclose(mine["w"].to_numpy(float), ref[mod].to_numpy(float), rtol=0, atol=TOL)
    for ours_col, their_col in (
        ("Effect", "Effect"),
        ("se", "SE"),
        ("t", "t"),
        ("p", "p"),
        ("llci", "LLCI"),
        ("ulci", "ULCI"),
    ):
        np.testing.assert_allclose(
            mine[ours_col].to_numpy(float),
            ref[their_col].to_numpy(float),
            rtol=0,
            atol=TOL,
            err_msg=f"model {model}: {ours_col}",
        )


@pytest.mark.parametrize("model", [4, 7, 8, 14, 15, 58])
def test_indirect_point_estimates_and_index_equal_pyprocessmacro(data, model):
    ours, theirs = _ours(data, model), _theirs(data, model)
    ref = theirs.indirect_model.coeff_summary()
    mine = ours.indirect
    assert len(mine) == len(ref)
    mod = "v" if "v" in ref.columns else "w"
    if mod in ref.columns:
        np.testing.assert_allclose(mine["w"].to_numpy(float), ref[mod].to_numpy(float), rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["estimate"].to_numpy(float), ref["Effect"].to_numpy(float), rtol=0, atol=TOL)
    if model in (7, 8, 14, 15):
        mm = theirs.indirect_model.MM_index_summary()
        assert ours.index["estimate"].iloc[0] == pytest.approx(float(mm["Index"].iloc[0]), abs=TOL)
