"""Design analysis: how often this study's design finds what it claims.

Monte Carlo over the whole chain (simulate the raw exports -> clean -> SEM checks ->
fsQCA -> claims verdicts) under scenarios of the data-generating process
(:mod:`nero.simulate.scenarios`): recovery of the planted recipes, spurious
configurations, necessity, power and type I error of the indirect effect and of the
INST x VIRT interaction, coverage of the intervals, and the rate each claim is
supported, every rate with its Monte Carlo standard error. See docs/design.md.

- :class:`DesignSettings`, :class:`Scenario`, :func:`replicate_seeds` -- settings and seeds;
- :func:`run_replicate`, :func:`run_batch` -- the replicates (one Snakemake job per batch);
- :func:`true_values` -- the estimands' true values (large simulation);
- :func:`summarise`, :func:`report_table` -- rates with MCSEs.
"""

from nero.design.metrics import proportion, report_table, summarise, summarise_scenario
from nero.design.replicate import StudyContext, matches, read_batch, run_batch, run_replicate, score_solution
from nero.design.settings import DesignError, DesignSettings, Scenario, replicate_seeds
from nero.design.truth import population_sample, true_values

__all__ = [
    "DesignError",
    "DesignSettings",
    "Scenario",
    "StudyContext",
    "matches",
    "population_sample",
    "proportion",
    "read_batch",
    "replicate_seeds",
    "report_table",
    "run_batch",
    "run_replicate",
    "score_solution",
    "summarise",
    "summarise_scenario",
    "true_values",
]
