"""The specification curve of one claim (Simonsohn, Simmons & Nelson 2020, Figure 2 style).

Top panel: the claim's statistic in every specification, sorted, with its interval where it
has one, each point coloured by the specification's verdict, the shipped specification
marked (a black ring and a dotted vertical line), and the limit the rule compares the
statistic with as a dashed line. Bottom panel, the dashboard: one row per choice that some
specification makes, a mark under each specification that makes it. A claim whose statistic
is not a number (a verdict citing other claims) is drawn at its verdict (0 not supported,
0.5 inconclusive, 1 supported).

Drawn with matplotlib (the project's plotting library); the PNG carries no timestamp or
software tag, so the same rows give the same bytes.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

#: Verdict -> colour of its points (the report's verdict badges use the same three hues).
COLOURS = {"supported": "#2e7d32", "not supported": "#c62828", "inconclusive": "#9e9e9e"}
_AS_NUMBER = {"supported": 1.0, "inconclusive": 0.5, "not supported": 0.0}


def curve_order(rows: pd.DataFrame) -> pd.DataFrame:
    """The claim's rows in curve order: by statistic (or verdict), ties by specification id."""
    frame = rows.copy()
    numeric = frame["statistic"].notna().any()
    frame["_y"] = frame["statistic"] if numeric else frame["verdict"].map(_AS_NUMBER)
    frame["_y"] = frame["_y"].fillna(frame["verdict"].map(_AS_NUMBER) if not numeric else math.nan)
    return frame.sort_values(["_y", "specification"], kind="stable", na_position="first").reset_index(drop=True)


def _dashboard_rows(frame: pd.DataFrame) -> list[str]:
    """Every ``dimension: option`` some specification chooses, shipped choices omitted."""
    seen: list[str] = []
    for text in frame["choices"].fillna(""):
        for part in [p.strip() for p in str(text).split(";") if p.strip()]:
            if not part.endswith("(shipped)") and part not in seen:
                seen.append(part)
    return seen


def draw_curve(rows: pd.DataFrame, claim_id: str, path_png: str | Path) -> Path:
    """Draw the specification curve of ``claim_id`` (:func:`curve_figure`) into ``path_png``."""
    import matplotlib.pyplot as plt

    fig = curve_figure(rows, claim_id)
    path_png = Path(path_png)
    path_png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path_png, dpi=90, metadata={"Software": None})
    plt.close(fig)
    return path_png


def curve_figure(rows: pd.DataFrame, claim_id: str):
    """The specification-curve figure of ``claim_id`` from its rows of specifications.csv.

    Parameters
    ----------
    rows : DataFrame
        The claim's rows (columns of :data:`nero.multiverse.evaluate.SPEC_COLUMNS`); exactly
        one has ``shipped`` true.
    claim_id : str

    Returns
    -------
    matplotlib.figure.Figure
        Axes 0: the curve (the shipped specification is the collection labelled
        "shipped specification"); axes 1: the dashboard of choices.

    Raises
    ------
    ValueError
        When the rows do not hold exactly one shipped specification.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = curve_order(rows)
    frame["shipped"] = frame["shipped"].map(lambda v: str(v).strip().lower() in ("true", "1"))
    if int(frame["shipped"].sum()) != 1:
        raise ValueError(
            f"{claim_id}: the specification curve needs exactly one shipped specification, "
            f"got {int(frame['shipped'].sum())}"
        )
    choices = _dashboard_rows(frame)
    n = len(frame)
    x = list(range(1, n + 1))
    width = max(7.5, 0.18 * n + 5)
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(width, 3.2 + 0.22 * max(1, len(choices))),
        sharex=True,
        gridspec_kw={"height_ratios": [3, max(1, 0.35 * len(choices))]},
    )
    numeric = frame["statistic"].notna().any()
    y = frame["_y"]
    for i, r in frame.iterrows():
        colour = COLOURS.get(str(r["verdict"]), "#9e9e9e")
        if numeric and pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]):
            top.vlines(x[i], r["ci_low"], r["ci_high"], colors=colour, alpha=0.5, linewidth=1.2)
        top.scatter([x[i]], [y[i]], s=22, color=colour, zorder=3)
    shipped_at = int(frame.index[frame["shipped"]][0])
    top.scatter(
        [x[shipped_at]],
        [y[shipped_at]],
        s=110,
        facecolors="none",
        edgecolors="black",
        linewidths=1.5,
        zorder=4,
        label="shipped specification",
    )
    top.axvline(x[shipped_at], color="black", linestyle=":", linewidth=0.8)
    limits = frame["limit"].dropna().unique()
    if numeric and len(limits) == 1:
        top.axhline(
            float(limits[0]), color="#555555", linestyle="--", linewidth=0.8, label=f"rule's limit {limits[0]:g}"
        )
    for verdict, colour in COLOURS.items():
        top.scatter([], [], s=22, color=colour, label=verdict)
    label = (
        str(frame["statistic_label"].dropna().iloc[0])
        if numeric and frame["statistic_label"].notna().any()
        else "verdict"
    )
    top.set_ylabel(label if len(label) <= 40 else label[:37] + "...", fontsize=8)
    if not numeric:
        top.set_yticks([0, 0.5, 1])
        top.set_yticklabels(["not supported", "inconclusive", "supported"], fontsize=7)
    k = int((frame["verdict"] == "supported").sum())
    top.set_title(f"{claim_id}: {k} of {n} specifications support it", fontsize=9)
    top.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    top.tick_params(labelsize=7)
    for j, choice in enumerate(choices):
        marks = [
            x[i]
            for i, text in enumerate(frame["choices"].fillna(""))
            if choice in [p.strip() for p in str(text).split(";")]
        ]
        bottom.scatter(marks, [j] * len(marks), marker="|", s=60, color="#333333")
    bottom.set_yticks(range(len(choices)))
    bottom.set_yticklabels([c if len(c) <= 44 else c[:41] + "..." for c in choices], fontsize=6)
    bottom.set_ylim(-0.7, max(0.7, len(choices) - 0.3))
    bottom.invert_yaxis()
    bottom.set_xlabel("specification (sorted by the statistic)", fontsize=8)
    bottom.set_xlim(0.3, n + 0.7)
    bottom.tick_params(labelsize=7)
    if not choices:
        bottom.text(
            0.5,
            0.5,
            "no alternative touches this claim: the shipped specification only",
            transform=bottom.transAxes,
            ha="center",
            va="center",
            fontsize=7,
        )
        bottom.set_yticks([])
    # fixed margins in inches (2.55 for the dashboard's labels, 1.35 for the legend), so that a wide
    # curve of many specifications is not framed by empty space; tight_layout costs 0.3 s a figure
    fig.subplots_adjust(left=2.55 / width, right=1 - 1.35 / width, top=0.9, bottom=0.12, hspace=0.08)
    return fig
