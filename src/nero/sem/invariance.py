"""Measurement invariance by multi-group ML CFA with equality constraints.

``semopy.multigroup`` fits each group on its own and cannot constrain parameters
across groups, so the multi-group model is fitted here directly (hand-written, with
lavaan's parameterisation, in :mod:`nero.sem.multigroup`): for group g,

    Sigma_g = Lambda_g Phi_g Lambda_g' + Theta_g,     mu_g = nu_g + Lambda_g alpha_g,

every factor scaled by a marker loading of 1. With missing item answers the fit is by
full-information ML (``missing="fiml"``, the default, lavaan's ``missing = "ml"``): the
casewise likelihood of every group is summed over its missing-data patterns (Arbuckle
1996),

    F = -2 logL / N = (1 / N) sum_g sum_patterns n_pg [log|Sigma_g,oo| + p_pg log 2 pi
                                                   + tr(Sigma_g,oo^-1 W_pg)],

W_pg the pattern's moments about mu_g,o, minimised with L-BFGS-B and its analytic
gradient; chi2 = 2 sum_g (logL_g(H1) - logL_g), H1 the unrestricted model of each group
(EM), and the baseline the independence model of each group (available-case means and
variances), as for the single-group fits (:mod:`nero.sem.ml`). With complete data (or
``missing="listwise"``) this is the usual stacked ML discrepancy, chi2 = N F - N F(S).
SRMR uses each group's H1 moments. Levels (Meredith 1993; Vandenberg & Lance 2000):

- configural: same pattern, all parameters free per group, latent means 0;
- metric: loadings equal across groups;
- scalar: loadings and intercepts equal, latent means free except in the first group;
- strict (optional): also residual variances equal.

Invariance holds at a level when the chi-square difference test to the previous level
is not significant, or, the rule used for the verdict, when CFI drops by no more than
0.01 (Cheung & Rensvold 2002); the change in RMSEA (<= 0.015, Chen 2007) is reported
too. The configural chi2 equals the sum of the per-group chi2 of single-group fits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nero.tolerances import P_TOL, at_least

from ._common import SemInputError, frame_text, numeric_frame, require_columns, run_with_time_limit
from .cfa import DEFAULT_MAX_ITER, DEFAULT_TIME_LIMIT, fit_cfa
from .fitindices import chi2_difference, fit_indices, srmr
from .multigroup import LEVELS, _baseline, _Group, _mg_job
from .syntax import measurement_syntax


@dataclass
class InvarianceResult:
    """Fit of each invariance level and the tests between consecutive levels."""

    fits: pd.DataFrame
    comparisons: pd.DataFrame
    group_column: str
    groups: list[str]
    group_sizes: list[int]
    configural_check: dict[str, Any] = field(default_factory=dict)
    estimates: dict[str, list[dict]] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        return self.fits.merge(self.comparisons, on="level", how="left")

    def summary(self) -> str:
        lines = [
            f"Measurement invariance across {self.group_column} ({', '.join(f'{g}: N={n}' for g, n in zip(self.groups, self.group_sizes))})",
            frame_text(self.fits[["level", "chi2", "df", "p", "cfi", "tli", "rmsea", "srmr", "converged"]]),
            frame_text(self.comparisons),
        ]
        if self.configural_check:
            c = self.configural_check
            lines.append(
                f"Configural chi2 {c['configural_chi2']:.3f} vs sum of single-group chi2 "
                f"{c['sum_single_group_chi2']:.3f} (each group fitted alone)"
            )
        return "\n".join(lines)


def _usable_rows(data: pd.DataFrame, group: str, items: list[str], missing: str) -> tuple[pd.DataFrame, list]:
    """Rows with a group and at least one item answered (all items when listwise), and the group labels."""
    require_columns(data, [group], "data")
    frame = numeric_frame(
        data.assign(**{"__group__": data[group]}), items, what="data", min_rows=5, dropna=missing == "listwise"
    )
    frame = frame[frame[items].notna().any(axis=1)]
    frame["__group__"] = data.loc[frame.index, group]
    frame = frame.dropna(subset=["__group__"])
    labels = sorted(pd.unique(frame["__group__"]), key=str)
    if len(labels) < 2:
        raise SemInputError(f"data: column {group!r} must have at least two groups for invariance tests")
    return frame, labels


def _factor_pattern(factors: Mapping[str, Sequence[str]], items: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which item loads on which factor, and which item is each factor's marker (its first)."""
    pattern = np.zeros((len(items), len(factors)), bool)
    markers = np.zeros_like(pattern)
    for f, name in enumerate(factors):
        for a, item in enumerate(factors[name]):
            pattern[items.index(item), f] = True
            if a == 0:
                markers[items.index(item), f] = True
    return pattern, markers


def _group_data(frame: pd.DataFrame, labels: list, items: list[str], group: str) -> list[_Group]:
    """Each group's missing-data patterns and H1 moments; refuses groups too small or with an item unanswered."""
    groups = []
    for lab in labels:
        x = frame.loc[frame["__group__"] == lab, items].to_numpy(float)
        if len(x) <= len(items):
            raise SemInputError(
                f"data: group {lab!r} of {group!r} has {len(x)} usable rows; more than {len(items)} needed"
            )
        unanswered = [item for item, seen in zip(items, (~np.isnan(x)).any(axis=0)) if not seen]
        if unanswered:
            raise SemInputError(
                f"data: group {lab!r} of {group!r} has no answer to {', '.join(unanswered)}; "
                "every item needs answers in every group"
            )
        groups.append(_Group.from_values(x))
    return groups


def _level_row(
    raw: dict, groups: list[_Group], baseline: tuple[float, int], items: list[str], labels: list
) -> dict[str, Any]:
    """Fit indices, convergence and negative residual variances of one fitted level."""
    n_total = sum(grp.n for grp in groups)
    p = len(items)
    df = len(groups) * (p * (p + 1) // 2 + p) - raw["n_par"]
    sr = sum(
        (grp.n / n_total) * srmr(grp.cov, gr["sigma"], grp.mean, gr["mu"]) for grp, gr in zip(groups, raw["groups"])
    )
    row = fit_indices(raw["chi2"], df, n_total, baseline, sr, n_groups=len(groups))
    row.update(
        {
            "converged": raw["converged"],
            "reason": "converged"
            if raw["converged"]
            else f"not converged (max |gradient| {raw['max_grad']:.2g}): {raw['message']}",
            "n_iter": raw["n_iter"],
            "n_parameters": raw["n_par"],
        }
    )
    row["negative_variances"] = "; ".join(
        f"{items[j]} ({labels[g]})"
        for g, gr in enumerate(raw["groups"])
        for j in range(p)
        if gr["theta"][j] < -NEGATIVE_VARIANCE_TOL
    )
    return row


def _level_estimates(raw: dict, items: list[str], names: list[str], labels: list) -> list[dict]:
    """Loadings, intercepts and latent means of every group at one level."""
    return [
        {
            "group": str(lab),
            "loadings": pd.DataFrame(gr["lambda"], index=items, columns=names),
            "intercepts": pd.Series(gr["nu"], index=items),
            "latent_means": pd.Series(gr["alpha"], index=names),
        }
        for lab, gr in zip(labels, raw["groups"])
    ]


#: A residual variance below minus this is negative (the CFA's bound tolerance, cfa._problems' bound_tol).
NEGATIVE_VARIANCE_TOL = 1e-6


def _compare_levels(fits: pd.DataFrame, levels: list[str], delta_cfi: float) -> pd.DataFrame:
    """Chi-square difference test and change in CFI and RMSEA between consecutive levels."""
    by_level = fits.set_index("level")
    comps = []
    for prev, cur in zip(levels, levels[1:]):
        a, b = by_level.loc[prev], by_level.loc[cur]
        row = {"level": cur, "compared_with": prev}
        if bool(a.get("converged")) and bool(b.get("converged")):
            row.update(chi2_difference(b["chi2"], int(b["df"]), a["chi2"], int(a["df"])))
            row["delta_cfi"] = b["cfi"] - a["cfi"]
            row["delta_rmsea"] = b["rmsea"] - a["rmsea"]
            # nero.tolerances: a CFI drop within CUT_TOL of the limit meets it; p within P_TOL of .05 is not below
            row["invariance_cfi_rule"] = bool(at_least(row["delta_cfi"], -delta_cfi))
            row["invariance_chi2_test"] = bool(at_least(row["p"], 0.05, P_TOL))
        else:
            row["note"] = "not tested: a level did not converge"
        comps.append(row)
    return pd.DataFrame(
        comps,
        columns=[
            "level",
            "compared_with",
            "delta_chi2",
            "delta_df",
            "p",
            "delta_cfi",
            "delta_rmsea",
            "invariance_cfi_rule",
            "invariance_chi2_test",
        ]
        + (["note"] if any("note" in c for c in comps) else []),
    )


def _configural_check(
    frame: pd.DataFrame,
    factors: Mapping[str, Sequence[str]],
    items: list[str],
    labels: list,
    group: str,
    fits: pd.DataFrame,
    missing: str,
    time_limit,
    max_iter,
) -> dict[str, Any]:
    """The configural chi2 beside the sum of the chi2 of each group fitted alone (they must be equal)."""
    text = measurement_syntax(dict(factors))
    single = []
    for lab in labels:
        sub = frame.loc[frame["__group__"] == lab, items]
        r = fit_cfa(
            sub, text, time_limit=time_limit, max_iter=max_iter, std_se=False, name=f"{group}={lab}", missing=missing
        )
        single.append(r.fit.get("chi2", math.nan) if r.converged else math.nan)
    conf = fits.set_index("level").loc["configural"]
    return {
        "configural_chi2": float(conf.get("chi2", math.nan)),
        "sum_single_group_chi2": float(sum(single)),
        "single_group_chi2": {str(l): float(c) for l, c in zip(labels, single)},
    }


def measurement_invariance(
    data: pd.DataFrame,
    factors: Mapping[str, Sequence[str]],
    group: str = "wave",
    levels: Sequence[str] = ("configural", "metric", "scalar"),
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_iter: int = DEFAULT_MAX_ITER,
    check_configural: bool = True,
    delta_cfi: float = 0.01,
    missing: str = "fiml",
) -> InvarianceResult:
    """Configural, metric and scalar (optionally strict) multi-group CFA.

    Parameters
    ----------
    data : DataFrame
        Item data with the ``group`` column.
    factors : mapping
        Factor -> items (simple structure; the first item is the marker).
    group : str
        Grouping column (e.g. the survey wave).
    levels : sequence of str
        Levels to fit, in order, from ``configural``, ``metric``, ``scalar``, ``strict``.
    time_limit, max_iter
        Limits of every fit (each level runs in a worker process).
    check_configural : bool
        Also fit each group alone (same ``missing``) and report the sum of their chi2, which
        must equal the configural chi2.
    delta_cfi : float
        The CFI rule: invariance is supported when CFI drops by at most this much.
    missing : {'fiml', 'listwise'}
        ``"fiml"`` (default): every row with at least one item answered, by full-information
        ML (lavaan's ``missing = "ml"``); ``"listwise"``: complete rows only.
    """
    if missing not in ("fiml", "listwise"):
        raise SemInputError(f"measurement_invariance: missing must be 'fiml' or 'listwise', not {missing!r}")
    levels = list(levels)
    bad = [lv for lv in levels if lv not in LEVELS]
    if bad:
        raise SemInputError(f"measurement_invariance: unknown level(s) {bad}; use {LEVELS}")
    items = [i for its in factors.values() for i in its]
    names = list(factors)
    frame, labels = _usable_rows(data, group, items, missing)
    pattern, markers = _factor_pattern(factors, items)
    groups = _group_data(frame, labels, items, group)
    n_total = sum(grp.n for grp in groups)
    baseline = _baseline(groups)
    rows, estimates = [], {}
    for level in levels:
        status, raw, seconds = run_with_time_limit(
            _mg_job, (groups, pattern, markers, level, max_iter), time_limit=time_limit
        )
        row: dict[str, Any] = {"level": level, "n_obs": n_total, "missing": missing, "seconds": seconds}
        if status != "ok":
            row.update({"converged": False, "reason": "time limit" if status == "time limit" else f"error: {raw}"})
        else:
            row.update(_level_row(raw, groups, baseline, items, labels))
            estimates[level] = _level_estimates(raw, items, names, labels)
        rows.append(row)
    fits = pd.DataFrame(rows)
    comparisons = _compare_levels(fits, levels, delta_cfi)
    check = {}
    if check_configural and "configural" in levels:
        check = _configural_check(frame, factors, items, labels, group, fits, missing, time_limit, max_iter)
    return InvarianceResult(
        fits, comparisons, group, [str(l) for l in labels], [grp.n for grp in groups], check, estimates
    )
