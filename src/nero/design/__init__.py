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

from importlib import import_module

from nero.design.settings import DesignError, DesignSettings, Scenario, replicate_seeds

#: Names served from their modules on first use: the replicates import the whole chain
#: (survey, SEM, fsQCA, claims; about 1.5 s), and ``workflow/rules/design.smk`` needs only
#: the settings, so every Snakemake start-up would otherwise pay for it.
_LAZY = {
    "proportion": "metrics",
    "report_table": "metrics",
    "summarise": "metrics",
    "summarise_scenario": "metrics",
    "StudyContext": "replicate",
    "matches": "replicate",
    "read_batch": "replicate",
    "run_batch": "replicate",
    "run_replicate": "replicate",
    "score_solution": "replicate",
    "population_sample": "truth",
    "true_values": "truth",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f"nero.design.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nero.design' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


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
