"""One bad file among good ones: the good ones are kept and checked, the bad one is refused on
its own (stored nowhere, audited once) and the page names it and says why. Every test runs
with checks in the request and with checks queued for a worker."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.conftest import post_files, stored_blobs, upload_data
from tests.web.pages import Pages
from tests.web.partial import BROKEN, DOCX, kept_names, refusals, run_queued
from web.models import AuditEntry, Submission, SubmissionFile, db

SERVICE = "/s/passport-first-time"
DS11, PERSON = shared_corpus.DS11, shared_corpus.DS11_APPLICANT


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(DS11, **PERSON)


def _send(client: FlaskClient, url: str, **files: Any) -> Any:
    data = upload_data(**files)
    data["client_key"] = os.urandom(8).hex()
    return post_files(client, url, data)


def _reference(app: Flask) -> str:
    with app.app_context():
        (submission,) = db.session.query(Submission).all()
        return submission.reference


def test_a_word_file_among_good_files_is_refused_alone_and_the_good_ones_are_kept_and_checked(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    client = site.test_client()
    pages = Pages(client)
    response = _send(client, SERVICE, **{"item-ds11": (ds11, "ds11.pdf"), "item-proof_of_address": (bill, "bill.pdf"),
                                         "everything": [(DOCX, "letter.docx")]})
    assert response.status_code == 303
    run_queued(site)
    page = pages.follow(response)
    note = page.find("section", class_="refused")
    assert note is not None and "letter.docx is not a PDF, JPEG, PNG or HEIC file" in note.get_text()
    assert note.find("a")["href"] == "#everything" and page.find(id="everything") is not None
    assert page.find(id="task-form-ds11").find(class_="tag").get_text(strip=True) == "Done"
    assert kept_names(site) == ["bill.pdf", "ds11.pdf"]
    assert [r["code"] for r in refusals(site)] == ["file.not_pdf"]
    assert len(stored_blobs(site)) == 2
    reference = _reference(site)
    assert pages.get(f"/r/{reference}").find("section", class_="refused") is not None
    response = post_files(client, f"/r/{reference}/files", upload_data(**{"item-proof_of_address": (bill, "b2.pdf")}))
    run_queued(site)
    assert pages.follow(response).find("section", class_="refused") is None


def test_a_damaged_pdf_among_good_files_is_set_aside_once_and_the_page_says_why(
        site: Flask, ds11: bytes, bill: bytes) -> None:
    client = site.test_client()
    response = _send(client, SERVICE, **{"item-ds11": (ds11, "ds11.pdf"),
                                         "everything": [(bill, "bill.pdf"), (BROKEN, "broken.pdf")]})
    assert response.status_code == 303
    run_queued(site)
    page = Pages(client).follow(response)
    assert "broken.pdf" in page.get_text() and page.h1 is not None
    assert kept_names(site) == ["bill.pdf", "ds11.pdf"]
    assert [r["code"] for r in refusals(site)] == ["file.damaged"]
    assert len(stored_blobs(site)) == 2


def test_files_added_later_keep_the_good_ones_when_one_is_refused(site: Flask, ds11: bytes, bill: bytes,
                                                                  corpus: Path) -> None:
    client = site.test_client()
    pages = Pages(client)
    _send(client, SERVICE, **{"item-ds11": (ds11, "ds11.pdf")})
    run_queued(site)
    reference = _reference(site)
    birth = (corpus / "supporting" / "synthetic" / "birth_certificate_scan.pdf").read_bytes()
    response = post_files(client, f"/r/{reference}/files", upload_data(**{
        "item-citizenship": (birth, "birth.pdf"), "item-proof_of_address": [(bill, "bill.pdf"), (b"", "empty.pdf")]}))
    assert response.status_code == 303
    run_queued(site)
    page = pages.follow(response)
    note = page.find("section", class_="refused")
    assert note is not None and "empty.pdf is empty" in note.get_text()
    assert note.find("a")["href"] == "#item-proof_of_address"
    assert kept_names(site) == ["bill.pdf", "birth.pdf", "ds11.pdf"]
    refused = refusals(site)
    assert [(r["code"], r["item"]) for r in refused] == [("file.empty", "proof_of_address")]
    with site.app_context():
        assert db.session.query(AuditEntry).filter_by(action="upload_refused").one().submission_id is not None


def test_when_every_file_is_refused_nothing_is_stored_and_the_form_says_why(site: Flask, ds11: bytes) -> None:
    client = site.test_client()
    page = Pages.check(_send(client, SERVICE, everything=[(DOCX, "letter.docx"), (b"", "empty.pdf")]), 422)
    summary = page.find(class_="error-summary")
    assert "letter.docx is not a PDF" in summary.get_text() and "empty.pdf is empty" in summary.get_text()
    with site.app_context():
        assert db.session.query(Submission).count() == 0
    assert stored_blobs(site) == [] and len(refusals(site)) == 2
    _send(client, SERVICE, **{"item-ds11": (ds11, "ds11.pdf")})
    run_queued(site)
    reference = _reference(site)
    page = Pages.check(post_files(client, f"/r/{reference}/files", upload_data(everything=[(DOCX, "x.docx")])), 422)
    assert "x.docx is not a PDF" in page.find(class_="error-summary").get_text()
    assert kept_names(site) == ["ds11.pdf"] and len(refusals(site)) == 3


def test_too_many_files_at_once_refuses_the_whole_upload(site: Flask, ds11: bytes, bill: bytes) -> None:
    site.config["MAX_FILES"] = 2
    client = site.test_client()
    page = Pages.check(_send(client, SERVICE, everything=[(ds11, "ds11.pdf"), (bill, "bill.pdf"), (DOCX, "a.docx")]),
                       422)
    assert "That is too many files" in page.get_text()
    with site.app_context():
        assert db.session.query(Submission).count() == 0
    assert stored_blobs(site) == []


def test_a_crash_while_storing_the_good_files_leaves_nothing_half_made(site: Flask, ds11: bytes,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from web.citizen import packets

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(packets, "_unused_reference", crash)
    response = _send(site.test_client(), SERVICE, **{"item-ds11": (ds11, "ds11.pdf"),
                                                     "everything": [(DOCX, "letter.docx")]})
    assert response.status_code == 500
    with site.app_context():
        assert db.session.query(Submission).count() == 0 and db.session.query(SubmissionFile).count() == 0
    assert stored_blobs(site) == [] and [r["code"] for r in refusals(site)] == ["file.not_pdf"]
