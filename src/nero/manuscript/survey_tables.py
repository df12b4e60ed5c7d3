"""Study 2 thesis tables built from the clean survey data, the codebook and the SEM results.

Each function is pure: it takes loaded tables (pandas) and the instrument codebook (a
mapping), returns a :class:`ThesisTable` whose ``frame`` holds raw values, whose
``formats`` say how each column is rounded (:mod:`nero.manuscript.apa`) and whose
``facts`` (N and the like) fill the note of the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nero.manuscript import apa


@dataclass
class ThesisTable:
    """A table as the thesis prints it, before rounding."""

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The table rounded as APA asks (every cell text)."""
        return apa.format_frame(self.frame, self.formats)


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: columns {missing} are missing (has {list(frame.columns)})")


def sample_profile(clean: pd.DataFrame, codebook: dict[str, Any], survey_year: int | None = None) -> ThesisTable:
    """Sample profile: firms by sector, size, age, foreign markets, years abroad and wave.

    Parameters
    ----------
    clean
        ``results/survey/clean.csv`` (one row per usable firm).
    codebook
        The instrument codebook (sector labels, wave labels).
    survey_year
        Year the firm age is counted to; the latest ``recorded_date`` year by default.

    Returns
    -------
    ThesisTable
        Columns ``Characteristic``, ``Category``, ``n``, ``%``.
    """
    _require(
        clean, ["sector", "employees", "founding_year", "foreign_markets", "years_abroad", "wave"], "clean survey table"
    )
    n = len(clean)
    if survey_year is None:
        survey_year = int(pd.to_datetime(clean["recorded_date"]).dt.year.max()) if "recorded_date" in clean else 2025
    sector_codes = codebook["firm_variables"]["sector"]["codes"]
    waves = codebook.get("waves", {})
    bands = {
        "Employees": (
            "employees",
            [1, 10, 50, 100, 200],
            ["1-9 (micro)", "10-49 (small)", "50-99 (medium)", "100-199 (medium)"],
        ),
        "Firm age (years)": (None, [0, 5, 10, 20, 500], ["Under 5", "5-9", "10-19", "20 or more"]),
        "Foreign markets served": ("foreign_markets", [0, 1, 3, 6, 1000], ["None", "1-2", "3-5", "6 or more"]),
        "Years selling abroad": ("years_abroad", [0, 1, 5, 10, 1000], ["Under 1", "1-4", "5-9", "10 or more"]),
    }
    groups: list[tuple[str, pd.Series, list[str]]] = [
        ("Sector", clean["sector"].map(lambda c: sector_codes.get(int(c), str(c))), list(sector_codes.values())),
    ]
    for characteristic, (column, edges, labels) in bands.items():
        values = survey_year - clean["founding_year"] if column is None else clean[column]
        groups.append((characteristic, pd.cut(values, bins=edges, labels=labels, right=False).astype(str), labels))
    wave_values = clean["wave"].map(lambda w: waves.get(w, {}).get("label", w))
    groups.append(("Survey wave", wave_values, sorted(wave_values.unique())))
    rows = []
    for characteristic, values, order in groups:
        counts = values.value_counts()
        for category in [c for c in order if c in counts.index] + sorted(c for c in counts.index if c not in order):
            rows.append(
                {
                    "Characteristic": characteristic,
                    "Category": category,
                    "n": int(counts[category]),
                    "%": 100 * counts[category] / n,
                }
            )
    frame = pd.DataFrame(rows)
    return ThesisTable(frame, {"n": "int", "%": "pct"}, {"n": n, "survey_year": survey_year})


def constructs_table(codebook: dict[str, Any], loadings: pd.DataFrame, reliability: pd.DataFrame) -> ThesisTable:
    """Constructs, item wording, standardised loadings, alpha, CR and AVE.

    One row per item (item wording from the codebook, ``(R)`` after reverse-worded
    items); the construct's alpha, CR and AVE on its first item row.
    """
    _require(loadings, ["factor", "indicator", "std_all"], "CFA loadings")
    _require(reliability, ["construct", "alpha", "cr", "ave"], "reliability table")
    load = loadings.set_index("indicator")["std_all"]
    rel = reliability.set_index("construct")
    rows = []
    for construct in rel.index:
        spec = codebook["constructs"].get(construct)
        if spec is None:
            raise ValueError(f"reliability table: construct {construct!r} is not in the codebook")
        for k, item in enumerate(spec["items"]):
            meta = codebook["items"][item]
            rows.append(
                {
                    "Construct": f"{spec['label']} ({construct})" if k == 0 else "",
                    "Item": item,
                    "Wording": meta["text"] + (" (R)" if meta.get("reverse") else ""),
                    "Loading": load.get(item, np.nan),
                    "α": rel.at[construct, "alpha"] if k == 0 else np.nan,
                    "CR": rel.at[construct, "cr"] if k == 0 else np.nan,
                    "AVE": rel.at[construct, "ave"] if k == 0 else np.nan,
                }
            )
    return ThesisTable(
        pd.DataFrame(rows),
        {"Loading": "bounded", "α": "bounded", "CR": "bounded", "AVE": "bounded"},
        {"constructs": len(rel)},
    )


def correlation_table(
    clean: pd.DataFrame,
    constructs: list[str],
    labels: dict[str, str],
    reliability: pd.DataFrame | None = None,
    controls: list[str] | None = None,
) -> ThesisTable:
    """Means, standard deviations and Pearson correlations with significance stars.

    Pairwise-complete observations; two-sided *p* from the *t* distribution
    (``scipy.stats.pearsonr``). Cronbach's alpha on the diagonal when ``reliability`` is given.
    """
    from scipy import stats  # imported here: the other thesis tables do not need it

    variables = list(constructs) + list(controls or [])
    _require(clean, variables, "clean survey table")
    alpha = reliability.set_index("construct")["alpha"] if reliability is not None else pd.Series(dtype=float)
    rows = []
    for i, a in enumerate(variables):
        x = clean[a].astype(float)
        row: dict[str, Any] = {"Variable": f"{i + 1}. {labels.get(a, a)}", "M": x.mean(), "SD": x.std(ddof=1)}
        for j, b in enumerate(variables):
            key = str(j + 1)
            if j > i:
                row[key] = ""
            elif j == i:
                row[key] = f"({apa.format_bounded(alpha[a])})" if a in alpha.index else "\u2014"
            else:
                pair = clean[[a, b]].astype(float).dropna()
                r, p = stats.pearsonr(pair[a], pair[b])
                row[key] = apa.format_bounded(r) + apa.stars(p)
        rows.append(row)
    frame = pd.DataFrame(rows)
    counts = clean[variables].notna().all(axis=1).sum()
    return ThesisTable(frame, {"M": "num2", "SD": "num2"}, {"n": int(len(clean)), "n_complete": int(counts)})


def _rule_verdicts(claims: pd.DataFrame) -> list[str]:
    """The rule's outcome of each claim (``rule_verdict``; the verdict itself where the column is absent or blank)."""
    if "rule_verdict" not in claims.columns:
        return [str(v) for v in claims["verdict"]]
    return [
        str(v) if isinstance(r, float) or not str(r) else str(r)
        for v, r in zip(claims["verdict"], claims["rule_verdict"])
    ]


def _verdict_text(verdict: str, rule: str) -> str:
    """``Supported``; a verdict qualified by the design with the rule's outcome: ``Inconclusive by design (rule: not supported)``."""
    text = str(verdict).capitalize()
    return text if rule == str(verdict) else f"{text} by design (rule: {rule})"


def hypotheses_table(claims: pd.DataFrame) -> ThesisTable:
    """Hypotheses (claims) with the analysis that decides them and the verdict.

    The verdict is the one qualified by the design analysis (:func:`nero.design.operating.annotate_claims`);
    where it differs from the rule's outcome (``rule_verdict``) the cell names both.

    The decision rule and the figures that decided it are the rule engine's text: they go to
    the table's supplementary CSV (``supplement: all``), not into the printed table.
    """
    _require(claims, ["claim_id", "statement", "analysis", "verdict"], "claims table")
    frame = pd.DataFrame(
        {
            "Claim": claims["claim_id"].astype(str),
            "Statement": claims["statement"],
            "Analysis": claims["analysis"],
            "Verdict": [_verdict_text(v, r) for v, r in zip(claims["verdict"], _rule_verdicts(claims), strict=True)],
        }
    )
    counts = claims["verdict"].value_counts().to_dict()
    return ThesisTable(
        frame,
        {c: "text" for c in frame.columns},
        {"claims": len(claims), **{f"n_{k.replace(' ', '_')}": v for k, v in counts.items()}},
    )


#: Where the fieldwork facts live in config/config.yaml (named in every error).
FIELDWORK_KEY = "fieldwork.waves"


class FieldworkError(ValueError):
    """A declared fieldwork fact that cannot be right (no firm invited, more responses than invitations)."""


def _invited(wave: str, spec: Any, received: int) -> int | None:
    """The firms invited in ``wave`` as declared, or None when not declared; checked against the responses."""
    value = (spec or {}).get("invited") if isinstance(spec, dict) else spec
    key = f"{FIELDWORK_KEY}.{wave}.invited"
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        and not (isinstance(value, float) and value.is_integer())
    ):
        raise FieldworkError(f"config {key}: expected a whole number of firms invited, got {value!r}")
    value = int(value)
    if value <= 0:
        raise FieldworkError(
            f"config {key}: {value} firms invited, but the wave has {received} responses; "
            "expected the number of firms sent an invitation (> 0), or no value (not reported)"
        )
    if received > value:
        raise FieldworkError(
            f"config {key}: {value} firms invited, fewer than the {received} responses received; "
            "expected at least as many invitations as responses"
        )
    return value


def response_table(flow: pd.DataFrame, codebook: dict[str, Any], frames: dict[str, Any] | None = None) -> ThesisTable:
    """Responses per wave: sampling frame, firms invited, responses and the response rates.

    ``flow`` is ``survey/flow.csv`` (step 0 = received, the last step per wave = usable; its
    ``pooled`` rows are left out: one row per wave of the codebook). ``frames`` maps each wave
    to the fieldwork facts the author declares (config ``fieldwork.waves.<wave>``: ``invited``,
    the firms sent an invitation, and ``frame``, the sampling frame in words). Rates:

    - *gross return* = responses received / firms invited;
    - *response rate (AAPOR RR1)* = usable responses / firms invited: RR1 counts only complete
      interviews in the numerator (here the responses that passed every cleaning rule) and every
      invited firm in the denominator, as if all were eligible (AAPOR Standard Definitions,
      2023), so it is the conservative rate.

    A wave whose ``invited`` is not declared shows "not reported" for the count and both rates
    (never a guess); a wave without ``frame`` shows "not reported" for the frame.

    Raises
    ------
    FieldworkError
        ``invited`` that is 0 or negative, not a whole number, or smaller than the responses
        received, naming the key (``fieldwork.waves.<wave>.invited``).
    """
    _require(flow, ["wave", "step", "remaining"], "survey flow")
    waves = codebook.get("waves", {})
    frames = dict(frames or {})
    rows = []
    known = (
        [w for w in flow["wave"].unique() if w in waves]
        if waves
        else [w for w in flow["wave"].unique() if w != "pooled"]
    )
    for wave, group in flow[flow["wave"].isin(known)].sort_values(["wave", "step"]).groupby("wave", sort=True):
        received, usable = int(group["remaining"].iloc[0]), int(group["remaining"].iloc[-1])
        spec = frames.get(wave)
        invited = _invited(str(wave), spec, received)
        frame_text = (spec or {}).get("frame") if isinstance(spec, dict) else None
        rows.append(
            {
                "Wave": (waves.get(wave) or {}).get("label", wave),
                "Sampling frame": frame_text or "not reported",
                "Firms invited": str(invited) if invited else "not reported",
                "Responses received": received,
                "Usable responses": usable,
                "Gross return (%)": f"{100 * received / invited:.1f}" if invited else "not reported",
                "Response rate, AAPOR RR1 (%)": f"{100 * usable / invited:.1f}" if invited else "not reported",
                "Usable of received (%)": 100 * usable / received if received else np.nan,
            }
        )
    frame = pd.DataFrame(rows)
    reported = int(sum(r["Firms invited"] != "not reported" for r in rows))
    return ThesisTable(
        frame,
        {"Responses received": "int", "Usable responses": "int", "Usable of received (%)": "pct"},
        {
            "n": int(frame["Usable responses"].sum()) if len(frame) else 0,
            "waves": len(frame),
            "waves_with_frame": reported,
            "rate_note": (
                "Response rate (AAPOR RR1) = usable responses / firms invited, every invited firm "
                "counted as eligible; gross return = responses received / firms invited."
                if reported
                else ""
            ),
        },
    )
