"""Quick checks of the DGP's promises to the later stages.

These are deliberately small re-implementations (numpy only) so the generator
can verify, on the data it writes, that

* CAP is (near-)necessary for SCO: necessity consistency
  ``sum(min(CAP, SCO)) / sum(SCO) >= 0.90``;
* each archetype recipe is recovered by a truth-table analysis at consistency
  cut 0.80: the truth-table row holding exactly the recipe's conditions is
  populated and consistent, and none of the rows obtained by removing one of
  the recipe's conditions is. Under Quine-McCluskey minimisation every prime
  implicant covering that row then contains all the recipe's conditions, so
  the recipe is (part of) a complex and an intermediate solution term (with
  directional expectations "present");
* a linear model finds a positive indirect effect of network ambidexterity
  (centred INST x centred VIRT) on SCO through CAP, and a positive CAP x MKT
  moderation.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from nero.simulate.dgp_parameters import RECIPES

#: fsQCA conditions of the study, in truth-table order.
CONDITIONS = ("INST", "VIRT", "EFF", "MKT", "CAP")


def calibrate_direct(
    x: np.ndarray, exclusion: float = 2.5, crossover: float = 4.0, inclusion: float = 5.5
) -> np.ndarray:
    """Ragin's direct method: log-odds 3 at ``inclusion``, -3 at ``exclusion``, 0 at ``crossover``."""
    x = np.asarray(x, dtype=float)
    above = (x - crossover) * 3.0 / (inclusion - crossover)
    below = (x - crossover) * 3.0 / (crossover - exclusion)
    return 1.0 / (1.0 + np.exp(-np.where(x >= crossover, above, below)))


def construct_means(items: pd.DataFrame, codebook: dict[str, Any]) -> pd.DataFrame:
    """Construct scores (item means, NaN-skipping) from *recoded* canonical items."""
    return pd.DataFrame(
        {name: items[spec["items"]].mean(axis=1, skipna=True) for name, spec in codebook["constructs"].items()},
        index=items.index,
    )


def recode_reverse(items: pd.DataFrame, codebook: dict[str, Any]) -> pd.DataFrame:
    """Recode reverse-worded items as ``min + max - x``."""
    lo, hi = codebook["scale"]["min"], codebook["scale"]["max"]
    out = items.copy()
    for name, spec in codebook["items"].items():
        if spec.get("reverse", False) and name in out:
            out[name] = lo + hi - out[name]
    return out


def truth_table(members: dict[str, np.ndarray], outcome: np.ndarray, conditions=CONDITIONS) -> pd.DataFrame:
    """Truth table: one row per corner with case count (membership > 0.5), consistency and PRI."""
    x = np.column_stack([members[c] for c in conditions])
    rows = []
    for bits in itertools.product((0, 1), repeat=len(conditions)):
        mem = np.min(np.where(np.array(bits) == 1, x, 1.0 - x), axis=1)
        inter = np.minimum(mem, outcome)
        both = np.minimum(inter, 1.0 - outcome)
        total = mem.sum()
        rows.append(
            {
                **dict(zip(conditions, bits)),
                "n": int((mem > 0.5).sum()),
                "consistency": float(inter.sum() / total) if total > 0 else float("nan"),
                "pri": float((inter.sum() - both.sum()) / (total - both.sum())) if total > both.sum() else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def dgp_checks(
    construct_scores: pd.DataFrame,
    freq_threshold: int = 2,
    cut: float = 0.80,
    recipes: tuple[tuple[str, tuple[str, ...]], ...] = RECIPES,
) -> dict[str, Any]:
    """Run every promise check on construct means (7-point scale) of the usable firms.

    Parameters
    ----------
    construct_scores
        Columns INST, VIRT, EFF, MKT, CAP, SCO (item means, reverse items recoded).
    freq_threshold
        Minimum number of cases for a truth-table row to count as observed.
    cut
        Raw-consistency threshold.
    recipes
        The planted recipes (``DGPParameters.recipes``; default the four archetypes).

    Returns
    -------
    dict
        ``necessity_CAP``, per-recipe results (``recipes``), ``recipes_recovered``,
        the OLS path estimates (``a_ambidexterity_to_CAP``, ``b_CAP_to_SCO``,
        ``indirect_effect``, ``moderation_CAPxMKT``) and ``n``.
    """
    members = {c: calibrate_direct(construct_scores[c].to_numpy()) for c in CONDITIONS}
    outcome = calibrate_direct(construct_scores["SCO"].to_numpy())
    table = truth_table(members, outcome)

    def row(bits: tuple[int, ...]) -> dict[str, Any]:
        mask = np.ones(len(table), dtype=bool)
        for c, b in zip(CONDITIONS, bits):
            mask &= table[c].to_numpy() == b
        return table[mask].iloc[0].to_dict()

    def positive(r: dict[str, Any]) -> bool:
        return r["n"] >= freq_threshold and r["consistency"] >= cut

    found = []
    for name, conds in recipes:
        pure = tuple(int(c in conds) for c in CONDITIONS)
        pure_row = row(pure)
        downs = []
        for j, c in enumerate(CONDITIONS):
            if c in conds:
                bits = tuple(0 if k == j else v for k, v in enumerate(pure))
                r = row(bits)
                downs.append(
                    {"dropped": c, "n": r["n"], "consistency": round(r["consistency"], 4), "positive": positive(r)}
                )
        found.append(
            {
                "name": name,
                "conditions": list(conds),
                "row_n": pure_row["n"],
                "row_consistency": round(pure_row["consistency"], 4),
                "row_pri": round(pure_row["pri"], 4),
                "recipe_consistency": round(
                    float(
                        np.minimum(np.minimum.reduce([members[c] for c in conds]), outcome).sum()
                        / np.minimum.reduce([members[c] for c in conds]).sum()
                    ),
                    4,
                ),
                "neighbours": downs,
                "recovered": positive(pure_row) and not any(d["positive"] for d in downs),
            }
        )
    necessity = float(np.minimum(members["CAP"], outcome).sum() / outcome.sum())

    def z(name: str) -> np.ndarray:
        v = construct_scores[name].to_numpy(dtype=float)
        return (v - v.mean()) / v.std()

    inst, virt, cap, sco, mkt = z("INST"), z("VIRT"), z("CAP"), z("SCO"), z("MKT")
    amb = inst * virt
    one = np.ones_like(inst)
    a = np.linalg.lstsq(np.column_stack([one, inst, virt, amb]), cap, rcond=None)[0][3]
    b = np.linalg.lstsq(np.column_stack([one, inst, virt, amb, cap]), sco, rcond=None)[0][4]
    m = np.linalg.lstsq(np.column_stack([one, cap, mkt, cap * mkt]), sco, rcond=None)[0][3]
    return {
        "n": int(len(construct_scores)),
        "freq_threshold": freq_threshold,
        "consistency_cut": cut,
        "necessity_CAP": round(necessity, 4),
        "recipes": found,
        "recipes_recovered": all(r["recovered"] for r in found),
        "a_ambidexterity_to_CAP": round(float(a), 4),
        "b_CAP_to_SCO": round(float(b), 4),
        "indirect_effect": round(float(a * b), 4),
        "moderation_CAPxMKT": round(float(m), 4),
    }
