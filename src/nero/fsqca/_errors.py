"""Exceptions and warnings of :mod:`nero.fsqca`.

Every error caused by the input is a :class:`FsqcaError`, a :class:`ValueError`
subclass whose message names the column, the row (case) and the offending value,
and says what was expected.
"""

from __future__ import annotations


class FsqcaError(ValueError):
    """Base class of the input errors raised by :mod:`nero.fsqca`."""


class MissingColumnError(FsqcaError, KeyError):
    """A condition or outcome column is not in the data."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class NonNumericError(FsqcaError):
    """A value that should be a number is not."""


class MissingValueError(FsqcaError):
    """A membership score is missing (NaN)."""


class MembershipRangeError(FsqcaError):
    """A membership score lies outside [0, 1]."""


class AnchorOrderError(FsqcaError):
    """Calibration anchors are not strictly monotone (or otherwise unusable)."""


class HalfMembershipError(FsqcaError):
    """A membership of exactly 0.5 was found and the policy is ``"fail"``."""


class ExpressionError(FsqcaError):
    """A Boolean expression (``A*~B + C``) cannot be parsed."""


class MinimizationError(FsqcaError):
    """The truth table cannot be minimized (nothing to explain, nothing left to exclude...)."""


class HalfMembershipWarning(UserWarning):
    """Memberships of exactly 0.5 were found and shifted or kept (never silently)."""


class ConstantConditionWarning(UserWarning):
    """A condition takes one side of the crossover (or one value) in every case: it cannot
    distinguish configurations, so every truth table row has the same value for it."""


class CalibrationConvergenceWarning(UserWarning):
    """The indirect method's logit did not converge: the targets are (quasi-)separated by the
    design's predictors, so the fitted memberships are not identified (R's glm warns alike)."""
