"""The notebooks' independent checks (nero.report.crosscheck): the agreement rule at its edges,
each second route against a closed form or a published value, and a planted disagreement that
stops a notebook run."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from nero.report import crosscheck as cc
from nero.report.crosscheck import COUNT_TOL, Agreement, Check, DisagreementError

# ------------------------------------------------------------------ the agreement rule


def test_check_agrees_within_and_exactly_on_its_tolerance_and_not_beyond():
    assert Check("q", 0.5, 0.75, tolerance=0.25).agrees  # exactly on it (exact in binary)
    assert not Check("q", 0.5, 0.75, tolerance=0.25 - 2**-20).agrees
    assert Check("q", 0.5, 0.5 + 0.5e-6).agrees
    assert not Check("q", 0.5, 0.5 + 2e-6).agrees
    assert Check("n", 218, 218, COUNT_TOL, "count").agrees
    assert not Check("n", 218, 217, COUNT_TOL, "count").agrees
    assert Check("n", 3, 3, 0.0, "count").difference == 0


def test_check_missing_on_both_sides_agrees_on_one_side_does_not():
    assert Check("alpha", math.nan, math.nan).agrees
    assert not Check("alpha", math.nan, 0.4).agrees
    assert not Check("alpha", 0.4, math.nan).agrees


def test_check_rejects_a_negative_or_missing_tolerance_and_an_unknown_kind():
    with pytest.raises(ValueError, match="tolerance must be >= 0"):
        Check("q", 1, 1, tolerance=-1e-9)
    with pytest.raises(ValueError, match="tolerance must be >= 0"):
        Check("q", 1, 1, tolerance=math.nan)
    with pytest.raises(ValueError, match="unknown kind 'ratio'"):
        Check("q", 1, 1, kind="ratio")


def test_require_raises_naming_each_disagreement_and_on_nothing_compared():
    good = Agreement("t", [Check("a", 1.0, 1.0), Check("b", 2.0, 2.0000005)])
    assert good.require() is good and good.verdict() == "all 2 quantities agree within tolerance"
    bad = Agreement("paths", [Check("a", 1.0, 1.0), Check("b path: b", 0.486286, 0.4863)])
    with pytest.raises(
        DisagreementError, match=r"paths: 1 of 2 quantities disagree: b path: b: pipeline 0.486286, independent 0.4863"
    ):
        bad.require()
    assert bad.verdict() == "1 of 2 quantities DISAGREE beyond tolerance"
    with pytest.raises(DisagreementError, match="no quantity was compared"):
        Agreement("empty", []).require()


def test_printed_table_has_no_exponent_no_nan_no_index_and_escapes_text():
    agreement = Agreement(
        "<b>t</b>",
        [
            Check("p of <script>", 2.217e-05, 2.2170001e-05, kind="p"),
            Check("tiny", 1e-12, 0.0),
            Check("undefined alpha", math.nan, math.nan),
            Check("firms", 218, 217, COUNT_TOL, "count"),
        ],
    )
    frame = agreement.formatted()
    assert list(frame.columns) == ["Quantity", "Pipeline", "Independent", "|Difference|", "Tolerance", "Agrees"]
    cells = [str(cell).lower() for cell in frame.to_numpy().ravel()]
    assert not any("e-" in cell or "e+" in cell or cell == "nan" for cell in cells)
    assert frame.loc[0, "Pipeline"] == "< .001" and frame.loc[1, "|Difference|"] == "< 0.000000001"
    assert (
        frame.loc[2, "Pipeline"] == "undefined"
        and frame.loc[3, "Agrees"] == "NO"
        and frame.loc[3, "|Difference|"] == "1"
    )
    assert "<script>" not in agreement.to_html() and "&lt;script&gt;" in agreement.to_html()
    assert "<th></th>" not in agreement.to_html()  # no index column


def test_digest_counts_each_group_and_its_largest_difference():
    agreement = Agreement(
        "t",
        [
            Check("a", 1, 1 + 3e-7, group="g1"),
            Check("b", 1, 1 + 1e-7, group="g1"),
            Check("c", 5, 6, COUNT_TOL, "count", "g2"),
        ],
    )
    digest = agreement.digest()
    assert digest.to_dict("records") == [
        {
            "Group": "g1",
            "Quantities": "2",
            "Largest |difference|": "0.0000003",
            "Tolerance": "0.000001",
            "Agree": "yes",
        },
        {"Group": "g2", "Quantities": "1", "Largest |difference|": "1", "Tolerance": "0", "Agree": "NO (1)"},
    ]


# ------------------------------------------------------------------ the second routes against references


def test_alpha_by_the_coincidence_matrix_matches_krippendorffs_published_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C (nominal, two observers): alpha = .692
    a, b = list("aabbdcccedda"), list("babbbccceddd")
    assert round(cc.alpha_nominal(a, b), 3) == 0.692
    assert math.isnan(cc.alpha_nominal([1, 1, 1], [1, 1, 1]))
    assert cc.alpha_nominal([0, 1, 0, 1], [0, 1, 0, 1]) == 1.0
    with pytest.raises(ValueError, match="two codings of the same units"):
        cc.alpha_nominal([0, 1], [0, 1, 1])


def test_alpha_by_hand_agrees_with_the_krippendorff_package_on_random_codings():
    import krippendorff

    rng = np.random.default_rng(7)
    for _ in range(5):
        a = rng.integers(0, 3, 60)
        b = np.where(rng.random(60) < 0.7, a, rng.integers(0, 3, 60))
        expected = krippendorff.alpha(reliability_data=np.vstack([a, b]).astype(float), level_of_measurement="nominal")
        assert cc.alpha_nominal(a, b) == pytest.approx(expected, abs=1e-12)


def test_fit_parameters_closed_form():
    x, y = np.array([0.8, 0.6, 0.2]), np.array([0.7, 0.4, 0.9])
    # min(X, Y) = .7 .4 .2 (1.3); sum X 1.6, sum Y 2.0; min(X, Y, 1 - Y) = .3 .4 .1 (.8)
    got = cc.fit_parameters(x, y)
    assert got["inclS"] == pytest.approx(1.3 / 1.6, abs=1e-15)
    assert got["covS"] == pytest.approx(1.3 / 2.0, abs=1e-15)
    assert got["PRI"] == pytest.approx(0.5 / 0.8, abs=1e-15)


def test_term_membership_negation_and_solution_checks_find_a_planted_error():
    m = pd.DataFrame({"A": [0.9, 0.2, 0.6, 0.7], "B": [0.3, 0.8, 0.6, 0.1], "Y": [0.8, 0.7, 0.6, 0.2]})
    assert cc.term_membership(m, "A*~B").tolist() == pytest.approx([0.7, 0.2, 0.4, 0.7])
    assert cc.term_membership(m, "~~A").tolist() == pytest.approx(m["A"].tolist())
    a_nb, b = cc.term_membership(m, "A*~B"), m["B"].to_numpy()
    union = np.maximum(a_nb, b)
    y = m["Y"].to_numpy()
    fa, fb, fm = cc.fit_parameters(a_nb, y), cc.fit_parameters(b, y), cc.fit_parameters(union, y)
    rows = pd.DataFrame(
        [
            {
                "outcome": "Y",
                "solution": "intermediate",
                "model": "M1",
                "term": "A*~B",
                **fa,
                "covU": fm["covS"] - fb["covS"],
            },
            {
                "outcome": "Y",
                "solution": "intermediate",
                "model": "M1",
                "term": "B",
                **fb,
                "covU": fm["covS"] - fa["covS"],
            },
            {"outcome": "Y", "solution": "intermediate", "model": "M1", "term": "(model)", **fm, "covU": np.nan},
        ]
    )
    checks = cc.solution_checks(rows, m)
    assert len(checks) == 11 and all(c.agrees for c in checks)
    planted = rows.copy()
    planted.loc[1, "covU"] += 2e-6
    wrong = [c.quantity for c in cc.solution_checks(planted, m) if not c.agrees]
    assert wrong == ["Y intermediate M1 B: covU"]
    with pytest.raises(KeyError, match="no outcome column"):
        cc.solution_checks(rows.drop(columns="outcome"), m)
    assert len(cc.solution_checks(rows.drop(columns="outcome"), m, outcome="Y")) == 11


def test_ols_hc3_matches_the_sandwich_formula_written_out():
    from scipy import stats

    rng = np.random.default_rng(3)
    n = 40
    clean = pd.DataFrame(
        {"x": rng.normal(size=n), "z": rng.normal(size=n), "wave": rng.choice(["wave-1", "wave-2"], n)}
    )
    clean["y"] = (
        1
        + 0.5 * clean["x"]
        - 0.2 * clean["z"]
        + 0.3 * (clean["wave"] == "wave-2")
        + rng.normal(size=n) * (1 + clean["x"].abs())
    )
    got = cc.ols(clean, "y", ["x", "z", "wave_wave_2"], "hc3", categorical=["wave"]).set_index("term")
    X = np.column_stack([np.ones(n), clean["x"], clean["z"], (clean["wave"] == "wave-2").astype(float)])
    y = clean["y"].to_numpy()
    inv = np.linalg.inv(X.T @ X)
    beta = inv @ X.T @ y
    e = y - X @ beta
    h = np.einsum("ij,jk,ik->i", X, inv, X)
    cov = inv @ (X.T * (e**2 / (1 - h) ** 2)) @ X @ inv
    se = np.sqrt(np.diag(cov))
    p = 2 * stats.t.sf(np.abs(beta / se), n - X.shape[1])
    assert got["b"].to_numpy() == pytest.approx(beta[1:], abs=1e-12)
    assert got["se"].to_numpy() == pytest.approx(se[1:], abs=1e-12)
    assert got["p"].to_numpy() == pytest.approx(p[1:], abs=1e-12)
    assert set(got["n"]) == {n}


def test_design_columns_build_products_dummies_and_name_an_unknown_term():
    clean = pd.DataFrame(
        {"INST": [1.0, 2.0, 3.0], "VIRT": [2.0, 2.0, 5.0], "sector": [1, 2, 2], "wave": ["wave-1", "wave-2", "wave-1"]}
    )
    got = cc.design_columns(
        clean, ["AMB", "INST:VIRT", "sector_2", "wave_wave_2"], {"AMB": ("INST", "VIRT")}, ["sector", "wave"]
    )
    assert got["AMB"].tolist() == pytest.approx([(1 - 2) * (2 - 3), 0.0, (3 - 2) * (5 - 3)])
    assert got["INST:VIRT"].tolist() == [2.0, 4.0, 15.0]  # not named as centred: the raw product
    assert got["sector_2"].tolist() == [0.0, 1.0, 1.0] and got["wave_wave_2"].tolist() == [0.0, 1.0, 0.0]
    with pytest.raises(KeyError, match="term 'sector_9'"):
        cc.design_columns(clean, ["sector_9"], {}, ["sector"])


def test_usable_count_subtracts_drops_of_its_own_wave_only_and_not_flags():
    waves = {"wave-1": pd.DataFrame({"response_id": ["R1", "R2", "R3"]}), "wave-2": pd.DataFrame({"response_id": []})}
    log = pd.DataFrame(
        {
            "wave": ["wave-1", "wave-1", "wave-2"],
            "ResponseId": ["R1", "R2", "R3"],
            "rule": ["speeder", "mv_outlier", "duplicate"],
        }
    )
    got = cc.usable_count(waves, log)
    assert got["wave-1"] == {"received": 3, "dropped": 1, "usable": 2, "usable_ids": ["R2", "R3"]}
    assert got["wave-2"] == {"received": 0, "dropped": 0, "usable": 0, "usable_ids": []}


def test_recount_codes_counts_one_coders_segments_and_characters():
    sel = pd.DataFrame(
        {
            "selection": ["s1", "s2", "s3", "s4"],
            "case": ["A", "A", "A", "B"],
            "code_path": ["X", "X", "Y", "X"],
            "coder": ["c1", "c1", "c1", "c2"],
            "start": [0, 10, 5, 0],
            "end": [4, 20, 6, 9],
            "source": ["a", "a", "a", "b"],
        }
    )
    got = cc.recount_codes(sel, "c1").set_index(["case", "code_path"])
    assert (
        got.loc[("A", "X")].tolist() == [2, 14]
        and got.loc[("A", "Y")].tolist() == [1, 1]
        and ("B", "X") not in got.index
    )
    doc = cc.document_codings(sel.assign(source=["a", "a", "b", "a"]), "c1", "c2", ["X", "Y"])
    assert [v.tolist() for v in doc["X"]] == [[1], [1]] and [v.tolist() for v in doc["Y"]] == [[0], [0]]
    chars = cc.character_codings(sel.assign(source="a"), "c1", "c2", ["X"], {"a": 22})
    assert chars["X"][0].sum() == 14 and chars["X"][1].sum() == 9 and len(chars["X"][0]) == 22
    unknown = cc.character_codings(
        sel.assign(source="a"), "c1", "c2", ["X"], {}
    )  # no length: ends at the last coded character
    assert len(unknown["X"][0]) == 20 == len(unknown["X"][1])


# ------------------------------------------------------------------ the notebooks' check cells on the reference build


def _check_cells(repo_root, name: str) -> list[str]:
    import nbformat

    book = nbformat.read(repo_root / "notebooks" / f"{name}.ipynb", as_version=4)
    return [
        c.source
        for c in book.cells
        if c.cell_type == "code" and ("def table(" in c.source or c.get("id", "").startswith("check-"))
    ]


def _run_cells(cells: list[str], results_dir, monkeypatch, repo_root) -> list[str]:
    import IPython.display

    shown = []
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda obj, raw=False, **kw: shown.append(obj["text/plain"] if isinstance(obj, dict) else str(obj)),
    )
    monkeypatch.chdir(repo_root)
    namespace = {"results_dir": str(results_dir)}
    for source in cells:
        exec(compile(source, "<notebook cell>", "exec"), namespace)
    return shown


@pytest.fixture
def reference_copy(tmp_path, repo_root):
    target = tmp_path / "results"
    shutil.copytree(repo_root / "results-reference", target)
    return target


def test_study2_checks_agree_on_the_reference_build_and_a_planted_difference_stops_them(
    reference_copy, repo_root, monkeypatch
):
    cells = _check_cells(repo_root, "study2_quantitative")
    shown = _run_cells(cells, reference_copy, monkeypatch, repo_root)
    assert any(s.startswith("PROCESS paths") and s.endswith("agree within tolerance") for s in shown)
    path = reference_copy / "sem" / "process_equations.csv"
    eq = pd.read_csv(path)
    where = (eq["process_model"] == "model 4") & (eq["outcome"] == "CAP") & (eq["term"] == "AMB")
    eq.loc[where, "coeff"] += 0.9e-6  # within the tolerance of 1e-6: still agrees
    eq.to_csv(path, index=False)
    _run_cells(cells, reference_copy, monkeypatch, repo_root)
    eq.loc[where, "coeff"] += 0.2e-6  # now 1.1e-6 from the re-estimate
    eq.to_csv(path, index=False)
    with pytest.raises(DisagreementError, match=r"a path: AMB -> CAP: b"):
        _run_cells(cells, reference_copy, monkeypatch, repo_root)


def test_study1_and_examiner_checks_catch_a_miscounted_cell_and_a_changed_alpha(reference_copy, repo_root, monkeypatch):
    cells = _check_cells(repo_root, "study1_qualitative")
    _run_cells(cells, reference_copy, monkeypatch, repo_root)
    matrix = pd.read_csv(reference_copy / "study1" / "case_theme_matrix.csv")
    matrix.iloc[0, 1] += 1
    matrix.to_csv(reference_copy / "study1" / "case_theme_matrix.csv", index=False)
    with pytest.raises(DisagreementError, match="case_theme_matrix|Code frequencies and case-by-theme matrix"):
        _run_cells(cells, reference_copy, monkeypatch, repo_root)
    examiner = [c for c in _check_cells(repo_root, "examiner_audit") if "claims_file" not in c]
    reliability = pd.read_csv(reference_copy / "study1" / "reliability.csv")
    pooled = (reliability["level"] == "character") & (reliability["code_path"] == "All codes (pooled)")
    reliability.loc[pooled, "krippendorff_alpha"] = 0.81  # the claim's threshold is .80: a changed verdict input
    reliability.to_csv(reference_copy / "study1" / "reliability.csv", index=False)
    with pytest.raises(DisagreementError, match=r"pooled Krippendorff's alpha \(character level\): pipeline 0.81"):
        _run_cells(examiner, reference_copy, monkeypatch, repo_root)


def test_a_notebook_run_fails_when_a_check_disagrees(reference_copy, repo_root, tmp_path):
    """The contract of the build: papermill raises (the rule fails) instead of writing a disagreeing notebook."""
    import nbformat
    import papermill

    from nero.report.notebook import single_parameters_cell

    book = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('results_dir = "results"')
    params.metadata["tags"] = ["parameters"]
    book.cells = [params] + [nbformat.v4.new_code_cell(s) for s in _check_cells(repo_root, "study2_quantitative")]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, tmp_path / "checks.ipynb")
    ok = papermill.execute_notebook(
        str(tmp_path / "checks.ipynb"),
        str(tmp_path / "ok.ipynb"),
        parameters={"results_dir": str(reference_copy)},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(repo_root),
    )
    assert [c.metadata.get("tags") for c in single_parameters_cell(ok).cells].count(
        ["parameters", "injected-parameters"]
    ) == 1
    memberships = pd.read_csv(reference_copy / "fsqca" / "memberships.csv")
    memberships.loc[0, "SCO"] = min(1.0, memberships.loc[0, "SCO"] + 0.05)
    memberships.to_csv(reference_copy / "fsqca" / "memberships.csv", index=False)
    with pytest.raises(papermill.PapermillExecutionError, match="DisagreementError"):
        papermill.execute_notebook(
            str(tmp_path / "checks.ipynb"),
            str(tmp_path / "bad.ipynb"),
            parameters={"results_dir": str(reference_copy)},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(repo_root),
        )
