"""Model text in lavaan syntax: the codebook's measurement model, method factors, and
readers of ``=~`` statements (split from :mod:`nero.sem.cfa`).

:func:`cfa_model_from_codebook` writes the measurement model of the survey constructs
with a marker loading fixed to 1 on every factor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from nero.survey.codebook import Codebook

from ._common import SemInputError


def codebook_constructs(codebook: Codebook | Mapping[str, Any], include_marker: bool = False) -> dict[str, list[str]]:
    """Construct -> item list of the codebook.

    ``codebook`` is the study's :class:`~nero.survey.codebook.Codebook` (its
    :meth:`~nero.survey.codebook.Codebook.construct_map`), or a bare measurement model, a
    mapping ``constructs: {NAME: {items: [...], marker: true?}}`` without the survey's checks and
    firm variables (what the SEM needs of an instrument; the SEM's own tests use one).
    """
    if isinstance(codebook, Codebook):
        out = codebook.construct_map(include_marker)
    else:
        try:
            constructs = codebook["constructs"]
        except (KeyError, TypeError) as exc:
            raise SemInputError("codebook: a 'constructs' mapping is expected") from exc
        out = {
            str(name): [str(i) for i in spec.get("items", [])]
            for name, spec in constructs.items()
            if include_marker or not spec.get("marker")
        }
    for name, items in out.items():
        if not items:
            raise SemInputError(f"codebook: construct {name!r} has no items")
    return out


def marker_construct(codebook: Codebook | Mapping[str, Any]) -> str | None:
    """Name of the construct flagged ``marker: true`` in the codebook (None if none)."""
    if isinstance(codebook, Codebook):
        return codebook.marker_construct
    return next((str(n) for n, spec in codebook.get("constructs", {}).items() if spec.get("marker")), None)


def measurement_syntax(
    factors: Mapping[str, Sequence[str]],
    second_order: Mapping[str, Sequence[str]] | None = None,
    method_factor: str | None = None,
    method_loadings: str = "equal",
    header: str | None = None,
) -> str:
    """lavaan-syntax measurement model: one line per factor, first loading fixed to 1.

    ``second_order`` maps a higher-order factor to its first-order factors (with two
    first-order factors both loadings are fixed to 1, the usual equality constraint
    that identifies a two-indicator second-order factor). ``method_factor`` adds a
    common latent (method) factor on every item, uncorrelated with the traits, with
    all loadings fixed to 1 and a free variance (``method_loadings='equal'``: the
    equal-loadings CLF of Podsakoff et al. 2003, one parameter) or with a marker
    loading and free others (``'free'``).
    """
    lines = [f"# {line}" for line in (header or "").splitlines() if line.strip()]
    for name, items in factors.items():
        if not items:
            raise SemInputError(f"model: factor {name!r} has no indicators")
        lines.append(f"{name} =~ " + " + ".join([f"1*{items[0]}", *items[1:]]))
    for name, subs in (second_order or {}).items():
        subs = list(subs)
        if len(subs) < 2:
            raise SemInputError(f"second_order: factor {name!r} needs at least two first-order factors")
        unknown = [s for s in subs if s not in factors]
        if unknown:
            raise SemInputError(f"second_order: {name!r} refers to unknown factor(s) {unknown}")
        if len(subs) == 2:
            lines.append("# two first-order factors: both second-order loadings fixed to 1 (identification)")
            lines.append(f"{name} =~ 1*{subs[0]} + 1*{subs[1]}")
        else:
            lines.append(f"{name} =~ " + " + ".join([f"1*{subs[0]}", *subs[1:]]))
    if method_factor:
        all_items = [i for items in factors.values() for i in items]
        if method_loadings == "equal":
            lines.append("# common latent factor: equal (unit) loadings, free variance, orthogonal to the traits")
            lines.append(f"{method_factor} =~ " + " + ".join(f"1*{i}" for i in all_items))
        elif method_loadings == "free":
            lines.append("# common latent factor: free loadings (marker = first item), orthogonal to the traits")
            lines.append(f"{method_factor} =~ " + " + ".join([f"1*{all_items[0]}", *all_items[1:]]))
        else:
            raise SemInputError("method_loadings must be 'equal' or 'free'")
        top = [n for n in factors if not any(n in s for s in (second_order or {}).values())]
        top += list((second_order or {}).keys())
        for name in top:
            lines.append(f"{method_factor} ~~ 0*{name}")
    return "\n".join(lines) + "\n"


def cfa_model_from_codebook(
    codebook: Mapping[str, Any],
    constructs: Sequence[str] | None = None,
    second_order: Mapping[str, Sequence[str]] | None = None,
    include_marker: bool = False,
) -> str:
    """CFA model (lavaan syntax) of the codebook's constructs.

    Parameters
    ----------
    codebook : mapping
        The parsed ``config/codebook.yaml`` (``constructs: {NAME: {items: [...]}}``).
    constructs : sequence of str, optional
        Constructs to include (default: every construct not flagged ``marker: true``).
    second_order : mapping, optional
        Higher-order factor -> first-order constructs, e.g. ``{"NETAMB": ["INST", "VIRT"]}``.
    include_marker : bool
        Also include the marker construct (when ``constructs`` is not given).

    Returns
    -------
    str
        One ``F =~ 1*item1 + item2 + ...`` line per factor; every factor is identified
        by its first loading fixed to 1.
    """
    available = codebook_constructs(codebook, include_marker=True)
    if constructs is None:
        chosen = codebook_constructs(codebook, include_marker=include_marker)
    else:
        unknown = [c for c in constructs if c not in available]
        if unknown:
            raise SemInputError(f"codebook: unknown construct(s) {unknown}; known: {list(available)}")
        chosen = {c: available[c] for c in constructs}
    header = (
        "CFA model generated by nero.sem from the codebook (lavaan syntax).\n"
        "Every factor is identified by a marker loading fixed to 1."
    )
    return measurement_syntax(chosen, second_order=second_order, header=header)


_LOAD_RE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=~\s*(.+)$")


def parse_measurement(model_text: str) -> dict[str, list[str]]:
    """Factor -> indicators of every ``=~`` line of a lavaan/semopy model (labels and
    fixed values such as ``1*x1`` or ``a*x1`` are stripped)."""
    factors: dict[str, list[str]] = {}
    for raw in model_text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LOAD_RE.match(line)
        if not match:
            continue
        name, rhs = match.group(1), match.group(2)
        items = []
        for term in rhs.split("+"):
            term = term.strip()
            if "*" in term:
                term = term.split("*")[-1].strip()
            if term:
                items.append(term)
        factors.setdefault(name, []).extend(items)
    return factors


def observed_variables(model_text: str, columns: Sequence[str]) -> list[str]:
    """Names in ``model_text`` that are columns of the data, in data order."""
    tokens = set(re.findall(r"[A-Za-z_][\w.]*", "\n".join(l.split("#", 1)[0] for l in model_text.splitlines())))
    return [c for c in columns if c in tokens]
