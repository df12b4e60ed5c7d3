"""The shape of the library: its import graph read from the sources (docs/architecture.md, "Layers").

Every ``import`` and ``from ... import`` of ``src/nero`` counts, those inside functions too (a local
import is still a dependency, and hides a cycle as well as a top-level one). The checks:

- no import cycle between modules (networkx over the graph);
- no import running upwards through the layers of :data:`LAYERS`;
- no package exporting a function (or class) that has the name of one of its modules
  (``import nero.pkg.name`` would give the function);
- no module that only re-exports names defined elsewhere (the package ``__init__`` is the only facade).

Each check is a function over a source folder, and each is also run on a small planted package
that breaks it, so a check that cannot fail would fail here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

#: The layers, bottom first. A module belongs to the layer of the longest entry that is it or one
#: of its packages; it may import from its own layer and those below, never from a layer above.
LAYERS = [
    # ground floor: no other nero module below them
    [
        "nero",
        "nero.tolerances",
        "nero.untrusted",
        "nero.markup",
        "nero.config",
        "nero.envfile",
        "nero.console",
        "nero.testing",
    ],
    # writing outputs, raw-data manifests and checksums, the run record, table comparison
    [
        "nero.outputs",
        "nero.provenance",
        "nero.provenance.manifest",
        "nero.provenance.record",
        "nero.provenance.checksums",
        "nero.provenance.runstate",
        "nero.provenance.comparison",
    ],
    ["nero.figures"],
    # the methods, one package each
    ["nero.slr", "nero.survey", "nero.qual", "nero.sem", "nero.fsqca"],
    # what uses the methods: the synthetic study, the integration of the two studies
    ["nero.simulate", "nero.integration"],
    ["nero.claims", "nero.manuscript"],
    ["nero.report", "nero.design", "nero.multiverse"],
    # the audit (a whole rebuild) and the command line on top
    ["nero.provenance.audit", "nero.provenance.examiner", "nero.provenance.cli", "nero.cli", "nero.__main__"],
]

SRC = Path(__file__).resolve().parents[1] / "src"


def modules(src: Path, package: str = "nero") -> dict[str, tuple[Path, bool]]:
    """Every module of ``package`` under ``src``: dotted name -> (file, is a package ``__init__``)."""
    out = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def _target(node: ast.ImportFrom, here: str, is_package: bool) -> str | None:
    if not node.level:
        return node.module
    base = (here if is_package else here.rsplit(".", 1)[0]).split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(src: Path, package: str = "nero") -> nx.DiGraph:
    """Module -> module it imports (the deepest module an import names: ``from a.b import c``
    is an edge to ``a.b.c`` when that is a module, else to ``a.b``)."""
    found = modules(src, package)
    graph = nx.DiGraph()
    for name, (path, is_package) in found.items():
        graph.add_node(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _target(node, name, is_package)
                if base is None:
                    continue
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in found else base for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in found:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def import_cycles(graph: nx.DiGraph) -> list[list[str]]:
    """Every elementary cycle of the import graph, shortest first."""
    return sorted((sorted(c) for c in nx.simple_cycles(graph)), key=lambda c: (len(c), c))


def layer_of(module: str, layers: list[list[str]]) -> int | None:
    """The layer index of ``module`` (longest matching entry), or None when no entry covers it."""
    best, level = "", None
    for index, names in enumerate(layers):
        for entry in names:
            if (module == entry or module.startswith(entry + ".")) and len(entry) > len(best):
                best, level = entry, index
    return level


def upward_imports(graph: nx.DiGraph, layers: list[list[str]]) -> list[str]:
    """Each import from a lower layer to a higher one, and each module no layer covers."""
    problems = [f"{m}: in no layer" for m in sorted(graph) if layer_of(m, layers) is None]
    for a, b in sorted(graph.edges):
        la, lb = layer_of(a, layers), layer_of(b, layers)
        if la is not None and lb is not None and lb > la:
            problems.append(f"{a} (layer {la}) imports {b} (layer {lb})")
    return problems


def _top_level_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names defined in the module, names it imports) at its top level (inside if/try too)."""
    defined, imported = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            defined |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            imported |= {a.asname or a.name for a in node.names}
    return defined - {"__all__"}, imported


def name_collisions(src: Path, package: str = "nero") -> list[str]:
    """Each package that exports (defines or imports into its ``__init__``) a name that is also
    one of its submodules."""
    found = modules(src, package)
    problems = []
    for name, (path, is_package) in found.items():
        if not is_package:
            continue
        defined, imported = _top_level_names(ast.parse(path.read_text(encoding="utf-8")))
        children = {m.rsplit(".", 1)[1] for m in found if m.rpartition(".")[0] == name}
        for clash in sorted((defined | imported) & children):
            problems.append(f"{name} exports {clash!r}, which is also its module {name}.{clash}")
    return problems


def reexport_only_modules(src: Path, package: str = "nero") -> list[str]:
    """Each module (not a package ``__init__`` nor ``__main__``) that defines nothing but imports names."""
    problems = []
    for name, (path, is_package) in modules(src, package).items():
        if is_package or name.endswith(".__main__"):
            continue
        defined, imported = _top_level_names(ast.parse(path.read_text(encoding="utf-8")))
        if imported and not defined:
            problems.append(f"{name} defines nothing and re-exports {len(imported)} names")
    return problems


# ----------------------------------------------------------------------------- the library


def test_the_library_has_no_import_cycle():
    cycles = import_cycles(import_graph(SRC))
    assert cycles == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_no_import_runs_upwards_and_every_module_has_a_layer():
    assert upward_imports(import_graph(SRC), LAYERS) == []


def test_no_module_shares_its_name_with_a_name_its_package_exports():
    assert name_collisions(SRC) == []


def test_no_module_only_re_exports():
    assert reexport_only_modules(SRC) == []


# ----------------------------------------------------------------------------- the checks fail on planted faults


def _package(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_planted_cycle_through_a_local_import_is_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import helper\n\ndef run():\n    return helper()\n",
            "b.py": "def helper():\n    from pkg import a  # local, as the audit/examiner cycle was\n    return a\n",
            "c.py": "from . import a\n",
        },
    )
    graph = import_graph(src, "pkg")
    assert set(graph.edges) == {("pkg.a", "pkg.b"), ("pkg.b", "pkg.a"), ("pkg.c", "pkg.a")}
    assert import_cycles(graph) == [["pkg.a", "pkg.b"]]
    (src / "pkg" / "b.py").write_text("def helper():\n    return 1\n", encoding="utf-8")
    assert import_cycles(import_graph(src, "pkg")) == []


def test_a_planted_upward_import_and_an_unlayered_module_are_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "import pkg.high\n",
            "high.py": "from pkg.low import x\n",
            "stray.py": "",
        },
    )
    layers = [["pkg.low"], ["pkg.high"]]
    assert upward_imports(import_graph(src, "pkg"), layers) == [
        "pkg: in no layer",
        "pkg.stray: in no layer",
        "pkg.low (layer 0) imports pkg.high (layer 1)",
    ]
    # importing from the same layer or below is allowed; the longest entry decides a module's layer,
    # and an entry covers its submodules, not other names that merely start alike
    layers = [["pkg", "pkg.low"], ["pkg.high"]]
    assert upward_imports(import_graph(src, "pkg"), layers) == ["pkg.low (layer 0) imports pkg.high (layer 1)"]
    assert layer_of("pkg.high.sub", layers) == 1 and layer_of("pkg.highway", layers) == 0
    assert layer_of("other", layers) is None


def test_a_planted_name_collision_is_found(tmp_path):
    src = _package(
        tmp_path,
        {
            "__init__.py": "from pkg.calibrate import calibrate\nfrom pkg.tools import tools\n",
            "calibrate.py": "def calibrate():\n    return 1\n",
            "tools.py": "def tools():\n    return 2\n",
            "calibration.py": "def calibrate_all():\n    return 3\n",
        },
    )
    assert name_collisions(src, "pkg") == [
        "pkg exports 'calibrate', which is also its module pkg.calibrate",
        "pkg exports 'tools', which is also its module pkg.tools",
    ]


@pytest.mark.parametrize(
    "text, flagged",
    [
        ('"""A shim."""\nfrom pkg.real import a, b  # re-exported\n__all__ = ["a", "b"]\n', True),
        ("from pkg.real import a\n\nLIMIT = a + 1\n", False),
        ("from pkg.real import a\n\n\ndef use():\n    return a\n", False),
        ('"""Nothing at all."""\n', False),
    ],
)
def test_a_planted_re_export_only_module_is_found(tmp_path, text, flagged):
    src = _package(tmp_path, {"__init__.py": "from pkg.real import a\n", "real.py": "a = 1\nb = 2\n", "shim.py": text})
    assert reexport_only_modules(src, "pkg") == (["pkg.shim defines nothing and re-exports 2 names"] if flagged else [])
