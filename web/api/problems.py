"""Errors as ``application/problem+json`` (RFC 9457): one payload for every error of the API.

Each problem carries the HTTP status, a stable dotted ``code`` (the report's codes for file
problems, ``http.*``, ``auth.*`` and a few others for the rest), plain-language ``title``
and ``detail`` in the requested language, and ``errors``: one entry per field or file at
fault. Views raise :class:`ApiProblem`; HTTP errors raised elsewhere (routing, size limits,
rate limits, argument validation) become problems in :func:`from_http`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import marshmallow as ma
from flask import Response, current_app, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

MEDIA_TYPE = "application/problem+json"


class ProblemDetailSchema(ma.Schema):
    """One field or file at fault."""

    field = ma.fields.String(required=True, metadata={"description": "The field, file or header at fault"})
    code = ma.fields.String(required=True, metadata={"description": "Stable dotted code"})
    message = ma.fields.String(required=True, metadata={"description": "What to do, in plain words"})


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem, with the stable ``code`` and field-level ``errors``."""

    type = ma.fields.String(required=True, metadata={"description": "A URI naming the kind of problem"})
    title = ma.fields.String(required=True, metadata={"description": "A short summary, in plain words"})
    status = ma.fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    detail = ma.fields.String(required=True, metadata={"description": "What happened and what to do next"})
    code = ma.fields.String(required=True, metadata={"description": "Stable dotted code, for programs"})
    instance = ma.fields.String(required=True, metadata={"description": "The address that was asked for"})
    errors = ma.fields.List(ma.fields.Nested(ProblemDetailSchema), required=True)


class ApiProblem(Exception):
    """Raised by a view: the request cannot be served as it is."""

    def __init__(self, status: int, code: str, detail: str, errors: Iterable[Mapping[str, str]] = (),
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.errors = [dict(e) for e in errors]
        self.headers = dict(headers or {})


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be read."),
        401: _("A valid API token is needed."),
        403: _("This token is not allowed to do that."),
        404: _("We could not find that."),
        405: _("That method is not allowed here."),
        409: _("That conflicts with an earlier request."),
        413: _("That is too much to upload at once."),
        415: _("We cannot read that type of content."),
        422: _("Some values need to be fixed."),
        429: _("Too many requests. Wait a minute and try again."),
        500: _("Something went wrong on our side. Nothing you sent was lost. Try again in a few minutes."),
    }


def _http_codes() -> dict[int, tuple[str, str]]:
    return {
        400: ("http.bad_request", _("Check the request against the API documentation and send it again.")),
        401: ("auth.required", _("Send your API token in the Authorization header, as Bearer followed by the "
                                 "token. Ask the service's administrator for a token if you have none.")),
        403: ("auth.forbidden", _("Ask the service's administrator for a token with the right scope.")),
        404: ("http.not_found", _("Check the address. The API documentation lists every address.")),
        405: ("http.method_not_allowed", _("Check the method. The API documentation lists every method.")),
        409: ("http.conflict", _("Read the current state and try again.")),
        413: ("packet.too_large", _("Send fewer or smaller files at once. Each request can be up to %(mb)s "
                                     "MB.", mb=current_app.config["MAX_PACKET_MB"])),
        415: ("http.unsupported_media_type", _("Send the files as multipart/form-data.")),
        422: ("request.invalid", _("Fix the values listed in errors and send the request again.")),
        429: ("http.too_many_requests", _("Wait a minute before you try again.")),
        500: ("http.server_error", _("Try again in a few minutes. If it keeps happening, tell the service's "
                                     "administrator.")),
    }


def response(status: int, code: str, detail: str, errors: Iterable[Mapping[str, str]] = (),
             headers: Mapping[str, str] | None = None) -> Response:
    """The problem+json response; every error of the API goes out through here."""
    titles = _titles()
    body = {
        "type": f"urn:intake:problem:{code}",
        "title": titles.get(status) or titles[400 if status < 500 else 500],
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.path,
        "errors": [dict(e) for e in errors],
    }
    out = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        out.headers[name] = value
    return out


def from_problem(problem: ApiProblem) -> Response:
    return response(problem.status, problem.code, problem.detail, problem.errors, problem.headers)


def _argument_errors(messages: Any) -> list[dict[str, str]]:
    """webargs' nested ``{location: {field: [message]}}`` flattened to one entry per message; a
    field is named by its path (``items[1]``), or by the location when the whole body is at fault."""
    found: list[dict[str, str]] = []

    def walk(location: str, prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(location, f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
            for text in value:
                found.append({"field": prefix or location, "code": "field.invalid", "message": text})
        elif isinstance(value, list | tuple):
            for index, inner in enumerate(value):
                walk(location, f"{prefix}[{index}]", inner)
        else:
            found.append({"field": prefix or location, "code": "field.invalid", "message": str(value)})

    for location, fields in (messages or {}).items():
        walk(str(location), "", fields)
    return found


def from_http(error: HTTPException) -> Response:
    """An HTTP error raised outside a view's control, as a problem."""
    status = error.code or 500
    codes = _http_codes()
    code, detail = codes.get(status) or codes[400 if status < 500 else 500]
    if status == 413:
        code = _refused_upload()
    data = getattr(error, "data", None) or {}
    errors = _argument_errors(data.get("messages")) if "messages" in data else []
    headers: dict[str, str] = {}
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(sorted(allowed))
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="intake"'
    if status == 429:
        headers["Retry-After"] = str(_seconds_to_wait())
    return response(status, code, detail, errors, headers)


def _refused_upload() -> str:
    """An upload too large to read: the web's code for it (bytes or parts), audited as the web does."""
    from web.citizen import packets
    from web.errors import refused_code

    code = refused_code()
    if request.method == "POST":
        packets.refuse_request(code, None)
    return code


def _seconds_to_wait() -> int:
    """How long until the limit that was hit lets a request through again."""
    import time

    from web.limits import limiter

    hit = limiter.current_limit
    return max(1, int(hit.reset_at - time.time())) if hit is not None else 60
