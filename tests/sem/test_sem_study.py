"""run_sem_checks on a simulated clean survey table: every table, determinism, writing."""

import json

import pandas as pd
import pytest
from simdata import CODEBOOK, simulate_clean_table

from nero.sem import SemInputError, run_sem_checks

SETTINGS = {"second_order": {"NETAMB": ["INST", "VIRT"]}, "n_boot": 1000}


@pytest.fixture(scope="module")
def clean():
    return simulate_clean_table(21, n=300)


@pytest.fixture(scope="module")
def study(clean):
    return run_sem_checks(clean, CODEBOOK, SETTINGS, seed=5)


EXPECTED_TABLES = {
    "cfa_fit",
    "cfa_loadings",
    "reliability",
    "fornell_larcker",
    "fornell_larcker_checks",
    "htmt",
    "htmt_checks",
    "second_order_loadings",
    "harman",
    "cmv_models",
    "cmv_difference_tests",
    "marker_adjustment",
    "marker_correlations",
    "nonresponse",
    "nonresponse_equivalence",
    "invariance",
    "invariance_tests",
    "baron_kenny",
    "baron_kenny_models",
    "sobel",
    "indirect_effects",
    "direct_effect",
    "moderation_coefficients",
    "moderation_r2_change",
    "conditional_effects",
    "johnson_neyman",
    "interaction_plot",
    "moderated_mediation",
    "process_equations",
    "latent_mediation",
    "latent_mediation_fit",
    "convergence",
    "ambidexterity_moderation",
    "ambidexterity_simple_slopes",
    "ambidexterity_johnson_neyman",
    "ambidexterity_dimensions",
    "ambidexterity_index",
    "mediation_type",
    "capacity_boosting",
    "sensitivity_listwise",
    "specification_sensitivity",
}


def test_every_table_is_produced(study):
    assert EXPECTED_TABLES <= set(study.tables)
    conv = study.tables["convergence"]
    assert conv["converged"].all() and study.info["all_converged"]
    assert len(conv) == 9  # CFA, second order, 3 CMV models, latent, 3 invariance levels
    for name, table in study.tables.items():  # every table states its N
        assert {"n", "n_obs"} & set(table.columns), name


def test_measurement_results_are_sensible(study):
    fit = study.tables["cfa_fit"].set_index("model")
    assert fit.loc["CFA", "df"] == 335  # 28 items, 6 factors
    assert fit.loc["CFA", "cfi"] > 0.95 and fit.loc["CFA", "srmr"] < 0.08
    rel = study.tables["reliability"]
    assert (rel["alpha"] > 0.8).all() and (rel["ave"] > 0.5).all()
    assert (study.tables["htmt_checks"]["htmt"] < 0.85).all()
    cmv = study.tables["cmv_models"].set_index("model")
    assert cmv.loc["Model 1: method-only", "cfi"] < 0.5 < cmv.loc["Model 2: trait-only", "cfi"]
    assert study.tables["harman"]["first_factor_variance_share"].iloc[0] < 0.5
    inv = study.tables["invariance_tests"]
    assert inv["invariance_cfi_rule"].all()  # one population: invariant


def test_structural_results_recover_the_simulated_signs(study):
    bk = study.tables["baron_kenny"]
    m1 = bk[(bk["model"] == "Model 1") & (bk["term"] == "AMB")].iloc[0]
    assert m1["beta"] > 0 and m1["p"] < 0.05  # CAP = .35 INST*VIRT + ... (main effects in the model)
    assert {"INST", "VIRT"} <= set(bk[bk["model"] == "Model 1"]["term"])
    inter = bk[(bk["model"] == "Model 5") & (bk["term"] == "CAP x MKT")].iloc[0]
    assert inter["beta"] > 0 and inter["p"] < 0.05
    models = study.tables["baron_kenny_models"].set_index("model")
    m5 = models.loc["Model 5"]
    assert m5["f2"] == pytest.approx(m5["delta_r2"] / (1 - m5["r2"]))
    ind = study.tables["indirect_effects"].iloc[0]
    assert ind["estimate"] > 0 and ind["bc_lower"] > 0
    cond = study.tables["conditional_effects"]["effect"].to_numpy()
    assert cond[0] < cond[2]
    mm = study.tables["moderated_mediation"]
    assert mm[mm["effect"] == "index of moderated mediation"]["estimate"].iloc[0] > 0
    lat = study.tables["latent_mediation"].set_index("effect")
    assert lat.loc["indirect a*b", "estimate"] > 0 and lat.loc["indirect a*b", "p"] < 0.05


def test_same_seed_same_tables(clean, study):
    again = run_sem_checks(clean, CODEBOOK, SETTINGS, seed=5)
    assert sorted(again.tables) == sorted(study.tables)
    for name in sorted(study.tables):  # every table, every column: no run-specific values (times)
        pd.testing.assert_frame_equal(study.tables[name], again.tables[name], check_exact=True)
    other = run_sem_checks(clean, CODEBOOK, {**SETTINGS, "second_order": {}}, seed=6, families=["mediation"])
    assert other.tables["indirect_effects"]["boot_se"].iloc[0] != study.tables["indirect_effects"]["boot_se"].iloc[0]


def test_ambidexterity_tables_follow_the_contract(study):
    amb = study.tables["ambidexterity_moderation"]
    assert list(amb.columns) == [
        "outcome",
        "term",
        "b",
        "se",
        "t",
        "p",
        "ci_low",
        "ci_high",
        "vif",
        "f2",
        "n",
        "se_type",
    ]
    cap = amb[amb["outcome"] == "CAP"].set_index("term")
    assert {"INST", "VIRT", "INST:VIRT"} <= set(cap.index) and set(amb["outcome"]) == {"CAP", "SCO"}
    assert "CAP" in set(amb[amb["outcome"] == "SCO"]["term"])
    assert cap.loc["INST:VIRT", "b"] > 0 and cap.loc["INST:VIRT", "ci_low"] > 0  # planted +.35 (simdata)
    assert (amb["se_type"] == "hc3").all() and (amb.dropna(subset=["vif"])["vif"] >= 1).all()
    dims = study.tables["ambidexterity_dimensions"]
    assert set(dims["dimension"]) == {"combined", "balance"} and set(dims["outcome"]) == {"CAP", "SCO"}
    idx = study.tables["ambidexterity_index"]
    assert idx["effect"].tolist() == [
        "index of moderated mediation",
        "conditional indirect (VIRT = -1 SD)",
        "conditional indirect (VIRT = mean)",
        "conditional indirect (VIRT = +1 SD)",
    ]
    assert {"effect", "estimate", "boot_se", "ci_low", "ci_high", "n_boot", "ci_method"} <= set(idx.columns)
    types = study.tables["mediation_type"]
    assert set(types["type"]) <= {"complementary", "competitive", "indirect-only", "direct-only", "no effect"}
    assert list(types.columns[:11]) == [
        "x",
        "m",
        "y",
        "total",
        "total_p",
        "direct",
        "direct_p",
        "indirect",
        "indirect_ci_low",
        "indirect_ci_high",
        "type",
    ]
    boost = study.tables["capacity_boosting"]
    assert boost[["predictor", "outcome"]].values.tolist() == [["MKT", "CAP"], ["SCO", "CAP"]]
    assert any(h["check"].startswith("mediation type") for h in study.info["headline"])


def test_one_wave_study_reports_invariance_as_not_applicable(clean):
    one = clean[clean["wave"] == clean["wave"].iloc[0]].reset_index(drop=True)
    res = run_sem_checks(one, CODEBOOK, {"n_boot": 200}, seed=5, families=["invariance", "mediation"])
    tests = res.tables["invariance_tests"]
    assert len(tests) == 3 and not tests["applicable"].any()
    assert tests["note"].str.contains("not applicable").all()
    assert {"level", "compared_with", "delta_chi2", "delta_df", "p", "delta_cfi", "applicable", "note"} <= set(tests)
    assert not res.tables["invariance"]["applicable"].any()
    # the same columns as a study with two waves, so every reader of the table (the thesis
    # table, the claims) works on a one-wave study; the fit cells are empty
    from nero.sem.families import INVARIANCE_FIT_COLUMNS

    assert list(res.tables["invariance"].columns) == INVARIANCE_FIT_COLUMNS
    assert res.tables["invariance"][["chi2", "df", "cfi", "rmsea", "srmr"]].isna().all().all()
    assert "wave_wave_2" not in res.tables["mediation_type"]["covariates"].iloc[0]  # constant dummy dropped


def test_snakemake_families_match_the_library():
    # the family rules are generated from the library's table: each rule's outputs in a dry run
    # of the whole workflow are exactly its family's files (no copy of the table in the rule layer)
    import re
    import subprocess
    import sys
    from pathlib import Path

    from nero.sem import FAMILY_OUTPUTS

    root = Path(__file__).resolve().parents[2]
    assert "SEM_FAMILIES = {" not in (root / "workflow" / "rules" / "sem.smk").read_text()
    run = subprocess.run(
        [str(Path(sys.executable).with_name("snakemake")), "-n", "--forceall"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    outputs = dict(re.findall(r"^rule (\w+):\n(?:    .*\n)*?    output: (.*)$", run.stdout, flags=re.M))
    rules = {
        "measurement": "fit_measurement_model",
        "cmv": "test_common_method_variance",
        "nonresponse": "test_nonresponse_bias",
        "invariance": "test_measurement_invariance",
        "mediation": "test_mediation",
        "moderation": "test_moderation",
        "latent": "fit_latent_mediation",
        "robust": "fit_robust_sensitivity",
    }
    assert set(rules) == set(FAMILY_OUTPUTS)
    for family, rule in rules.items():
        expected = [f"results/sem/{name}" for name in FAMILY_OUTPUTS[family]] + [f"results/sem/parts/{family}.json"]
        assert outputs[rule].split(", ") == expected, family


def test_write(study, tmp_path):
    files = study.write(tmp_path / "sem")
    names = {p.name for p in files}
    assert "cfa_model.txt" in names and "summary.json" in names and "reliability.csv" in names
    text = (tmp_path / "sem" / "cfa_model.txt").read_text()
    assert "INST =~ 1*INST1 + INST2" in text
    info = json.loads((tmp_path / "sem" / "summary.json").read_text())
    assert info["seed"] == 5 and "reliability.csv" in info["files"]
    back = pd.read_csv(tmp_path / "sem" / "cfa_loadings.csv")
    assert len(back) == 28
    assert not list((tmp_path / "sem").glob(".*"))  # no temporary files left


def test_bad_settings_and_missing_columns(clean):
    with pytest.raises(SemInputError, match="unknown key"):
        run_sem_checks(clean, CODEBOOK, {"n_bootstrap": 10})
    with pytest.raises(SemInputError, match="'SCO3'"):
        run_sem_checks(clean.drop(columns=["SCO3"]), CODEBOOK, {"n_boot": 10})
