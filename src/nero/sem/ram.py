"""A CFA/SEM in RAM form (McArdle & McDonald 1984): lavaan syntax parsed into the A
(paths), S (variances/covariances) and m (means) matrices, the implied moments
Sigma = F (I - A)^-1 S (I - A)^-T F', mu = F (I - A)^-1 m, their derivatives, and
deterministic starting values. Used by :mod:`nero.sem.ml` (see its docstring for why
the engine is hand-written).

Free by default (lavaan's ``cfa``/``sem``): every loading not fixed by ``c*`` (the first
loading of a factor is fixed to 1 unless ``NA*``), the residual variances of endogenous
variables, the variances of latent variables, the covariances of exogenous latent
variables, the intercepts of endogenous observed variables. Observed exogenous
covariates (only on the right of ``~``) are the fixed.x block. Equal labels (``a*x``
twice) are one parameter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ._common import SemInputError

#: What the parser reads; every error message ends with it.
SUPPORTED = (
    "supported: 'F =~ x1 + x2' (loadings; the first is fixed to 1 unless NA*), 'y ~ x' (regressions), "
    "'a ~~ b' (variances and covariances), one variable name on the left; a term is a name with at most "
    "one modifier: a number (fixed value, e.g. 1*x), a label (a*x; equal labels are one parameter) or "
    "NA* (a free first loading, =~ only); '#' starts a comment"
)

#: lavaan operators the engine does not implement, longest first (matched before the supported ones).
_UNSUPPORTED_OPS = (
    (":=", "defined parameters (:=)"),
    ("==", "equality constraints (==; use one label on both parameters instead)"),
    ("~*~", "scaling factors (~*~)"),
    ("<~", "formative indicators (<~)"),
    ("<", "inequality constraints (<)"),
    (">", "inequality constraints (>)"),
    ("|", "thresholds of ordinal variables (|)"),
    ("%", "blocks or efa rotation (%)"),
)
_NAME_RE = re.compile(r"^[A-Za-z_][\w.]*$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_MODIFIER_FUNCTIONS = ("start", "equal", "c", "label", "lower", "upper", "efa", "prior", "rv")


def _refuse(line_no: int, line: str, token: str, what: str) -> SemInputError:
    return SemInputError(f"model line {line_no} ({line!r}): {token!r}: {what} is not supported; {SUPPORTED}")


def _modifier(mod: str, op: str, line_no: int, line: str) -> str:
    """Check one modifier (the part before '*'): a number, a label or NA (=~ only)."""
    if "(" in mod or ")" in mod:
        fn = mod.split("(", 1)[0].strip()
        kind = f"the modifier function {fn}()" if fn in _MODIFIER_FUNCTIONS else "a function-call modifier"
        raise _refuse(line_no, line, mod, kind)
    if "?" in mod:
        raise _refuse(line_no, line, mod, "a starting value written with '?'")
    if mod == "NA":
        if op != "=~":
            raise _refuse(line_no, line, mod + "*", f"NA* (free) on a {op} line (NA* frees a loading of =~ only)")
        return mod
    if _NUMBER_RE.match(mod) or _NAME_RE.match(mod):
        return mod
    raise _refuse(line_no, line, mod, "this modifier (a number, a label or NA is expected)")


def _terms(rhs: str, op: str, line_no: int, line: str) -> list[tuple[str | None, str]]:
    """The terms of a right-hand side as (modifier or None, variable name), checked strictly."""
    out = []
    for raw in rhs.split("+"):
        raw = raw.strip()
        if not raw:
            raise _refuse(line_no, line, rhs.strip(), "an empty term (a dangling '+' or a line continued on the next)")
        parts = [t.strip() for t in raw.split("*")]
        if len(parts) > 2:
            raise _refuse(line_no, line, raw, "more than one modifier on a term")
        name = parts[-1]
        if op == "~" and name == "1":
            raise _refuse(line_no, line, raw, "an intercept (~1)")
        if not _NAME_RE.match(name):
            raise _refuse(line_no, line, raw, "this term (a variable name, optionally with one modifier, is expected)")
        mod = _modifier(parts[0], op, line_no, line) if len(parts) == 2 else None
        out.append((mod, name))
    return out


def check_syntax(model_text: str) -> list[tuple[str, str, list[tuple[str | None, str]]]]:
    """The model's statements as (lhs, operator, [(modifier, name), ...]), refusing what the engine cannot fit.

    Every lavaan operator and modifier the engine does not implement (``:=``, ``==``, ``<``,
    ``>``, ``|``, ``~*~``, ``<~``, ``%``, ``~ 1``, ``start()``, ``equal()``, ``c()``,
    ``label()``, ``lower()``/``upper()``, ``?``, ``NA*`` outside ``=~``, several modifiers
    on one term, several variables on the left, ``;``) raises :class:`SemInputError`
    naming the line, the token and what is supported: a user model is never silently
    read as something else.
    """
    statements = []
    for line_no, raw in enumerate(model_text.splitlines(), start=1):
        line = raw.split("#", 1)[0].split("!", 1)[0].strip()
        if not line:
            continue
        if ";" in line:
            raise _refuse(line_no, line, ";", "several statements on one line (;)")
        for token, what in _UNSUPPORTED_OPS:
            if token in line:
                raise _refuse(line_no, line, token, what)
        for op in ("=~", "~~", "~"):
            if op in line:
                lhs, rhs = (part.strip() for part in line.split(op, 1))
                if not _NAME_RE.match(lhs):
                    raise _refuse(line_no, line, lhs, "this left-hand side (one variable name is expected)")
                statements.append((lhs, op, _terms(rhs, op, line_no, line)))
                break
        else:
            raise SemInputError(f"model line {line_no} ({line!r}): no operator; {SUPPORTED}")
    return statements


@dataclass
class Param:
    """One entry of the RAM matrices: ``kind`` A (path), S (variance/covariance) or M (mean)."""

    kind: str
    row: int
    col: int
    lhs: str
    op: str
    rhs: str
    free: int = -1  # index in the free vector, -1 when fixed
    value: float = 0.0  # fixed value (or start)
    label: str = ""


@dataclass
class RamModel:
    """A parsed model: variable order, parameters, observed and exogenous observed variables."""

    variables: list[str]
    observed: list[str]
    latent: list[str]
    fixed_x: list[str]
    params: list[Param]
    n_free: int
    labels: dict[str, int] = field(default_factory=dict)

    def index(self, name: str) -> int:
        return self.variables.index(name)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_model(model_text: str, columns: Sequence[str]) -> RamModel:
    """Parse lavaan syntax (``=~``, ``~``, ``~~``; ``1*x`` fixed, ``a*x`` labelled) into RAM form."""
    statements = check_syntax(model_text)
    latent = list(dict.fromkeys(lhs for lhs, op, _ in statements if op == "=~"))
    order = list(dict.fromkeys(name for lhs, _, terms in statements for name in [lhs, *(t[1] for t in terms)]))
    observed = [v for v in order if v not in latent]
    missing = [v for v in observed if v not in columns]
    if missing:
        raise SemInputError(f"data: missing column(s) {', '.join(map(repr, missing))} named in the model")
    indicators = {t[1] for lhs, op, terms in statements if op == "=~" for t in terms}
    endogenous = indicators | {lhs for lhs, op, _ in statements if op == "~"}
    fixed_x = [v for v in observed if v not in endogenous]
    params = _ParamList(observed + latent)
    params.add_statements(statements)
    params.add_defaults(fixed_x, [v for v in latent if v not in endogenous], observed)
    return RamModel(params.variables, observed, latent, fixed_x, params.params, params.n_free, params.labels)


class _ParamList:
    """Parameters in the order lavaan lists them, with free indices shared by equal labels."""

    def __init__(self, variables: list[str]):
        self.variables = variables
        self.pos = {v: i for i, v in enumerate(variables)}
        self.params: list[Param] = []
        self.labels: dict[str, int] = {}
        self.n_free = 0
        self.seen_s: set[tuple[int, int]] = set()

    def _new_free(self) -> int:
        self.n_free += 1
        return self.n_free - 1

    def add(self, kind, row, col, lhs, op, rhs, mod, start=0.0) -> None:
        """One parameter: free (``mod`` None), fixed (a number) or labelled (equal labels share a value)."""
        label = ""
        if mod is None:
            free, value = self._new_free(), start
        else:
            try:
                free, value = -1, float(mod)
            except ValueError:
                label = mod
                if mod not in self.labels:
                    self.labels[mod] = self._new_free()
                free, value = self.labels[mod], start
        self.params.append(Param(kind, row, col, lhs, op, rhs, free, value, label))

    def add_statements(self, statements) -> None:
        """The parameters the model states: loadings, regressions, (co)variances."""
        pos, first_seen = self.pos, set()
        for lhs, op, terms in statements:
            for mod, name in terms:
                if op == "=~":
                    if lhs not in first_seen:  # lavaan: the first loading is fixed to 1 unless NA* or a value
                        first_seen.add(lhs)
                        if mod is None or not _is_number(mod) and mod != "NA":
                            mod = "1"
                    if mod == "NA":
                        mod = None
                    self.add("A", pos[name], pos[lhs], lhs, "=~", name, mod, 1.0)
                elif op == "~":
                    self.add("A", pos[lhs], pos[name], lhs, "~", name, mod, 0.0)
                else:
                    i, j = sorted((pos[lhs], pos[name]))
                    self.seen_s.add((i, j))
                    self.add("S", j, i, lhs, "~~", name, mod, 0.0)

    def add_defaults(self, fixed_x: list[str], exogenous_latent: list[str], observed: list[str]) -> None:
        """lavaan's defaults: variances, covariances of exogenous factors, intercepts."""
        pos = self.pos
        for v in self.variables:  # every non-fixed.x variable (residual variance if endogenous)
            i = pos[v]
            if v not in fixed_x and (i, i) not in self.seen_s:
                self.add("S", i, i, v, "~~", v, None, 0.0)
                self.seen_s.add((i, i))
        for a_i, a in enumerate(exogenous_latent):
            for b in exogenous_latent[a_i + 1 :]:
                i, j = sorted((pos[a], pos[b]))
                if (i, j) not in self.seen_s:
                    self.add("S", j, i, a, "~~", b, None, 0.0)
                    self.seen_s.add((i, j))
        for v in observed:  # intercepts of endogenous observed variables
            if v not in fixed_x:
                self.add("M", pos[v], 0, v, "~1", "", None, 0.0)


def _index(model: RamModel) -> dict[str, np.ndarray]:
    """Index arrays of the parameters by kind (cached on the model)."""
    cache = getattr(model, "_idx", None)
    if cache is None:
        cache = {}
        for kind in ("A", "S", "M"):
            ps = [p for p in model.params if p.kind == kind]
            cache[kind] = (
                np.array([p.row for p in ps], int),
                np.array([p.col for p in ps], int),
                np.array([p.free for p in ps], int),
                np.array([p.value for p in ps], float),
            )
        model._idx = cache  # type: ignore[attr-defined]
    return cache


def matrices(model: RamModel, x: np.ndarray, fixed_cov: np.ndarray, fixed_mean: np.ndarray):
    """A, S, m of the RAM at the free vector ``x`` (fixed.x block from the data)."""
    nv = len(model.variables)
    A, S, m = np.zeros((nv, nv)), np.zeros((nv, nv)), np.zeros(nv)
    idx = _index(model)
    for kind, target in (("A", A), ("S", S), ("M", m)):
        rows, cols, free, value = idx[kind]
        vals = np.where(free >= 0, x[np.maximum(free, 0)] if len(x) else 0.0, value)
        if kind == "M":
            target[rows] = vals
        else:
            target[rows, cols] = vals
            if kind == "S":
                target[cols, rows] = vals
    pos = [model.index(v) for v in model.fixed_x]
    if pos:
        S[np.ix_(pos, pos)] = fixed_cov
        m[pos] = fixed_mean
    return A, S, m


def implied(model: RamModel, x, fixed_cov, fixed_mean):
    """Full and observed implied covariance and mean, and (I - A)^-1."""
    A, S, m = matrices(model, x, fixed_cov, fixed_mean)
    B = np.linalg.inv(np.eye(len(A)) - A)
    full = B @ S @ B.T
    mu_full = B @ m
    p = len(model.observed)
    return full, mu_full, B, full[:p, :p], mu_full[:p]


def start_values(model: RamModel, h1_cov: np.ndarray, h1_mean: np.ndarray) -> np.ndarray:
    """Deterministic starting values from the unrestricted moments.

    A factor's variance starts at the triad estimate s_km s_kl / s_ml of its marker k
    (clamped to [5%, 100%] of the marker's variance), a free loading at s_jk / phi,
    residual variances at half the observed variance, regressions and covariances at
    0, intercepts at the H1 means.
    """
    obs = {v: i for i, v in enumerate(model.observed)}
    phi: dict[str, float] = {}
    marker: dict[str, str] = {}
    items: dict[str, list[str]] = {}
    for prm in model.params:
        if prm.op == "=~":
            items.setdefault(prm.lhs, []).append(prm.rhs)
            if prm.free < 0 and prm.value != 0 and prm.lhs not in marker:
                marker[prm.lhs] = prm.rhs
    for f, its in items.items():
        k = marker.get(f)
        if k in obs and len(its) >= 3:
            others = [i for i in its if i != k and i in obs]
            skk = h1_cov[obs[k], obs[k]]
            est = 0.5 * skk
            if len(others) >= 2:
                j, l = obs[others[0]], obs[others[1]]
                if abs(h1_cov[j, l]) > 1e-12:
                    est = h1_cov[obs[k], j] * h1_cov[obs[k], l] / h1_cov[j, l]
            phi[f] = float(min(max(est, 0.05 * skk), skk))
        elif k in obs:
            phi[f] = 0.5 * float(h1_cov[obs[k], obs[k]])
    all_fixed_unit = {f for f in items if all(p.free < 0 for p in model.params if p.op == "=~" and p.lhs == f)}
    mean_var = float(np.mean(np.diag(h1_cov)))
    x = np.zeros(model.n_free)
    done = set()
    for prm in model.params:
        if prm.free < 0 or prm.free in done:
            continue
        done.add(prm.free)
        if prm.kind == "M":
            x[prm.free] = h1_mean[obs[prm.lhs]]
        elif prm.op == "=~":
            k = marker.get(prm.lhs)
            if k in obs and prm.rhs in obs and prm.lhs in phi and phi[prm.lhs] > 0:
                x[prm.free] = h1_cov[obs[prm.rhs], obs[k]] / phi[prm.lhs]
            else:
                x[prm.free] = 1.0
        elif prm.kind == "S" and prm.lhs == prm.rhs:
            if prm.lhs in obs:
                x[prm.free] = 0.5 * h1_cov[obs[prm.lhs], obs[prm.lhs]]
            elif prm.lhs in all_fixed_unit and len(items[prm.lhs]) > 3:
                x[prm.free] = 0.05 * mean_var  # a common method factor with unit loadings
            else:
                x[prm.free] = phi.get(prm.lhs, 0.5 * mean_var) * (1.0 if prm.lhs not in _endogenous(model) else 0.5)
    return x


def _endogenous(model: RamModel) -> set[str]:
    return {p.rhs if p.op == "=~" else p.lhs for p in model.params if p.op in ("=~", "~")}


def _dsigma(model: RamModel, x, fixed_cov, fixed_mean) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Derivatives of the observed implied covariance and mean with respect to each free parameter."""
    full, mu_full, B, _, _ = implied(model, x, fixed_cov, fixed_mean)
    p = len(model.observed)
    dS = [np.zeros((p, p)) for _ in range(model.n_free)]
    dm = [np.zeros(p) for _ in range(model.n_free)]
    for prm in model.params:
        if prm.free < 0:
            continue
        i, j = prm.row, prm.col
        if prm.kind == "A":
            t = np.outer(B[:, i], full[j, :])
            dS[prm.free] += (t + t.T)[:p, :p]
            dm[prm.free] += (B[:, i] * mu_full[j])[:p]
        elif prm.kind == "S":
            t = np.outer(B[:, i], B[:, j])
            dS[prm.free] += (t + t.T)[:p, :p] if i != j else t[:p, :p]
        else:
            dm[prm.free] += B[:p, i]
    return dS, dm
