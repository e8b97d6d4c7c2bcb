"""The API keeps the good files of an upload when one is refused, as the web form does: the
good ones are stored and checked, each refused one is listed in the answer's ``refused`` with
its stable code and message (stored nowhere, audited once), and only when every file is
refused is the answer a problem. Every test runs with checks in the request and with checks
queued for a worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.api import API, files, problem, send
from tests.web.conftest import stored_blobs
from tests.web.partial import BROKEN, DOCX, kept_names, refusals, run_queued
from web import checkqueue
from web.models import AuditEntry, IdempotencyRecord, Submission, db

PASSPORT = "passport-first-time"


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)


def _queued(app: Flask) -> bool:
    return checkqueue.enabled(app)


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.query(model).count())


def _read(client: FlaskClient, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.get(f"{API}/submissions/{body['reference']}", headers={"Submission-Secret": body["secret"]})
    assert answer.status_code == 200
    result: dict[str, Any] = answer.get_json()
    return result


def test_a_word_file_among_good_files_is_listed_as_refused_and_the_good_ones_are_kept_and_checked(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    client = site.test_client()
    made = send(client, "/submissions", files(service=PASSPORT, **{
        "item-ds11": (ds11, "ds11.pdf"), "item-proof_of_address": (bill, "bill.pdf"),
        "files": [(DOCX, "letter.docx")]}))
    assert made.status_code == (202 if _queued(site) else 201), made.get_data(as_text=True)[:500]
    body = made.get_json()
    (refused,) = body["refused"]
    assert refused["file"] == "letter.docx" and refused["field"] == "files" and refused["code"] == "file.not_pdf"
    assert refused["message"].startswith("letter.docx is not a PDF, JPEG, PNG or HEIC file")
    assert sorted(f["name"] for f in body["files"]) == ["bill.pdf", "ds11.pdf"]
    assert kept_names(site) == ["bill.pdf", "ds11.pdf"] and len(stored_blobs(site)) == 2
    assert [r["code"] for r in refusals(site)] == ["file.not_pdf"]
    run_queued(site)
    read = _read(client, body)
    assert read["report"]["forms"][0]["form"] == "ds11" and read["report"]["unrecognised_files"] == []
    assert "refused" not in read


def test_a_damaged_pdf_among_good_files_is_set_aside_once_and_the_answer_says_why(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    client = site.test_client()
    made = send(client, "/submissions", files(service=PASSPORT, **{
        "item-ds11": (ds11, "ds11.pdf"), "files": [(bill, "bill.pdf"), (BROKEN, "broken.pdf")]}))
    assert made.status_code == (202 if _queued(site) else 201), made.get_data(as_text=True)[:500]
    body = made.get_json()
    if not _queued(site):
        assert [(r["file"], r["code"]) for r in body["refused"]] == [("broken.pdf", "file.damaged")]
        assert body["refused"][0]["message"].startswith("broken.pdf: ")
    run_queued(site)
    assert kept_names(site) == ["bill.pdf", "ds11.pdf"] and len(stored_blobs(site)) == 2
    assert [r["code"] for r in refusals(site)] == ["file.damaged"]
    assert any(p["code"] == "file.damaged" for p in _problems(_read(client, body)["report"]))


def _problems(report: dict[str, Any]) -> list[dict[str, Any]]:
    found = [p for f in report["forms"] for p in f["problems"]] + [p for d in report["documents"]
                                                                   for p in d["problems"]]
    return found + list(report["unrecognised_files"])


def test_files_added_later_keep_the_good_ones_and_name_the_refused_one_in_the_asked_language(
        site: Flask, ds11: bytes, bill: bytes, corpus: Path) -> None:
    client = site.test_client()
    made = send(client, "/submissions", files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf")})).get_json()
    assert made["refused"] == []
    run_queued(site)
    birth = (corpus / "supporting" / "synthetic" / "birth_certificate_scan.pdf").read_bytes()
    added = send(client, f"/submissions/{made['reference']}/files", files(**{
        "item-citizenship": (birth, "birth.pdf"), "item-proof_of_address": [(bill, "bill.pdf"), (b"", "empty.pdf")]}),
        {"Submission-Secret": made["secret"]}, query="?lang=es")
    assert added.status_code == (202 if _queued(site) else 200), added.get_data(as_text=True)[:500]
    (refused,) = added.get_json()["refused"]
    assert (refused["file"], refused["field"], refused["code"]) == ("empty.pdf", "item-proof_of_address", "file.empty")
    assert "vacío" in refused["message"]
    run_queued(site)
    assert kept_names(site) == ["bill.pdf", "birth.pdf", "ds11.pdf"]
    assert [(r["code"], r["item"]) for r in refusals(site)] == [("file.empty", "proof_of_address")]
    with site.app_context():
        assert db.session.query(AuditEntry).filter_by(action="upload_refused").one().submission_id is not None


def test_when_every_file_is_refused_the_answer_is_a_problem_and_nothing_is_kept(site: Flask, ds11: bytes) -> None:
    client = site.test_client()
    every = problem(send(client, "/submissions", files(service=PASSPORT, files=[(DOCX, "letter.docx"),
                                                                                (b"", "empty.pdf")])),
                    422, "request.files")
    assert [(e["field"], e["code"]) for e in every["errors"]] == [("files", "file.not_pdf"), ("files", "file.empty")]
    assert _count(site, Submission) == 0 and stored_blobs(site) == [] and len(refusals(site)) == 2
    made = send(client, "/submissions", files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf")})).get_json()
    run_queued(site)
    again = problem(send(client, f"/submissions/{made['reference']}/files", files(files=[(DOCX, "x.docx")]),
                         {"Submission-Secret": made["secret"]}), 415, "file.not_pdf")
    assert again["errors"][0]["message"].startswith("x.docx is not a PDF")
    assert kept_names(site) == ["ds11.pdf"] and len(refusals(site)) == 3
    with site.app_context():
        audited = db.session.query(AuditEntry).filter_by(action="upload_refused").order_by(AuditEntry.id).all()
        assert [e.submission_id is not None for e in audited] == [False, False, True]


def test_too_many_files_at_once_still_refuses_the_whole_upload(site: Flask, ds11: bytes, bill: bytes) -> None:
    site.config["MAX_FILES"] = 2
    refused = problem(send(site.test_client(), "/submissions", files(service=PASSPORT, files=[
        (ds11, "ds11.pdf"), (bill, "bill.pdf"), (DOCX, "a.docx")])), 413)
    assert "packet.too_many_files" in [e["code"] for e in refused["errors"]]
    assert _count(site, Submission) == 0 and stored_blobs(site) == []


def test_a_retry_with_the_same_key_returns_the_same_refusals_and_audits_them_once(
        site: Flask, ds11: bytes) -> None:
    client = site.test_client()
    key = {"Idempotency-Key": "order-with-a-bad-file"}
    body = files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf"), "files": [(b"", "empty.pdf")]})
    first = send(client, "/submissions", body, key)
    again = send(client, "/submissions", files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf"),
                                                                     "files": [(b"", "empty.pdf")]}), key)
    assert again.status_code == first.status_code and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert [r["code"] for r in first.get_json()["refused"]] == ["file.empty"]
    assert _count(site, Submission) == 1 and _count(site, IdempotencyRecord) == 1
    assert [r["code"] for r in refusals(site)] == ["file.empty"]
    other = send(client, "/submissions", files(service=PASSPORT, **{"item-ds11": (ds11, "ds11.pdf"),
                                                                     "files": [(DOCX, "letter.docx")]}), key)
    problem(other, 409, "idempotency.conflict")
