"""Blank forms uploaded to the studio are untrusted files: the draft is made in a sandbox worker
under the parse caps, so a hostile PDF can neither hang nor crash the web process, and the
admin is told in plain words what to do instead of meeting a server error."""

from __future__ import annotations

import io
import json
import resource
import time
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from pypdf.generic import NameObject

from tests.intake.hostile.drawings import _drawing, _helvetica
from tests.pdfs import FormBuilder, _dict, _stream
from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
)
from tests.web.conftest import post_files
from web.models import ServiceDraft, db

ADMIN = "adm@example.gov"
PARSE_SECONDS = 2
PLAIN = ("too large or complex for us to read", "could not be read as a fillable PDF form")


def _radio_beside_a_drawing_bomb(levels: int = 6, times: int = 10) -> bytes:
    """A 3 KB blank form whose second page draws a drawing that draws the next ``times`` times,
    ``levels`` deep (a million letters), with a radio group on that page. The scaffold reads
    the printed words beside radio buttons; read with no caps, that page keeps a process busy
    for minutes."""
    builder = FormBuilder(pages=2).add_text("Name", tooltip="Your name").add_radio("Choice", ["1", "2"], page=2)
    writer = builder._writer
    font = _dict({"/F1": _helvetica(writer)})
    inner = _drawing(writer, b"BT /F1 12 Tf 72 700 Td (x) Tj ET", _dict({"/Font": font}))
    for _ in range(levels):
        inner = _drawing(writer, b"/X Do " * times, _dict({"/XObject": _dict({"/X": inner})}))
    page = builder._pages[1]
    page[NameObject("/Resources")] = _dict({"/Font": font, "/XObject": _dict({"/X": inner})})
    page[NameObject("/Contents")] = writer._add_object(_stream(b"/X Do"))
    return builder.build()


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


def test_a_blank_form_that_would_keep_the_server_busy_is_stopped_at_the_cap_with_what_to_do(
        app: Flask, staff: dict[str, str], another_app: Callable[..., Flask]) -> None:
    capped = another_app(PARSE_SECONDS=PARSE_SECONDS)
    admin = sign_in(capped, ADMIN)
    bomb = _radio_beside_a_drawing_bomb()
    started, cpu = time.monotonic(), _own_cpu_seconds()
    response = _upload(admin, bomb, "bomb.pdf")
    wall, spent = time.monotonic() - started, _own_cpu_seconds() - cpu
    assert "too large or complex for us to read" in _refusal(response)
    assert wall < PARSE_SECONDS + 8, f"the request waited {wall:.1f} s"
    assert spent < 1.5, f"the web process itself spent {spent:.1f} s of CPU on the file"
    with capped.app_context():
        assert db.session.query(ServiceDraft).count() == 0

    plain = FormBuilder().add_text("Applicant Name", tooltip="Your full name").build()
    after = _upload(admin, plain, "after-the-bomb.pdf")
    assert after.status_code == 303, "the next blank form is drafted by a fresh worker"
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
