"""Numbered tables for the manuscript: LaTeX (booktabs, through pandas' Styler) and Word
(python-docx), byte-identical across runs.

A ``.docx`` is a zip: python-docx stamps the core properties (created, modified) with the
clock and the zip entries with the time of writing, so :func:`docx_bytes` fixes both (core
properties set to a constant date, every entry rewritten with the 1980-01-01 timestamp in
the order python-docx wrote them).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd

from nero.markup import spreadsheet_frame

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def latex_table(frame: pd.DataFrame, label: str, title: str, note: str, long: bool | None = None) -> str:
    """A booktabs table (``\\toprule``/``\\midrule``/``\\bottomrule``), cells escaped for LaTeX.

    Parameters
    ----------
    frame
        The rounded table (every cell text).
    label
        ``\\label`` key, e.g. ``tab:sample-profile``.
    title
        Caption (APA: the title of the table).
    note
        The table note, set below the table.
    long
        ``longtable`` (breaks across pages); by default for more than 25 rows.
    """
    long = len(frame) > 25 if long is None else long
    text_cols = [not all(_numeric_text(v) for v in frame[c] if v != "") for c in frame.columns]
    colspec = "".join("l" if t else "r" for t in text_cols)
    styler = frame.style.hide(axis="index").format(escape="latex").format_index(escape="latex", axis=1)
    body = styler.to_latex(
        column_format=colspec, hrules=True, environment="longtable" if long else None,
        caption=_escape(title), label=label, position="htbp" if not long else None,
    )
    note_tex = "\\par\\smallskip{\\footnotesize\\textit{Note.} " + _escape(note) + "}\n"
    body = body.rstrip("\n") + "\n"
    if not long and body.endswith("\\end{table}\n"):
        return body[: -len("\\end{table}\n")] + note_tex + "\\end{table}\n"
    return body + note_tex


def _numeric_text(value: str) -> bool:
    return bool(value) and all(ch in "0123456789.-<>*() \u2014%" for ch in value)


def _escape(text: str) -> str:
    out = str(text)
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                 ("_", r"\_"), ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}")):
        out = out.replace(a, b) if a != "\\" else out.replace(a, "\x00")
    return out.replace("\x00", r"\textbackslash{}")


def docx_bytes(frame: pd.DataFrame, number_label: str, title: str, note: str) -> bytes:
    """A Word document holding one APA table: label in bold, title in italics, table, note.

    Returns the bytes of the ``.docx`` with fixed core properties and zip timestamps.
    """
    from docx import Document
    from docx.shared import Pt

    document = Document()
    props = document.core_properties
    props.author = "nero"
    props.last_modified_by = "nero"
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.last_printed = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    props.title = f"{number_label}. {title}"
    head = document.add_paragraph()
    head.add_run(number_label).bold = True
    caption = document.add_paragraph()
    caption.add_run(title).italic = True
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, frame.columns):
        cell.text = str(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            cell.text = "" if value is None else str(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    note_par = document.add_paragraph()
    note_par.add_run("Note. ").italic = True
    note_par.add_run(note)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp set to 1980-01-01 (entry order kept)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def table_exports(rounded: pd.DataFrame, label: str, slug: str, title: str, note: str) -> dict[str, bytes]:
    """The three files of one numbered table: ``csv`` (rounded cells), ``tex`` and ``docx``.

    The CSV is for spreadsheets: a text cell that would start a formula is neutralised
    (:func:`nero.markup.spreadsheet_frame`); figures such as ``-.12`` are kept as printed.
    """
    return {
        "csv": spreadsheet_frame(rounded).to_csv(index=False, lineterminator="\n").encode("utf-8"),
        "tex": latex_table(rounded, f"tab:{slug.replace('_', '-')}", title, note).encode("utf-8"),
        "docx": docx_bytes(rounded, label, title, note),
    }
