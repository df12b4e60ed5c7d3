"""Model builder, time limits, convergence and Heywood reporting."""

import time

import numpy as np
import pandas as pd
import pytest
from simdata import CODEBOOK

from nero.sem import SemInputError, cfa_model_from_codebook, fit_cfa, parse_measurement, run_with_time_limit


def test_model_from_codebook_has_a_marker_on_every_factor():
    text = cfa_model_from_codebook(CODEBOOK)
    factors = parse_measurement(text)
    assert list(factors) == ["INST", "VIRT", "EFF", "MKT", "CAP", "SCO"]  # marker construct left out
    assert factors["INST"] == ["INST1", "INST2", "INST3", "INST4", "INST5"]
    for line in text.splitlines():
        if "=~" in line and not line.startswith("#"):
            assert line.split("=~")[1].strip().startswith("1*"), line
    with_marker = parse_measurement(cfa_model_from_codebook(CODEBOOK, include_marker=True))
    assert with_marker["MARKER"] == ["MARK1", "MARK2", "MARK3"]


def test_second_order_with_two_factors_fixes_both_loadings():
    text = cfa_model_from_codebook(CODEBOOK, constructs=["INST", "VIRT", "CAP"], second_order={"NET": ["INST", "VIRT"]})
    assert "NET =~ 1*INST + 1*VIRT" in text
    assert list(parse_measurement(text)) == ["INST", "VIRT", "CAP", "NET"]
    with pytest.raises(SemInputError, match="unknown"):
        cfa_model_from_codebook(CODEBOOK, constructs=["INST", "NOPE"])
    with pytest.raises(SemInputError, match="unknown factor"):
        cfa_model_from_codebook(CODEBOOK, constructs=["INST"], second_order={"NET": ["INST", "VIRT"]})


def _sleep(seconds):
    time.sleep(seconds)
    return seconds


def _boom():
    raise RuntimeError("bad")


def test_run_with_time_limit_kills_and_reports():
    status, payload, secs = run_with_time_limit(_sleep, (30,), time_limit=0.5)
    assert status == "time limit" and payload is None and secs < 5
    status, payload, _ = run_with_time_limit(_sleep, (0.01,), time_limit=10)
    assert status == "ok" and payload == 0.01
    status, payload, _ = run_with_time_limit(_boom, time_limit=10)
    assert status == "error" and "RuntimeError: bad" in payload


def test_factor_identified_by_its_variance_fits_and_time_limit_is_reported(hs):
    # a factor without a fixed loading (variance fixed to 1) hangs semopy (docs/sem.md, "semopy"); the
    # engine of nero.sem fits it, and the same loadings as the marker-identified model rescaled
    free = fit_cfa(hs, "visual =~ NA*x1 + x2 + x3\nvisual ~~ 1*visual\ntextual =~ x4 + x5 + x6", time_limit=20)
    marker = fit_cfa(hs, "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6", time_limit=20)
    assert free.converged and free.fit["chi2"] == pytest.approx(marker.fit["chi2"], rel=1e-8)
    start = time.perf_counter()
    res = fit_cfa(hs, "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6", time_limit=0.001)
    assert time.perf_counter() - start < 6
    assert res.converged is False and res.reason == "time limit"
    assert res.fit == {} and "NOT converged" in res.summary()


def test_iteration_limit_is_reported(hs):
    res = fit_cfa(hs, "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9", max_iter=3)
    assert res.converged is False
    assert res.reason.startswith("iteration limit")


def test_heywood_case_is_reported():
    # r12 = r13 = .3, r23 = .05: the one-factor solution needs lambda_1^2 = 1.8 > 1
    rng = np.random.default_rng(5)
    corr = np.array([[1, 0.3, 0.3], [0.3, 1, 0.05], [0.3, 0.05, 1]])
    x = rng.multivariate_normal(np.zeros(3), corr, size=2000)
    data = pd.DataFrame(x, columns=["a", "b", "c"])
    res = fit_cfa(data, "F =~ a + b + c")
    problems = set(res.heywood["problem"])
    assert "variance at zero bound" in problems or "negative variance" in problems
    assert res.negative_variances >= 1
    assert res.status()["heywood_cases"] >= 1


def test_method_factor_heywood_on_hs(hs):
    # lavaan 0.6-14 gives the same chi2 (54.897 on 23 df) and warns that the latent
    # covariance matrix is not positive definite
    from semdata import HS_FACTORS

    from nero.sem import measurement_syntax

    res = fit_cfa(hs, measurement_syntax(HS_FACTORS, method_factor="CMV"), std_se=False)
    assert res.fit["chi2"] == pytest.approx(54.89683276, abs=1e-4)
    assert res.fit["df"] == 23
    assert "not positive definite" in set(res.heywood["problem"])


def test_bad_input_names_the_column(hs):
    with pytest.raises(SemInputError, match="'x99'"):
        fit_cfa(hs, "f =~ x1 + x2 + x99")
    bad = hs.assign(x2=hs["x2"].astype(str).where(np.arange(len(hs)) > 0, "n/a"))
    with pytest.raises(SemInputError, match="'x2' must be numeric"):
        fit_cfa(bad, "f =~ x1 + x2 + x3")
    with pytest.raises(SemInputError, match="at least"):
        fit_cfa(hs.head(5), "f =~ x1 + x2 + x3")
