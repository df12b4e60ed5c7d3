"""The page's fixed parts: style, the self-check script, the study in brief, and tables.

Tables are complete: every row is in the page; a table longer than ``COLLAPSE_ROWS`` sits
in a ``<details>`` element (collapsed, one click shows it all); every table sits in a
horizontally scrolling box, so a wide table scrolls instead of being clipped. Each table
carries ``data-rows`` (its row count), which the self-check compares with the rows the
browser actually laid out.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from nero.manuscript.playbook import PLAYBOOK_CSS

COLLAPSE_ROWS = 25

STUDY_IN_BRIEF = """
<p>This report rebuilds a sequential mixed-methods doctoral study of how resource-constrained
SMEs in Singapore scale <em>up</em> (domestic capacity) and scale <em>out</em> (foreign markets) at
once. Its framework, <em>Network Ambidexterity</em>, holds that firms succeed by orchestrating
institutional networks (agencies, grant schemes, associations, trade missions) and virtual
networks (cross-border platforms, online communities, digital ecosystems) together, under an
efficiency-seeking or a market-seeking orientation.</p>
<p><strong>Study 1</strong> codes 13 interviews and assigns each case to one of four scaling
strategies (Institutional Optimizer, Strategic Explorer, Platform Optimizer, Agile Global Scaler).
<strong>Study 2</strong> surveys Singapore SMEs, checks the measurement model, common-method
variance, non-response bias, mediation and moderation, and tests with fsQCA whether the four
configurations are sufficient for superior scale-out performance. The joint display sets each
archetype beside its Study-2 configuration.</p>
<p class="warning"><strong>Synthetic data.</strong> The real interviews and survey are confidential.
Every number here comes from the synthetic stand-in study shipped under <code>data/raw/</code>,
generated from a documented model with known truth.</p>
<p class="note">Numbers are rounded as APA style asks: <em>p</em> to three decimals without a leading
zero (<em>p</em> &lt; .001 below that), statistics bounded by 1 (correlations, loadings, reliabilities,
fit indices, consistency and coverage) without a leading zero, other statistics to two decimals.
Full precision is in each table's source CSV, linked below it.</p>
"""

CSS = (
    """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin-bottom:.3em}h3.cat{color:#0072B2;margin-top:1.5em}
nav ul{columns:2;font-size:.9em}.item{margin:1.2em 0 2.2em}
.caption{font-size:.92em;color:#333;margin:.2em 0 .4em}.tnote{font-size:.85em;margin:.3em 0}
.lineage{font-size:.76em;color:#555;background:#f6f6f6;padding:.4em .6em;border-left:3px solid #bbb;overflow-wrap:anywhere}
table{border-collapse:collapse;font-size:.8em;margin:.3em 0}th,td{border:1px solid #ccc;padding:2px 6px;text-align:right;vertical-align:top}
th{background:#eef3f8;text-align:left}td.t{text-align:left;min-width:4em;max-width:38em;overflow-wrap:anywhere}
table.claims td.t{min-width:7em}img{max-width:100%;height:auto;border:1px solid #eee}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.8em}.warning{background:#fff4e0;padding:.6em;border-left:4px solid #E69F00}
.note{font-size:.8em;color:#666}.scroll{overflow-x:auto;max-width:100%}
summary{cursor:pointer;color:#0072B2;font-size:.85em}
.verdict{font-weight:bold;padding:0 .3em;border-radius:3px}.v-yes{background:#d9f0e3}.v-no{background:#f8d7d3}.v-maybe{background:#f3ecd0}
.flag{font-size:.85em;color:#a33}ol.rq li{margin:.3em 0}
"""
    + PLAYBOOK_CSS
)

# On load (with ?selfcheck in the URL: after opening every <details>), record on <body> the images that failed, JavaScript
# errors, tables whose laid-out rows differ from data-rows, tables wider than what can be
# seen without a scroll box, every resource fetched from anywhere but the page itself, the page's
# Content-Security-Policy and everything it blocked (a script or an image the page did not vouch for).
SELF_CHECK = """
<script>
window.__reportErrors = [];
window.__cspViolations = [];
window.addEventListener('error', function (e) { window.__reportErrors.push(String(e.message || e.type)); }, true);
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.effectiveDirective + ' ' + (e.blockedURI || 'inline'));
});
window.addEventListener('load', function () {
  if (location.search.indexOf('selfcheck') >= 0) {  // the browser test opens every collapsed table first
    var details = document.querySelectorAll('details');
    for (var d = 0; d < details.length; d++) { details[d].open = true; }
  }
  var imgs = document.querySelectorAll('img');
  var broken = [];
  for (var i = 0; i < imgs.length; i++) {
    if (!imgs[i].complete || imgs[i].naturalWidth === 0) { broken.push(imgs[i].getAttribute('alt')); }
  }
  var tables = document.querySelectorAll('table');
  var rowIssues = [], overflow = [], counted = 0;
  var viewport = document.documentElement.clientWidth;
  for (var t = 0; t < tables.length; t++) {
    var tab = tables[t];
    var name = tab.id || tab.getAttribute('data-name') || ('table#' + t);
    var expected = tab.getAttribute('data-rows');
    var shown = tab.tBodies.length ? tab.tBodies[0].rows.length : 0;
    if (expected === null) { rowIssues.push(name + ': no data-rows'); }
    else if (parseInt(expected, 10) !== shown) { rowIssues.push(name + ': ' + shown + ' of ' + expected + ' rows'); }
    counted += 1;
    var box = tab.parentElement, scrolls = false;
    while (box && box !== document.body) {
      var ox = getComputedStyle(box).overflowX;
      if (ox === 'auto' || ox === 'scroll') { scrolls = true; break; }
      if (ox === 'hidden' || ox === 'clip') { break; }
      box = box.parentElement;
    }
    var right = tab.getBoundingClientRect().right + window.scrollX;
    if (!scrolls && right > viewport + 1) { overflow.push(name + ': ' + Math.round(right) + 'px > ' + viewport + 'px'); }
    if (!scrolls && box && box !== document.body && tab.scrollWidth > box.clientWidth + 1) { overflow.push(name + ': clipped'); }
  }
  var remote = [];
  var entries = (performance.getEntriesByType && performance.getEntriesByType('resource')) || [];
  for (var r = 0; r < entries.length; r++) {
    var url = entries[r].name;
    if (url.indexOf('data:') !== 0 && url.indexOf('file:') !== 0) { remote.push(url); }
  }
  var attrs = ['src', 'href'], external = [];
  for (var a = 0; a < attrs.length; a++) {
    var els = document.querySelectorAll('[' + attrs[a] + ']');
    for (var k = 0; k < els.length; k++) {
      var v = els[k].getAttribute(attrs[a]);
      if (/^(https?:)?\\/\\//i.test(v)) { external.push(v); }
    }
  }
  document.body.setAttribute('data-images', String(imgs.length));
  document.body.setAttribute('data-broken-images', JSON.stringify(broken));
  document.body.setAttribute('data-errors', JSON.stringify(window.__reportErrors));
  document.body.setAttribute('data-tables', String(counted));
  document.body.setAttribute('data-table-row-issues', JSON.stringify(rowIssues));
  document.body.setAttribute('data-table-overflow', JSON.stringify(overflow));
  document.body.setAttribute('data-remote', JSON.stringify(remote.concat(external)));
  var csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  document.body.setAttribute('data-csp', csp ? csp.getAttribute('content') : '');
  document.body.setAttribute('data-csp-violations', JSON.stringify(window.__cspViolations));
  document.body.setAttribute('data-checked', 'yes');
});
</script>
"""

NUMERIC = re.compile(r"^[\s<>\u2014()+\-\u2212]*[.\d][\d.,\s*()%-]*$")


def table_html(frame: pd.DataFrame, table_id: str) -> str:
    """A complete HTML table of text cells (numbers right-aligned), collapsed when long."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for value in values:
            text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
            cls = "" if NUMERIC.match(text) or text == "" else ' class="t"'
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = (
        f'<div class="scroll"><table id="{html.escape(table_id)}" data-rows="{len(frame)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    if len(frame) > COLLAPSE_ROWS:
        return f"<details><summary>All {len(frame)} rows (click to show)</summary>{table}</details>"
    return table
