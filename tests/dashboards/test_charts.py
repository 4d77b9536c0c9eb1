"""The server-rendered SVG charts (``dashboards.charts``): accessible, escaped, colour-blind
safe, no script."""

from __future__ import annotations

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
