"""Input functions and resources of the design rules (workflow/rules/design.smk).

Kept in the package so the rule file holds rules only; each method takes the
Snakemake ``wildcards`` object.
"""

from __future__ import annotations

from typing import Any

from .settings import DesignSettings

#: Seconds of CPU a replicate may take per 100 firms when sizing a batch's runtime (the whole
#: study measured about 12-20 s per replicate at N = 218 on a shared 2-core machine, most of it
#: the fsQCA robustness grid; this leaves a margin of about 2-3 for slow nodes).
SECONDS_PER_100_FIRMS = 25


class DesignJobs:
    """What the design rules need to know about the configured scenarios.

    Parameters
    ----------
    settings : DesignSettings
    root : str
        The design results folder (``results/design``).
    """

    def __init__(self, settings: DesignSettings, root: str = "results/design"):
        self.settings = settings
        self.root = root
        self.processes = settings.processes()

    def batch_files(self) -> list[str]:
        """Every batch output, scenario by scenario."""
        return [
            f"{self.root}/batches/{s.name}/batch_{b:03d}.csv"
            for s in self.settings.scenarios
            for b in range(self.settings.n_batches)
        ]

    def truth_files(self) -> list[str]:
        """One table of true values per distinct process."""
        return [f"{self.root}/truth/{key}.csv" for key in self.processes]

    def process_scenario(self, wildcards: Any) -> dict[str, Any]:
        """The process of ``wildcards.process`` as a plain mapping (a rule parameter)."""
        s = self.processes[wildcards.process]
        return {"name": s.name, "process": s.process, "effect_scale": s.effect_scale, "overrides": dict(s.overrides)}

    def batch_settings(self, wildcards: Any) -> dict[str, Any]:
        """The ``design:`` section reduced to ``wildcards.scenario`` (a rule parameter: adding
        or changing another scenario does not rerun this one's batches)."""
        s = self.settings
        spec: dict[str, Any] = {
            "process": self.settings.scenario(wildcards.scenario).process,
            "n": self.settings.scenario(wildcards.scenario).n,
        }
        scenario = s.scenario(wildcards.scenario)
        if scenario.effect_scale is not None:
            spec["effect_scale"] = scenario.effect_scale
        if scenario.overrides:
            spec["overrides"] = dict(scenario.overrides)
        return {
            "replications": s.replications,
            "batch_size": s.batch_size,
            "n_boot": s.n_boot,
            "alpha": s.alpha,
            "truth_draws": s.truth_draws,
            "whole_study": s.whole_study,
            "interviews": s.interviews,
            "scenarios": {scenario.name: spec},
        }

    def truth_of_scenario(self, wildcards: Any) -> str:
        """The true-value table of ``wildcards.scenario``'s process."""
        return f"{self.root}/truth/{self.settings.scenario(wildcards.scenario).process_key}.csv"

    def batch_runtime(self, wildcards: Any) -> int:
        """Minutes a batch of ``wildcards.scenario`` may run (at least 10)."""
        n = max(self.settings.scenario(wildcards.scenario).n, 100)
        seconds = self.settings.batch_size * SECONDS_PER_100_FIRMS * n / 100
        return max(10, int(seconds / 60) + 5)
