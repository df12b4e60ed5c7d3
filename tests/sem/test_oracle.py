"""The engine against the committed lavaan 0.6-14 oracle (tests/sem/oracle; ``make oracle`` reruns it).

Every specification of ``inputs/{examples,study,generated}/specs.json`` is refitted here
and compared with lavaan's whole parameter table (est, se, std.all) and fitMeasures,
including MLR (robust SEs, Yuan-Bentler scaled chi-square, scaling factors, robust
CFI/TLI/RMSEA) on complete data, with fixed.x covariates and under FIML; the invariance
fits (``groups.json``) level by level. Tolerances: ``oracle_compare.TOLERANCE`` (tied to
lavaan's optimiser and EM tolerances). The default suite reads the fixtures and needs no R;
``test_oracle_scripts_rerun`` (marker ``r``) reruns the R scripts live.
"""

import json
import os
import shutil
import subprocess

import oracle_compare as oc
import pytest

GENERATED = [s for s in oc.specs("generated") if s["name"].startswith("gen")]
SINGLE = [(ref, s) for ref in ("examples", "study") for s in oc.specs(ref)] + [("generated", s) for s in GENERATED]


@pytest.mark.parametrize("ref,spec", SINGLE, ids=[f"{r}:{s['name']}" for r, s in SINGLE])
def test_single_group_fit_equals_lavaan(ref, spec):
    lav = oc.lavaan_fits(ref)[spec["name"]]
    assert lav["converged"] is True
    res = oc.fit_spec(ref, spec)
    assert res.converged, res.reason
    diffs = oc.compare_fit(ref, spec, res)
    assert not oc.worst(diffs), oc.worst(diffs)
    assert {"est", "se", "chisq", "cfi", "rmsea"} <= set(diffs)  # the comparison compared something
    if spec["estimator"] == "MLR":
        assert {"chisq_scaled", "scaling_factor", "cfi_robust", "tli_robust", "rmsea_robust"} <= set(diffs)


GROUPS = [(ref, g) for ref in ("examples", "study", "generated") for g in oc.groups(ref)]


@pytest.mark.parametrize("ref,spec", GROUPS, ids=[g["name"] for _, g in GROUPS])
def test_invariance_levels_equal_lavaan(ref, spec):
    """Incl. one missing-data pattern in a group (the other complete) and unequal patterns across groups."""
    diffs = oc.compare_groups(ref, spec)
    assert not oc.worst(diffs), oc.worst(diffs)
    assert {"chisq", "cfi", "tli", "rmsea", "srmr"} <= set(diffs)


def test_the_generated_specifications_cover_the_features():
    feats = [s["features"] for s in GENERATED]
    assert len(GENERATED) == 50
    assert (
        sum(s["missing"] == "fiml" for s in GENERATED) >= 20
        and sum(s["missing"] == "listwise" for s in GENERATED) >= 10
    )
    assert sum(f["n_x"] > 0 for f in feats) >= 10  # fixed.x covariates
    assert sum(f["equal"] for f in feats) >= 10  # labels / equality constraints
    assert sum(f["corr_resid"] for f in feats) >= 10  # correlated residuals
    assert sum(f["second_order"] for f in feats) >= 3  # second-order factors
    assert sum(f["structural"] for f in feats) >= 10  # regressions among factors
    assert sum(s["estimator"] == "MLR" for s in GENERATED) >= 10


def _spec(name):
    return next(s for s in oc.specs("generated") if s["name"] == name)


def test_heywood_case_flagged_like_lavaans_warning():
    spec = _spec("heywood")
    lav = oc.lavaan_fits("generated")["heywood"]
    assert any("negative" in w for w in lav["warnings"])  # lavaan: "some estimated ov variances are negative"
    res = oc.fit_spec("generated", spec)
    assert res.converged and res.negative_variances >= 1
    assert "negative variance" in set(res.heywood["problem"])
    diffs = oc.compare_fit("generated", spec, res)  # the improper solution itself equals lavaan's
    assert not oc.worst(diffs), oc.worst(diffs)


def test_nonconvergence_reported_like_lavaans_warning():
    spec = _spec("nonconvergence")
    lav = oc.lavaan_fits("generated")["nonconvergence"]
    assert lav["converged"] is False and any("NOT been found" in w for w in lav["warnings"])
    res = oc.fit_spec("generated", spec)
    assert res.converged is False and res.reason.startswith("iteration limit or optimiser failure")


def test_fixtures_record_lavaan_and_the_session():
    for ref in ("examples", "study", "generated"):
        data = json.loads((oc.ORACLE / "fixtures" / ref / "fits.json").read_text())
        assert data["lavaan"] == "0.6.14"
        assert "lavaan_0.6" in (oc.ORACLE / "fixtures" / ref / "sessionInfo.txt").read_text()


def _r_missing() -> str | None:
    if shutil.which("Rscript") is None:
        return "Rscript is not installed (Debian: r-base-core r-cran-lavaan r-cran-jsonlite)"
    ok = subprocess.run(["Rscript", "-e", "library(lavaan); library(jsonlite)"], capture_output=True)
    return None if ok.returncode == 0 else "R packages lavaan/jsonlite are not installed (r-cran-lavaan)"


@pytest.mark.r
def test_oracle_scripts_rerun(tmp_path):
    """Rerun the committed R script of the examples in a copy and compare its fixtures with the committed ones."""
    reason = _r_missing()
    if reason:
        pytest.skip(reason)
    copy = tmp_path / "oracle"
    shutil.copytree(oc.ORACLE, copy, ignore=shutil.ignore_patterns("fixtures"))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for script in ("datasets.R", "examples.R"):
        run = subprocess.run(["Rscript", str(copy / script)], capture_output=True, text=True, env=env)
        assert run.returncode == 0, run.stderr
    fresh = json.loads((copy / "fixtures" / "examples" / "fits.json").read_text())["fits"]
    committed = oc.lavaan_fits("examples")
    assert set(fresh) == set(committed)
    for name, entry in committed.items():
        for key, value in entry.get("fit", {}).items():
            other = fresh[name]["fit"][key]
            if value is None or other is None:
                assert value == other, (name, key)
            else:
                assert other == pytest.approx(value, rel=1e-9, abs=1e-12), (name, key)
    import pandas as pd

    for csv in (oc.ORACLE / "fixtures" / "examples").glob("*.csv"):
        pd.testing.assert_frame_equal(
            pd.read_csv(copy / "fixtures" / "examples" / csv.name),
            pd.read_csv(csv),
            rtol=1e-9,
            atol=1e-12,
            obj=csv.name,
        )


def test_reliability_and_htmt_equal_semtools(hs):
    """Cronbach's alpha, HTMT and HTMT2 against semTools 0.5-6 (fixtures/semtools, semtools.R)."""
    import numpy as np
    from semdata import HS_FACTORS

    from nero.sem import cronbach_alpha, htmt

    ref = json.loads((oc.ORACLE / "fixtures" / "semtools" / "reliability.json").read_text())
    assert ref["factors"] == list(HS_FACTORS)
    for f, items in HS_FACTORS.items():
        assert cronbach_alpha(hs[items]) == pytest.approx(ref["alpha"][f], abs=1e-12)
    for key, kw in (("htmt", {}), ("htmt2", {"htmt2": True})):
        ours = htmt(hs, HS_FACTORS, **kw).matrix.loc[ref["factors"], ref["factors"]].to_numpy()
        low = np.tril_indices(3, -1)  # ours: the lower triangle (diagonal and upper left empty)
        np.testing.assert_allclose(ours[low], np.array(ref[key])[low], rtol=0, atol=1e-12)
