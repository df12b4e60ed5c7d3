"""The cleaning rules: pure functions over the typed table of the responses still in.

Each rule returns, for the responses it drops, a one-line detail (index = the frame's
index); :func:`nero.survey.cleaning.clean_survey` applies them in the order of
:data:`RULES`. Multivariate outliers are flagged by :func:`mahalanobis_outliers`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nero.survey.codebook import Codebook
from nero.survey.responses import _fmt
from nero.tolerances import CUT_TOL, below, below_alpha

RULES = (
    "preview_spam",
    "screening",
    "unfinished",
    "duplicate",
    "attention",
    "speeder",
    "straightliner",
    "out_of_range",
)
#: The flow stage a response reaches only if it passes the rule.
RULE_STAGE = {
    "preview_spam": "screened",
    "screening": "screened",
    "unfinished": "complete",
    "duplicate": "quality checks",
    "attention": "quality checks",
    "speeder": "quality checks",
    "straightliner": "quality checks",
    "out_of_range": "quality checks",
    "mv_outlier": "usable",
}
STAGES = ("received", "screened", "complete", "quality checks", "usable")
POOLED = "pooled"
#: Qualtrics ``Status`` codes (for exclusion details).
STATUS_LABELS = {
    0: "IP Address",
    1: "Survey Preview",
    2: "Survey Test",
    4: "Imported",
    8: "Spam",
    9: "Survey Preview Spam",
    12: "Imported Spam",
    16: "Offline",
    17: "Offline Survey Preview",
}


def rule_preview_spam(frame: pd.DataFrame) -> pd.Series:
    """``Status`` other than 0 (IP Address), or a preview/test distribution channel."""
    channel = frame["distribution_channel"].map(lambda v: str(v).strip().lower() if isinstance(v, str) else "")
    status = frame["status"]
    bad_status = status.ne(0)
    bad_channel = channel.isin(["preview", "test"])
    out = {}
    for idx in frame.index[bad_status | bad_channel]:
        parts = []
        if bad_status[idx]:
            code = int(status[idx])
            parts.append(f"Status={code} ({STATUS_LABELS.get(code, 'not a live response')})")
        if bad_channel[idx]:
            parts.append(f"DistributionChannel={channel[idx]}")
        out[idx] = "; ".join(parts)
    return pd.Series(out, dtype=object)


def rule_screening(frame: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """The screening answer is not one of ``pass_values`` (no answer fails too)."""
    check = codebook.checks["screening"]
    answer = frame["screening"]
    bad = ~answer.isin([float(v) for v in check.pass_values])
    allowed = ", ".join(str(v) for v in check.pass_values)
    return pd.Series({i: f"{check.id}={_fmt(answer[i])} (passes: {allowed})" for i in frame.index[bad]}, dtype=object)


def rule_unfinished(frame: pd.DataFrame) -> pd.Series:
    """``Finished`` is 0 or ``Progress`` is below 100."""
    bad = frame["finished"].eq(0) | frame["progress"].lt(100)
    return pd.Series(
        {
            i: f"Finished={_fmt(frame.at[i, 'finished'])}, Progress={_fmt(frame.at[i, 'progress'])}"
            for i in frame.index[bad]
        },
        dtype=object,
    )


def rule_duplicate(frame: pd.DataFrame) -> pd.Series:
    """A later submission of a ``FirmCode`` already kept, within or across waves.

    The earliest ``RecordedDate`` is kept (ties: wave, then ResponseId). Responses
    without a firm code cannot be matched and are never duplicates.
    """
    coded = frame[frame["firm_code"].map(lambda v: isinstance(v, str) and bool(v))]
    ordered = coded.sort_values(["firm_code", "recorded_date", "wave", "response_id"], kind="stable")
    out = {}
    for _, group in ordered.groupby("firm_code", sort=True):
        if len(group) < 2:
            continue
        kept = group.iloc[0]
        for idx in group.index[1:]:
            out[idx] = (
                f"FirmCode {kept['firm_code']} already kept: {kept['wave']} {kept['response_id']} "
                f"recorded {kept['recorded_date']:%Y-%m-%d %H:%M:%S}"
            )
    return pd.Series(out, dtype=object)


def rule_attention(frame: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """The attention item differs from ``checks.attention.expected`` (no answer fails too)."""
    check = codebook.checks["attention"]
    answer = frame["attention"]
    bad = answer.ne(float(check.expected)) | answer.isna()
    return pd.Series(
        {i: f"{check.id}={_fmt(answer[i])} (expected {_fmt(check.expected)})" for i in frame.index[bad]}, dtype=object
    )


def wave_median_durations(received: pd.DataFrame) -> dict[str, float]:
    """Median ``Duration (in seconds)`` of the finished responses of each wave (all received)."""
    finished = received[received["finished"].eq(1)]
    return {str(w): float(d.median()) for w, d in finished.groupby("wave")["duration_s"]}


def rule_speeder(frame: pd.DataFrame, medians: dict[str, float], share: float) -> pd.Series:
    """Duration below ``share`` x the wave's median duration of finished responses."""
    out = {}
    for idx in frame.index:
        median = medians.get(frame.at[idx, "wave"], math.nan)
        limit = share * median
        duration = frame.at[idx, "duration_s"]
        # a duration within nero.tolerances.CUT_TOL (relative) of the limit is on it: not a speeder
        if not math.isnan(limit) and below(duration, limit, CUT_TOL * max(1.0, abs(limit))):
            out[idx] = f"Duration {_fmt(duration)} s < {share:g} x wave median {_fmt(median)} s = {_fmt(limit)} s"
    return pd.Series(out, dtype=object)


def longest_run(values: np.ndarray) -> int:
    """Length of the longest run of equal, non-missing consecutive values.

    Examples
    --------
    >>> longest_run(np.array([1, 1, 2, 2, 2, np.nan, 2]))
    3
    """
    best = run = 0
    previous = math.nan
    for value in values:
        if math.isnan(value):
            run, previous = 0, math.nan
            continue
        run = run + 1 if value == previous else 1
        previous = value
        best = max(best, run)
    return best


def rule_straightliner(frame: pd.DataFrame, items: list[str], run: int, sd: float) -> pd.Series:
    """Long-string (longest run >= ``run``) or near-zero within-person SD (< ``sd``) over the battery.

    The battery is the Likert items in codebook order, as answered (before reverse
    coding); the SD is the sample SD (n - 1) over the answered items.
    """
    out = {}
    values = frame[items].to_numpy(dtype=float)
    for position, idx in enumerate(frame.index):
        row = values[position]
        answered = row[~np.isnan(row)]
        longest = longest_run(row)
        spread = float(np.std(answered, ddof=1)) if len(answered) > 1 else math.nan
        parts = []
        if longest >= run:
            parts.append(f"longest run {longest} >= {run}")
        if not math.isnan(spread) and below(spread, sd):  # an SD within CUT_TOL of the cut-off is on it
            parts.append(f"within-person SD {spread:.3f} < {sd:g}")
        if parts:
            out[idx] = "; ".join(parts) + f" over {len(items)} items"
    return pd.Series(out, dtype=object)


def rule_out_of_range(frame: pd.DataFrame, failures: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """A Likert answer outside the scale, or a firm variable unparseable / out of range.

    ``failures`` is :attr:`TypedTable.failures` (the :func:`codebook_schema` failures plus
    unparseable entries); the attention item's failures are left to ``attention``.
    """
    relevant = failures[failures["column"].isin([*codebook.item_names, *codebook.firm_fields])]
    relevant = relevant[relevant["_position"].isin(frame.index)]
    out = {}
    for position, group in relevant.groupby("_position", sort=True):
        parts = [f"{r.column} ({r.export_column})={r.value}: expected {r.check}" for r in group.itertuples()]
        out[position] = "; ".join(parts)
    return pd.Series(out, dtype=object)


# ---------------------------------------------------------------------------------------
# multivariate outliers
# ---------------------------------------------------------------------------------------


def mahalanobis_outliers(frame: pd.DataFrame, items: list[str], p_threshold: float) -> pd.DataFrame:
    """Squared Mahalanobis distance of each response from the centroid, with its p-value.

    Parameters
    ----------
    frame : pandas.DataFrame
        Responses (rows) with the item columns.
    items : list of str
        Items over which the distance is taken.
    p_threshold : float
        A response is flagged when ``P(chi2(len(items)) > d2) < p_threshold``.

    Returns
    -------
    pandas.DataFrame
        Index of ``frame``; columns ``mahalanobis_d2``, ``df``, ``p``, ``mv_outlier``
        (0/1). Responses with a missing item get NaN distance and flag 0; the centroid and
        covariance (n - 1) are those of the complete responses.
    """
    from scipy import stats

    x = frame[items].to_numpy(dtype=float)
    complete = ~np.isnan(x).any(axis=1)
    d2 = np.full(len(frame), np.nan)
    if complete.sum() > len(items):
        xc = x[complete]
        centre = xc.mean(axis=0)
        cov = np.cov(xc, rowvar=False)
        inverse = np.linalg.pinv(cov)
        diff = xc - centre
        d2[complete] = np.einsum("ij,jk,ik->i", diff, inverse, diff)
    p = stats.chi2.sf(d2, df=len(items))
    flag = np.where(np.isnan(p), 0, below_alpha(p, p_threshold).astype(int))  # p within P_TOL of the cut: not flagged
    return pd.DataFrame({"mahalanobis_d2": d2, "df": len(items), "p": p, "mv_outlier": flag}, index=frame.index)
