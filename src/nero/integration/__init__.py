"""Integration of Study 1 and Study 2: the configuration chart and the joint display.

- :func:`term_conditions` -- ``"INST*~EFF*CAP"`` as ``{"INST": 1, "EFF": 0, "CAP": 1}``
- :func:`configuration_chart` -- core and peripheral conditions in Fiss's (2011) notation
- :func:`match_archetypes` -- each Study-1 archetype beside its Study-2 configuration
"""

from nero.integration.joint_display import (
    JointDisplay,
    configuration_chart,
    joint_display,
    joint_display_from_results,
    match_archetypes,
    term_conditions,
)

__all__ = ["JointDisplay", "configuration_chart", "joint_display", "joint_display_from_results", "match_archetypes", "term_conditions"]
