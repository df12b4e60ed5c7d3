"""Integration of Study 1 and Study 2: the joint display.

- :func:`match_archetypes` / :func:`term_matches` / :func:`opposite_poles` -- when a Study-2
  configuration is a Study-1 archetype (its conditions, not the opposite pole of either axis)
- :func:`archetype_match_table` / :func:`archetype_matches_from_results` -- that match for every
  term of every tied model and of the ESA (``results/integration/archetype_matches.csv``, read by
  the claim ``integration.archetypes_matched``)
- :func:`joint_display` / :func:`joint_display_from_results` -- the joint display table

The configuration chart and the term parser it shares with the joint display are fsQCA's
(:func:`nero.fsqca.configuration_chart`, :func:`nero.fsqca.term_conditions`).
"""

from nero.integration.display import (
    JointDisplay,
    archetype_match_table,
    archetype_matches_from_results,
    joint_display,
    joint_display_from_results,
    match_archetypes,
    opposite_poles,
    term_matches,
)

__all__ = [
    "JointDisplay",
    "archetype_match_table",
    "archetype_matches_from_results",
    "joint_display",
    "joint_display_from_results",
    "match_archetypes",
    "opposite_poles",
    "term_matches",
]
