"""A service sent by mail (``visit.mode: mail``) never speaks of a visit: not in the report's
messages, the result page's tags, the page of a check that failed, nor the clerk's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.pdfs import scanned_pdf
from tests.web.clerks import PASSWORD, cli, sign_in
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web.models import Submission, db

VISIT_WORDS = re.compile(r"\b(visit|visits|visita|visitas|cita|citas)\b", re.IGNORECASE)


def _upload(client: FlaskClient, files: dict[str, tuple[bytes, str]], lang: str, key: str) -> str:
    data = upload_data(**{f"item-{item}": file for item, file in files.items()}) | {"client_key": key}
    response = post_files(client, f"/s/w9-vendor?lang={lang}", data)
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


def _scans(client: FlaskClient, lang: str = "en") -> str:
    """A W-9 packet whose form and EIN letter are scans: both must be sent on paper."""
    return _upload(client, {"w9": (scanned_pdf(), "w9-scan.pdf"), "ein_letter": (scanned_pdf(), "letter.pdf")},
                   lang, f"scans-{lang}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_scans_sent_by_mail_have_no_bring_tag_and_the_result_page_never_says_visit(
        client: FlaskClient, pages: Pages, lang: str) -> None:
    reference = _scans(client, lang)
    page = pages.get(f"/r/{reference}?lang={lang}")
    assert not VISIT_WORDS.search(page.get_text(" "))
    tags = {t.get_text(strip=True) for t in page.select(".task-bring_original .task-head .tag")}
    assert len(tags) == 1 and not tags & {"Bring the original", "Traiga el original"}


def test_the_english_result_page_of_mailed_scans_says_what_to_send(client: FlaskClient, pages: Pages) -> None:
    reference = _scans(client)
    page = pages.get(f"/r/{reference}")
    tags = {t.get_text(strip=True) for t in page.select(".task-bring_original .task-head .tag")}
    assert tags == {"Send the original"}
    problems = " ".join(li.get_text(" ", strip=True) for li in page.select(".task .problem"))
    assert "with your papers" in problems or "with your other papers" in problems


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_failed_check_of_a_service_sent_by_mail_asks_to_send_the_papers_not_to_bring_them(
        app: Flask, client: FlaskClient, pages: Pages, lang: str, corpus: Path) -> None:
    reference = _upload(client, {"w9": ((corpus / "forms" / "irs_fw9_2024.pdf").read_bytes(), "w9.pdf")},
                        lang, f"failed-{lang}")
    with app.app_context():
        submission = db.session.query(Submission).filter_by(reference=reference).one()
        for check in submission.checks:
            check.state, check.error = "failed", "stopped twice"
        db.session.commit()
    page = pages.get(f"/r/{reference}?lang={lang}")
    assert page.find("div", class_="status-invalid") is not None, "the page of a check that failed"
    assert not VISIT_WORDS.search(page.get_text(" "))
    if lang == "en":
        assert "send your papers to the office as they are" in page.get_text(" ")


@pytest.fixture
def w9_clerks(app: Flask) -> None:
    for email, role in (("wen@example.gov", "clerk"), ("wsup@example.gov", "supervisor")):
        assert cli(app, "users", "create", email, "--name", email.split("@")[0].title(), "--role", role,
                   "--password", PASSWORD).exit_code == 0
        assert cli(app, "users", "grant", email, "w9-vendor").exit_code == 0


@pytest.mark.usefixtures("w9_clerks")
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_clerk_pages_of_a_service_sent_by_mail_say_ready_to_send(
        app: Flask, client: FlaskClient, lang: str) -> None:
    reference = _scans(client)
    wen = sign_in(app, "wen@example.gov")
    assert wen.post(f"/clerk/s/{reference}/claim").status_code in (302, 303)
    assert wen.post(f"/clerk/s/{reference}/status", data={"to": "ready"}).status_code in (302, 303)
    clerk = Pages(wen)
    detail = clerk.get(f"/clerk/s/{reference}?lang={lang}")
    queue = clerk.get(f"/clerk?lang={lang}")
    stats = Pages(sign_in(app, "wsup@example.gov")).get(f"/clerk/stats?service=w9-vendor&lang={lang}")
    for name, page in (("detail", detail), ("queue", queue), ("statistics", stats)):
        assert not VISIT_WORDS.search(page.get_text(" ")), name
    if lang == "en":
        assert "ready to send" in detail.get_text(" ") and "ready to send" in queue.get_text(" ")
        figures = [d.get_text() for d in stats.find("dl", class_="figures").find_all("dt")]
        assert "ready to send" in figures and "Time to ready to send" in stats.get_text(" ")
