"""Design settings (the ``design:`` section of config/config.yaml), scenarios and seeds."""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nero.simulate import DGPParameters, scenario_parameters, scenario_truth
from nero.simulate.scenarios import SCENARIOS, check_scenario

#: Keys of the ``design:`` section.
DESIGN_KEYS = ("replications", "batch_size", "n_boot", "alpha", "truth_draws", "scenarios")
#: Optional keys of the ``design:`` section: ``in_report`` (read by the workflow only),
#: ``whole_study`` (default true: every stage a claim reads runs in a replicate; false: the
#: survey chain only, SEM checks and the SCO fsQCA) and ``interviews`` (Study 1 interviews
#: per replicate, default 13 as in the study).
OPTIONAL_KEYS = ("in_report", "whole_study", "interviews")


class DesignError(ValueError):
    """The design settings are unusable; the message names the key."""


@dataclass(frozen=True)
class Scenario:
    """One scenario: a process of :mod:`nero.simulate.scenarios` at a sample size.

    Attributes
    ----------
    name : str
        Key under ``design.scenarios`` (also the Snakemake wildcard).
    process : str
        ``planted``, ``weak``, ``null`` or a contrary process (``contrary``, ``mismeasured``,
        ``biased``, ``exclusive``; :data:`nero.simulate.scenarios.CONTRARY_PROCESSES`).
    n : int
        Usable firms after cleaning.
    effect_scale : float or None
        ``s`` of the weak process.
    overrides : dict
        Further DGP parameter changes.
    """

    name: str
    process: str
    n: int
    effect_scale: float | None = None
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def process_key(self) -> str:
        """Identifies the process (not the N): scenarios sharing it share their true values."""
        scale = "" if self.effect_scale is None else f"_s{self.effect_scale:g}"
        extra = f"_o{zlib.crc32(repr(sorted(self.overrides.items())).encode()):08x}" if self.overrides else ""
        return f"{self.process}{scale}{extra}".replace(".", "p")

    def parameters(self) -> DGPParameters:
        """DGP parameters of the process."""
        return scenario_parameters(self.process, self.effect_scale, self.overrides or None)

    def truth(self) -> dict[str, Any]:
        """What the process plants (recipes, necessity, effects)."""
        return scenario_truth(self.process, self.effect_scale, self.overrides or None)

    def effect_scale_value(self) -> float:
        """1 for planted and the contrary processes, 0 for null, ``s`` for weak."""
        return float(self.truth()["effect_scale"])


@dataclass(frozen=True)
class DesignSettings:
    """The validated ``design:`` section."""

    replications: int
    batch_size: int
    n_boot: int
    alpha: float
    truth_draws: int
    scenarios: tuple[Scenario, ...]
    whole_study: bool = True
    interviews: int = 13

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> DesignSettings:
        """Build from the config section, with errors naming ``design.<key>``."""
        if not isinstance(section, Mapping):
            raise DesignError("config design: expected a mapping with keys " + ", ".join(DESIGN_KEYS))
        missing = [k for k in DESIGN_KEYS if k not in section]
        unknown = [k for k in section if k not in DESIGN_KEYS + OPTIONAL_KEYS]
        if missing or unknown:
            raise DesignError(f"config design: missing {missing}, unknown {unknown}; expected {list(DESIGN_KEYS)}")
        for key in ("replications", "batch_size", "truth_draws"):
            if not isinstance(section[key], int) or section[key] < 1:
                raise DesignError(f"config design.{key}: expected a whole number >= 1, got {section[key]!r}")
        if not isinstance(section["n_boot"], int) or section["n_boot"] < 0:
            raise DesignError(f"config design.n_boot: expected a whole number >= 0, got {section['n_boot']!r}")
        alpha = section["alpha"]
        if not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
            raise DesignError(f"config design.alpha: expected a number in (0, 1), got {alpha!r}")
        scenarios = []
        for name, spec in dict(section["scenarios"] or {}).items():
            where = f"config design.scenarios.{name}"
            if not isinstance(spec, Mapping) or "process" not in spec or "n" not in spec:
                raise DesignError(f"{where}: expected {{process: {'|'.join(SCENARIOS)}, n: firms}}, got {spec!r}")
            process = spec["process"]
            if process not in SCENARIOS:
                raise DesignError(
                    f"{where}.process: expected one of {', '.join(SCENARIOS)} (quote null in YAML), got {process!r}"
                )
            scale = spec.get("effect_scale")
            if scale is not None and process != "weak":
                raise DesignError(f"{where}.effect_scale: applies to process weak only")
            scenario = Scenario(
                str(name),
                process,
                int(spec["n"]),
                None if scale is None else float(scale),
                dict(spec.get("overrides") or {}),
            )
            try:  # checked without building the process (a simulation per weak or null scenario)
                check_scenario(scenario.process, scenario.effect_scale, scenario.overrides or None)
            except ValueError as exc:
                raise DesignError(f"{where}: {exc}") from None
            scenarios.append(scenario)
        if not scenarios:
            raise DesignError("config design.scenarios: at least one scenario is needed")
        whole = section.get("whole_study", True)
        if not isinstance(whole, bool):
            raise DesignError(f"config design.whole_study: expected true or false, got {whole!r}")
        interviews = section.get("interviews", 13)
        if not isinstance(interviews, int) or isinstance(interviews, bool) or interviews < 4:
            raise DesignError(
                f"config design.interviews: expected a whole number >= 4 (one per archetype), got {interviews!r}"
            )
        return cls(
            int(section["replications"]),
            int(section["batch_size"]),
            int(section["n_boot"]),
            float(alpha),
            int(section["truth_draws"]),
            tuple(scenarios),
            whole,
            interviews,
        )

    def scenario(self, name: str) -> Scenario:
        """The scenario called ``name``."""
        for s in self.scenarios:
            if s.name == name:
                return s
        raise DesignError(
            f"no scenario {name!r} under config design.scenarios; known: {[s.name for s in self.scenarios]}"
        )

    @property
    def n_batches(self) -> int:
        """Batches per scenario."""
        return math.ceil(self.replications / self.batch_size)

    def batch_replicates(self, batch: int) -> range:
        """Replicate indices of batch ``batch`` (0-based)."""
        if not 0 <= batch < self.n_batches:
            raise DesignError(f"batch {batch} out of range: {self.n_batches} batches of {self.batch_size}")
        return range(batch * self.batch_size, min((batch + 1) * self.batch_size, self.replications))

    def processes(self) -> dict[str, Scenario]:
        """One scenario per distinct process (process key -> first scenario with it)."""
        out: dict[str, Scenario] = {}
        for s in self.scenarios:
            out.setdefault(s.process_key, s)
        return out


def replicate_seeds(study_seed: int, scenario: str, replicate: int, words: int = 4) -> list[int]:
    """Seeds of one replicate, spawned from the study seed with :class:`numpy.random.SeedSequence`.

    The scenario's sequence is ``SeedSequence(study_seed, spawn_key=(crc32(name),))``;
    replicate ``r`` is its ``r``-th spawned child, so a replicate's seeds depend on the
    study seed, the scenario's name and ``r`` only (not on the batch size, the order of
    the scenarios or how many replicates run). Returns ``words`` 32-bit integers:
    the generator's seed (and its fall-backs, see :func:`nero.design.replicate.run_replicate`)
    and, last, the bootstrap seed.
    """
    root = np.random.SeedSequence(int(study_seed), spawn_key=(zlib.crc32(scenario.encode("utf-8")),))
    child = root.spawn(replicate + 1)[replicate]
    return [int(v) for v in child.generate_state(words)]
