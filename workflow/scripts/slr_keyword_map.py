"""Snakemake script: keyword co-occurrence map (VOSviewer's method), its map/network files and figure."""

import logging
from pathlib import Path

from nero.figures.slr import keyword_map_figure
from nero.outputs import atomic_write_text, log_to, write_csv
from nero.slr.bibliometrics import keyword_map, read_thesaurus, vosviewer_map_text, vosviewer_network_text
from nero.slr.searches import load_table

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    included = load_table(snakemake.input.included)
    thesaurus = read_thesaurus(Path(snakemake.input.thesaurus).read_text(encoding="utf-8"), snakemake.input.thesaurus)
    s = snakemake.params.settings
    kmap = keyword_map(
        included["author_keywords"],
        included["year"],
        thesaurus,
        min_occurrences=s["min_occurrences"],
        resolution=s["resolution"],
        min_cluster_size=s["min_cluster_size"],
        seed=snakemake.params.seed,
        starts=s["random_starts"],
    )
    logging.info(kmap.summary())
    write_csv(kmap.items, snakemake.output.keywords)
    atomic_write_text(snakemake.output.map, vosviewer_map_text(kmap.items))
    atomic_write_text(snakemake.output.network, vosviewer_network_text(kmap.links))
    keyword_map_figure(kmap.items, kmap.links, [snakemake.output.png, snakemake.output.pdf])
