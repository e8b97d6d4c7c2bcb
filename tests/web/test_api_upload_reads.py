"""What ``POST /api/v1/submissions`` asks the database while it makes a submission: the rows it
has just written (the idempotency reservation, the submission, its files, its check and its
work item) are never read back after their commits, so a burst of uploads waits on fewer
round trips; the answer kept for a retry is still the one first given; and each file's bytes
are hashed once while the request is read, not again when they are stored and recorded."""

from __future__ import annotations

import hashlib
import io
import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage

from tests.web.api import files, plain_client, send, statements
from tests.web.stack import settle
from web import jobs
from web.api import uploads
from web.citizen import packets

PASSPORT = "passport-first-time"
# A full row of a table the upload writes, as the ORM selects it when it loads one again.
READ_BACK = ("SELECT idempotency_records.key", "SELECT submissions.id, submissions.reference",
             "SELECT submission_files.id", "SELECT checks.id, checks.submission_id", "SELECT work_items.")


def _selects(statements_sent: list[str]) -> list[str]:
    """The SELECTs among the statements, each on one line."""
    return [" ".join(s.split()) for s in statements_sent if s.lstrip().upper().startswith("SELECT")]


def _upload(client: FlaskClient, bill: bytes, key: str) -> Any:
    return send(client, "/submissions", files(service=PASSPORT, **{"item-proof_of_address": (bill, "bill.pdf")}),
                headers={"Idempotency-Key": key})


def test_an_upload_with_an_idempotency_key_reads_back_none_of_the_rows_it_wrote(site: Flask, bill: bytes) -> None:
    client = plain_client(site)
    key = uuid.uuid4().hex
    with statements(site) as sent:
        made = _upload(client, bill, key)
    settle(site)  # the stack's worker checks it meanwhile: done before the test's tables go
    seen = _selects(sent)
    assert made.status_code in (201, 202), made.get_data(as_text=True)[:500]
    read_back = [statement for statement in seen if statement.startswith(READ_BACK)]
    assert read_back == []
    body = made.get_json()
    assert body["reference"] and body["secret"] and body["files"][0]["name"] == "bill.pdf"
    assert made.headers["Location"].endswith(body["reference"])


def test_a_retry_of_that_upload_gets_the_answer_first_given_with_its_secret(site: Flask, bill: bytes) -> None:
    client = site.test_client()
    key = uuid.uuid4().hex
    first = _upload(client, bill, key)
    again = _upload(client, bill, key)
    assert again.status_code == first.status_code and again.headers["Idempotent-Replayed"] == "true"
    replayed, given = again.get_json(), first.get_json()
    assert (replayed["reference"], replayed["secret"]) == (given["reference"], given["secret"])
    assert replayed["files"] == given["files"]
    seen = client.get(f"/api/v1/submissions/{given['reference']}/check",
                      headers={"Submission-Secret": replayed["secret"]})
    assert seen.status_code == 200 and seen.get_json()["reference"] == given["reference"]


def test_a_file_read_from_the_request_is_hashed_once_and_carries_its_true_digest(
        app: Flask, bill: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    real = hashlib.sha256
    whole: list[int] = []

    def counting(data: bytes = b"", **kwargs: Any) -> Any:
        if len(data) == len(bill):
            whole.append(len(data))
        return real(data, **kwargs)

    monkeypatch.setattr(hashlib, "sha256", counting)
    with app.test_request_context():
        service = jobs.services()[PASSPORT]
        parts = {"item-proof_of_address": [FileStorage(io.BytesIO(bill), filename="bill.pdf")]}
        incoming = packets.collect(parts, service)
        [(item, upload)] = incoming.files
        key = uploads.body_hash(incoming, service=PASSPORT)
    assert item == "proof_of_address" and upload.name == "bill.pdf"
    assert upload.sha256 == real(bill).hexdigest() and key
    assert whole == [len(bill)]
