"""Little's MCAR test (hand-written) against a published value and data of known mechanism;
the missing-data report and the descriptives."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nero.survey.descriptives import describe, describe_by_wave
from nero.survey.missing import em_mvn, little_mcar_test, missing_report


def test_published_value_airquality(fixtures_dir):
    """R datasets::airquality; naniar::mcar_test reports d2 = 35.1061288689702, df 14,
    p = 0.00141778113856683, 4 patterns (naniar tests/testthat/test-mcar-test.R)."""
    data = pd.read_csv(fixtures_dir / "airquality.csv", na_values="NA")
    result = little_mcar_test(data)
    assert result.df == 14
    assert result.n_patterns == 4
    assert result.statistic == pytest.approx(35.1061288689702, rel=1e-5)
    assert result.p_value == pytest.approx(0.00141778113856683, rel=1e-4)


def test_em_on_complete_data_is_the_ml_estimate():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3))
    mu, sigma, _ = em_mvn(x)
    assert np.allclose(mu, x.mean(axis=0))
    assert np.allclose(sigma, np.cov(x, rowvar=False, ddof=0))


def _correlated(rng, n, p=4):
    cov = 0.5 * np.ones((p, p)) + 0.5 * np.eye(p)
    return rng.multivariate_normal(np.zeros(p), cov, size=n)


def test_mcar_by_construction_gives_uniform_p_values():
    rng = np.random.default_rng(2025)
    p_values = []
    for _ in range(150):
        x = _correlated(rng, 200)
        x[rng.random(x.shape) < 0.1] = np.nan
        p_values.append(little_mcar_test(x).p_value)
    p_values = np.array(p_values)
    assert stats.kstest(p_values, "uniform").pvalue > 0.01
    assert 0.0 <= np.mean(p_values < 0.05) <= 0.12


def test_mar_by_construction_gives_tiny_p():
    rng = np.random.default_rng(7)
    x = _correlated(rng, 400)
    x[x[:, 0] > 0.3, 1] = np.nan  # missingness of variable 2 depends on the observed variable 1
    result = little_mcar_test(x)
    assert result.p_value < 1e-6
    assert result.df == 3 and result.n_patterns == 2  # (4 + 3) observed variables over the patterns - 4


def test_no_missing_values_is_not_applicable():
    result = little_mcar_test(np.arange(12, dtype=float).reshape(4, 3))
    assert result.df == 0 and math.isnan(result.p_value)
    assert result.to_dict()["p_value"] is None
    assert "not applicable" in result.summary()


def test_missing_report_counts():
    clean = pd.DataFrame(
        {
            "wave": ["w1", "w1", "w2", "w2"],
            "response_id": ["R_1", "R_2", "R_3", "R_4"],
            "a": [1.0, np.nan, 3.0, 4.0],
            "b": [np.nan, np.nan, 2.0, 1.0],
            "c": [1.0, 2.0, 3.0, 5.0],
        }
    )
    report = missing_report(clean, ["a", "b", "c"])
    items = report.items.set_index(["wave", "variable"])
    assert items.loc[("w1", "b"), "n_missing"] == 2
    assert items.loc[("pooled", "a"), "pct_missing"] == 25.0
    assert report.cases["n_missing"].tolist() == [1, 2, 0, 0]
    assert report.cases["pct_missing"].round(4).tolist() == [33.3333, 66.6667, 0.0, 0.0]
    assert set(report.mcar) == {"w1", "w2", "pooled"}
    assert report.mcar["w1"].note == "not computable: variable(s) [1] never observed"
    assert report.mcar["w2"].note == "no missing values"


def test_describe_matches_scipy_and_closed_form():
    values = pd.Series([1.0, 2.0, 2.0, 3.0, 7.0, np.nan])
    out = describe(values)
    x = values.dropna().to_numpy()
    assert out["n"] == 5 and out["mean"] == 3.0
    assert out["sd"] == pytest.approx(np.std(x, ddof=1))
    # G1 = sqrt(n(n-1))/(n-2) * g1
    g1 = np.mean((x - x.mean()) ** 3) / np.mean((x - x.mean()) ** 2) ** 1.5
    assert out["skewness"] == pytest.approx(math.sqrt(5 * 4) / 3 * g1)
    assert out["kurtosis"] == pytest.approx(stats.kurtosis(x, bias=False))


def test_describe_by_wave_and_pooled():
    table = pd.DataFrame({"wave": ["w1", "w1", "w2", "w2", "w2"], "x": [1.0, 3.0, 2.0, 4.0, 6.0]})
    out = describe_by_wave(table, ["x"]).set_index("wave")
    assert out.loc["w1", "mean"] == 2.0 and out.loc["w2", "mean"] == 4.0 and out.loc["pooled", "mean"] == 3.2
    assert out.loc["pooled", "n"] == 5
