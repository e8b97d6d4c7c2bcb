"""A service sent by mail (``visit.mode: mail``) never speaks of a visit: not in the report's
messages, the result page's tags, the page of a check that failed, nor the clerk's pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from tests import pdfs
from tests.pdfs import scanned_pdf
from tests.web.clerks import PASSWORD, cli, sign_in
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web.models import Notification, Submission, db

VISIT_WORDS = re.compile(r"\b(visit|visits|visita|visitas|cita|citas)\b", re.IGNORECASE)


def _upload(client: FlaskClient, files: dict[str, tuple[bytes, str]], lang: str, key: str,
            service: str = "w9-vendor") -> str:
    data = upload_data(**{f"item-{item}": file for item, file in files.items()}) | {"client_key": key}
    response = post_files(client, f"/s/{service}?lang={lang}", data)
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


SENDS_TO_A_VISIT = re.compile(
    r"\b(visits?|visiting|in person|bring|brings|bringing|visitas?|citas?|en persona|tr[aá]ig[ao]\w*|ll[eé]ve\w*)\b",
    re.IGNORECASE)
"""What a page of a service sent by mail must never say. "Office" stays: the papers are sent to one."""


def _bill(text: str) -> bytes:
    return pdfs.text_pdf([f"Billing date 11/01/2026 service address {text}"])


def _locked() -> bytes:
    return pdfs.FormBuilder().add_text("Name", "Ana").encrypt("secret", "owner").build()


def _first(client: FlaskClient, service: str, item: str, lang: str = "en") -> str:
    response = post_files(client, f"/s/{service}?lang={lang}",
                          upload_data(**{f"item-{item}": (_bill("a"), "a.pdf")}) | {"client_key": f"{service}-{lang}"})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return str(response.headers["Location"]).rsplit("/", 1)[-1]


@pytest.mark.parametrize(("service", "said"), [
    ("il-child-care", "or send the rest by mail with your application."),
    ("passport-first-time", "or bring the rest to your visit."),
])
def test_a_submission_past_its_file_limit_says_where_the_rest_goes_by_the_services_mode(
        another_app: Callable[..., Flask], service: str, said: str) -> None:
    client = another_app(MAX_SUBMISSION_FILES=1).test_client()
    reference = _first(client, service, "proof_of_address")
    more = post_files(client, f"/r/{reference}/files", upload_data(**{"item-proof_of_address": (_bill("b"), "b.pdf")}))
    assert more.status_code == 422
    page = BeautifulSoup(more.get_data(as_text=True), "html.parser")
    refused = " ".join(e.get_text(" ", strip=True) for e in page.select(".error-summary li"))
    assert "can have up to 1" in refused and said in refused
    if service == "il-child-care":
        assert not SENDS_TO_A_VISIT.search(page.get_text(" "))


def _after_upload(client: FlaskClient, reference: str, item: str, file: tuple[bytes, str], lang: str = "en") -> str:
    """The words of the page the citizen reads after adding a file: the result, or the refusal."""
    response = post_files(client, f"/r/{reference}/files?lang={lang}", upload_data(**{f"item-{item}": file}))
    if response.status_code == 303:
        response = client.get(response.headers["Location"])
    assert response.status_code in (200, 422), response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ")


def test_a_locked_file_for_il_child_care_asks_for_a_printed_copy_with_the_papers_and_a_visit_service_at_the_office(
        client: FlaskClient) -> None:
    for service, said in (("il-child-care", "or send a printed copy with your papers"),
                          ("passport-first-time", "or bring a printed copy to the office")):
        reference = _first(client, service, "proof_of_address")
        words = " ".join(_after_upload(client, reference, "proof_of_address", (_locked(), "l.pdf")).split())
        assert said in words, service


def _upload_il(client: FlaskClient, lang: str) -> str:
    """An il-child-care packet whose application and proof of address are scans: both to be sent on paper."""
    scans = {"ccap": (scanned_pdf(), "application.pdf"), "proof_of_address": (scanned_pdf(), "bill.pdf")}
    return _upload(client, scans, lang, f"il-{lang}", service="il-child-care")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_and_message_of_il_child_care_speaks_of_sending_never_of_a_visit(
        app: Flask, client: FlaskClient, pages: Pages, lang: str) -> None:
    from web import notify
    from web.clerk.work import work_item
    from web.decisions import TOLD

    reference = _upload_il(client, lang)
    said = {"page after a locked file": _after_upload(client, reference, "proof_of_work", (_locked(), "locked.pdf"),
                                                       lang)}
    empty = client.post(f"/r/{reference}/contact?lang={lang}", data={"email": ""})
    assert empty.status_code == 422
    said["contact form left empty"] = BeautifulSoup(empty.get_data(as_text=True), "html.parser").get_text(" ")
    said["service page"] = pages.get(f"/s/il-child-care?lang={lang}").get_text(" ")
    for status in ("new", *TOLD):
        with app.app_context():
            submission = db.session.query(Submission).filter_by(reference=reference).one()
            work_item(submission).status = status
            db.session.commit()
            for kind in ("request", "decision"):
                sent = notify.render(Notification(submission_id=submission.id, kind=kind, lang=lang,
                                                  recipient="ana@example.com"))
                said[f"{kind} email when {status}"] = " ".join((sent.email.subject, sent.email.text, sent.short,
                                                                BeautifulSoup(sent.email.html, "html.parser")
                                                                .get_text(" ")))
        said[f"result page when {status}"] = pages.get(f"/r/{reference}?lang={lang}").get_text(" ")
        said[f"list to send when {status}"] = pages.get(f"/r/{reference}/bring?lang={lang}").get_text(" ")
        said[f"text list when {status}"] = client.get(f"/r/{reference}/bring.txt?lang={lang}").get_data(as_text=True)
    wrong = {where: SENDS_TO_A_VISIT.findall(words) for where, words in said.items() if SENDS_TO_A_VISIT.search(words)}
    assert not wrong, wrong
    if lang == "en":
        assert "Send these" in said["list to send when ready"]
        assert "The office says your papers are ready to send" in said["result page when ready"]


@pytest.fixture
def mixed_clerk(app: Flask) -> FlaskClient:
    """A clerk of one service sent by mail (w9-vendor) and one visited (passport-first-time)."""
    assert cli(app, "users", "create", "mix@example.gov", "--name", "Mix", "--role", "clerk",
               "--password", PASSWORD).exit_code == 0
    for service in ("w9-vendor", "passport-first-time"):
        assert cli(app, "users", "grant", "mix@example.gov", service).exit_code == 0
    return sign_in(app, "mix@example.gov")


def _ready_labels(page: BeautifulSoup) -> tuple[str, list[str]]:
    """The queue's name for "ready" in its status filter, and the counts' names (one each)."""
    option = page.select_one('select#status option[value="ready"]')
    assert option is not None
    counts = [a.get_text(strip=True).rsplit(":", 1)[0] for a in page.select("ul.counts a")
              if "status=ready" in a["href"]]
    return option.get_text(strip=True), counts


def test_a_queue_of_mail_and_visit_services_names_ready_for_both_and_each_row_for_its_own_service(
        client: FlaskClient, mixed_clerk: FlaskClient) -> None:
    reference = _scans(client)
    assert mixed_clerk.post(f"/clerk/s/{reference}/claim").status_code in (302, 303)
    assert mixed_clerk.post(f"/clerk/s/{reference}/status", data={"to": "ready"}).status_code in (302, 303)
    clerk = Pages(mixed_clerk)
    mixed = clerk.get("/clerk")
    assert _ready_labels(mixed) == ("ready for visit or to send", ["ready for visit or to send"])
    (row,) = [tr for tr in mixed.select("table.queue tbody tr") if "w9-vendor" in tr.get_text()]
    assert row.find_all("td")[2].get_text(strip=True) == "ready to send"
    assert _ready_labels(clerk.get("/clerk?service=w9-vendor")) == ("ready to send", ["ready to send"])
    assert _ready_labels(clerk.get("/clerk?service=passport-first-time")) == ("ready for visit", ["ready for visit"])


@pytest.mark.usefixtures("w9_clerks")
def test_a_queue_of_services_sent_by_mail_only_says_ready_to_send(app: Flask) -> None:
    page = Pages(sign_in(app, "wen@example.gov")).get("/clerk")
    assert _ready_labels(page) == ("ready to send", ["ready to send"])


def _catalogue_of(folder: Path, *service_ids: str) -> Path:
    """A schemas folder holding only these shipped services (and the shared document kinds)."""
    import shutil

    shipped = Path(__file__).resolve().parents[2] / "schemas"
    folder.mkdir()
    for name in ("kinds", *service_ids):
        shutil.copy(shipped / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_home_and_privacy_pages_of_services_sent_by_mail_never_speak_of_a_visit(
        another_app: Callable[..., Flask], tmp_path: Path, lang: str) -> None:
    mailed = another_app(SCHEMAS=str(_catalogue_of(tmp_path / "mail", "w9-vendor", "il-child-care")))
    pages = Pages(mailed.test_client())
    for url in ("/", "/privacy"):
        page = pages.get(f"{url}?lang={lang}")
        assert not VISIT_WORDS.search(page.get_text(" ")), url
    home = pages.get(f"/?lang={lang}")
    assert home.h1.get_text(strip=True) == {"en": "Check your paperwork before you send it",
                                            "es": "Revise sus documentos antes de enviarlos"}[lang]


def test_the_home_page_speaks_of_a_visit_only_where_every_service_is_visited(
        app: Flask, another_app: Callable[..., Flask], tmp_path: Path) -> None:
    visited = another_app(SCHEMAS=str(_catalogue_of(tmp_path / "visit", "passport-first-time")))
    assert Pages(visited.test_client()).get("/").h1.get_text(strip=True) == "Check your paperwork before your visit"
    both = Pages(app.test_client()).get("/")
    assert both.h1.get_text(strip=True) == "Check your paperwork before you go or send it"
    assert "what papers it needs" in both.select_one(".lead").get_text()
