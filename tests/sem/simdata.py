"""Data simulated inside the tests from known models (no dependency on nero.simulate)."""

from __future__ import annotations

import numpy as np
import pandas as pd

CONSTRUCTS = {
    "INST": ["INST1", "INST2", "INST3", "INST4", "INST5"],
    "VIRT": ["VIRT1", "VIRT2", "VIRT3", "VIRT4", "VIRT5"],
    "EFF": ["EFF1", "EFF2", "EFF3", "EFF4"],
    "MKT": ["MKT1", "MKT2", "MKT3", "MKT4"],
    "CAP": ["CAP1", "CAP2", "CAP3", "CAP4", "CAP5"],
    "SCO": ["SCO1", "SCO2", "SCO3", "SCO4", "SCO5"],
    "MARKER": ["MARK1", "MARK2", "MARK3"],
}

CODEBOOK = {
    "constructs": {
        name: {"items": items, **({"marker": True} if name == "MARKER" else {})} for name, items in CONSTRUCTS.items()
    }
}


def simulate_process_data(
    seed: int, n: int = 400, a: float = 0.5, b: float = 0.4, c: float = 0.1, b3: float = 0.25
) -> pd.DataFrame:
    """X -> M -> Y with M -> Y moderated by W: M = a X + e, Y = c X + b M + 0.3 W + b3 M W + e."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    w = rng.normal(size=n)
    cov1 = rng.normal(size=n)
    m = a * x + 0.2 * cov1 + rng.normal(size=n)
    y = c * x + b * m + 0.3 * w + b3 * m * w + 0.2 * cov1 + rng.normal(size=n)
    return pd.DataFrame({"x": x, "m": m, "w": w, "y": y, "cov1": cov1})


def simulate_clean_table(seed: int, n: int = 300, loading: float = 0.8) -> pd.DataFrame:
    """A clean survey table (docs/architecture.md columns) from a latent linear model.

    Latent: INST, VIRT, EFF, MKT standard normal (INST-VIRT r = .3); CAP = .35 INST*VIRT +
    .3 INST + e; SCO = .4 CAP + .2 MKT + .35 CAP*MKT + e; MARKER independent. Items:
    round(4 + 1.2 * (loading * factor + sqrt(1 - loading^2) * e)) clipped to 1..7.
    """
    rng = np.random.default_rng(seed)
    inst = rng.normal(size=n)
    virt = 0.3 * inst + np.sqrt(1 - 0.09) * rng.normal(size=n)
    eff = rng.normal(size=n)
    mkt = 0.2 * inst + rng.normal(size=n)
    cap = 0.35 * inst * virt + 0.3 * inst + rng.normal(scale=0.8, size=n)
    sco = 0.4 * cap + 0.2 * mkt + 0.35 * cap * mkt + rng.normal(scale=0.8, size=n)
    marker = rng.normal(size=n)
    latent = {"INST": inst, "VIRT": virt, "EFF": eff, "MKT": mkt, "CAP": cap, "SCO": sco, "MARKER": marker}
    data = {}
    for name, items in CONSTRUCTS.items():
        f = latent[name] / latent[name].std()
        for item in items:
            raw = loading * f + np.sqrt(1 - loading**2) * rng.normal(size=n)
            data[item] = np.clip(np.round(4 + 1.2 * raw), 1, 7)
    df = pd.DataFrame(data)
    for name, items in CONSTRUCTS.items():
        df[name] = df[items].mean(axis=1)
    wave = np.where(np.arange(n) < n // 2, "wave-1", "wave-2")
    start = np.where(wave == "wave-1", np.datetime64("2025-03-01"), np.datetime64("2025-09-01"))
    df.insert(0, "recorded_date", (start + rng.integers(0, 50, size=n).astype("timedelta64[D]")).astype(str))
    df.insert(0, "wave", wave)
    df.insert(0, "response_id", [f"R_{i:04d}" for i in range(n)])
    df.insert(0, "firm_code", [f"F{i:04d}" for i in range(n)])
    employees = np.clip(np.round(np.exp(rng.normal(3, 0.8, size=n))), 1, 199)
    founding = rng.integers(1980, 2022, size=n)
    markets = rng.integers(0, 30, size=n)
    df["employees"] = employees
    df["founding_year"] = founding
    df["sector"] = rng.integers(1, 7, size=n)
    df["foreign_markets"] = markets
    df["years_abroad"] = rng.integers(0, 20, size=n)
    df["log_employees"] = np.log(employees)
    df["log_firm_age"] = np.log(2025 - founding + 1)
    df["log_foreign_markets"] = np.log1p(markets)
    df["mv_outlier"] = 0
    return df
