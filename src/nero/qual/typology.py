"""The typology: from each case's coded evidence to one of the four scaling archetypes.

The rule (configured under ``qual.typology``; defaults shown)
--------------------------------------------------------------
For every case, count the primary coder's evidence under four code families (a family
is a code and all its sub-codes; evidence is the number of coded segments, or the
number of coded characters with ``evidence: characters``):

- ``I`` under ``Networks/Institutional``, ``V`` under ``Networks/Virtual``;
- ``E`` under ``Orientation/Efficiency-seeking``, ``M`` under ``Orientation/Market-seeking``.

Two axis scores, each in [-1, 1]:

- **network score** ``(I - V) / (I + V)``: +1 relies on institutional networks only,
  -1 on virtual networks only;
- **orientation score** ``(M - E) / (M + E)``: +1 purely market-seeking, -1 purely
  efficiency-seeking.

The sign of each score picks a pole and the two poles pick the archetype:

=================  ===================  =========================
network            orientation          archetype
=================  ===================  =========================
institutional      efficiency-seeking   Institutional Optimizer
institutional      market-seeking       Strategic Explorer
virtual            efficiency-seeking   Platform Optimizer
virtual            market-seeking       Agile Global Scaler
=================  ===================  =========================

A case whose score on either axis is within ``margin`` of zero (``|score| < margin``,
default 0.15) is flagged *too close to call* but is still assigned by the sign of its
scores, so that every case has an archetype and the flag tells the reader which
assignments are fragile. A case with no evidence on an axis, or a score of exactly
zero, has no pole there and is ``Unassigned``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nero.qual.data import coder_selections, interview_order
from nero.tolerances import is_zero

#: Archetype of each (network pole, orientation pole), in the order tables list them.
ARCHETYPES = {
    ("Institutional", "Efficiency-seeking"): "Institutional Optimizer",
    ("Institutional", "Market-seeking"): "Strategic Explorer",
    ("Virtual", "Efficiency-seeking"): "Platform Optimizer",
    ("Virtual", "Market-seeking"): "Agile Global Scaler",
}
ARCHETYPE_ORDER = list(ARCHETYPES.values())
UNASSIGNED = "Unassigned"

#: Columns of ``typology.csv`` (read by the integration stage; keep stable).
TYPOLOGY_COLUMNS = [
    "case",
    "archetype",
    "network_score",
    "orientation_score",
    "too_close_to_call",
    "flag",
    "network_pole",
    "orientation_pole",
    "institutional",
    "virtual",
    "efficiency",
    "market",
    "evidence",
    "margin",
]

#: Columns of ``exemplar_quotes.csv`` (read by the integration stage; keep stable).
EXEMPLAR_COLUMNS = [
    "archetype",
    "rank",
    "case",
    "code_path",
    "axis",
    "text",
    "source",
    "coder",
    "start",
    "end",
    "axes_covered",
    "corroborated",
    "network_score",
    "orientation_score",
    "too_close_to_call",
]


@dataclass(frozen=True)
class TypologyRule:
    """The configurable typology rule (see the module docstring)."""

    coder: str = "coder-a"
    evidence: str = "segments"
    margin: float = 0.15
    institutional: str = "Networks/Institutional"
    virtual: str = "Networks/Virtual"
    efficiency: str = "Orientation/Efficiency-seeking"
    market: str = "Orientation/Market-seeking"

    def __post_init__(self) -> None:
        if self.evidence not in ("segments", "characters"):
            raise ValueError(f"typology evidence must be 'segments' or 'characters', not {self.evidence!r}")
        if not 0 <= self.margin < 1:
            raise ValueError(f"typology margin must be in [0, 1), not {self.margin!r}")

    @classmethod
    def from_config(cls, typology: dict[str, Any], coder: str) -> TypologyRule:
        """The rule from the ``qual.typology`` config section and the primary coder."""
        keys = ("evidence", "margin", "institutional", "virtual", "efficiency", "market")
        return cls(coder=coder, **{k: typology[k] for k in keys if k in typology})

    def families(self) -> dict[str, str]:
        return {
            "institutional": self.institutional,
            "virtual": self.virtual,
            "efficiency": self.efficiency,
            "market": self.market,
        }


def _under(paths: pd.Series, prefix: str) -> pd.Series:
    return (paths == prefix) | paths.str.startswith(prefix + "/")


def _score(positive: float, negative: float) -> float:
    total = positive + negative
    return (positive - negative) / total if total > 0 else float("nan")


def axis_scores(selections: pd.DataFrame, cases: pd.DataFrame, rule: TypologyRule) -> pd.DataFrame:
    """Evidence per code family and the two axis scores of every case (interview order).

    Returns
    -------
    pandas.DataFrame
        ``case, institutional, virtual, efficiency, market, network_score,
        orientation_score`` (scores NaN where a case has no evidence on that axis).
    """
    own = coder_selections(selections, rule.coder)
    weight = (own["end"] - own["start"]) if rule.evidence == "characters" else pd.Series(1, index=own.index)
    rows = []
    for case in interview_order(cases)["case"]:
        in_case = own["case"] == case
        evidence = {
            name: float(weight[in_case & _under(own["code_path"], prefix)].sum())
            for name, prefix in rule.families().items()
        }
        rows.append(
            {
                "case": case,
                **evidence,
                "network_score": _score(evidence["institutional"], evidence["virtual"]),
                "orientation_score": _score(evidence["market"], evidence["efficiency"]),
            }
        )
    return pd.DataFrame(
        rows, columns=["case", "institutional", "virtual", "efficiency", "market", "network_score", "orientation_score"]
    )


@dataclass
class TypologyResult:
    """The archetype of every case."""

    table: pd.DataFrame
    rule: TypologyRule

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def counts(self) -> dict[str, int]:
        counts = self.table["archetype"].value_counts()
        return {a: int(counts.get(a, 0)) for a in [*ARCHETYPE_ORDER, UNASSIGNED] if a != UNASSIGNED or a in counts}

    def summary(self) -> str:
        flagged = self.table.loc[self.table["too_close_to_call"], "case"].tolist()
        parts = ", ".join(f"{a}: {n}" for a, n in self.counts().items())
        text = f"{len(self.table)} cases: {parts}"
        if flagged:
            text += f"; too close to call: {', '.join(flagged)}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts(), "rule": self.rule.__dict__, "cases": self.table.to_dict(orient="records")}


def _pole(score: float, positive: str, negative: str) -> str:
    if np.isnan(score) or is_zero(score):  # a score in [-1, 1] within ZERO_TOL of 0 has no pole
        return ""
    return positive if score > 0 else negative


def assign_archetypes(scores: pd.DataFrame, rule: TypologyRule) -> TypologyResult:
    """Assign each case an archetype by the signs of its axis scores and flag close calls.

    Parameters
    ----------
    scores
        Output of :func:`axis_scores`.
    rule
        The rule (its ``margin`` sets the too-close-to-call band).

    Returns
    -------
    TypologyResult
        ``table`` has :data:`TYPOLOGY_COLUMNS`, one row per case in the order of ``scores``.
    """
    rows = []
    for row in scores.itertuples(index=False):
        network = _pole(row.network_score, "Institutional", "Virtual")
        orientation = _pole(row.orientation_score, "Market-seeking", "Efficiency-seeking")
        archetype = ARCHETYPES.get((network, orientation), UNASSIGNED)
        flags = []
        for axis, score in (("network", row.network_score), ("orientation", row.orientation_score)):
            if np.isnan(score):
                flags.append(f"no evidence on the {axis} axis")
            elif abs(score) < rule.margin:
                flags.append(f"too close to call on the {axis} axis (|{score:.2f}| < {rule.margin:g})")
        rows.append(
            {
                "case": row.case,
                "archetype": archetype,
                "network_score": row.network_score,
                "orientation_score": row.orientation_score,
                "too_close_to_call": bool(flags),
                "flag": "; ".join(flags),
                "network_pole": network,
                "orientation_pole": orientation,
                "institutional": row.institutional,
                "virtual": row.virtual,
                "efficiency": row.efficiency,
                "market": row.market,
                "evidence": rule.evidence,
                "margin": rule.margin,
            }
        )
    return TypologyResult(table=pd.DataFrame(rows, columns=TYPOLOGY_COLUMNS), rule=rule)


def exemplar_quotes(
    selections: pd.DataFrame, typology: pd.DataFrame, rule: TypologyRule, per_archetype: int = 3, per_case: int = 1
) -> pd.DataFrame:
    """The strongest coded segments of each archetype, as exemplar quotes.

    Candidates are the primary coder's segments, in the cases assigned to an archetype,
    coded under one of the archetype's two defining families (its network pole and its
    orientation pole). They are ranked by, in turn: the case is not too close to call;
    the segment evidences both defining axes (it overlaps a segment of the other
    defining family); another coder coded the same code over an overlapping span
    (corroborated); the case's weaker axis score is far from zero; the segment is
    longer. While other candidates are left, at most ``per_case`` quotes come from one
    case and at most half of the quotes (rounded up) from one axis, so that each
    archetype is illustrated on both of its defining axes and by several firms. The text
    is the pseudonymised transcript text with its whitespace collapsed.

    Returns
    -------
    pandas.DataFrame
        :data:`EXEMPLAR_COLUMNS`, archetypes in the canonical order, ranks from 1.
    """
    own = coder_selections(selections, rule.coder)
    others = selections[selections["coder"] != rule.coder]
    rows = []
    for archetype in ARCHETYPE_ORDER:
        ((network, orientation),) = [k for k, v in ARCHETYPES.items() if v == archetype]
        families = {
            "network": rule.institutional if network == "Institutional" else rule.virtual,
            "orientation": rule.market if orientation == "Market-seeking" else rule.efficiency,
        }
        members = typology[typology["archetype"] == archetype].set_index("case")
        candidates = []
        for case, info in members.iterrows():
            segs = own[own["case"] == case]
            for axis, prefix in families.items():
                other_prefix = families["orientation" if axis == "network" else "network"]
                chosen = segs[_under(segs["code_path"], prefix)]
                partners = segs[_under(segs["code_path"], other_prefix)]
                for seg in chosen.itertuples(index=False):
                    both = (
                        (partners["source"] == seg.source)
                        & (partners["start"] < seg.end)
                        & (seg.start < partners["end"])
                    ).any()
                    same = others[
                        (others["source"] == seg.source)
                        & (others["code_path"] == seg.code_path)
                        & (others["start"] < seg.end)
                        & (seg.start < others["end"])
                    ]
                    clarity = np.nanmin([abs(info["network_score"]), abs(info["orientation_score"])])
                    candidates.append(
                        {
                            "archetype": archetype,
                            "case": case,
                            "code_path": seg.code_path,
                            "axis": axis,
                            "text": " ".join(seg.text.split()),
                            "source": seg.source,
                            "coder": seg.coder,
                            "start": int(seg.start),
                            "end": int(seg.end),
                            "axes_covered": 2 if both else 1,
                            "corroborated": bool(len(same)),
                            "network_score": info["network_score"],
                            "orientation_score": info["orientation_score"],
                            "too_close_to_call": bool(info["too_close_to_call"]),
                            "_clarity": clarity,
                        }
                    )
        if not candidates:
            continue
        frame = pd.DataFrame(candidates)
        frame["_length"] = frame["end"] - frame["start"]
        frame = frame.sort_values(
            ["too_close_to_call", "axes_covered", "corroborated", "_clarity", "_length", "case", "start", "axis"],
            ascending=[True, False, False, False, False, True, True, True],
            kind="stable",
        ).drop_duplicates(["source", "start", "end"])
        picked: list[int] = []
        per: dict[str, int] = {}
        per_axis_cap = -(-per_archetype // 2)
        for strict in (True, False):
            for idx, cand in frame.iterrows():
                if len(picked) >= per_archetype:
                    break
                if idx in picked:
                    continue
                if strict and (per.get(cand["case"], 0) >= per_case or per.get(cand["axis"], 0) >= per_axis_cap):
                    continue
                picked.append(idx)
                per[cand["case"]] = per.get(cand["case"], 0) + 1
                per[cand["axis"]] = per.get(cand["axis"], 0) + 1
        chosen = frame.loc[picked].drop(columns=["_clarity", "_length"])
        chosen.insert(1, "rank", range(1, len(chosen) + 1))
        rows.append(chosen)
    if not rows:
        return pd.DataFrame(columns=EXEMPLAR_COLUMNS)
    return pd.concat(rows, ignore_index=True)[EXEMPLAR_COLUMNS]


#: Case variables shown in the case summary table, with their column headings.
SUMMARY_VARIABLES = {
    "sector": "Sector",
    "founding_year": "Founded",
    "size_band": "Size band",
    "foreign_sales_share": "Foreign sales (%)",
    "interview_date": "Interviewed",
    "interview_mode": "Interview mode",
    "respondent_role": "Respondent role",
}
#: Summary variables shown only when the project records them.
OPTIONAL_SUMMARY_VARIABLES = ("interview_mode", "respondent_role")


def _percent(value: Any) -> Any:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if np.isnan(number):
        return ""
    return int(round(number * 100)) if number <= 1 else int(round(number))


def case_summary_table(
    typology: pd.DataFrame, cases: pd.DataFrame, selections: pd.DataFrame, rule: TypologyRule, leading: int = 3
) -> pd.DataFrame:
    """A case summary table in the manner of Table 1 of Su et al. (2020, seed 004): cases grouped by archetype.

    Columns: ``Archetype`` (the group), ``Case``, the case variables (``Sector``,
    ``Founded``, ``Size band``, ``Foreign sales (%)``, ``Interviewed``, ``Interview mode``
    and ``Respondent role`` when recorded; any other case
    variable follows under its own name), ``Network reliance`` and ``Orientation`` (the
    poles), ``Network score``, ``Orientation score``, ``Segments coded`` (primary coder),
    ``Leading codes`` (the ``leading`` most-coded codes, with counts) and ``Note`` (the
    too-close-to-call flag). Rows: archetypes in canonical order, then cases by name.
    """
    own = coder_selections(selections, rule.coder)
    variables = cases.set_index("case")
    extra = [c for c in cases.columns if c not in ("case", "case_guid", "sources", *SUMMARY_VARIABLES)]
    order = {a: i for i, a in enumerate([*ARCHETYPE_ORDER, UNASSIGNED])}
    table = typology.assign(_group=typology["archetype"].map(order)).sort_values(["_group", "case"], kind="stable")
    rows = []
    for row in table.itertuples(index=False):
        segs = own[own["case"] == row.case]
        counts = segs["code_path"].value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        top = "; ".join(f"{path.rsplit('/', 1)[-1]} ({n})" for path, n in counts.head(leading).items())
        record = {"Archetype": row.archetype, "Case": row.case}
        for key, heading in SUMMARY_VARIABLES.items():
            if key in OPTIONAL_SUMMARY_VARIABLES and key not in variables.columns:
                continue
            value = variables.at[row.case, key] if key in variables.columns and row.case in variables.index else ""
            if key == "foreign_sales_share":
                value = _percent(value)
            elif key == "founding_year" and value != "" and pd.notna(value):
                value = int(value)
            record[heading] = "" if value is None or (isinstance(value, float) and np.isnan(value)) else value
        for key in extra:
            record[key] = variables.at[row.case, key] if row.case in variables.index else ""
        record.update(
            {
                "Network reliance": row.network_pole or "-",
                "Orientation": row.orientation_pole or "-",
                "Network score": row.network_score,
                "Orientation score": row.orientation_score,
                "Segments coded": len(segs),
                "Leading codes": top,
                "Note": row.flag,
            }
        )
        rows.append(record)
    return pd.DataFrame(rows)
