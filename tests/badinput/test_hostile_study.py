"""A hostile Study 1 built by the workflow: payloads in a transcript's exemplar quote, a code name and a
code memo reach the Study 1 tables as data, and the executed notebook page holds none of them live
(checked statically and in headless Chromium). Builds Study 1 and its notebook only (marked ``study``)."""

from __future__ import annotations

import re
import shutil
import zipfile
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from badinput_corpus import REPO
from hostile_markup import PWNED, page_title
from test_corpus import run_cli

from nero.markup import live_markup
from nero.report.browser import find_chromium, load_page

QUOTE_PAYLOAD = "<script>document.title='PWNED'</script><img src=http://127.0.0.1:9/quote.png>"
CODE_PAYLOAD = "<img src=x onerror=document.title='PWNED'>"
MEMO_PAYLOAD = "![memo](http://127.0.0.1:9/memo.png) <a href=javascript:document.title='PWNED'>memo</a>"


def plant(raw) -> str:
    """Write the payloads into ``raw/interviews/study1.qdpx``; return the planted quote's text."""
    exemplar = pd.read_csv(REPO / "results-reference" / "study1" / "exemplar_quotes.csv").iloc[0]
    quote = exemplar["text"]
    assert len(quote) > len(QUOTE_PAYLOAD)
    planted = QUOTE_PAYLOAD + quote[len(QUOTE_PAYLOAD) :]  # same length: every offset still holds
    path = raw / "interviews" / "study1.qdpx"
    with zipfile.ZipFile(path) as archive:
        content = {info.filename: archive.read(info) for info in archive.infolist()}
    qde = content["project.qde"].decode("utf-8")
    source = exemplar["source"]
    guid = re.search(rf'<TextSource [^>]*name="{source}"[^>]*plainTextPath="internal://([^"]+)"', qde).group(1)
    member = f"Sources/{guid}"
    assert quote.encode() in content[member], member
    content[member] = content[member].replace(quote.encode(), planted.encode(), 1)
    qde = qde.replace(
        'name="Founder networks"', f'name="Founder networks {escape(CODE_PAYLOAD, {chr(34): "&quot;"})}"', 1
    )
    start = qde.index("<Description>") + len("<Description>")
    qde = qde[:start] + escape(MEMO_PAYLOAD) + " " + qde[start:]
    content["project.qde"] = qde.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return planted


@pytest.fixture(scope="module")
def hostile_study1(tmp_path_factory):
    """Study 1 and its notebook built by the workflow from the shipped raw data with the payloads planted."""
    from nero.testing import copy_workflow, run_snakemake

    work = copy_workflow(tmp_path_factory.mktemp("hostile-study1"))
    shutil.copytree(REPO / "data", work / "data")
    raw = work / "data" / "raw"
    planted = plant(raw)
    (raw / "MANIFEST.sha256").unlink()
    status, message = run_cli(["provenance", "manifest", str(raw)])
    assert status == 0, message
    run_snakemake(work, "results/notebooks/study1_qualitative.html")
    return work, planted


@pytest.mark.study
def test_hostile_study1_outputs_keep_the_payloads_as_data_and_the_notebook_shows_them_as_text(hostile_study1):
    work, planted = hostile_study1
    study1 = work / "results" / "study1"
    quotes = pd.read_csv(study1 / "exemplar_quotes.csv", dtype=str, keep_default_na=False)
    assert planted in set(quotes["text"])  # the transcript's text is data, kept verbatim
    codebook = (study1 / "codebook.csv").read_text(encoding="utf-8")
    assert CODE_PAYLOAD in codebook and MEMO_PAYLOAD in codebook
    page = (work / "results" / "notebooks" / "study1_qualitative.html").read_text(encoding="utf-8")
    assert live_markup(page) == []
    assert "&lt;script&gt;document.title=" in page and "src=http://127.0.0.1:9/quote.png&gt;" in page  # shown, as text
    assert page.count('http-equiv="Content-Security-Policy"') == 1


@pytest.mark.study
@pytest.mark.skipif(
    find_chromium() is None, reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it)"
)
def test_hostile_study1_notebook_runs_and_loads_nothing_in_chromium(hostile_study1):
    work, _ = hostile_study1
    dom, console = load_page(work / "results" / "notebooks" / "study1_qualitative.html")
    assert PWNED not in page_title(dom) and live_markup(dom) == []
    assert not [line for line in console if "127.0.0.1" in line]
