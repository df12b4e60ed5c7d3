"""The strict lavaan parser (nero.sem.ram.check_syntax): every operator and modifier the
engine does not implement is refused with the line number, the token and what is
supported; what it does read is read exactly (one parameter per label, NA* on =~ only)."""

import numpy as np
import pandas as pd
import pytest

from nero.sem import fit_cfa
from nero.sem._common import SemInputError
from nero.sem.ram import SUPPORTED, check_syntax, parse_model

BASE = "F =~ x1 + x2 + x3\n"

# (model line, offending token, what is named as unsupported)
REFUSED = [
    ("F =~ x1 + start(0.5)*x2 + x3", "start(0.5)", "start()"),
    ("F =~ x1 + equal('a')*x2 + x3", "equal('a')", "equal()"),
    ("F =~ x1 + c(a,b)*x2 + x3", "c(a,b)", "c()"),
    ("F =~ x1 + label('a')*x2 + x3", "label('a')", "label()"),
    ("F =~ x1 + lower(0)*x2 + x3", "lower(0)", "lower()"),
    ("F =~ x1 + upper(1)*x2 + x3", "upper(1)", "upper()"),
    ("F =~ x1 + foo(1)*x2 + x3", "foo(1)", "function-call modifier"),
    ("F =~ x1 + ?*x2 + x3", "?", "'?'"),
    ("F =~ x1 + 0.5?*x2 + x3", "0.5?", "'?'"),
    ("y ~ NA*x1", "NA*", "NA* (free) on a ~ line"),
    ("x1 ~~ NA*x2", "NA*", "NA* (free) on a ~~ line"),
    ("x1 ~ 1", "1", "an intercept (~1)"),
    ("x1 ~ 1 + x2", "1", "an intercept (~1)"),
    ("ab := a*b", ":=", "defined parameters"),
    ("a == b", "==", "equality constraints"),
    ("a < 1", "<", "inequality constraints"),
    ("a > 0", ">", "inequality constraints"),
    ("x1 | t1 + t2", "|", "thresholds"),
    ("F ~*~ x1", "~*~", "scaling factors"),
    ("G <~ x1 + x2", "<~", "formative indicators"),
    ("G =~ x1 % x2", "%", "blocks or efa"),
    ("x1 + x2 ~ x3", "x1 + x2", "this left-hand side"),
    ("F =~ a*1*x2", "a*1*x2", "more than one modifier"),
    ("F =~ x1 +", "x1 +", "an empty term"),
    ("F =~ x1; x2 ~ x3", ";", "several statements"),
    ("F =~ x1 + 2x", "2x", "this term"),
    ("F =~ x1 + a-b*x2", "a-b", "this modifier"),
]


@pytest.mark.parametrize("line,token,what", REFUSED, ids=[r[0] for r in REFUSED])
def test_unsupported_syntax_is_refused_with_line_token_and_what_is_supported(line, token, what):
    with pytest.raises(SemInputError) as err:
        check_syntax(BASE + line)
    msg = str(err.value)
    assert msg.startswith("model line 2 (")  # the line number (after the first, valid line)
    assert f": {token!r}: " in msg  # the token, quoted
    assert what in msg and "is not supported" in msg  # what is refused
    assert msg.endswith(SUPPORTED)  # and what is supported


def test_a_line_without_operator_names_the_line():
    with pytest.raises(SemInputError, match=r"^model line 3 \('hello'\): no operator; supported"):
        check_syntax(BASE + "\nhello")


def test_refused_before_any_fit_by_fit_cfa():
    data = pd.DataFrame(np.random.default_rng(1).normal(size=(50, 3)), columns=["x1", "x2", "x3"])
    with pytest.raises(SemInputError, match=r"model line 1 .*'start\(1\)'"):
        fit_cfa(data, "F =~ x1 + start(1)*x2 + x3", time_limit=None)


def test_supported_syntax_is_read_exactly():
    cols = ["x1", "x2", "x3", "x4", "y", "z"]
    text = "# comment line\nF =~ NA*x1 + a*x2 + a*x3 + 0.5*x4   # trailing comment\nF ~~ 1*F\ny ~ b*F + z\nx1 ~~ x2\n"
    st = check_syntax(text)
    assert st[0] == ("F", "=~", [("NA", "x1"), ("a", "x2"), ("a", "x3"), ("0.5", "x4")])
    m = parse_model(text, cols)
    loads = {p.rhs: p for p in m.params if p.op == "=~"}
    assert loads["x1"].free >= 0 and loads["x1"].label == ""  # NA*: the first loading is free
    assert loads["x2"].free == loads["x3"].free == m.labels["a"]  # equal labels: one parameter
    assert loads["x4"].free == -1 and loads["x4"].value == 0.5  # a number: fixed
    fvar = [p for p in m.params if p.op == "~~" and p.lhs == p.rhs == "F"]
    assert len(fvar) == 1 and fvar[0].free == -1 and fvar[0].value == 1.0
    assert m.fixed_x == ["z"]
    # first loading labelled: fixed to 1 and labelled, as lavaan
    m2 = parse_model("F =~ l1*x1 + x2 + x3", cols)
    first = [p for p in m2.params if p.op == "=~"][0]
    assert first.free == -1 and first.value == 1.0


def test_negative_and_exponent_numbers_are_fixed_values():
    st = check_syntax("F =~ x1 + -1*x2 + 1e-1*x3 + .5*x4")
    assert [t[0] for t in st[0][2]] == [None, "-1", "1e-1", ".5"]
