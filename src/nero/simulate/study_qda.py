"""The Study 1 coding project of the synthetic study: REFI-QDA project and coded-segments CSV.

:func:`build_qda_project` turns the simulated interviews (:mod:`nero.simulate.interviews`)
into an NVivo-style REFI-QDA project (:mod:`nero.simulate.qdpx` writes it); its GUIDs
come from their own random streams, ``(seed, 9001)`` and ``(seed, 9002)``, drawn in a
fixed order (users, codes, case variables, then per interview: source, its selections,
its case), so the same seed gives the same bytes. :func:`coded_segments_csv` writes the
same codings as the flat coded-segments CSV.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from nero.simulate import interview_codes, interview_sentences
from nero.simulate.interviews import Interview, case_variables
from nero.simulate.qdpx import QdaCase, QdaProject, QdaSelection, QdaSource, new_guid, utf16_offset, utf16_slice

CODE_COLORS = {
    "Networks": "#1F77B4",
    "Orientation": "#FF7F0E",
    "Capacity": "#2CA02C",
    "Scale-out": "#D62728",
    "Barriers": "#7F7F7F",
    "Enablers": "#9467BD",
}


def build_qda_project(seed: int, interviews: list[Interview]) -> QdaProject:
    """REFI-QDA project of the interviews (NVivo-style), GUIDs drawn from ``(seed, 9001)``."""
    rng = np.random.default_rng([int(seed), 9001])
    users = {"coder-a": new_guid(rng), "coder-b": new_guid(rng)}
    codes = _code_guids(rng)
    variables = _variable_guids(seed, rng)
    sources, cases = [], []
    for j, interview in enumerate(interviews):
        source = _qda_source(rng, j, interview)
        sources.append(source)
        cases.append(_qda_case(rng, interview, source))
    return QdaProject(
        name="Network Ambidexterity Study 1 (synthetic)",
        origin="NVivo 14",
        created="2024-12-01T09:00:00Z",
        users=users,
        codes=codes,
        code_colors={k: v for k, v in CODE_COLORS.items() if k in codes},
        variables=variables,
        sources=sources,
        cases=cases,
        code_descriptions={path: interview_sentences.code_description(path) for path in codes},
    )


def _code_guids(rng: np.random.Generator) -> dict[str, str]:
    """Code path -> GUID for every code of the tree and its parents, in tree order."""
    codes: dict[str, str] = {}
    for path in interview_codes.CODE_PATHS:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix not in codes:
                codes[prefix] = new_guid(rng)
    return codes


def _variable_guids(seed: int, rng: np.random.Generator) -> dict[str, tuple[str, str]]:
    """Case variable -> (GUID, type); the two added later come from their own stream ``(seed, 9002)``."""
    variables = {
        "sector": (new_guid(rng), "Text"),
        "size_band": (new_guid(rng), "Text"),
        "founding_year": (new_guid(rng), "Integer"),
        "foreign_sales_share": (new_guid(rng), "Float"),
        "interview_date": (new_guid(rng), "Date"),
    }
    vrng = np.random.default_rng([int(seed), 9002])  # own stream: the GUIDs drawn above stay as they were
    variables.update({"respondent_role": (new_guid(vrng), "Text"), "interview_mode": (new_guid(vrng), "Text")})
    return variables


def _qda_source(rng: np.random.Generator, j: int, interview: Interview) -> QdaSource:
    """The ``j``-th interview's transcript with both coders' selections (dated as NVivo would)."""
    source = QdaSource(
        guid=new_guid(rng),
        name=interview.document,
        text=interview.text,
        created=f"{interview.interview_date}T18:00:00Z",
    )
    for coder, month in (("coder-a", "2024-12"), ("coder-b", "2025-01")):
        for k, seg in enumerate(interview.codings.get(coder, [])):
            day = 2 + (j * 2) % 26
            created = f"{month}-{day:02d}T{9 + k // 12:02d}:{(k * 5) % 60:02d}:00Z"
            source.selections.append(
                QdaSelection(
                    guid=new_guid(rng),
                    start=utf16_offset(interview.text, seg.start),
                    end=utf16_offset(interview.text, seg.end),
                    user=coder,
                    codes=list(seg.codes),
                    coding_guids=[new_guid(rng) for _ in seg.codes],
                    created=created,
                )
            )
    return source


def _qda_case(rng: np.random.Generator, interview: Interview, source: QdaSource) -> QdaCase:
    """The interview's pseudonymised case, linked to its source."""
    return QdaCase(
        guid=new_guid(rng),
        name=interview.case_name,
        values={**case_variables(interview), "foreign_sales_share": f"{interview.foreign_sales_share:.2f}"},
        source_guid=source.guid,
        description=f"Pseudonymised case; respondent {interview.respondent} ({interview.role}).",
    )


def coded_segments_csv(project: QdaProject) -> str:
    """The project's codings as a coded-segments CSV (document, coder, code_path, start, end, text)."""
    rows = []
    for source in project.sources:
        for sel in source.selections:
            text = utf16_slice(source.text, sel.start, sel.end)
            for code in sel.codes:
                rows.append((source.name, sel.user, code, sel.start, sel.end, text))
    rows.sort(key=lambda r: (r[0], r[1], r[3], r[4], r[2]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["document", "coder", "code_path", "start", "end", "text"])
    writer.writerows(rows)
    return buffer.getvalue()


__all__ = ["CODE_COLORS", "build_qda_project", "coded_segments_csv"]
