"""Charts for the dashboards (issue 14, item 5): server-rendered SVG.

Why SVG written here rather than a charting library: the charts are simple (a trend over the
school year's weeks, a distribution in bars), the pages must work without JavaScript and stay
light on a phone, and nothing new has to be kept up to date. Each chart:

* is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says what it shows in words
  (screen readers read those), and the page puts the same numbers beside it as a data table
  (``dashboards.tables.Table``) — the table, not the chart, is the accessible source;
* uses the Okabe–Ito palette (safe for the common colour-vision deficiencies) and, for lines,
  also a different dash pattern and marker per series, so no meaning rests on colour alone;
* scales to its container (``viewBox``, width 100 %), so it fits a 390 px screen.

Every text that goes into the SVG is escaped (``django.utils.html.escape``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe & Ito (2008): blue, vermillion, bluish green, orange, reddish purple, sky blue.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 36
FONT = 18  # in viewBox units: about 11 px when the chart is 390 px wide
LEGEND_ROW = 28


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]  # None: no value at that point (a gap in the line)


def _number(value: float) -> str:
    """A value as written on a chart: whole numbers in full (never 1e+06), others as ``:g``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 4:.1f} {x - 4:.1f},{y + 3:.1f} {x + 4:.1f},{y + 3:.1f}"'
            f' fill="{colour}"/>'
        )
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 4:.1f} {x + 4:.1f},{y:.1f} {x:.1f},{y + 4:.1f} '
            f'{x - 4:.1f},{y:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'


def _frame(
    chart_id: str, title: str, description: str, body: list[str], height: int = HEIGHT
) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in ``body`` and here is escaped
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" data-testid="chart">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _axis(maximum: float, unit: str) -> list[str]:
    """The horizontal grid lines at 0, ½ and the maximum, with their values."""
    body = []
    plot_h = HEIGHT - TOP - BOTTOM
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        value = maximum * fraction
        text = f"{value:.0f}{unit}"
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#767676" stroke-width="{1 if fraction == 0 else 0.5}"/>'
            f'<text x="{LEFT - 4}" y="{y + 6:.1f}" font-size="{FONT}" text-anchor="end" '
            f'fill="#333">{escape(text)}</text>'
        )
    return body


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    maximum: float = 100,
    unit: str = "%",
) -> SafeString:
    """A trend: one line per series over ``labels`` (e.g. weeks), with a legend below."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    count = len(labels)
    step = plot_w / max(count - 1, 1)
    body = _axis(maximum, unit)
    every = max(1, -(-count // 5))  # at most 5 labels under the axis
    for index, label in enumerate(labels):
        if index % every == 0:
            x = LEFT + index * step
            body.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 22}" font-size="{FONT}" '
                f'text-anchor="middle" fill="#333">{escape(label)}</text>'
            )
    for number, line in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        marker = MARKERS[number % len(MARKERS)]
        points = [
            (LEFT + index * step, TOP + plot_h * (1 - min(value, maximum) / maximum))
            for index, value in enumerate(line.values)
            if value is not None and maximum
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dashed}/>'
            )
        if count <= 30:
            body.extend(_marker(marker, x, y, colour) for x, y in points)
        # The legend: marker, line sample and label, one row per series below the chart.
        lx = LEFT
        ly = HEIGHT + LEGEND_ROW * (number + 1) - 6
        body.append(
            f'<line x1="{lx:.1f}" y1="{ly - 4}" x2="{lx + 22:.1f}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
            + _marker(marker, lx + 11, ly - 4, colour)
            + f'<text x="{lx + 30:.1f}" y="{ly + 2}" font-size="{FONT}" fill="#222">'
            f"{escape(line.label)}</text>"
        )
    return _frame(chart_id, title, description, body, HEIGHT + LEGEND_ROW * len(series) + 4)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[tuple[str, float]],
    maximum: float | None = None,
    unit: str = "",
) -> SafeString:
    """A distribution: one horizontal bar per (label, value), the value written at its end."""
    height_each = 32
    top = 6
    height = top + height_each * max(len(bars), 1) + 6
    label_w = 260
    plot_w = WIDTH - label_w - 70
    top_value = maximum if maximum is not None else max((value for _l, value in bars), default=0)
    body = []
    for index, (label, value) in enumerate(bars):
        y = top + index * height_each
        w = plot_w * (value / top_value) if top_value else 0
        colour = PALETTE[0]
        short = label if len(label) <= 24 else label[:23] + "…"
        body.append(
            f'<text x="{label_w - 6}" y="{y + 21}" font-size="{FONT}" text-anchor="end" '
            f'fill="#222">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 6}" width="{w:.1f}" height="20" fill="{colour}" '
            f'data-value="{_number(value)}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 21}" font-size="{FONT}" fill="#222">'
            f"{escape(_number(value) + unit)}</text>"
        )
    return _frame(chart_id, title, description, body, height)


def _fill_pattern(chart_id: str, number: int, colour: str) -> tuple[str, str]:
    """The fill of the ``number``-th series and its ``<pattern>`` definition: solid, diagonal
    stripes, dots, cross-hatching in turn, so that series differ in more than their colour."""
    kind = number % 4
    if kind == 0:
        return colour, ""
    pattern_id = f"{chart_id}-fill-{number}"
    if kind == 1:
        marks = '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2.5"/>'
        transform = ' patternTransform="rotate(45)"'
    elif kind == 2:
        marks = '<circle cx="3" cy="3" r="1.4" fill="#fff"/>'
        transform = ""
    else:
        marks = (
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="1.5"/>'
            '<line x1="0" y1="0" x2="6" y2="0" stroke="#fff" stroke-width="1.5"/>'
        )
        transform = ' patternTransform="rotate(45)"'
    definition = (
        f'<pattern id="{escape(pattern_id)}" patternUnits="userSpaceOnUse" width="6" height="6"'
        f'{transform}><rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
    )
    return f"url(#{escape(pattern_id)})", definition


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    maximum: float | None = None,
    unit: str = "",
) -> SafeString:
    """A distribution of several series: per label a group of horizontal bars, one per series
    (its own colour and fill pattern, named in the legend below), each value written at the
    end of its bar. A missing value (``None``) draws no bar and writes "–"."""
    bar_h = 20
    gap = 12
    group_h = bar_h * max(len(series), 1) + gap
    top = 6
    plot_bottom = top + group_h * len(labels)
    height = plot_bottom + LEGEND_ROW * len(series) + 10
    label_w = 260
    plot_w = WIDTH - label_w - 70
    values = [value for line in series for value in line.values if value is not None]
    top_value = maximum if maximum is not None else max(values, default=0)
    fills = [
        _fill_pattern(chart_id, number, PALETTE[number % len(PALETTE)])
        for number in range(len(series))
    ]
    definitions = "".join(definition for _fill, definition in fills if definition)
    body = [f"<defs>{definitions}</defs>"] if definitions else []
    for index, label in enumerate(labels):
        y0 = top + index * group_h
        short = label if len(label) <= 24 else label[:23] + "…"
        middle = y0 + bar_h * len(series) / 2
        body.append(
            f'<text x="{label_w - 6}" y="{middle + 6:.1f}" font-size="{FONT}" '
            f'text-anchor="end" fill="#222">{escape(short)}</text>'
        )
        for number, line in enumerate(series):
            value = line.values[index] if index < len(line.values) else None
            y = y0 + number * bar_h
            w = plot_w * (value / top_value) if value and top_value else 0
            text = "–" if value is None else _number(value) + unit
            if value is not None:
                body.append(
                    f'<rect x="{label_w}" y="{y + 1}" width="{w:.1f}" height="{bar_h - 2}" '
                    f'fill="{fills[number][0]}" stroke="{PALETTE[number % len(PALETTE)]}" '
                    f'stroke-width="1" data-series="{number}" data-value="{_number(value)}"/>'
                )
            body.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" font-size="{FONT - 2}" '
                f'fill="#222">{escape(text)}</text>'
            )
    for number, line in enumerate(series):
        ly = plot_bottom + LEGEND_ROW * (number + 1) - 6
        body.append(
            f'<rect x="{LEFT}" y="{ly - 14}" width="22" height="16" fill="{fills[number][0]}" '
            f'stroke="{PALETTE[number % len(PALETTE)]}" stroke-width="1"/>'
            f'<text x="{LEFT + 30}" y="{ly}" font-size="{FONT}" fill="#222">'
            f"{escape(line.label)}</text>"
        )
    return _frame(chart_id, title, description, body, height)
