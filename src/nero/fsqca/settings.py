"""The settings of the study's fsQCA (the ``fsqca:`` section of config/config.yaml), typed.

:class:`FsqcaSettings` is resolved once from the config section (:meth:`FsqcaSettings.from_config`)
and handed to every stage function, workflow script, the design replicate and the multiverse; a
key that is unknown, missing where the study needs it, or of the wrong type is a
:class:`~nero.fsqca._errors.FsqcaError` naming ``fsqca.<key>`` and what was expected.
config/schema.yaml documents every key; the defaults here are those of the library when a key
is left out (``necessity_ron`` 0.6, ``max_models`` 1000, ...).

Nested parts are typed too: the calibration :class:`Anchor` of each set, the
:class:`RobustnessProtocol` and each :class:`FurtherAnalysis` of ``fsqca.analyses``.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nero.fsqca._errors import FsqcaError


def _number(section: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise FsqcaError(f"config {section}.{key}: {value!r} is not a number")
    return float(value)


def _integer(section: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise FsqcaError(f"config {section}.{key}: {value!r} is not a whole number")
    return int(value)


def _names(section: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise FsqcaError(f"config {section}.{key}: {value!r} is not a list of set names")
    return tuple(value)


def _numbers(section: str, key: str, value: Any, kind=_number) -> tuple:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise FsqcaError(f"config {section}.{key}: {value!r} is not a non-empty list of numbers")
    return tuple(kind(section, f"{key}[{i}]", v) for i, v in enumerate(value))


def _mapping(section: str, key: str, value: Any) -> Mapping:
    if not isinstance(value, Mapping):
        raise FsqcaError(f"config {section}.{key}: {value!r} is not a mapping")
    return value


def _directions(section: str, key: str, value: Any) -> Any:
    """Directional expectations as R's QCA takes them: ``{set: 0/1/"-"}`` or a list of literals."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, str) and all(isinstance(v, str) for v in value):
        return list(value)
    raise FsqcaError(f"config {section}.{key}: {value!r} is neither {{set: 0, 1 or '-'}} nor a list of literals")


def _check_keys(section: str, given: Mapping, cls: type, required: Sequence[str]) -> None:
    known = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise FsqcaError(f"config {section}: unknown key(s) {unknown}; known: {sorted(known)}")
    missing = [k for k in required if given.get(k) is None]
    if missing:
        raise FsqcaError(f"config {section}: missing key(s) {missing}")


@dataclass(frozen=True)
class Anchor:
    """The three calibration anchors of one set (points of the 7-point scale) and why."""

    exclusion: float
    crossover: float
    inclusion: float
    rationale: str = ""

    @classmethod
    def from_config(cls, section: str, value: Any) -> Anchor:
        value = _mapping(*section.rsplit(".", 1), value)
        _check_keys(section, value, cls, ("exclusion", "crossover", "inclusion"))
        return cls(
            *(_number(section, k, value[k]) for k in ("exclusion", "crossover", "inclusion")),
            rationale=str(value.get("rationale") or ""),
        )

    def values(self) -> tuple[float, float, float]:
        """``(exclusion, crossover, inclusion)``."""
        return (self.exclusion, self.crossover, self.inclusion)


@dataclass(frozen=True)
class RobustnessProtocol:
    """``fsqca.robustness``: the test sets of the robustness protocol (Oana & Schneider 2024)."""

    anchor_shift: float
    incl_cuts: tuple[float, ...]
    pri_cuts: tuple[float, ...]
    n_cuts: tuple[int, ...]
    subsamples: int
    subsample_share: float

    @classmethod
    def from_config(cls, value: Any) -> RobustnessProtocol:
        section = "fsqca.robustness"
        value = _mapping("fsqca", "robustness", value)
        _check_keys(section, value, cls, [f.name for f in dataclasses.fields(cls)])
        return cls(
            anchor_shift=_number(section, "anchor_shift", value["anchor_shift"]),
            incl_cuts=_numbers(section, "incl_cuts", value["incl_cuts"]),
            pri_cuts=_numbers(section, "pri_cuts", value["pri_cuts"]),
            n_cuts=_numbers(section, "n_cuts", value["n_cuts"], _integer),
            subsamples=_integer(section, "subsamples", value["subsamples"]),
            subsample_share=_number(section, "subsample_share", value["subsample_share"]),
        )


@dataclass(frozen=True)
class FurtherAnalysis:
    """One analysis of ``fsqca.analyses``: its outcome, conditions and directional expectations."""

    outcome: str
    conditions: tuple[str, ...]
    dir_exp: Any
    dir_exp_negated: Any = None
    description: str = ""

    @classmethod
    def from_config(cls, name: str, value: Any) -> FurtherAnalysis:
        section = f"fsqca.analyses.{name}"
        value = _mapping("fsqca.analyses", name, value)
        _check_keys(section, value, cls, ("outcome", "conditions", "dir_exp"))
        return cls(
            outcome=str(value["outcome"]),
            conditions=_names(section, "conditions", value["conditions"]),
            dir_exp=_directions(section, "dir_exp", value["dir_exp"]),
            dir_exp_negated=_directions(section, "dir_exp_negated", value.get("dir_exp_negated")),
            description=str(value.get("description") or ""),
        )


@dataclass(frozen=True)
class FsqcaSettings:
    """The validated ``fsqca:`` section (config/schema.yaml documents each key).

    Attributes
    ----------
    outcome, conditions
        The outcome set and the condition sets of the study's analysis.
    anchors : dict of str to Anchor
        Theory-based anchors per set (``anchor_method: theory``).
    robustness : RobustnessProtocol or None
        The robustness protocol (needed by :func:`nero.fsqca.study.run_fsqca_study` only).
    analyses : dict of str to FurtherAnalysis
        The further analyses, each on the study's anchors and cuts.
    Every other attribute is the config key of the same name.
    """

    outcome: str
    conditions: tuple[str, ...]
    incl_cut: float
    pri_cut: float
    n_cut_min_share: float
    dir_exp: Any = None
    dir_exp_negated: Any = None
    anchor_method: str = "theory"
    anchors: Mapping[str, Anchor] = field(default_factory=dict)
    percentile_anchors: tuple[float, float, float] = (0.05, 0.5, 0.95)
    inclusion_convention: str = "ragin"
    half_membership: str = "shift"
    half_shift: float = 0.001
    necessity_threshold: float = 0.9
    necessity_ron: float = 0.6
    incl_cut_contradiction: float | None = None
    max_models: int = 1000
    holdout_share: float = 0.5
    robustness: RobustnessProtocol | None = None
    analyses: Mapping[str, FurtherAnalysis] = field(default_factory=dict)

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> FsqcaSettings:
        """Settings from the ``fsqca:`` config section.

        Raises
        ------
        FsqcaError
            An unknown or missing key, or a value of the wrong type, naming ``fsqca.<key>``.
        """
        if section is None or not isinstance(section, Mapping):
            raise FsqcaError(f"config fsqca: {section!r} is not a mapping of the fsQCA settings")
        s = dict(section)
        _check_keys("fsqca", s, cls, ("outcome", "conditions", "incl_cut", "pri_cut", "n_cut_min_share"))
        choices = {
            "anchor_method": ("theory", "percentile"),
            "inclusion_convention": ("ragin", "exact"),
            "half_membership": ("shift", "fail"),
        }
        for key, allowed in choices.items():
            if key in s and s[key] not in allowed:
                raise FsqcaError(f"config fsqca.{key}: {s[key]!r} is not one of {', '.join(allowed)}")
        out: dict[str, Any] = {key: s[key] for key in choices if key in s}
        out["outcome"] = str(s["outcome"])
        out["conditions"] = _names("fsqca", "conditions", s["conditions"])
        for key in ("incl_cut", "pri_cut", "n_cut_min_share", "half_shift", "necessity_threshold", "necessity_ron"):
            if key in s:
                out[key] = _number("fsqca", key, s[key])
        for key in ("holdout_share",):
            if s.get(key) is not None:
                out[key] = _number("fsqca", key, s[key])
        if s.get("incl_cut_contradiction"):  # null or 0: no contradiction band
            out["incl_cut_contradiction"] = _number("fsqca", "incl_cut_contradiction", s["incl_cut_contradiction"])
        if s.get("max_models") is not None:
            out["max_models"] = _integer("fsqca", "max_models", s["max_models"])
        if s.get("percentile_anchors") is not None:
            q = _numbers("fsqca", "percentile_anchors", s["percentile_anchors"])
            if len(q) != 3:
                raise FsqcaError(f"config fsqca.percentile_anchors: {list(q)} must be three quantiles")
            out["percentile_anchors"] = q
        for key in ("dir_exp", "dir_exp_negated"):
            out[key] = _directions("fsqca", key, s.get(key))
        out["anchors"] = {
            str(name): Anchor.from_config(f"fsqca.anchors.{name}", value)
            for name, value in _mapping("fsqca", "anchors", s.get("anchors") or {}).items()
        }
        if s.get("robustness") is not None:
            out["robustness"] = RobustnessProtocol.from_config(s["robustness"])
        out["analyses"] = {
            str(name): FurtherAnalysis.from_config(str(name), value)
            for name, value in _mapping("fsqca", "analyses", s.get("analyses") or {}).items()
        }
        return cls(**out)

    @classmethod
    def resolve(cls, settings: FsqcaSettings | Mapping[str, Any]) -> FsqcaSettings:
        """``settings`` itself, or resolved from a config section (the entry points take either)."""
        return settings if isinstance(settings, FsqcaSettings) else cls.from_config(settings)

    @property
    def truth_table_incl_cut(self) -> float | tuple[float, float]:
        """``incl_cut``, or ``(incl_cut, incl_cut_contradiction)`` when a contradiction band is set."""
        if self.incl_cut_contradiction:
            return (self.incl_cut, self.incl_cut_contradiction)
        return self.incl_cut

    def require_robustness(self) -> RobustnessProtocol:
        """The robustness protocol, or an error naming ``fsqca.robustness``."""
        if self.robustness is None:
            raise FsqcaError("config fsqca.robustness: missing; the study's robustness protocol needs it")
        return self.robustness

    def analysis(self, name: str) -> FsqcaSettings:
        """The settings of the further analysis ``name``: the study's, with its outcome, conditions
        and directional expectations (the study's negated expectations where it gives none)."""
        if name not in self.analyses:
            raise FsqcaError(
                f"config fsqca.analyses: no analysis named {name!r}; "
                f"expected one of {', '.join(sorted(self.analyses)) or '(none)'}"
            )
        spec = self.analyses[name]
        negated = spec.dir_exp_negated if spec.dir_exp_negated is not None else self.dir_exp_negated
        return dataclasses.replace(
            self,
            outcome=spec.outcome,
            conditions=spec.conditions,
            dir_exp=spec.dir_exp,
            dir_exp_negated=negated,
            analyses={},
        )


__all__ = ["Anchor", "FsqcaSettings", "FurtherAnalysis", "RobustnessProtocol"]
