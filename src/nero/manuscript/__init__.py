"""The manuscript: numbered thesis tables (CSV, LaTeX, Word), their registry, the SME Playbook.

- :mod:`nero.manuscript.apa`: APA rounding of every cell;
- :mod:`nero.manuscript.survey_tables`, :mod:`nero.manuscript.qual_tables`: the thesis
  tables that no stage writes (sample profile, constructs, correlations, hypotheses,
  coding scheme, data structure);
- :mod:`nero.manuscript.registry`: the numbered tables and figures in thesis order;
- :mod:`nero.manuscript.export`: LaTeX (booktabs) and Word (python-docx), byte-identical;
- :mod:`nero.manuscript.playbook`: the SME Playbook (Annex E), one card per configuration.
"""

import lazy_loader

# Names load from their modules on first use (lazy_loader, SPEC 1): the workflow reads the table registry
# at every start and needs none of the formatting (pandas, python-docx).
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "apa": ["format_frame", "format_p"],
        "survey_tables": ["ThesisTable"],
    },
)
