"""Parameters of the survey data-generating process and the population moments they imply.

:class:`DGPParameters` holds every number of the process described in
:mod:`nero.simulate.dgp`, with the shipped study's values as defaults. The
antecedent latents and the capacity score are standardised by population
moments that are functions of the parameters alone: :func:`latent_population_sd`
(closed form over the type mixture) and :func:`cap_population_moments`
(fixed-seed Monte Carlo over :func:`draw_antecedents` and :func:`cap_raw`).
:meth:`DGPParameters.to_dict` writes both into ``truth/truth.json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

#: The wave whose item model is the reference of the invariance across waves.
FIRST_WAVE = "wave-1"

#: Antecedent conditions in latent order.
ANTECEDENTS = ("INST", "VIRT", "EFF", "MKT")

#: The four archetype recipes of Study 1 (fsQCA sufficient configurations).
RECIPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Institutional Optimizer", ("INST", "EFF", "CAP")),
    ("Strategic Explorer", ("INST", "MKT", "CAP")),
    ("Platform Optimizer", ("VIRT", "EFF", "CAP")),
    ("Agile Global Scaler", ("VIRT", "MKT", "CAP")),
)

#: Type code of each archetype.
ARCHETYPE_CODES = {
    "Institutional Optimizer": "IO",
    "Strategic Explorer": "SE",
    "Platform Optimizer": "PO",
    "Agile Global Scaler": "AGS",
}

#: The recipes of the ``contrary`` process (:mod:`nero.simulate.scenarios`): every sufficient
#: configuration orchestrates INST and VIRT together, with an orientation and CAP.
ORCHESTRATED_RECIPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Orchestrated Optimizer", ("INST", "VIRT", "EFF", "CAP")),
    ("Orchestrated Explorer", ("INST", "VIRT", "MKT", "CAP")),
)

#: Code of every recipe the generator can plant (the recipe membership column ``f_<code>``).
RECIPE_CODES = {**ARCHETYPE_CODES, "Orchestrated Optimizer": "OO", "Orchestrated Explorer": "OE"}

#: Parameters added after the shipped study was generated. :meth:`DGPParameters.to_dict` writes
#: them only where they differ from their default, so the shipped ``truth/truth.json`` (made
#: before they existed, and with every one at its default) stays byte-identical.
LATER_PARAMETERS = (
    "recipes",
    "late_response_corr",
    "late_response_construct",
    "noninvariance",
    "interview_archetypes",
    "slr_review",
)


def _default_type_means() -> dict[str, tuple[float, float, float, float]]:
    return {
        "IO": (1.0, -1.0, 1.0, -1.0),
        "SE": (1.0, -1.0, -1.0, 1.0),
        "PO": (-1.0, 1.0, 1.0, -1.0),
        "AGS": (-1.0, 1.0, -1.0, 1.0),
        "AMB": (1.0, 1.0, 0.0, 1.0),
        "NET": (1.0, 1.0, -1.0, -1.0),
        "ORI": (-1.0, -1.0, 1.0, 1.0),
        "LOW": (-1.0, -1.0, -1.0, -1.0),
    }


def _default_type_probs() -> dict[str, float]:
    return {"IO": 0.13, "SE": 0.13, "PO": 0.13, "AGS": 0.13, "AMB": 0.10, "NET": 0.12, "ORI": 0.12, "LOW": 0.14}


def _default_latent_corr() -> list[list[float]]:
    # INST, VIRT, EFF, MKT (within-type residual correlations)
    return [
        [1.00, 0.25, 0.15, 0.15],
        [0.25, 1.00, 0.10, 0.25],
        [0.15, 0.10, 1.00, 0.10],
        [0.15, 0.25, 0.10, 1.00],
    ]


def _default_loadings() -> dict[str, tuple[float, ...]]:
    # pattern loadings per construct, in codebook item order; reverse-worded
    # items (INST4, VIRT3, CAP4, SCO5) carry the weakest loading of their scale
    return {
        "INST": (0.88, 0.84, 0.78, 0.66, 0.82),
        "VIRT": (0.86, 0.82, 0.70, 0.80, 0.76),
        "EFF": (0.84, 0.80, 0.76, 0.70),
        "MKT": (0.86, 0.82, 0.78, 0.72),
        "CAP": (0.88, 0.84, 0.86, 0.72, 0.82),
        "SCO": (0.90, 0.86, 0.80, 0.88, 0.74),
        "MARKER": (0.85, 0.80, 0.75),
    }


def _default_cap_coef() -> dict[str, float]:
    return {"INST": 0.30, "VIRT": 0.30, "EFF": 0.20, "MKT": 0.20, "INSTxVIRT": 0.35}


@dataclass(frozen=True)
class DGPParameters:
    """All parameters of the survey DGP (see the module docstring for the equations).

    Attributes
    ----------
    type_probs, type_means, type_separation, within_sd, latent_corr
        Latent strategy-type mixture of step 1-2.
    cap_coef, cap_level, cap_noise_sd, cap_gate
        Capacity equation (step 3) and the capacity gate of the recipes (step 4).
    sco_fuzzy_weight, sco_f_clip, sco_linear_weight, sco_cap, sco_cap_x_mkt,
    sco_intercept, sco_noise_sd, sco_ceiling_offset, sco_ceiling_sd
        Scale-out equation (step 5).
    item_scale, item_center, loadings, method_loading
        Item model (step 6); ``loadings['MARKER']`` is the marker (step 7).
    employees_*, age_*, sector_probs, markets_*, years_abroad_*
        Firm-variable model (:func:`simulate_firm_variables`).
    recipes
        The sufficient recipes of step 5 (default: the four archetypes, :data:`RECIPES`;
        each name needs a code in :data:`RECIPE_CODES`).
    late_response_corr, late_response_construct
        Non-response bias: the firms' recorded times within a wave are ordered by
        ``r * eta_X + sqrt(1 - r^2) * z`` (``z ~ N(0, 1)``, ``X`` the construct), so that late
        respondents score higher on ``X``; 0 (default): times independent of every latent.
    noninvariance
        Measurement non-invariance across waves: in every wave but ``wave-1`` the first item
        of each construct has its intercept raised by ``noninvariance`` (latent SD units of the
        item) and the second its loading multiplied by ``1 - noninvariance``; 0 (default):
        the same loadings and intercepts in every wave.
    interview_archetypes, slr_review
        The study's other raw data: the archetypes Study 1's interviews are written from
        (:func:`nero.simulate.interviews.simulate_interviews`; default all four) and the review's
        literature (:data:`nero.simulate.slr_works.SLR_VARIANTS`; default ``planted``, 70 included
        articles on both pathways).
    item_wave
        The wave whose item model these parameters are (set by :meth:`for_wave`; never written).
    """

    type_probs: dict[str, float] = field(default_factory=_default_type_probs)
    type_means: dict[str, tuple[float, float, float, float]] = field(default_factory=_default_type_means)
    type_separation: float = 1.8
    within_sd: float = 0.5
    latent_corr: list[list[float]] = field(default_factory=_default_latent_corr)
    cap_coef: dict[str, float] = field(default_factory=_default_cap_coef)
    cap_level: float = 0.5
    cap_noise_sd: float = 0.5
    cap_gate: float = 0.12
    sco_fuzzy_weight: float = 1.35
    sco_f_clip: float = 0.02
    sco_linear_weight: float = 0.5
    sco_cap: float = 0.25
    sco_cap_x_mkt: float = 0.30
    sco_intercept: float = 0.20
    sco_noise_sd: float = 0.20
    sco_ceiling_offset: float = 0.10
    sco_ceiling_sd: float = 0.20
    item_scale: float = 1.75
    item_center: float = 4.0
    loadings: dict[str, tuple[float, ...]] = field(default_factory=_default_loadings)
    method_loading: float = 0.15
    employees_median: float = 30.0
    employees_log_sd: float = 0.8
    employees_cap_slope: float = 0.25
    age_median: float = 14.0
    age_log_sd: float = 0.6
    sector_probs: dict[int, float] = field(
        default_factory=lambda: {1: 0.25, 2: 0.20, 3: 0.18, 4: 0.15, 5: 0.10, 6: 0.12}
    )
    markets_log_mean: float = 1.0
    markets_sco_slope: float = 0.45
    years_abroad_share: float = 0.6
    recipes: tuple[tuple[str, tuple[str, ...]], ...] = RECIPES
    late_response_corr: float = 0.0
    late_response_construct: str = "INST"
    noninvariance: float = 0.0
    interview_archetypes: tuple[str, ...] = tuple(name for name, _ in RECIPES)
    slr_review: str = "planted"
    item_wave: str = ""

    def __post_init__(self) -> None:
        unknown = [name for name, _ in self.recipes if name not in RECIPE_CODES]
        if unknown:
            raise ValueError(f"recipes: no code for {unknown}; known recipes: {sorted(RECIPE_CODES)}")
        if not -1.0 < float(self.late_response_corr) < 1.0:
            raise ValueError(f"late_response_corr must lie in (-1, 1); got {self.late_response_corr!r}")
        if self.late_response_construct not in (*ANTECEDENTS, "CAP", "SCO"):
            raise ValueError(
                f"late_response_construct must be one of {[*ANTECEDENTS, 'CAP', 'SCO']}; "
                f"got {self.late_response_construct!r}"
            )
        unknown = [a for a in self.interview_archetypes if a not in dict(RECIPES)]
        if unknown:
            raise ValueError(f"interview_archetypes: unknown {unknown}; expected some of {[n for n, _ in RECIPES]}")
        if self.slr_review not in ("planted", "narrow"):
            raise ValueError(f"slr_review must be 'planted' or 'narrow'; got {self.slr_review!r}")
        if not 0.0 <= float(self.noninvariance) < 1.0:
            raise ValueError(f"noninvariance must lie in [0, 1); got {self.noninvariance!r}")

    def for_wave(self, wave: str) -> DGPParameters:
        """The item model of ``wave``: itself, or with the non-invariant loadings of a later wave.

        The intercept shifts are returned by :meth:`item_shifts`; this method changes the loadings.
        """
        if self.noninvariance == 0.0 or wave == FIRST_WAVE:
            return self
        loadings = {
            k: tuple(v * (1.0 - self.noninvariance) if j == 1 and k != "MARKER" else v for j, v in enumerate(lam))
            for k, lam in self.loadings.items()
        }
        return replace(self, loadings=loadings, item_wave=wave)

    def item_shifts(self, construct: str, n_items: int) -> np.ndarray:
        """Intercept shift (latent SD units) of each item of ``construct`` in this wave's item model."""
        shift = np.zeros(n_items)
        if self.item_wave and self.item_wave != FIRST_WAVE and self.noninvariance and construct != "MARKER":
            shift[0] = self.noninvariance
        return shift

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON view of every parameter, with the derived population moments.

        The parameters of :data:`LATER_PARAMETERS` are written only where they differ from their default.
        """
        data = asdict(self)
        data.pop("item_wave")
        default = DGPParameters()
        for name in LATER_PARAMETERS:
            if getattr(self, name) == getattr(default, name):
                data.pop(name)
        if "recipes" in data:
            data["recipes"] = {name: list(conds) for name, conds in self.recipes}
        if "interview_archetypes" in data:
            data["interview_archetypes"] = list(self.interview_archetypes)
        data["type_means"] = {k: list(v) for k, v in self.type_means.items()}
        data["loadings"] = {k: list(v) for k, v in self.loadings.items()}
        data["sector_probs"] = {str(k): v for k, v in self.sector_probs.items()}
        data["latent_sd_pop"] = dict(zip(ANTECEDENTS, latent_population_sd(self).tolist()))
        mean, sd = cap_population_moments(self)
        data["cap_pop_mean"], data["cap_pop_sd"] = mean, sd
        data["mean_loadings"] = {k: float(np.mean(v)) for k, v in self.loadings.items()}
        return data


def latent_population_sd(params: DGPParameters) -> np.ndarray:
    """Population SD of each antecedent before standardisation (mixture plus residual)."""
    probs = np.array([params.type_probs[t] for t in params.type_means], dtype=float)
    probs = probs / probs.sum()
    mu = np.array(list(params.type_means.values()), dtype=float) * params.type_separation
    mean = probs @ mu
    between = probs @ (mu - mean) ** 2
    return np.sqrt(between + params.within_sd**2)


def draw_antecedents(rng: np.random.Generator, n: int, params: DGPParameters) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` firms' strategy types and standardised antecedent latents (steps 1-2).

    Consumes ``rng`` in a fixed order: the types, then an ``(n, 4)`` block of
    standard normals. Returns the type index of each firm and the ``(n, 4)``
    latents in :data:`ANTECEDENTS` order.
    """
    types = list(params.type_means)
    probs = np.array([params.type_probs[t] for t in types], dtype=float)
    probs = probs / probs.sum()
    cls = rng.choice(len(types), size=n, p=probs)
    mu = np.array([params.type_means[t] for t in types], dtype=float) * params.type_separation
    chol = np.linalg.cholesky(np.asarray(params.latent_corr, dtype=float))
    resid = rng.standard_normal((n, len(ANTECEDENTS))) @ chol.T * params.within_sd
    eta = (mu[cls] + resid) / latent_population_sd(params)
    return cls, eta


def cap_raw(eta: np.ndarray, noise: np.ndarray, params: DGPParameters) -> np.ndarray:
    """Raw capacity score of step 3: weighted antecedents, the INST x VIRT product and ``noise``."""
    coef = params.cap_coef
    value = sum(coef[k] * eta[:, j] for j, k in enumerate(ANTECEDENTS))
    value = value + coef["INSTxVIRT"] * eta[:, 0] * eta[:, 1]
    return value + noise


def cap_population_moments(params: DGPParameters, draws: int = 200_000) -> tuple[float, float]:
    """Population mean and SD of the raw capacity score (fixed-seed Monte Carlo).

    Parameters
    ----------
    params
        DGP parameters.
    draws
        Monte Carlo sample size.

    Returns
    -------
    tuple of float
        Mean and SD, rounded to 4 decimals so they are stable across platforms.
    """
    key = repr((sorted(asdict(params).items()), draws))
    if key not in _CAP_MOMENTS:
        rng = np.random.default_rng(20240611)
        _, eta = draw_antecedents(rng, draws, params)
        raw = cap_raw(eta, rng.normal(0.0, params.cap_noise_sd, draws), params)
        if len(_CAP_MOMENTS) >= 64:
            _CAP_MOMENTS.clear()
        _CAP_MOMENTS[key] = (round(float(raw.mean()), 4), round(float(raw.std()), 4))
    return _CAP_MOMENTS[key]


#: Memo of :func:`cap_population_moments` (a pure function of the parameters; the
#: design analysis simulates thousands of studies from the same parameters).
_CAP_MOMENTS: dict[str, tuple[float, float]] = {}
