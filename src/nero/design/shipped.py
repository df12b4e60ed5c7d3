"""The design results that ship with the project (``design-reference/``) and whether they are stale.

The Monte Carlo of the design analysis takes many CPU minutes, so its summary tables are
committed in ``design-reference/`` with the commit and the hashes of everything that
produced them: the design-relevant config sections, the claims registry, the codebook and
the source of every package a replicate runs. A fresh ``make study`` shows them in the
report without running the Monte Carlo; ``nero status`` and the report say when the
code or the config has changed since (:func:`reference_status`); ``make design``
regenerates them (:func:`write_reference`).

Hashes are SHA-256 over canonical bytes (config sections as sorted-key JSON; each source
file's bytes with its path relative to the project), so they are the same on any machine
that checks out the same commit.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a frame is made: the workflow imports this module at start-up
    import pandas as pd

#: Config sections a design replicate reads.
CONFIG_KEYS = ("seed", "design", "survey", "sem", "fsqca", "qual", "slr", "integration")
#: Files and folders (relative to the project) whose content decides the design's results: the
#: registry, the codebook, every package a replicate runs and the scripts of the batch, truth and
#: gather jobs (their inputs and params come from the config, hashed apart).
SOURCE_PATHS = (
    "config/claims.yaml",
    "config/codebook.yaml",
    "src/nero/design",
    "src/nero/simulate",
    "src/nero/survey",
    "src/nero/sem",
    "src/nero/fsqca",
    "src/nero/qual",
    "src/nero/slr",
    "src/nero/integration",
    "src/nero/claims",
    "src/nero/config.py",
    "src/nero/outputs.py",
    "workflow/scripts/design_batch.py",
    "workflow/scripts/design_gather.py",
    "workflow/scripts/design_truth.py",
)
#: Modules of :mod:`nero.design` that run after the Monte Carlo (shipping, progress, reading the
#: shipped rates against the truth map): a change there changes no shipped number.
AFTER_THE_RUN = (
    "src/nero/design/shipped.py",
    "src/nero/design/progress.py",
    "src/nero/design/operating.py",
    "src/nero/design/recovery.py",
)
#: Tables of ``results/design/`` that ship (the per-replicate table stays local: it is large).
SHIPPED_FILES = ("rates.csv", "claim_rates.csv", "design_table.csv", "truth.csv", "summary.json")
#: The provenance record in the reference folder.
PROVENANCE = "provenance.json"


class ReferenceError(ValueError):
    """The shipped design reference is missing a file or unreadable; the message names it."""


#: Keys of ``design:`` that change what the design estimates (the replicate count and the batch
#: size change only its precision and its jobs; ``in_report`` only the report).
DESIGN_KEYS = ("n_boot", "alpha", "truth_draws", "whole_study", "interviews")
#: Defaults of the optional design keys (:class:`nero.design.settings.DesignSettings`).
DESIGN_DEFAULTS = {"whole_study": True, "interviews": 13}


def config_sha256(config: Mapping[str, Any], scenarios: Sequence[str] | None = None) -> str:
    """SHA-256 of the design-relevant config as sorted-key JSON.

    The sections of :data:`CONFIG_KEYS` besides ``design``, and of ``design`` the keys of
    :data:`DESIGN_KEYS` and the definitions of the scenarios named in ``scenarios`` (default:
    every configured scenario; a named scenario missing from the config counts as changed).
    """
    design = dict(config.get("design") or {})
    defined = dict(design.get("scenarios") or {})
    names = sorted(defined) if scenarios is None else sorted(scenarios)
    science = {k: design.get(k, DESIGN_DEFAULTS.get(k)) for k in DESIGN_KEYS}
    science["scenarios"] = {name: defined.get(name) for name in names}
    part = {k: config.get(k) for k in CONFIG_KEYS if k != "design"}
    part["design"] = science
    return hashlib.sha256(json.dumps(part, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def code_root() -> Path:
    """The folder holding ``src/nero`` of the imported :mod:`nero` package (the code that runs)."""
    import nero

    return Path(nero.__file__).resolve().parents[2]


def source_files(repo: str | Path, code: str | Path | None = None) -> list[tuple[str, Path]]:
    """Every file of :data:`SOURCE_PATHS` as (path relative to its root, path), sorted.

    ``src/...`` paths are read under ``code`` (default :func:`code_root`, the imported package,
    which is also what a rebuild in another folder runs); the others (config files, workflow
    scripts) under ``repo``. Folders contribute their ``.py`` files except :data:`AFTER_THE_RUN`.
    """
    repo = Path(repo)
    code = code_root() if code is None else Path(code)
    out: list[tuple[str, Path]] = []
    for rel in SOURCE_PATHS:
        root = code if rel.startswith("src/") else repo
        path = root / rel
        if path.is_dir():
            for p in path.rglob("*.py"):
                name = p.relative_to(root).as_posix()
                if "__pycache__" not in p.parts and name not in AFTER_THE_RUN:
                    out.append((name, p))
        elif path.is_file():
            out.append((rel, path))
    return sorted(out)


def source_sha256(repo: str | Path, code: str | Path | None = None) -> str:
    """SHA-256 over the relative path and the bytes of every file of :func:`source_files`."""
    digest = hashlib.sha256()
    for name, path in source_files(repo, code):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(
    repo: str | Path, config: Mapping[str, Any], scenarios: Sequence[str] | None = None, code: str | Path | None = None
) -> dict[str, str]:
    """``config_sha256`` (over ``scenarios``) and ``source_sha256`` of the project at ``repo`` under
    ``config``, its package code under ``code`` (default: the imported package)."""
    return {"config_sha256": config_sha256(config, scenarios), "source_sha256": source_sha256(repo, code)}


def write_reference(
    design_dir: str | Path,
    reference_dir: str | Path,
    prints: Mapping[str, str],
    commit: str,
    settings: Mapping[str, Any],
) -> list[Path]:
    """Copy the shipped tables of ``design_dir`` into ``reference_dir`` with ``provenance.json``.

    Parameters
    ----------
    design_dir : path
        ``results/design`` after the gather.
    reference_dir : path
        ``design-reference``.
    prints : mapping
        :func:`fingerprint` of the project that produced ``design_dir``.
    commit : str
        ``git describe --always --dirty`` of that project (``+dirty``: uncommitted changes).
    settings : mapping
        The ``design`` section the run used (replications, scenarios) for the record.

    Raises
    ------
    ReferenceError
        If a file of :data:`SHIPPED_FILES` is missing from ``design_dir``.
    """
    design_dir, reference_dir = Path(design_dir), Path(reference_dir)
    missing = [n for n in SHIPPED_FILES if not (design_dir / n).is_file()]
    if missing:
        raise ReferenceError(f"{design_dir}: missing {', '.join(missing)}; run the design (make design) first")
    reference_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SHIPPED_FILES:
        shutil.copyfile(design_dir / name, reference_dir / name)
        written.append(reference_dir / name)
    record = {
        "commit": commit,
        **dict(prints),
        "replications": settings.get("replications"),
        "scenarios": sorted(settings.get("scenarios") or {}),
        "n_boot": settings.get("n_boot"),
        "whole_study": settings.get("whole_study", True),
        "files": list(SHIPPED_FILES),
    }
    from nero.outputs import write_json

    written.append(write_json(record, reference_dir / PROVENANCE))
    return written


@dataclass
class ReferenceStatus:
    """Whether the shipped design reference still describes this code and config.

    Attributes
    ----------
    present : bool
        ``design-reference/provenance.json`` exists.
    shipped : dict
        Its record (commit, hashes, replications).
    current : dict
        :func:`fingerprint` of the project now.
    changed : list of str
        ``config`` and/or ``source`` when their hash differs from the shipped one.
    """

    present: bool
    shipped: dict[str, Any] = field(default_factory=dict)
    current: dict[str, str] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        """The reference is missing or its code or config hash differs from the project's."""
        return not self.present or bool(self.changed)

    def summary(self) -> str:
        """One line for ``nero status`` and the report."""
        if not self.present:
            return "design reference: none shipped (design-reference/provenance.json missing); run make design"
        made = (
            f"made at commit {self.shipped.get('commit')} with {self.shipped.get('replications')} replicates "
            f"per scenario"
        )
        if not self.changed:
            return f"design reference: up to date ({made}; config and source unchanged)"
        what = " and ".join({"config": "the design-relevant config", "source": "the code"}[c] for c in self.changed)
        return f"design reference: STALE, {what} changed since it was made ({made}); make design regenerates it"

    def to_frame(self) -> pd.DataFrame:
        """One row per hash: shipped value, current value, changed."""
        import pandas as pd

        rows = [
            {
                "part": part,
                "shipped": self.shipped.get(f"{part}_sha256", ""),
                "current": self.current.get(f"{part}_sha256", ""),
                "changed": part in self.changed,
            }
            for part in ("config", "source")
        ]
        return pd.DataFrame(rows).assign(commit=self.shipped.get("commit", ""), status=self.summary())


def reference_status(
    reference_dir: str | Path, repo: str | Path, config: Mapping[str, Any], code: str | Path | None = None
) -> ReferenceStatus:
    """Compare the shipped reference's hashes with the project's (:func:`fingerprint`).

    Raises
    ------
    ReferenceError
        If ``provenance.json`` exists but is not a JSON object with both hashes.
    """
    path = Path(reference_dir) / PROVENANCE
    if not path.is_file():
        return ReferenceStatus(False, {}, fingerprint(repo, config, code=code), [])
    try:
        shipped = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReferenceError(f"{path}: not readable JSON ({exc})") from exc
    keys = ("config_sha256", "source_sha256")
    if (
        not isinstance(shipped, dict)
        or not all(isinstance(shipped.get(k), str) for k in keys)
        or not isinstance(shipped.get("scenarios"), list)
    ):
        raise ReferenceError(f"{path}: expected an object with string fields {', '.join(keys)} and a list 'scenarios'")
    current = fingerprint(repo, config, shipped["scenarios"], code)
    changed = [k.removesuffix("_sha256") for k in current if shipped[k] != current[k]]
    return ReferenceStatus(True, shipped, current, changed)


def project_status(
    repo: str | Path = ".", reference: str = "design-reference", config_path: str = "config/config.yaml"
) -> ReferenceStatus:
    """:func:`reference_status` of the project at ``repo`` under its own config file."""
    from nero.config import load_yaml

    repo = Path(repo)
    return reference_status(repo / reference, repo, load_yaml(repo / config_path))


def reference_config(config: Mapping[str, Any], replications: int, n: int, batch_size: int) -> dict[str, Any]:
    """``config`` with the design that ships: its scenarios at ``n`` firms, ``replications`` each.

    Everything that changes what a replicate estimates (``n_boot``, the scenarios' processes, the
    other sections) stays as configured, so the shipped rates describe the configured design at the
    study's N; only the replicate count, the batch size and the scenarios at other Ns change.

    Raises
    ------
    ReferenceError
        No configured scenario has ``n`` firms, or a count is below 1.
    """
    if replications < 1 or batch_size < 1:
        raise ReferenceError(f"replications ({replications}) and batch size ({batch_size}) must be at least 1")
    design = dict(config.get("design") or {})
    scenarios = {k: v for k, v in (design.get("scenarios") or {}).items() if int(v.get("n", -1)) == int(n)}
    if not scenarios:
        raise ReferenceError(
            f"config design.scenarios: none with n = {n} (have {sorted(design.get('scenarios') or {})})"
        )
    design.update(replications=int(replications), batch_size=int(batch_size), scenarios=scenarios)
    return {**dict(config), "design": design}


def main(argv: list[str] | None = None) -> int:
    """``python -m nero.design.shipped status|write|config [--repo .] [--design results/design]``.

    ``status`` prints :meth:`ReferenceStatus.summary` (exit 1 when stale); ``write`` copies
    the design results into ``design-reference/`` with the commit and the hashes
    (``make design`` runs it after the Monte Carlo); ``config`` writes the whole config of the
    design that ships (:func:`reference_config`; ``make design-reference`` runs the design with it).
    """
    import argparse
    import subprocess

    from nero.config import load_yaml

    parser = argparse.ArgumentParser(prog="python -m nero.design.shipped", description=main.__doc__.splitlines()[0])
    parser.add_argument("command", choices=["status", "write", "config"])
    parser.add_argument("--replications", type=int, default=40, help="config: replicates per scenario")
    parser.add_argument("--n", type=int, default=218, help="config: the study's N (scenarios at this N ship)")
    parser.add_argument("--batch-size", type=int, default=10, help="config: replicates per batch job")
    parser.add_argument("--out", default="results/design_reference_config.yaml", help="config: the file written")
    parser.add_argument("--repo", default=".")
    parser.add_argument("--design", default="results/design", help="the design results (write)")
    parser.add_argument("--reference", default="design-reference")
    parser.add_argument("--config", default="config/config.yaml")
    args = parser.parse_args(argv)
    repo = Path(args.repo)
    if args.command == "status":
        status = project_status(repo, args.reference, args.config)
        print(status.summary())
        return 1 if status.stale else 0
    config = dict(load_yaml(repo / args.config))
    if args.command == "config":
        import yaml

        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(
            reference_config(config, args.replications, args.n, args.batch_size), sort_keys=False, allow_unicode=True
        )
        out.write_text(
            f"# written by python -m nero.design.shipped config from {args.config}\n{text}", encoding="utf-8"
        )
        print(f"wrote {out}")
        return 0
    summary_path = repo / args.design / "summary.json"
    if not summary_path.is_file():
        raise ReferenceError(f"{summary_path}: missing; run the design (make design) first")
    run = json.loads(summary_path.read_text(encoding="utf-8")).get("design_config")
    if not isinstance(run, dict):
        raise ReferenceError(f"{summary_path}: no 'design_config' (the design section the run used); rerun the gather")
    config["design"] = run  # the design as run (e.g. fewer replicates on the command line); the rest from the file
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=40"],
            cwd=repo,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown (not a git checkout)"
    for path in write_reference(repo / args.design, repo / args.reference, fingerprint(repo, config), commit, run):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
