"""The manuscript: numbered thesis tables (CSV, LaTeX, Word), their registry, the SME Playbook.

- :mod:`nero.manuscript.apa`: APA rounding of every cell;
- :mod:`nero.manuscript.survey_tables`, :mod:`nero.manuscript.qual_tables`: the thesis
  tables that no stage writes (sample profile, constructs, correlations, hypotheses,
  coding scheme, data structure);
- :mod:`nero.manuscript.registry`: the numbered tables and figures in thesis order;
- :mod:`nero.manuscript.export`: LaTeX (booktabs) and Word (python-docx), byte-identical;
- :mod:`nero.manuscript.playbook`: the SME Playbook (Annex E), one card per configuration.
"""

from nero.manuscript.apa import format_frame, format_p
from nero.manuscript.survey_tables import ThesisTable

__all__ = ["ThesisTable", "format_frame", "format_p"]
