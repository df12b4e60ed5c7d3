"""Study 1 (qualitative): import coded interviews and analyse them across cases.

Import
    :func:`read_qdpx` (REFI-QDA ``.qdpx`` from NVivo, ATLAS.ti, MAXQDA, QualCoder),
    :func:`read_coded_segments` (coded-segments CSV), :func:`read_project` (either);
    all return a :class:`QdaProject`; unreadable input raises :class:`QdaImportError`.
Analysis (:mod:`nero.qual.analysis`)
    :func:`codebook_table`, :func:`code_frequencies`, :func:`case_theme_matrix`,
    :func:`code_cooccurrence`, :func:`saturation_curve`.
Reliability (:mod:`nero.qual.reliability`)
    :func:`percent_agreement`, :func:`cohen_kappa`, :func:`krippendorff_alpha`,
    :func:`reliability_table`.
Typology (:mod:`nero.qual.typology`)
    :class:`TypologyRule`, :func:`axis_scores`, :func:`assign_archetypes`,
    :func:`exemplar_quotes`, :func:`case_summary_table`.
Privacy (:mod:`nero.qual.privacy`)
    :func:`check_deny_list`, :func:`require_no_names`.

See ``docs/qual.md``.
"""

from nero.qual.analysis import (
    SaturationResult,
    case_theme_matrix,
    code_cooccurrence,
    code_frequencies,
    codebook_table,
    saturation_curve,
)
from nero.qual.data import StudyData, analysis_codes, coder_selections, interview_order, read_project
from nero.qual.privacy import PrivacyReport, PrivacyViolation, check_deny_list, require_no_names
from nero.qual.project import QdaImportError, QdaProject, normalise_guid
from nero.qual.refiqda import read_qdpx
from nero.qual.reliability import (
    ReliabilityResult,
    choose_second_coder,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    reliability_table,
)
from nero.qual.segments_csv import read_coded_segments
from nero.qual.typology import (
    ARCHETYPES,
    TypologyResult,
    TypologyRule,
    assign_archetypes,
    axis_scores,
    case_summary_table,
    exemplar_quotes,
)

__all__ = [
    "ARCHETYPES",
    "PrivacyReport",
    "PrivacyViolation",
    "QdaImportError",
    "QdaProject",
    "ReliabilityResult",
    "SaturationResult",
    "StudyData",
    "TypologyResult",
    "TypologyRule",
    "analysis_codes",
    "assign_archetypes",
    "axis_scores",
    "case_summary_table",
    "case_theme_matrix",
    "check_deny_list",
    "choose_second_coder",
    "code_cooccurrence",
    "code_frequencies",
    "codebook_table",
    "coder_selections",
    "cohen_kappa",
    "exemplar_quotes",
    "interview_order",
    "krippendorff_alpha",
    "normalise_guid",
    "percent_agreement",
    "read_coded_segments",
    "read_project",
    "read_qdpx",
    "reliability_table",
    "require_no_names",
    "saturation_curve",
]
