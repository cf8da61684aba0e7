"""charts.py: pure functions from data to SVG – well-formed, accessible, escaped, scaled."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventhub.reports import charts

NS = {"svg": "http://www.w3.org/2000/svg"}
DRAW = [charts.bar_chart, charts.column_chart, charts.line_chart]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


@pytest.mark.parametrize("draw", DRAW)
def test_accessible_title_and_description(draw):
    root = parse(draw([("Thứ Hai", 3), ("Thứ Ba", 5)], title="Lượt đến theo ngày",
                      description="Lượt check-in mỗi ngày.", chart_id="c1"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find("svg:title", NS).text == "Lượt đến theo ngày"
    assert root.find("svg:title", NS).get("id") == "c1-title"
    assert root.find("svg:desc", NS).text == "Lượt check-in mỗi ngày."
    tooltips = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")][1:]
    assert tooltips == ["Thứ Hai: 3", "Thứ Ba: 5"]


@pytest.mark.parametrize("draw", DRAW)
def test_labels_are_escaped(draw):
    evil = '<script>alert("x")</script> & "quotes"'
    svg = draw([(evil, 1)], title=evil, description=evil, chart_id='x" onload="alert(1)')
    root = parse(svg)  # still well-formed XML
    assert "<script" not in svg and "onload=" not in svg.replace("-onload-", "")
    assert root.find("svg:title", NS).text == evil


@pytest.mark.parametrize("draw", DRAW)
def test_no_data_says_so(draw):
    root = parse(draw([], title="Trống", description="Không có gì", empty_text="Chưa có số liệu."))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Chưa có số liệu." in texts


def test_bars_are_proportional_to_the_values():
    root = parse(charts.bar_chart([("A", 10), ("B", 5), ("C", 0)], title="t", description="d"))
    widths = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")][1:]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0


def test_columns_keep_the_order_and_show_values():
    svg = charts.column_chart([("14/12/2026", 1200), ("15/12/2026", 3400)], title="t", description="d")
    root = parse(svg)
    heights = [float(r.get("height")) for r in root.iter("{http://www.w3.org/2000/svg}rect")][1:]
    assert heights[0] < heights[1]
    assert "14/12/2026: 1.200" in svg and "15/12/2026: 3.400" in svg


def test_a_line_through_every_point():
    root = parse(charts.line_chart([("08:00", 2), ("09:00", 7), ("10:00", 4)], title="t", description="d"))
    line = root.find("svg:polyline", NS)
    assert len(line.get("points").split()) == 3
    assert len(root.findall(".//svg:circle", NS)) == 3


def test_one_point_draws_a_dot_and_no_line():
    root = parse(charts.line_chart([("08:00", 2)], title="t", description="d"))
    assert root.find("svg:polyline", NS) is None and len(root.findall(".//svg:circle", NS)) == 1


def _label_lines(svg: str) -> list[list[str]]:
    """Each bar's label as the lines drawn on the chart."""
    root = parse(svg)
    return [[span.text for span in text.findall("svg:tspan", NS)]
            for text in root.iter("{http://www.w3.org/2000/svg}text") if text.findall("svg:tspan", NS)]


def test_long_labels_are_written_whole_on_lines_that_fit_the_label_column():
    label = "Hội thảo Chuyển đổi số và Đô thị thông minh cho Thành phố Hồ Chí Minh"
    short = "Khai mạc"
    svg = charts.bar_chart([(label, 1), (short, 2)], title="t", description="d", width=640)
    assert f"{label}: 1" in svg  # the tooltip
    lines = _label_lines(svg)
    assert " ".join(lines[0]) == label and len(lines[0]) > 1  # every word, wrapped
    assert lines[1] == [short]
    root = parse(svg)
    left = float(root.find("svg:line[last()]", NS).get("x1"))  # the axis: where the bars start
    assert all(12 + len(line) * charts.LABEL_PX <= left + 0.5 for line in lines[0])  # nothing cut at the edge
    assert left <= 640 * 0.45 + 12  # the bars keep more than half the width


def test_a_label_too_long_for_three_lines_ends_with_an_ellipsis():
    label = " ".join(["Hội thảo Chuyển đổi số và Đô thị thông minh"] * 5)
    lines = charts.wrap(label, 30)
    assert len(lines) == 3 and lines[-1].endswith("…") and all(len(line) <= 30 for line in lines)
    assert charts.wrap("Khai mạc", 30) == ["Khai mạc"]
    assert charts.wrap("x" * 65, 30) == ["x" * 30, "x" * 30, "x" * 5]  # a word longer than a line is cut


def test_numbers_on_the_axis_and_bars_follow_the_given_format():
    svg = charts.bar_chart([("A", 3175)], title="t", description="d", fmt=lambda v: f"{int(v):,}")
    assert "A: 3,175" in svg and ">3,175<" in svg


@pytest.mark.parametrize("value, top, step", [(0, 1, 1), (1, 1, 1), (3, 3, 1), (5, 5, 1), (7, 8, 2),
                                              (10, 10, 2), (11, 15, 5), (4999, 5000, 1000),
                                              (5000, 5000, 1000), (12345, 15000, 5000)])
def test_axis_is_whole_and_round(value, top, step):
    assert charts.axis(value) == (top, step)


@given(st.integers(min_value=0, max_value=10**9))
def test_axis_holds_the_value_with_few_ticks(value):
    top, step = charts.axis(value)
    assert top >= value and step >= 1 and top % step == 0
    assert 2 <= len(charts.ticks(top, step)) <= 7


def test_thousands_in_the_vietnamese_way():
    assert charts.thousands(5000) == "5.000"
    assert charts.thousands(1234567) == "1.234.567"
    assert charts.thousands(2.5) == "2,5"
    assert charts.thousands(0) == "0"


def test_data_uri_round_trips():
    import base64

    svg = charts.bar_chart([("Đà Lạt", 1)], title="Tỉnh", description="d")
    uri = charts.data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
