"""The settings of the SEM checks (the ``sem:`` section of config/config.yaml), typed.

:class:`SemSettings` is resolved once from the config section (:meth:`SemSettings.from_config`:
the defaults below overridden by the section) and handed to every family, the workflow scripts,
the design replicate and the multiverse. An unknown key or a value outside its choices is a
:class:`~nero.sem._common.SemInputError` naming ``sem.<key>`` and what was expected; the types of
the rest are checked by config/schema.yaml when the workflow starts. Values keep the type the
config gives them (``time_limit: 120`` stays a whole number), so :meth:`SemSettings.to_dict`, written
into ``summary.json``, is the section as the study used it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._common import SemInputError
from .process_equations import SE_TYPES

#: The bootstrap intervals of the ambidexterity and mediation-type tables.
BOOT_CIS = ("percentile", "bias-corrected", "bca")
#: Missing-data handling of the latent-variable models.
MISSING = ("fiml", "listwise")
#: Estimators of the latent-variable models.
ESTIMATORS = ("ML", "MLR")


@dataclass(frozen=True)
class AmbidexteritySettings:
    """``sem.ambidexterity``: the alternative ambidexterity indices and the balance constant."""

    alternatives: tuple[str, ...] = ("combined", "balance")
    balance_max: float = 6.0

    @classmethod
    def from_config(cls, value: Mapping[str, Any] | None) -> AmbidexteritySettings:
        value = dict(value or {})
        unknown = sorted(set(value) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise SemInputError(f"config sem.ambidexterity: unknown key(s) {unknown}; known: alternatives, balance_max")
        merged = {**dataclasses.asdict(cls()), **value}
        return cls(tuple(merged["alternatives"]), merged["balance_max"])


def _names(value: Any) -> Any:
    """A list of names as a tuple (the settings are frozen); anything else as it is."""
    return tuple(value) if isinstance(value, Sequence) and not isinstance(value, str) else value


@dataclass(frozen=True)
class SemSettings:
    """The validated ``sem:`` section (config/schema.yaml documents each key).

    ``x`` is the pair of network constructs (INST, VIRT), ``m`` the mediator, ``y`` the outcome,
    ``w`` the moderator; ``constructs`` None means every non-marker construct of the codebook;
    ``causal_model`` the declared DAG (:mod:`nero.sem.causal`; None: every control in every
    equation); ``nonresponse_variables`` None means the numeric controls.
    """

    constructs: tuple[str, ...] | None = None
    second_order: Mapping[str, Sequence[str]] = field(default_factory=dict)
    x: tuple[str, str] = ("INST", "VIRT")
    m: str = "CAP"
    y: str = "SCO"
    w: str = "MKT"
    controls: tuple[str, ...] = (
        "log_employees",
        "log_firm_age",
        "log_foreign_markets",
        "years_abroad",
        "sector",
        "wave",
    )
    categorical_controls: tuple[str, ...] = ("sector", "wave")
    causal_model: Mapping[str, Any] | None = None
    nonresponse_variables: tuple[str, ...] | None = None
    ambidexterity: AmbidexteritySettings = field(default_factory=AmbidexteritySettings)
    missing: str = "fiml"
    listwise_sensitivity: bool = True
    se_type: str = "hc3"
    boot_ci: str = "percentile"
    n_boot: int = 5000
    conf: float = 0.95
    time_limit: float = 120.0
    max_iter: int = 10000
    cmv_method_loadings: str = "equal"
    marker_r_m: str = "smallest"
    early_late_quantile: float = 0.25
    early_late_within_wave: bool = True
    nonresponse_equivalence_d: float = 0.8
    date_column: str = "recorded_date"
    group: str = "wave"
    invariance_levels: tuple[str, ...] = ("configural", "metric", "scalar")
    latent_boot: int = 0
    estimator: str = "ML"
    n_jobs: int | None = None

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> SemSettings:
        """The defaults overridden by ``section`` (the ``sem:`` config section; None: the defaults).

        Raises
        ------
        SemInputError
            An unknown key, or ``se_type``, ``boot_ci``, ``missing`` or ``estimator`` outside its choices.
        """
        if section is not None and not isinstance(section, Mapping):
            raise SemInputError(f"config sem: {section!r} is not a mapping of the SEM settings")
        known = [f.name for f in dataclasses.fields(cls)]
        values: dict[str, Any] = {}
        for key, value in (section or {}).items():
            if key not in known:
                raise SemInputError(f"config sem: unknown key {key!r}; known: {sorted(known)}")
            values[key] = _names(value) if key not in ("second_order", "causal_model") else value
        if "ambidexterity" in values:
            values["ambidexterity"] = AmbidexteritySettings.from_config(section["ambidexterity"])
        if "second_order" in values:
            values["second_order"] = dict(values["second_order"] or {})
        if "se_type" in values:
            values["se_type"] = str(values["se_type"]).lower()
        settings = cls(**values)
        for key, allowed in (
            ("se_type", SE_TYPES),
            ("boot_ci", BOOT_CIS),
            ("missing", MISSING),
            ("estimator", ESTIMATORS),
        ):
            if getattr(settings, key) not in allowed:
                raise SemInputError(
                    f"sem.{key}: {getattr(settings, key)!r} is not "
                    + (f"'{allowed[0]}' or '{allowed[1]}'" if len(allowed) == 2 else f"one of {', '.join(allowed)}")
                )
        return settings

    @classmethod
    def resolve(cls, settings: SemSettings | Mapping[str, Any] | None) -> SemSettings:
        """``settings`` itself, or resolved from a config section (the entry points take either)."""
        return settings if isinstance(settings, SemSettings) else cls.from_config(settings)

    def to_dict(self) -> dict[str, Any]:
        """Every setting by its config key, in the order above (``summary.json``)."""
        return dataclasses.asdict(self)


__all__ = ["AmbidexteritySettings", "BOOT_CIS", "ESTIMATORS", "MISSING", "SemSettings"]
