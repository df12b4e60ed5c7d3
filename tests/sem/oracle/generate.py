"""Write the inputs of the lavaan oracle: the generated CFA/SEM specifications with their
simulated data (``inputs/generated/``), the edge cases, and the two example data sets.

Run by ``make oracle`` before the R scripts (``python tests/sem/oracle/generate.py``);
the outputs are committed, so the default test suite needs neither this step nor R.
Every specification is drawn from ``numpy.random.default_rng(20261207 + i)``; the data
are rounded to 4 decimals, so R and Python read identical numbers from the CSV.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
N_SPECS = 50
SEED = 20261207


def _simulate(rng, spec_struct, n):
    """Data from a population model: factors with loadings, regressions, residual correlations."""
    k = spec_struct["k"]
    xs = rng.normal(size=(n, spec_struct["n_x"]))
    eta = np.zeros((n, k))
    for j in range(k):
        eta[:, j] = rng.normal(size=n) * 0.8
        if j > 0 and spec_struct["structural"]:
            eta[:, j] += 0.4 * eta[:, j - 1]
        for q in range(spec_struct["n_x"]):
            if j == 0:
                eta[:, j] += 0.3 * xs[:, q]
    if spec_struct["second_order"]:
        g = rng.normal(size=n)
        eta = eta * 0.6 + g[:, None] * 0.7
    cols = {}
    for j in range(k):
        for i in range(spec_struct["items"][j]):
            lam = rng.uniform(0.5, 0.95)
            cols[f"y{j + 1}_{i + 1}"] = 3.0 + lam * eta[:, j] + rng.normal(size=n) * rng.uniform(0.5, 0.9)
    names = list(cols)
    if spec_struct["corr_resid"]:
        shared = rng.normal(size=n) * 0.4
        cols[names[0]] = cols[names[0]] + shared
        cols[names[-1]] = cols[names[-1]] + shared
    for q in range(spec_struct["n_x"]):
        cols[f"x{q + 1}"] = xs[:, q]
    return pd.DataFrame(cols)


def make_spec(i: int) -> tuple[dict, pd.DataFrame]:
    """One random specification and its data."""
    rng = np.random.default_rng(SEED + i)
    k = int(rng.integers(1, 4))
    items = [int(rng.integers(3, 6)) for _ in range(k)]
    st = {
        "k": k,
        "items": items,
        "n_x": int(rng.integers(0, 3)) if i % 2 else 0,
        "structural": k > 1 and bool(rng.integers(0, 2)),
        "second_order": k == 3 and i % 2 == 0,
        "corr_resid": bool(rng.integers(0, 2)) and k > 1,  # across factors: identified
        "equal": bool(rng.integers(0, 2)),
    }
    n = int(rng.integers(150, 401))
    data = _simulate(rng, st, n).round(4)
    lines = []
    for j in range(k):
        terms = [f"y{j + 1}_{t + 1}" for t in range(items[j])]
        if st["equal"] and j == 0:
            terms[1] = f"eq1*{terms[1]}"
            terms[2] = f"eq1*{terms[2]}"
        lines.append(f"F{j + 1} =~ " + " + ".join(terms))
    if st["second_order"]:
        lines.append("H =~ F1 + F2 + F3")
    elif st["structural"]:
        for j in range(1, k):
            lines.append(f"F{j + 1} ~ F{j}")
    if st["n_x"]:
        lines.append("F1 ~ " + " + ".join(f"x{q + 1}" for q in range(st["n_x"])))
    if st["corr_resid"]:
        first, last = "y1_1", f"y{k}_{items[-1]}"
        lines.append(f"{first} ~~ {last}")
    missing = "fiml" if i % 3 != 0 else "listwise"
    if missing == "fiml":
        ys = [c for c in data.columns if c.startswith("y")]
        rate = rng.uniform(0.03, 0.12)
        mask = rng.random((len(data), len(ys))) < rate
        values = data[ys].to_numpy(copy=True)
        values[mask] = np.nan
        data[ys] = values
    spec = {
        "name": f"gen{i:02d}",
        "model": "\n".join(lines) + "\n",
        "data": f"gen{i:02d}.csv",
        "missing": missing,
        "estimator": "MLR" if i % 4 == 1 else "ML",
        "features": st,
        "n": n,
        "max_iter": 10000,
    }
    return spec, data


def edge_cases() -> list[tuple[dict, pd.DataFrame]]:
    """Heywood case and non-convergence (single group)."""
    out = []
    rng = np.random.default_rng(SEED + 1000)
    n = 60
    f = rng.normal(size=n)
    g = 0.6 * f + 0.8 * rng.normal(size=n)
    data = pd.DataFrame(
        {
            "a1": f + 0.05 * rng.normal(size=n),
            "a2": 0.5 * f + rng.normal(size=n),
            "a3": 0.5 * f + rng.normal(size=n),
            "b1": g + rng.normal(size=n),
            "b2": g + rng.normal(size=n),
            "b3": g + rng.normal(size=n),
        }
    ).round(4)
    model = "A =~ a1 + a2 + a3\nB =~ b1 + b2 + b3\n"
    out.append(
        (
            {
                "name": "heywood",
                "model": model,
                "data": "heywood.csv",
                "missing": "listwise",
                "estimator": "ML",
                "features": {"edge": "Heywood"},
                "n": n,
                "max_iter": 10000,
            },
            data,
        )
    )
    spec, data2 = make_spec(7)
    out.append(
        (
            {
                **spec,
                "name": "nonconvergence",
                "data": "nonconvergence.csv",
                "max_iter": 2,
                "features": {"edge": "iteration limit 2"},
            },
            data2,
        )
    )
    return out


def group_cases() -> list[tuple[dict, pd.DataFrame]]:
    """Two-group invariance data: one missing-data pattern in a group; unequal patterns across groups."""
    out = []
    for case, seed in (("one_pattern_per_group", 1), ("unequal_patterns", 2)):
        rng = np.random.default_rng(SEED + 2000 + seed)
        frames = []
        for g, n in ((1, 180), (2, 160)):
            f1, f2 = rng.normal(size=n), rng.normal(size=n)
            f2 = 0.5 * f1 + 0.8 * f2
            cols = {}
            for i, lam in enumerate((1.0, 0.8, 0.7)):
                cols[f"u{i + 1}"] = 3 + 0.1 * (g - 1) + lam * f1 + 0.7 * rng.normal(size=n)
                cols[f"v{i + 1}"] = 3 + lam * f2 + 0.7 * rng.normal(size=n)
            d = pd.DataFrame(cols)
            if case == "one_pattern_per_group":
                if g == 2:
                    d.loc[d.index[::4], "u3"] = np.nan  # group 1 complete; group 2: u3 missing in every 4th row
            else:
                col = "u2" if g == 1 else "v3"
                d.loc[d.index[rng.random(n) < 0.15], col] = np.nan
                d.loc[d.index[rng.random(n) < 0.10], "v1"] = np.nan
            d.insert(0, "group", g)
            frames.append(d)
        data = pd.concat(frames, ignore_index=True).round(4)
        out.append(
            (
                {
                    "name": case,
                    "model": "U =~ u1 + u2 + u3\nV =~ v1 + v2 + v3\n",
                    "data": f"{case}.csv",
                    "group": "group",
                    "missing": "fiml",
                    "levels": ["configural", "metric", "scalar"],
                },
                data,
            )
        )
    return out


HS_MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
PD_MODEL = (
    "ind60 =~ x1 + x2 + x3\ndem60 =~ y1 + y2 + y3 + y4\ndem65 =~ y5 + y6 + y7 + y8\n"
    "dem60 ~ ind60\ndem65 ~ ind60 + dem60\ny1 ~~ y5\ny2 ~~ y4 + y6\ny3 ~~ y7\ny4 ~~ y8\ny6 ~~ y8\n"
)
PD_FIXED_X = (
    "dem60 =~ y1 + y2 + y3 + y4\ndem65 =~ y5 + y6 + y7 + y8\ndem60 ~ x1 + x2\n"
    "dem65 ~ dem60 + x1 + x3\ny1 ~~ y5\ny2 ~~ y6\n"
)


def _fit(name, model, data, missing="listwise", estimator="ML", **extra):
    return {
        "name": name,
        "model": model,
        "data": data,
        "missing": missing,
        "estimator": estimator,
        "max_iter": 10000,
        **extra,
    }


def example_inputs(out: Path) -> None:
    """Holzinger-Swineford and Political Democracy fits (the data sets are written by datasets.R from lavaan)."""
    hs = pd.read_csv(out / "examples" / "holzinger_swineford.csv")
    miss = hs[[f"x{i}" for i in range(1, 10)]].copy()
    for col, step, off in (("x2", 7, 0), ("x5", 11, 3), ("x9", 13, 5), ("x1", 17, 2)):
        miss.loc[np.arange(off, len(miss), step), col] = np.nan
    miss.to_csv(out / "examples" / "holzinger_swineford_missing.csv", index=False, na_rep="NA")
    second = HS_MODEL + "g =~ visual + textual + speed\n"
    cmv3 = (
        HS_MODEL
        + "CMV =~ "
        + " + ".join(f"1*x{i}" for i in range(1, 10))
        + "\n"
        + "".join(f"CMV ~~ 0*{f}\n" for f in ("visual", "textual", "speed"))
    )
    specs = [
        _fit("hs_cfa_ml", HS_MODEL, "holzinger_swineford.csv"),
        _fit("hs_cfa_mlr", HS_MODEL, "holzinger_swineford.csv", estimator="MLR"),
        _fit("hs_fiml_ml", HS_MODEL, "holzinger_swineford_missing.csv", "fiml"),
        _fit("hs_fiml_mlr", HS_MODEL, "holzinger_swineford_missing.csv", "fiml", "MLR"),
        _fit("hs_second_order", second, "holzinger_swineford.csv"),
        _fit(
            "hs_cmv_method_only",
            "METHOD =~ " + " + ".join(f"x{i}" for i in range(1, 10)) + "\n",
            "holzinger_swineford.csv",
        ),
        _fit("hs_cmv_method_trait", cmv3, "holzinger_swineford.csv"),
        _fit("pd_sem_ml", PD_MODEL, "political_democracy.csv"),
        _fit("pd_sem_mlr", PD_MODEL, "political_democracy.csv", estimator="MLR"),
        _fit("pd_fixed_x_ml", PD_FIXED_X, "political_democracy.csv"),
        _fit("pd_fixed_x_mlr", PD_FIXED_X, "political_democracy.csv", estimator="MLR"),
    ]
    (out / "examples" / "specs.json").write_text(json.dumps(specs, indent=1) + "\n")
    groups = [
        {
            "name": "hs_invariance_school",
            "model": HS_MODEL,
            "data": "holzinger_swineford.csv",
            "group": "school",
            "missing": "listwise",
            "levels": ["configural", "metric", "scalar", "strict"],
        }
    ]
    (out / "examples" / "groups.json").write_text(json.dumps(groups, indent=1) + "\n")


def study_inputs(out: Path) -> None:
    """The shipped study's current specifications on its 218 firms (the real survey cleaning from data/raw)."""
    import tempfile

    from nero.config import load_yaml
    from nero.sem.families import specification_covariates
    from nero.sem.latent import latent_mediation_syntax
    from nero.sem.settings import SemSettings
    from nero.sem.study import design_frame
    from nero.sem.syntax import cfa_model_from_codebook, codebook_constructs, measurement_syntax
    from nero.survey.pipeline import run_survey

    root = HERE.parents[2]
    config = load_yaml(root / "config" / "config.yaml")
    codebook = load_yaml(root / "config" / "codebook.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        run_survey(root / "data" / "raw" / "survey", root / "config" / "codebook.yaml", Path(tmp), config["survey"])
        clean = pd.read_csv(Path(tmp) / "clean.csv")
    s = SemSettings.from_config(config["sem"])
    design, controls = design_frame(clean, s)
    cons = codebook_constructs(codebook, include_marker=True)
    factors = {c: cons[c] for c in (s.constructs or codebook_constructs(codebook, include_marker=False))}
    items = [i for its in factors.values() for i in its]
    m, y = s.m, s.y
    # the latent family's covariates: the declared causal model's (no descendant of CAP or SCO)
    covs = [*s.x, *specification_covariates(s, design, controls, [*s.x, "AMB"], y, m)]
    study = out / "study"
    study.mkdir(parents=True, exist_ok=True)
    clean[["wave", *items]].to_csv(study / "items.csv", index=False, na_rep="NA")
    latent = pd.concat([clean[cons[m] + cons[y]], design[["AMB", *covs]]], axis=1)
    latent.to_csv(study / "latent.csv", index=False, na_rep="NA")
    # the latent mediation before the causal model was declared: AMB alone with every control, listwise
    old = pd.concat([clean[cons[m] + cons[y]], design[["AMB", *controls]]], axis=1)
    old.to_csv(study / "latent_old.csv", index=False, na_rep="NA")
    cfa = cfa_model_from_codebook(codebook, constructs=list(factors))
    lat = latent_mediation_syntax("AMB", cons[m], cons[y], covs, m, y)
    lat_old = latent_mediation_syntax("AMB", cons[m], cons[y], list(controls), m, y)
    one = measurement_syntax({"METHOD": items})
    three = measurement_syntax(dict(factors), method_factor="CMV", method_loadings=s.cmv_method_loadings)
    specs = [
        _fit("study_cfa_fiml_ml", cfa, "items.csv", "fiml"),
        _fit("study_cfa_fiml_mlr", cfa, "items.csv", "fiml", "MLR"),
        _fit("study_cfa_listwise_ml", cfa, "items.csv"),
        _fit("study_cfa_listwise_mlr", cfa, "items.csv", estimator="MLR"),
        _fit("study_latent_fiml_ml", lat, "latent.csv", "fiml"),
        _fit("study_latent_fiml_mlr", lat, "latent.csv", "fiml", "MLR"),
        _fit("study_cmv_method_only", one, "items.csv", "fiml"),
        _fit("study_cmv_method_trait", three, "items.csv", "fiml"),
        _fit("study_latent_old_listwise_ml", lat_old, "latent_old.csv"),
    ]
    (study / "specs.json").write_text(json.dumps(specs, indent=1) + "\n")
    groups = [
        {
            "name": "study_invariance_wave",
            "model": cfa,
            "data": "items.csv",
            "group": "wave",
            "missing": "fiml",
            "levels": list(s.invariance_levels),
        },
        {
            "name": "study_invariance_wave_listwise",
            "model": cfa,
            "data": "items.csv",
            "group": "wave",
            "missing": "listwise",
            "levels": list(s.invariance_levels),
        },
    ]
    (study / "groups.json").write_text(json.dumps(groups, indent=1) + "\n")


def main(out: Path = HERE / "inputs") -> None:
    example_inputs(out)
    study_inputs(out)
    gen = out / "generated"
    gen.mkdir(parents=True, exist_ok=True)
    specs = []
    for spec, data in [make_spec(i) for i in range(N_SPECS)] + edge_cases():
        data.to_csv(gen / spec["data"], index=False, na_rep="NA")
        specs.append(spec)
    (gen / "specs.json").write_text(json.dumps(specs, indent=1) + "\n")
    groups = []
    for spec, data in group_cases():
        data.to_csv(gen / spec["data"], index=False, na_rep="NA")
        groups.append(spec)
    (gen / "groups.json").write_text(json.dumps(groups, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "inputs")
