"""Core of Hayes' PROCESS: OLS equations with a chosen SE type, the result object, model 1.

The equations and the models' helpers are in :mod:`nero.sem.process_equations`, the
result object in :mod:`nero.sem.process_result`, model 1 in :mod:`nero.sem.process_moderation`;
this module gathers them (every name stays importable from here).

Conventions of PROCESS 2.16 (the release whose printed output the tests reproduce):

- every equation is OLS; standard errors as PROCESS' ``hc`` option names them:
  ``ols`` (PROCESS' default, classical), ``hc0``..``hc4`` (``hc3`` in release 2.16,
  which the tests reproduce: Davidson & MacKinnon 1993; ``hc4``: Cribari-Neto 2004,
  hand-written as statsmodels has none); t tests and intervals on n - k df; the model
  F is the Wald F of all slopes and the test of the R2 change due to an interaction
  the Wald F of its product term(s), both with the chosen covariance (with ``ols`` they
  are the classical F tests), so tests and SEs never disagree;
- covariates enter every equation (mediators' and outcome's);
- a quantitative moderator is probed at its mean and mean +- 1 SD (SD with n - 1), a
  dichotomous one at its two values; variables are not mean-centred unless asked;
- indirect effects get case-resampling bootstrap intervals from 5000 draws: bias-
  corrected (PROCESS 2.x) and percentile (PROCESS 3+), both reported;
- the Johnson-Neyman points solve (b1 + b3 w)^2 = t_crit^2 Var(b1 + b3 w) (hand-written,
  Johnson & Neyman 1936; Hayes & Matthes 2009), reported within the observed range of W.

Model equations (M: mediators, W: moderator, C: covariates):

- 1: Y = X + W + X*W + C; conditional effect of X = b1 + b3 W
- 4: M_i = X + C; Y = X + M_1..M_k + C; indirect a_i b_i, total sum_i a_i b_i
- 7: M_i = X + W + X*W + C; Y = X + M + C; indirect (a1 + a3 W) b; index a3 b
- 8: as 7 with W and X*W in Y too; conditional direct effect c1 + c3 W; index a3 b
- 14: M_i = X + C; Y = X + M + W + M*W + C; indirect a (b1 + b3 W); index a b3
- 15: as 14 with X*W in Y too; conditional direct effect c1 + c3 W; index a b3
- 58: M_i = X + W + X*W + C; Y = X + M + W + M*W + C; indirect (a1 + a3 W)(b1 + b3 W)
"""

from __future__ import annotations

from .process_equations import (  # noqa: F401 - re-exported
    SE_TYPES,
    Equation,
    _boot,
    _direct,
    _effect_rows,
    _prepare,
    _product,
    _r2_change,
    conditional_effects,
    fit_equation,
    ols_covariance,
    probe_values,
    se_type_name,
    sobel_test,
    wald_f,
)
from .process_moderation import johnson_neyman_points, process_model1  # noqa: F401 - re-exported
from .process_result import ProcessResult  # noqa: F401 - re-exported

MODELS = (1, 4, 7, 8, 14, 15, 58)
