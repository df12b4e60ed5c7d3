"""Snakemake script: execute a study notebook with papermill against results/ and render it to HTML."""

import logging

import nbformat
import papermill

from nero.outputs import atomic_path, atomic_write_text, log_to
from nero.report.notebook import notebook_html, single_parameters_cell, strip_run_metadata

snakemake = globals()["snakemake"]  # injected by Snakemake's script directive

with log_to(snakemake.log[0]):
    with atomic_path(snakemake.output.ipynb) as executed:
        papermill.execute_notebook(
            snakemake.input.notebook,
            str(executed),
            parameters={"results_dir": "results"},
            kernel_name="python3",
            progress_bar=False,
            cwd=".",
        )
        book = strip_run_metadata(nbformat.read(str(executed), as_version=4), snakemake.output.ipynb)
        book = single_parameters_cell(book)  # papermill adds the injected cell beside the defaults
        nbformat.write(book, str(executed))
    # self-contained (no require.js/MathJax/mermaid from a CDN), with a CSP: only the template's scripts run
    atomic_write_text(snakemake.output.html, notebook_html(book, snakemake.output.html))
    logging.info("executed %s (%d cells)", snakemake.input.notebook, len(book.cells))
