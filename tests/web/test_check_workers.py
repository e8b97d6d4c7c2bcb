"""Checks off the request path: the upload answers at once, the check is a row with a state,
and a worker takes it by id, runs it once, and never loses or doubles it.

The first tests drive ``web.checkqueue`` in-process on an app whose broker is Celery's memory
transport, so each step (a kill, a second delivery, a stale attempt) happens exactly when the
test says. The last ones start real Celery workers on a real Redis server (skipped, with
the reason, where none answers)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web import stack
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web import checkqueue
from web.models import AuditEntry, CheckRecord, Event, Submission, SubmissionFile, db, utcnow

SERVICE = "/s/passport-first-time"
DS11, PERSON = shared_corpus.DS11, shared_corpus.DS11_APPLICANT
REDIS_URL = os.environ.get("INTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
AMQP_URL = os.environ.get("INTAKE_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(DS11, **PERSON)


@pytest.fixture
def bill(corpus: Path) -> bytes:
    return (corpus / "supporting" / "synthetic" / "utility_bill_1.pdf").read_bytes()


@pytest.fixture
def queued_app(another_app: Callable[..., Flask]) -> Flask:
    """The test's app with a broker set: Celery's in-memory transport, which no worker reads."""
    return another_app(BROKER_URL="memory://", CHECK_QUEUE=f"test-{uuid.uuid4().hex[:8]}")


def _upload(client: FlaskClient, **files: Any) -> Any:
    data = upload_data(**files)
    data["client_key"] = os.urandom(8).hex()
    return post_files(client, SERVICE, data)


def _check(app: Flask) -> CheckRecord:
    with app.app_context():
        check = db.session.query(CheckRecord).order_by(CheckRecord.id.desc()).first()
        assert check is not None
        db.session.expunge(check)
        return check


def _run(app: Flask, check_id: int, worker: str = "tester:1") -> checkqueue.Outcome:
    with app.app_context():
        return checkqueue.run(check_id, worker)


def test_an_upload_is_stored_with_a_queued_check_and_answered_at_once(
        queued_app: Flask, ds11: bytes, pages: Pages) -> None:
    client = queued_app.test_client()
    response = _upload(client, **{"item-ds11": (ds11, "ds11.pdf")})
    assert response.status_code == 303
    check = _check(queued_app)
    assert check.state == "queued" and check.attempts == 0 and check.report_json == ""
    with queued_app.app_context():
        submission = db.session.query(Submission).one()
        assert submission.status == "checking"
        assert [f.id for f in submission.files] == check.file_ids == check.new_file_ids
        assert db.session.query(Event).one().kind == "created"
    page = Pages(client).follow(response)
    assert page.h1.get_text(strip=True) == "Checking your files…"
    assert page.find("noscript") is not None, "without JavaScript the page refreshes itself"
    assert "waiting to be checked" in page.get_text(" ")
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"/r/{reference}/progress.json").get_json() == {"state": "queued", "ahead": 0}
    assert client.get(f"/r/{reference}/bring").status_code == 303


def test_a_worker_runs_the_check_once_and_the_page_shows_the_report(
        queued_app: Flask, ds11: bytes, bill: bytes) -> None:
    client = queued_app.test_client()
    response = _upload(client, **{"item-ds11": (ds11, "ds11.pdf"), "everything": [(bill, "bill.pdf")]})
    check = _check(queued_app)
    assert _run(queued_app, check.id).ran
    done = _check(queued_app)
    assert done.state == "done" and done.attempts == 1 and done.finished_at is not None
    assert done.status == "incomplete" and json.loads(done.report_json)["en"]["status"] == "incomplete"
    again = _run(queued_app, check.id, "tester:2")
    assert not again.ran and again.reason == "done", "a second delivery of a done check does nothing"
    page = Pages(client).follow(response)
    assert page.h1.get_text(strip=True) == "Some things are missing"
    with queued_app.app_context():
        submission = db.session.query(Submission).one()
        assert submission.status == "incomplete" and submission.zip_hash is not None
        assert [e.kind for e in db.session.query(Event).order_by(Event.id)] == ["created", "checked"]


def test_a_check_whose_worker_died_is_taken_over_and_one_held_by_a_live_worker_waits(
        queued_app: Flask, ds11: bytes) -> None:
    _upload(queued_app.test_client(), **{"item-ds11": (ds11, "ds11.pdf")})
    check = _check(queued_app)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with queued_app.app_context():
        row = db.session.get(CheckRecord, check.id)
        row.state, row.attempts, row.started_at = "running", 1, utcnow()
        row.worker = checkqueue.worker_name()  # this very process: alive
        db.session.commit()
    held = _run(queued_app, check.id)
    assert not held.ran and held.reason == "held" and held.wait_seconds is not None
    with queued_app.app_context():
        row = db.session.get(CheckRecord, check.id)
        row.worker = f"{checkqueue.worker_name().rpartition(':')[0]}:{dead.pid}"
        db.session.commit()
    with queued_app.app_context():
        assert checkqueue.overdue() == [check.id], "the sweeper sends it again without waiting for the lease"
    assert _run(queued_app, check.id, "tester:3").ran, "a worker that is gone gives its check up at once"
    done = _check(queued_app)
    assert done.state == "done" and done.attempts == 2 and done.worker == "tester:3"


def test_a_running_check_past_its_lease_is_taken_over_and_swept(queued_app: Flask, ds11: bytes) -> None:
    _upload(queued_app.test_client(), **{"item-ds11": (ds11, "ds11.pdf")})
    check = _check(queued_app)
    with queued_app.app_context():
        lease = checkqueue.lease_seconds()
        row = db.session.get(CheckRecord, check.id)
        row.state, row.attempts, row.worker = "running", 1, "another-host:4242"
        row.started_at = utcnow() - dt.timedelta(seconds=lease + 5)
        db.session.commit()
        assert checkqueue.overdue() == [check.id]
        assert checkqueue.sweep() == 1
    assert _run(queued_app, check.id).ran
    with queued_app.app_context():
        assert checkqueue.overdue() == []


def test_a_check_that_stopped_twice_fails_with_a_reason_and_the_page_says_so(
        queued_app: Flask, ds11: bytes) -> None:
    client = queued_app.test_client()
    response = _upload(client, **{"item-ds11": (ds11, "ds11.pdf")})
    check = _check(queued_app)
    with queued_app.app_context():
        row = db.session.get(CheckRecord, check.id)
        row.state, row.attempts, row.worker = "running", 2, "another-host:1"
        row.started_at = utcnow() - dt.timedelta(seconds=checkqueue.lease_seconds() + 5)
        db.session.commit()
    outcome = _run(queued_app, check.id)
    assert not outcome.ran and outcome.reason == "failed"
    failed = _check(queued_app)
    assert failed.state == "failed" and "stopped twice" in (failed.error or "")
    with queued_app.app_context():
        assert db.session.query(SubmissionFile).count() == 1, "the files stay"
        assert db.session.query(Event).order_by(Event.id.desc()).first().kind == "check_failed"
    page = Pages(client).follow(response)
    assert page.h1.get_text(strip=True) == "We could not check your files yet"
    assert page.find("noscript") is None


def test_a_stale_attempt_never_writes_a_second_report(queued_app: Flask, ds11: bytes) -> None:
    import intake

    _upload(queued_app.test_client(), **{"item-ds11": (ds11, "ds11.pdf")})
    check = _check(queued_app)
    with queued_app.app_context():
        outcome, first = checkqueue.take(check.id, "tester:1")
        assert outcome.ran and first == 1
        row = db.session.get(CheckRecord, check.id)
        row.started_at = utcnow() - dt.timedelta(seconds=checkqueue.lease_seconds() + 5)
        db.session.commit()
        outcome, second = checkqueue.take(check.id, "tester:2")
        assert outcome.ran and second == 2
        report = intake.Report(service="passport-first-time", service_version="2026-11",
                               checked_at=dt.date.today(), forms=(), documents=(), missing=(),
                               unrecognised_files=(), bring_in_person=())
        assert not checkqueue.finish(check.id, first, report), "the first worker came back too late"
        assert db.session.get(CheckRecord, check.id).state == "running"
        assert checkqueue.finish(check.id, second, report)
        assert not checkqueue.finish(check.id, second, report), "done once only"
        assert db.session.query(Event).filter_by(kind="checked").count() == 1


def test_an_unusable_file_that_arrived_with_the_check_is_set_aside_and_audited(
        queued_app: Flask, ds11: bytes) -> None:
    client = queued_app.test_client()
    damaged = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    response = _upload(client, **{"item-ds11": (ds11, "ds11.pdf"), "item-citizenship": (damaged, "birth.pdf")})
    check = _check(queued_app)
    assert _run(queued_app, check.id).ran
    with queued_app.app_context():
        names = [f.name for f in db.session.query(SubmissionFile)]
        assert names == ["ds11.pdf"]
        (refusal,) = db.session.query(AuditEntry).filter_by(action="upload_refused").all()
        assert json.loads(refusal.detail or "{}")["code"].startswith("file.")
        report = json.loads(db.session.get(CheckRecord, check.id).report_json)["en"]
        found = [p for d in report["documents"] for p in d["problems"]]
        assert any(p["file"] == "birth.pdf" and p["code"].startswith("file.") for p in found), report
    page = Pages(client).follow(response)
    assert "birth.pdf" in page.get_text(" ")


def test_one_senders_checks_wait_behind_their_own(queued_app: Flask, ds11: bytes) -> None:
    client = queued_app.test_client()
    _upload(client, **{"item-ds11": (ds11, "first.pdf")})
    first = _check(queued_app)
    _upload(client, **{"item-ds11": (ds11, "second.pdf")})
    second = _check(queued_app)
    assert first.client == second.client and first.client
    with queued_app.app_context():
        outcome, _attempt = checkqueue.take(first.id, "tester:1")
        assert outcome.ran
        waiting = checkqueue.run(second.id, "tester:2")
        assert not waiting.ran and waiting.reason == "fair_share" and waiting.wait_seconds
        row = db.session.get(CheckRecord, second.id)
        row.client = "someone-else"
        db.session.commit()
        assert checkqueue.run(second.id, "tester:2").ran, "another sender's check goes first"


def test_adding_files_queues_a_new_check_and_the_last_report_stays_readable(
        queued_app: Flask, ds11: bytes, bill: bytes) -> None:
    client = queued_app.test_client()
    response = _upload(client, **{"item-ds11": (ds11, "ds11.pdf")})
    reference = response.headers["Location"].rsplit("/", 1)[-1]
    assert _run(queued_app, _check(queued_app).id).ran
    added = post_files(client, f"/r/{reference}/files", upload_data(**{"item-proof_of_address": (bill, "bill.pdf")}))
    assert added.status_code == 303
    pending = _check(queued_app)
    assert pending.state == "queued" and len(pending.file_ids) == 2 and len(pending.new_file_ids) == 1
    page = Pages(client).follow(added)
    assert page.h1.get_text(strip=True) == "Checking your files…"
    assert _run(queued_app, pending.id).ran
    page = Pages(client).get(f"/r/{reference}")
    assert page.find(id="changes-title") is not None, "the page says what changed since the last check"


def test_the_api_answers_202_with_a_location_and_the_report_once_done(queued_app: Flask, ds11: bytes) -> None:
    client = queued_app.test_client()
    response = post_files(client, "/api/v1/submissions", {"service": "passport-first-time",
                                                          **upload_data(**{"item-ds11": (ds11, "ds11.pdf")})})
    assert response.status_code == 202, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "checking" and body["report"] is None and body["check"]["state"] == "queued"
    headers = {"Submission-Secret": body["secret"]}
    location = response.headers["Location"]
    pending = client.get(f"{location}/report", headers=headers)
    assert pending.status_code == 409 and pending.headers["Retry-After"] == "2"
    assert pending.get_json()["code"] == "report.pending"
    assert _run(queued_app, _check(queued_app).id).ran
    read = client.get(location, headers=headers).get_json()
    assert read["check"]["state"] == "done" and read["status"] == "incomplete"
    assert client.get(f"{location}/report", headers=headers).status_code == 200


def test_without_a_broker_every_check_is_done_in_its_request(app: Flask, client: FlaskClient, ds11: bytes) -> None:
    assert _upload(client, **{"item-ds11": (ds11, "ds11.pdf")}).status_code == 303
    check = _check(app)
    assert check.state == "done" and check.status == "incomplete" and check.finished_at is not None


# --- Real workers on a real Redis server ------------------------------------------------

def _broker(url: str) -> str:
    """The broker's URL if a server answers there; the test is skipped, with the reason, if not."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # no server here: say so and skip
        pytest.skip(f"no broker answers at {url} ({type(exc).__name__}); .ci/run uses the machine's")
    return url


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_app(request: pytest.FixtureRequest, another_app: Callable[..., Flask], app: Flask) -> Flask:
    """The test's app with a real broker: Redis, and RabbitMQ by its URL alone."""
    url = _broker(REDIS_URL if request.param == "redis" else AMQP_URL)
    return another_app(BROKER_URL=url, CHECK_QUEUE=f"test-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def workers(broker_app: Flask, tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start Celery workers for the test's app (same database, storage and queue) on demand;
    what they print goes to a log the test shows when it fails."""
    started: list[subprocess.Popen[bytes]] = []
    log = (tmp_path / "workers.log").open("wb")
    env = stack.worker_env(broker_app.config)

    def start() -> subprocess.Popen[bytes]:
        started.append(stack.start_worker(env, broker_app.config["CHECK_QUEUE"], log))
        return started[-1]

    yield start
    for process in started:
        stack.stop_worker(process)
    log.close()
    print((tmp_path / "workers.log").read_text(errors="replace")[-4000:])


def _wait_for(app: Flask, predicate: Callable[[], bool], seconds: float = 90.0) -> None:
    """Poll until the database shows what the test waits for; generous, for a busy machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            if predicate():
                return
            db.session.remove()
        time.sleep(0.2)
    raise AssertionError("the workers did not get there in time")


def _states(app: Flask) -> list[str]:
    return [c.state for c in db.session.query(CheckRecord).order_by(CheckRecord.id)]


def test_a_real_worker_checks_uploads_and_the_page_shows_the_report(
        broker_app: Flask, workers: Callable[[], Any], ds11: bytes, bill: bytes) -> None:
    worker = workers()
    client = broker_app.test_client()
    response = _upload(client, **{"item-ds11": (ds11, "ds11.pdf"), "everything": [(bill, "bill.pdf")]})
    assert response.status_code == 303
    _wait_for(broker_app, lambda: _states(broker_app) == ["done"])
    page = Pages(client).follow(response)
    assert page.h1.get_text(strip=True) == "Some things are missing"
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    if children.exists():  # Linux: the process that ran the check steps back for web hosts
        pids = [int(p) for p in children.read_text().split()]
        assert pids and all(os.getpriority(os.PRIO_PROCESS, p) - os.getpriority(os.PRIO_PROCESS, worker.pid)
                            == broker_app.config["CHECK_WORKER_NICE"] for p in pids)


def test_a_worker_killed_mid_check_loses_and_doubles_nothing(
        broker_app: Flask, workers: Callable[[], Any], ds11: bytes) -> None:
    """Five uploads, the worker killed with SIGKILL while it works, a new one started: every
    check ends done exactly once."""
    first = workers()
    client = broker_app.test_client()
    for n in range(5):
        assert _upload(client, **{"item-ds11": (ds11, f"ds11-{n}.pdf")}).status_code == 303
    _wait_for(broker_app, lambda: "running" in _states(broker_app))
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    with broker_app.app_context():
        checkqueue.sweep(utcnow() + dt.timedelta(seconds=checkqueue.lease_seconds() + 60))
    workers()
    _wait_for(broker_app, lambda: _states(broker_app) == ["done"] * 5, seconds=180)
    with broker_app.app_context():
        assert db.session.query(Event).filter_by(kind="checked").count() == 5, "no check finished twice"


@pytest.mark.parametrize("lang, one", [("en", "1 other check is ahead of yours"),
                                       ("es", "Hay 1 revisión antes de la suya")])
def test_the_checking_page_has_words_for_exactly_one_check_ahead(
        queued_app: Flask, ds11: bytes, lang: str, one: str) -> None:
    client = queued_app.test_client()
    response = _upload(client, **{"item-ds11": (ds11, "ds11.pdf")})
    page = Pages(client).get(response.headers["Location"] + f"?lang={lang}")
    progress = page.find(id="progress")
    assert one in progress["data-ahead-one"] and "{n}" in progress["data-ahead"]
