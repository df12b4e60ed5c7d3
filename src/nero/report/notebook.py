"""Executed notebooks: their tables as a thesis prints them, one parameters cell, no run-specific
metadata (byte-identical rebuilds, no machine path), rendered to a self-contained HTML page that
runs only its template's own scripts."""

from __future__ import annotations

import copy

from nero.markup import inline_scripts, live_markup, with_csp
from nero.outputs import remote_references, self_contained_html

#: Tags papermill gives the notebook's own parameters cell and the cell it injects after it.
PARAMETERS_TAG, INJECTED_TAG = "parameters", "injected-parameters"

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


def single_parameters_cell(book: dict) -> dict:
    """A copy of an executed notebook with one parameters cell: the values the run used.

    Papermill keeps the notebook's own cell tagged ``parameters`` (the defaults) and injects
    a second cell, tagged ``injected-parameters``, right after it with the values it was
    given, so every executed notebook showed two parameters cells. The defaults cell is
    dropped when an injected cell follows; the injected cell, which holds what the run
    used, also gets the ``parameters`` tag, and the execution counts are renumbered from 1.
    A notebook run without parameters keeps its own cell.
    """
    book = copy.deepcopy(book)
    cells = book.get("cells", [])
    injected = [i for i, c in enumerate(cells) if INJECTED_TAG in c.get("metadata", {}).get("tags", [])]
    if injected:
        keep = injected[0]
        drop = {
            i
            for i, c in enumerate(cells)
            if i != keep
            and (
                PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])
                or INJECTED_TAG in c.get("metadata", {}).get("tags", [])
            )
        }
        tags = cells[keep].setdefault("metadata", {}).setdefault("tags", [])
        if PARAMETERS_TAG not in tags:
            tags.insert(0, PARAMETERS_TAG)
        book["cells"] = [c for i, c in enumerate(cells) if i not in drop]
        count = 0  # execution counts again 1, 2, ... (the dropped cell ran first)
        for cell in book["cells"]:
            if cell.get("cell_type") == "code" and cell.get("execution_count") is not None:
                count += 1
                cell["execution_count"] = count
                for output in cell.get("outputs", []):
                    if "execution_count" in output:
                        output["execution_count"] = count
    return book


def table_html(frame, caption: str = "", formats: dict[str, str] | None = None) -> str:
    """A result table as a thesis prints it, for a notebook: APA rounding, no index column, every cell whole.

    Numbers are rounded by :func:`nero.manuscript.apa.format_frame` (by column name, or
    ``formats``: column -> format); missing values are empty cells; text is HTML-escaped
    (it may come from the raw inputs) and never cut.
    """
    import html as _html

    from nero.manuscript.apa import format_frame

    shown = format_frame(frame, formats)
    head = "".join(f"<th>{_html.escape(str(c))}</th>" for c in shown.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in shown.itertuples(index=False)
    )
    title = f"<p><code>{_html.escape(caption)}</code></p>" if caption else ""
    return f"{title}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def table_text(frame, formats: dict[str, str] | None = None) -> str:
    """The same table as plain text (the executed notebook's text form): rounded, no index, nothing cut."""
    from nero.manuscript.apa import format_frame

    return format_frame(frame, formats).to_string(index=False, max_colwidth=None)


def show_table(frame, caption: str = "", formats: dict[str, str] | None = None) -> None:
    """Display a table in a notebook (HTML for the page, text for the ``.ipynb``): :func:`table_html`."""
    from IPython.display import display

    display({"text/plain": table_text(frame, formats), "text/html": table_html(frame, caption, formats)}, raw=True)


def show_agreement(agreement) -> None:
    """Display a :class:`nero.report.crosscheck.Agreement` and stop the run if any quantity disagrees.

    Raises
    ------
    nero.report.crosscheck.DisagreementError
        Through :meth:`~nero.report.crosscheck.Agreement.require`: papermill then fails the
        notebook's job, so no page of a disagreeing notebook is written.
    """
    from IPython.display import display

    display({"text/plain": agreement.summary(), "text/html": agreement.to_html()}, raw=True)
    agreement.require()


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
