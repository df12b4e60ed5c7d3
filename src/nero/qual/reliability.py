"""Inter-coder reliability on the double-coded interviews.

Two coders' codings are compared on the sources both of them coded, code by code, at
two levels:

- **document**: the unit is a source; a coder "applies" a code to a source if any of the
  coder's segments in it carries the code;
- **character**: the unit is a character of a double-coded source; a coder applies a code
  to a character if one of the coder's segments with that code covers it (this is how
  NVivo's coding comparison counts; agreement on uncoded text is included).

For each code and level: percentage agreement, Cohen's kappa (``statsmodels``, as the
literature screening's) and Krippendorff's alpha (nominal, from the ``krippendorff``
package); a pooled row stacks the units of every code. Conventional thresholds
(Krippendorff 2004): alpha >= 0.800 acceptable, 0.667 <= alpha < 0.800 acceptable for
tentative conclusions only, below 0.667 unacceptable; the same cut-offs are applied to
kappa for the verdict column. A statistic is undefined (NaN) when the units show no
variation (both coders used a single value throughout).
"""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

from nero.qual.data import analysis_codes
from nero.tolerances import at_least

#: Columns of the reliability table.
RELIABILITY_COLUMNS = [
    "level",
    "code_path",
    "units",
    "coder_1",
    "coder_2",
    "coded_by_1",
    "coded_by_2",
    "percent_agreement",
    "cohen_kappa",
    "krippendorff_alpha",
    "kappa_verdict",
    "alpha_verdict",
    "threshold_acceptable",
    "threshold_tentative",
    "note",
]

POOLED = "All codes (pooled)"


def _pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("the two coders' ratings must be 1-D arrays of the same length")
    if a.size == 0:
        raise ValueError("no units to compare")
    return a, b


def percent_agreement(a, b) -> float:
    """Share of units on which two coders agree, in percent (0-100).

    Examples
    --------
    >>> percent_agreement([1, 1, 0, 0], [1, 0, 0, 0])
    75.0
    """
    a, b = _pair(a, b)
    return float(np.mean(a == b) * 100.0)


def cohen_kappa(a, b) -> float:
    """Cohen's kappa for two coders' nominal ratings of the same units (``statsmodels``).

    ``kappa = (p_o - p_e) / (1 - p_e)``, with ``p_o`` the observed agreement and ``p_e``
    the agreement expected from the coders' marginal distributions, computed by
    ``statsmodels.stats.inter_rater.cohens_kappa`` from the coders' contingency table. NaN
    when the units show one single value throughout (``p_e == 1``: kappa is undefined).

    Examples
    --------
    >>> round(cohen_kappa([1, 1, 0, 0, 1, 0, 1, 0, 0, 0], [1, 0, 0, 0, 1, 0, 1, 1, 0, 0]), 6)
    0.583333
    """
    from statsmodels.stats.inter_rater import cohens_kappa

    a, b = _pair(a, b)
    categories, index = np.unique(np.concatenate([a, b]), return_inverse=True)
    if categories.size < 2:
        return float("nan")
    table = np.zeros((categories.size, categories.size))
    np.add.at(table, (index[: a.size], index[a.size :]), 1.0)
    return float(cohens_kappa(table, return_results=False))


def krippendorff_alpha(a, b, level: str = "nominal") -> float:
    """Krippendorff's alpha for two coders (the ``krippendorff`` package); NaN without variation.

    Examples
    --------
    >>> round(krippendorff_alpha([1, 1, 0, 0, 1, 0, 1, 0, 0, 0], [1, 0, 0, 0, 1, 0, 1, 1, 0, 0]), 6)
    0.604167
    """
    a, b = _pair(a, b)
    if np.unique(np.concatenate([a, b])).size < 2:
        return float("nan")
    data = np.vstack([a, b]).astype(float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def verdict(value: float, acceptable: float = 0.80, tentative: float = 0.667) -> str:
    """``acceptable`` / ``tentative`` / ``unacceptable`` against the conventional thresholds; ``undefined`` for NaN."""
    if value is None or np.isnan(value):
        return "undefined"
    # a value within nero.tolerances.CUT_TOL of a threshold reaches it
    if at_least(value, acceptable):
        return "acceptable"
    if at_least(value, tentative):
        return "tentative"
    return "unacceptable"


def double_coded_sources(selections: pd.DataFrame, coder_1: str, coder_2: str) -> list[str]:
    """Sources that both coders coded (sorted)."""
    first = set(selections.loc[selections["coder"] == coder_1, "source"])
    second = set(selections.loc[selections["coder"] == coder_2, "source"])
    return sorted(first & second)


def choose_second_coder(selections: pd.DataFrame, primary: str, configured: str | None = None) -> str:
    """The reliability partner of ``primary``: ``configured`` or the coder sharing most sources with it."""
    everyone = sorted(set(selections["coder"]))
    if not everyone:
        raise ValueError("nobody coded the interviews (the project has no codings): there is no double-coded subset")
    if primary not in everyone:
        raise ValueError(
            f"the primary coder {primary!r} has no codings (coders: {', '.join(everyone)}); "
            "set qual.primary_coder in config/config.yaml to one of them"
        )
    coders = sorted(set(everyone) - {primary})
    if configured:
        if configured not in coders:
            raise ValueError(f"second coder {configured!r} has no codings (coders: {', '.join(coders) or 'none'})")
        return configured
    if not coders:
        raise ValueError(f"only {primary!r} coded the interviews: there is no double-coded subset")
    return sorted(coders, key=lambda c: (-len(double_coded_sources(selections, primary, c)), c))[0]


def _character_vector(segments: pd.DataFrame, length: int) -> np.ndarray:
    covered = np.zeros(length, dtype=np.int8)
    for start, end in zip(segments["start"], segments["end"]):
        covered[start:end] = 1
    return covered


@dataclass
class ReliabilityResult:
    """The reliability table and the double-coded subset it rests on."""

    table: pd.DataFrame
    coder_1: str
    coder_2: str
    sources: list[str]

    def to_frame(self) -> pd.DataFrame:
        return self.table

    def pooled(self, level: str) -> pd.Series:
        """The pooled row of one level (``document`` or ``character``)."""
        rows = self.table[(self.table["level"] == level) & (self.table["code_path"] == POOLED)]
        return rows.iloc[0]

    def summary(self) -> str:
        doc, char = self.pooled("document"), self.pooled("character")
        return (
            f"{self.coder_1} vs {self.coder_2} on {len(self.sources)} double-coded source(s): "
            f"document level kappa {doc['cohen_kappa']:.3f}, alpha {doc['krippendorff_alpha']:.3f}; "
            f"character level kappa {char['cohen_kappa']:.3f}, alpha {char['krippendorff_alpha']:.3f} "
            f"(pooled over codes; alpha >= 0.800 acceptable, >= 0.667 tentative)"
        )


def reliability_table(
    selections: pd.DataFrame,
    codebook: pd.DataFrame,
    coder_1: str,
    coder_2: str,
    source_lengths: dict[str, int] | None = None,
    acceptable: float = 0.80,
    tentative: float = 0.667,
) -> ReliabilityResult:
    """Agreement, Cohen's kappa and Krippendorff's alpha per code, at document and character level.

    Parameters
    ----------
    selections
        All codings.
    codebook
        The codebook (the analysed codes are its leaves and any code carrying codings).
    coder_1, coder_2
        The two coders compared (the primary coder first).
    source_lengths
        Source name -> text length in characters (the character units); a source missing
        here is taken to end at its last coded character.
    acceptable, tentative
        Thresholds for the verdict columns (stated in every row).

    Returns
    -------
    ReliabilityResult
        ``table`` has :data:`RELIABILITY_COLUMNS`: per level, one row per code, then the
        pooled row.

    Raises
    ------
    ValueError
        If no source is coded by both coders.
    """
    sources = double_coded_sources(selections, coder_1, coder_2)
    if not sources:
        raise ValueError(f"no source is coded by both {coder_1!r} and {coder_2!r}: no double-coded subset")
    subset = selections[selections["source"].isin(sources) & selections["coder"].isin([coder_1, coder_2])]
    codes = analysis_codes(codebook, subset)
    lengths = dict(source_lengths or {})
    for source in sources:
        if source not in lengths or lengths[source] <= 0:
            lengths[source] = int(subset.loc[subset["source"] == source, "end"].max())

    rows = []

    def add(level: str, code: str, a: np.ndarray, b: np.ndarray, note: str = "") -> None:
        kappa, alpha = cohen_kappa(a, b), krippendorff_alpha(a, b)
        if np.isnan(kappa) and not note:
            note = (
                "no variation: neither coder applied the code"
                if not (a.any() or b.any())
                else "no variation: both coders applied the code to every unit"
            )
        rows.append(
            {
                "level": level,
                "code_path": code,
                "units": int(a.size),
                "coder_1": coder_1,
                "coder_2": coder_2,
                "coded_by_1": int(a.sum()),
                "coded_by_2": int(b.sum()),
                "percent_agreement": percent_agreement(a, b),
                "cohen_kappa": kappa,
                "krippendorff_alpha": alpha,
                "kappa_verdict": verdict(kappa, acceptable, tentative),
                "alpha_verdict": verdict(alpha, acceptable, tentative),
                "threshold_acceptable": acceptable,
                "threshold_tentative": tentative,
                "note": note,
            }
        )

    grouped = {key: g for key, g in subset.groupby(["coder", "code_path", "source"])}
    empty = subset.iloc[0:0]
    # document level
    doc_a, doc_b = [], []
    for code in codes:
        a = np.array([int((coder_1, code, s) in grouped) for s in sources], dtype=np.int8)
        b = np.array([int((coder_2, code, s) in grouped) for s in sources], dtype=np.int8)
        add("document", code, a, b)
        doc_a.append(a)
        doc_b.append(b)
    add(
        "document",
        POOLED,
        np.concatenate(doc_a),
        np.concatenate(doc_b),
        note=f"{len(sources)} sources x {len(codes)} codes",
    )
    # character level
    char_a, char_b = [], []
    for code in codes:
        a = np.concatenate([_character_vector(grouped.get((coder_1, code, s), empty), lengths[s]) for s in sources])
        b = np.concatenate([_character_vector(grouped.get((coder_2, code, s), empty), lengths[s]) for s in sources])
        add("character", code, a, b)
        char_a.append(a)
        char_b.append(b)
    add(
        "character",
        POOLED,
        np.concatenate(char_a),
        np.concatenate(char_b),
        note=f"{sum(lengths[s] for s in sources)} characters x {len(codes)} codes",
    )
    table = pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
    return ReliabilityResult(table=table, coder_1=coder_1, coder_2=coder_2, sources=sources)
