"""The dashboards' tables: export as CSV and XLSX with formula injection neutralised, and the
labelled cards the template renders (issue 14, item 6)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from openpyxl import load_workbook

from dashboards.tables import Column, Table, csv_bytes, export_response, neutralised

HOSTILE = ['=HYPERLINK("http://evil.invalid","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def table(**kwargs):
    defaults = {
        "slug": "students",
        "title": "Leerlingen: per status",
        "columns": [
            Column("name", "Naam"),
            Column("count", "Aantal", numeric=True),
            Column("since", "Sinds"),
        ],
        "rows": [
            {"name": "Lopend", "count": 21, "since": dt.date(2026, 9, 1)},
            *({"name": text, "count": -3, "since": None} for text in HOSTILE),
        ],
    }
    defaults.update(kwargs)
    return Table(**defaults)


def test_a_text_that_would_start_a_formula_is_quoted_and_nothing_else_is():
    for text in HOSTILE:
        assert neutralised(text) == "'" + text
    assert neutralised("Emma Willems") == "Emma Willems"
    assert neutralised(-3) == -3  # a number stays a number
    assert neutralised(None) is None


def test_csv_holds_the_table_with_no_live_formula():
    data = csv_bytes(table())
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["Naam", "Aantal", "Sinds"]
    assert rows[1] == ["Lopend", "21", "2026-09-01"]
    assert [row[0] for row in rows[2:]] == ["'" + text for text in HOSTILE]
    assert all(row[1] == "-3" and row[2] == "" for row in rows[2:])


def test_xlsx_holds_the_table_as_values_never_formulas():
    request = RequestFactory().get("/dashboards/x/", {"export": "students", "format": "xlsx"})
    response = export_response(request, [table()], filename_stem="Sint-Jozef 2026-2027")
    assert response is not None
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="sint-jozef-2026-2027-students.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Naam", "Aantal", "Sinds"]
    assert values[1][:2] == ["Lopend", 21]
    assert values[1][2].date() == dt.date(2026, 9, 1)
    # XML keeps a carriage return as a line feed.
    assert [row[0] for row in values[2:]] == ["'" + text.replace("\r", "\n") for text in HOSTILE]
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s"  # text, not "f" (formula)


@pytest.mark.parametrize(
    "query",
    [{}, {"export": "nope"}, {"export": "students", "format": "pdf"}, {"format": "csv"}],
)
def test_no_export_asked_or_an_unknown_one_shows_the_page(query):
    request = RequestFactory().get("/dashboards/x/", query)
    assert export_response(request, [table()], filename_stem="x") is None


def test_one_link_per_row_or_none():
    with pytest.raises(ValueError):
        table(links=["/a/"])


def test_the_template_labels_every_cell_links_the_first_and_keeps_the_filters_in_exports():
    request = RequestFactory().get("/dashboards/x/", {"year": "2026"})
    rows = [{"name": "Emma <b>", "count": 2, "since": None}]
    html = render_to_string(
        "dashboards/_table.html",
        {"table": table(rows=rows, links=["/trajects/abc/"])},
        request=request,
    )
    assert '<td data-label="Naam"><a href="/trajects/abc/">Emma &lt;b&gt;</a></td>' in html
    assert '<td data-label="Aantal" class="num">2</td>' in html
    assert '<td data-label="Sinds"></td>' in html
    assert "?year=2026&amp;export=students&amp;format=csv" in html
    assert "?year=2026&amp;export=students&amp;format=xlsx" in html


def test_an_empty_table_says_so():
    html = render_to_string(
        "dashboards/_table.html",
        {"table": table(rows=[], empty="Geen leerlingen.")},
        request=RequestFactory().get("/"),
    )
    assert "Geen leerlingen." in html
    assert "<table" not in html
