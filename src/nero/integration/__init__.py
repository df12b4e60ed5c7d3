"""Integration of Study 1 and Study 2: the joint display.

- :func:`match_archetypes` -- each Study-1 archetype beside its Study-2 configuration
- :func:`joint_display` / :func:`joint_display_from_results` -- the joint display table

The configuration chart and the term parser it shares with the joint display are fsQCA's
(:func:`nero.fsqca.configuration_chart`, :func:`nero.fsqca.term_conditions`).
"""

from nero.integration.display import JointDisplay, joint_display, joint_display_from_results, match_archetypes

__all__ = ["JointDisplay", "joint_display", "joint_display_from_results", "match_archetypes"]
