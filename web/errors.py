"""Friendly pages for every error a citizen can meet; never a stack trace, never a bare 500.

An upload refused before its body is read (bigger than the packet limit, or more parts than
a form can have) still leaves one ``upload_refused`` audit entry with its own code.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

UPLOADS = ("citizen.upload", "citizen.add_files")


def refused_code() -> str:
    """Why a request was too large: its bytes, or (within the byte limit) its number of parts."""
    length = request.content_length
    limit = request.max_content_length
    if length is None or limit is None or length > limit:
        return "packet.too_large"
    return "packet.too_many_files"


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        if code == 413 and request.endpoint in UPLOADS:
            _audit_refusal()
        template = f"errors/{code}.html" if code in (403, 404, 413, 429) else "errors/generic.html"
        return render_template(template, code=code), code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        app.logger.exception("unexpected error")
        return render_template("errors/generic.html", code=500), 500


def _audit_refusal() -> None:
    from web.citizen import packets

    packets.refuse_request(refused_code(), (request.view_args or {}).get("service_id"))
