"""The loop between clerk and citizen: every decision reaches the citizen (page, bring page,
API, email), requests clear when what was asked arrives and passes, notes are shared by the
service's clerks, and the case timeline shows who did what and when.

Messages go to a real SMTP server the test starts (tests/smtpserver.py). They are sent in the
request here (under make test-stack too: the stack's worker has no mail server); the last
test has a real Celery worker send one."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web import stack
from tests.web.clerks import cli, sign_in, staff_fixture  # noqa: F401  (the staff fixture)
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from tests.web.test_mail import notify  # noqa: F401  (the fake Notify server)
from web.models import DocumentRequest, Notification, Submission, WorkItem, db, utcnow

SERVICE = "passport-first-time"
CITIZEN = "maria.lopez@example.com"
SITE = "https://intake.example.gov"


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)


@pytest.fixture
def synthetic(corpus: Path) -> Path:
    return corpus / "supporting" / "synthetic"


@pytest.fixture
def mail_app(another_app: Callable[..., Flask], smtp_server: Any) -> Flask:
    """The test's database with a mail server, messages (and checks) sent in the request."""
    return another_app(SMTP_URL=smtp_server.url, MAIL_FROM="passports@example.gov", BROKER_URL=None,
                       PUBLIC_URL=SITE)


def _upload(client: FlaskClient, files: dict[str, Any], lang: str = "en", **fields: str) -> Any:
    data = upload_data(**files) | {"client_key": os.urandom(8).hex()} | fields
    return post_files(client, f"/s/{SERVICE}?lang={lang}", data)


def _reference(response: Any) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


def _complete(ds11: bytes, synthetic: Path) -> dict[str, Any]:
    return {"item-ds11": (ds11, "ds11.pdf"),
            "item-citizenship": ((synthetic / "birth_certificate_scan.pdf").read_bytes(), "birth.pdf"),
            "item-photo_id": ((synthetic / "state_id_front_photo.jpg").read_bytes(), "id.jpg"),
            "everything": [((synthetic / "utility_bill_1.pdf").read_bytes(), "bill.pdf")]}


def _claimed(app: Flask, reference: str, email: str = "ana@example.gov") -> FlaskClient:
    clerk = sign_in(app, email)
    assert clerk.post(f"/clerk/s/{reference}/claim").status_code == 303
    return clerk


def _move(clerk: FlaskClient, reference: str, to: str, reason: str = "") -> None:
    answer = clerk.post(f"/clerk/s/{reference}/status", data={"to": to, "reason": reason})
    assert answer.status_code == 303
    page = clerk.get(f"/clerk/s/{reference}").get_data(as_text=True)
    assert "There is a problem" not in page and "cannot go to" not in page, page[:2000]


def _secret(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session["new_secret"]["secret"])


def _work(app: Flask, reference: str) -> WorkItem:
    with app.app_context():
        submission = db.session.query(Submission).filter_by(reference=reference).one()
        item = db.session.get(WorkItem, submission.id)
        db.session.expunge(item)
        return item


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "every message has a plain-text and an HTML part"
    return text.get_content(), html.get_content()


def test_a_rejected_packet_never_reads_ready_and_the_reason_is_shown_everywhere(
        app: Flask, staff: dict[str, str], ds11: bytes, synthetic: Path) -> None:
    citizen = app.test_client()
    reference = _reference(_upload(citizen, _complete(ds11, synthetic)))
    before = Pages(citizen).get(f"/r/{reference}")
    assert before.h1.get_text(strip=True) == "Ready for your visit", "the check alone finds it complete"
    clerk = _claimed(app, reference)
    _move(clerk, reference, "in_review")
    seen = Pages(citizen).get(f"/r/{reference}")
    assert "The office is looking at your papers" in seen.get_text(" ")
    _move(clerk, reference, "rejected", "The photo ID has expired. Bring a valid one.")

    page = Pages(citizen).get(f"/r/{reference}")
    assert page.h1.get_text(strip=True) == "The office could not accept your application"
    assert page.find("div", class_="status-invalid") is not None and page.find("div", class_="status-complete") is None
    text = page.get_text(" ")
    assert "The photo ID has expired. Bring a valid one." in text and "upload new files on this page" in text
    bring = Pages(citizen).get(f"/r/{reference}/bring").get_text(" ")
    assert "The office could not accept your application" in bring and "The photo ID has expired." in bring
    refused = post_files(citizen, f"/r/{reference}/files",
                         upload_data(everything=[(b"PK\x03\x04 a word file", "letter.docx")]))
    assert refused.status_code == 422
    again = Pages.check(refused, 422)
    assert again.h1.get_text(strip=True) == "The office could not accept your application", "also beside an error"
    spanish = Pages(citizen).get(f"/r/{reference}?lang=es")
    assert spanish.h1.get_text(strip=True) == "La oficina no pudo aceptar su solicitud"

    api = citizen.get(f"/api/v1/submissions/{reference}?lang=es", headers={"Submission-Secret": _secret(citizen)})
    decision = api.get_json()["decision"]
    assert decision["status"] == "rejected" and decision["reason"] == "The photo ID has expired. Bring a valid one."
    assert decision["title"] == "La oficina no pudo aceptar su solicitud" and decision["next_step"]
    assert "reason: The photo ID has expired." in clerk.get(f"/clerk/s/{reference}").get_data(as_text=True)


def test_ready_for_the_visit_names_the_office_its_hours_and_how_to_book(
        app: Flask, staff: dict[str, str], ds11: bytes, synthetic: Path) -> None:
    citizen = app.test_client()
    reference = _reference(_upload(citizen, _complete(ds11, synthetic)))
    clerk = _claimed(app, reference)
    _move(clerk, reference, "in_review")
    _move(clerk, reference, "ready")
    page = Pages(citizen).get(f"/r/{reference}")
    section = page.find("section", class_="decision-ready")
    assert section is not None
    text = section.get_text(" ")
    assert "The office says you are ready for your visit" in text
    assert "Springfield Passport Acceptance Facility" in text and "800 E Monroe St" in text
    assert section.find("a", href=re.compile("travel.state.gov")) is not None


def test_a_request_names_who_asked_and_when_and_clears_once_what_was_asked_arrives_and_passes(
        app: Flask, staff: dict[str, str], ds11: bytes, synthetic: Path) -> None:
    citizen = app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}))
    clerk = _claimed(app, reference)
    _move(clerk, reference, "in_review")
    moved_at = _work(app, reference).changed_at
    asked = clerk.post(f"/clerk/s/{reference}/request",
                       data={"items": ["citizenship", "photo_id"], "note": "Both sides of the ID, please."})
    assert asked.status_code == 303
    work = _work(app, reference)
    assert work.status == "needs_documents" and work.changed_at > moved_at, "a request is a change"

    page = Pages(citizen).get(f"/r/{reference}")
    todo = page.find("section", attrs={"aria-labelledby": "asked-title"}).get_text(" ")
    assert "Asked by Ana on" in todo and "Proof of U.S. citizenship" in todo and "Both sides of the ID" in todo
    assert page.h1.get_text(strip=True) == "The office asked you for more documents"

    half = post_files(citizen, f"/r/{reference}/files", upload_data(
        **{"item-citizenship": ((synthetic / "birth_certificate_scan.pdf").read_bytes(), "birth.pdf")}))
    assert half.status_code == 303
    with app.app_context():
        assert db.session.query(DocumentRequest).one().fulfilled_at is None, "the photo ID is still to come"
    assert _work(app, reference).status == "in_review", "new files go back to the clerk"
    done = post_files(citizen, f"/r/{reference}/files", upload_data(
        **{"item-photo_id": ((synthetic / "state_id_front_photo.jpg").read_bytes(), "id.jpg")}))
    assert done.status_code == 303
    with app.app_context():
        row = db.session.query(DocumentRequest).one()
        assert row.fulfilled_at is not None and row.fulfilled_check_id is not None
    after = Pages(citizen).get(f"/r/{reference}")
    assert after.find("section", attrs={"aria-labelledby": "asked-title"}) is None, "the to-do list is clear"
    assert "has received" in after.get_text(" ")

    detail = Pages(clerk).get(f"/clerk/s/{reference}")
    assert "fulfilled on" in detail.find("ul", class_="requests").get_text(" ")
    timeline = detail.find("ol", class_="timeline")
    kinds = [li["class"][0] for li in timeline.find_all("li")]
    assert kinds.index("timeline-request") < kinds.index("timeline-fulfilled")
    new = [li.get_text(" ") for li in timeline.find_all("li", class_="is-new")]
    assert len(new) == 2 and any("birth.pdf" in t for t in new) and all("ds11.pdf" not in t for t in new)


def test_a_note_is_read_by_every_clerk_of_the_service_and_never_by_the_citizen(
        app: Flask, staff: dict[str, str], ds11: bytes) -> None:
    citizen = app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}))
    ana = _claimed(app, reference)
    assert ana.post(f"/clerk/s/{reference}/note", data={"note": "Called the applicant about the photo."}
                    ).status_code == 303
    for reader in ("ana@example.gov", "ben@example.gov"):
        notes = Pages(sign_in(app, reader)).get(f"/clerk/s/{reference}").find("ul", class_="notes")
        assert notes is not None and "Called the applicant about the photo." in notes.get_text(" ")
    assert sign_in(app, "cy@example.gov").get(f"/clerk/s/{reference}").status_code == 404
    assert "Called the applicant" not in citizen.get(f"/r/{reference}").get_data(as_text=True)
    assert "Called the applicant" not in citizen.get(f"/r/{reference}/bring").get_data(as_text=True)


def test_the_citizen_is_emailed_about_a_request_and_a_decision_in_their_language_without_a_secret_link(
        mail_app: Flask, staff: dict[str, str], smtp_server: Any, ds11: bytes) -> None:
    citizen = mail_app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}, lang="es",
                                   email=CITIZEN, consent="1"))
    with mail_app.app_context():
        stored = db.session.query(Submission).one()
        assert stored.email == CITIZEN and stored.email_consent_at is not None and stored.lang == "es"
    clerk = _claimed(mail_app, reference)
    _move(clerk, reference, "in_review")
    assert smtp_server.messages == [], "no email for a clerk starting to look"
    clerk.post(f"/clerk/s/{reference}/request", data={"items": ["citizenship"]})
    [asked] = smtp_server.wait_for(1)
    assert asked["To"] == CITIZEN and asked["From"] == "passports@example.gov"
    assert asked["Content-Language"] == "es" and "documentos" in asked["Subject"]
    text, html = _parts(asked)
    assert "Prueba de ciudadanía" in text and "Prueba de ciudadanía" in html
    assert f"{SITE}/r" in text and "/k/" not in text and "/m/" not in text and "/m/" not in html
    _move(clerk, reference, "rejected", "Falta la firma.")
    decided = smtp_server.wait_for(2)[1]
    text, _html = _parts(decided)
    assert "La oficina no pudo aceptar su solicitud" in text and "Falta la firma." in text
    timeline = Pages(clerk).get(f"/clerk/s/{reference}").find("ol", class_="timeline").get_text(" ")
    assert timeline.count("Email sent") == 2


def test_an_address_without_consent_is_refused_plainly_and_nothing_is_stored(
        app: Flask, ds11: bytes) -> None:
    answer = _upload(app.test_client(), {"item-ds11": (ds11, "ds11.pdf")}, email=CITIZEN)
    assert answer.status_code == 422
    assert "Tick the box to agree that the office emails you" in answer.get_data(as_text=True)
    wrong = _upload(app.test_client(), {"item-ds11": (ds11, "ds11.pdf")}, email="maria at example", consent="1")
    assert wrong.status_code == 422 and "name@example.com" in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_the_private_link_is_sent_only_when_asked_for_and_opens_the_application(
        mail_app: Flask, staff: dict[str, str], smtp_server: Any, ds11: bytes) -> None:
    citizen = mail_app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}, email=CITIZEN, consent="1",
                                   link="1"))
    clerk = _claimed(mail_app, reference)
    _move(clerk, reference, "in_review")
    clerk.post(f"/clerk/s/{reference}/request", data={"items": ["photo_id"]})
    text, _html = _parts(smtp_server.wait_for(1)[0])
    found = re.search(rf"{re.escape(SITE)}(/r/{reference}/m/\S+)", text)
    assert found is not None, text
    stranger = mail_app.test_client()
    opened = stranger.get(found.group(1))
    assert opened.status_code == 303 and opened.headers["Referrer-Policy"] == "no-referrer"
    assert stranger.get(f"/r/{reference}").status_code == 200
    assert mail_app.test_client().get(found.group(1)[:-3] + "abc").status_code == 404, "a changed token opens nothing"
    assert mail_app.test_client().get(f"/r/AAAAAAAAA/m/{found.group(1).rsplit('/', 1)[-1]}").status_code == 404


def test_a_refused_address_is_never_tried_again_and_a_busy_server_is_tried_later(
        mail_app: Flask, staff: dict[str, str], smtp_server: Any, ds11: bytes) -> None:
    citizen = mail_app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}, email=CITIZEN, consent="1"))
    clerk = _claimed(mail_app, reference)
    _move(clerk, reference, "in_review")
    smtp_server.refuse(CITIZEN, permanent=False)
    clerk.post(f"/clerk/s/{reference}/request", data={"items": ["photo_id"]})
    with mail_app.app_context():
        waiting = db.session.query(Notification).one()
        assert waiting.state == "queued" and waiting.attempts == 1 and waiting.next_try_at > utcnow()
        assert "mail.refused" in (waiting.error or "")
    assert "0 sent" in cli(mail_app, "reminders", "send").output, "not before its time"
    smtp_server.refusals.clear()
    with mail_app.app_context():
        db.session.query(Notification).update({"next_try_at": utcnow() - dt.timedelta(seconds=1)})
        db.session.commit()
    assert "1 sent" in cli(mail_app, "reminders", "send").output
    assert len(smtp_server.wait_for(1)) == 1

    smtp_server.refuse(CITIZEN, permanent=True)
    _move(clerk, reference, "rejected", "Not the right form.")
    with mail_app.app_context():
        refused = db.session.query(Notification).order_by(Notification.id.desc()).first()
        refused_id = refused.id
        assert refused.state == "failed" and refused.attempts == 1
        db.session.query(Notification).filter_by(id=refused_id).update({"next_try_at": utcnow()})
        db.session.commit()
    cli(mail_app, "reminders", "send")
    with mail_app.app_context():
        assert db.session.get(Notification, refused_id).attempts == 1, "a bounced address is not hammered"
    assert "Email not sent" in Pages(clerk).get(f"/clerk/s/{reference}").get_text(" ")


def test_a_visit_day_given_later_gets_one_reminder_and_stopping_forgets_the_address(
        mail_app: Flask, smtp_server: Any, ds11: bytes) -> None:
    citizen = mail_app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}))
    past = citizen.post(f"/r/{reference}/contact", data={"email": CITIZEN, "consent": "1",
                                                         "visit_date": "2020-01-02"})
    assert past.status_code == 422 and "has passed" in past.get_data(as_text=True)
    visit = dt.date.today() + dt.timedelta(days=2)
    saved = citizen.post(f"/r/{reference}/contact", data={"email": CITIZEN, "consent": "1",
                                                          "visit_date": visit.isoformat()})
    assert saved.status_code == 303
    early = (visit - dt.timedelta(days=5)).isoformat()
    assert "0 reminder(s)" in cli(mail_app, "reminders", "send", "--today", early).output
    assert "1 reminder(s) queued; 1 sent" in cli(mail_app, "reminders", "send").output
    [reminder] = smtp_server.wait_for(1)
    text, _html = _parts(reminder)
    assert "Your visit is on" in text and "Your Form DS-11, printed and not signed" in text
    assert "0 reminder(s)" in cli(mail_app, "reminders", "send").output, "one reminder per visit day"
    stopped = citizen.post(f"/r/{reference}/contact", data={"stop": "1"})
    assert stopped.status_code == 303
    with mail_app.app_context():
        submission = db.session.query(Submission).one()
        assert submission.email is None and submission.email_consent_at is None


def test_where_the_office_sends_text_messages_a_request_is_texted_to_the_number_given(
        another_app: Callable[..., Flask], staff: dict[str, str], notify: Any, ds11: bytes) -> None:  # noqa: F811
    from tests.web.test_mail import API_KEY, TEMPLATE_ID

    texting = another_app(BROKER_URL=None, PUBLIC_URL=SITE, SMS_PROVIDER="notify", NOTIFY_API_KEY=API_KEY,
                          NOTIFY_BASE_URL=notify.url, NOTIFY_SMS_TEMPLATE_ID=TEMPLATE_ID)
    citizen = texting.test_client()
    form = citizen.get(f"/s/{SERVICE}").get_data(as_text=True)
    assert 'id="phone"' in form
    bad = _upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}, phone="555", consent="1")
    assert bad.status_code == 422 and "area code" in bad.get_data(as_text=True)
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}, phone="(217) 555-0123",
                                   consent="1"))
    clerk = _claimed(texting, reference)
    _move(clerk, reference, "in_review")
    clerk.post(f"/clerk/s/{reference}/request", data={"items": ["photo_id"]})
    [sent] = notify.bodies
    assert sent["phone_number"] == "+12175550123" and sent["template_id"] == TEMPLATE_ID
    assert "more documents" in sent["personalisation"]["body"] and f"{SITE}/r" in sent["personalisation"]["body"]
    with texting.app_context():
        assert db.session.query(Notification).one().channel == "sms"
    assert "Text message sent" in Pages(clerk).get(f"/clerk/s/{reference}").get_text(" ")


def test_contact_details_and_mail_links_need_access_to_the_submission(app: Flask, ds11: bytes) -> None:
    reference = _reference(_upload(app.test_client(), {"item-ds11": (ds11, "ds11.pdf")}))
    stranger = app.test_client()
    answer = stranger.post(f"/r/{reference}/contact", data={"email": CITIZEN, "consent": "1"})
    assert answer.status_code in (303, 404) and "/contact" not in answer.headers.get("Location", "")
    with app.app_context():
        assert db.session.query(Submission).one().email is None
    assert stranger.get(f"/r/{reference}/m/not-a-token").status_code == 404


# --- a real worker sends the message ------------------------------------------------------------


@pytest.fixture
def worker_app(another_app: Callable[..., Flask], smtp_server: Any) -> Iterator[Flask]:
    """The test's app with Redis as broker and one real Celery worker that can reach the mail
    server; skipped, with the reason, where no Redis answers."""
    import redis

    url = os.environ.get("INTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # no server here: say so and skip
        pytest.skip(f"no Redis server answers at {url} ({type(exc).__name__}); .ci/run uses the machine's")
    app = another_app(BROKER_URL=url, CHECK_QUEUE=f"test-mail-{uuid.uuid4().hex[:10]}", SMTP_URL=smtp_server.url,
                      MAIL_FROM="passports@example.gov", PUBLIC_URL=SITE)
    env = stack.worker_env(app.config, SMTP_URL=smtp_server.url, MAIL_FROM="passports@example.gov", PUBLIC_URL=SITE)
    worker = stack.start_worker(env, app.config["CHECK_QUEUE"], subprocess.DEVNULL)
    yield app
    stack.stop_worker(worker)


def test_with_a_broker_the_worker_sends_the_message(
        worker_app: Flask, staff: dict[str, str], smtp_server: Any, ds11: bytes) -> None:
    from web import checkqueue

    citizen = worker_app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}, email=CITIZEN, consent="1"))
    clerk = _claimed(worker_app, reference)
    _move(clerk, reference, "in_review")
    clerk.post(f"/clerk/s/{reference}/request", data={"items": ["photo_id"]})
    [message] = smtp_server.wait_for(1, seconds=90)
    assert message["To"] == CITIZEN and "more documents" in message["Subject"]
    deadline = time.monotonic() + 30
    while True:  # the worker records the delivery just after the server took the message
        with worker_app.app_context():
            assert checkqueue.enabled()
            state = db.session.query(Notification).one().state
            db.session.remove()
        if state == "sent" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert state == "sent"


def test_the_periodic_job_is_on_the_beat_schedule_and_sends_what_is_due(
        mail_app: Flask, smtp_server: Any, ds11: bytes) -> None:
    from web import notify as messages

    celery = mail_app.extensions["intake.celery"]
    schedule = celery.conf.beat_schedule["messages"]
    assert schedule["task"] == messages.PERIODIC_TASK and schedule["schedule"] == mail_app.config["MESSAGES_SECONDS"]
    citizen = mail_app.test_client()
    reference = _reference(_upload(citizen, {"item-ds11": (ds11, "ds11.pdf")}))
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert citizen.post(f"/r/{reference}/contact", data={"email": CITIZEN, "consent": "1",
                                                         "visit_date": tomorrow}).status_code == 303
    with mail_app.app_context():
        counts = celery.tasks[messages.PERIODIC_TASK]()  # what beat runs, here in this process
    assert counts == {"reminders": 1, "sent": 1, "failed": 0, "waiting": 0}
    assert "Your visit is on" in _parts(smtp_server.wait_for(1)[0])[0]
