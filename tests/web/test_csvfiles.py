"""CSV downloads open in a spreadsheet without running anything a citizen or clerk typed."""

from __future__ import annotations

import csv
import io

from flask import Flask

from tests.web.clerks import sign_in, staff_fixture  # noqa: F401  (the staff fixture)
from web import csvfiles


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_kept_as_text(app: Flask) -> None:
    hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\tx", "plain", None, 7]
    with app.test_request_context():
        response = csvfiles.attachment("x.csv", ["a"] * len(hostile), [hostile])
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'
    (_header, row) = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert row == ["'=cmd|' /C calc'!A0", "'+1+1", "'-2", "'@SUM(A1)", "'\tx", "plain", "", "7"]


def test_a_reference_search_with_control_characters_finds_nothing_and_never_fails(
        app: Flask, staff: dict[str, str]) -> None:
    clerk = sign_in(app, "ana@example.gov")
    for url in ("/clerk?q=a%00b", "/clerk/export.csv?q=%00"):
        assert clerk.get(url).status_code == 200
