"""The server-rendered SVG charts (``dashboards.charts``): accessible, escaped, colour-blind
safe, no script."""

from __future__ import annotations

import re

from dashboards import charts

EVIL = '<script>alert("x")</script> & "quotes"'


def test_a_line_chart_is_an_accessible_image_with_escaped_text():
    svg = charts.line_chart(
        chart_id="c1",
        title=EVIL,
        description="Two series over three weeks.",
        labels=["1/9", "8/9", EVIL],
        series=[charts.Series(EVIL, [10, None, 90]), charts.Series("B", [0, 50, 100])],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">' in svg and '<desc id="c1-desc">Two series' in svg
    assert "<script" not in svg and "&lt;script&gt;" in svg
    # Okabe–Ito colours, and the second series told apart by its dash pattern too.
    assert charts.PALETTE[0] in svg and charts.PALETTE[1] in svg
    assert 'stroke-dasharray="6 3"' in svg


def test_a_bar_chart_writes_each_value_and_scales_to_its_maximum():
    svg = charts.bar_chart(
        chart_id="c2",
        title="Bars",
        description="Three bars.",
        bars=[("A", 0), (EVIL, 50), ("C", 100)],
        maximum=100,
        unit="%",
    )
    assert "50%" in svg and "100%" in svg and "<script" not in svg
    assert 'width="0.0"' in svg  # a zero is an empty bar, not a missing one
    assert svg.count("<rect") == 3


def test_no_data_draws_an_empty_chart_without_failing():
    assert charts.line_chart(chart_id="e", title="t", description="d", labels=[], series=[])
    assert charts.bar_chart(chart_id="f", title="t", description="d", bars=[])


def test_a_grouped_bar_chart_tells_its_series_apart_by_more_than_colour():
    svg = charts.grouped_bar_chart(
        chart_id="g",
        title="Due and done",
        description="Two series over three mentors.",
        labels=["An", EVIL, "Cor"],
        series=[charts.Series("Due", [4, 2, 1_000_000]), charts.Series(EVIL, [3, None, 0])],
    )
    assert 'role="img"' in svg and 'aria-labelledby="g-title g-desc"' in svg
    assert "<script" not in svg and "&lt;script&gt;" in svg
    # The second series is striped (a pattern) as well as coloured, and named in the legend.
    assert '<pattern id="g-fill-1"' in svg and 'fill="url(#g-fill-1)"' in svg
    assert charts.PALETTE[0] in svg and charts.PALETTE[1] in svg
    values = re.findall(r'data-series="(\d)" data-value="([^"]+)"', svg)
    assert values == [("0", "4"), ("1", "3"), ("0", "2"), ("0", "1000000"), ("1", "0")]
    assert ">–<" in svg  # the missing value is written, not drawn
    assert ">1000000<" in svg and "e+" not in svg


def test_a_grouped_bar_chart_without_data_draws_without_failing():
    assert charts.grouped_bar_chart(chart_id="h", title="t", description="d", labels=[], series=[])
    svg = charts.grouped_bar_chart(
        chart_id="i", title="t", description="d", labels=["a"], series=[charts.Series("s", [0])]
    )
    assert 'width="0.0"' in svg
