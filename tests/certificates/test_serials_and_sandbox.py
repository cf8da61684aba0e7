"""Pure parts: serials readable over the phone, and the template sandbox's checks (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventhub.certificates import sandbox
from eventhub.certificates.serials import ALPHABET, LENGTH, new_serial, normalize_serial


def test_serials_are_grouped_and_avoid_look_alikes():
    serials = {new_serial() for _ in range(2000)}
    assert len(serials) == 2000
    for serial in serials:
        assert len(serial) == LENGTH and serial[4] == serial[9] == "-"
        assert not set(serial.replace("-", "")) & set("0O1IL")
    assert not set(ALPHABET) & set("0O1ILU")


def test_typed_serials_are_read_back():
    serial = new_serial()
    assert normalize_serial(serial.lower()) == serial
    assert normalize_serial(serial.replace("-", " ")) == serial
    assert normalize_serial(serial.replace("-", "")) == serial
    for bad in ("", "ABCD", "0000-0000-0000", "IIII-LLLL-OOOO", serial + "X", None, 42, "A" * 500):
        assert normalize_serial(bad) is None


@given(st.text(max_size=60))
def test_normalize_never_fails(text):
    result = normalize_serial(text)
    assert result is None or (len(result) == LENGTH and normalize_serial(result) == result)


def test_syntax_errors_carry_their_line():
    problems = sandbox.check("<p>{{ holder_name }}</p>\n<p>\n{% if kind %}\n<b>")
    assert problems and problems[0].line is not None and problems[0].line >= 3
    assert sandbox.check("<p>\n\n{{ holder_name </p>")[0].line == 3


def test_unknown_placeholders_are_reported_with_their_line():
    problems = sandbox.check("<p>{{ holder_name }}</p>\n<p>{{ holder_nmae }}</p>")
    assert [(p.placeholder, p.line) for p in problems] == [("holder_nmae", 2)]


@pytest.mark.parametrize(
    "source",
    [
        "{% include '/etc/passwd' %}",
        "{% import 'x.html' as x %}",
        "{% from 'x.html' import y %}",
        "{% extends 'base.html' %}",
    ],
)
def test_templates_cannot_reach_other_files(source):
    problems = sandbox.check(source)
    assert problems and "include" in problems[0].message


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ holder_name.__class__.__init__.__globals__ }}",
        "{{ range.__globals__ }}",
        "{{ sessions.append(1) }}",
        "{{ 'x' * 1000000000 }}",
        "{{ 9 ** 9999999 }}",
        "{{ 'x'.center(1000000000) }}",
        "{{ 'x'.zfill(1000000000) }}",
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'|indent(1000000000) }}",
        "{{ '%0999999999d'|format(1) }}",
        "{{ range(100000000)|list }}",
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "{% for a in range(9) %}{% for b in range(9) %}{% for c in range(9) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
    ],
)
def test_escapes_from_the_sandbox_are_refused(source):
    with pytest.raises(sandbox.TemplateRefused) as refused:
        sandbox.render(source, {"holder_name": "An", "sessions": []})
    assert refused.value.problems


def test_render_escapes_html_in_data():
    assert (
        sandbox.render("<p>{{ holder_name }}</p>", {"holder_name": "<script>x</script>"})
        == "<p>&lt;script&gt;x&lt;/script&gt;</p>"
    )
