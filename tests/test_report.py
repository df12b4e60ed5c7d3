"""The examiner's report: self-contained, deterministic, and it loads cleanly in a browser."""

import json

import pytest

from nero.figures import figure, save_figure
from nero.report import ReportItem, build_report
from nero.report.browser import check_page, find_chromium


@pytest.fixture()
def small_results(tmp_path):
    (tmp_path / "results" / "x").mkdir(parents=True)
    fig, ax = figure(3, 2)
    ax.plot([0, 1, 2], [1, 0, 2])
    save_figure(fig, [tmp_path / "results" / "x" / "plot.png"])
    (tmp_path / "results" / "x" / "table.csv").write_text("term,inclS,cases\nINST*EFF*CAP,0.912345,F001; F002\n")
    (tmp_path / "results" / "x" / "fit.json").write_text(json.dumps({"chi2": 85.306}))
    (tmp_path / "caption.rst").write_text("The *first* table, from ``truth_table``.\n")
    (tmp_path / "results" / "provenance.json").write_text(json.dumps({
        "raw_inputs": {"survey/wave-1/export.csv": "ab" * 32}, "seed": 1,
        "code": {"git": {"commit": "abc", "dirty": False}, "source_sha256": "cd" * 32},
        "software": {"python": "3.11.7", "platform": "Linux", "packages": {"snakemake": "9.27.1"}},
    }))
    items = [
        ReportItem("results/x/plot.png", "draw_plot", "fsQCA", None),
        ReportItem("results/x/table.csv", "make_table", "fsQCA", "caption.rst"),
        ReportItem("results/x/fit.json", "fit", "Measurement and SEM", None),
    ]
    return tmp_path, items


def test_report_is_self_contained(small_results):
    root, items = small_results
    text = build_report(items, root / "results" / "provenance.json", workdir=root)
    assert 'src="data:image/png;base64,' in text
    assert "http://" not in text and "https://" not in text
    assert "<em>first</em>" in text and "<code>truth_table</code>" in text
    assert "0.912" in text and "INST*EFF*CAP" in text
    assert "Synthetic data" in text
    assert "1. Measurement and SEM<" in text and "2. fsQCA<" in text  # study order, not alphabetical
    assert "ab" * 32 in text  # raw checksum in the provenance section


def test_report_is_deterministic(small_results):
    root, items = small_results
    first = build_report(items, root / "results" / "provenance.json", workdir=root)
    second = build_report(items, root / "results" / "provenance.json", workdir=root)
    assert first == second


chromium = pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it)")


@chromium
def test_report_loads_in_headless_chromium(small_results):
    root, items = small_results
    page = root / "report.html"
    page.write_text(build_report(items, root / "results" / "provenance.json", workdir=root))
    result = check_page(page)
    assert result["checked"], result
    assert result["images"] == 1
    assert result["broken_images"] == [] and result["errors"] == [] and result["console_errors"] == []


@chromium
def test_browser_check_catches_broken_images_and_errors(small_results):
    root, items = small_results
    good = build_report(items, root / "results" / "provenance.json", workdir=root)
    bad = good.replace('src="data:image/png;base64,', 'src="data:image/png;base64,AAAA', 1)
    bad = bad.replace("</body>", "<script>undefinedFunctionCall();</script></body>")
    page = root / "broken.html"
    page.write_text(bad)
    result = check_page(page)
    assert result["broken_images"] == ["plot.png"]
    assert any("undefinedFunctionCall" in e for e in result["errors"])
