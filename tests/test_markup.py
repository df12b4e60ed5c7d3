"""Raw-derived text stays text: HTML and LaTeX escaping, spreadsheet cells, the pages' CSP (nero.markup)."""

from __future__ import annotations

import base64
import hashlib

import pandas as pd
import pytest

from nero.markup import (
    csp_policy,
    html_text,
    inline_scripts,
    latex_text,
    quote_html,
    script_hash,
    spreadsheet_cell,
    spreadsheet_frame,
    with_csp,
)

PAYLOAD = '<script>document.title=\'PWNED\'</script><img src=x onerror="alert(1)"> & "q"'


def test_html_text_escapes_every_markup_character():
    assert html_text(PAYLOAD) == (
        "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;/script&gt;&lt;img src=x "
        "onerror=&quot;alert(1)&quot;&gt; &amp; &quot;q&quot;"
    )
    assert html_text(None) == "" and html_text(float("nan")) == "" and html_text(0.5) == "0.5"


def test_quote_html_is_a_block_quote_of_escaped_text_with_line_breaks():
    out = quote_html("line one\r\n<b>two</b> ![x](http://127.0.0.1:9/x.png)", "Firm A, Enablers/<i>x</i>")
    assert out == (
        "<blockquote><p>line one<br>&lt;b&gt;two&lt;/b&gt; ![x](http://127.0.0.1:9/x.png)</p>"
        "<p><em>Firm A, Enablers/&lt;i&gt;x&lt;/i&gt;</em></p></blockquote>"
    )
    assert quote_html("q") == "<blockquote><p>q</p></blockquote>"


def test_latex_text_escapes_the_ten_special_characters():
    assert latex_text(r"50% of $x_1 & #2 {a} ~b^c \input{/etc/passwd}") == (
        r"50\% of \$x\_1 \& \#2 \{a\} \textasciitilde{}b\textasciicircum{}c "
        r"\textbackslash{}input\{/etc/passwd\}"
    )


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "-"),
        ("+", "+"),  # a lone sign ("no value", "either way") cannot be a formula
        ("--1", "--1"),
        ("-A1", "'-A1"),
        ("-0.5", "-0.5"),
        ("+1.2", "+1.2"),
        ("-.12**", "-.12**"),
        ("-3%", "-3%"),
        ("-1e-05", "-1e-05"),
        ("-.30 [-.45, -.12]", "-.30 [-.45, -.12]"),
        ("\u22120.5", "\u22120.5"),
        ("Government agencies", "Government agencies"),
        ("", ""),
        ("a=b", "a=b"),
        (-0.5, -0.5),
        (None, None),
    ],
)
def test_spreadsheet_cell_neutralises_formulas_and_keeps_figures(cell, expected):
    assert spreadsheet_cell(cell) == expected


def test_spreadsheet_frame_keeps_numbers_and_touches_text_only():
    frame = pd.DataFrame({"=name": ["=1+1", "ok"], "r": [-0.5, 0.25], "p": ["-.12*", "@x"]})
    out = spreadsheet_frame(frame)
    assert list(out.columns) == ["'=name", "r", "p"]
    assert out["'=name"].tolist() == ["'=1+1", "ok"] and out["r"].tolist() == [-0.5, 0.25]
    assert out["p"].tolist() == ["-.12*", "'@x"]
    assert frame["=name"].tolist() == ["=1+1", "ok"]  # the input is not modified


def test_script_hash_is_the_csp_sha256_of_the_script_text():
    body = "console.log(1);"
    expected = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    assert script_hash(body) == f"'sha256-{expected}'"
    assert script_hash("a\r\nb") == script_hash("a\nb")  # HTML parsing turns CRLF into LF before hashing


def test_policy_runs_only_listed_scripts_and_loads_only_data_images():
    assert csp_policy() == (
        "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; base-uri 'none'; form-action 'none'"
    )
    policy = csp_policy(["a()", "b()", "a()"])
    assert policy.count("'sha256-") == 2 and script_hash("a()") in policy and "unsafe-inline'; img" in policy
    assert "script-src 'sha256-" in policy and "'unsafe-eval'" not in policy


def test_with_csp_vouches_for_head_scripts_only():
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title><script>own()</script></head>'
        '<body><script>injected()</script><script src="x.js"></script></body></html>'
    )
    out = with_csp(page)
    assert out.startswith('<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')
    assert script_hash("own()").strip("'") in out and script_hash("injected()").strip("'") not in out
    assert inline_scripts(page) == ["own()", "injected()"]
    explicit = with_csp(page, scripts=())
    assert "script-src &#x27;none&#x27;" in explicit


def test_with_csp_refuses_a_page_without_head_or_with_a_policy_already():
    with pytest.raises(ValueError, match="no <head>"):
        with_csp("<p>fragment</p>")
    with pytest.raises(ValueError, match="already carries"):
        with_csp(with_csp("<html><head></head><body></body></html>"))
    # text in the body that merely mentions the header is data, not a policy
    page = "<html><head></head><body>&lt;meta http-equiv=Content-Security-Policy&gt;</body></html>"
    assert with_csp(page).count('http-equiv="Content-Security-Policy"') == 1
