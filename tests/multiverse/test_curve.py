"""The specification-curve figure (nero.multiverse.curve), the claims.csv join and the report cell."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from nero.multiverse.curve import COLOURS, curve_figure, curve_order, draw_curve  # noqa: E402
from nero.multiverse.evaluate import SPEC_COLUMNS  # noqa: E402
from nero.multiverse.seam import join_specifications  # noqa: E402
from nero.report.spec_curves import multiverse_cell  # noqa: E402


def _rows():
    base = {c: "" for c in SPEC_COLUMNS}
    rows = [
        {
            **base,
            "claim_id": "c",
            "specification": "shipped",
            "family": "shipped",
            "shipped": True,
            "choices": "",
            "verdict": "supported",
            "statistic": 0.3,
            "ci_low": 0.1,
            "ci_high": 0.5,
            "limit": 0.0,
        },
        {
            **base,
            "claim_id": "c",
            "specification": "f:se=ols",
            "family": "f",
            "shipped": False,
            "choices": "se: ols; controls: causal model (shipped)",
            "verdict": "not supported",
            "statistic": -0.1,
            "ci_low": -0.3,
            "ci_high": 0.1,
            "limit": 0.0,
        },
        {
            **base,
            "claim_id": "c",
            "specification": "f:controls=none",
            "family": "f",
            "shipped": False,
            "choices": "se: hc3 (shipped); controls: none",
            "verdict": "supported",
            "statistic": 0.5,
            "ci_low": 0.3,
            "ci_high": 0.7,
            "limit": 0.0,
        },
    ]
    frame = pd.DataFrame(rows, columns=SPEC_COLUMNS)
    frame["statistic_label"] = "b"
    return frame


def test_the_curve_is_sorted_and_marks_the_shipped_specification():
    order = curve_order(_rows())
    assert order["specification"].tolist() == ["f:se=ols", "shipped", "f:controls=none"]
    fig = curve_figure(_rows(), "c")
    top, dashboard = fig.axes
    marked = [c for c in top.collections if c.get_label() == "shipped specification"]
    assert len(marked) == 1
    np.testing.assert_allclose(marked[0].get_offsets(), [[2.0, 0.3]])  # second of three after sorting, its statistic
    assert top.get_title() == "c: 2 of 3 specifications support it"
    # the dashboard lists the non-shipped choices only
    assert [t.get_text() for t in dashboard.get_yticklabels()] == ["se: ols", "controls: none"]
    # the limit the rule compares with, and each verdict's colour at its point
    assert any(line.get_ydata()[0] == 0.0 for line in top.get_lines())
    points = [
        c
        for c in top.collections
        if isinstance(c, matplotlib.collections.PathCollection)
        and len(c.get_offsets())
        and c.get_label() != "shipped specification"
    ]
    colour_at = {float(c.get_offsets()[0][1]): tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in points}
    assert colour_at[-0.1] == tuple(np.round(matplotlib.colors.to_rgb(COLOURS["not supported"]), 3))
    assert colour_at[0.5] == tuple(np.round(matplotlib.colors.to_rgb(COLOURS["supported"]), 3))
    plt.close(fig)


def test_a_curve_needs_exactly_one_shipped_specification():
    rows = _rows()
    rows.loc[1, "shipped"] = True
    with pytest.raises(ValueError, match="exactly one shipped specification, got 2"):
        curve_figure(rows, "c")


def test_the_png_is_the_same_bytes_on_every_draw(tmp_path):
    a, b = draw_curve(_rows(), "c", tmp_path / "a.png"), draw_curve(_rows(), "c", tmp_path / "b.png")
    assert a.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert a.read_bytes() == b.read_bytes()


def test_a_claim_without_a_numeric_statistic_is_drawn_at_its_verdict(tmp_path):
    rows = _rows().iloc[:1].copy()
    rows["statistic"] = np.nan
    fig = curve_figure(rows, "c")
    marked = [c for c in fig.axes[0].collections if c.get_label() == "shipped specification"][0]
    np.testing.assert_allclose(marked.get_offsets(), [[1.0, 1.0]])  # supported = 1
    plt.close(fig)


def test_join_adds_the_two_counts_by_claim_and_refuses_a_stale_table():
    claims = pd.DataFrame({"claim_id": ["a", "b"], "verdict": ["supported", "inconclusive"]})
    multiverse = pd.DataFrame(
        {
            "claim_id": ["b", "a"],
            "specifications": [3, 1],
            "specifications_supporting": [0, 1],
            "share_supporting": [0.0, 1.0],
        }
    )
    out = join_specifications(claims, multiverse)
    assert out.columns.tolist() == ["claim_id", "verdict", "specifications", "specifications_supporting"]
    assert out.set_index("claim_id").loc["b"].tolist() == ["inconclusive", 3, 0]
    with pytest.raises(ValueError, match="m.csv: no row for claim 'a'"):
        join_specifications(claims, multiverse.iloc[:1], "m.csv")
    with pytest.raises(ValueError, match="claim 'a' has 2 rows"):
        join_specifications(claims, pd.concat([multiverse, multiverse.iloc[1:]]))
    with pytest.raises(ValueError, match="missing column"):
        join_specifications(claims, multiverse.drop(columns=["specifications"]))


def test_the_report_cell_says_k_of_n_and_links_the_curve(tmp_path):
    draw_curve(_rows(), "c", tmp_path / "multiverse" / "curves" / "c.png")
    cell = multiverse_cell("c", 3, 2, root=tmp_path)
    assert "2 of 3 specifications support it" in cell
    assert '<a href="multiverse/curves/c.png"><img' in cell and "data:image/png;base64," in cell
    assert "1 of 1 specification supports it" in multiverse_cell("d", 1, 1, root=tmp_path)
    assert "<img" not in multiverse_cell("d", 1, 1, root=tmp_path)  # no curve drawn: the count alone
    assert "no multiverse counts" in multiverse_cell("d", "", "", root=tmp_path)
