"""Empty or partial Study-1 inputs: uncoded and uncased interviews, no codings, nobody coding."""

from __future__ import annotations

import pandas as pd
import pytest
from qdpx_factory import small_study, write_qdpx

from nero.qual.analysis import saturation_curve
from nero.qual.data import StudyData, import_study
from nero.qual.project import QdaImportError
from nero.qual.refiqda import read_qdpx
from nero.qual.reliability import choose_second_coder


def test_an_uncoded_interview_without_a_case_is_its_own_case_and_counts_in_saturation(tmp_path):
    study = small_study()
    study.sources["Interview C"] = "Interviewer: Anything else?\r\nOwner: Nothing to add today.\r\n"
    path = write_qdpx(tmp_path / "p.qdpx", study)
    project = read_qdpx(path)
    data = StudyData.from_project(project)
    assert "Interview C" in data.cases["case"].tolist()
    row = data.cases[data.cases["case"] == "Interview C"].iloc[0]
    assert row["sources"] == "Interview C" and row["case_guid"] == ""
    curve = saturation_curve(data.selections, data.codebook, data.cases, "coder-a", base_size=1, run_length=1)
    table = curve.table
    assert "Interview C" in table["case"].tolist()
    assert int(table.loc[table["case"] == "Interview C", "codes"].iloc[0]) == 0


def test_a_project_without_codings_is_refused_naming_the_file_and_writes_nothing(tmp_path):
    study = small_study()
    study.codings = []
    path = write_qdpx(tmp_path / "uncoded.qdpx", study)
    project = read_qdpx(path)  # the reader itself only warns
    assert any("no coded selections" in w and "uncoded.qdpx" in w for w in project.warnings)
    out = tmp_path / "out"
    with pytest.raises(QdaImportError, match=r"uncoded\.qdpx: no coded selections: the project holds 2 source"):
        import_study(path, out / "s.csv", out / "c.csv", out / "p.json")
    assert not out.exists() or not list(out.iterdir())


def test_reliability_says_nobody_coded_when_there_are_no_codings():
    empty = pd.DataFrame({"coder": pd.Series([], dtype=str), "source": pd.Series([], dtype=str)})
    with pytest.raises(ValueError, match="nobody coded the interviews"):
        choose_second_coder(empty, "coder-a")
    other = pd.DataFrame({"coder": ["coder-b"], "source": ["Interview A"]})
    with pytest.raises(ValueError, match="primary coder 'coder-a' has no codings.*coder-b"):
        choose_second_coder(other, "coder-a")
    alone = pd.DataFrame({"coder": ["coder-a"], "source": ["Interview A"]})
    with pytest.raises(ValueError, match="only 'coder-a' coded the interviews"):
        choose_second_coder(alone, "coder-a")
