"""The examiner's report: one self-contained HTML file (``results/report.html``) in thesis order.

Research questions and the claims with their verdicts first; then the numbered tables and
figures of the manuscript registry (:mod:`nero.manuscript.registry`), each with caption, note
and links to its files, rule, log and raw inputs (:mod:`nero.report.lineage_records`); the SME
Playbook; an appendix with every other ``report()``-flagged output; the run's provenance.
"""

from nero.report.html import ReportItem, build_report
from nero.report.lineage_records import Lineage, lineage

__all__ = ["Lineage", "ReportItem", "build_report", "lineage"]
