"""nero sem cfa / process / checks."""

import json

import pytest
from semdata import FIXTURES

from nero.cli import main
from nero.testing import REPO


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_process_model1_json(capsys):
    code, out, _ = run(
        capsys,
        "sem",
        "process",
        str(FIXTURES / "Data_Model1.csv"),
        "--model",
        "1",
        "--x",
        "x",
        "--m",
        "m",
        "--y",
        "y",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    cond = payload["conditional_effects"]
    assert round(cond[0]["effect"], 4) == 0.0815 and round(cond[2]["se"], 4) == 0.0403


def test_process_model4_text(capsys):
    code, out, _ = run(
        capsys,
        "sem",
        "process",
        str(FIXTURES / "Data_Model4.csv"),
        "--model",
        "4",
        "--x",
        "x",
        "--m",
        "m1,m2",
        "--y",
        "y",
        "--boot",
        "500",
        "--seed",
        "3",
    )
    assert code == 0
    assert "Indirect effect(s) of X on Y" in out and "0.9511" in out


def test_cfa_command(capsys, hs, tmp_path):
    data = tmp_path / "hs.csv"
    hs.to_csv(data, index=False)
    model = tmp_path / "hs.txt"
    model.write_text("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n")
    code, out, _ = run(capsys, "sem", "cfa", str(data), "--model", str(model), "--json")
    assert code == 0
    payload = json.loads(out)
    assert round(payload["fit"]["chi2"], 3) == 85.306 and round(payload["fit"]["srmr"], 3) == 0.065
    assert len(payload["standardised_loadings"]) == 9
    assert round(payload["reliability"][1]["alpha"], 4) == 0.8827
    code, out, _ = run(capsys, "sem", "cfa", str(data), "--model", str(model))
    assert code == 0 and "RMSEA = 0.092 90% CI [0.071, 0.114]" in out and "HTMT" in out


def test_cfa_command_mlr_and_a_refused_model(capsys, hs, tmp_path):
    import oracle_compare as oc

    data = tmp_path / "hs.csv"
    hs.to_csv(data, index=False)
    model = tmp_path / "hs.txt"
    model.write_text("visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n")
    code, out, _ = run(capsys, "sem", "cfa", str(data), "--model", str(model), "--estimator", "MLR", "--json")
    assert code == 0
    fit, lav = json.loads(out)["fit"], oc.lavaan_fits("examples")["hs_cfa_mlr"]["fit"]
    assert json.loads(out)["estimator"] == "MLR"
    assert fit["chi2_scaled"] == pytest.approx(lav["chisq.scaled"], rel=1e-6)
    assert fit["cfi_robust"] == pytest.approx(lav["cfi.robust"], abs=1e-6)
    code, out, _ = run(capsys, "sem", "cfa", str(data), "--model", str(model), "--estimator", "MLR")
    assert code == 0 and "MLR: Yuan-Bentler scaled chi2(24) = 87.132" in out
    bad = tmp_path / "bad_model.txt"
    bad.write_text("visual =~ x1 + start(0.5)*x2 + x3\n")
    code, _, err = run(capsys, "sem", "cfa", str(data), "--model", str(bad))
    assert code == 2 and "bad_model.txt: model line 1" in err and "'start(0.5)'" in err


def test_user_errors(capsys, tmp_path):
    code, _, err = run(
        capsys,
        "sem",
        "process",
        str(FIXTURES / "Data_Model1.csv"),
        "--model",
        "4",
        "--x",
        "x",
        "--m",
        "nope",
        "--y",
        "y",
    )
    assert code == 2 and "Data_Model1.csv" in err and "'nope'" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("x,m,y\n1,2,a\n2,3,b\n")
    code, _, err = run(capsys, "sem", "process", str(bad), "--model", "4", "--x", "x", "--m", "m", "--y", "y")
    assert code == 2 and "bad.csv" in err and "'y' must be numeric" in err
    few = tmp_path / "few.csv"
    few.write_text("x,m,y\n1,2,3\n2,3,5\n3,1,2\n")
    code, _, err = run(capsys, "sem", "process", str(few), "--model", "4", "--x", "x", "--m", "m", "--y", "y")
    assert code == 2 and "few.csv" in err and "complete rows" in err
    code, _, err = run(capsys, "sem", "cfa", str(tmp_path / "missing.csv"), "--model", "m.txt")
    assert code == 2 and "missing.csv: no such file" in err


def test_checks_command(capsys, tmp_path):
    import yaml
    from simdata import CODEBOOK, simulate_clean_table

    data = tmp_path / "clean.csv"
    simulate_clean_table(4, n=240).to_csv(data, index=False)
    cb = REPO / "config" / "codebook.yaml"  # read through the study's Codebook type (its items are simdata's)
    assert {k: v["items"] for k, v in yaml.safe_load(cb.read_text())["constructs"].items()} == {
        k: v["items"] for k, v in CODEBOOK["constructs"].items()
    }
    cfg = tmp_path / "config.yaml"
    cfg.write_text(yaml.safe_dump({"seed": 9, "sem": {"n_boot": 300}}))
    out_dir = tmp_path / "sem"
    code, out, _ = run(
        capsys, "sem", "checks", str(data), "--codebook", str(cb), "--config", str(cfg), "--out", str(out_dir), "--json"
    )
    assert code == 0
    payload = json.loads(out)
    assert "cfa_model.txt" in payload["files"] and (out_dir / "indirect_effects.csv").is_file()
    assert json.loads((out_dir / "summary.json").read_text())["seed"] == 9


def test_checks_command_names_an_unusable_codebook(capsys, tmp_path):
    """A codebook without the survey's checks and firm variables is not the study's codebook: the
    command stops naming the file and what is missing (exit 2), before any analysis."""
    import yaml
    from simdata import CODEBOOK, simulate_clean_table

    data = tmp_path / "clean.csv"
    simulate_clean_table(4, n=60).to_csv(data, index=False)
    cb = tmp_path / "codebook.yaml"
    cb.write_text(yaml.safe_dump(CODEBOOK))  # constructs only
    code, _, err = run(capsys, "sem", "checks", str(data), "--codebook", str(cb), "--out", str(tmp_path / "sem"))
    assert code == 2
    assert str(cb) in err and "checks.screening: missing" in err
    assert not (tmp_path / "sem").exists()
