"""The examiner's report: one self-contained HTML file (``results/report.html``).

Every table and figure that a rule flags with Snakemake's ``report()`` appears with its
caption, grouped by category, followed by its lineage (the rule, its log and its input
files with their checksums, read from Snakemake's own metadata) and, at the end, the
provenance of the run (raw checksums, code version, software versions).
"""

from nero.report.html import ReportItem, build_report, lineage

__all__ = ["ReportItem", "build_report", "lineage"]
