"""Executed notebooks without run-specific metadata (byte-identical rebuilds, no machine path)."""

from __future__ import annotations

import copy

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
