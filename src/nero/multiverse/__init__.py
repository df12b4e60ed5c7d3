"""The multiverse of each claim: the claims evaluated over the declared analytic alternatives.

A specification-curve analysis (Simonsohn, Simmons & Nelson 2020) and multiverse analysis
(Steegen, Tuerlinckx, Gelman & Vanpaemel 2016) of the thesis's claims: the defensible
alternatives to the study's analytic choices are declared in ``multiverse:`` of
config/config.yaml (docs/multiverse.md explains every key and why each alternative is
defensible); every specification re-runs only the stage it changes, the rest is taken from
the shipped build, and the claims registry is evaluated on the specification's tables.

- :mod:`nero.multiverse.grid` -- the declared families, dimensions and options; the grid.
- :mod:`nero.multiverse.views` -- the registry as a specification reads it; which claims it touches.
- :mod:`nero.multiverse.rerun` -- re-running one stage at a specification's settings.
- :mod:`nero.multiverse.evaluate` -- a family's rows (:func:`run_family`) and the per-claim counts (:func:`gather`).
- :mod:`nero.multiverse.curve` -- the specification-curve figure of a claim.
- :mod:`nero.multiverse.seam` -- the two columns joined into results/claims.csv.
"""
