"""Stage 0: the systematic literature review, from database exports to the PRISMA flow and the keyword map.

- :mod:`nero.slr.readers` -- Scopus CSV, Web of Science (plain text, tab-delimited), RIS, BibTeX,
  PubMed (MEDLINE, CSV), Lens CSV, OpenAlex CSV; :func:`~nero.slr.readers.read_export` detects the
  format (``nero slr read EXPORT --json``); the readers are in :mod:`~nero.slr.readers_csv`,
  :mod:`~nero.slr.readers_tagged` and :mod:`~nero.slr.readers_bibtex`, the record table, errors and
  repair warnings in :mod:`~nero.slr.exports`;
- :mod:`nero.slr.searches` -- one folder per search (export + ``search.yaml``);
- :mod:`nero.slr.dedup` -- duplicates by DOI, then title + year + first author, every merge logged;
- :mod:`nero.slr.screening`, :mod:`nero.slr.flow` -- scope filters, two screeners with Cohen's
  kappa and consensus, retrieval, the CABS/AJG filter, PRISMA 2020 counts;
- :mod:`nero.slr.coding` -- the APMO coding sheet (pandera schema) and its tables;
- :mod:`nero.slr.bibliometrics` -- keyword co-occurrence, association strength, VOS mapping and
  clustering, VOSviewer map/network files, thematic evolution.

docs/slr.md describes the inputs, the rules and what is implemented.
"""

from nero.slr.bibliometrics import KeywordMap, keyword_map, read_thesaurus, thematic_evolution
from nero.slr.coding import CodingError, CodingTables, coding_tables, validate_coding
from nero.slr.dedup import DedupResult, deduplicate
from nero.slr.exports import ExportFormatError
from nero.slr.flow import FlowResult, check_prisma, prisma_counts, review_flow
from nero.slr.readers import detect_format, read_export
from nero.slr.screening import ScreeningError, read_journal_list
from nero.slr.searches import SearchError, SearchSet, read_searches

__all__ = [
    "CodingError",
    "CodingTables",
    "DedupResult",
    "ExportFormatError",
    "FlowResult",
    "KeywordMap",
    "ScreeningError",
    "SearchError",
    "SearchSet",
    "check_prisma",
    "coding_tables",
    "deduplicate",
    "detect_format",
    "keyword_map",
    "prisma_counts",
    "read_export",
    "read_journal_list",
    "read_searches",
    "read_thesaurus",
    "review_flow",
    "thematic_evolution",
    "validate_coding",
]
