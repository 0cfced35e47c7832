"""CSV downloads (portal/spreadsheets.py): Excel reads accents, and no cell is a formula."""

import csv
import datetime
import io

import pytest

from portal.spreadsheets import csv_cell, csv_response, csv_text


@pytest.mark.parametrize(
    "typed",
    ['=HYPERLINK("http://x.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_a_cell_a_spreadsheet_could_run_as_a_formula_gets_a_leading_quote(typed):
    assert csv_cell(typed) == "'" + typed


def test_ordinary_text_numbers_and_dates_are_written_as_themselves():
    assert csv_cell("Ysgol Gymraeg – Zoë") == "Ysgol Gymraeg – Zoë"
    assert csv_cell(-3) == "-3"
    assert csv_cell(datetime.date(2026, 1, 2)) == "2026-01-02"
    assert csv_cell(None) == ""


def test_the_file_starts_with_a_byte_order_mark_and_ends_lines_with_crlf():
    text = csv_text(header=["a", "b"], rows=[["x, y", 'say "hi"']])
    assert text.startswith("\ufeffa,b\r\n")
    assert text.endswith('"x, y","say ""hi"""\r\n')
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["a", "b"],
        ["x, y", 'say "hi"'],
    ]


def test_a_download_is_named_and_not_cached():
    response = csv_response(header=["a"], rows=[["=1"]], filename="My report 2026")
    assert response["Content-Disposition"] == 'attachment; filename="my-report-2026.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert response.content.decode("utf-8") == "\ufeffa\r\n'=1\r\n"
