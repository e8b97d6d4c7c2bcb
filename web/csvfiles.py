"""CSV downloads: one way to build them, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` or a tab is a formula to Excel and
LibreOffice; a file name or a note typed by anyone could then run when a clerk opens the
export. Such cells get a leading apostrophe (the OWASP advice), which spreadsheets hide.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from flask import Response, make_response

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def attachment(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A ``text/csv`` download of ``rows`` under ``header``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    response = make_response(out.getvalue())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
