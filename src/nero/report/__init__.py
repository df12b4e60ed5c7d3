"""The examiner's report: one self-contained HTML file (``results/report.html``) in thesis order.

Research questions and the claims with their verdicts first; then the numbered tables and
figures of the manuscript registry (:mod:`nero.manuscript.registry`), each with caption, note
and links to its files, rule, log and raw inputs (:mod:`nero.report.lineage_records`); the SME
Playbook; an appendix with every other ``report()``-flagged output; the run's provenance.
"""

import lazy_loader

# Names load from their modules on first use (lazy_loader, SPEC 1): the workflow reads the rule files'
# layout at every start (nero.report.dag) and needs neither the page builder nor the lineage.
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "html": ["ReportItem", "build_report"],
        "lineage_records": ["Lineage", "lineage"],
    },
)
