"""The whole loop between clerk and citizen in a real browser, with real email: the citizen
uploads and leaves an address, the clerk asks for a document, the email with the request
arrives, the citizen uploads it, the request clears on the clerk's timeline, the clerk marks
the packet ready, and the citizen's page and a second email say so. Then the same with a
rejection. axe-core checks each new or changed page at 1280 px and 360 px, in English and
Spanish."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests import shared_corpus, smtpserver
from tests.browser.conftest import OUTPUT, STAFF_PASSWORD, serving

CITIZEN = "maria.lopez@example.com"


@pytest.fixture
def mailing_server(tmp_path: Path) -> Iterator[tuple[str, Any, smtpserver.SmtpServer]]:
    """The real app on a free port with a clerk of the passport service and a real SMTP server."""
    reason = smtpserver.available()
    if reason:
        pytest.skip(reason)
    with smtpserver.running() as mail, serving(
            tmp_path, (("ana@example.gov", "clerk"), ("sup@example.gov", "supervisor")),
            SMTP_URL=mail.url, MAIL_FROM="passports@example.gov") as (address, app):
        yield address, app, mail


def _accessible(page: Any, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"loop-{name}.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways ({width}px)"


def _every_size_and_language(browser: Any, url: str, name: str, storage: Any) -> None:
    for width, height in ((1280, 900), (360, 780)):
        context = browser.new_context(viewport={"width": width, "height": height}, storage_state=storage)
        page = context.new_page()
        for lang in ("en", "es"):
            page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
            _accessible(page, f"{name}-{width}-{lang}")
        context.close()


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and message.get_body(preferencelist=("html",)) is not None
    return str(body.get_content())


def _clerk(browser: Any, server: str, email: str = "ana@example.gov") -> Any:
    office = browser.new_context(viewport={"width": 1280, "height": 900})
    clerk = office.new_page()
    clerk.goto(f"{server}/clerk/sign-in")
    clerk.locator("#email").fill(email)
    clerk.locator("#password").fill(STAFF_PASSWORD)
    clerk.get_by_role("button", name="Sign in").click()
    clerk.wait_for_url("**/clerk")
    return clerk


def _upload_with_email(browser: Any, server: str, ds11: Path) -> tuple[Any, str, str]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/s/passport-first-time")
    page.locator("#item-ds11").set_input_files(str(ds11))
    page.locator("#email").fill(CITIZEN)
    page.locator("#consent").check()
    page.get_by_role("button", name="Check my files").click()
    page.wait_for_url("**/r/*")
    return page, page.locator(".status .reference").inner_text(), page.url


def _open(clerk: Any, server: str, reference: str) -> None:
    clerk.goto(f"{server}/clerk")
    clerk.get_by_role("link", name=reference).click()
    clerk.wait_for_url("**/clerk/s/*")
    clerk.get_by_role("button", name="Claim").click()
    clerk.wait_for_selector("button:has-text('Release')")
    clerk.locator("#to-in_review").check()
    clerk.get_by_role("button", name="Change status").click()
    clerk.wait_for_selector("text=in review")


def test_a_request_and_the_ready_decision_reach_the_citizen_by_page_and_email(
        browser: Any, mailing_server: tuple[str, Any, smtpserver.SmtpServer], corpus: Path,
        filled: Callable[..., bytes], tmp_path: Path) -> None:
    server, _app, mail = mailing_server
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT))
    synthetic = corpus / "supporting" / "synthetic"
    at_home, reference, result_url = _upload_with_email(browser, server, ds11)

    clerk = _clerk(browser, server)
    _open(clerk, server, reference)
    for item in ("citizenship", "photo_id", "proof_of_address"):
        clerk.locator(f"#ask-{item}").check()
    clerk.locator("#request-note").fill("Please add your birth certificate, an ID and a recent bill.")
    clerk.get_by_role("button", name="Request documents").click()
    clerk.wait_for_selector("text=needs documents")
    [asked] = mail.wait_for(1)
    assert asked["To"] == CITIZEN and "Proof of U.S. citizenship" in _text(asked)
    assert "Please add your birth certificate" in _text(asked)

    at_home.goto(result_url)
    assert at_home.locator("h1").inner_text() == "The office asked you for more documents"
    assert "Asked by Ana on" in at_home.locator("main").inner_text()
    _every_size_and_language(browser, result_url, "asked", at_home.context.storage_state())
    at_home.locator("#item-citizenship").set_input_files(str(synthetic / "birth_certificate_scan.pdf"))
    at_home.locator("#item-photo_id").set_input_files(str(synthetic / "state_id_front_photo.jpg"))
    at_home.locator("#item-proof_of_address").set_input_files(str(synthetic / "utility_bill_1.pdf"))
    at_home.get_by_role("button", name="Check again").click()
    at_home.wait_for_selector("text=has received")

    clerk.reload()
    timeline = clerk.locator("ol.timeline").inner_text()
    assert "Request fulfilled" in timeline and "new since the request" in timeline and "Email sent" in timeline
    assert "fulfilled on" in clerk.locator("ul.requests").inner_text()
    _every_size_and_language(browser, clerk.url, "clerk-timeline", clerk.context.storage_state())
    clerk.locator("#to-ready").check()
    clerk.get_by_role("button", name="Change status").click()
    clerk.wait_for_selector("strong:has-text('ready')")

    at_home.goto(result_url)
    assert at_home.locator("h1").inner_text() == "The office says you are ready for your visit"
    assert "Springfield Passport Acceptance Facility" in at_home.locator("section.decision").inner_text()
    ready = mail.wait_for(2)[1]
    assert "The office says you are ready for your visit" in _text(ready)
    _every_size_and_language(browser, result_url, "ready", at_home.context.storage_state())
    _every_size_and_language(browser, result_url.rstrip("/") + "/bring", "ready-bring",
                             at_home.context.storage_state())
    _every_size_and_language(browser, f"{server}/s/passport-first-time", "upload-form", None)
    supervisor = _clerk(browser, server, "sup@example.gov")
    for path, name in (("/clerk", "queue"), ("/clerk/stats?service=passport-first-time", "stats")):
        _every_size_and_language(browser, f"{server}{path}", name, supervisor.context.storage_state())


def test_a_rejection_reaches_the_citizen_with_its_reason_by_page_and_email(
        browser: Any, mailing_server: tuple[str, Any, smtpserver.SmtpServer], filled: Callable[..., bytes],
        tmp_path: Path) -> None:
    server, _app, mail = mailing_server
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT))
    at_home, reference, result_url = _upload_with_email(browser, server, ds11)
    clerk = _clerk(browser, server)
    _open(clerk, server, reference)
    clerk.locator("#to-rejected").check()
    clerk.locator("#reason").fill("This is the form for a first passport; you need the renewal form DS-82.")
    clerk.get_by_role("button", name="Change status").click()
    clerk.wait_for_selector("strong:has-text('rejected')")
    assert "renewal form DS-82" in clerk.locator("main").inner_text()

    at_home.goto(result_url)
    assert at_home.locator("h1").inner_text() == "The office could not accept your application"
    assert "renewal form DS-82" in at_home.locator("section.decision").inner_text()
    [rejected] = mail.wait_for(1)
    assert "renewal form DS-82" in _text(rejected) and "could not accept" in _text(rejected)
    _every_size_and_language(browser, result_url, "rejected", at_home.context.storage_state())
