"""The privacy check, deterministic figures and the `nero qual summary` command."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from qdpx_factory import small_study, write_qdpx

from nero.cli import main
from nero.qual.figures import saturation_figure, save_figure, theme_heatmap
from nero.qual.privacy import PrivacyViolation, check_deny_list, find_names, require_no_names

DENY = ["Tan Wei Ming", "Zoë Lim", "Rajesh"]


def test_names_match_whole_words_across_case_and_line_breaks():
    assert find_names("Met TAN  wei\r\nming today", DENY) == [("Tan Wei Ming", 1)]
    assert find_names("line one\nzoë lim said", DENY) == [("Zoë Lim", 2)]
    assert find_names("Rajeshwari and Tangible ming", DENY) == []


def test_check_names_the_file_and_the_name(tmp_path):
    clean = tmp_path / "typology.csv"
    clean.write_text("case,archetype\nFirm A (Food),Strategic Explorer\n", encoding="utf-8")
    leaky = tmp_path / "exemplar_quotes.csv"
    leaky.write_text('archetype,text\nX,"As Rajesh told us, grants help."\n', encoding="utf-8")
    report = check_deny_list([clean, leaky], DENY)
    assert not report.ok
    assert report.hits == [{"file": str(leaky), "name": "Rajesh", "line": 2}]
    with pytest.raises(PrivacyViolation, match=rf"{leaky.name} \(line 2\): 'Rajesh'"):
        require_no_names([clean, leaky], DENY)
    passed = require_no_names([clean], DENY)
    assert passed.to_dict() == {"ok": True, "names_checked": 3, "files_checked": [str(clean)], "violations": 0}
    assert "Rajesh" not in json.dumps(passed.to_dict())


def test_binary_files_are_searched_too(tmp_path):
    blob = tmp_path / "figure.pdf"
    blob.write_bytes(b"%PDF-1.4\n(Tan Wei Ming) Tj\n\xff\xfe")
    assert check_deny_list([blob], DENY).hits[0]["name"] == "Tan Wei Ming"


def _saturation_inputs():
    table = pd.DataFrame(
        {
            "order": [1, 2, 3, 4, 5, 6],
            "case": [f"Firm {c} (Sector {c})" for c in "ABCDEF"],
            "new_codes": [6, 3, 2, 1, 0, 0],
            "cumulative_codes": [6, 9, 11, 12, 12, 12],
        }
    )
    summary = {
        "base_size": 4,
        "run_length": 2,
        "threshold": 0.05,
        "saturation_reached": True,
        "saturation_interview": 6,
    }
    return table, summary


def test_figures_are_byte_identical_across_runs(tmp_path):
    table, summary = _saturation_inputs()
    matrix = pd.DataFrame(
        {
            "case": ["Firm A", "Firm B"],
            "Networks/Virtual/E-commerce platforms": [3, 0],
            "Orientation/Market-seeking": [1, 4],
            "total": [4, 4],
        }
    )
    for run in ("one", "two"):
        save_figure(
            saturation_figure(table, summary), tmp_path / run / "saturation.png", tmp_path / run / "saturation.pdf"
        )
        save_figure(theme_heatmap(matrix), tmp_path / run / "heatmap.png", tmp_path / run / "heatmap.pdf")
    for name in ("saturation.png", "saturation.pdf", "heatmap.png", "heatmap.pdf"):
        first, second = (tmp_path / "one" / name).read_bytes(), (tmp_path / "two" / name).read_bytes()
        assert first == second, name
    png = (tmp_path / "one" / "saturation.png").read_bytes()
    assert png.startswith(b"\x89PNG") and b"Software" not in png
    pdf = (tmp_path / "one" / "heatmap.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"CreationDate" not in pdf and b"DejaVuSans" in pdf
    with pytest.raises(ValueError, match="unsupported figure format 'jpg'"):
        save_figure(theme_heatmap(matrix), tmp_path / "x.jpg")


def test_study1_figures_have_no_inner_title_and_no_overlapping_text():
    """APA puts a figure's title in its caption (the registry's title, workflow/report/manuscript.yaml)."""
    import matplotlib.pyplot as plt

    from nero.figures.style import overlapping_texts

    table, summary = _saturation_inputs()
    matrix = pd.DataFrame(
        {
            "case": ["Firm A", "Firm B"],
            "Networks/Virtual/E-commerce platforms": [3, 0],
            "Orientation/Market-seeking": [1, 4],
            "total": [4, 4],
        }
    )
    for fig in (saturation_figure(table, summary), theme_heatmap(matrix)):
        fig.canvas.draw()
        assert [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right") if ax.get_title(loc)] == []
        assert not fig._suptitle
        assert overlapping_texts(fig) == []
        plt.close(fig)


def test_study1_figure_captions_carry_the_former_titles(repo_root):
    import yaml

    spec = yaml.safe_load((repo_root / "workflow/report/manuscript.yaml").read_text(encoding="utf-8"))
    titles = {item["id"]: item["title"] for item in spec["items"] if item.get("kind") == "figure"}
    assert titles["saturation"] == "Thematic saturation: new codes per successive interview"
    assert titles["theme_heatmap"] == "Case-by-theme matrix: coded segments per case and code"


def test_cli_summary_json_lists_everything(tmp_path, capsys):
    path = write_qdpx(tmp_path / "study1.qdpx", small_study())
    assert main(["qual", "summary", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["origin"] == "NVivo 14" and payload["offset_unit"] == "utf16"
    assert [s["name"] for s in payload["sources"]] == ["Interview A", "Interview B"]
    assert "Networks/Virtual/E-commerce platforms" in payload["codes"]
    assert payload["coders"] == ["coder-a", "coder-b"]
    assert payload["cases"][0]["variables"]["founding_year"] == 2009
    assert len(payload["selections"]) == 6
    emoji = [s for s in payload["selections"] if "\U0001f680" in s["text"]][0]
    assert emoji == {
        "source": "Interview B",
        "code_path": "Orientation/Market-seeking",
        "coder": "coder-a",
        "start": 42,
        "end": 83,
        "text": "Mostly abroad \u2014 new markets every year \U0001f680.",
    }


def test_cli_summary_text(tmp_path, capsys):
    path = write_qdpx(tmp_path / "study1.qdpx", small_study())
    assert main(["qual", "summary", str(path)]) == 0
    out = capsys.readouterr().out
    assert "selections: 6 (offsets read as UTF-16 code units)" in out
    assert "case Firm A: sector=Food" in out


def test_cli_bad_input_is_a_user_error_without_traceback(tmp_path):
    bad = tmp_path / "study1.qdpx"
    bad.write_text("not a zip")
    out = subprocess.run(
        [sys.executable, "-m", "nero.cli", "qual", "summary", str(bad)], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.startswith("nero: error: study1.qdpx: not a zip archive")
    assert "Traceback" not in out.stderr
