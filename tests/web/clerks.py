"""Staff for the clerk tests: accounts made with the real command, signed-in clients, and
submissions uploaded the way a citizen does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.conftest import post_files, upload_data

PASSWORD = "a-long-Passphrase-42"


def cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture(name="staff")
def staff_fixture(app: Flask) -> dict[str, str]:
    """Two clerks of the passport service, one of the name-change service, a supervisor of the
    passport service, and an admin."""
    people = {"ana@example.gov": ("clerk", "passport-first-time"), "ben@example.gov": ("clerk", "passport-first-time"),
              "cy@example.gov": ("clerk", "ny-name-change"), "sup@example.gov": ("supervisor", "passport-first-time"),
              "adm@example.gov": ("admin", "ny-name-change")}
    for email, (role, service) in people.items():
        assert cli(app, "users", "create", email, "--name", email.split("@")[0].title(), "--role", role,
                   "--password", PASSWORD).exit_code == 0
        assert cli(app, "users", "grant", email, service).exit_code == 0
    return {email: service for email, (_role, service) in people.items()}


def sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/clerk/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return client


def submission(app: Flask, filled: Callable[..., bytes], service: str = "passport-first-time",
               key: str | None = None) -> str:
    """A citizen's first upload (the DS-11 alone, or the name-change petition); its reference."""
    form = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT) if service == "passport-first-time" else \
        (shared_corpus.ROOT / "forms/ny_ucs_nc1_adult_name_change_petition.pdf").read_bytes()
    item = "ds11" if service == "passport-first-time" else "petition"
    data = upload_data(**{f"item-{item}": (form, "form.pdf")}) | {"client_key": key or f"k-{len(str(form))}-{service}"}
    response = post_files(app.test_client(), f"/s/{service}", data)
    assert response.status_code == 303
    return str(response.headers["Location"]).rsplit("/", 1)[-1]
