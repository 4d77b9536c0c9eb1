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
            f'<rect x="{label_w}" y="{y + 6}" width="{w:.1f}" height="20" fill="{colour}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 21}" font-size="{FONT}" fill="#222">'
            f"{escape(f'{value:g}{unit}')}</text>"
        )
    return _frame(chart_id, title, description, body, height)
