"""The light status route a program polls while a check waits or runs,
``GET /api/v1/submissions/<ref>/check``: the newest check's state, its counts and a link to the
full report, with a strong ETag and a 304 while nothing changed; read from the newest check's
row alone, in a bounded number of queries. Most tests run with checks in the request and with
checks queued for a worker (the test runs the queued checks itself, as a worker would)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.api import API, files, plain_client, problem, send, statements
from tests.web.conftest import stored_blobs
from tests.web.partial import run_queued
from web import checkqueue, storage
from web.models import CheckRecord, db

PASSPORT = "passport-first-time"
# The submission (one query), the newest check's row (one), and either the checks queued ahead
# of it or, for a check that ran in the request, its files (one).
MOST_QUERIES = 3


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)


def _queued(app: Flask) -> bool:
    return checkqueue.enabled(app)


def _stays_queued(app: Flask) -> None:
    if app.config.get("TEST_STACK_QUEUE"):
        pytest.skip("a real worker takes every queued check at once on the test stack")


def _upload(client: FlaskClient, ds11: bytes, bill: bytes) -> dict[str, Any]:
    made = send(client, "/submissions", files(service=PASSPORT, **{
        "item-ds11": (ds11, "ds11.pdf"), "item-proof_of_address": (bill, "bill.pdf")}))
    assert made.status_code in (201, 202), made.get_data(as_text=True)[:500]
    body: dict[str, Any] = made.get_json()
    return body


def _status(client: FlaskClient, body: dict[str, Any], etag: str | None = None) -> Any:
    headers = {"Submission-Secret": body["secret"]} | ({"If-None-Match": etag} if etag else {})
    return client.get(f"{API}/submissions/{body['reference']}/check", headers=headers)


def _newest_check(app: Flask) -> int:
    with app.app_context():
        return int(db.session.query(CheckRecord.id).order_by(CheckRecord.id.desc()).limit(1).scalar())


def test_a_finished_check_says_done_with_its_counts_and_a_link_to_the_full_report(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    client = site.test_client()
    body = _upload(client, ds11, bill)
    run_queued(site)
    answer = _status(client, body)
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    status = answer.get_json()
    assert status["reference"] == body["reference"] and status["state"] == "done"
    assert status["counts"] == {"files": 2, "ahead": 0}
    assert status["finished_at"] and status["queued_at"]
    report = client.get(status["links"]["report"], headers={"Submission-Secret": body["secret"]})
    assert report.status_code == 200 and report.get_json()["service"] == PASSPORT
    whole = client.get(status["links"]["submission"], headers={"Submission-Secret": body["secret"]})
    assert whole.status_code == 200 and whole.get_json()["check"]["state"] == "done"


def test_a_queued_check_goes_from_queued_to_running_to_done_and_its_etag_changes_each_time(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    if not _queued(site):
        pytest.skip("checks in the request are done before the upload answers")
    _stays_queued(site)
    client = site.test_client()
    body = _upload(client, ds11, bill)
    queued = _status(client, body)
    assert queued.get_json()["state"] == "queued" and queued.get_json()["started_at"] is None
    assert queued.get_json()["counts"]["files"] == 2
    check_id = _newest_check(site)
    with site.app_context():
        outcome, _attempt = checkqueue.take(check_id, "tester:1")
        assert outcome.ran
    running = _status(client, body)
    assert running.get_json()["state"] == "running" and running.get_json()["started_at"]
    with site.app_context():  # the worker that took it gives it back; the next one finishes it
        assert checkqueue.give_back(check_id, 1)
    run_queued(site)
    done = _status(client, body)
    assert done.get_json()["state"] == "done"
    assert len({queued.headers["ETag"], running.headers["ETag"], done.headers["ETag"]}) == 3


def test_a_check_that_failed_for_good_says_failed_and_its_report_link_answers_pending(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    if not _queued(site):
        pytest.skip("only a queued check can fail after its retry")
    _stays_queued(site)
    client = site.test_client()
    body = _upload(client, ds11, bill)
    with site.app_context():
        assert checkqueue.fail(_newest_check(site), 0, "the check stopped twice before it finished")
    status = _status(client, body).get_json()
    assert status["state"] == "failed" and status["finished_at"]
    pending = client.get(status["links"]["report"], headers={"Submission-Secret": body["secret"]})
    problem(pending, 409, "report.pending")


def test_checks_queued_before_this_one_are_counted_ahead_of_it(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    if not _queued(site):
        pytest.skip("checks in the request never wait in a queue")
    _stays_queued(site)
    client = site.test_client()
    first, second = _upload(client, ds11, bill), _upload(client, ds11, bill)
    assert _status(client, first).get_json()["counts"]["ahead"] == 0
    assert _status(client, second).get_json()["counts"]["ahead"] == 1


def test_the_same_etag_back_gets_a_304_with_no_body_until_the_check_moves_on(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    client = site.test_client()
    body = _upload(client, ds11, bill)
    first = _status(client, body)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/"), "a strong validator"
    assert first.headers["Cache-Control"] == "private, no-store", "no copy kept: the program sends the ETag itself"
    again = _status(client, body, etag)
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert _status(client, body, '"something-else"').status_code == 200
    assert _status(client, body, "*").status_code == 304
    if _queued(site) and not site.config.get("TEST_STACK_QUEUE"):
        run_queued(site)
        moved = _status(client, body, etag)
        assert moved.status_code == 200 and moved.get_json()["state"] == "done"
        assert moved.headers["ETag"] != etag


def test_asking_for_the_check_reads_only_the_newest_check_row_in_a_few_queries(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    client = site.test_client()
    body = _upload(client, ds11, bill)
    run_queued(site)
    send(client, f"/submissions/{body['reference']}/files",
         files(**{"item-proof_of_address": (bill, "bill-again.pdf")}), {"Submission-Secret": body["secret"]})
    run_queued(site)
    with site.app_context():
        assert db.session.query(CheckRecord).count() == 2
    plain = plain_client(site)
    with statements(site) as seen:
        answer = _status(plain, body)
    assert answer.status_code == 200 and answer.get_json()["counts"]["files"] == 3
    assert 0 < len(seen) <= MOST_QUERIES, seen
    assert not any("report_json" in statement for statement in seen), "the report is never loaded"
    with statements(site) as seen:
        assert _status(plain, body, answer.headers["ETag"]).status_code == 304
    assert len(seen) <= MOST_QUERIES


def test_no_secret_is_a_401_and_a_wrong_secret_or_unknown_reference_the_same_404(
        client: FlaskClient, ds11: bytes, bill: bytes) -> None:
    body = _upload(client, ds11, bill)
    path = f"{API}/submissions/{body['reference']}/check"
    missing = client.get(path)
    problem(missing, 401, "auth.secret_required")
    assert missing.headers["WWW-Authenticate"].startswith("Secret")
    wrong = problem(client.get(path, headers={"Submission-Secret": "not-the-secret"}), 404, "submission.not_found")
    unknown = problem(client.get(f"{API}/submissions/ACDEFGHJK/check", headers={"Submission-Secret": body["secret"]}),
                      404, "submission.not_found")
    nonsense = problem(client.get(f"{API}/submissions/not-a-reference/check",
                                  headers={"Submission-Secret": body["secret"]}), 404, "submission.not_found")
    assert wrong["detail"] == unknown["detail"] == nonsense["detail"], "guessing tells nothing"


def test_polling_past_the_limit_is_a_429_with_a_wait(
        another_app: Callable[..., Flask], ds11: bytes, bill: bytes) -> None:
    limited = another_app(RATELIMIT_ENABLED=True, RATELIMIT_POLL="2 per minute").test_client()
    body = _upload(limited, ds11, bill)
    assert [_status(limited, body).status_code for _ in range(2)] == [200, 200]
    refused = _status(limited, body)
    problem(refused, 429, "http.too_many_requests")
    assert int(refused.headers["Retry-After"]) > 0


def test_the_citizen_progress_reads_only_the_newest_check(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    body = _upload(site.test_client(), ds11, bill)
    client = plain_client(site)
    with client.session_transaction() as session:
        session["access"] = [body["reference"]]
    with statements(site) as seen:
        answer = client.get(f"/r/{body['reference']}/progress.json")
    assert answer.status_code == 200
    expected = "queued" if _queued(site) and not site.config.get("TEST_STACK_QUEUE") else "done"
    assert answer.get_json() == {"state": expected, "ahead": 0}
    assert 0 < len(seen) <= MOST_QUERIES, seen
    assert not any("report_json" in statement for statement in seen), "no report is loaded for a poll"


def test_one_file_given_for_two_items_is_looked_up_and_stored_once(
        site: Flask, ds11: bytes, bill: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """Part of the same work on the upload's cost: each content goes to storage once, in one
    conditional write (``add``), never a question first."""
    with site.app_context():
        kind = type(storage.from_config(site.config["STORAGE"]))  # a local folder or a bucket
    real_add, asked = kind.add, []

    def add(self: Any, data: bytes, sha256: str) -> bool:
        asked.append(sha256)
        return real_add(self, data, sha256)

    def no_question(self: Any, sha256: str) -> bool:
        raise AssertionError("an upload asked storage whether a content was there")

    monkeypatch.setattr(kind, "add", add)
    monkeypatch.setattr(kind, "exists", no_question)
    made = send(site.test_client(), "/submissions", files(service=PASSPORT, **{
        "item-ds11": (ds11, "ds11.pdf"), "item-proof_of_address": (bill, "bill.pdf"),
        "files": [(bill, "bill-copy.pdf")]}))
    assert made.status_code in (201, 202), made.get_data(as_text=True)[:500]
    names = sorted(f["name"] for f in made.get_json()["files"])
    assert names == ["bill-copy.pdf", "bill.pdf", "ds11.pdf"]
    assert sorted(asked) == sorted({hashlib.sha256(ds11).hexdigest(), hashlib.sha256(bill).hexdigest()})
    assert len(stored_blobs(site)) == 2


def test_a_retry_in_the_other_language_gets_the_first_answer_in_that_language(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    """The stored answer of a request with an Idempotency-Key still holds every language."""
    client = site.test_client()
    packet = {"item-ds11": (ds11, "ds11.pdf"), "item-proof_of_address": (bill, "bill.pdf")}
    first = send(client, "/submissions", files(service=PASSPORT, **packet), {"Idempotency-Key": "k-languages"})
    again = send(client, "/submissions", files(service=PASSPORT, **packet), {"Idempotency-Key": "k-languages"},
                 query="?lang=es")
    assert again.headers["Idempotent-Replayed"] == "true" and again.status_code == first.status_code
    english, spanish = first.get_json(), again.get_json()
    assert spanish["reference"] == english["reference"] and spanish["secret"] == english["secret"]
    read = client.get(f"{API}/submissions/{english['reference']}?lang=es",
                      headers={"Submission-Secret": english["secret"]}).get_json()
    assert spanish["files"] == read["files"]
    if english["report"] is None:  # queued when first answered (a worker may have finished it since)
        assert spanish["report"] is None and spanish["check"]["state"] == english["check"]["state"]
    else:
        assert spanish["report"] == read["report"]
    if english["report"] is not None:  # checked in the request: the report has words
        assert english["report"]["lang"] == "en" and spanish["report"]["lang"] == "es"
        assert english["report"] != spanish["report"]
    else:  # queued: nothing in the answer has words yet, so both languages read the same
        assert spanish == english
