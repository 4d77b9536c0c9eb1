"""Reading a dashboard page as a person would: the values a chart draws and the rows of the
table beside it, so that a test can say the two show the same numbers."""

from __future__ import annotations

import re
from html.parser import HTMLParser


def chart(html: str, chart_id: str) -> str:
    """The ``<svg>`` of the chart ``chart_id`` on the page (fails when it is not there)."""
    found = re.search(rf'<svg [^>]*id="{re.escape(chart_id)}".*?</svg>', html, re.S)
    assert found, f"no chart {chart_id} on the page"
    return found.group(0)


def chart_values(svg: str) -> list[list[str]]:
    """Per series (in order), the values of its bars in order (``data-value``)."""
    series: dict[int, list[str]] = {}
    for attributes in re.findall(r"<rect ([^>]*data-value[^>]*)/?>", svg):
        number = re.search(r'data-series="(\d+)"', attributes)
        value = re.search(r'data-value="([^"]*)"', attributes)
        assert value
        series.setdefault(int(number.group(1)) if number else 0, []).append(value.group(1))
    return [series[number] for number in sorted(series)]


def chart_labels(svg: str) -> list[str]:
    """The texts written in the chart (labels, values, legend), unescaped."""
    from html import unescape

    return [unescape(text) for text in re.findall(r"<text [^>]*>([^<]*)</text>", svg)]


class _TableReader(HTMLParser):
    def __init__(self, slug: str) -> None:
        super().__init__(convert_charrefs=True)
        self.slug = slug
        self.rows: list[list[str]] = []
        self._inside = False
        self._depth = 0
        self._cell = False
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            if self._inside:
                self._depth += 1
            elif values.get("data-table") == self.slug:
                self._inside = True
                self._depth = 0
        if not self._inside:
            return
        if tag == "tr" and values.get("data-testid") == "dashboard-row":
            self.rows.append([])
        elif tag == "td" and self.rows:
            self._cell = True
            self._text = ""

    def handle_endtag(self, tag: str) -> None:
        if not self._inside:
            return
        if tag == "td" and self._cell:
            self.rows[-1].append(self._text.strip())
            self._cell = False
        elif tag == "section":
            if self._depth:
                self._depth -= 1
            else:
                self._inside = False

    def handle_data(self, data: str) -> None:
        if self._cell:
            self._text += data


def table_rows(html: str, slug: str) -> list[list[str]]:
    """The rows of the dashboard table ``slug`` as shown: the cells' texts, column by column."""
    reader = _TableReader(slug)
    reader.feed(html)
    return reader.rows
