"""Latent mediation with the engine: delta-method indirect effect and the parallel bootstrap, whose
refits are the same engine on the same rows with the same estimator and limits as the estimate."""

import numpy as np
import pytest
from simdata import simulate_clean_table

from nero.sem import latent_mediation


@pytest.fixture(scope="module")
def data():
    d = simulate_clean_table(31, n=300)
    d["AMB"] = (d["INST"] - d["INST"].mean()) * (d["VIRT"] - d["VIRT"].mean())
    return d


CAP = ["CAP1", "CAP2", "CAP3", "CAP4", "CAP5"]
SCO = ["SCO1", "SCO2", "SCO3", "SCO4", "SCO5"]


def test_delta_method_indirect(data):
    res = latent_mediation(data, "AMB", CAP, SCO, ["log_employees"], "CAP", "SCO")
    assert res.fit.converged
    e = res.effects.set_index("effect")
    a, b = e.loc["a", "estimate"], e.loc["b", "estimate"]
    assert e.loc["indirect a*b", "estimate"] == pytest.approx(a * b)
    # delta-method SE is at least the Sobel SE minus the covariance term's size
    sobel = np.sqrt(b**2 * e.loc["a", "se"] ** 2 + a**2 * e.loc["b", "se"] ** 2)
    assert e.loc["indirect a*b", "se"] == pytest.approx(sobel, rel=0.05)
    assert a > 0 and b > 0 and e.loc["indirect a*b", "p"] < 0.05
    assert "CAP =~ 1*CAP1" in res.fit.model_text


def test_parallel_bootstrap_is_deterministic(data, capsys):
    kw = dict(covariates=[], m_name="CAP", y_name="SCO", n_boot=16, seed=4, n_jobs=2)
    r1 = latent_mediation(data, "AMB", CAP, SCO, progress=True, **kw)
    err = capsys.readouterr().err
    assert "latent bootstrap: 16/16 draws" in err
    r2 = latent_mediation(data, "AMB", CAP, SCO, **kw)
    assert len(r1.boot_draws) == 16 and r1.boot_failed == 0
    assert np.array_equal(r1.boot_draws, r2.boot_draws)
    row = r1.effects.set_index("effect").loc["indirect a*b"]
    assert row["pct_lower"] <= row["estimate"] <= row["pct_upper"]


def test_bootstrap_draws_are_the_engines_refits_of_the_same_rows(data):
    """Draw k is fit_ml on the k-th resample of the rows the estimate used (FIML keeps incomplete rows)."""
    from nero.sem.latent import latent_bootstrap, latent_mediation_syntax
    from nero.sem.ml import fit_ml

    d = data[["AMB", *CAP, *SCO]].copy()
    d.loc[d.index[::9], "CAP2"] = np.nan  # incomplete rows: FIML keeps them, listwise would not
    text = latent_mediation_syntax("AMB", CAP, SCO, (), "CAP", "SCO")
    draws, failed = latent_bootstrap(d, text, list(d.columns), 3, seed=11, n_jobs=1, progress=False)
    assert failed == 0
    rng = np.random.default_rng(11)
    for k in range(3):
        idx = rng.integers(0, len(d), size=len(d))
        fit = fit_ml(d.iloc[idx].reset_index(drop=True), text, missing="fiml")
        assert fit.success and fit.n_obs == len(d)  # every resampled row, incomplete ones included
        assert draws[k] == fit.x[fit.model.labels["a"]] * fit.x[fit.model.labels["b"]]


def test_bootstrap_refits_obey_the_time_limit(data):
    from nero.sem.latent import latent_bootstrap, latent_mediation_syntax

    d = data[["AMB", *CAP, *SCO]]
    text = latent_mediation_syntax("AMB", CAP, SCO, (), "CAP", "SCO")
    draws, failed = latent_bootstrap(d, text, list(d.columns), 2, seed=3, n_jobs=1, progress=False, time_limit=0.0)
    assert failed == 2 and np.all(np.isnan(draws))  # past the limit: counted as failed, not waited for
    draws, failed = latent_bootstrap(d, text, list(d.columns), 2, seed=3, n_jobs=1, progress=False, time_limit=60)
    assert failed == 0 and np.all(np.isfinite(draws))
