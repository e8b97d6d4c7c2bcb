"""Blank forms uploaded to the studio are untrusted files: the draft is made in a sandbox worker
under the parse caps, and the words beside radio buttons are read only from pages vetted under
the upload limits, so a hostile PDF can neither hang nor crash the web process, and the admin
is told in plain words what to do instead of meeting a server error."""

from __future__ import annotations

import io
import json
import resource
import time
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask

from tests.intake.hostile.drawings import radio_beside_fan_out
from tests.pdfs import FormBuilder
from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
)
from tests.web.conftest import post_files
from web.models import ServiceDraft, db

ADMIN = "adm@example.gov"
PARSE_SECONDS = 2
PLAIN = ("too large or complex for us to read", "could not be read as a fillable PDF form")


def _upload(client: Any, data: bytes, name: str) -> Any:
    return post_files(client, "/admin/services/new", {"blank": (io.BytesIO(data), name)})


def _refusal(response: Any) -> str:
    assert response.status_code == 400, response.status_code
    summary = BeautifulSoup(response.get_data(as_text=True), "html.parser").find("div", class_="error-summary")
    assert summary is not None
    return str(summary.get_text(" ", strip=True))


def _own_cpu_seconds() -> float:
    """CPU time of this process alone: the web process in these tests, not its sandbox workers."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def test_a_blank_form_whose_radio_page_would_keep_the_server_busy_is_drafted_without_reading_that_page(
        app: Flask, staff: dict[str, str], another_app: Callable[..., Flask]) -> None:
    capped = another_app(PARSE_SECONDS=PARSE_SECONDS)
    admin = sign_in(capped, ADMIN)
    started, cpu = time.monotonic(), _own_cpu_seconds()
    response = _upload(admin, radio_beside_fan_out(), "bomb.pdf")
    wall, spent = time.monotonic() - started, _own_cpu_seconds() - cpu
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert wall < PARSE_SECONDS, f"the page's million draws were counted before any was made ({wall:.1f} s)"
    assert spent < 1.5, f"the web process itself spent {spent:.1f} s of CPU on the file"
    with capped.app_context():
        draft = db.session.get(ServiceDraft, "bomb")
        assert draft is not None
        assert "choice: {source: Choice, type: choice, one_of: ['1', '2']}" in draft.yaml_text, \
            "the answers keep the form's own values when the words beside them are not read"
        assert "# The printed words of page 2 were not read" in draft.yaml_text
    edit = BeautifulSoup(admin.get(response.headers["Location"]).get_data(as_text=True), "html.parser")
    assert "give each answer its words by hand" in edit.get_text(), \
        "the admin is told, beside the field, that its answers need words"

    plain = FormBuilder().add_text("Applicant Name", tooltip="Your full name").build()
    after = _upload(admin, plain, "after-the-bomb.pdf")
    assert after.status_code == 303
    with capped.app_context():
        assert db.session.get(ServiceDraft, "after-the-bomb") is not None


def test_every_kind_of_hostile_file_gives_a_draft_or_a_plain_refusal_never_a_server_error(
        app: Flask, staff: dict[str, str], another_app: Callable[..., Flask], hostile: Any) -> None:
    capped = another_app(PARSE_SECONDS=PARSE_SECONDS)
    admin = sign_in(capped, ADMIN)
    one_of_each: dict[str, dict[str, Any]] = {}
    for entry in hostile.files:
        one_of_each.setdefault(entry["category"], entry)
    outcomes: dict[str, str] = {}
    for category, entry in one_of_each.items():
        data = hostile.path(entry).read_bytes()
        started = time.monotonic()
        response = _upload(admin, data, entry["file"])
        assert time.monotonic() - started < PARSE_SECONDS + 8, entry["file"]
        if response.status_code == 303:
            outcomes[category] = "drafted"
            assert "/edit" in response.headers["Location"]
            continue
        message = _refusal(response)
        if not data:
            assert "Choose the blank form" in message
        else:
            assert any(words in message for words in PLAIN), (entry["file"], message)
        outcomes[category] = "refused"
    assert "refused" in outcomes.values(), json.dumps(outcomes)
    with capped.app_context():
        assert db.session.query(ServiceDraft).count() == list(outcomes.values()).count("drafted")
