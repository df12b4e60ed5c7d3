"""Read the survey instrument codebook (``config/codebook.yaml``) at run time.

The generator never hard-codes item ids: every column name, question text,
reverse-keyed flag and valid range of the synthetic Qualtrics exports comes
from the codebook, so a renamed item or a new wave is a codebook change only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nero.survey.codebook import Codebook

#: Repository root when the package is installed editable from ``src/``.
_REPO_ROOT = Path(__file__).resolve().parents[3]


def default_codebook_path() -> Path:
    """Return the path of ``config/codebook.yaml`` of this repository.

    Returns
    -------
    pathlib.Path
        ``<repo>/config/codebook.yaml`` (the package is installed editable from
        ``src/``); falls back to ``./config/codebook.yaml`` in the working
        directory when the package is installed elsewhere.
    """
    candidate = _REPO_ROOT / "config" / "codebook.yaml"
    if candidate.is_file():
        return candidate
    return Path.cwd() / "config" / "codebook.yaml"


def load_codebook(path: str | Path | None = None) -> dict[str, Any]:
    """Load and check the instrument codebook; return it as the plain mapping the generator reads.

    The file is read and checked by :class:`nero.survey.codebook.Codebook` (the one codebook
    loader: scale, constructs and their items, checks, firm variables, column ids per wave);
    the generator walks the checked document (:attr:`~nero.survey.codebook.Codebook.spec`).

    Parameters
    ----------
    path
        YAML file; ``None`` means :func:`default_codebook_path`.

    Returns
    -------
    dict
        The parsed codebook.

    Raises
    ------
    nero.survey.errors.CodebookError
        (a ValueError) If the file cannot be read or is not a usable codebook; the message
        names the file and every problem.
    """
    path = Path(path) if path is not None else default_codebook_path()
    return Codebook.load(path).to_dict()


def likert_items(codebook: dict[str, Any]) -> list[str]:
    """Canonical names of the Likert battery in codebook order (e.g. INST1 ... MARK3)."""
    return list(codebook["items"])


def construct_items(codebook: dict[str, Any]) -> dict[str, list[str]]:
    """Map each construct to its canonical item names, in codebook order."""
    return {name: list(spec["items"]) for name, spec in codebook["constructs"].items()}


def item_column(codebook: dict[str, Any], item: str, wave: str) -> str:
    """Column name of canonical ``item`` in ``wave``'s export.

    Parameters
    ----------
    codebook
        Parsed codebook.
    item
        Canonical item name, e.g. ``"INST2"``.
    wave
        Wave folder name, e.g. ``"wave-2"``.

    Returns
    -------
    str
        ``wave_ids[wave]`` when the item was renamed in that wave, otherwise ``id``.
    """
    spec = codebook["items"][item]
    return spec.get("wave_ids", {}).get(wave, spec["id"])


def import_id(column: str) -> str:
    """Qualtrics ImportId of a question column: ``"QID"`` + id without its leading ``Q``."""
    return "QID" + (column[1:] if column.startswith("Q") else column)
