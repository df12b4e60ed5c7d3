"""Inter-coder reliability: kappa and alpha equal the values computed by hand on a tiny project."""

from __future__ import annotations

import numpy as np
import pytest
from qdpx_factory import ATLAS, Coding, Study, write_qdpx

from nero.qual.data import StudyData
from nero.qual.refiqda import read_qdpx
from nero.qual.reliability import (
    POOLED,
    choose_second_coder,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability_table,
    verdict,
)

A = [1, 1, 0, 0, 1, 0, 1, 0, 0, 0]
B = [1, 0, 0, 0, 1, 0, 1, 1, 0, 0]


def test_statistics_on_ten_units_by_hand():
    # 8 of 10 agree; marginals 0.4 / 0.4: p_e = .4*.4 + .6*.6 = .52; kappa = (.8 - .52) / .48 = 7/12
    assert percent_agreement(A, B) == 80.0
    assert cohen_kappa(A, B) == pytest.approx(7 / 12)
    # alpha: n = 20 values, n_1 = 8, n_0 = 12, 2 disagreeing units: 1 - (n-1) * 4 / (2 * 8 * 12) = 29/48
    assert krippendorff_alpha(A, B) == pytest.approx(29 / 48)


def test_kappa_edges_of_the_undefined_case():
    # each coder constant, on different values: p_o = 0, p_e = 0 -> kappa = 0 (defined)
    assert cohen_kappa([1, 1, 1], [0, 0, 0]) == 0.0
    # one coder constant: p_o = 2/3, p_e = 1 * 2/3 -> kappa = 0 (defined)
    assert cohen_kappa([1, 1, 1], [1, 1, 0]) == pytest.approx(0.0, abs=1e-12)
    # three string categories, 6 units, 5 agree: p_e = (2*2 + 2*1 + 2*3) / 36 = 1/3 -> (5/6 - 1/3) / (2/3) = 3/4
    assert cohen_kappa(list("aabbcc"), list("aabccc")) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="no units"):
        cohen_kappa([], [])


def test_no_variation_is_undefined():
    assert np.isnan(cohen_kappa([1, 1, 1], [1, 1, 1]))
    assert np.isnan(krippendorff_alpha([0, 0, 0], [0, 0, 0]))
    assert verdict(float("nan")) == "undefined"
    assert [verdict(v) for v in (0.85, 0.80, 0.7, 0.667, 0.5)] == [
        "acceptable",
        "acceptable",
        "tentative",
        "tentative",
        "unacceptable",
    ]


def tiny_project(tmp_path):
    """Ten interviews "alpha beta gamma delta"; both coders code Y on "alpha" everywhere.

    X: coder-a codes "beta" in interviews 1, 2, 5, 7; coder-b codes "beta gamma" in 1, 5, 7
    and "beta" in 8.
    """
    text = "alpha beta gamma delta"
    sources = {f"Interview {i:02d}": text for i in range(1, 11)}
    codings = []
    for i in range(1, 11):
        name = f"Interview {i:02d}"
        codings += [Coding(name, "T/Y", "coder-a", 0, 5), Coding(name, "T/Y", "coder-b", 0, 5)]
        if i in (1, 2, 5, 7):
            codings.append(Coding(name, "T/X", "coder-a", 6, 10))
        if i in (1, 5, 7):
            codings.append(Coding(name, "T/X", "coder-b", 6, 16))
        if i == 8:
            codings.append(Coding(name, "T/X", "coder-b", 6, 10))
    study = Study(sources=sources, codes=["T/X", "T/Y"], codings=codings)
    return StudyData.from_project(read_qdpx(write_qdpx(tmp_path / "tiny.qdpx", study, ATLAS)))


def test_reliability_table_equals_hand_computed_values(tmp_path):
    data = tiny_project(tmp_path)
    result = reliability_table(data.selections, data.codebook, "coder-a", "coder-b", data.source_lengths())
    table = result.table.set_index(["level", "code_path"])
    assert result.sources == [f"Interview {i:02d}" for i in range(1, 11)]

    doc_x = table.loc[("document", "T/X")]
    assert (doc_x["units"], doc_x["coded_by_1"], doc_x["coded_by_2"]) == (10, 4, 4)
    assert doc_x["percent_agreement"] == 80.0
    assert doc_x["cohen_kappa"] == pytest.approx(7 / 12)
    assert doc_x["krippendorff_alpha"] == pytest.approx(29 / 48)
    assert (doc_x["kappa_verdict"], doc_x["alpha_verdict"]) == ("unacceptable", "unacceptable")

    doc_y = table.loc[("document", "T/Y")]
    assert doc_y["percent_agreement"] == 100.0 and np.isnan(doc_y["cohen_kappa"])
    assert doc_y["note"] == "no variation: both coders applied the code to every unit"

    # pooled over X and Y: 20 units, 18 agree, marginals .7/.7: kappa = (.9 - .58) / .42; alpha = 1 - 39*4/(2*12*28)
    pooled = table.loc[("document", POOLED)]
    assert pooled["units"] == 20
    assert pooled["cohen_kappa"] == pytest.approx(0.32 / 0.42)
    assert pooled["krippendorff_alpha"] == pytest.approx(1 - 156 / 672)
    assert pooled["kappa_verdict"] == "tentative"

    # characters of X: 220 units; both 12, only a 4, only b 22, neither 182
    char_x = table.loc[("character", "T/X")]
    assert (char_x["units"], char_x["coded_by_1"], char_x["coded_by_2"]) == (220, 16, 34)
    assert char_x["percent_agreement"] == pytest.approx(194 / 220 * 100)
    # p_o = 194/220, p_e = (16*34 + 204*186) / 220^2: kappa = (42680 - 38488) / (48400 - 38488)
    assert char_x["cohen_kappa"] == pytest.approx(4192 / 9912)
    # alpha = 1 - (n - 1) * (o_01 + o_10) / (2 n_0 n_1) with n = 440, n_1 = 50, n_0 = 390, o_01 + o_10 = 52
    assert char_x["krippendorff_alpha"] == pytest.approx(1 - 439 * 52 / (2 * 390 * 50))
    assert table.loc[("character", POOLED), "units"] == 440
    assert set(result.table["threshold_acceptable"]) == {0.8} and set(result.table["threshold_tentative"]) == {0.667}


def test_second_coder_is_the_one_sharing_most_sources(tmp_path):
    data = tiny_project(tmp_path)
    assert choose_second_coder(data.selections, "coder-a") == "coder-b"
    assert choose_second_coder(data.selections, "coder-a", "coder-b") == "coder-b"
    with pytest.raises(ValueError, match="second coder 'coder-q' has no codings"):
        choose_second_coder(data.selections, "coder-a", "coder-q")
    only_a = data.selections[data.selections["coder"] == "coder-a"]
    with pytest.raises(ValueError, match="no double-coded subset"):
        reliability_table(only_a, data.codebook, "coder-a", "coder-b")
