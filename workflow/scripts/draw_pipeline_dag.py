"""Snakemake script: draw the rule graph as PNG/PDF (laid out and drawn with matplotlib, so Graphviz is not needed)."""

from nero.figures import canonical_dot, draw_rulegraph, rulegraph_dot, rulegraph_edges
from nero.outputs import atomic_write_text, log_to

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    rules, edges = rulegraph_edges(rulegraph_dot("."))
    atomic_write_text(snakemake.output.dot, canonical_dot(rules, edges))
    draw_rulegraph(rules, edges, [snakemake.output.png, snakemake.output.pdf])
