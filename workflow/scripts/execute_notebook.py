"""Snakemake script: execute a study notebook with papermill against results/ and render it to HTML."""

import logging

import nbformat
import papermill
from nbconvert import HTMLExporter

from nero.report.notebook import strip_run_metadata
from nero.outputs import atomic_path, atomic_write_text, log_to, remote_references, self_contained_html

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    with atomic_path(snakemake.output.ipynb) as executed:
        papermill.execute_notebook(
            snakemake.input.notebook, str(executed), parameters={"results_dir": "results"},
            kernel_name="python3", progress_bar=False, cwd=".",
        )
        book = strip_run_metadata(nbformat.read(str(executed), as_version=4), snakemake.output.ipynb)
        nbformat.write(book, str(executed))
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(book)
    html = self_contained_html(html)  # no require.js/MathJax/mermaid from a CDN
    if remote_references(html):
        raise ValueError(f"{snakemake.output.html}: still loads {remote_references(html)} from the network")
    atomic_write_text(snakemake.output.html, html)
    logging.info("executed %s (%d cells)", snakemake.input.notebook, len(book.cells))
