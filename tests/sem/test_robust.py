"""MLR (nero.sem.robust) beyond the oracle comparison of test_oracle.py: the options, the
study's robust sensitivity table against lavaan's MLR on the same firms, and what MLR
leaves unchanged."""

import numpy as np
import oracle_compare as oc
import pytest

from nero.sem import fit_cfa
from nero.sem._common import SemInputError
from nero.sem.settings import SemSettings

HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"


def test_estimator_option_is_checked(hs):
    with pytest.raises(SemInputError, match="estimator must be one of"):
        fit_cfa(hs, HS, estimator="WLSMV", time_limit=None)
    with pytest.raises(SemInputError, match="sem.estimator: 'mlr' is not 'ML' or 'MLR'"):
        SemSettings.from_config({"estimator": "mlr"})
    assert SemSettings.from_config({}).estimator == "ML"


def test_mlr_keeps_the_ml_estimates_and_changes_only_the_standard_errors(hs):
    ml = fit_cfa(hs, HS, time_limit=None, missing="listwise")
    mlr = fit_cfa(hs, HS, time_limit=None, missing="listwise", estimator="MLR")
    assert mlr.estimator == "MLR" and ml.estimator == "ML"
    np.testing.assert_array_equal(ml.estimates["est"].to_numpy(), mlr.estimates["est"].to_numpy())
    assert ml.fit["chi2"] == mlr.fit["chi2"] and "chi2_scaled" not in ml.fit
    free = ml.estimates["free"].to_numpy()
    assert not np.allclose(ml.estimates["se"].to_numpy()[free], mlr.estimates["se"].to_numpy()[free], atol=1e-3)
    # MLR: chi2_scaled = chi2 / scaling factor, and the robust RMSEA is sqrt(max(chi2/(N df) - c/N, 0))
    f = mlr.fit
    assert f["chi2_scaled"] == pytest.approx(f["chi2"] / f["scaling_factor"], rel=1e-12)
    n = mlr.n_obs
    assert f["rmsea_robust"] == pytest.approx(
        np.sqrt(max(f["chi2"] / (n * f["df"]) - f["scaling_factor"] / n, 0)), rel=1e-12
    )


def test_robust_sensitivity_table_equals_lavaans_mlr_on_the_study(shipped_clean):
    """Both rows of results/sem/robust_sensitivity.csv against lavaan 0.6-14 (oracle fixtures study_*_fiml_mlr)."""
    from semdata import ROOT

    from nero.config import load_yaml
    from nero.sem import run_sem_family

    config = load_yaml(ROOT / "config" / "config.yaml")
    res = run_sem_family(
        "robust", shipped_clean, load_yaml(ROOT / "config" / "codebook.yaml"), config["sem"], seed=config["seed"]
    )
    table = res.tables["robust_sensitivity"]
    assert list(table["model"]) == ["measurement model (CFA)", "structural model (latent mediation)"]
    lav = oc.lavaan_fits("study")
    for row, name in zip(table.itertuples(), ("study_cfa_fiml_mlr", "study_latent_fiml_mlr")):
        f = lav[name]["fit"]
        assert row.n_obs == lav[name]["nobs"] == 218 and row.df == f["df"] and row.converged
        assert row.chi2 == pytest.approx(f["chisq"], rel=1e-6)
        assert row.chi2_scaled == pytest.approx(f["chisq.scaled"], rel=1e-5)
        assert row.scaling_factor == pytest.approx(f["chisq.scaling.factor"], abs=1e-6)
        for ours, theirs in (
            ("cfi_robust", "cfi.robust"),
            ("tli_robust", "tli.robust"),
            ("rmsea_robust", "rmsea.robust"),
            ("rmsea_ci_upper_robust", "rmsea.ci.upper.robust"),
        ):
            assert getattr(row, ours) == pytest.approx(f[theirs], abs=1e-5), ours
    # the robust SE of a*b is the delta method with lavaan's MLR covariance of a and b
    pe = oc.lavaan_table("study", "study_latent_fiml_mlr")
    a = pe[(pe.op == "~") & (pe.lhs == "CAP") & (pe.rhs == "AMB")].iloc[0]
    b = pe[(pe.op == "~") & (pe.lhs == "SCO") & (pe.rhs == "CAP")].iloc[0]
    assert table["indirect_ab"].iloc[1] == pytest.approx(a.est * b.est, abs=1e-5)
    assert np.isnan(table["indirect_ab"].iloc[0])
