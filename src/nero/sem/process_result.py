"""The result object of a PROCESS model (:class:`ProcessResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ._common import fmt, frame_text
from .process_equations import Equation

#: The effect tables of :meth:`ProcessResult.summary`, in print order, by attribute.
SUMMARY_TABLES = (
    ("R2 change due to interaction", "r2_change"),
    ("Direct effect of X on Y", "direct"),
    ("Conditional direct effect of X at values of W", "conditional_direct"),
    ("Conditional effects of X at values of W", "conditional"),
    ("Indirect effect(s) of X on Y", "indirect"),
    ("Index of moderated mediation", "index"),
    ("Sobel test", "sobel"),
)


@dataclass
class ProcessResult:
    """Output of a PROCESS model.

    Attributes
    ----------
    model : int
    variables : dict
        Roles: x, m (list), y, w, covariates.
    equations : dict
        Outcome name -> :class:`Equation` (mediators first, then Y).
    direct : DataFrame
        Direct effect of X on Y (conditional on W for model 58 is not needed: X*W is
        not in the Y equation of any model here).
    indirect : DataFrame
        Indirect (or conditional indirect) effects with bootstrap SE, percentile and
        bias-corrected limits; ``w`` is NaN when unconditional.
    index : DataFrame
        Index of moderated mediation (models 7 and 14) with bootstrap limits.
    conditional : DataFrame
        Conditional effects of X at values of W (model 1).
    r2_change : DataFrame
        R2 increase due to the interaction (HC3 Wald F), models 1/7/14/58.
    johnson_neyman : DataFrame
        Effect of X across the range of W with the transition points (model 1).
    plot : DataFrame
        Predicted Y at X, W = mean and +-1 SD, covariates at their means (model 1).
    sobel : DataFrame
        Sobel tests of each a*b (model 4).
    conditional_direct : DataFrame
        Conditional direct effect of X at values of W (models 8 and 15).
    se_type : str
        Standard errors of every equation (``ols``, ``hc0``..``hc4``).
    """

    model: int
    variables: dict[str, Any]
    n: int
    equations: dict[str, Equation]
    direct: pd.DataFrame
    indirect: pd.DataFrame = field(default_factory=pd.DataFrame)
    index: pd.DataFrame = field(default_factory=pd.DataFrame)
    conditional: pd.DataFrame = field(default_factory=pd.DataFrame)
    r2_change: pd.DataFrame = field(default_factory=pd.DataFrame)
    johnson_neyman: pd.DataFrame = field(default_factory=pd.DataFrame)
    jn_points: list[float] = field(default_factory=list)
    plot: pd.DataFrame = field(default_factory=pd.DataFrame)
    sobel: pd.DataFrame = field(default_factory=pd.DataFrame)
    conditional_direct: pd.DataFrame = field(default_factory=pd.DataFrame)
    se_type: str = "hc3"
    n_boot: int = 0
    seed: int | None = None
    conf: float = 0.95

    def coefficients(self) -> pd.DataFrame:
        """All equations' coefficients in one long table."""
        parts = []
        for name, eq in self.equations.items():
            c = eq.coef.copy()
            c.insert(0, "term", c.index)
            c.insert(0, "outcome", name)
            parts.append(c.reset_index(drop=True))
        return pd.concat(parts, ignore_index=True)

    def model_summaries(self) -> pd.DataFrame:
        return pd.DataFrame([eq.summary_row() for eq in self.equations.values()])

    def to_frame(self) -> pd.DataFrame:
        """Every effect (direct, indirect, conditional, index) in one long table."""
        parts = []
        for kind, df in (
            ("direct", self.direct),
            ("conditional direct", self.conditional_direct),
            ("indirect", self.indirect),
            ("index", self.index),
            ("conditional", self.conditional),
            ("sobel", self.sobel),
        ):
            if len(df):
                d = df.copy()
                d.insert(0, "kind", kind)
                parts.append(d)
        out = pd.concat(parts, ignore_index=True, sort=False) if parts else pd.DataFrame()
        out.insert(0, "model", self.model)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "variables": self.variables,
            "n": self.n,
            "n_boot": self.n_boot,
            "seed": self.seed,
            "conf": self.conf,
            "model_summaries": self.model_summaries(),
            "coefficients": self.coefficients(),
            "direct": self.direct,
            "indirect": self.indirect,
            "index_of_moderated_mediation": self.index,
            "conditional_effects": self.conditional,
            "r2_change": self.r2_change,
            "johnson_neyman_points": self.jn_points,
            "sobel": self.sobel,
            "conditional_direct": self.conditional_direct,
            "se_type": self.se_type,
            "conventions": f"OLS, {self.se_type} standard errors, bias-corrected and percentile bootstrap intervals",
        }

    def summary(self) -> str:
        """The model as PROCESS prints it: variables, each equation, the effect tables, J-N, bootstrap."""
        lines = self._header_lines()
        for name, eq in self.equations.items():
            lines += _equation_lines(name, eq)
        for title, attr in SUMMARY_TABLES:
            df = getattr(self, attr)
            if len(df):
                lines.append(f"\n{title}:")
                lines.append(frame_text(df, 4))
        lines += self._footer_lines()
        return "\n".join(lines)

    def _header_lines(self) -> list[str]:
        v = self.variables
        return [
            f"PROCESS model {self.model}: Y = {v['y']}, X = {v['x']}"
            + (f", M = {', '.join(v['m'])}" if v.get("m") else "")
            + (f", W = {v['w']}" if v.get("w") else "")
            + (f", covariates = {', '.join(v['covariates'])}" if v.get("covariates") else ""),
            f"N = {self.n}; {self.se_type.upper()} standard errors; {int(self.conf * 100)}% intervals",
        ]

    def _footer_lines(self) -> list[str]:
        lines = []
        if self.jn_points or len(self.johnson_neyman):
            pts = ", ".join(fmt(p, 4) for p in self.jn_points) or "none within the range of W"
            lines.append(f"\nJohnson-Neyman transition point(s): {pts}")
        if self.n_boot:
            lines.append(
                f"\nBootstrap: {self.n_boot} case resamples, seed {self.seed}; BC = bias-corrected, pct = percentile"
            )
        return lines


def _equation_lines(name: str, eq: Equation) -> list[str]:
    """An equation's fit line and coefficient table."""
    c = eq.coef.copy()
    c.insert(0, "term", c.index)
    return [
        f"\nOutcome: {name}  R2 = {fmt(eq.r2, 4)}, MSE = {fmt(eq.mse, 4)}, "
        f"F({eq.df1}, {eq.df2}) = {fmt(eq.F, 4)}, p = {fmt(eq.p, 4)}",
        frame_text(c, 4),
    ]
