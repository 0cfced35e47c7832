"""CSV files that spreadsheets open correctly and safely.

Every CSV the portal writes for people to open in Excel goes through here:
- UTF-8 with a byte-order mark, so Excel reads accents (Ysgol Gymraeg, Zoë) correctly;
- RFC 4180: fields quoted when needed, CRLF line ends;
- no cell can be read as a formula: text beginning with `=`, `+`, `-`, `@`, a tab or a
  carriage return gets a leading `'` (the OWASP "CSV injection" advice), so a cell typed as
  `=HYPERLINK("http://...")` shows as text instead of running. Numbers and dates are
  written as themselves (a negative number is a number, not a formula).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.text import slugify

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """One cell as text, neutralised if a spreadsheet could take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(*, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file as text, with the byte-order mark first."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(
    *, header: Sequence[str], rows: Iterable[Sequence[object]], filename: str
) -> HttpResponse:
    """A download of the CSV, named `<slugified filename>.csv`, never cached."""
    response = HttpResponse(
        csv_text(header=header, rows=rows).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "report"}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
