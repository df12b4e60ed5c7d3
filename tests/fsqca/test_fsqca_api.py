"""Calibration options, the 0.5 policy, truth-table cuts, ESA, robustness, determinism."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from fsqca_data import dataset, reference

from nero import fsqca

RAGIN = math.exp(3) / (1 + math.exp(3))
QUIET_HALF = pytest.mark.filterwarnings("ignore::nero.fsqca.HalfMembershipWarning")


# --------------------------------------------------------------------------- calibration


def test_direct_calibration_anchor_values():
    x = pd.Series([2.0, 7.0, 9.5, 1.0, 100.0], name="DEMOC", index=list("abcde"))
    with pytest.warns(fsqca.HalfMembershipWarning, match="case\\(s\\) b shifted to 0.501"):
        fs = fsqca.calibrate_direct(x, 2, 7, 9.5)
    assert fs["a"] == pytest.approx(1 - RAGIN)
    assert fs["b"] == pytest.approx(0.501)
    assert fs["c"] == pytest.approx(RAGIN)
    assert fs["e"] == 1.0  # above 0.9999 -> 1, as R
    assert fs.attrs["half_membership"]["cells"] == [{"case": "b", "column": "DEMOC"}]
    with pytest.warns(fsqca.HalfMembershipWarning, match="kept"):
        exact = fsqca.calibrate_direct(x, 2, 7, 9.5, convention="exact", half="keep")
    assert exact["c"] == pytest.approx(0.95) and exact["a"] == pytest.approx(0.05) and exact["b"] == 0.5


@QUIET_HALF
def test_decreasing_set_is_the_complement():
    x = pd.Series(np.linspace(0, 10, 21))
    up = fsqca.calibrate_direct(x, 1, 4.9, 9)
    down = fsqca.calibrate_direct(x, 9, 4.9, 1)
    np.testing.assert_allclose(up + down, 1.0, atol=1e-12)


@QUIET_HALF
def test_percentile_anchors():
    x = pd.Series(np.arange(1.0, 102.0), name="X")
    a = fsqca.calibrate_direct(x, 5, 50, 95, percentile=True, half="keep")
    b = fsqca.calibrate_direct(x, np.percentile(x, 5), np.percentile(x, 50), np.percentile(x, 95), half="keep")
    pd.testing.assert_series_equal(a, b)


@QUIET_HALF
def test_linear_function_follows_r_formula():
    x = pd.Series([0.0, 1.0, 2.5, 4.0, 7.0, 10.0])
    fs = fsqca.calibrate_direct(x, 1, 4, 10, function="linear", half="keep")
    expected = [0.0, 0.0, ((1 - 2.5) / (1 - 4)) / 2, 0.5, 1 - ((10 - 7) / (10 - 4)) / 2, 1.0]
    np.testing.assert_allclose(fs, expected)


@QUIET_HALF
def test_bell_shape():
    x = pd.Series([0.0, 1.0, 4.0, 5.0, 6.0, 9.0, 10.0])
    fs = fsqca.calibrate_bell(x, (1, 2, 4, 6, 8, 9), half="keep")
    assert fs[1] == pytest.approx(1 - RAGIN) and fs[5] == pytest.approx(1 - RAGIN)
    assert fs[2] == pytest.approx(RAGIN) and fs[4] == pytest.approx(RAGIN)
    assert fs[3] > RAGIN and fs[0] < 0.05 and fs[6] < 0.05
    u = fsqca.calibrate_bell(x, (4, 3, 1, 9, 7, 6), half="keep")  # U shape: i1 < c1 < e1 <= e2 < c2 < i2
    assert u[3] < 0.05 and u[0] > 0.95 and u[6] > 0.95
    lin = fsqca.calibrate_bell(x, (1, 2, 4, 6, 8, 9), function="linear", half="keep")
    np.testing.assert_allclose(lin, [0, 0, 1, 1, 1, 0, 0])


@QUIET_HALF
def test_indirect_method():
    x = pd.Series(np.linspace(1, 10, 30), name="GDP")
    targets = np.clip((x - 1) / 9, 0, 1).round(1)
    fs = fsqca.calibrate_indirect(x, targets=targets)
    assert fs.is_monotonic_increasing and fs.iloc[0] < 0.1 and fs.iloc[-1] > 0.9
    fs2 = fsqca.calibrate_indirect(x, thresholds=[3, 5, 7, 9], design="fracpoly")
    assert fs2.iloc[0] < fs2.iloc[-1] and fs2.between(0, 1).all()


@QUIET_HALF
def test_indirect_method_recovers_a_logistic_calibration_exactly():
    # targets that ARE a logistic function of x: the fractional logit reproduces them (closed form)
    x = pd.Series(np.linspace(2, 20, 25), name="SIZE")
    z = (x - x.mean()) / x.std(ddof=0)
    targets = 1 / (1 + np.exp(-(0.4 + 1.7 * z)))
    with warnings.catch_warnings():
        warnings.simplefilter("error", fsqca.CalibrationConvergenceWarning)
        fs = fsqca.calibrate_indirect(x, targets=targets)
    np.testing.assert_allclose(fs, targets.round(6), atol=1.5e-6)


@QUIET_HALF
@pytest.mark.parametrize(
    ("thresholds", "design", "why"),
    [
        ([5], "linear", "no maximum-likelihood fit"),  # 0/1 targets completely separated by x (the LP finds it)
        ([4, 7], "fracpoly", "numerically 0 or 1"),  # a maximum exists, but at linear predictors far past +-30
    ],
)
def test_indirect_method_warns_when_the_memberships_are_not_identified(thresholds, design, why):
    x = pd.Series(np.linspace(1, 10, 30), name="GDP")
    with pytest.warns(
        fsqca.CalibrationConvergenceWarning, match=rf"column 'GDP'.*{why}.*\({design} design\).*not identified"
    ):
        fsqca.calibrate_indirect(x, thresholds=thresholds, design=design)


@QUIET_HALF
def test_indirect_method_ill_conditioned_but_identified_fit_is_the_maximum():
    """Step targets 0, .25, ..., 1 on the four fractional-polynomial predictors: no separation
    (the cases with targets inside (0, 1) pin every direction), so the quasi-likelihood has a
    maximum; the iterates reach it but, with coefficients near 27 on an ill-conditioned system,
    move in their last bits (a change criterion of 1e-10 held on one CPU and not on another).
    Converged by the score criterion, no warning, and the memberships equal an independent
    maximiser's (statsmodels' GLM, binomial family, on the same design) to 6 decimals."""
    import statsmodels.api as sm

    from nero.fsqca.indirect_method import _design_matrix, _fractional_logit, _threshold_targets, separation

    x = pd.Series(np.linspace(1, 10, 30), name="GDP")
    with warnings.catch_warnings():
        warnings.simplefilter("error", fsqca.CalibrationConvergenceWarning)
        fs = fsqca.calibrate_indirect(x, thresholds=[2, 4, 6, 8], design="fracpoly")
    values = x.to_numpy()
    design, y = _design_matrix(values, "fracpoly", x, "GDP"), _threshold_targets([2, 4, 6, 8], values, "GDP")
    assert not separation(design, y)
    glm = sm.GLM(y, design, family=sm.families.Binomial()).fit(tol=1e-14, maxiter=500)
    np.testing.assert_allclose(fs.to_numpy(), np.round(glm.fittedvalues, 6), atol=1.5e-6)
    # the score criterion at its edges: stopped after 3 iterations the score is far from 0 (not
    # converged); after the full 200 it is below SCORE_TOL per case
    assert _fractional_logit(design, y, max_iter=3)[1] is False
    fitted, converged, clipped = _fractional_logit(design, y)
    assert converged and not clipped
    assert np.max(np.abs(design.T @ (y - fitted))) < 1e-8 * len(y)


def test_separation_check_by_linear_programming():
    """Konis' LP: complete and quasi-complete separation (ties at the cut, with a fractional target
    at the tie too) are found; overlapping targets, all-fractional targets and a single case of
    each kind on the wrong side are not; targets that are all 1 are separated (the intercept)."""
    from nero.fsqca.indirect_method import separation

    def design(x):
        x = np.asarray(x, dtype=float)
        return np.column_stack([np.ones_like(x), (x - x.mean()) / x.std()])

    x = [1, 2, 3, 3, 4, 5]
    assert separation(design(x), np.array([0, 0, 0, 1, 1, 1.0]))  # complete (the tie split 0/1 at x = 3)
    assert separation(design(x), np.array([0, 0, 0.5, 0.5, 1, 1.0]))  # quasi: s(x) = x - 3 is 0 at the tie
    assert separation(design([1, 2, 3, 4]), np.array([0, 0, 1, 1.0]))
    assert not separation(design([1, 2, 3, 4]), np.array([0, 1, 0, 1.0]))  # overlap
    assert not separation(design([1, 2, 3, 4]), np.array([0.2, 0.4, 0.6, 0.8]))  # no 0/1 target
    assert not separation(design([1, 2, 3, 4]), np.array([0, 0.4, 0.6, 1.0]))  # 2 pinned cases fix both coefficients
    assert separation(design([1, 2, 3, 4]), np.ones(4))
    assert not separation(design([1, 2, 3, 4, 5]), np.array([0, 1, 0.5, 0, 1.0]))


def test_crisp_calibration():
    assert fsqca.calibrate_crisp([1, 5, 7, 9], 5).tolist() == [0, 1, 1, 1]
    assert fsqca.calibrate_crisp([1, 5, 7, 9], [5, 8]).tolist() == [0, 1, 1, 2]


def test_calibrate_frame_keeps_other_columns_and_bell():
    raw = dataset("CVR")
    out = fsqca.calibrate(raw, {"DEMOC": (2, 7, 9.5), "GEOCON": (0, 0.5, 1, 2, 2.5, 3)}, keep=True)
    assert list(out.columns) == list(raw.columns)
    pd.testing.assert_series_equal(out["PROTEST"], raw["PROTEST"])


def test_skewness_check():
    res = fsqca.skewness(dataset("LC"))
    assert res.table.loc["LIT", "share_above"] == pytest.approx(13 / 18)
    assert res.table.loc["URB", "share_above"] == pytest.approx(5 / 18)
    sk = fsqca.skewness(pd.DataFrame({"A": [0.9] * 9 + [0.1]}))
    assert sk.skewed == ["A"] and "A" in sk.summary()


# --------------------------------------------------------------------------- 0.5 policy and truth table


def test_half_policy_in_truth_table():
    nf = dataset("NF")
    nf.loc["AU", "A"] = 0.5
    with pytest.warns(fsqca.HalfMembershipWarning):
        shifted = fsqca.truth_table(nf, "W", incl_cut=0.8)
    assert shifted.half.cells == (("AU", "A"),)
    assert "AU" in shifted.table["cases"].str.cat(sep=",")
    with pytest.warns(fsqca.HalfMembershipWarning, match="kept"):
        kept = fsqca.truth_table(nf, "W", incl_cut=0.8, half="keep")
    assert "AU" not in kept.table["cases"].str.cat(sep=",")  # as R: a case at 0.5 belongs to no row
    assert kept.table["n"].sum() == len(nf) - 1
    with pytest.warns(fsqca.HalfMembershipWarning, match="0.499"):
        fsqca.truth_table(nf, "W", incl_cut=0.8, half_shift=-0.001)


def test_contradictions_with_two_consistency_cuts():
    tt = fsqca.truth_table(dataset("NF"), "W", incl_cut=(0.8, 0.7))
    rows = tt.table
    assert set(rows.index[rows["OUT"] == "C"]) == set(rows.index[(rows["incl"] >= 0.7 - 1e-9) & (rows["incl"] < 0.8)])
    assert {6, 10} == set(rows.index[rows["OUT"] == "C"])
    # contradictions are not explained and may not be covered
    assert set(tt.negative_codes + 1) >= {6, 10}


def test_pri_and_frequency_cuts():
    nf = dataset("NF")
    tt = fsqca.truth_table(nf, "W", incl_cut=0.8, pri_cut=0.6)
    assert tt.table.at[14, "OUT"] == "0" and tt.table.at[8, "OUT"] == "1"  # PRI 0.583 / 0.667
    tt2 = fsqca.truth_table(nf, "W", incl_cut=0.8, n_cut=2)
    assert set(tt2.table.index[tt2.table["OUT"] == "?"]) == set(tt2.table.index[tt2.table["n"] < 2])
    sol = fsqca.minimize(tt2, "parsimonious")
    assert all(len(m) == sol.min_terms for m in sol.models)


def test_negated_outcome_truth_table():
    lf = dataset("LF")
    tt = fsqca.truth_table(lf, "~SURV", incl_cut=0.8)
    neg = lf.assign(NOT=1 - lf["SURV"]).drop(columns="SURV")
    tt2 = fsqca.truth_table(neg, "NOT", incl_cut=0.8)
    pd.testing.assert_frame_equal(tt.table, tt2.table)
    assert fsqca.minimize(tt).models == fsqca.minimize(tt2).models
    assert fsqca.minimize(tt).outcome == "~SURV"


def test_complete_truth_table_and_exclusions():
    tt = fsqca.truth_table(dataset("LC"), "SURV", incl_cut=1, exclude=["~DEV*URB", 2])
    full = tt.to_frame(complete=True)
    assert len(full) == 32 and (full["OUT"] == "?").sum() == 32 - 9 - len(tt.excluded)
    assert all(full.at[c + 1, "DEV"] == 0 for c in tt.excluded)
    # observed rows are never excluded
    assert 2 not in [c + 1 for c in tt.excluded]


# --------------------------------------------------------------------------- fit and necessity


def test_fit_parameters_by_hand():
    d = pd.DataFrame({"A": [0.9, 0.2, 0.7], "B": [0.1, 0.8, 0.4], "C": [0.3, 0.6, 0.2], "Y": [0.8, 0.7, 0.3]})
    res = fsqca.fit_parameters(d, "A*~B + C", "Y")
    x = np.maximum(np.minimum(d.A, 1 - d.B), d.C)
    assert res.overall["inclS"] == pytest.approx(np.minimum(x, d.Y).sum() / x.sum())
    assert res.overall["covS"] == pytest.approx(np.minimum(x, d.Y).sum() / d.Y.sum())
    nec = fsqca.fit_parameters(d, "A + B", "Y", relation="necessity")
    x = np.maximum(d.A, d.B)
    assert nec.overall["RoN"] == pytest.approx((1 - x).sum() / (1 - np.minimum(x, d.Y)).sum())
    assert list(res.to_frame().index) == ["A*~B", "C", "expression"]
    assert fsqca.membership(d, "~C").tolist() == pytest.approx([0.7, 0.4, 0.8])


def test_superset_necessity():
    lf = dataset("LF")
    res = fsqca.superset_necessity(lf, "SURV", incl_cut=0.9, cov_cut=0.5)
    table = res.table
    assert (table["inclN"] >= 0.9).all() and (table["covN"] >= 0.5).all()
    exprs = [frozenset(e.split(" + ")) for e in table.index]
    assert not any(a < b for a in exprs for b in exprs)  # no reported superset of a reported one
    assert "LIT" in table.index and not any("LIT" in e and e != frozenset(["LIT"]) for e in exprs)
    for e, row in table.iterrows():
        fit = fsqca.fit_parameters(lf, e, "SURV", relation="necessity").overall
        assert row["inclN"] == pytest.approx(fit["inclN"]) and row["RoN"] == pytest.approx(fit["RoN"])
    strict = fsqca.superset_necessity(lf, "SURV", incl_cut=0.9, ron_cut=0.6)
    assert (strict.table["RoN"] >= 0.6).all()


def test_necessity_includes_negations():
    res = fsqca.necessity(dataset("LF"), "SURV")
    assert list(res.table.index[-5:]) == ["~DEV", "~URB", "~LIT", "~IND", "~STB"]
    ref = reference()["LF"]["necessity"][0]
    assert res.table.loc["DEV", "inclN"] == pytest.approx(ref["inclN"], abs=1e-6)


# --------------------------------------------------------------------------- minimization extras


def test_pi_chart_and_essentials():
    tt = fsqca.truth_table(dataset("CVF"), "PROTEST", incl_cut=0.8)
    sol = fsqca.minimize(tt, "parsimonious")
    chart = sol.pi_chart()
    assert chart.shape == (len(sol.prime_implicants), len(tt.positive_codes))
    assert chart.any(axis=0).all()
    only = chart.sum(axis=0) == 1
    assert set(sol.essential) == {pi for pi in chart.index if (chart.loc[pi] & only).any()}
    for m in sol.models:  # essential prime implicants are in every model
        assert set(sol.essential) <= set(m)


def test_simplifying_assumptions_are_covered_remainders():
    tt = fsqca.truth_table(dataset("LC"), "SURV", incl_cut=1)
    sol = fsqca.minimize(tt, "parsimonious")
    sa = sol.simplifying_assumptions(0)
    observed = set(tt.table.index)
    assert sa and not set(sa) & observed
    # DEV*STB covers 8 rows, 3 of them observed positives
    assert len(sa) == 8 - 3


def test_contradictory_assumptions_and_esa():
    lf = dataset("LF")
    tt = fsqca.truth_table(lf, "SURV", incl_cut=0.8)
    ttn = fsqca.truth_table(lf, "~SURV", incl_cut=0.8)
    py, pn = fsqca.minimize(tt), fsqca.minimize(ttn)
    csa = fsqca.contradictory_simplifying_assumptions(py, pn)
    assert csa == sorted(set(py.simplifying_assumptions(0)) & set(pn.simplifying_assumptions(0)))
    assert csa
    esa = fsqca.enhanced_standard_analysis(
        tt, ttn, necessary=["LIT"], untenable=["~DEV*URB"], dir_exp=["DEV", "URB", "LIT", "IND", "STB"]
    )
    banned = set(esa.excluded_rows)
    assert set(csa) <= banned
    for kind in ("parsimonious", "intermediate"):
        sol = esa.solutions[kind]
        for i in range(len(sol.models)):
            assert not set(sol.simplifying_assumptions(i)) & banned
        for m in sol.models:
            rows = fsqca.truthtable.rows_matching(" + ".join(m), tt.conditions) + 1
            # nothing outside LIT (necessity claim) is assumed, no ~DEV*URB remainder is used
            assert not set(rows) & banned
    assert esa.to_dict()["excluded_rows"] == esa.excluded_rows


def test_cap_on_tied_models_reports_true_count():
    rng = np.random.default_rng(3)
    k, n = 8, 120
    vals = rng.beta(0.2, 0.2, size=(n, k + 1))
    vals[vals == 0.5] = 0.51
    cols = [f"X{j}" for j in range(k)]
    data = pd.DataFrame(vals, columns=cols + ["Y"])
    tt = fsqca.truth_table(data, "Y", cols, incl_cut=0.8)
    full = fsqca.minimize(tt, "parsimonious")
    assert full.n_models_exact
    capped = fsqca.minimize(tt, "parsimonious", max_models=2)
    assert capped.n_models == full.n_models and len(capped.models) == min(2, full.n_models)
    assert capped.truncated == (full.n_models > 2)
    assert all(m in full.models for m in capped.models)
    assert len({tuple(m) for m in full.models}) == len(full.models) == min(full.n_models, 1000)


def test_determinism_and_outputs():
    tt = fsqca.truth_table(dataset("CVF"), "PROTEST", incl_cut=0.8)
    a = json.dumps(fsqca.minimize(tt, "parsimonious").to_dict(), sort_keys=True)
    b = json.dumps(
        fsqca.minimize(fsqca.truth_table(dataset("CVF"), "PROTEST", incl_cut=0.8), "parsimonious").to_dict(),
        sort_keys=True,
    )
    assert a == b
    sol = fsqca.minimize(tt, "intermediate", dir_exp="DEMOC,ETHFRACT,GEOCON,POLDIS,~NATPRIDE")
    frame = sol.to_frame()
    assert list(frame.columns) == ["model", "term", "inclS", "PRI", "covS", "covU", "cases"]
    assert (frame["term"] == "(model)").sum() == len(sol.models)
    text = sol.summary()
    assert "M1: " in text and "-> PROTEST" in text and "easy counterfactuals" in text
    d = sol.to_dict()
    assert d["models"] == sol.models and d["fit"][0]["terms"][0]["term"] == sol.models[0][0]
    assert "PROTEST" in tt.summary() and len(tt.to_dict()["rows"]) == len(tt.table)


def test_dir_exp_formats_agree():
    tt = fsqca.truth_table(dataset("NF"), "W", incl_cut=0.8)
    a = fsqca.minimize(tt, "intermediate", dir_exp=["~A", "I", "M", "~U"]).models
    b = fsqca.minimize(tt, "intermediate", dir_exp={"A": 0, "I": 1, "M": 1, "U": 0}).models
    assert a == b
    cons = fsqca.minimize(tt, "conservative").models
    assert fsqca.minimize(tt, "intermediate", dir_exp={"A": "-"}).models == cons


# --------------------------------------------------------------------------- robustness


def test_robustness_fit_by_hand():
    is_ = pd.Series([0.8, 0.2, 0.6, 0.9])
    ts = [np.array([0.7, 0.3, 0.6, 0.4]), np.array([0.9, 0.1, 0.4, 0.8])]
    y = np.array([0.9, 0.1, 0.7, 0.6])
    rf = fsqca.robustness_fit(is_, ts, y)
    tmin, tmax = np.minimum(*ts), np.maximum(*ts)

    def incl(x):
        return np.minimum(x, y).sum() / x.sum()

    def cov(x):
        return np.minimum(x, y).sum() / y.sum()

    core = np.minimum(is_, tmin)
    assert rf.figures["RF_cov_min"] == pytest.approx(cov(core) / cov(is_))
    assert rf.figures["RF_cons_min"] == pytest.approx(incl(is_) / incl(core))
    assert rf.figures["RF_SC_min"] == pytest.approx(np.minimum(is_, tmin).sum() / np.maximum(is_, tmin).sum())
    assert rf.figures["RF_SC_max"] == pytest.approx(np.minimum(is_, tmax).sum() / np.maximum(is_, tmax).sum())
    assert rf.cases["shaky typical"] == 2  # IS above 0.5, TS_min below, Y above: cases 3 and 4
    assert rf.cases["robust typical"] == 1
    same = fsqca.robustness_fit(is_, [is_.to_numpy()], y)
    assert same.figures["RF_SC_min"] == 1 and same.figures["RF_cov_min"] == 1


def test_robustness_tests_grid():
    raw = dataset("CVR")
    anchors = reference()["CVR_calibration"]["anchors_exclusion_crossover_inclusion"]
    conds = ["DEMOC", "ETHFRACT", "GEOCON", "POLDIS", "NATPRIDE"]
    tests = (
        fsqca.cut_variants(incl_cuts=[0.75, 0.85], n_cuts=[2])
        + fsqca.anchor_variants(anchors, shift=0.05, sets=["DEMOC"])
        + fsqca.subsample_variants(raw.index, n_draws=2, fraction=0.9, seed=1)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fsqca.HalfMembershipWarning)
        rep = fsqca.robustness_tests(
            raw, "PROTEST", conds, initial={"incl_cut": 0.8, "anchors": anchors}, tests=tests, solution="parsimonious"
        )
    assert list(rep.table.index[:4]) == ["initial", "incl.cut 0.75", "incl.cut 0.85", "n.cut 2"]
    assert len(rep.tests) + len(rep.failures) == len(tests)
    assert rep.table.loc["subsample 1", "n_cases"] == 26
    assert rep.table.loc["DEMOC crossover +0.05", "n_cases"] == 29
    f = rep.fit.figures
    assert 0 < f["RF_SC_min"] <= 1 and 0 < f["RF_cov_min"] <= 1 and f["RF_SC_max"] <= 1
    assert "RF_cov" in rep.summary()
    assert rep.to_dict()["fit"]["n_tests"] == len(rep.tests)


def test_anchor_variants_move_the_crossover():
    v = fsqca.anchor_variants({"A": (0, 5, 10)}, shift=0.1)
    assert [x["anchors"]["A"] for x in v] == [(0.0, 6.0, 10.0), (0.0, 4.0, 10.0)]
