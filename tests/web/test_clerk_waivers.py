"""Clerks waive requirements with a reason: the clerk's and the citizen's pages show them as
waived, readiness goes by the waived report, re-checks keep them, and every waiver is audited."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup
from flask import Flask

from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web.models import AuditEntry, Submission, Waiver, WorkItem, db

CITIZENSHIP = "missing:document:citizenship"
REASON = "Birth record confirmed with the state registry by phone."


def _claimed(app: Flask, filled: Callable[..., bytes]) -> tuple[str, Pages]:
    reference = submission(app, filled)
    ana = Pages(sign_in(app, "ana@example.gov"))
    ana.client.post(f"/clerk/s/{reference}/claim")
    ana.client.post(f"/clerk/s/{reference}/status", data={"to": "in_review"})
    return reference, ana


def _options(page: BeautifulSoup) -> dict[str, str]:
    select = page.find("select", id="waive-item")
    return {o["value"]: o.get_text(strip=True) for o in select.find_all("option")} if select else {}


def test_a_clerk_waives_a_missing_document_with_a_reason_and_it_shows_as_waived(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference, ana = _claimed(app, filled)
    before = ana.get(f"/clerk/s/{reference}")
    assert _options(before)[CITIZENSHIP] == "Proof of U.S. citizenship"
    response = ana.client.post(f"/clerk/s/{reference}/waive", data={"item": CITIZENSHIP, "reason": REASON})
    page = ana.follow(response)
    waived = page.find("ul", class_="waived")
    assert waived is not None and "Proof of U.S. citizenship" in waived.get_text() and REASON in waived.get_text()
    assert "(Ana, " in waived.get_text(), "who waived it, and when"
    assert CITIZENSHIP not in _options(page)
    assert "Proof of U.S. citizenship" not in page.find("ul", class_="missing").get_text()
    with app.app_context():
        found = db.session.query(Waiver).one()
        assert (found.kind, found.target, found.reason) == ("missing", "document:citizenship", REASON)
        entry = db.session.query(AuditEntry).filter_by(action="waive").one()
        assert REASON in (entry.detail or "") and "document:citizenship" in (entry.detail or "")


def test_a_waiver_needs_a_reason_a_claim_and_an_item_of_the_latest_check(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference, ana = _claimed(app, filled)
    no_reason = ana.client.post(f"/clerk/s/{reference}/waive", data={"item": CITIZENSHIP, "reason": "  "},
                                follow_redirects=True)
    assert b"Say why you waive it" in no_reason.data
    unknown = ana.client.post(f"/clerk/s/{reference}/waive", data={"item": "missing:document:fishing_licence",
                                                                   "reason": REASON}, follow_redirects=True)
    assert b"Choose an item of the latest check to waive" in unknown.data
    ben = sign_in(app, "ben@example.gov")
    unclaimed = ben.post(f"/clerk/s/{reference}/waive", data={"item": CITIZENSHIP, "reason": REASON},
                         follow_redirects=True)
    assert b"Claim the submission before you change it." in unclaimed.data
    outsider = sign_in(app, "cy@example.gov")
    assert outsider.post(f"/clerk/s/{reference}/waive", data={"item": CITIZENSHIP, "reason": REASON}).status_code == 404
    with app.app_context():
        assert db.session.query(Waiver).count() == 0
        assert db.session.query(AuditEntry).filter_by(action="waive").count() == 0


def test_waiving_everything_missing_lets_the_clerk_mark_it_ready_and_a_recheck_keeps_the_waivers(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference, ana = _claimed(app, filled)
    refused = ana.client.post(f"/clerk/s/{reference}/status", data={"to": "ready"}, follow_redirects=True)
    assert b"The latest check is not complete." in refused.data
    for choice in _options(ana.get(f"/clerk/s/{reference}")):
        ana.client.post(f"/clerk/s/{reference}/waive", data={"item": choice, "reason": REASON})
    assert _options(ana.get(f"/clerk/s/{reference}")) == {}
    ana.client.post(f"/clerk/s/{reference}/recheck")
    page = ana.get(f"/clerk/s/{reference}")
    assert "with waivers" in page.get_text() and len(page.find("ul", class_="waived").find_all("li")) == 3
    ana.client.post(f"/clerk/s/{reference}/status", data={"to": "ready"})
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        assert found.status == "incomplete", "the stored check is never rewritten"
        assert len(found.checks) == 2
        assert db.session.get(WorkItem, found.id).status == "ready"


def test_the_citizen_sees_what_was_waived_but_not_the_clerks_reason(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    citizen = app.test_client()
    form = filled("forms/dos_ds11_passport_application.pdf", **{"Applicant Last Name": "Pérez"})
    response = post_files(citizen, "/s/passport-first-time",
                          upload_data(**{"item-ds11": (form, "ds11.pdf")}) | {"client_key": "waived-journey"})
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    ana.post(f"/clerk/s/{reference}/waive", data={"item": CITIZENSHIP, "reason": REASON})
    page = Pages(citizen).get(f"/r/{reference}")
    waived = page.find("ul", class_="waived")
    assert waived is not None and "Proof of U.S. citizenship" in waived.get_text()
    assert REASON not in page.get_text()
    still = page.find("ul", class_="missing")
    assert still is None or "Proof of U.S. citizenship" not in still.get_text()
    bring = citizen.get(f"/r/{reference}/bring.txt").get_data(as_text=True)
    assert "Proof of U.S. citizenship" not in bring, "the text to bring lists only what is still needed"
    printable = Pages(citizen).get(f"/r/{reference}/bring").get_text()
    assert "Proof of U.S. citizenship" not in printable and REASON not in printable
