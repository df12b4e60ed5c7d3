"""nero: the Network Ambidexterity study pipeline (network-enabled resource orchestration).

One subpackage per method, each usable without Snakemake:

- :mod:`nero.provenance` -- raw-data manifest checks and the provenance record
- :mod:`nero.simulate`   -- the synthetic stand-in study with known truth
- :mod:`nero.survey`     -- Qualtrics / SPSS import, validation, cleaning, waves
- :mod:`nero.qual`       -- REFI-QDA import and the qualitative analysis (Study 1)
- :mod:`nero.sem`        -- measurement model, CMV, mediation and moderation checks
- :mod:`nero.fsqca`      -- calibration, necessity, truth table, exact minimization
- :mod:`nero.figures`    -- deterministic matplotlib figures
"""

__version__ = "0.1.0"
