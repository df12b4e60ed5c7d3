"""The pins of the environment: ``requirements.lock``, ``requirements-cluster.lock``, ``environment.yml``.

``requirements.lock`` pins every package a local run needs (``make install``);
``requirements-cluster.lock`` pins the Snakemake executor plugins of the cluster profiles and
the packages only they need (``make install-cluster``). The two are disjoint, so a local
install has no cluster plugin: Snakemake imports every installed executor plugin at each
start, and the SLURM plugin then runs ``scontrol show config``, which waits 10 s where the
SLURM client is installed but no controller answers (docs/cluster.md).

``python -m nero.envfile requirements.lock environment.yml``
    write the conda environment with the local pins;
``python -m nero.envfile split FREEZE requirements.lock requirements-cluster.lock``
    split ``pip freeze`` output into the two locks (the cluster lock keeps its package names);
``python -m nero.envfile installed requirements-cluster.lock``
    print the names of that lock's packages installed here, one a line.

``requirements.lock`` is pip-compile's hashed format (``make lock``): each pin, then its
``--hash=sha256:`` options on continuation lines, then ``# via`` comments. The conda file
repeats the pins without the hashes (conda's pip section installs the same versions).
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
import sys
from pathlib import Path

#: First lines of requirements-cluster.lock (``make lock`` writes them back).
CLUSTER_HEADER = (
    "# Cluster profiles only (make install-cluster; docs/cluster.md): the Snakemake executor plugins\n"
    "# and the packages only they need, on top of requirements.lock. Written by `make lock`.\n"
)


def read_lock_hashes(path: str | Path) -> dict[str, list[str]]:
    """Each ``name==version`` requirement of a lock file with its ``sha256`` hashes, in file order.

    Backslash continuations are joined, comments and blanks skipped; a requirement without
    ``--hash`` maps to an empty list (``pip install --require-hashes`` would refuse it).
    """
    text = Path(path).read_text(encoding="utf-8")
    logical, current = [], ""
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.endswith("\\"):
            current += line[:-1].strip() + " "
            continue
        logical.append((current + line).strip())
        current = ""
    if current.strip():
        logical.append(current.strip())
    pins: dict[str, list[str]] = {}
    for entry in logical:
        words = entry.split()
        pins[words[0]] = [w.split(":", 1)[1] for w in words[1:] if w.startswith("--hash=sha256:")]
    return pins


def read_lock(path: str | Path) -> list[str]:
    """The ``name==version`` requirements of a lock file, in file order (hashes and comments dropped)."""
    return list(read_lock_hashes(path))


def package_name(pin: str) -> str:
    """The normalised name of a ``name==version`` pin (PEP 503: lower case, runs of ``-_.`` as ``-``)."""
    return re.sub(r"[-_.]+", "-", pin.split("==", 1)[0].strip()).lower()


def split_lock(pins: list[str], cluster_names: set[str] | list[str]) -> tuple[list[str], list[str]]:
    """Split pins into the local lock and the cluster lock.

    Parameters
    ----------
    pins
        ``name==version`` lines (e.g. ``pip freeze`` of a venv with the cluster extra).
    cluster_names
        Package names of the cluster lock (any spelling; compared normalised).

    Returns
    -------
    (local, cluster)
        Both in the order of ``pins``.

    Raises
    ------
    ValueError
        A cluster package is not among ``pins`` (the venv lacks ``make install-cluster``:
        its pin would silently vanish from the cluster lock).
    """
    wanted = {package_name(n) for n in cluster_names}
    local = [p for p in pins if package_name(p) not in wanted]
    cluster = [p for p in pins if package_name(p) in wanted]
    missing = sorted(wanted - {package_name(p) for p in cluster})
    if missing:
        raise ValueError(f"cluster packages not installed here: {missing}; run `make install-cluster` first")
    return local, cluster


def installed(pins: list[str]) -> list[str]:
    """The names of ``pins`` whose package is installed in this environment (any version)."""
    names = []
    for pin in pins:
        try:
            importlib.metadata.version(pin.split("==", 1)[0])
        except importlib.metadata.PackageNotFoundError:
            continue
        names.append(pin.split("==", 1)[0])
    return names


def environment_yaml(pins: list[str], python_version: str | None = None) -> str:
    """The text of a conda environment that installs exactly ``pins`` with pip."""
    python_version = python_version or ".".join(platform.python_version_tuple()[:2])
    lines = [
        "# Conda environment for the Network Ambidexterity pipeline.",
        "# Generated by `make lock` from requirements.lock: the pip pins below are the same",
        "# exact versions that `make study` / `make test` install into .venv.",
        "name: nero",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python_version}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {pin}" for pin in pins]
    lines.append("      - -e .")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["split"] and len(argv) == 4:
        freeze, local_lock, cluster_lock = argv[1:]
        try:
            local, cluster = split_lock(read_lock(freeze), [package_name(p) for p in read_lock(cluster_lock)])
        except ValueError as exc:
            print(f"nero.envfile: {exc}", file=sys.stderr)
            return 1
        Path(local_lock).write_text("\n".join(local) + "\n", encoding="utf-8")
        Path(cluster_lock).write_text(CLUSTER_HEADER + "\n".join(cluster) + "\n", encoding="utf-8")
        return 0
    if argv[:1] == ["installed"] and len(argv) == 2:
        for name in installed(read_lock(argv[1])):
            print(name)
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    lock, target = argv
    Path(target).write_text(environment_yaml(read_lock(lock)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
