"""Executed notebooks: their tables as a thesis prints them, one parameters cell, no run-specific
metadata (byte-identical rebuilds, no machine path), rendered to a self-contained HTML page that
runs only its template's own scripts."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from nero.markup import inline_scripts, live_markup, with_csp
from nero.outputs import remote_references, self_contained_html

#: Tags papermill gives the notebook's own parameters cell and the cell it injects after it.
PARAMETERS_TAG, INJECTED_TAG = "parameters", "injected-parameters"

#: Papermill's run-specific fields: timings and the temporary file it wrote to.
_RUN_FIELDS = ("start_time", "end_time", "duration")

#: The results each notebook of ``notebooks/`` reads (paths under the results folder), declared
#: once: the rule ``execute_notebook`` takes them as its inputs (:func:`notebook_inputs`) and
#: ``tests/test_notebook_inputs.py`` checks that every result path a notebook's code names is
#: here. The notebooks read built results and never recompute them; the files their independent
#: check (:mod:`nero.report.crosscheck`) re-estimates from are listed too. ``{wave}`` stands for
#: every survey wave; a path in :data:`OPTIONAL_NOTEBOOK_INPUTS` is an input only where the
#: workflow writes it (the claims, in a workflow that has the claims stage).
NOTEBOOK_INPUTS: dict[str, tuple[str, ...]] = {
    "study1_qualitative": tuple(
        f"study1/{name}"
        for name in (
            "codebook.csv",
            "code_frequencies.csv",
            "case_theme_matrix.csv",
            "theme_heatmap.png",
            "cooccurrence.csv",
            "saturation.csv",
            "saturation_summary.json",
            "saturation.png",
            "reliability.csv",
            "typology.csv",
            "case_summary.csv",
            "exemplar_quotes.csv",
            # the independent check recounts these from the coded segments
            "selections.csv",
            "project.json",
        )
    ),
    "study2_quantitative": (
        "survey/flow.csv",
        "survey/flow.png",
        "survey/exclusion_log.csv",
        "survey/missing_items.csv",
        "survey/little_mcar.json",
        "survey/descriptives_constructs.csv",
        "sem/summary.json",
        "sem/figures/path_diagram.png",
        "sem/figures/interaction.png",
        "fsqca/summary.json",
        "fsqca/figures/configuration_chart.png",
        "fsqca/figures/xy_plots.png",
        "fsqca/figures/robustness_overview.png",
        "integration/joint_display.csv",
        "integration/joint_display_unmatched.csv",
        "sem/ambidexterity_moderation.csv",
        "sem/ambidexterity_simple_slopes.csv",
        "sem/ambidexterity_johnson_neyman.csv",
        "sem/ambidexterity_dimensions.csv",
        "sem/ambidexterity_index.csv",
        "sem/mediation_type.csv",
        "sem/capacity_boosting.csv",
        "sem/latent_mediation_fit.csv",
        "sem/latent_mediation.csv",
        "sem/sensitivity_listwise.csv",
        "fsqca/scale_up/solutions.csv",
        "fsqca/scale_up_reverse/solutions.csv",
        # the independent check re-estimates these from clean.csv, the imported waves and memberships.csv
        "survey/clean.csv",
        "sem/process_equations.csv",
        "sem/moderation_coefficients.csv",
        "sem/indirect_effects.csv",
        "fsqca/memberships.csv",
        "fsqca/solutions.csv",
        "fsqca/solutions_esa.csv",
        "survey/waves/{wave}.csv",
        # the tables it shows that the lines above do not name
        "sem/cfa_model.txt",
        "sem/cfa_fit.csv",
        "sem/reliability.csv",
        "sem/fornell_larcker.csv",
        "sem/htmt.csv",
        "sem/harman.csv",
        "sem/cmv_difference_tests.csv",
        "sem/marker_adjustment.csv",
        "sem/nonresponse.csv",
        "sem/invariance_tests.csv",
        "sem/baron_kenny.csv",
        "sem/sobel.csv",
        "sem/conditional_effects.csv",
        "sem/johnson_neyman.csv",
        "sem/moderated_mediation.csv",
        "fsqca/anchors.csv",
        "fsqca/skewness.csv",
        "fsqca/necessity.csv",
        "fsqca/frequency_cut.csv",
        "fsqca/truth_table.csv",
        "fsqca/robustness_verdicts.csv",
        "fsqca/robustness_fit.csv",
        "fsqca/predictive_validity.csv",
        *(
            f"fsqca/{analysis}/{name}.csv"
            for analysis in ("scale_up", "scale_up_reverse")
            for name in ("necessity", "truth_table")
        ),
    ),
    "examiner_audit": (
        "provenance/raw_verified.json",
        "provenance.json",
        "survey/exclusion_log.csv",
        "report.html",
        # three numbers behind the claims, re-estimated (and the claims, where the workflow makes them)
        "survey/clean.csv",
        "sem/ambidexterity_moderation.csv",
        "fsqca/memberships.csv",
        "fsqca/solutions.csv",
        "fsqca/summary.json",
        "study1/selections.csv",
        "study1/reliability.csv",
        "study1/project.json",
        "claims.csv",
    ),
}
#: Inputs of :data:`NOTEBOOK_INPUTS` that a notebook reads only where they exist.
OPTIONAL_NOTEBOOK_INPUTS = frozenset({"claims.csv"})


def notebook_inputs(
    notebook: str,
    waves: Iterable[str] = (),
    written: Callable[[str], bool] | None = None,
    results: str = "results",
) -> list[str]:
    """The results one notebook reads, as the paths of the rule that executes it.

    Parameters
    ----------
    notebook : str
        A key of :data:`NOTEBOOK_INPUTS` (the notebook's file name without ``.ipynb``).
    waves : iterable of str
        The survey waves: ``{wave}`` entries give one path per wave (none without waves).
    written : callable, optional
        ``written(path)`` tells whether the workflow writes ``path``; an optional input
        (:data:`OPTIONAL_NOTEBOOK_INPUTS`) is left out where it does not. Without it, every
        optional input is kept.
    results : str
        The results folder.

    Raises
    ------
    KeyError
        For a notebook that :data:`NOTEBOOK_INPUTS` does not declare, naming the declared ones.
    """
    if notebook not in NOTEBOOK_INPUTS:
        raise KeyError(f"notebook {notebook!r} declares no inputs; declared: {sorted(NOTEBOOK_INPUTS)}")
    waves = list(waves)
    paths = []
    for rel in NOTEBOOK_INPUTS[notebook]:
        for one in [rel.format(wave=wave) for wave in waves] if "{wave}" in rel else [rel]:
            path = f"{results}/{one}"
            if rel in OPTIONAL_NOTEBOOK_INPUTS and written is not None and not written(path):
                continue
            paths.append(path)
    return paths


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
