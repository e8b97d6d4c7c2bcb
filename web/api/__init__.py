"""The JSON API under ``/api/v1``: the catalogue, stateless checks, submissions, and the clerk
side behind tokens. flask-smorest builds the OpenAPI 3.1 document from the marshmallow
schemas in ``schemas``; every error is ``application/problem+json`` (``problems``).

The API uses no cookies, so it is exempt from CSRF protection; a citizen's access is the
submission's secret in a header, a clerk system's access an API token.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any

from flask import Flask, request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from web.api import problems

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX, description="Check paperwork and send it in, over HTTP.")


class IntakeApi(Api):  # type: ignore[misc]
    """flask-smorest, with problem+json as the documented error payload and no global error
    handler (the citizen and clerk pages keep their own friendly error pages)."""

    ERROR_SCHEMA = problems.ProblemSchema

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as application/problem+json (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def _register_error_handlers(self) -> None:
        """Errors are turned into problems by :func:`_install_error_handlers`, for API addresses only."""


def errors(*statuses: int) -> Callable[[Any], Any]:
    """Document the error statuses an operation can answer with."""
    def decorate(view: Any) -> Any:
        for status in sorted(statuses, reverse=True):
            view = bp.alt_response(status, response=http.HTTPStatus(status).name)(view)
        return view
    return decorate


def _is_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def _install_error_handlers(app: Flask) -> None:
    """Problems for any address under the prefix, including ones no route matches; the app's
    own pages everywhere else."""
    own = app.error_handler_spec[None][None]
    page_for_http = own.get(HTTPException)
    page_for_crash = own.get(Exception)

    def on_http(error: HTTPException) -> Any:
        if _is_api():
            return problems.from_http(error)
        return page_for_http(error) if page_for_http else error

    def on_crash(error: Exception) -> Any:
        if _is_api():
            app.logger.exception("unexpected error in the API")
            from web.models import db

            db.session.rollback()
            return problems.from_http(_server_error())
        if page_for_crash:
            return page_for_crash(error)
        raise error

    def on_problem(problem: problems.ApiProblem) -> Any:
        return problems.from_problem(problem)

    app.register_error_handler(HTTPException, on_http)
    app.register_error_handler(Exception, on_crash)
    app.register_error_handler(problems.ApiProblem, on_problem)


def _server_error() -> HTTPException:
    from werkzeug.exceptions import InternalServerError

    return InternalServerError()


def init_app(app: Flask) -> None:
    """Register the API, its document at /api/v1/openapi.json, its page at /api/v1/docs, and the
    ``tokens`` commands."""
    from web import csrf
    from web.api import catalogue, clerk, commands, docs, submissions  # noqa: F401  (the API's routes)

    app.config.setdefault("API_TITLE", "intake")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("IDEMPOTENCY_HOURS", 24)
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "Check paperwork for a public service, and send it in. Errors are "
                                "application/problem+json (RFC 9457) with a stable code.",
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "servers": [{"url": "/"}],
    })
    api = IntakeApi()
    api.init_app(app)
    api.spec.components.security_scheme("token", {
        "type": "http", "scheme": "bearer", "description": "An API token from `flask --app web tokens create`"})
    api.spec.components.security_scheme("secret", {
        "type": "apiKey", "in": "header", "name": "Submission-Secret",
        "description": "The secret given when the submission was made"})
    csrf.exempt(bp)
    api.register_blueprint(bp)
    app.register_blueprint(docs.pages)
    _install_error_handlers(app)
    app.extensions["intake.api"] = api
    app.cli.add_command(commands.tokens)
