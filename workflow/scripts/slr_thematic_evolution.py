"""Snakemake script: keywords and clusters per period and the overlap of clusters between periods."""

import logging
from pathlib import Path

from nero.outputs import log_to, write_csv
from nero.slr.bibliometrics import read_thesaurus, thematic_evolution
from nero.slr.searches import load_table

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    included = load_table(snakemake.input.included)
    thesaurus = read_thesaurus(Path(snakemake.input.thesaurus).read_text(encoding="utf-8"), snakemake.input.thesaurus)
    p = snakemake.params
    table, links = thematic_evolution(
        included["author_keywords"],
        included["year"],
        thesaurus,
        p.periods,
        min_occurrences=p.min_occurrences,
        resolution=p.resolution,
        seed=p.seed,
        starts=p.starts,
    )
    logging.info("%d keyword-period rows, %d cluster links between periods", len(table), len(links))
    write_csv(table, snakemake.output.table)
    write_csv(links, snakemake.output.links)
