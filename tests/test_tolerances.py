"""The named tolerances of floating-point decisions (nero.tolerances), at each edge."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nero import tolerances as tol


def test_below_alpha_edges():
    alpha = 0.05
    assert tol.below_alpha(alpha - 2 * tol.P_TOL, alpha)  # clearly below
    assert not tol.below_alpha(alpha - 0.5 * tol.P_TOL, alpha)  # within the tolerance: at alpha
    assert not tol.below_alpha(alpha, alpha)  # exactly on it
    assert not tol.below_alpha(alpha + 1e-17, alpha) and not tol.below_alpha(alpha - 1e-17, alpha)  # last bits
    assert not tol.below_alpha(0.2, alpha)
    assert not tol.below_alpha(math.nan, alpha)  # missing: not significant
    assert tol.below_alpha(np.array([1e-300, 0.0]), alpha).all()
    assert tol.below_alpha(np.array([0.01, 0.05, 0.06, np.nan]), alpha).tolist() == [True, False, False, False]


def test_at_least_and_below_cut_edges():
    cut = 0.7
    assert tol.at_least(cut, cut) and tol.at_least(cut - 0.5 * tol.CUT_TOL, cut) and tol.at_least(0.71, cut)
    assert not tol.at_least(cut - 2 * tol.CUT_TOL, cut) and not tol.at_least(math.nan, cut)
    assert tol.below(cut - 2 * tol.CUT_TOL, cut)
    assert not tol.below(cut, cut) and not tol.below(cut - 0.5 * tol.CUT_TOL, cut) and not tol.below(0.9, cut)
    assert not tol.below(math.nan, cut)
    assert tol.at_least(0.1 + 0.2, 0.3) and not tol.below(0.1 + 0.2, 0.3)  # 0.30000000000000004 is on 0.3
    assert tol.at_least(0.3, 0.1 + 0.2)  # and 0.3 reaches 0.30000000000000004


def test_zero_sign_and_intervals_relative_to_scale():
    assert tol.is_zero(1.3877788e-17, 0.1) and tol.is_zero(-2.7755576e-17, 0.1) and tol.is_zero(0.0)
    assert not tol.is_zero(1e-12, 1e-3)  # 1e-9 relative: a real value
    assert tol.is_zero(1e-16, 1e3) and not tol.is_zero(1e-8, 1.0)
    assert tol.is_zero(0.5e-12, 1.0) and tol.is_zero(1e-12, 1.0) and not tol.is_zero(2e-12, 1.0)  # the edge: inclusive
    assert tol.sign(-2.7755576e-17, 0.1) == 0 and tol.sign(-0.01, 0.1) == -1 and tol.sign(0.01) == 1
    assert tol.sign(np.array([-1.0, 0.0, 1e-20, 2.0])).tolist() == [-1, 0, 0, 1]
    # an interval whose bound is zero up to rounding does not exclude zero, on either side
    assert not tol.excludes_zero(1.3877788e-17, 0.2, 0.2) and not tol.excludes_zero(-0.3, -2.7755576e-17, 0.3)
    assert tol.excludes_zero(0.01, 0.2, 0.2) and tol.excludes_zero(-0.3, -0.01, 0.3)
    assert not tol.excludes_zero(-0.1, 0.1, 0.1)


def test_snap_zero_writes_zero_not_minus_zero_or_1e17():
    out = tol.snap_zero(np.array([1.3877788e-17, -2.7755576e-17, -0.0, 0.2, -0.3]))
    assert out.tolist() == [0.0, 0.0, 0.0, 0.2, -0.3]
    assert not np.signbit(out[:3]).any()
    assert f"{tol.snap_zero(-0.0):.10g}" == "0" and f"{tol.snap_zero(-1e-18, 1.0):.10g}" == "0"
    assert tol.snap_zero(np.array([1e-13, 1e-3]), scale=np.array([1.0, 1.0])).tolist() == [0.0, 1e-3]
    assert tol.snap_zero(np.array([1e-13, 1e-13]), scale=np.array([1.0, 1e-6])).tolist() == [0.0, 1e-13]
    assert np.isnan(tol.snap_zero(np.array([np.nan, 1.0]))[0])
    assert tol.snap_zero(np.array([])).size == 0


@pytest.mark.parametrize("name", ["P_TOL", "CUT_TOL", "ZERO_TOL"])
def test_tolerances_are_far_above_rounding_and_far_below_reported_digits(name):
    value = getattr(tol, name)
    assert 1e3 * np.finfo(float).eps < value <= 1e-8  # results are written with 8-10 significant digits
