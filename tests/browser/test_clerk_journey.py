"""A clerk works a submission in a real browser (Debian's Chromium driven by Playwright): from
the queue to the detail page, claims it, asks the citizen for what is missing, sees the
citizen's new files pass, and marks it ready for the visit; a supervisor then reads the audit
log and the statistics. axe-core checks every clerk page on the way, on a desktop screen and
on a phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests import shared_corpus
from tests.browser.conftest import OUTPUT, STAFF_PASSWORD


def _accessible(page: Any, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"clerk-{name}.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways ({width}px)"


def _sign_in(page: Any, server: str, email: str) -> None:
    page.goto(f"{server}/clerk/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/clerk")


def test_a_clerk_takes_a_submission_from_the_queue_to_ready_for_the_visit(
        browser: Any, staffed_server: tuple[str, Any], corpus: Path, filled: Callable[..., bytes],
        tmp_path: Path) -> None:
    server, _app = staffed_server
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT))
    synthetic = corpus / "supporting" / "synthetic"

    citizen = browser.new_context(viewport={"width": 1280, "height": 900})
    at_home = citizen.new_page()
    at_home.goto(f"{server}/s/passport-first-time")
    at_home.locator("#item-ds11").set_input_files(str(ds11))
    at_home.get_by_role("button", name="Check my files").click()
    at_home.wait_for_url("**/r/*")
    reference = at_home.locator(".status .reference").inner_text()
    result_url = at_home.url

    office = browser.new_context(viewport={"width": 1280, "height": 900})
    clerk = office.new_page()
    _sign_in(clerk, server, "ana@example.gov")
    assert reference in clerk.locator("table.queue").inner_text()
    _accessible(clerk, "queue")
    clerk.get_by_role("link", name=reference).click()
    clerk.wait_for_url("**/clerk/s/*")
    clerk.get_by_role("button", name="Claim").click()
    clerk.wait_for_selector("button:has-text('Release')")
    picture = clerk.locator(".page-image img").first
    picture.scroll_into_view_if_needed()
    assert picture.evaluate("img => img.decode().then(() => img.naturalWidth)") > 600, "the page picture loads"
    _accessible(clerk, "detail")
    clerk.locator("#to-in_review").check()
    clerk.get_by_role("button", name="Change status").click()
    clerk.wait_for_selector("text=in review")
    for item in ("citizenship", "photo_id", "proof_of_address"):
        clerk.locator(f"#ask-{item}").check()
    clerk.locator("#request-note").fill("Please add your birth certificate, an ID and a recent bill.")
    clerk.get_by_role("button", name="Request documents").click()
    clerk.wait_for_selector("text=needs documents")
    assert "Proof of U.S. citizenship" in clerk.locator("ul.missing").inner_text()

    at_home.goto(result_url)
    assert "The office asked you for" in at_home.content()
    at_home.locator("#item-citizenship").set_input_files(str(synthetic / "birth_certificate_scan.pdf"))
    at_home.locator("#item-photo_id").set_input_files(str(synthetic / "state_id_front_photo.jpg"))
    at_home.locator("#item-proof_of_address").set_input_files(str(synthetic / "utility_bill_1.pdf"))
    at_home.get_by_role("button", name="Check again").click()
    at_home.wait_for_selector("h1:has-text('Ready for your visit')")
    citizen.close()

    clerk.reload()
    assert "Check: complete" in clerk.locator("main").inner_text()
    clerk.locator("#to-ready").check()
    clerk.get_by_role("button", name="Change status").click()
    clerk.wait_for_selector("strong:has-text('ready')")
    _accessible(clerk, "detail-ready")
    clerk.goto(f"{server}/clerk?status=ready")
    assert reference in clerk.locator("table.queue").inner_text()
    office.close()

    oversight = browser.new_context(viewport={"width": 1280, "height": 900})
    supervisor = oversight.new_page()
    _sign_in(supervisor, server, "sup@example.gov")
    supervisor.get_by_role("link", name="Audit log").click()
    supervisor.wait_for_url("**/clerk/audit")
    assert "request documents" in supervisor.locator("table.audit-log").inner_text()
    _accessible(supervisor, "audit")
    supervisor.get_by_role("link", name="Statistics").click()
    supervisor.wait_for_url("**/clerk/stats")
    assert "Median time from first upload to ready for visit" in supervisor.locator("main").inner_text()
    _accessible(supervisor, "stats")
    oversight.close()

    phone = browser.new_context(viewport={"width": 360, "height": 780})
    small = phone.new_page()
    _sign_in(small, server, "sup@example.gov")
    _accessible(small, "phone-queue")
    small.goto(f"{server}/clerk/s/{reference.replace('-', '')}")
    _accessible(small, "phone-detail")
    small.goto(f"{server}/clerk/audit")
    _accessible(small, "phone-audit")
    small.goto(f"{server}/clerk/stats")
    _accessible(small, "phone-stats")
    phone.close()
