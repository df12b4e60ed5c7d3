"""The LaTeX and Word exports of every numbered table, opened by real programs.

Every ``.tex`` is compiled by pdfLaTeX (Debian: texlive-latex-base, -recommended, -extra;
installed by ``.ci/run``) in one document whose preamble is only what the tables' own
``% Needs:`` lines ask for, and the build fails on any error or on an overfull line (a table
wider than the page). Every ``.docx`` is converted to PDF by headless LibreOffice
(``libreoffice-writer-nogui``) and every word of the PDF must lie inside the page. Each test
skips, saying why, where its program is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

PDFLATEX = shutil.which("pdflatex")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


def compile_tables(tex: dict[str, str], folder) -> tuple[int, str]:
    """Compile the tables (name -> LaTeX) in one article; returns pdflatex's exit code and log."""
    needs = set()
    for text in tex.values():
        match = re.match(r"% Needs: \\usepackage\{([^}]*)\}", text)
        assert match, "a table does not list the packages it needs in its first line"
        needs.update(match.group(1).split(","))
    body = []
    for name, text in tex.items():
        (folder / f"{name}.tex").write_text(text, encoding="utf-8")
        body.append(f"\\typeout{{TABLE {name}}}\\input{{{name}.tex}}\\clearpage")
    document = (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{" + ",".join(sorted(needs)) + "}\n"
        "\\begin{document}\n" + "\n".join(body) + "\n\\end{document}\n"
    )
    (folder / "all.tex").write_text(document, encoding="utf-8")
    run = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "all.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    log = (folder / "all.log").read_text(encoding="latin-1") if (folder / "all.log").is_file() else run.stdout
    return run.returncode, log


def latex_faults(log: str) -> list[str]:
    """Errors and overfull boxes of a pdflatex log, each named by the table being set."""
    faults, table = [], "preamble"
    for line in log.splitlines():
        if line.startswith("TABLE "):
            table = line.split(" ", 1)[1]
        elif line.startswith("!") or line.startswith("Overfull \\hbox"):
            faults.append(f"{table}: {line}")
    return faults


@pytest.mark.skipif(
    PDFLATEX is None,
    reason="pdflatex is not installed (Debian: texlive-latex-base, texlive-latex-recommended, texlive-latex-extra; .ci/run installs them)",
)
def test_every_tex_compiles_within_the_page(reference_tables, tmp_path):
    tex = {f"table_{item.number:02d}": files["tex"].decode("utf-8") for item, _, _, files in reference_tables.values()}
    code, log = compile_tables(tex, tmp_path)
    faults = latex_faults(log)
    assert code == 0 and not faults, "\n".join(faults[:20]) or log[-3000:]
    assert (tmp_path / "all.pdf").stat().st_size > 10_000


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (see .ci/run)")
def test_the_compile_check_catches_a_wide_table_and_an_error(tmp_path):
    wide = (
        "% Needs: \\usepackage{booktabs}\n\\begin{tabular}{l}\\toprule "
        + "W" * 200
        + " \\\\ \\bottomrule\\end{tabular}\n"
    )
    code, log = compile_tables({"wide": wide}, tmp_path)
    assert code == 0 and any("wide: Overfull" in f for f in latex_faults(log))
    broken = "% Needs: \\usepackage{booktabs}\nχ² raw\\undefinedmacro\n"
    code, log = compile_tables({"broken": broken}, tmp_path)
    assert code != 0 and any(f.startswith("broken: !") for f in latex_faults(log))


def pdf_words_outside(pdf) -> list[str]:
    """Words of a PDF whose box leaves its page (pdftotext -bbox), with the page number."""
    html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    outside = []
    for k, page in enumerate(
        re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", html, re.S), start=1
    ):
        width, height, body = float(page[0]), float(page[1]), page[2]
        for x0, y0, x1, y1, word in re.findall(
            r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<', body
        ):
            if float(x0) < 0 or float(y0) < 0 or float(x1) > width or float(y1) > height:
                outside.append(f"page {k}: {word!r}")
    return outside


@pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="LibreOffice or pdftotext is not installed (Debian: libreoffice-writer-nogui, poppler-utils; .ci/run installs them)",
)
def test_every_docx_opens_in_libreoffice_and_fits_the_page(reference_tables, tmp_path):
    for item, _, _, files in reference_tables.values():
        (tmp_path / f"table_{item.number:02d}.docx").write_bytes(files["docx"])
    docs = sorted(str(p) for p in tmp_path.glob("*.docx"))
    profile = tmp_path / "profile"
    run = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *docs,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    problems = {}
    for doc in docs:
        pdf = tmp_path / "pdf" / (doc.rsplit("/", 1)[1][:-5] + ".pdf")
        if not pdf.is_file():
            problems[pdf.name] = ["not converted"]
            continue
        outside = pdf_words_outside(pdf)
        if outside:
            problems[pdf.name] = outside[:5]
    assert not problems, problems
