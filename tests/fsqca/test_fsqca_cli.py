"""``nero fsqca`` commands."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from fsqca_data import FIXTURES, models_of, reference

from nero.cli import main


def _run(capsys, argv):
    rc = main(argv)
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_minimize_json_against_reference(capsys):
    ref = reference()["CVF"]
    rc, out, _ = _run(
        capsys,
        [
            "fsqca",
            "minimize",
            str(FIXTURES / "CVF.csv"),
            "--outcome",
            "PROTEST",
            "--incl-cut",
            "0.8",
            "--dir-exp",
            ",".join(ref["intermediate"]["dir_exp"]),
            "--json",
        ],
    )
    assert rc == 0
    doc = json.loads(out)
    sols = doc["solutions"]
    assert set(sols) == {"conservative", "parsimonious", "intermediate"}
    for kind in sols:
        assert {frozenset(m) for m in sols[kind]["models"]} == models_of(ref[kind])
        for model, fit in zip(sols[kind]["models"], sols[kind]["fit"]):
            assert [t["term"] for t in fit["terms"]] == model
            assert set(fit["overall"]) == {"inclS", "PRI", "covS"}
            assert all({"inclS", "PRI", "covS", "covU"} <= set(t) for t in fit["terms"])
    p = sols["parsimonious"]
    first = next(f for f in ref["parsimonious"]["fit"] if {t["term"] for t in f["terms"]} == set(p["models"][0]))
    assert p["fit"][0]["overall"]["inclS"] == pytest.approx(first["overall"][0]["inclS"], abs=1e-6)


def test_minimize_output_is_deterministic(capsys):
    argv = [
        "fsqca",
        "minimize",
        str(FIXTURES / "NF.csv"),
        "--outcome",
        "W",
        "--conditions",
        "A,I,M,U",
        "--incl-cut",
        "0.8",
        "--n-cut",
        "1",
        "--pri-cut",
        "0",
        "--dir-exp",
        "~A,I,M,~U",
        "--json",
    ]
    _, a, _ = _run(capsys, argv)
    _, b, _ = _run(capsys, argv)
    assert a == b


def test_minimize_text(capsys):
    rc, out, _ = _run(
        capsys,
        [
            "fsqca",
            "minimize",
            str(FIXTURES / "LF.csv"),
            "--outcome",
            "SURV",
            "--incl-cut",
            "0.8",
            "--solution",
            "parsimonious",
        ],
    )
    assert rc == 0
    assert "M1: DEV*~IND + URB*STB -> SURV" in out


def test_truth_table_json(capsys):
    rc, out, _ = _run(
        capsys, ["fsqca", "truth-table", str(FIXTURES / "LC.csv"), "--outcome", "SURV", "--incl-cut", "1", "--json"]
    )
    doc = json.loads(out)
    assert rc == 0 and len(doc["rows"]) == len(reference()["LC"]["truth_table"])
    assert {r["OUT"] for r in doc["rows"]} == {"0", "1"}


def test_necessity_and_superset(capsys):
    rc, out, _ = _run(capsys, ["fsqca", "necessity", str(FIXTURES / "LF.csv"), "--outcome", "SURV", "--json"])
    doc = json.loads(out)
    dev = next(r for r in doc["rows"] if r["expression"] == "DEV")
    assert dev["inclN"] == pytest.approx(reference()["LF"]["necessity"][0]["inclN"], abs=1e-6)
    assert {s["set"] for s in doc["skewness"]} == {"DEV", "URB", "LIT", "IND", "STB", "SURV"}
    rc, out, _ = _run(
        capsys,
        [
            "fsqca",
            "necessity",
            str(FIXTURES / "LF.csv"),
            "--outcome",
            "SURV",
            "--superset",
            "--incl-cut",
            "0.9",
            "--cov-cut",
            "0.6",
        ],
    )
    assert rc == 0 and "LIT" in out and "inclN" in out


def test_calibrate_reproduces_cvf(capsys, tmp_path):
    anchors = reference()["CVR_calibration"]["anchors_exclusion_crossover_inclusion"]
    argv = ["fsqca", "calibrate", str(FIXTURES / "CVR.csv"), "--digits", "2", "--output", str(tmp_path / "out.csv")]
    for col, (e, c, i) in anchors.items():
        argv += ["--anchors", f"{col}={e},{c},{i}"]
    rc, out, _ = _run(capsys, argv)
    assert rc == 0 and "wrote" in out
    got = pd.read_csv(tmp_path / "out.csv", index_col=0)
    cvf = pd.read_csv(FIXTURES / "CVF.csv", index_col=0)
    for col in anchors:
        np.testing.assert_array_equal(got[col].to_numpy(), cvf[col].to_numpy())


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["fsqca", "minimize", "FIX/NF.csv", "--outcome", "Q", "--incl-cut", "0.8"], "outcome 'Q' not in the data"),
        (
            ["fsqca", "truth-table", "FIX/NF.csv", "--outcome", "W", "--conditions", "A,Z", "--incl-cut", "0.8"],
            "condition 'Z' not in the data",
        ),
        (["fsqca", "calibrate", "FIX/CVR.csv", "--anchors", "DEMOC=9,7,2.5x"], "expected numbers"),
        (["fsqca", "calibrate", "FIX/CVR.csv", "--anchors", "DEMOC=7,2,9.5"], "anchors out of order"),
        (["fsqca", "minimize", "FIX/CVR.csv", "--outcome", "PROTEST", "--incl-cut", "0.8"], "outside [0, 1]"),
        (["fsqca", "minimize", "FIX/missing.csv", "--outcome", "W", "--incl-cut", "0.8"], "no such file"),
        (
            ["fsqca", "minimize", "FIX/NF.csv", "--outcome", "W", "--incl-cut", "0.8", "--solution", "intermediate"],
            "needs --dir-exp",
        ),
    ],
)
def test_errors_exit_2(capsys, argv, needle):
    argv = [a.replace("FIX", str(FIXTURES)) for a in argv]
    rc, _, err = _run(capsys, argv)
    assert rc == 2
    assert err.startswith("nero: error: ") and needle in err


@pytest.mark.parametrize("sub", ["calibrate", "necessity", "truth-table", "minimize"])
def test_help(capsys, sub):
    with pytest.raises(SystemExit) as exc:
        main(["fsqca", sub, "--help"])
    assert exc.value.code == 0
    assert "usage: nero fsqca " + sub in capsys.readouterr().out


def test_group_alone_prints_help(capsys):
    rc = main(["fsqca"])
    assert rc == 0
    assert "truth-table" in capsys.readouterr().out


# --- case labels from a named numeric ID column (issue 24)


def _deals(tmp_path, ids=(1001, 1002, 1003, 1004, 1005, 1006)):
    """CVF's first six cases with a numeric Deal_ID in place of the labels; the same cases with an unnamed
    label column holding the IDs are the oracle."""
    cvf = pd.read_csv(FIXTURES / "CVF.csv", index_col=0).iloc[:6]
    named = cvf.reset_index(drop=True)
    named.insert(0, "Deal_ID", list(ids))
    named.to_csv(tmp_path / "deals.csv", index=False)
    unnamed = cvf.copy()
    unnamed.index = [f"d{i}" for i in ids]
    unnamed.to_csv(tmp_path / "labelled.csv")
    return tmp_path / "deals.csv", tmp_path / "labelled.csv"


def test_id_option_labels_cases_by_a_numeric_column(capsys, tmp_path):
    deals, labelled = _deals(tmp_path)
    argv = ["truth-table", "--outcome", "PROTEST", "--incl-cut", "0.8", "--json"]
    rc, out, err = _run(capsys, ["fsqca", argv[0], str(deals), *argv[1:], "--id", "Deal_ID"])
    assert rc == 0 and "row numbers" not in err
    with_id = json.loads(out)
    _, out, _ = _run(capsys, ["fsqca", argv[0], str(labelled), *argv[1:]])
    oracle = json.loads(out)
    assert "Deal_ID" not in with_id["conditions"] and with_id["conditions"] == oracle["conditions"]
    cases = [r["cases"].split(",") for r in with_id["rows"]]
    assert cases == [[c[1:] for c in r["cases"].split(",")] for r in oracle["rows"]]
    assert sorted(c for r in cases for c in r) == ["1001", "1002", "1003", "1004", "1005", "1006"]


def test_without_id_a_numeric_first_column_gives_row_numbers_and_a_note(capsys, tmp_path):
    deals, _ = _deals(tmp_path)
    rc, out, err = _run(
        capsys,
        [
            "fsqca",
            "truth-table",
            str(deals),
            "--outcome",
            "PROTEST",
            "--incl-cut",
            "0.8",
            "--conditions",
            "DEMOC,ETHFRACT",
            "--json",
        ],
    )
    assert rc == 0
    assert "cases are labelled by their data-row numbers 1-6" in err and "--id COLUMN" in err
    assert sorted(c for r in json.loads(out)["rows"] for c in r["cases"].split(",")) == ["1", "2", "3", "4", "5", "6"]


def test_unnamed_label_column_gives_no_row_number_note(capsys, tmp_path):
    _, labelled = _deals(tmp_path)
    rc, _, err = _run(capsys, ["fsqca", "truth-table", str(labelled), "--outcome", "PROTEST", "--incl-cut", "0.8"])
    assert rc == 0 and "row numbers" not in err


@pytest.mark.parametrize(
    "ids, column, needle",
    [
        ((1001, 1002, 1003, 1004, 1005, 1006), "Deal", "--id 'Deal': no such column (columns: Deal_ID, DEMOC"),
        ((1001, 1002, 1002, 1004, 1005, 1006), "Deal_ID", "--id 'Deal_ID': repeated ID(s): '1002' in rows 3, 4"),
    ],
)
def test_id_option_errors(capsys, tmp_path, ids, column, needle):
    deals, _ = _deals(tmp_path, ids)
    rc, _, err = _run(
        capsys, ["fsqca", "truth-table", str(deals), "--outcome", "PROTEST", "--incl-cut", "0.8", "--id", column]
    )
    assert rc == 2 and needle in err
