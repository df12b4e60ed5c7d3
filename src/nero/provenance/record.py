"""The provenance record of a pipeline run (``results/provenance.json``)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

from nero.provenance.manifest import sha256_file


def git_state(repo_dir: str | os.PathLike = ".") -> dict:
    """Return the git commit of ``repo_dir`` and whether its tree has uncommitted changes.

    Outside a git checkout (a tarball of the replication package) both are ``None``.
    """

    def run(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=repo_dir, capture_output=True, text=True, timeout=30, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip()

    commit = run("rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None}
    status = run("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status)}


def package_versions(names: list[str] | None = None) -> dict[str, str]:
    """Versions of installed distributions (all of them when ``names`` is None), sorted by name."""
    if names is None:
        dists = {d.metadata["Name"].lower(): d.version for d in importlib.metadata.distributions()}
    else:
        dists = {}
        for name in names:
            try:
                dists[name.lower()] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                dists[name.lower()] = "not installed"
    return dict(sorted(dists.items()))


def code_fingerprint(paths: list[str | os.PathLike] | dict[str, str | os.PathLike]) -> str:
    """One sha256 over the bytes of the given source files (in the given order, with their names).

    ``paths`` is a list of paths (each its own name) or ``{name: path}`` (hashed in the order
    of the names as given): the names, not where the files lie, enter the fingerprint.
    """
    named = paths if isinstance(paths, dict) else {str(p): p for p in paths}
    digest = hashlib.sha256()
    for name, path in named.items():
        digest.update(str(name).encode("utf-8") + b"\0")
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def library_files() -> dict[str, Path]:
    """``{"src/nero/<module path>": path}`` of every module of the imported ``nero`` package.

    The code that ran, wherever it is installed (a checkout, an audit's scratch copy that uses
    the checkout's library, site-packages), under the names it has in the repository, so its
    fingerprint does not depend on where a build ran.
    """
    package = Path(__file__).resolve().parents[1]
    return {
        f"src/nero/{p.relative_to(package).as_posix()}": p
        for p in sorted(package.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def library_name(path: str | os.PathLike) -> str | None:
    """The repository name (``src/nero/<module path>``) of ``path`` when it is a file of the imported
    library, wherever the library lies; None for any other file.

    A relative ``path`` is read from the working directory. This is how a rule's library inputs
    are named in the lineage, the provenance record and the examiner's tables: the same in a
    checkout (``src/nero/...``), in an audit's scratch rebuild (an absolute path into the
    checkout) and for an installed package.
    """
    package = Path(__file__).resolve().parents[1]
    try:
        rel = Path(path).resolve().relative_to(package)
    except ValueError:
        return None
    return f"src/nero/{rel.as_posix()}"


def library_inputs(workdir: str | os.PathLike) -> list[str]:
    """Every module of the imported library as a rule input of a workflow run in ``workdir``.

    Relative to ``workdir`` when the library lies inside it (a checkout: ``src/nero/...``), else
    absolute (an audit's scratch rebuild imports the checkout's library); sorted as
    :func:`library_files`. :func:`library_name` names each the same way in both cases.
    """
    return [rule_input(path, workdir) for path in library_files().values()]


def rule_input(path: str | os.PathLike, workdir: str | os.PathLike) -> str:
    """How a rule run in ``workdir`` names the source file ``path`` as an input: relative to
    ``workdir`` when it lies inside it, else its absolute path (no ``../`` climbing out)."""
    resolved, root = Path(path).resolve(), Path(workdir).resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(resolved)


def library_checkout() -> Path | None:
    """The git checkout the imported ``nero`` comes from (``<checkout>/src/nero``), or None
    when it is installed elsewhere (site-packages: no commit describes it)."""
    package = Path(__file__).resolve().parents[1]
    return package.parents[1] if package.parent.name == "src" else None


def provenance_record(
    raw_files: dict[str, str | os.PathLike],
    config_files: list[str | os.PathLike],
    code_files: list[str | os.PathLike] | dict[str, str | os.PathLike],
    command: list[str] | None = None,
    repo_dir: str | os.PathLike = ".",
) -> dict:
    """Assemble the provenance record of a run.

    Parameters
    ----------
    raw_files
        ``{name: path}`` of every raw input (name relative to the raw folder).
    config_files
        Configuration files (config, schema, codebook).
    code_files
        The library and workflow sources whose fingerprint identifies the code: paths, or
        ``{name: path}`` (see :func:`code_fingerprint`).
    command
        The command line that ran the workflow (default: this process's ``sys.argv``).
    repo_dir
        The checkout, for the git commit.
    """
    return {
        "raw_inputs": {name: sha256_file(path) for name, path in sorted(raw_files.items())},
        "config_files": {str(path): sha256_file(path) for path in sorted(map(str, config_files))},
        "code": {
            "git": git_state(repo_dir),
            "source_sha256": code_fingerprint(
                dict(sorted(code_files.items())) if isinstance(code_files, dict) else sorted(map(str, code_files))
            ),
            "source_files": len(code_files),
        },
        "software": {
            "python": sys.version.split()[0],
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "packages": package_versions(),
        },
        "command": list(command if command is not None else sys.argv),
    }
