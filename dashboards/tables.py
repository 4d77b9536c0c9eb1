"""The dashboards' tables: shown as labelled cards on a phone, exported as CSV and XLSX.

A dashboard builds each of its tables once as a :class:`Table` (columns, rows of plain values,
an optional link per row) and hands them to ``templates/dashboards/_table.html`` and to
:func:`export_response`, so what is exported is exactly what is shown (issue 14, item 6).

Exports are opened in spreadsheets, where a cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is taken as a formula ("CSV injection"): such a text is prefixed with an
apostrophe, in CSV and in XLSX alike (OWASP's advice). Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

Value = str | int | float | Decimal | dt.date | None

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Table:
    """One dashboard table. ``slug`` names it in the export link (``?export=<slug>``);
    ``links`` holds the drill-down address of each row, or ``None`` (same length as ``rows``)."""

    slug: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Value]]
    links: list[str | None] = field(default_factory=list)
    empty: str = ""

    def __post_init__(self) -> None:
        if self.links and len(self.links) != len(self.rows):
            raise ValueError("a table has one link (or None) per row")

    @property
    def cells(self) -> list[tuple[list[tuple[Column, Value]], str | None]]:
        """Each row's (column, value) pairs with its link: what the template loops over."""
        links: Sequence[str | None] = self.links or [None] * len(self.rows)
        return [
            ([(column, row.get(column.key)) for column in self.columns], link)
            for row, link in zip(self.rows, links, strict=True)
        ]


def neutralised(value: Value) -> Value:
    """``value`` as a spreadsheet may read it: a text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(table: Table) -> bytes:
    """The table as CSV (UTF-8 with a byte order mark, which Excel needs to read accents;
    a semicolon separator, as Excel expects with a Belgian locale)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralised(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                "" if (value := row.get(column.key)) is None else neutralised(value)
                for column in table.columns
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    """The table as one worksheet; texts that would start a formula are quoted and stored as
    text (openpyxl would otherwise write them as formulas)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    # A sheet's title allows 31 characters and none of []:*?/\
    sheet.title = "".join(c for c in table.title if c not in "[]:*?/\\")[:31] or "Duaal"
    sheet.append([neutralised(column.label) for column in table.columns])
    for row in table.rows:
        sheet.append([neutralised(row.get(column.key)) for column in table.columns])
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_response(
    request: HttpRequest, tables: Sequence[Table], *, filename_stem: str
) -> HttpResponse | None:
    """The export the request asks for (``?export=<slug>&format=csv|xlsx``), or ``None`` when it
    asks for none, names no table of ``tables`` or no known format: then the page is shown."""
    slug = request.GET.get("export")
    fmt = request.GET.get("format", "csv")
    if not slug or fmt not in FORMATS:
        return None
    table = next((table for table in tables if table.slug == slug), None)
    if table is None:
        return None
    filename = f"{slugify(filename_stem) or 'duaal'}-{slugify(table.slug)}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(csv_bytes(table), content_type=CSV_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
