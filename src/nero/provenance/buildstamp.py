"""A complete build's file-state stamp: `make study` with nothing to do skips Snakemake.

Snakemake decides what to rerun from the files of the checkout (workflow, code, config, raw
data, results) and its own records under ``.snakemake/``; with nothing to do it still takes
about 3 s on the 2-core machine to import itself, parse the workflow and build the DAG. After a
build that succeeded, :func:`write_stamp` records the size and modification time (ns) of every
file of the checkout (``.snakemake/`` records included; the virtual environment, ``.git``,
caches and Snakemake's own logs and scratch files left out), the Snakemake arguments and the
environment variables that change Snakemake's behaviour (``SNAKEMAKE_*``, ``NERO_*``). The next
`make study` asks :func:`check_stamp`: when every one of these is what it was, no input, output,
parameter or record Snakemake reads can differ, so Snakemake would find nothing to do, and the
target ends there (in a few hundredths of a second). Any difference -- a touched file, a new or
removed output, a killed run's incomplete marker, another argument -- runs Snakemake as before.

A file edited while Snakemake runs may have been read before the edit: the state of every file
outside ``results/`` and ``.snakemake/`` (what the build does not write) is recorded when the
check fails, and :func:`write_stamp` writes no stamp when it differs after the build.

A config path that leads out of the checkout (``raw_dir`` on another disk, a symlink) is a file
this stamp would not see: then :func:`check_stamp` never says "up to date".

Hand-written (no library records a tree's ``stat`` state); ``os.scandir`` reads it in one pass.

``python -m nero.provenance.buildstamp check|write [SNAKEMAKE ARGUMENTS...]``
    exit 0 when up to date (check) or the stamp is written (write); 1 otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

#: Where the stamp lives (Snakemake's folder: `make clean-results` removes both together).
STAMP = Path(".snakemake") / "nero-complete-build.json"
#: The state of the build's inputs when it started (written by a failed check).
BEFORE = Path(".snakemake") / "nero-build-inputs.json"
#: What a build writes (everything else is an input).
BUILD_WRITES = ("results/", ".snakemake/")
#: Folders never walked, anywhere in the tree.
SKIPPED_DIRS = frozenset({".git", "__pycache__", ".pytest_cache", ".benchmarks", ".ipynb_checkpoints"})
#: Under ``.snakemake/``: only the records Snakemake's decisions read.
SNAKEMAKE_RECORDS = ("metadata", "incomplete", "locks")
#: Environment variables that change what Snakemake does (profiles, config, our own).
ENV_PREFIXES = ("SNAKEMAKE_", "NERO_")


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def tree_state(root: str | os.PathLike) -> dict[str, list[int]]:
    """``{relative path: [size, mtime_ns]}`` of every file that a build's decisions can read.

    Symbolic links are followed (a linked raw-data folder is walked where it points; a loop
    is walked once).
    """
    root = os.fspath(root)
    state: dict[str, list[int]] = {}
    seen: set[str] = set()

    def walk(folder: str, rel: str) -> None:
        real = os.path.realpath(folder)
        if real in seen:
            return
        seen.add(real)
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = f"{rel}{entry.name}"
                if entry.is_dir(follow_symlinks=True):
                    if entry.name in SKIPPED_DIRS or _is_venv(entry.path):
                        continue
                    if name == ".snakemake":
                        for record in SNAKEMAKE_RECORDS:
                            if os.path.isdir(os.path.join(entry.path, record)):
                                walk(os.path.join(entry.path, record), f"{name}/{record}/")
                        continue
                    walk(entry.path, f"{name}/")
                else:
                    try:
                        info = entry.stat(follow_symlinks=True)
                    except FileNotFoundError:  # a dangling link: record that it is one
                        state[name] = [-1, -1]
                        continue
                    state[name] = [info.st_size, info.st_mtime_ns]

    walk(root, "")
    state.pop(STAMP.as_posix(), None)
    state.pop(BEFORE.as_posix(), None)
    return state


def input_state(state: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """The part of a tree state that a build does not write."""
    return {k: v for k, v in state.items() if not k.startswith(BUILD_WRITES)}


def outside_paths(config: object, root: str | os.PathLike) -> list[str]:
    """String values of a config that name an existing path outside ``root`` (sorted)."""
    root_real = os.path.realpath(root)
    found: set[str] = set()

    def visit(value: object) -> None:
        if isinstance(value, Mapping):
            for item in value.values():
                visit(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)
        elif isinstance(value, str) and value and "\n" not in value and len(value) < 4096:
            path = value if os.path.isabs(value) else os.path.join(root, value)
            if os.path.exists(path):
                real = os.path.realpath(path)
                if os.path.commonpath([real, root_real]) != root_real:
                    found.add(value)

    visit(config)
    return sorted(found)


def fingerprint(state: Mapping[str, list[int]], args: Iterable[str], environ: Mapping[str, str]) -> str:
    """SHA-256 of a tree state, the arguments and the relevant environment variables."""
    payload = {
        "args": list(args),
        "env": {k: v for k, v in sorted(environ.items()) if k.startswith(ENV_PREFIXES)},
        "files": dict(state),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def _load_config(root: str | os.PathLike) -> object:
    import yaml

    path = Path(root, "config", "config.yaml")
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _write_json(target: Path, payload: object) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def write_stamp(root: str | os.PathLike, args: Iterable[str], environ: Mapping[str, str] | None = None) -> Path | None:
    """Record the state after a build that succeeded.

    Returns
    -------
    Path or None
        The stamp; None (and no stamp) when no state was recorded before the build or an
        input changed while it ran.
    """
    environ = os.environ if environ is None else environ
    state = tree_state(root)
    try:
        before = json.loads(Path(root, BEFORE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    Path(root, BEFORE).unlink(missing_ok=True)
    if before != input_state(state):
        return None
    target = Path(root, STAMP)
    _write_json(target, {"fingerprint": fingerprint(state, args, environ)})
    return target


def check_stamp(
    root: str | os.PathLike, args: Iterable[str], environ: Mapping[str, str] | None = None
) -> tuple[bool, str]:
    """Whether nothing changed since the last complete build, and why not.

    Returns
    -------
    (up_to_date, reason)
        When not up to date, a stamp is removed (a build that fails later cannot leave it to
        vouch for a changed tree) and the state of the inputs is recorded for
        :func:`write_stamp`.
    """
    environ = os.environ if environ is None else environ
    target = Path(root, STAMP)
    state = tree_state(root)
    try:
        recorded = json.loads(target.read_text(encoding="utf-8"))["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError):
        recorded, reason = None, "no complete build recorded"
    else:
        outside = outside_paths(_load_config(root), root)
        if outside:
            reason = f"config paths outside the checkout: {outside}"
        elif recorded != fingerprint(state, args, environ):
            reason = "files, arguments or environment changed since the last complete build"
        else:
            return True, "nothing changed since the last complete build"
    target.unlink(missing_ok=True)
    _write_json(Path(root, BEFORE), input_state(state))
    return False, reason


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ("check", "write"):
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[0], argv[1:]
    if command == "write":
        if write_stamp(".", args) is None:
            print(
                "nero.provenance.buildstamp: an input changed while Snakemake ran (or no check "
                "preceded the build); the next `make study` runs Snakemake again",
                file=sys.stderr,
            )
        return 0
    ok, reason = check_stamp(".", args)
    if ok:
        print(
            f"Nothing to be done: {reason} (no file of the checkout, Snakemake argument or "
            f"SNAKEMAKE_/NERO_ variable differs; {STAMP.as_posix()})."
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
