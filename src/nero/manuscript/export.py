"""Numbered tables for the manuscript: LaTeX (booktabs) and Word (python-docx), byte-identical
across runs, both laid out for print.

**LaTeX.** A booktabs table (three rules) that compiles under pdfLaTeX: statistical symbols
as math (``$\\chi^2$``, ``$\\Delta$``, ``$R^2$``), statistics italic in headers and notes,
other characters through pylatexenc (accented letters it does not know are built from their
Unicode decomposition). Columns keep their natural width when the table fits the text
width; otherwise every column becomes a wrapping ``p`` column whose widths are fractions of
``\\linewidth`` summing (with the column separation) to exactly the line width, so the table
cannot be wider than the page. A table with nine or more columns, or whose columns cannot
wrap into a portrait page, is set in a ``landscape`` environment (pdflscape); one longer
than 25 rows is a ``longtable`` (breaks across pages, header repeated). The packages a
table needs are listed in its first lines (``% Needs: ...``).

**Word.** APA style: table number in bold, title in italics, Times New Roman, three
horizontal rules (above and below the header row, below the last row) and no vertical
lines, statistics italic in the header, the note below; a wide table gets a landscape
section. A ``.docx`` is a zip: python-docx stamps the core properties (created, modified)
with the clock and the zip entries with the time of writing, so :func:`docx_bytes` fixes
both (core properties set to a constant date, every entry rewritten with the 1980-01-01
timestamp in the order python-docx wrote them).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile

import pandas as pd

from nero.markup import spreadsheet_frame

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

#: Symbols set as LaTeX math (longest first where one is a prefix of another).
MATH = {
    "χ²": r"$\chi^2$",
    "R²": r"$R^2$",
    "f²": r"$f^2$",
    "χ": r"$\chi$",
    "Δ": r"$\Delta$",
    "α": r"$\alpha$",
    "β": r"$\beta$",
    "κ": r"$\kappa$",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "×": r"$\times$",
    "²": r"$^2$",
    "●": r"{\large$\bullet$}",
    "•": r"$\bullet$",
    "⊗": r"{\large$\otimes$}",
    "⊘": r"$\oslash$",
    "<": r"$<$",
    ">": r"$>$",
    "±": r"$\pm$",
    "−": r"$-$",
}
#: Statistical symbols printed in italics (APA 7, section 6.45) where they stand as a word of a header.
STAT = re.compile(r"(?<![A-Za-z0-9'])(N|n|M|SD|SE|p|t|z|F|b|r|g|df)(?![A-Za-z0-9])")
#: In running text (notes) only where a symbol is used as one: ``N = ``, ``p < ``, ``t test``.
NOTE_STAT = re.compile(r"(?<![A-Za-z0-9'])(N|n|M|SD|SE|p|t|z|F|b|r)(?=\s?[=<>]|\stests?\b)")
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0308": '"',
    "\u0304": "=",
    "\u0307": ".",
    "\u0306": "u",
    "\u030c": "v",
    "\u030b": "H",
    "\u0327": "c",
    "\u0328": "k",
    "\u030a": "r",
    "\u0323": "d",
    "\u0331": "b",
}
LANDSCAPE_COLUMNS = 9
LONG_ROWS = 25
CHAR_PT = 5.2  # width of an average character at \footnotesize (Computer Modern, 8 pt), generous
PORTRAIT_PT = 345.0  # \textwidth of the standard article class (the test document)
LANDSCAPE_PT = 540.0  # \textheight of the article class, the line width in landscape


def _unknown(char: str) -> str:
    """A character pylatexenc has no macro for: base letter with accent macros (``ễ`` -> ``\\~{\\^{e}}``)."""
    base, *marks = unicodedata.normalize("NFD", char)
    if not marks or any(m not in _ACCENTS for m in marks) or not base.isascii():
        raise ValueError(f"no LaTeX for the character {char!r} (U+{ord(char):04X})")
    out = base
    for mark in marks:
        out = f"\\{_ACCENTS[mark]}{{{out}}}"
    return out


def _encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=False,
        replacement_latex_protection="braces-after-macro",
        unknown_char_policy=_unknown,
        unknown_char_warning=False,
    )


_MATH_RE = re.compile("|".join(re.escape(k) for k in sorted(MATH, key=len, reverse=True)))


def latex_text(text: object, stats: re.Pattern | None = None) -> str:
    """``text`` as LaTeX: symbols as math, ``stats`` matches in italics, the rest escaped."""
    encoder = _encoder()

    def plain(piece: str) -> str:
        pieces = _MATH_RE.split(piece)
        symbols = _MATH_RE.findall(piece)
        return "".join(
            encoder.unicode_to_latex(p) + (MATH[symbols[k]] if k < len(symbols) else "") for k, p in enumerate(pieces)
        )

    text = str(text)
    if stats is None:
        return plain(text)
    out, last = [], 0
    for m in stats.finditer(text):
        out += [plain(text[last : m.start()]), r"\textit{" + plain(m.group(0)) + "}"]
        last = m.end()
    return "".join(out + [plain(text[last:])])


#: Characters after which a long token may break across lines: the ``*`` of a Boolean
#: configuration (``INST*~EFF*MKT*CAP``) and the ``/`` of a code path
#: (``Networks/Institutional/Grant schemes``). A line break there reads as the term itself;
#: without it the longest such token sets the whole table's font size.
BREAK_AFTER = re.compile(r"(?<=[*/])(?=[^\s*/])")
#: An explicit hyphen between letters, where TeX and Word break a word themselves.
HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=[^\W\d_])")


def _tokens(value: str) -> list[str]:
    """The pieces of ``value`` a line may not break inside: words, split after :data:`BREAK_AFTER`."""
    return [p for word in value.split() for piece in BREAK_AFTER.split(word) for p in HYPHEN.split(piece)]


def _span(token: str) -> float:
    """Width of ``token`` in average characters: a token mostly in capitals is wider (x 1.25)."""
    letters = [ch for ch in token if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return len(token) * (1.25 if letters and capitals * 2 > len(letters) else 1.0)


def latex_cell(value: object) -> str:
    """A body cell as LaTeX (:func:`latex_text`) with ``\\allowbreak`` after each :data:`BREAK_AFTER` point."""
    return r"\allowbreak{}".join(latex_text(piece) for piece in BREAK_AFTER.split(str(value)))


def _numeric_text(value: str) -> bool:
    return bool(value) and all(ch in "0123456789.-<>*() \u2014%" for ch in value)


#: Font sizes a table may be set in, largest first: LaTeX size, width of an average character
#: (Computer Modern, generous), Word point size.
FONT_SIZES = (("footnotesize", 5.2, 10), ("scriptsize", 4.4, 8), ("tiny", 3.4, 7))


def layout(frame: pd.DataFrame) -> dict:
    """How a table is set: ``landscape``, ``long``, ``wrap``, the font ``size`` (LaTeX) and
    ``points`` (Word), and per column its alignment and width (a fraction of the line width
    when wrapped). Widths are estimated from character counts; the font steps down (footnote,
    script, tiny) only when the longest words of the columns would not fit the line."""
    columns = [str(c) for c in frame.columns]
    cells = {c: [str(v) for v in frame[col]] for c, col in zip(columns, frame.columns)}
    numeric = {c: all(_numeric_text(v) for v in cells[c] if v != "") for c in columns}
    natural = {c: max([len(c)] + [len(v) for v in cells[c]]) for c in columns}
    word = {
        c: max([len(c_) for c_ in c.split()] + [len(w) for v in cells[c] for w in _tokens(v)] + [0]) for c in columns
    }
    cell_word = {c: max([_span(w) for v in cells[c] for w in _tokens(v)] or [1.0]) for c in columns}
    span = {
        c: max([_span(w) for w in c.split()] + [_span(w) for v in cells[c] for w in _tokens(v)] + [0.0])
        for c in columns
    }
    sep = 8.0  # 2 x \tabcolsep (4 pt)
    size, char, points = FONT_SIZES[0]
    width = sum(natural[c] * char + sep for c in columns)
    wrap = width > PORTRAIT_PT
    min_portrait = sum(max(word[c], 4) * char + sep for c in columns)
    landscape = len(columns) >= LANDSCAPE_COLUMNS or (
        wrap and (width <= LANDSCAPE_PT or min_portrait > 0.95 * PORTRAIT_PT)
    )
    if wrap and landscape and width <= LANDSCAPE_PT:
        wrap = False
    fractions, rotate = {}, False
    if wrap:
        line = LANDSCAPE_PT if landscape else PORTRAIT_PT
        # a word in capitals is wider than average (x 1.25, :func:`_span`); when even the smallest font
        # cannot hold the headers' words, the headers of numeric columns are set rotated (a matrix of counts)
        for rotate in (False, True):
            for size, char, points in FONT_SIZES:  # noqa: B007
                need = {
                    c: (max(cell_word[c] if rotate and numeric[c] else span[c], 3) * char + sep) / line for c in columns
                }
                if sum(need.values()) < 1:
                    break
            if sum(need.values()) < 1:
                break
        weight = {c: min(natural[c], 90) for c in columns}
        total = sum(weight.values())
        fractions = {c: weight[c] / total for c in columns}
        if sum(need.values()) >= 1:  # the longest words alone fill the line even in the smallest font
            fractions = {c: need[c] / sum(need.values()) for c in columns}
        fixed: dict[str, float] = {}
        for _ in range(len(columns) if sum(need.values()) < 1 else 0):
            short = [c for c in columns if c not in fixed and fractions[c] < need[c]]
            if not short:
                break
            fixed.update({c: need[c] for c in short})  # a column too narrow for its longest word gets that word's width
            rest = [c for c in columns if c not in fixed]
            left = 1 - sum(fixed.values())
            rest_total = sum(weight[c] for c in rest) or 1
            fractions = {**{c: weight[c] / rest_total * left for c in rest}, **fixed}
    return {
        "landscape": landscape,
        "long": len(frame) > LONG_ROWS,
        "wrap": wrap,
        "size": size,
        "points": points,
        "rotate": [wrap and rotate and numeric[c] for c in columns],
        "natural": [min(natural[c], 90) + 2 for c in columns],
        "columns": [(c, "r" if numeric[c] else "l", fractions.get(c)) for c in columns],
    }


def latex_table(frame: pd.DataFrame, label: str, title: str, note: str, long: bool | None = None) -> str:
    """A booktabs table for ``\\input{}``, laid out to fit the page (see the module docstring).

    Parameters
    ------------
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
    plan = layout(frame)
    long = plan["long"] if long is None else long
    specs = []
    for _, align, fraction in plan["columns"]:
        if fraction is None:
            specs.append(align)
        else:
            ragged = r"\raggedleft" if align == "r" else r"\raggedright"
            share = math.floor(fraction * 10_000) / 10_000  # rounded down: the shares never sum to more than the line
            specs.append(f">{{{ragged}\\arraybackslash}}p{{\\dimexpr {share:.4f}\\linewidth-2\\tabcolsep\\relax}}")
    colspec = "".join(specs)  # wrapped: the fractions, each less its two separations, fill the line
    header = (
        " & ".join(
            r"\rotatebox{90}{" + latex_text(c, STAT) + "}" if turn else latex_text(c, STAT)
            for c, turn in zip(frame.columns, plan["rotate"])
        )
        + r" \\"
    )
    rows = [" & ".join(latex_cell(v) for v in row) + r" \\" for row in frame.astype(str).itertuples(index=False)]
    note_tex = r"\par\smallskip{\raggedright\footnotesize\textit{Note.} " + latex_text(note, NOTE_STAT) + "\\par}\n"
    packages = (
        ["booktabs", "array"]
        + (["longtable"] if long else [])
        + (["pdflscape"] if plan["landscape"] else [])
        + (["graphicx"] if any(plan["rotate"]) else [])
    )
    out = [f"% Needs: \\usepackage{{{','.join(packages)}}} (pdfLaTeX: also \\usepackage[T1]{{fontenc}})\n"]
    if plan["landscape"]:
        out.append("\\begin{landscape}\n")
    caption = f"\\caption{{{latex_text(title)}}}\\label{{{label}}}"
    if long:
        out += [
            "{\\" + plan["size"] + "\\setlength{\\tabcolsep}{4pt}\n",
            f"\\begin{{longtable}}{{{colspec}}}\n",
            caption + r" \\" + "\n",
            "\\toprule\n",
            header + "\n",
            "\\midrule\n\\endfirsthead\n",
            "\\toprule\n",
            header + "\n",
            "\\midrule\n\\endhead\n",
            "\\bottomrule\n\\endlastfoot\n",
        ]
        out += [r + "\n" for r in rows]
        out += ["\\end{longtable}\n", note_tex, "}\n"]
    else:
        out += [
            "\\begin{table}[htbp]\n",
            "\\centering\\" + plan["size"] + "\\setlength{\\tabcolsep}{4pt}\n",
            caption + "\n",
            f"\\begin{{tabular}}{{{colspec}}}\n",
            "\\toprule\n",
            header + "\n",
            "\\midrule\n",
        ]
        out += [r + "\n" for r in rows]
        out += ["\\bottomrule\n", "\\end{tabular}\n", note_tex, "\\end{table}\n"]
    if plan["landscape"]:
        out.append("\\end{landscape}\n")
    return "".join(out)


FONT = "Times New Roman"


def _runs(paragraph, text: str, pattern: re.Pattern, size=None, bold: bool = False) -> None:
    """``text`` into ``paragraph`` as runs, the ``pattern`` matches (statistical symbols) in italics."""
    last = 0
    for m in pattern.finditer(text):
        if m.start() > last:
            _run(paragraph, text[last : m.start()], size, bold=bold)
        _run(paragraph, m.group(0), size, italic=True, bold=bold)
        last = m.end()
    if last < len(text) or not text:
        _run(paragraph, text[last:], size, bold=bold)


def _run(paragraph, text: str, size=None, italic: bool = False, bold: bool = False):
    run = paragraph.add_run(text)
    run.italic = italic or None
    run.bold = bold or None
    if size is not None:
        run.font.size = size
    return run


def _border(cell, edges: dict[str, int]) -> None:
    """Set the given borders of a cell (``top``/``bottom`` -> width in eighths of a point)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = cell._tc.get_or_add_tcPr()
    borders = props.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        props.append(borders)
    for edge, size in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)


def docx_bytes(frame: pd.DataFrame, number_label: str, title: str, note: str) -> bytes:
    """A Word document holding one APA table: label in bold, title in italics, table with three
    rules, note. Returns the bytes of the ``.docx`` with fixed core properties and zip timestamps.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Inches, Pt

    plan = layout(frame)
    document = Document()
    props = document.core_properties
    props.author = "nero"
    props.last_modified_by = "nero"
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.last_printed = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    props.title = f"{number_label}. {title}"
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Inches(1)
    if plan["landscape"]:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    usable = section.page_width - section.left_margin - section.right_margin
    size = Pt(plan["points"]) if plan["wrap"] or plan["landscape"] or len(frame.columns) > 5 else Pt(11)
    head = document.add_paragraph()
    _run(head, number_label, bold=True)
    caption = document.add_paragraph()
    _run(caption, title, italic=True)
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = document.styles["Normal Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _docx_widths(plan, usable)
    for cell, (name, align, _) in zip(table.rows[0].cells, plan["columns"]):  # noqa: B007
        _runs(cell.paragraphs[0], name, STAT, size)
        _border(cell, {"top": 8, "bottom": 4})
    for values in frame.astype(str).itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            _run(cell.paragraphs[0], "" if value in ("None", "nan") else value, size)
    for cell in table.rows[-1].cells:
        _border(cell, {"bottom": 8})
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for row in table.rows:
        for cell, (_, align, _), width in zip(row.cells, plan["columns"], widths):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(1)
            paragraph.paragraph_format.line_spacing = 1.0
            if align == "r":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(table.columns, widths):
        column.width = width
    note_par = document.add_paragraph()
    _run(note_par, "Note. ", size, italic=True)
    _runs(note_par, note, NOTE_STAT, size)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _docx_widths(plan: dict, usable: int) -> list[int]:
    """Column widths (EMU) summing to the usable page width: the wrapped fractions, or natural
    widths scaled to the page."""
    fractions = [f for _, _, f in plan["columns"]]
    if any(f is None for f in fractions):  # natural widths plus the cell margins (about five characters)
        total = sum(w + 5 for w in plan["natural"])
        fractions = [(w + 5) / total for w in plan["natural"]]
    return [int(usable * f) for f in fractions]


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
