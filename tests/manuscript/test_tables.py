"""Thesis tables: generated from the data and codebooks, checked against independent computations."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from nero.manuscript import qual_tables, survey_tables


@pytest.fixture()
def clean():
    rng = np.random.default_rng(3)
    n = 60
    x = rng.normal(4, 1, n)
    return pd.DataFrame(
        {
            "firm_code": [f"F{i}" for i in range(n)],
            "wave": ["wave-1"] * 35 + ["wave-2"] * 25,
            "recorded_date": ["2025-03-01"] * n,
            "sector": rng.integers(1, 7, n),
            "employees": rng.integers(1, 200, n),
            "founding_year": rng.integers(1980, 2024, n),
            "foreign_markets": rng.integers(0, 12, n),
            "years_abroad": rng.integers(0, 20, n),
            "INST": x,
            "VIRT": x + rng.normal(0, 1, n),
            "EFF": rng.normal(4, 1, n),
        }
    )


def test_sample_profile_counts_every_firm_once_per_characteristic(clean, instrument):
    table = survey_tables.sample_profile(clean, instrument)
    frame = table.frame
    assert table.facts["n"] == 60 and table.facts["survey_year"] == 2025
    for characteristic, block in frame.groupby("Characteristic"):
        assert block["n"].sum() == 60, characteristic
        assert block["%"].sum() == pytest.approx(100)
    sectors = frame[frame["Characteristic"] == "Sector"].set_index("Category")["n"]
    labels = instrument["firm_variables"]["sector"]["codes"]
    expected = clean["sector"].map(labels).value_counts()
    assert sectors.sort_index().to_dict() == expected.sort_index().to_dict()
    micro = frame[(frame["Characteristic"] == "Employees") & (frame["Category"] == "1-9 (micro)")]["n"]
    assert int(micro.sum()) == int((clean["employees"] < 10).sum())


def test_correlations_match_scipy_with_stars_and_alpha_diagonal(clean):
    reliability = pd.DataFrame({"construct": ["INST", "VIRT", "EFF"], "alpha": [0.89, 0.9, 0.8]})
    table = survey_tables.correlation_table(clean, ["INST", "VIRT", "EFF"], {"INST": "Institutional"}, reliability)
    out = table.to_frame()
    r, p = stats.pearsonr(clean["INST"], clean["VIRT"])
    expected = f"{r:.2f}".lstrip("0").replace("-0.", "-.") + (
        "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""
    )
    assert out.loc[1, "1"] == expected
    assert out.loc[0, "1"] == "(.89)" and out.loc[0, "2"] == "" and out.loc[0, "Variable"] == "1. Institutional"
    assert out.loc[0, "M"] == f"{clean['INST'].mean():.2f}" and out.loc[0, "SD"] == f"{clean['INST'].std():.2f}"


def test_constructs_table_carries_wording_loadings_and_reliability(instrument):
    loadings = pd.DataFrame(
        {
            "factor": "INST",
            "indicator": ["INST1", "INST2", "INST3", "INST4", "INST5"],
            "std_all": [0.85, 0.84, 0.79, 0.64, 0.79],
        }
    )
    reliability = pd.DataFrame({"construct": ["INST"], "alpha": [0.892], "cr": [0.8917], "ave": [0.6244]})
    out = survey_tables.constructs_table(instrument, loadings, reliability).to_frame()
    assert len(out) == 5
    assert out.loc[0, "Wording"] == instrument["items"]["INST1"]["text"]
    assert out.loc[3, "Wording"].endswith("(R)")  # INST4 is reverse-worded in the codebook
    assert out.loc[0, ["Loading", "α", "CR", "AVE"]].tolist() == [".85", ".89", ".89", ".62"]
    assert out.loc[1, "α"] == ""
    with pytest.raises(ValueError, match="construct 'NOPE'"):
        survey_tables.constructs_table(instrument, loadings, reliability.assign(construct="NOPE"))


def test_coding_scheme_has_a_definition_and_a_coded_example_for_every_code(study1):
    codebook, selections = study1
    table = qual_tables.coding_scheme(codebook, selections, "coder-a")
    out = table.frame
    assert len(out) == 14 and table.facts["without_definition"] == []
    own = selections[selections["coder"] == "coder-a"]
    for row in out.itertuples(index=False):
        quote = row[3]
        assert quote.startswith("\u201c") and len(row.Definition) > 30
        text = quote[1 : quote.index("\u201d")]
        assert text in set(own["text"])  # a real coded segment, not a made-up example
    assert int(out["Segments"].sum()) == len(own)


def test_example_is_the_segment_nearest_the_median_length():
    selections = pd.DataFrame(
        {
            "code_path": "A/B",
            "coder": "c",
            "source": ["d1", "d2", "d3"],
            "start": [0, 0, 0],
            "case": ["x", "y", "z"],
            "text": ["short", "a medium one", "a much much longer text here"],
        }
    )
    assert qual_tables.example_quote(selections, "A/B", "c")["text"] == "a medium one"
    assert qual_tables.example_quote(selections, "A/C", "c") is None


def test_data_structure_rolls_codes_up_the_codebook_hierarchy(study1):
    codebook, selections = study1
    table = qual_tables.data_structure(codebook, selections, "coder-a")
    out = table.frame
    assert table.facts["dimensions"] == 6 and table.facts["codes"] == 14
    row = out[out["First-order code"] == "Grant schemes"].iloc[0]
    assert row["Second-order theme"] == "Institutional" and row["Aggregate dimension"] == "Networks"
    own = selections[selections["coder"] == "coder-a"]
    assert row["Segments (theme)"] == own["code_path"].str.startswith("Networks/Institutional/").sum()
    assert out.groupby("Aggregate dimension")["Segments (code)"].sum().sum() == len(own)


def test_split_description():
    assert qual_tables.split_description("Theme: formal ties.") == ("formal ties.", "")
    assert qual_tables.split_description("Def. Example: \u201cA quote.\u201d") == ("Def.", "A quote.")


def _flow():
    return pd.DataFrame(
        {
            "wave": ["pooled", "pooled", "wave-1", "wave-1", "wave-2", "wave-2"],
            "step": [0, 1, 0, 1, 0, 1],
            "remaining": [250, 200, 150, 120, 100, 80],
        }
    )


def test_response_table_counts_per_wave_and_never_guesses_the_frame(instrument):
    table = survey_tables.response_table(_flow(), instrument)
    out = table.to_frame()
    assert len(out) == 2 and table.facts["n"] == 200 and table.facts["waves"] == 2  # the pooled rows are not a wave
    assert table.facts["waves_with_frame"] == 0 and table.facts["rate_note"] == ""
    assert out.loc[0, "Responses received"] == "150" and out.loc[0, "Usable of received (%)"] == "80.0"
    for column in ("Sampling frame", "Firms invited", "Gross return (%)", "Response rate, AAPOR RR1 (%)"):
        assert out[column].tolist() == ["not reported", "not reported"], column


def test_response_rate_from_the_declared_fieldwork_rr1_and_gross_return(instrument):
    fieldwork = {"wave-1": {"invited": 600, "frame": "Directory A"}, "wave-2": {"invited": 400}}
    table = survey_tables.response_table(_flow(), instrument, fieldwork)
    out = table.to_frame()
    # RR1 = usable / invited: 120 / 600 = 20.0 %, 80 / 400 = 20.0 %; gross return = received / invited: 25.0 %, 25.0 %
    assert out["Response rate, AAPOR RR1 (%)"].tolist() == ["20.0", "20.0"]
    assert out["Gross return (%)"].tolist() == ["25.0", "25.0"]
    assert out["Firms invited"].tolist() == ["600", "400"] and out["Sampling frame"].tolist() == [
        "Directory A",
        "not reported",
    ]
    assert table.facts["waves_with_frame"] == 2 and "AAPOR RR1" in table.facts["rate_note"]
    one = survey_tables.response_table(
        _flow(), instrument, {"wave-2": {"invited": 100}}
    ).to_frame()  # exactly as many as received
    assert one["Firms invited"].tolist() == ["not reported", "100"] and one["Gross return (%)"].tolist() == [
        "not reported",
        "100.0",
    ]
    nulls = survey_tables.response_table(_flow(), instrument, {"wave-1": {"invited": None, "frame": None}}).to_frame()
    assert nulls.loc[0, "Firms invited"] == "not reported" and nulls.loc[0, "Sampling frame"] == "not reported"


@pytest.mark.parametrize(
    "invited, message",
    [
        (0, r"config fieldwork\.waves\.wave-1\.invited: 0 firms invited"),
        (-5, r"config fieldwork\.waves\.wave-1\.invited: -5 firms invited"),
        (149, r"config fieldwork\.waves\.wave-1\.invited: 149 firms invited, fewer than the 150 responses received"),
        (12.5, r"config fieldwork\.waves\.wave-1\.invited: expected a whole number of firms invited, got 12\.5"),
        ("many", r"expected a whole number of firms invited, got 'many'"),
        (True, r"expected a whole number of firms invited, got True"),
    ],
)
def test_response_table_refuses_an_impossible_invitation_count_naming_the_key(instrument, invited, message):
    with pytest.raises(survey_tables.FieldworkError, match=message):
        survey_tables.response_table(_flow(), instrument, {"wave-1": {"invited": invited}})


def test_response_table_of_one_wave_and_of_no_rows(instrument):
    flow = _flow()
    one = survey_tables.response_table(flow[flow["wave"] != "wave-2"], instrument, {"wave-1": {"invited": 150}})
    assert one.to_frame()["Response rate, AAPOR RR1 (%)"].tolist() == ["80.0"] and one.facts["n"] == 120
    empty = survey_tables.response_table(flow[flow["wave"] == "pooled"], instrument)
    assert len(empty.frame) == 0 and empty.facts["n"] == 0 and empty.facts["waves"] == 0


def test_shipped_config_declares_synthetic_fieldwork_for_every_wave(repo_root):
    import yaml

    config = yaml.safe_load((repo_root / "config/config.yaml").read_text(encoding="utf-8"))
    waves = config["fieldwork"]["waves"]
    assert sorted(waves) == sorted(p.name for p in (repo_root / "data/raw/survey").iterdir() if p.is_dir())
    assert all(spec["frame"].startswith("Synthetic stand-in") and spec["invited"] > 0 for spec in waves.values())


def test_checklist_says_where_each_item_is_reported():
    items = [
        (1, "Design", "Sample size", ("case_summary",)),
        (2, "Design", "Interview guide", ()),
        (3, "Analysis", "Saturation", ("saturation", "gone")),
    ]
    table = qual_tables.checklist_table(items, {"case_summary": "Table 7", "saturation": "Figure 3"})
    assert (
        table.frame["Reported in"].tolist() == ["Table 7", "not reported", "Figure 3"] and table.facts["reported"] == 2
    )
