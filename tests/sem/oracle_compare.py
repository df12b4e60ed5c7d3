"""Compare the engine with the committed lavaan fixtures of tests/sem/oracle (importable by name).

``compare_spec`` refits one specification of ``inputs/<reference>/specs.json`` with
:func:`nero.sem.fit_cfa` and returns the largest absolute difference from lavaan per
figure kind; ``compare_groups`` does the same for the multi-group (invariance) fits.
``TOLERANCE`` ties each kind to lavaan's optimiser: nlminb stops at a relative change
of the objective of 1e-10 (``rel.tol``), which leaves the estimates up to about 1e-5
from the optimum on these scales; chi-square and the indices are second-order in that
error (one to three orders smaller); SEs come from a numerically differentiated
information matrix (ours, step 1e-5) or lavaan's analytic one. With missing data lavaan's EM
estimate of the unrestricted moments stops at a tolerance of 1e-5 (ours at 1e-12): SRMR
and the FIML-corrected robust CFI/TLI/RMSEA, which are built on those moments, agree to
a few 1e-6.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pandas as pd

ORACLE = Path(__file__).parent / "oracle"

#: Largest absolute difference allowed, per figure kind.
TOLERANCE = {
    "est": 1e-4,
    "se": 1e-4,
    "std_all": 1e-4,
    "chisq": 1e-6,
    "cfi": 1e-6,
    "tli": 1e-6,
    "rmsea": 1e-6,
    "rmsea_ci": 1e-5,
    "srmr": 5e-6,
    "baseline": 1e-6,
    "chisq_scaled": 1e-5,
    "scaling_factor": 1e-6,
    "cfi_robust": 1e-5,
    "tli_robust": 1e-5,
    "rmsea_robust": 5e-6,
    "rmsea_ci_robust": 1e-5,
}

#: fitMeasures name -> (our key, figure kind)
FIT_MAP = {
    "chisq": ("chi2", "chisq"),
    "cfi": ("cfi", "cfi"),
    "tli": ("tli", "tli"),
    "rmsea": ("rmsea", "rmsea"),
    "rmsea.ci.lower": ("rmsea_ci_lower", "rmsea_ci"),
    "rmsea.ci.upper": ("rmsea_ci_upper", "rmsea_ci"),
    "srmr": ("srmr", "srmr"),
    "baseline.chisq": ("baseline_chi2", "baseline"),
}
ROBUST_MAP = {
    "chisq.scaled": ("chi2_scaled", "chisq_scaled"),
    "chisq.scaling.factor": ("scaling_factor", "scaling_factor"),
    "baseline.chisq.scaled": ("baseline_chi2_scaled", "chisq_scaled"),
    "baseline.chisq.scaling.factor": ("baseline_scaling_factor", "scaling_factor"),
    "cfi.robust": ("cfi_robust", "cfi_robust"),
    "tli.robust": ("tli_robust", "tli_robust"),
    "rmsea.robust": ("rmsea_robust", "rmsea_robust"),
    "rmsea.ci.lower.robust": ("rmsea_ci_lower_robust", "rmsea_ci_robust"),
    "rmsea.ci.upper.robust": ("rmsea_ci_upper_robust", "rmsea_ci_robust"),
}


@cache
def specs(reference: str) -> list[dict]:
    path = ORACLE / "inputs" / reference / "specs.json"
    return json.loads(path.read_text()) if path.exists() else []


@cache
def groups(reference: str) -> list[dict]:
    path = ORACLE / "inputs" / reference / "groups.json"
    return json.loads(path.read_text()) if path.exists() else []


@cache
def lavaan_fits(reference: str) -> dict:
    fits = json.loads((ORACLE / "fixtures" / reference / "fits.json").read_text())["fits"]
    for entry in fits.values():  # jsonlite writes a single warning as a string
        if isinstance(entry.get("warnings"), str):
            entry["warnings"] = [entry["warnings"]]
    return fits


def lavaan_table(reference: str, name: str) -> pd.DataFrame:
    t = pd.read_csv(ORACLE / "fixtures" / reference / f"{name}.csv", keep_default_na=False, na_values=["NA"])
    return t.rename(columns={"std.all": "std_all"})


def _key(lhs: str, op: str, rhs: str) -> tuple:
    return (op, *sorted((lhs, rhs))) if op == "~~" else (op, lhs, rhs)


#: Kinds compared relative to the value (chi-squares: |ours - lavaan| / max(1, |lavaan|)).
RELATIVE = ("chisq", "baseline", "chisq_scaled")


def _update(diffs: dict, kind: str, ours: float, theirs: float) -> None:
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return
    d = abs(float(ours) - float(theirs))
    if kind in RELATIVE:
        d /= max(1.0, abs(float(theirs)))
    if math.isnan(d):
        d = math.inf
    diffs[kind] = max(diffs.get(kind, 0.0), d)


def fit_spec(reference: str, spec: dict):
    from nero.sem import fit_cfa

    data = pd.read_csv(ORACLE / "inputs" / reference / spec["data"])
    return fit_cfa(
        data,
        spec["model"],
        time_limit=None,
        max_iter=int(spec["max_iter"]),
        name=spec["name"],
        missing=spec["missing"],
        estimator=spec["estimator"],
    )


def compare_fit(reference: str, spec: dict, res) -> dict[str, float]:
    """Largest |ours - lavaan| per figure kind for one converged fit."""
    lav = lavaan_fits(reference)[spec["name"]]
    diffs: dict[str, float] = {}
    for name, (ours, kind) in FIT_MAP.items():
        if name in lav["fit"]:
            _update(diffs, kind, res.fit[ours], lav["fit"][name])
    if spec["estimator"] == "MLR":
        for name, (ours, kind) in ROBUST_MAP.items():
            _update(diffs, kind, res.fit[ours], lav["fit"][name])
    assert int(res.fit["df"]) == int(lav["fit"]["df"]), (spec["name"], res.fit["df"], lav["fit"]["df"])
    assert res.n_obs == int(lav["nobs"]), (spec["name"], res.n_obs, lav["nobs"])
    table = lavaan_table(reference, spec["name"])
    theirs = {_key(r.lhs, r.op, "" if pd.isna(r.rhs) else r.rhs): r for r in table.itertuples()}
    ours = res.estimates
    if not (table["op"] == "~1").any():  # lavaan without a mean structure (complete data): no intercepts
        ours = ours[ours["op"] != "~1"]
    seen = set()
    for r in ours.itertuples():
        k = _key(r.lhs, r.op, r.rhs)
        assert k in theirs, (spec["name"], "not in lavaan's table", k)
        seen.add(k)
        t = theirs[k]
        _update(diffs, "est", r.est, t.est)
        _update(diffs, "std_all", r.std_all, t.std_all)
        if r.free:
            _update(diffs, "se", r.se, t.se)
    free_lavaan = {k for k, t in theirs.items() if t.se > 0}
    assert free_lavaan <= seen, (spec["name"], "free in lavaan, absent here", sorted(free_lavaan - seen))
    return diffs


def compare_groups(reference: str, spec: dict) -> dict[str, float]:
    """Largest |ours - lavaan| of chi2, CFI, TLI, RMSEA, SRMR over the invariance levels of one group spec."""
    from nero.sem import measurement_invariance
    from nero.sem.syntax import parse_measurement

    data = pd.read_csv(ORACLE / "inputs" / reference / spec["data"])
    factors = parse_measurement(spec["model"])
    inv = measurement_invariance(
        data, factors, spec["group"], spec["levels"], time_limit=None, check_configural=False, missing=spec["missing"]
    )
    lav = lavaan_fits(reference)
    diffs: dict[str, float] = {}
    fits = inv.fits.set_index("level")
    for level in spec["levels"]:
        f = lav[f"{spec['name']}_{level}"]["fit"]
        row = fits.loc[level]
        assert int(row["df"]) == int(f["df"]), (spec["name"], level)
        for name, (ours, kind) in FIT_MAP.items():
            if ours in row.index and name in f:
                _update(diffs, kind, row[ours], f[name])
    return diffs


def worst(diffs: dict[str, float]) -> list[tuple[str, float, float]]:
    """(kind, difference, tolerance) of every kind over its tolerance."""
    return [(k, v, TOLERANCE[k]) for k, v in diffs.items() if not v <= TOLERANCE[k]]
