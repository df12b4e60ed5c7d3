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

import lazy_loader

# Names load from their modules on first use (lazy_loader, SPEC 1): the workflow's design rules need
# the scenarios only, not the whole generator.
__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "checks": ["calibrate_direct", "dgp_checks"],
        "codebook": ["load_codebook"],
        "dgp_parameters": ["DGPParameters", "RECIPES"],
        "dgp": ["simulate_firm_variables", "simulate_items", "simulate_latents"],
        "interviews": ["simulate_interviews"],
        "qdpx": ["project_schema_path", "utf16_slice", "write_qdpx"],
        "scenarios": ["SCENARIOS", "scenario_parameters", "scenario_truth"],
        "study": ["StudyPaths", "simulate_study", "simulate_waves", "write_wave"],
        "survey_instrument": ["CLEANING_RULES"],
        "survey": ["simulate_survey_wave", "write_qualtrics_csv"],
        "truth_map": ["claims_truth"],
    },
)
