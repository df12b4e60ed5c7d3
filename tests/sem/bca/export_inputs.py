"""Write the inputs of bca_reference.R: the shipped mediation's design and its bootstrap draws.

Run from the repository root after a build or on the committed reference build:

    .venv/bin/python tests/sem/bca/export_inputs.py [results-reference] && Rscript tests/sem/bca/bca_reference.R

``inputs/mediation_frame.csv``: the columns of the study's PROCESS model 4 (X = AMB, M, Y and the
causal model's covariates) built by the library from ``survey/clean.csv`` of the given build
(default ``results-reference``) with ``config/config.yaml``; ``inputs/mediation_draws.csv``: the
indirect effect a*b in each of the study's ``sem.n_boot`` seeded resamples (the t that R is given,
so that R and the library use the same resamples); ``inputs/mediation.json``: seed, n_boot,
level and the column roles. R then refits t0 and the jackknife itself (``lm``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from nero.config import load_yaml
from nero.sem.process_equations import _boot, fit_equation
from nero.sem.settings import SemSettings
from nero.sem.study import _context

HERE = Path(__file__).resolve().parent


def main(build: str = "results-reference") -> None:
    config = load_yaml("config/config.yaml")
    s = SemSettings.from_config(config["sem"])
    clean = pd.read_csv(Path(build) / "survey" / "clean.csv")
    ctx = _context(clean, load_yaml(config["codebook"]), s, int(config["seed"]))
    xa, xb = s.x
    covs = [xa, xb, *ctx.covariates([xa, xb, "AMB"], s.y, s.m)]
    frame = ctx.design[["AMB", s.m, s.y, *covs]].astype(float)
    a_eq = fit_equation(frame, s.m, ["AMB", *covs])
    y_eq = fit_equation(frame, s.y, ["AMB", s.m, *covs])
    a_draws, y_draws = _boot([a_eq, y_eq], s.n_boot, ctx.seed)
    t = a_draws[:, 1] * y_draws[:, 2]
    (HERE / "inputs").mkdir(exist_ok=True)
    frame.to_csv(HERE / "inputs" / "mediation_frame.csv", index=False, float_format="%.17g")
    pd.DataFrame({"t": t}).to_csv(HERE / "inputs" / "mediation_draws.csv", index=False, float_format="%.17g")
    meta = {"x": "AMB", "m": s.m, "y": s.y, "covariates": covs, "seed": ctx.seed, "n_boot": s.n_boot, "conf": s.conf}
    (HERE / "inputs" / "mediation.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"{len(frame)} cases, {len(t)} draws, t0 = {a_eq.b('AMB') * y_eq.b(s.m):.10g}, mean t = {np.mean(t):.10g}")


if __name__ == "__main__":
    main(*sys.argv[1:])
