"""The declared alternatives (``multiverse:`` of config/config.yaml) and the specification grid.

A **family** of specifications names the **stage** it re-runs
(:data:`STAGES`) and its **dimensions**; its specifications are every combination of the
dimensions' options (a full factorial within the family, Steegen et al. 2016), or, with
``cross:`` (groups of its dimensions), the union over the groups of each group's combinations
with the other dimensions at their shipped choices; the shipped choice of each dimension is
included and marked. Families sharing a ``batch`` run in one Snakemake job (batches run in
parallel; a family without one is its own job). Families are not crossed with each other: every
other family's choices stay at the shipped study's (Simonsohn, Simmons & Nelson 2020 cross every
choice; here the grid's cost decides what a family crosses, and a claim's curve shows every
specification of every family that touches it, :func:`nero.multiverse.views.touches`).

A dimension's **option** may set study config keys (dotted, ``fsqca.incl_cut``), registry
thresholds (``coding_reliability``), substitute the columns a rule reads in a table
(``sem/indirect_effects.csv``: ``pct_lower`` -> ``bc_lower``) or restrict the fsQCA
``across_models`` rules to one tied model. A config key that a registry threshold restates
(``config:`` in config/claims.yaml) moves the threshold with it, so the tables and the
claims keep one definition (e.g. "necessary").

Dimension forms (config):

``{set: KEY, values: [v, ...]}``
    The alternatives of one config key; the shipped value is the config's.
``{threshold: NAME, values: [v, ...]}``
    The alternatives of one registry threshold; the shipped value is the registry's.
``{shipped: LABEL, options: {LABEL: {set: {KEY: v}, thresholds: {NAME: v}, columns: {TABLE: {OLD: NEW}}}}}``
    Named bundles (e.g. the control sets of the causal model).
``{anchors: robustness}``
    Every calibration anchor set moved up and down by ``fsqca.robustness.anchor_shift``, one
    set at a time, as the robustness protocol moves them (:func:`nero.fsqca.study.robustness_variants`).
``{models: [SOLUTION, ...]}``
    Each tied model of each named solution of the fsQCA ``across_models`` rules alone (the
    options come from the shipped solution tables, :func:`model_options`, or, in a family that
    re-runs the fsQCA, from each specification's own solutions; at most one per family).
``cross: [[DIMENSION, ...], ...]`` (family key)
    The groups of dimensions crossed with each other; every dimension in at least one group.

Written by hand (no library enumerates a declared multiverse from a config): the product is
:func:`itertools.product`.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Stages a family may re-run and the result tables each rewrites (paths under ``results/``).
#: ``models`` re-runs nothing (it restricts the rules to one tied model); ``thresholds`` neither.
STAGES: dict[str, tuple[str, ...]] = {
    "models": (),
    "thresholds": (),
    "fsqca": (
        "fsqca/solutions.csv",
        "fsqca/solutions_esa.csv",
        "fsqca/necessity.csv",
        "fsqca/memberships.csv",
        "fsqca/exclusivity.csv",
        "fsqca/robustness_verdicts.csv",
        "fsqca/summary.json",
        "integration/archetype_matches.csv",
    ),
    "fsqca_necessity": ("fsqca/necessity.csv",),
    "sem_effects": (
        "sem/capacity_boosting.csv",
        "sem/ambidexterity_moderation.csv",
        "sem/ambidexterity_index.csv",
        "sem/mediation_type.csv",
        "sem/indirect_effects.csv",
    ),
    "sem_measurement": (
        "sem/cfa_fit.csv",
        "sem/reliability.csv",
        "sem/htmt_checks.csv",
        "sem/fornell_larcker_checks.csv",
    ),
    "sem_nonresponse": ("sem/nonresponse.csv",),
    "study1_typology": ("study1/typology.csv",),
    "review": (
        "slr/prisma.json",
        "slr/coding_elements.csv",
        "slr/pathways.csv",
        "slr/keywords.csv",
        "slr/screening_agreement.csv",
    ),
    "review_map": ("slr/keywords.csv",),
}


class MultiverseError(ValueError):
    """The ``multiverse:`` section is malformed; the message names the family and the key."""


@dataclass(frozen=True)
class Option:
    """One choice of one dimension.

    Attributes
    ----------
    label : str
        As shown in the tables and on the curve's dashboard.
    settings : dict
        Dotted config key -> value (``{"fsqca.incl_cut": 0.75}``).
    thresholds : dict
        Registry threshold -> value.
    columns : dict
        Table -> {column a rule reads -> column read instead}.
    model : tuple or None
        ``(solution, model)``: the ``across_models`` rules see this tied model alone.
    shipped : bool
        The shipped study's choice.
    """

    label: str
    settings: dict[str, Any] = field(default_factory=dict)
    thresholds: dict[str, Any] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    model: tuple[str, str] | None = None
    shipped: bool = False


@dataclass(frozen=True)
class Dimension:
    """A named choice with its options (the shipped one first).

    ``solutions`` is set for a ``models`` dimension (the ``across_models`` solutions whose tied
    models are its options): in a family that re-runs a stage, its options are read from each
    specification's own re-run tables (:meth:`Family.specifications`), not the shipped ones.
    """

    name: str
    options: tuple[Option, ...]
    solutions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Specification:
    """One combination of options of a family (every other choice at the shipped study's)."""

    family: str
    stage: str
    choices: tuple[tuple[str, Option], ...]

    @property
    def id(self) -> str:
        """``family:label|label`` (``family:shipped`` for the shipped specification)."""
        if self.family == "shipped":
            return "shipped"
        if self.shipped:
            return f"{self.family}:shipped"
        return f"{self.family}:" + "|".join(f"{d}={o.label}" for d, o in self.choices if not o.shipped)

    @property
    def shipped(self) -> bool:
        return all(o.shipped for _, o in self.choices)

    @property
    def settings(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for _, o in self.choices:
            out.update(o.settings)
        return out

    @property
    def thresholds(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for _, o in self.choices:
            out.update(o.thresholds)
        return out

    @property
    def columns(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for _, o in self.choices:
            for table, subst in o.columns.items():
                out.setdefault(table, {}).update(subst)
        return out

    @property
    def model(self) -> tuple[str, str] | None:
        for _, o in self.choices:
            if o.model is not None:
                return o.model
        return None

    def labels(self) -> dict[str, str]:
        """Dimension -> the label of its chosen option."""
        return {d: o.label for d, o in self.choices}


@dataclass(frozen=True)
class Family:
    """A family of specifications: the stage it re-runs and its dimensions."""

    name: str
    stage: str
    dimensions: tuple[Dimension, ...]
    description: str = ""
    batch: str = ""
    cross: tuple[tuple[str, ...], ...] = ()

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        """The groups of dimensions crossed with each other (``cross``; default: all of them)."""
        return self.cross or (tuple(d.name for d in self.dimensions),)

    def specifications(
        self, models_of: Callable[[Specification], Mapping[str, Sequence[str]]] | None = None
    ) -> list[Specification]:
        """The family's specifications, the shipped one first.

        For each crossed group (:attr:`groups`), every combination of its dimensions' options
        with every other dimension at its shipped choice; the union over the groups, each
        specification once (in first-appearance order). Without ``cross`` the one group holds
        every dimension: the full factorial. A family without dimensions (or whose dimensions
        offer only the shipped choice) has exactly one specification, the shipped one.

        Parameters
        ----------
        models_of : callable, optional
            Specification (the choices of the other dimensions, the ``models`` dimension at its
            shipped choice) -> solution -> its tied model labels under that specification. A
            ``models`` dimension then offers the tied models of each specification's own
            solutions (one more tied model at a lower cut, none where the stage failed);
            without it, its static options (the shipped tables' models).
        """
        if not self.dimensions:
            return [Specification(self.name, self.stage, ())]
        shipped = {d.name: d.options[0] for d in self.dimensions}
        out: dict[str, Specification] = {}
        for group in self.groups:
            fixed = [d for d in self.dimensions if d.name in group and not d.solutions]
            varied_models = [d for d in self.dimensions if d.name in group and d.solutions]
            for combo in itertools.product(*[d.options for d in fixed]):
                chosen = {**shipped, **{d.name: o for d, o in zip(fixed, combo)}}
                base = Specification(self.name, self.stage, tuple((d.name, chosen[d.name]) for d in self.dimensions))
                out.setdefault(base.id, base)
                for m in varied_models:
                    options = m.options if models_of is None else model_options(_only(models_of(base), m.solutions))
                    for o in options[1:]:
                        spec = Specification(
                            self.name,
                            self.stage,
                            tuple((d.name, o if d.name == m.name else chosen[d.name]) for d in self.dimensions),
                        )
                        out.setdefault(spec.id, spec)
        ordered = sorted(out.values(), key=lambda sp: not sp.shipped)  # stable: the shipped one first
        return ordered


def get_key(config: Mapping[str, Any], key: str) -> Any:
    """The value of a dotted config key (``fsqca.anchors.INST.crossover``); KeyError names the key."""
    node: Any = config
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


def apply_settings(config: Mapping[str, Any], settings: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``config`` with every dotted key of ``settings`` set (the parents must exist)."""
    out = copy.deepcopy(dict(config))
    for key, value in settings.items():
        *parents, last = key.split(".")
        node = out
        for part in parents:
            if not isinstance(node.get(part), dict):
                raise MultiverseError(f"multiverse: config key {key!r}: {part!r} is not a section of the study config")
            node = node[part]
        node[last] = copy.deepcopy(value)
    return out


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return str(value)


def _values_dimension(name: str, where: str, spec: Mapping[str, Any], shipped: Any, kind: str) -> Dimension:
    values = spec.get("values")
    if values is None:
        values = []
    if not isinstance(values, list):
        raise MultiverseError(f"{where}.values: expected a list of alternatives, got {values!r}")
    target = spec[kind]
    build = (
        (lambda v: Option(_plain(v), settings={target: v}))
        if kind == "set"
        else (lambda v: Option(_plain(v), thresholds={target: v}))
    )
    columns = spec.get("columns") or {}
    options = [Option(_plain(shipped) + " (shipped)", shipped=True)]
    seen = {_plain(shipped)}
    for v in values:
        if _plain(v) in seen:
            continue  # the shipped value (or a repeat) listed again: one option
        seen.add(_plain(v))
        opt = build(v)
        if _plain(v) in columns:
            opt = Option(opt.label, opt.settings, opt.thresholds, dict(columns[_plain(v)]))
        options.append(opt)
    return Dimension(name, tuple(options))


def _options_dimension(name: str, where: str, spec: Mapping[str, Any]) -> Dimension:
    if "shipped" not in spec:
        raise MultiverseError(f"{where}: a dimension with options names its shipped choice (key 'shipped')")
    options = [Option(str(spec["shipped"]) + " (shipped)", shipped=True)]
    for label, body in (spec.get("options") or {}).items():
        body = body or {}
        unknown = set(body) - {"set", "thresholds", "columns"}
        if unknown:
            raise MultiverseError(
                f"{where}.options.{label}: unknown key(s) {sorted(unknown)}; expected set, thresholds, columns"
            )
        options.append(
            Option(
                str(label),
                dict(body.get("set") or {}),
                dict(body.get("thresholds") or {}),
                {t: dict(s) for t, s in (body.get("columns") or {}).items()},
            )
        )
    return Dimension(name, tuple(options))


def _anchor_dimension(name: str, where: str, config: Mapping[str, Any]) -> Dimension:
    from nero.fsqca._errors import FsqcaError
    from nero.fsqca.settings import FsqcaSettings

    try:
        fsqca = FsqcaSettings.from_config(config.get("fsqca"))
        shift = fsqca.require_robustness().anchor_shift
    except FsqcaError as exc:
        raise MultiverseError(f"{where}: the robustness anchor moves need the study's fsQCA settings: {exc}") from None
    options = [Option(f"{fsqca.anchor_method} anchors (shipped)", shipped=True)]
    if fsqca.anchor_method != "theory":
        return Dimension(name, tuple(options))  # percentile anchors move by percentiles inside the fsQCA stage only
    for s in [*fsqca.conditions, fsqca.outcome]:
        anchors = fsqca.anchors.get(s)
        if anchors is None:
            raise MultiverseError(f"{where}: fsqca.anchors has no anchors for {s!r}")
        for sign, word in ((1, "+"), (-1, "-")):
            moved = {
                f"fsqca.anchors.{s}.{k}": getattr(anchors, k) + sign * shift
                for k in ("exclusion", "crossover", "inclusion")
            }
            options.append(Option(f"{s} {word}{shift:g}", settings=moved))
    return Dimension(name, tuple(options))


def _only(found: Mapping[str, Sequence[str]], solutions: Sequence[str]) -> dict[str, list[str]]:
    return {sol: list(found.get(sol, [])) for sol in solutions}


def model_options(solutions: Mapping[str, Sequence[str]]) -> list[Option]:
    """The options of a ``models`` dimension: every tied model of every solution alone.

    Parameters
    ----------
    solutions : mapping
        Solution name (as in the ``across_models`` rules: ``intermediate``, ``ESA``) -> its
        model labels (``M1``, ``M2``, ...) in the shipped tables.
    """
    options = [Option("every tied model and the ESA agree (shipped)", shipped=True)]
    for solution, models in solutions.items():
        for model in models:
            options.append(Option(f"{solution} {model} alone", model=(str(solution), str(model))))
    return options


def load_families(
    config: Mapping[str, Any],
    registry_thresholds: Mapping[str, Any] | None = None,
    models: Mapping[str, Sequence[str]] | None = None,
) -> list[Family]:
    """The families of ``config['multiverse']`` with their dimensions resolved.

    Parameters
    ----------
    config : mapping
        The whole study config (the shipped values are read from it).
    registry_thresholds : mapping, optional
        The registry's thresholds (the shipped value of a ``threshold`` dimension).
    models : mapping, optional
        Solution -> tied model labels, for ``models`` dimensions (:func:`model_options`);
        without it a ``models`` dimension offers the shipped choice only.

    Raises
    ------
    MultiverseError
        Naming the family and the key of a malformed entry.
    """
    section = config.get("multiverse")
    if section is None:
        return []
    families_spec = section.get("families") if isinstance(section, Mapping) else None
    if not isinstance(families_spec, Mapping):
        raise MultiverseError("multiverse.families: expected a mapping of family name -> {stage, dimensions}")
    out = []
    for fname, fspec in families_spec.items():
        where = f"multiverse.families.{fname}"
        if not isinstance(fspec, Mapping):
            raise MultiverseError(f"{where}: expected a mapping with 'stage' and 'dimensions'")
        stage = fspec.get("stage")
        if stage not in STAGES:
            raise MultiverseError(f"{where}.stage: {stage!r} is not one of {', '.join(STAGES)}")
        dims = []
        for dname, dspec in (fspec.get("dimensions") or {}).items():
            dwhere = f"{where}.dimensions.{dname}"
            dspec = dspec if isinstance(dspec, Mapping) else {}
            if "set" in dspec:
                try:
                    shipped = get_key(config, dspec["set"])
                except KeyError:
                    raise MultiverseError(f"{dwhere}.set: {dspec['set']!r} is not a key of the study config") from None
                dims.append(_values_dimension(dname, dwhere, dspec, shipped, "set"))
            elif "threshold" in dspec:
                thresholds = registry_thresholds or {}
                if dspec["threshold"] not in thresholds:
                    raise MultiverseError(
                        f"{dwhere}.threshold: {dspec['threshold']!r} is not a threshold of the claims registry"
                    )
                dims.append(_values_dimension(dname, dwhere, dspec, thresholds[dspec["threshold"]], "threshold"))
            elif "options" in dspec:
                dims.append(_options_dimension(dname, dwhere, dspec))
            elif dspec.get("anchors") == "robustness":
                dims.append(_anchor_dimension(dname, dwhere, config))
            elif "models" in dspec:
                wanted = [str(w) for w in (dspec["models"] or [])]
                dims.append(Dimension(dname, tuple(model_options(_only(models or {}, wanted))), tuple(wanted)))
            else:
                raise MultiverseError(
                    f"{dwhere}: expected one of set+values, threshold+values, shipped+options, "
                    "anchors: robustness, models: [...]"
                )
        if sum(bool(d.solutions) for d in dims) > 1:
            raise MultiverseError(f"{where}.dimensions: at most one 'models' dimension per family")
        out.append(
            Family(
                str(fname),
                str(stage),
                tuple(dims),
                str(fspec.get("description", "")).strip(),
                str(fspec.get("batch") or fname),
                _cross_groups(where, fspec.get("cross"), [d.name for d in dims]),
            )
        )
    return out


def _cross_groups(where: str, cross: Any, names: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """``cross:`` of a family checked: lists of its dimension names, every dimension in one."""
    if cross is None:
        return ()
    if not isinstance(cross, list) or not cross or not all(isinstance(g, list) and g for g in cross):
        raise MultiverseError(
            f"{where}.cross: expected a list of groups, each a non-empty list of the family's dimensions, got {cross!r}"
        )
    for i, group in enumerate(cross):
        unknown = [g for g in group if g not in names]
        if unknown:
            raise MultiverseError(
                f"{where}.cross[{i}]: {', '.join(map(repr, unknown))} not a dimension of the family "
                f"({', '.join(names) or 'none'})"
            )
        if len(set(group)) != len(group):
            raise MultiverseError(f"{where}.cross[{i}]: a dimension is listed twice in {group!r}")
    missing = [n for n in names if not any(n in g for g in cross)]
    if missing:
        raise MultiverseError(
            f"{where}.cross: dimension(s) {', '.join(map(repr, missing))} in no group (never varied); "
            "list each in at least one group"
        )
    return tuple(tuple(str(x) for x in g) for g in cross)


def batches(families: Sequence[Family]) -> dict[str, list[Family]]:
    """Batch name -> its families in declaration order (a family without ``batch`` is its own)."""
    out: dict[str, list[Family]] = {}
    for f in families:
        out.setdefault(f.batch or f.name, []).append(f)
    return out


def family(families: Sequence[Family], name: str) -> Family:
    """The family called ``name``; MultiverseError lists the known ones."""
    for f in families:
        if f.name == name:
            return f
    raise MultiverseError(f"multiverse: no family {name!r}; known: {', '.join(f.name for f in families) or '(none)'}")
