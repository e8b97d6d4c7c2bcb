"""The result page as a task list: one line per checklist item with its status tag, each
problem once under its item (and its file), a summary at the top that links to each, and a
promise of a ZIP code look-up only when the submission has a ZIP code."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web import references
from web.models import Submission, db

SERVICE = "/s/passport-first-time"
DS11, PERSON = shared_corpus.DS11, shared_corpus.DS11_APPLICANT
SYNTHETIC = Path("supporting") / "synthetic"


def _send(client: FlaskClient, zip_code: str = "", **files: Any) -> Any:
    data = upload_data(**files)
    data["client_key"] = os.urandom(8).hex()
    data["zip"] = zip_code
    return post_files(client, SERVICE, data)


def _reference(app: Flask) -> str:
    with app.app_context():
        submission = db.session.query(Submission).order_by(Submission.id.desc()).first()
        assert submission is not None
        return submission.reference


def _tag(page: BeautifulSoup, task: str) -> str:
    return page.find(id=task).find(class_="task-head").find(class_="tag").get_text(strip=True)


@pytest.fixture
def mixed(app: Flask, client: FlaskClient, corpus: Path, filled: Callable[..., bytes]) -> BeautifulSoup:
    """A packet with a wrong form, an unreadable scan, a stale bill beside a fresh one, no photo ID."""
    bad = filled(DS11, **{**PERSON, "Applicant SSN 1": "912", "Applicant DOB Y": "2031"})
    synthetic = corpus / SYNTHETIC
    response = _send(client, **{
        "item-ds11": (bad, "ds11.pdf"),
        "item-citizenship": ((synthetic / "birth_certificate_scan.pdf").read_bytes(), "birth.pdf"),
        "item-proof_of_address": [((synthetic / "utility_bill_1.pdf").read_bytes(), "bill.pdf"),
                                  ((synthetic / "utility_bill_2.pdf").read_bytes(), "old.pdf")]})
    return Pages(client).follow(response)


def test_each_checklist_item_has_one_line_with_its_status_tag(mixed: BeautifulSoup) -> None:
    assert _tag(mixed, "task-form-ds11") == "Needs fixing"
    scan = mixed.find(id="task-document-citizenship")
    unreadable = scan.find("li", class_="severity-bring_original") is not None  # as the scan reads today
    assert _tag(mixed, "task-document-citizenship") == ("Bring the original" if unreadable else "Done")
    assert _tag(mixed, "task-document-photo_id") == "Missing"
    assert _tag(mixed, "task-document-name_change") == "Not needed"
    assert _tag(mixed, "task-document-proof_of_address") == "Done"
    assert len(mixed.select("ul.task-list > li.task")) == 5


def test_each_problem_is_shown_once_and_the_summary_links_to_its_place(mixed: BeautifulSoup) -> None:
    problems = mixed.select("li.problem")
    assert problems
    text = mixed.get_text(" ")
    for problem in problems:
        message = problem.get_text(" ", strip=True).split(" ", 2)[-1][-60:]
        assert text.count(message) == 1, message
    links = mixed.find(class_="task-summary").find_all("a")
    targets = [mixed.find(id=link["href"][1:]) for link in links]
    assert all(target is not None for target in targets)
    assert {link["href"] for link in links} >= {"#task-document-photo_id", "#fix-1", "#fix-2"}
    assert mixed.find(class_="error-summary") is None


def test_a_warning_is_a_check_this_apart_from_what_must_be_fixed(mixed: BeautifulSoup) -> None:
    warning = mixed.find("li", class_="severity-warning")
    assert warning.find(class_="tag").get_text(strip=True) == "Check this"
    assert "tag-warning" in warning.find(class_="tag")["class"]
    assert "old.pdf:" in warning.find(class_="problem-file").get_text()
    blocking = mixed.find("li", class_="severity-blocks")
    assert blocking.find(class_="tag").get_text(strip=True) == "Fix this"
    summary = mixed.find(class_="task-summary").get_text(" ")
    assert "Check: Proof of address" in summary and "Fix: Form DS-11" in summary


def test_the_headline_is_one_box_with_what_to_do_inside_it(mixed: BeautifulSoup) -> None:
    status = mixed.find(class_="status")
    assert status.find("h1").get_text(strip=True) == "Something needs fixing"
    assert status.find(class_="task-summary") is not None


def test_the_result_page_promises_a_zip_code_look_up_only_when_there_is_a_zip_code(
        app: Flask, corpus: Path) -> None:
    bill = (corpus / SYNTHETIC / "utility_bill_1.pdf").read_bytes()
    with app.test_client() as without_zip:
        page = Pages(without_zip).follow(_send(without_zip, **{"item-proof_of_address": (bill, "bill.pdf")}))
        keep = page.find(class_="keep").get_text(" ", strip=True)
        assert "ZIP code, or" not in keep and "you need the link to come back" in keep
        reference = _reference(app)
        assert keep.count(references.display(reference)) == 1
        assert page.find(class_="keep").find(class_="reference") is not None
    with app.test_client() as stranger:
        tried = stranger.post("/r", data={"reference": references.display(reference), "zip": "62704"})
        assert tried.status_code == 400
    with app.test_client() as with_zip:
        page = Pages(with_zip).follow(_send(with_zip, "62704", **{"item-proof_of_address": (bill, "bill.pdf")}))
        assert "come back with it and your ZIP code" in page.find(class_="keep").get_text(" ", strip=True)
        reference = _reference(app)
    with app.test_client() as returning:
        done = returning.post("/r", data={"reference": references.display(reference), "zip": "62704"})
        assert done.headers["Location"] == f"/r/{reference}"


def test_a_zip_code_read_off_the_form_is_promised_too(client: FlaskClient, filled: Callable[..., bytes]) -> None:
    page = Pages(client).follow(_send(client, **{"item-ds11": (filled(DS11, **PERSON), "ds11.pdf")}))
    assert "come back with it and your ZIP code" in page.find(class_="keep").get_text(" ", strip=True)
