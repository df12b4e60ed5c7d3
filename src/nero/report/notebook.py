"""Executed notebooks: without run-specific metadata (byte-identical rebuilds, no machine path),
rendered to a self-contained HTML page that runs only its template's own scripts."""

from __future__ import annotations

import copy

from nero.markup import inline_scripts, live_markup, with_csp
from nero.outputs import remote_references, self_contained_html

#: Papermill's run-specific fields: timings and the temporary file it wrote to.
_RUN_FIELDS = ("start_time", "end_time", "duration")


def strip_run_metadata(book: dict, output_path: str) -> dict:
    """A copy of an executed notebook with its timings removed and its output path relative.

    Papermill records when the run and each cell started and ended, the kernel's message
    timestamps, the (temporary, absolute) file it wrote and a random id for the parameters
cell it injects; none of it is a result, all of
    it differs run to run, and the path names the machine. Outputs and parameters are kept.

    Parameters
    ----------
    book : dict
        The executed notebook (an ``nbformat`` node or its JSON as a dict).
    output_path : str
        The notebook's path as the project names it (e.g. ``results/notebooks/x.ipynb``).
    """
    book = copy.deepcopy(book)
    run = book.get("metadata", {}).get("papermill")
    if run is not None:
        for field in _RUN_FIELDS:
            run.pop(field, None)
        run["output_path"] = output_path
    for cell in book.get("cells", []):
        meta = cell.get("metadata", {})
        if "injected-parameters" in meta.get("tags", []) and "id" in cell:
            cell["id"] = "injected-parameters"  # papermill draws a random id for the cell it adds
        meta.pop("execution", None)
        for field in _RUN_FIELDS:
            meta.get("papermill", {}).pop(field, None)
    return book


def notebook_html(book: dict, name: str = "notebook") -> str:
    """An executed notebook as one self-contained HTML page (nbconvert's ``lab`` template).

    The scripts and style sheets the template would load from a CDN are dropped
    (:func:`nero.outputs.self_contained_html`), and the page carries a Content-Security-
    Policy (:func:`nero.markup.with_csp`) under which only the template's own inline scripts
    (those in ``<head>``) run and images load only from ``data:`` URLs: a script or remote
    image in a cell's output, where text from the raw inputs is shown, never runs or loads.

    Raises
    ------
    ValueError
        If the page would still load anything from the network, or holds live markup in a
        cell's output (:func:`nero.markup.live_markup`; a notebook that shows raw-derived
        text unescaped), naming ``name``.
    """
    import nbformat
    from nbconvert import HTMLExporter

    node = book if isinstance(book, nbformat.NotebookNode) else nbformat.from_dict(book)
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(node)
    page = self_contained_html(page)
    scripts = "".join(f"<script>{body}</script>" for body in inline_scripts(page))
    found = remote_references(scripts) + live_markup(page)
    if found:
        raise ValueError(f"{name}: the page would run or load {found}")
    return with_csp(page)
