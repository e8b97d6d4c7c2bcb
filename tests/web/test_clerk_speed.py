"""A day's queue goes fast: claim next, a complete new packet marked ready in one step,
keyboard shortcuts listed on the page, search by the applicant's name, "held by me" and
reassigning, warnings for packets over the review target, and canned reasons the citizen
reads in their own language. Every new route answers 404 to another service's clerk, sends
a signed-out visitor to sign in, and (reassigning) refuses a plain clerk."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from tests import shared_corpus
from tests.web.api import API, bearer, problem, token
from tests.web.clerks import (
    sign_in,
    staff_fixture,  # noqa: F401  (the staff fixture)
    submission,
)
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web import checkqueue
from web.clerk import work
from web.models import AuditEntry, CheckRecord, DocumentRequest, StaffUser, Submission, WorkItem, db, utcnow

SERVICE = "passport-first-time"


@pytest.fixture
def synthetic(corpus: Path) -> Path:
    return corpus / "supporting" / "synthetic"


def _complete(app: Flask, filled: Callable[..., bytes], synthetic: Path, lang: str = "en") -> str:
    """A citizen's packet the check finds complete; its reference."""
    ds11 = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)
    data = upload_data(**{"item-ds11": (ds11, "ds11.pdf"),
                          "item-citizenship": ((synthetic / "birth_certificate_scan.pdf").read_bytes(), "birth.pdf"),
                          "item-photo_id": ((synthetic / "state_id_front_photo.jpg").read_bytes(), "id.jpg"),
                          "item-proof_of_address": ((synthetic / "utility_bill_1.pdf").read_bytes(), "bill.pdf")})
    response = post_files(app.test_client(), f"/s/{SERVICE}?lang={lang}", data | {"client_key": os.urandom(8).hex()})
    assert response.status_code == 303
    reference = str(response.headers["Location"]).rsplit("/", 1)[-1]
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        assert found.latest is not None and found.latest.status == "complete"
    return reference


def _row(app: Flask, reference: str) -> tuple[Submission, WorkItem]:
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        item = db.session.get(WorkItem, found.id)
        db.session.expunge_all()
        return found, item


def _age(app: Flask, reference: str, days: int) -> None:
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        found.created_at = utcnow() - dt.timedelta(days=days, hours=1)
        db.session.commit()


def _user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return int(db.session.query(StaffUser.id).filter_by(email=email).scalar())


def _actions(app: Flask, reference: str) -> list[tuple[str, dict[str, Any]]]:
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        rows = db.session.query(AuditEntry).filter_by(submission_id=found.id).order_by(AuditEntry.id)
        return [(a.action, json.loads(a.detail or "{}")) for a in rows]


def _references(page: BeautifulSoup) -> list[str]:
    return [a.get_text().replace("-", "") for a in page.find("table", class_="queue").find("tbody").find_all("a")]


def _queue_row(page: BeautifulSoup, reference: str) -> str:
    for tr in page.find("table", class_="queue").find("tbody").find_all("tr"):
        if tr.find("a") and tr.find("a").get_text().replace("-", "") == reference:
            return str(tr.get_text(" ", strip=True))
    raise AssertionError(f"{reference} is not in the queue")


def _flashed(client: FlaskClient, location: str) -> str:
    return str(Pages(client).get(location).get_text(" ", strip=True))


def _signed_out(response: Any) -> bool:
    return response.status_code in (302, 303) and "/clerk/sign-in" in response.headers["Location"]


# --- Claim next --------------------------------------------------------------------------

def test_claim_next_takes_the_oldest_free_submission_the_filters_show_and_opens_it(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    oldest, middle, newest = (submission(app, filled, key=k) for k in ("a", "b", "c"))
    for reference, days in ((oldest, 3), (middle, 2), (newest, 1)):
        _age(app, reference, days)
    ben = sign_in(app, "ben@example.gov")
    assert ben.post(f"/clerk/s/{oldest}/claim").status_code == 303
    ana = sign_in(app, "ana@example.gov")
    queue = Pages(ana).get("/clerk?status=new")
    form = queue.find("button", attrs={"data-shortcut": "n"}).find_parent("form")
    assert form["method"] == "post" and parse_qs(urlsplit(form["action"]).query) == {"status": ["new"]}
    first = ana.post(form["action"])
    assert first.status_code == 303 and first.headers["Location"].endswith(f"/clerk/s/{middle}")
    assert ana.post("/clerk/next").headers["Location"].endswith(f"/clerk/s/{newest}")
    assert _row(app, middle)[1].claimed_by == _user_id(app, "ana@example.gov")
    assert [a for a, _d in _actions(app, middle)] == ["claim"]
    with app.app_context():  # ben's claim on the oldest one lapses: it is free again
        item = db.session.get(WorkItem, db.session.query(Submission.id).filter_by(reference=oldest).scalar())
        item.claimed_at = utcnow() - dt.timedelta(minutes=31)
        db.session.commit()
    assert ana.post("/clerk/next").headers["Location"].endswith(f"/clerk/s/{oldest}")
    none_left = ana.post("/clerk/next?status=new&service=passport-first-time")
    location = none_left.headers["Location"]
    assert none_left.status_code == 303 and urlsplit(location).path == "/clerk"
    assert parse_qs(urlsplit(location).query) == {"status": ["new"], "service": ["passport-first-time"]}
    assert "Nothing is left to claim in this list." in _flashed(ana, location)


def test_claim_next_moves_on_when_another_clerk_wins_the_race(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = submission(app, filled, key="one"), submission(app, filled, key="two")
    _age(app, first, 2)
    ben_id = _user_id(app, "ben@example.gov")
    real = work.claim
    raced: list[str] = []

    def ben_gets_there_first(user: StaffUser, found: Submission) -> None:
        if not raced:  # between the look-up and the UPDATE, ben takes the first candidate
            raced.append(found.reference)
            db.session.execute(update(WorkItem).where(WorkItem.submission_id == found.id)
                               .values(claimed_by=ben_id, claimed_at=utcnow()))
            db.session.commit()
        real(user, found)

    monkeypatch.setattr(work, "claim", ben_gets_there_first)
    ana = sign_in(app, "ana@example.gov")
    answer = ana.post("/clerk/next")
    assert raced == [first] and answer.headers["Location"].endswith(f"/clerk/s/{second}")
    assert _row(app, first)[1].claimed_by == ben_id
    assert _row(app, second)[1].claimed_by == _user_id(app, "ana@example.gov")


def test_claim_next_hands_out_only_submissions_the_clerk_may_see(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    submission(app, filled)
    cy = sign_in(app, "cy@example.gov")
    none = cy.post("/clerk/next?service=passport-first-time")
    assert none.status_code == 303 and urlsplit(none.headers["Location"]).path == "/clerk"
    assert _signed_out(app.test_client().post("/clerk/next"))


# --- Ready in one step -------------------------------------------------------------------

def test_a_complete_new_packet_is_claimed_and_marked_ready_in_one_step_and_both_are_audited(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], synthetic: Path) -> None:
    reference = _complete(app, filled, synthetic)
    ana = sign_in(app, "ana@example.gov")
    page = Pages(ana).get(f"/clerk/s/{reference}")
    button = page.find("button", attrs={"data-shortcut": "r"})
    assert button.get_text(strip=True) == "Claim and mark ready"
    assert button.find_parent("form")["action"] == f"/clerk/s/{reference}/ready"
    assert ana.post(f"/clerk/s/{reference}/ready").status_code == 303
    assert _row(app, reference)[1].status == "ready"
    assert [(a, d.get("to")) for a, d in _actions(app, reference) if a != "view"] == [("claim", None),
                                                                                       ("status", "ready")]
    assert Pages(ana).get(f"/clerk/s/{reference}").find("button", attrs={"data-shortcut": "r"}) is None


def test_a_held_complete_packet_offers_mark_ready_and_an_incomplete_one_offers_nothing(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], synthetic: Path) -> None:
    complete, incomplete = _complete(app, filled, synthetic), submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{complete}/claim")
    assert Pages(ana).get(f"/clerk/s/{complete}").find(
        "button", attrs={"data-shortcut": "r"}).get_text(strip=True) == "Mark ready"
    ana.post(f"/clerk/s/{complete}/ready")
    assert _row(app, complete)[1].status == "ready"
    assert Pages(ana).get(f"/clerk/s/{incomplete}").find("button", attrs={"data-shortcut": "r"}) is None
    refused = ana.post(f"/clerk/s/{incomplete}/ready", follow_redirects=True).get_data(as_text=True)
    assert "The latest check is not complete." in refused
    assert _row(app, incomplete)[1].status == "new"


def test_new_may_go_to_in_review_or_to_ready_but_ready_only_when_complete(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], synthetic: Path) -> None:
    assert work.MOVES["new"] == ("in_review", "ready")
    complete = _complete(app, filled, synthetic)
    writer = bearer(token(app, "case system", "--scope", "write", "--service", SERVICE))
    client = app.test_client()
    moved = client.post(f"{API}/clerk/submissions/{complete}/status", json={"to": "ready"}, headers=writer)
    assert moved.status_code == 200 and moved.get_json()["work"]["status"] == "ready"
    incomplete = submission(app, filled)
    problem(client.post(f"{API}/clerk/submissions/{incomplete}/status", json={"to": "ready"}, headers=writer),
            409, "work.not_complete")


def test_a_clerk_held_by_someone_else_cannot_take_it_with_the_one_step_button(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], synthetic: Path) -> None:
    reference = _complete(app, filled, synthetic)
    sign_in(app, "ben@example.gov").post(f"/clerk/s/{reference}/claim")
    ana = sign_in(app, "ana@example.gov")
    assert Pages(ana).get(f"/clerk/s/{reference}").find("button", attrs={"data-shortcut": "r"}) is None
    answer = ana.post(f"/clerk/s/{reference}/ready", follow_redirects=True).get_data(as_text=True)
    assert "Someone else is working on this submission." in answer
    assert _row(app, reference)[1].status == "new"


# --- Keyboard shortcuts ------------------------------------------------------------------

def _shortcuts(page: BeautifulSoup) -> dict[str, Any]:
    """Each key the page lists, with the element it presses; every listed key has one."""
    listed = page.find("details", class_="shortcuts")
    assert listed.find("summary").get_text(strip=True) == "Keyboard shortcuts"
    keys = [k.get_text() for k in listed.find_all("kbd")]
    targets = {k: page.find(attrs={"data-shortcut": k}) for k in keys}
    assert all(targets.values()), targets
    assert len(page.find_all(attrs={"data-shortcut": True})) == len(keys), "no key goes unlisted"
    return targets


def test_the_queue_and_detail_pages_list_their_shortcuts_and_load_the_script_from_a_file(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], synthetic: Path) -> None:
    reference = _complete(app, filled, synthetic)
    ana = Pages(sign_in(app, "ana@example.gov"))
    queue = ana.get("/clerk")
    on_queue = _shortcuts(queue)
    assert set(on_queue) == {"n", "/"} and on_queue["/"]["id"] == "name"
    for page in (queue, ana.get(f"/clerk/s/{reference}")):
        scripts = [s.get("src") for s in page.find_all("script")]
        assert "/static/clerk.js" in scripts and all(s.get("src") for s in page.find_all("script"))
    before = _shortcuts(ana.get(f"/clerk/s/{reference}"))
    assert set(before) == {"c", "r"} and before["c"].get_text(strip=True) == "Claim"
    ana.client.post(f"/clerk/s/{reference}/claim")
    held = _shortcuts(ana.get(f"/clerk/s/{reference}"))
    assert set(held) == {"c", "r", "d"} and held["c"].get_text(strip=True) == "Release"
    assert held["d"]["id"] == "ask-ds11"
    served = ana.client.get("/static/clerk.js")
    script = served.get_data(as_text=True)
    served.close()
    assert all(word in script for word in ("ctrlKey", "altKey", "metaKey", "TEXTAREA", "data-shortcut"))


# --- Search by name ----------------------------------------------------------------------

def test_the_applicant_name_is_read_from_the_fields_the_service_names_and_searched_folded(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    jose = submission(app, filled)
    assert _row(app, jose)[0].applicant_name == "jose perez"
    ana = Pages(sign_in(app, "ana@example.gov"))
    for typed in ("PÉREZ", "jose", "José  Pérez", "osé pé"):
        page = ana.get("/clerk", query_string={"name": typed})
        assert _references(page) == [jose], typed
    assert ana.get("/clerk?name=smith").find("td", colspan="8") is not None
    assert ana.get("/clerk?name=%25").find("td", colspan="8") is not None, "a % is a letter, not a wildcard"
    assert ana.get("/clerk?name=P%C3%89REZ").find("input", id="name")["value"] == "perez"


def test_a_recheck_and_a_worker_store_the_name_too(
        app: Flask, another_app: Callable[..., Flask], staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        found.applicant_name = None
        db.session.commit()
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    ana.post(f"/clerk/s/{reference}/recheck")
    if not app.config.get("BROKER_URL"):
        assert _row(app, reference)[0].applicant_name == "jose perez"
    queued = another_app(BROKER_URL="memory://", CHECK_QUEUE=f"test-{uuid.uuid4().hex[:8]}")
    ds11 = filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)
    made = post_files(queued.test_client(), f"/s/{SERVICE}",
                      upload_data(**{"item-ds11": (ds11, "ds11.pdf")}) | {"client_key": os.urandom(8).hex()})
    later = str(made.headers["Location"]).rsplit("/", 1)[-1]
    with queued.app_context():
        found = db.session.query(Submission).filter_by(reference=later).one()
        assert found.applicant_name is None, "nothing is read before the check runs"
        check = db.session.query(CheckRecord).filter_by(submission_id=found.id).one()
        assert checkqueue.run(check.id, "tester:1").ran
    assert _row(app, later)[0].applicant_name == "jose perez"


def test_purge_takes_the_applicants_name_with_the_submission(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    with app.app_context():
        found = db.session.query(Submission).filter_by(reference=reference).one()
        found.created_at = found.updated_at = utcnow() - dt.timedelta(days=400)
        db.session.commit()
        assert db.session.query(Submission).filter(Submission.applicant_name.contains("perez")).count() == 1
    result = app.test_cli_runner().invoke(args=["submissions", "purge"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(Submission).filter_by(reference=reference).count() == 0
        assert db.session.query(Submission).filter(Submission.applicant_name.isnot(None)).count() == 0
        assert not [a for a in db.session.query(AuditEntry) if "perez" in (a.detail or "").lower()]


# --- Held by me, and reassigning ---------------------------------------------------------

def test_held_by_me_lists_what_the_clerk_claimed_and_keeps_the_other_filters(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    mine, theirs, free = (submission(app, filled, key=k) for k in ("m", "t", "f"))
    ana, ben = sign_in(app, "ana@example.gov"), sign_in(app, "ben@example.gov")
    ana.post(f"/clerk/s/{mine}/claim")
    ben.post(f"/clerk/s/{theirs}/claim")
    page = Pages(ana).get("/clerk?held=me")
    assert _references(page) == [mine] and page.find("input", id="held").has_attr("checked")
    assert _references(Pages(ana).get("/clerk")) == [mine, theirs, free]
    assert _references(Pages(ben).get("/clerk?held=me&status=new")) == [theirs]
    assert "held=me" in Pages(ana).get("/clerk?held=me").find("a", string="Download this list (CSV)")["href"]
    assert len(ana.get("/clerk/export.csv?held=me").get_data(as_text=True).splitlines()) == 2


def test_a_supervisor_gives_a_submission_to_a_clerk_of_its_service_and_it_is_audited(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    sign_in(app, "ana@example.gov").post(f"/clerk/s/{reference}/claim")
    sup = sign_in(app, "sup@example.gov")
    page = Pages(sup).get(f"/clerk/s/{reference}")
    choices = {o.get_text(strip=True) for o in page.find("select", id="assign-clerk").find_all("option")}
    assert choices == {"Ana (ana@example.gov)", "Ben (ben@example.gov)", "Sup (sup@example.gov)",
                       "Adm (adm@example.gov)"}, "people who may see the passport service: not Cy"
    ben_id = _user_id(app, "ben@example.gov")
    assert sup.post(f"/clerk/s/{reference}/assign", data={"clerk": str(ben_id)}).status_code == 303
    assert _row(app, reference)[1].claimed_by == ben_id
    assert ("assign", {"to": "ben@example.gov", "previous": _user_id(app, "ana@example.gov")}) in \
        _actions(app, reference)
    assert "Held by Ben" in Pages(sign_in(app, "ben@example.gov")).get(f"/clerk/s/{reference}").get_text(" ")


def test_nobody_who_may_not_see_the_service_can_be_given_it(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    sup = sign_in(app, "sup@example.gov")
    for chosen in (str(_user_id(app, "cy@example.gov")), "999999", "not a number", "99999999999"):
        answer = sup.post(f"/clerk/s/{reference}/assign", data={"clerk": chosen}, follow_redirects=True)
        assert "Choose someone who may work on this service." in answer.get_data(as_text=True), chosen
    assert _row(app, reference)[1].claimed_by is None
    assert not [a for a, _d in _actions(app, reference) if a == "assign"]


def test_an_admin_may_reassign_and_a_plain_clerk_gets_403(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled, service="ny-name-change")
    cy_id = _user_id(app, "cy@example.gov")
    cy = sign_in(app, "cy@example.gov")
    assert Pages(cy).get(f"/clerk/s/{reference}").find("select", id="assign-clerk") is None
    assert cy.post(f"/clerk/s/{reference}/assign", data={"clerk": str(cy_id)}).status_code == 403
    assert _row(app, reference)[1].claimed_by is None
    adm = sign_in(app, "adm@example.gov")
    assert adm.post(f"/clerk/s/{reference}/assign", data={"clerk": str(cy_id)}).status_code == 303
    assert _row(app, reference)[1].claimed_by == cy_id


# --- Age warnings ------------------------------------------------------------------------

def test_open_rows_older_than_the_review_target_say_so_in_words_and_the_page_counts_them(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], synthetic: Path) -> None:
    late, recent, done = submission(app, filled, key="late"), submission(app, filled, key="recent"), \
        _complete(app, filled, synthetic)
    _age(app, late, 8)
    _age(app, recent, 3)
    _age(app, done, 9)
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{done}/ready")
    page = Pages(ana).get("/clerk")
    assert "Over the 5-day target: 8 days" in _queue_row(page, late)
    assert "target" not in _queue_row(page, recent) and "target" not in _queue_row(page, done)
    assert page.find("p", class_="over-target").get_text(strip=True) == "Over the review target in this list: 1"
    assert Pages(ana).get("/clerk?status=ready").find("p", class_="over-target") is None
    spanish = Pages(ana).get("/clerk?lang=es")
    assert spanish.find("strong", class_="over-target") is not None


# --- Canned reasons ----------------------------------------------------------------------

def test_a_rejection_with_a_canned_reason_reads_in_the_citizens_language_then_the_clerks_words(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes], synthetic: Path) -> None:
    reference = _complete(app, filled, synthetic, lang="es")
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    ana.post(f"/clerk/s/{reference}/status", data={"to": "in_review"})
    page = Pages(ana).get(f"/clerk/s/{reference}")
    offered = [r["value"] for r in page.find_all("input", attrs={"name": "reason_id"})
               if r.find_parent("form")["action"].endswith("/status")]
    assert offered == ["", "already_had_passport", "no_proof_of_citizenship", "duplicate"]
    refused = ana.post(f"/clerk/s/{reference}/status", data={"to": "rejected", "reason_id": "made_up"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Choose one of this service&#39;s reasons" in refused and _row(app, reference)[1].status == "in_review"
    ana.post(f"/clerk/s/{reference}/status", data={"to": "rejected", "reason_id": "already_had_passport",
                                                   "reason": "Your passport from 2015 is on file."})
    item = _row(app, reference)[1]
    assert (item.status, item.reason_id, item.reason) == ("rejected", "already_had_passport",
                                                         "Your passport from 2015 is on file.")
    with app.app_context():
        from web import decisions, jobs

        found = db.session.query(Submission).filter_by(reference=reference).one()
        spanish = decisions.decision(found, jobs.services()[SERVICE], found.lang)
        english = decisions.decision(found, jobs.services()[SERVICE], "en")
    assert spanish is not None and english is not None
    assert spanish["reason"] == ("Esta solicitud es para un primer pasaporte. Si ya tuvo un pasaporte de EE. UU., "
                                 "es posible que pueda renovarlo por correo con el formulario DS-82. "
                                 "Your passport from 2015 is on file.")
    assert english["reason"].startswith("This application is for a first passport.")
    assert ("status", {"to": "rejected", "reason": "Your passport from 2015 is on file.",
                       "reason_id": "already_had_passport"}) in _actions(app, reference)


def test_a_canned_reason_alone_is_enough_to_reject(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    ana.post(f"/clerk/s/{reference}/status", data={"to": "in_review"})
    ana.post(f"/clerk/s/{reference}/status", data={"to": "rejected", "reason_id": "duplicate", "reason": " "})
    item = _row(app, reference)[1]
    assert (item.status, item.reason_id, item.reason) == ("rejected", "duplicate", None)
    shown = Pages(ana).get(f"/clerk/s/{reference}").find("span", class_="status-reason").get_text(" ", strip=True)
    assert shown.startswith("reason: We already have an application from you for this passport.")


def test_a_document_request_with_a_canned_reason_and_no_note_tells_the_citizen_why_in_their_language(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    with app.app_context():
        db.session.query(Submission).filter_by(reference=reference).one().lang = "es"
        db.session.commit()
    ana = sign_in(app, "ana@example.gov")
    ana.post(f"/clerk/s/{reference}/claim")
    page = Pages(ana).get(f"/clerk/s/{reference}")
    offered = [r["value"] for r in page.find_all("input", attrs={"name": "reason_id"})
               if r.find_parent("form")["action"].endswith("/request")]
    assert offered == ["", "birth_certificate_not_certified", "photo_id_unclear", "name_change_proof"]
    refused = ana.post(f"/clerk/s/{reference}/request", data={"items": ["photo_id"], "reason_id": "duplicate"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Choose one of this service&#39;s reasons" in refused
    ana.post(f"/clerk/s/{reference}/request", data={"items": ["photo_id"], "reason_id": "photo_id_unclear"})
    ana.post(f"/clerk/s/{reference}/request", data={"items": ["citizenship"], "reason_id": "photo_id_unclear",
                                                   "note": "Also your birth certificate."})
    with app.app_context():
        from web import decisions, jobs

        found = db.session.query(Submission).filter_by(reference=reference).one()
        rows = db.session.query(DocumentRequest).filter_by(submission_id=found.id).order_by(DocumentRequest.id)
        assert [r.reason_id for r in rows] == ["photo_id_unclear", "photo_id_unclear"]
        asked = decisions.requests(found, jobs.services()[SERVICE], found.lang)
        in_english = decisions.requests(found, jobs.services()[SERVICE], "en")
    assert [a["note"] for a in asked] == ["Also your birth certificate.",
                                          "No pudimos leer su identificación con foto. Suba una foto clara del frente "
                                          "y del reverso, con las cuatro esquinas visibles."]
    assert in_english[1]["note"].startswith("We could not read your photo ID.")
    assert _row(app, reference)[1].status == "needs_documents"


def test_the_api_takes_a_canned_reason_and_refuses_an_unknown_one_with_a_stable_code(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    writer = bearer(token(app, "case system", "--scope", "write", "--service", SERVICE))
    client = app.test_client()
    status, asks = f"{API}/clerk/submissions/{reference}/status", f"{API}/clerk/submissions/{reference}/requests"
    client.post(status, json={"to": "in_review"}, headers=writer)
    bad = problem(client.post(status, json={"to": "rejected", "reason_id": "photo_id_unclear"}, headers=writer),
                  422, "reason.unknown")
    assert bad["errors"][0]["field"] == "reason_id" and bad["errors"][0]["code"] == "reason.unknown"
    problem(client.post(asks, json={"items": ["photo_id"], "clerk": "ana@example.gov", "reason_id": "duplicate"},
                        headers=writer), 422, "reason.unknown")
    asked = client.post(asks, json={"items": ["photo_id"], "clerk": "ana@example.gov",
                                    "reason_id": "photo_id_unclear"}, headers=writer)
    assert asked.status_code == 201
    assert asked.get_json()["requests"][0]["note"].startswith("We could not read your photo ID.")
    client.post(status, json={"to": "in_review"}, headers=writer)
    rejected = client.post(status, json={"to": "rejected", "reason_id": "duplicate"}, headers=writer)
    assert rejected.status_code == 200, rejected.get_json()
    assert _row(app, reference)[1].reason_id == "duplicate"
    openapi = client.get(f"{API}/openapi.json").get_json()["components"]["schemas"]
    assert "reason_id" in openapi["StatusChange"]["properties"] and \
        "reason_id" in openapi["DocumentRequestIn"]["properties"]


# --- Access ------------------------------------------------------------------------------

def test_every_new_action_answers_404_to_another_services_clerk_and_sends_the_signed_out_to_sign_in(
        app: Flask, staff: dict[str, str], filled: Callable[..., bytes]) -> None:
    reference = submission(app, filled)
    cy, anyone = sign_in(app, "cy@example.gov"), app.test_client()
    for action, data in (("ready", {}), ("assign", {"clerk": str(_user_id(app, "cy@example.gov"))}),
                         ("status", {"to": "rejected", "reason_id": "duplicate"}),
                         ("request", {"items": ["photo_id"], "reason_id": "photo_id_unclear"})):
        assert cy.post(f"/clerk/s/{reference}/{action}", data=data).status_code == 404, action
        assert _signed_out(anyone.post(f"/clerk/s/{reference}/{action}", data=data)), action
    adm = sign_in(app, "adm@example.gov")  # an admin sees every service, so the passport one too
    assert adm.get(f"/clerk/s/{reference}").status_code == 200
    assert _signed_out(anyone.get("/clerk?held=me&name=perez"))
    assert _signed_out(anyone.post("/clerk/next"))
    assert _row(app, reference)[1].claimed_by is None and _row(app, reference)[1].status == "new"
    with app.app_context():
        denied = db.session.query(AuditEntry).filter_by(action="denied").count()
    assert denied == 4
