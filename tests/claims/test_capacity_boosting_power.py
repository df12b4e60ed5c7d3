"""Power and size of the capacity-boosting rule at the study's N, by a targeted Monte Carlo.

`study2.capacity_boosting` reads the OLS slope of CAP on MKT with the causal model's
covariates (INST, VIRT, EFF, INST x VIRT and the exogenous firm controls) on the observed
construct scores, one-sided at alpha. The shipped sample misses the planted effect
(b = .049, one-sided p = .16; tests/claims/test_shipped.py). These replicates, drawn from
the same process as the shipped study (nero.design.truth.population_sample: latents, items
with the common-method factor, firm variables; N = 218, fixed seeds), show that the rule is
well powered (power >= .90; 300 replicates gave 1.00, mean b .201, SD .048) and keeps its
size when MKT has no effect on CAP (cap_coef MKT = 0: rejection <= .10; 200 replicates
gave .03). The miss is the shipped sample's (on its own true latent scores the slope is .159
against the population's .268: docs/claims.md), not a rule that cannot find the effect.
"""

import dataclasses

import numpy as np
import pytest
import yaml

from nero.design.truth import population_sample
from nero.sem.families import specification_covariates
from nero.sem.process_equations import fit_equation
from nero.sem.settings import SemSettings
from nero.sem.study import design_frame
from nero.simulate import DGPParameters
from nero.simulate.codebook import load_codebook
from nero.simulate.truth_map import claims_truth
from nero.testing import REPO

pytestmark = pytest.mark.slow
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
SETTINGS = SemSettings.from_config(CONFIG["sem"])
ALPHA = 0.05
N = 218
REPLICATES = 60


def _one_sided_p(params: DGPParameters, seed: int) -> float:
    design, controls = design_frame(population_sample(params, N, load_codebook(), seed=seed), SETTINGS)
    covs = [c for c in specification_covariates(SETTINGS, design, controls, ["MKT"], "CAP") if c != "MKT"]
    row = fit_equation(design, "CAP", ["MKT", *covs], SETTINGS.conf, SETTINGS.se_type).coef.loc["MKT"]
    return row["p"] / 2 if row["coeff"] > 0 else 1 - row["p"] / 2  # the registry's one_sided reading


def _rejection_rate(params: DGPParameters, first_seed: int) -> float:
    return float(np.mean([_one_sided_p(params, first_seed + i) < ALPHA for i in range(REPLICATES)]))


def test_the_rule_is_well_powered_at_the_studys_n_under_the_planted_process():
    # binomial MCSE at power .95 and R = 60: .03; .90 is more than one MCSE below every estimate seen
    assert _rejection_rate(DGPParameters(), 1000) >= 0.90


def test_the_rule_keeps_its_size_when_mkt_does_not_raise_capacity():
    base = DGPParameters()
    null = dataclasses.replace(base, cap_coef={**base.cap_coef, "MKT": 0.0})
    assert (
        claims_truth("planted", overrides={"cap_coef": null.cap_coef})["claims"]["study2.capacity_boosting"]["truth"]
        == "planted false"
    )
    # nominal .05; binomial MCSE at .05 and R = 60: .028, so .10 is about two MCSEs above it
    assert _rejection_rate(null, 5000) <= 0.10
