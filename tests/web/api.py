"""Helpers for the API's tests: multipart requests that close their spooled bodies, tokens,
a check that an answer is a well-formed problem, and the SQL a block of requests sends."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import EnvironBuilder, FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from web.models import db

API = "/api/v1"


def plain_client(app: Flask) -> FlaskClient:
    """A client that sends only the test's own requests: under make test-stack the suite's
    client also asks the database, after each request, whether the worker has finished."""
    return FlaskClient(app, app.response_class, use_cookies=True)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app sends while the block runs."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def files(**parts: Any) -> dict[str, Any]:
    """Multipart data: files=[(bytes, name), ...] or item-<id>=(bytes, name); other values as they are."""
    data: dict[str, Any] = {}
    for key, value in parts.items():
        if key == "files" or key.startswith("item-"):
            entries = value if isinstance(value, list) else [value]
            data[key] = [(io.BytesIO(content), name) for content, name in entries]
        else:
            data[key] = value
    return data


def send(client: FlaskClient, path: str, data: dict[str, Any], headers: dict[str, str] | None = None,
         query: str = "") -> TestResponse:
    """POST multipart data to the API, closing the temporary file the test harness spools it to."""
    builder = EnvironBuilder(client.application, path=f"{API}{path}{query}", method="POST", data=data,
                             content_type="multipart/form-data", headers=headers or {})
    environ = builder.get_environ()
    builder.close()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


def finished(client: FlaskClient, response: TestResponse, done: int, secret: str | None = None) -> dict[str, Any]:
    """The submission an upload made or added to, once checked: answered ``done`` (201 or 200)
    when the check ran in the request; with a broker, 202 and a ``Location`` that shows the
    same submission with its report once the worker is done (the stack's test client has
    waited for it by the time the upload answers)."""
    body: dict[str, Any] = response.get_json()
    if not client.application.config.get("BROKER_URL"):
        assert response.status_code == done, (response.status_code, response.get_data(as_text=True)[:500])
        return body
    assert response.status_code == 202, (response.status_code, response.get_data(as_text=True)[:500])
    assert body["check"]["state"] in ("queued", "running", "done")
    secret = secret or body["secret"]
    polled = client.get(response.headers["Location"], headers={"Submission-Secret": secret})
    assert polled.status_code == 200 and polled.get_json()["check"]["state"] == "done", polled.get_json()
    return {**polled.get_json(), **({"secret": body["secret"]} if "secret" in body else {})}


def problem(response: TestResponse, status: int, code: str | None = None) -> dict[str, Any]:
    """The problem in an error answer, checked against RFC 9457 and our stable fields."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json(force=True)
    assert body["status"] == status and body["type"].startswith("urn:intake:problem:")
    assert body["title"] and body["detail"] and isinstance(body["errors"], list)
    if code is not None:
        assert body["code"] == code, body
    return body


def token(app: Flask, *args: str) -> str:
    """A new API token from the ``tokens create`` command, e.g. token(app, "kiosk", "--service", "x")."""
    result = app.test_cli_runner().invoke(args=["tokens", "create", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}
