"""Bad input gives a clear error: a ValueError subclass naming column, case and value."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from nero import fsqca


@pytest.fixture()
def data():
    return pd.DataFrame(
        {"A": [0.2, 0.9, 0.7, 0.1], "B": [0.8, 0.3, 0.6, 0.4], "Y": [0.1, 0.9, 0.8, 0.3]},
        index=["c1", "c2", "c3", "c4"],
    )


def test_membership_outside_unit_interval(data):
    data.loc["c3", "B"] = 1.2
    with pytest.raises(fsqca.MembershipRangeError) as err:
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8)
    msg = str(err.value)
    assert isinstance(err.value, ValueError)
    assert "'B'" in msg and "'c3'" in msg and "1.2" in msg and "[0, 1]" in msg


def test_outcome_outside_unit_interval(data):
    data.loc["c1", "Y"] = -0.1
    with pytest.raises(fsqca.MembershipRangeError, match=r"column 'Y', case 'c1': membership -0.1"):
        fsqca.necessity(data, "Y")


@pytest.mark.parametrize(
    "call",
    [
        lambda d: fsqca.truth_table(d, "Y", ["A", "C"], incl_cut=0.8),
        lambda d: fsqca.truth_table(d, "Z", ["A", "B"], incl_cut=0.8),
        lambda d: fsqca.necessity(d, "Y", ["A", "C"]),
        lambda d: fsqca.calibrate(d, {"C": (0, 0.5, 1)}),
        lambda d: fsqca.skewness(d, ["C"]),
    ],
)
def test_missing_columns(data, call):
    with pytest.raises(fsqca.MissingColumnError) as err:
        call(data)
    assert isinstance(err.value, ValueError)
    msg = str(err.value)
    assert ("'C'" in msg or "'Z'" in msg) and "expected one of: A, B, Y" in msg


def test_non_numeric_value(data):
    data = data.astype(object)
    data.loc["c2", "A"] = "high"
    with pytest.raises(fsqca.NonNumericError) as err:
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8)
    msg = str(err.value)
    assert isinstance(err.value, ValueError)
    assert "'A'" in msg and "'c2'" in msg and "'high'" in msg and "expected a number" in msg


def test_non_numeric_raw_value_in_calibration():
    with pytest.raises(fsqca.NonNumericError, match=r"column 'GDP', case 2: value 'n/a' is not numeric"):
        fsqca.calibrate_direct(pd.Series([1.0, 2.0, "n/a"], name="GDP"), 0, 1, 2)


def test_missing_membership(data):
    data.loc["c4", "B"] = np.nan
    with pytest.raises(fsqca.MissingValueError, match=r"column 'B', case 'c4': missing value"):
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8)


@pytest.mark.parametrize("anchors", [(5, 2, 9), (1, 1, 2), (3, 2, 2), (9, 2, 5)])
def test_anchors_out_of_order(anchors):
    with pytest.raises(fsqca.AnchorOrderError) as err:
        fsqca.calibrate_direct(pd.Series([1.0, 4.0, 8.0], name="DEMOC"), *anchors)
    msg = str(err.value)
    assert isinstance(err.value, ValueError)
    assert "'DEMOC'" in msg and "out of order" in msg and "expected exclusion < crossover < inclusion" in msg


def test_bell_anchors_out_of_order():
    with pytest.raises(fsqca.AnchorOrderError, match="six anchors out of order"):
        fsqca.calibrate_bell(pd.Series([1.0, 5.0], name="X"), (1, 2, 3, 2.5, 4, 5))
    with pytest.raises(fsqca.AnchorOrderError, match="expected six"):
        fsqca.calibrate_bell(pd.Series([1.0, 5.0], name="X"), (1, 2, 3))


def test_percentile_anchor_out_of_range():
    with pytest.raises(fsqca.AnchorOrderError, match="percentile anchor inclusion = 120"):
        fsqca.calibrate_direct(pd.Series([1.0, 5.0], name="X"), 5, 50, 120, percentile=True)


def test_crisp_thresholds_out_of_order():
    with pytest.raises(fsqca.AnchorOrderError, match="out of order"):
        fsqca.calibrate_crisp([1, 2, 3], [2, 1])


def test_half_membership_fail_policy(data):
    data.loc["c1", "A"] = 0.5
    with pytest.raises(fsqca.HalfMembershipError, match=r"column 'A': membership of exactly 0.5 for case\(s\) c1"):
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8, half="fail")
    with pytest.raises(fsqca.HalfMembershipError):
        fsqca.calibrate_direct(pd.Series([1.0, 2.0, 3.0], name="X"), 1, 2, 3, half="fail")


def test_unknown_policy_and_cuts(data):
    with pytest.raises(fsqca.FsqcaError, match="policy 'drop' unknown"):
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8, half="drop")
    with pytest.raises(fsqca.FsqcaError, match="n_cut 0"):
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8, n_cut=0)
    with pytest.raises(fsqca.FsqcaError, match="consistency cuts"):
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=(0.7, 0.8))


def test_bad_expressions(data):
    with pytest.raises(fsqca.ExpressionError, match="set 'C' not in the data"):
        fsqca.fit_parameters(data, "A*~C", "Y")
    with pytest.raises(fsqca.ExpressionError, match="empty term"):
        fsqca.fit_parameters(data, "A + ", "Y")
    with pytest.raises(fsqca.ExpressionError, match="cannot read"):
        fsqca.fit_parameters(data, "A*(B)", "Y")


def test_nothing_to_explain(data):
    tt = fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=1)
    with pytest.raises(fsqca.MinimizationError, match="nothing to explain"):
        fsqca.minimize(tt)


def test_intermediate_needs_expectations_and_valid_names(data):
    tt = fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.7)
    with pytest.raises(fsqca.FsqcaError, match="needs directional expectations"):
        fsqca.minimize(tt, "intermediate")
    with pytest.raises(fsqca.FsqcaError, match="names no condition"):
        fsqca.minimize(tt, "intermediate", dir_exp=["A", "~Q"])


def test_no_error_class_escapes_as_plain_exception(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError):
            fsqca.truth_table(data, "Y", ["A", "A"], incl_cut=0.8)


def test_outcome_listed_as_a_condition_is_refused_everywhere():
    import pandas as pd

    from nero.fsqca import FsqcaError, necessity, truth_table

    data = pd.DataFrame({"A": [0.2, 0.8, 0.6], "B": [0.9, 0.1, 0.7], "Y": [0.3, 0.9, 0.6]})
    for call in (lambda: necessity(data, "Y", ["A", "Y"]), lambda: truth_table(data, "~Y", ["A", "Y"])):
        with pytest.raises(FsqcaError, match="the outcome 'Y' is also listed among the conditions"):
            call()


def test_header_only_table_says_no_cases(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("A,B,Y\n")
    with pytest.raises(fsqca.FsqcaError, match=r"no cases: the table has its columns \(A, B, Y\) but no rows"):
        fsqca.truth_table(fsqca.read_table(str(path)), "Y", ["A", "B"], incl_cut=0.8)


def test_infinite_value_is_printed_plainly(data):
    data["A"] = data["A"].astype(float)
    data.loc["c2", "A"] = np.inf
    with pytest.raises(fsqca.NonNumericError) as err:
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8)
    assert "value inf is infinite" in str(err.value) and "np.float64" not in str(err.value)


def test_cases_without_label_column_are_numbered_from_one(tmp_path):
    path = tmp_path / "nolabels.csv"
    path.write_text("A,B,Y\n0.2,0.8,0.1\n0.9,0.3,0.9\n")
    assert list(fsqca.read_table(str(path)).index) == ["1", "2"]


def test_constant_condition_gets_a_note(data):
    data["C"] = [0.9, 0.8, 0.7, 0.95]  # above the crossover in every case
    with pytest.warns(fsqca.ConstantConditionWarning, match=r"condition 'C' is constant \(membership above 0.5"):
        tt = fsqca.truth_table(data, "Y", ["A", "B", "C"], incl_cut=0.8)
    assert len(tt.notes) == 1 and (tt.table["C"] == 1).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error", fsqca.ConstantConditionWarning)
        assert fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8).notes == ()


@pytest.mark.parametrize("row", [-3, "-3", 5, "5"])
def test_excluded_row_out_of_range_is_named_alike_by_truth_table_and_minimize(data, row):
    # two conditions: rows 1..4; truth_table and minimize read `exclude` by the same rule
    message = rf"excluded row {int(row)} does not exist; expected a row number between 1 and 4"
    with pytest.raises(fsqca.FsqcaError, match=message):
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8, exclude=[row])
    tt = fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8)
    with pytest.raises(fsqca.FsqcaError, match=message):
        fsqca.minimize(tt, "parsimonious", exclude=[row])


def test_indirect_calibration_names_a_target_list_of_the_wrong_length(data):
    with pytest.raises(fsqca.FsqcaError, match=r"column 'A': 2 targets for 4 cases; expected one per case"):
        fsqca.calibrate_indirect(data["A"], targets=[0.1, 0.9])


def test_half_membership_warnings_point_at_the_callers_line(data):
    """However deep in the package the 0.5 policy runs, the warning names the user's call."""
    data.loc["c1", "A"] = 0.5
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fsqca.calibrate_direct(pd.Series([1, 5, 9]), 1, 5, 9)
        fsqca.truth_table(data, "Y", ["A", "B"], incl_cut=0.8)
        fsqca.calibrate(pd.DataFrame({"X": [1.0, 5.0, 9.0]}), {"X": (1, 5, 9)})
    half = [w for w in caught if issubclass(w.category, fsqca.HalfMembershipWarning)]
    assert len(half) == 3
    assert {w.filename for w in half} == {__file__}
    assert len({w.lineno for w in half}) == 3
