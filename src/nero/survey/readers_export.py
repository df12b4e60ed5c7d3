"""The result every survey-export reader returns: :class:`SurveyExport`.

Its ``data`` hold the cells as text (``""`` where empty) under the export's real
column names, so that the same mapping, validation and cleaning apply to every format
(:mod:`nero.survey.readers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

FORMATS = ("qualtrics", "qualtrics-legacy", "sav")


@dataclass
class SurveyExport:
    """One export file as read.

    Attributes
    ----------
    path : str
        The file.
    format : str
        One of :data:`FORMATS`.
    data : pandas.DataFrame
        One row per response, text cells (``""`` where empty), real column names.
    header_rows : int
        Rows before the first response (3, 2 or 0); data row ``i`` (0-based) is file
        row ``header_rows + 1 + i``.
    import_ids : dict
        Column -> ImportId (current CSV only; ``None`` elsewhere).
    labels : dict
        Column -> question text or SPSS variable label (shown, never used for mapping).
    value_labels : dict
        Column -> {code: label} (SPSS only).
    user_missing : dict
        Column -> list of user-missing codes set to empty (SPSS only).
    """

    path: str
    format: str
    data: pd.DataFrame
    header_rows: int
    import_ids: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    value_labels: dict = field(default_factory=dict)
    user_missing: dict = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return list(self.data.columns)

    def row_number(self, position: int) -> int:
        """File row of the data row at 0-based ``position``."""
        return self.header_rows + 1 + int(position)

    def summary(self) -> str:
        return (
            f"{self.path}: {self.format} export, {len(self.data)} responses, "
            f"{len(self.data.columns)} columns, {self.header_rows} header rows"
        )

    def to_dict(self) -> dict:
        return {
            "file": self.path,
            "format": self.format,
            "rows": int(len(self.data)),
            "columns": self.columns,
            "header_rows": self.header_rows,
            "import_ids": {k: v for k, v in self.import_ids.items() if v},
            "value_labels": {k: {str(c): label for c, label in v.items()} for k, v in self.value_labels.items()},
            "user_missing": self.user_missing,
        }


__all__ = ["FORMATS", "SurveyExport"]
