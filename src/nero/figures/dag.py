"""The pipeline DAG as a figure.

``snakemake --rulegraph`` prints the rule graph in Graphviz's dot language. Graphviz
is optional here: the graph is laid out by rule depth and drawn with matplotlib, so the
figure is built on any machine (and identically on every run). Where Graphviz's ``dot``
is installed, :func:`render_with_graphviz` also renders the dot text as SVG.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

_NODE = re.compile(r'^\s*(\d+)\[label = "([^"]+)"')
_EDGE = re.compile(r"^\s*(\d+) -> (\d+)")


def rulegraph_dot(workdir: str | os.PathLike = ".", snakefile: str = "Snakefile") -> str:
    """Run ``snakemake --rulegraph`` in ``workdir`` and return the dot text."""
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", "--rulegraph", "--nolock", "--quiet", "all", "-s", snakefile, "--forceall"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"snakemake --rulegraph failed in {workdir}:\n{proc.stderr[-3000:]}")
    start = proc.stdout.find("digraph")
    if start < 0:
        raise RuntimeError(f"snakemake --rulegraph printed no graph in {workdir}")
    return proc.stdout[start:]


#: What the rule graph is computed from: the workflow and its inputs, never results/.
CHECKOUT_PARTS = ("Snakefile", "workflow", "config", "notebooks", "data")


def checkout_rulegraph_dot(repo: str | os.PathLike = ".") -> str:
    """The rule graph of ``repo``'s workflow as a fresh checkout has it (no ``results/``).

    Some stages join the DAG only once their outputs exist (the design analysis joins the
    report after ``make design``), so the graph of a working folder depends on what was
    built there. This copies the workflow, config, notebooks and data into a temporary
    folder and runs ``snakemake --rulegraph`` there, so the README's graph (``make dag``)
    and its test do not depend on local leftovers.
    """
    import tempfile

    repo = Path(repo)
    with tempfile.TemporaryDirectory(prefix="nero-rulegraph-") as tmp:
        for part in CHECKOUT_PARTS:
            source = repo / part
            if source.is_dir():
                shutil.copytree(source, Path(tmp, part), ignore=shutil.ignore_patterns("__pycache__"))
            elif source.is_file():
                shutil.copy2(source, Path(tmp, part))
        return rulegraph_dot(tmp)


def rulegraph_edges(dot: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Parse rule names and (upstream, downstream) edges from rulegraph dot text (sorted)."""
    names: dict[str, str] = {}
    edges = []
    for line in dot.splitlines():
        node = _NODE.match(line)
        if node:
            names[node.group(1)] = node.group(2)
            continue
        edge = _EDGE.match(line)
        if edge:
            edges.append((edge.group(1), edge.group(2)))
    named = sorted({(names[a], names[b]) for a, b in edges})
    return sorted(names.values()), named


def canonical_dot(rules: list[str], edges: list[tuple[str, str]]) -> str:
    """The rule graph as dot text in a fixed order (Snakemake's own varies between runs)."""
    lines = ["digraph pipeline {", "    node[shape=box, style=rounded, fontname=sans, fontsize=10];"]
    lines += [f'    "{rule}";' for rule in sorted(rules)]
    lines += [f'    "{up}" -> "{down}";' for up, down in sorted(edges)]
    return "\n".join(lines) + "\n}\n"


def _depths(rules: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    parents = defaultdict(list)
    for up, down in edges:
        parents[down].append(up)
    depth: dict[str, int] = {}

    def visit(rule: str) -> int:
        if rule not in depth:
            depth[rule] = 1 + max((visit(p) for p in parents[rule]), default=-1)
        return depth[rule]

    for rule in rules:
        visit(rule)
    return depth


def draw_rulegraph(rules: list[str], edges: list[tuple[str, str]], targets, title: str = "Pipeline DAG (rule graph)"):
    """Draw the rule graph top-down by depth and save it to ``targets`` (PNG/PDF)."""
    from nero.figures.style import figure, save_figure

    depth = _depths(rules, edges)
    layers = defaultdict(list)
    for rule in sorted(rules):
        layers[depth[rule]].append(rule)
    n_layers = max(layers) + 1 if layers else 1
    widest = max((len(v) for v in layers.values()), default=1)
    fig, ax = figure(width=max(6.0, 1.9 * widest), height=max(3.0, 0.9 * n_layers))
    pos = {}
    for level, members in layers.items():
        for i, rule in enumerate(members):
            pos[rule] = ((i + 0.5) / len(members), 1 - (level + 0.5) / n_layers)
    for up, down in edges:
        (x0, y0), (x1, y1) = pos[up], pos[down]
        ax.annotate(
            "",
            xy=(x1, y1 + 0.25 / n_layers),
            xytext=(x0, y0 - 0.25 / n_layers),
            arrowprops={"arrowstyle": "-|>", "color": "#666666", "lw": 0.7},
        )
    for rule, (x, y) in pos.items():
        ax.text(
            x,
            y,
            rule,
            ha="center",
            va="center",
            fontsize=7,
            bbox={"boxstyle": "round,pad=0.3", "fc": "#E8F1FA", "ec": "#0072B2", "lw": 0.8},
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(title)
    return save_figure(fig, targets)


def render_with_graphviz(dot: str, target: str | os.PathLike) -> Path | None:
    """Render dot text to SVG with Graphviz's ``dot``; return None (and say why) if it is absent."""
    exe = shutil.which("dot")
    if exe is None:
        print(
            "Graphviz's `dot` is not installed (Debian: apt-get install graphviz); "
            "the DAG figure was drawn with matplotlib only.",
            file=sys.stderr,
        )
        return None
    from nero.outputs import atomic_path

    with atomic_path(target) as tmp:
        subprocess.run([exe, "-Tsvg", "-o", str(tmp)], input=dot, text=True, check=True, timeout=120)
    return Path(target)


RULEGRAPH_START = "<!-- rulegraph:start (written by `make dag`; a test checks it against the rules) -->"
RULEGRAPH_END = "<!-- rulegraph:end -->"


def mermaid_flowchart(rules: list[str], edges: list[tuple[str, str]]) -> str:
    """The rule graph (without the `all` target) as a Mermaid flowchart, in a fixed order."""
    lines = ["```mermaid", "flowchart TB"]
    lines += [f"    {up} --> {down}" for up, down in sorted(edges) if "all" not in (up, down)]
    lines.append("```")
    return "\n".join(lines)


def documented_edges(doc_text: str) -> list[tuple[str, str]]:
    """The edges of the Mermaid rule graph kept in ``docs/pipeline.md`` (between the markers)."""
    start = doc_text.index(RULEGRAPH_START) + len(RULEGRAPH_START)
    block = doc_text[start : doc_text.index(RULEGRAPH_END)]
    found = re.findall(r"^\s+(\w+) --> (\w+)\s*$", block, flags=re.M)
    return sorted(found)


def update_rule_graph(doc: str | os.PathLike, workdir: str | os.PathLike = ".") -> None:
    """Rewrite the rule-graph block of ``doc`` (``docs/pipeline.md``) from the workflow in ``workdir``.

    The workflow is read as a fresh checkout has it (:func:`checkout_rulegraph_dot`).
    """
    path = Path(doc)
    text = path.read_text(encoding="utf-8")
    rules, edges = rulegraph_edges(checkout_rulegraph_dot(workdir))
    start = text.index(RULEGRAPH_START) + len(RULEGRAPH_START)
    end = text.index(RULEGRAPH_END)
    path.write_text(text[:start] + "\n" + mermaid_flowchart(rules, edges) + "\n" + text[end:], encoding="utf-8")
