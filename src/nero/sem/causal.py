"""The declared causal model (a DAG) of Study 2, and the control set of every specification.

The study's config declares its causal model (``sem.causal_model`` in config/config.yaml):
the constructs, the firm variables offered as controls, an unobserved common cause where
one is assumed, and the directed edges. :class:`CausalModel` wraps it in a networkx
``DiGraph`` and answers one question for each regression and SEM specification: which
covariates may enter beside the effect's own terms. The rule (Cinelli, Forney & Pearl
2022, "A crash course in good and bad controls"; Pearl 2009, ch. 3):

- a covariate must not be a **descendant** of an exposure, of the mediator or of the
  outcome (controlling for a descendant of the outcome or mediator biases the effect:
  ``log_foreign_markets`` is generated from SCO, ``log_employees`` from CAP);
- among the rest, the covariates are the observed **ancestors of the outcome or of the
  mediator** (confounders through the strategy-type mixture, and causes of the outcome
  that only add precision) and the declared **controls** (exogenous design variables:
  firm age, sector, wave).

The graph is drawn as the report's conceptual-model figure by :func:`draw_causal_model`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

#: Roles a node of the causal model may have.
ROLES = ("construct", "product", "control", "latent")


class CausalModelError(ValueError):
    """The declared causal model is malformed (names the node or edge)."""


@dataclass
class CausalModel:
    """A validated DAG with node roles (see the module docstring)."""

    graph: nx.DiGraph

    @classmethod
    def from_config(cls, spec: Mapping[str, Any]) -> CausalModel:
        """Build from ``{nodes: {name: role or {role, label}}, edges: [[cause, effect], ...]}``."""
        if not isinstance(spec, Mapping) or "nodes" not in spec or "edges" not in spec:
            raise CausalModelError("sem.causal_model: expected a mapping with 'nodes' and 'edges'")
        graph = nx.DiGraph()
        for name, info in spec["nodes"].items():
            info = {"role": info} if isinstance(info, str) else dict(info or {})
            if info.get("role") not in ROLES:
                raise CausalModelError(
                    f"sem.causal_model.nodes.{name}: role must be one of {list(ROLES)}, got {info.get('role')!r}"
                )
            graph.add_node(name, **info)
        for i, edge in enumerate(spec["edges"]):
            if not isinstance(edge, (list, tuple)) or len(edge) != 2:
                raise CausalModelError(f"sem.causal_model.edges[{i}]: expected [cause, effect], got {edge!r}")
            for end in edge:
                if end not in graph:
                    raise CausalModelError(f"sem.causal_model.edges[{i}]: {end!r} is not a declared node")
            graph.add_edge(*edge)
        if not nx.is_directed_acyclic_graph(graph):
            cycle = " -> ".join(a for a, _ in nx.find_cycle(graph))
            raise CausalModelError(f"sem.causal_model: the graph has a cycle ({cycle}); a causal model must be acyclic")
        return cls(graph)

    def role(self, node: str) -> str:
        return self.graph.nodes[node]["role"]

    def descendants(self, nodes: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for n in nodes:
            if n in self.graph:
                out |= nx.descendants(self.graph, n)
        return out

    def covariates(self, exposures: Sequence[str], outcome: str, mediator: str | None = None) -> list[str]:
        """The observed covariates of a specification, in declaration order (see the module docstring).

        Parameters
        ----------
        exposures
            The effect's own terms (e.g. INST, VIRT and their product AMB; or MKT).
        outcome
            The outcome of the equation.
        mediator
            The mediator when the specification has one (its descendants are excluded too).
        """
        for name in [*exposures, outcome, *([mediator] if mediator else [])]:
            if name not in self.graph:
                raise CausalModelError(f"sem.causal_model: {name!r} is not a node of the causal model")
        inside = {*exposures, outcome, *([mediator] if mediator else [])}
        bad = self.descendants([*exposures, *([mediator] if mediator else []), outcome])
        targets = [outcome, *([mediator] if mediator else [])]
        ancestors = set().union(*(nx.ancestors(self.graph, t) for t in targets))
        out = []
        for node, data in self.graph.nodes(data=True):
            if node in inside or node in bad or data["role"] == "latent":
                continue
            if data["role"] == "control" or node in ancestors:
                out.append(node)
        return out

    def excluded(
        self, candidates: Iterable[str], exposures: Sequence[str], outcome: str, mediator: str | None = None
    ) -> list[str]:
        """The ``candidates`` the causal model keeps out of a specification (descendants)."""
        bad = self.descendants([*exposures, *([mediator] if mediator else []), outcome])
        return [c for c in candidates if c in bad]


def draw_causal_model(model: CausalModel, path_png: str, path_pdf: str | None = None) -> None:
    """The conceptual-model figure: constructs left to right, controls below, latent causes dashed.

    Layered by topological generation (networkx), drawn with matplotlib; descendants of an
    outcome that the specifications keep out are drawn in grey.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = model.graph
    layers = list(nx.topological_generations(g))
    order = {n: i for i, n in enumerate(g.nodes)}
    pos = {}
    for x, layer in enumerate(layers):
        ordered = sorted(layer, key=lambda n: (model.role(n) == "control", order[n]))
        for y, node in enumerate(ordered):
            pos[node] = (x, -y + (len(ordered) - 1) / 2)
    fig, ax = plt.subplots(figsize=(9, 5.5))
    colours = {"construct": "#cfe2f3", "product": "#d9ead3", "control": "#eeeeee", "latent": "#ffffff"}
    for role, colour in colours.items():
        nodes = [n for n in g if model.role(n) == role]
        nx.draw_networkx_nodes(
            g,
            pos,
            nodelist=nodes,
            node_color=colour,
            edgecolors="#444444",
            node_size=1500,
            ax=ax,
            node_shape="o" if role != "control" else "s",
        )
    latent = {n for n in g if model.role(n) == "latent"}
    solid = [e for e in g.edges if e[0] not in latent]
    dashed = [e for e in g.edges if e[0] in latent]
    nx.draw_networkx_edges(g, pos, edgelist=solid, ax=ax, arrows=True, arrowsize=14, node_size=1500)
    nx.draw_networkx_edges(g, pos, edgelist=dashed, ax=ax, arrows=True, arrowsize=14, style="dashed", node_size=1500)
    labels = {
        n: g.nodes[n].get("label", n).replace("_", "\n", 1)
        if model.role(n) == "control"
        else g.nodes[n].get("label", n)
        for n in g
    }
    nx.draw_networkx_labels(g, pos, labels=labels, font_size=7, ax=ax)
    ax.set_title("Declared causal model of Study 2 (sem.causal_model); dashed: unobserved common cause", fontsize=9)
    ax.axis("off")
    fig.tight_layout()
    metadata = {"Software": None}
    fig.savefig(path_png, dpi=150, metadata=metadata)
    if path_pdf:
        fig.savefig(path_pdf, metadata={"CreationDate": None, "Producer": None, "Creator": None})
    plt.close(fig)


__all__ = ["CausalModel", "CausalModelError", "ROLES", "draw_causal_model"]
