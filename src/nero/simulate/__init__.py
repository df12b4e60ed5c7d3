"""The synthetic stand-in study: known truth, exact raw formats.

The real interviews and survey of the Network Ambidexterity study are
confidential, so the repository ships a study generated from a documented
data-generating process (:mod:`nero.simulate.dgp`) whose true values are known:
Qualtrics CSV exports per wave with planted data-quality problems
(:mod:`nero.simulate.survey`), interview transcripts and their REFI-QDA coding
project (:mod:`nero.simulate.interviews`, :mod:`nero.simulate.qdpx`) and the
ground truth. Entry points:

- :func:`simulate_study` -- the whole study (``python -m nero.simulate``);
- :func:`write_wave` -- one extra wave's export (e.g. ``wave-3``);
- :func:`simulate_latents`, :func:`simulate_items`, :func:`simulate_survey_wave`,
  :func:`write_qualtrics_csv`, :func:`simulate_interviews`, :func:`write_qdpx` --
  the pure building blocks;
- :func:`dgp_checks` -- the DGP's promises to the later stages;
- :func:`scenario_parameters`, :func:`scenario_truth` -- the null and weaker-effect
  processes of the design analysis (``python -m nero.simulate --scenario null``);
- :func:`claims_truth` -- the truth map: every claim planted true, planted false or
  not identifiable by this design under a process (``truth/claims_truth.json``).
"""

from nero.simulate.checks import calibrate_direct, dgp_checks
from nero.simulate.codebook import load_codebook
from nero.simulate.dgp_parameters import DGPParameters, RECIPES
from nero.simulate.dgp import simulate_firm_variables, simulate_items, simulate_latents
from nero.simulate.interviews import simulate_interviews
from nero.simulate.qdpx import project_schema_path, utf16_slice, write_qdpx
from nero.simulate.scenarios import SCENARIOS, scenario_parameters, scenario_truth
from nero.simulate.study import StudyPaths, simulate_study, simulate_waves, write_wave
from nero.simulate.survey_instrument import CLEANING_RULES
from nero.simulate.survey import simulate_survey_wave, write_qualtrics_csv
from nero.simulate.truth_map import claims_truth

__all__ = [
    "CLEANING_RULES",
    "DGPParameters",
    "RECIPES",
    "SCENARIOS",
    "StudyPaths",
    "calibrate_direct",
    "claims_truth",
    "dgp_checks",
    "load_codebook",
    "project_schema_path",
    "scenario_parameters",
    "scenario_truth",
    "simulate_firm_variables",
    "simulate_interviews",
    "simulate_items",
    "simulate_latents",
    "simulate_study",
    "simulate_survey_wave",
    "simulate_waves",
    "utf16_slice",
    "write_qdpx",
    "write_qualtrics_csv",
    "write_wave",
]
