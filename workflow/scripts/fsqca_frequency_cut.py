"""Snakemake script: the fsQCA frequency-cut sensitivity (results/fsqca/frequency_cut_sensitivity.csv).

The main solution and the ESA at every cut from 1 to the chosen one (nero.fsqca.study), and the
verdicts of the claims that read the fsQCA solutions, or the archetype matches made from them
(nero.integration), with that cut's solutions in place of the study's.
"""

from pathlib import Path

import pandas as pd

from nero.claims import load_registry, read_tables, verdicts_by_variant
from nero.fsqca.study import frequency_cut_sensitivity
from nero.integration import archetype_matches_from_results
from nero.outputs import log_to, write_csv

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    registry = load_registry(snakemake.input.registry, snakemake.input.schema)
    results = Path(snakemake.input.solutions).parents[1]
    tables = read_tables(results, [t for t in registry.tables() if t.startswith("fsqca/")])
    by_cut = pd.read_csv(snakemake.input.solutions)
    solved = by_cut[by_cut["error"].fillna("") == ""]
    variants = {
        int(cut): {
            f"fsqca/{src}": solved[(solved["n_cut"] == cut) & (solved["source"] == src)].reset_index(drop=True)
            if ((solved["n_cut"] == cut) & (solved["source"] == src)).any()
            else None  # no solution at this cut: its claims are inconclusive
            for src in ("solutions.csv", "solutions_esa.csv")
        }
        for cut in sorted(by_cut["n_cut"].unique())
    }
    for tables_at_cut in variants.values():  # the archetypes matched by that cut's models
        main, esa = tables_at_cut["fsqca/solutions.csv"], tables_at_cut["fsqca/solutions_esa.csv"]
        tables_at_cut["integration/archetype_matches.csv"] = (
            None
            if main is None or esa is None
            else archetype_matches_from_results(main, esa, snakemake.params.archetypes, snakemake.params.outcome)
        )
    reads = ("fsqca/solutions.csv", "integration/archetype_matches.csv")
    verdicts = pd.concat([verdicts_by_variant(registry, tables, variants, reads=r) for r in reads], ignore_index=True)
    verdicts = verdicts.drop_duplicates(["variant", "claim_id"])
    write_csv(frequency_cut_sensitivity(by_cut, verdicts, snakemake.params.outcome), snakemake.output.table)
