"""The whole citizen journey in a real browser (Debian's Chromium driven by Playwright):
pick a service, upload an incomplete packet, read what is missing, come back with the
reference code, add what was missing and reach "Ready for your visit" — in English and
Spanish, on a phone and a desktop screen, with the keyboard alone, and with JavaScript off.
axe-core checks every page on the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import shared_corpus
from tests.browser.conftest import OUTPUT

DS11, PERSON = shared_corpus.DS11, shared_corpus.DS11_APPLICANT
WORDS = {
    "en": {"service": "Apply for your first U.S. passport", "check": "Check my files", "again": "Check again",
           "missing": "Some things are missing", "ready": "Ready for your visit", "continue": "Continue"},
    "es": {"service": "Solicitar su primer pasaporte de EE. UU.", "check": "Revisar mis archivos",
           "again": "Revisar otra vez", "missing": "Faltan algunas cosas", "ready": "Listo para su cita",
           "continue": "Continuar"},
}


def _accessible(page: Any, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways ({width}px)"


def _files(tmp_path: Path, corpus: Path, filled: Callable[..., bytes]) -> dict[str, Path]:
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(DS11, **PERSON))
    synthetic = corpus / "supporting" / "synthetic"
    return {"ds11": ds11, "birth": synthetic / "birth_certificate_scan.pdf",
            "id": synthetic / "state_id_front_photo.jpg", "bill": synthetic / "utility_bill_1.pdf"}


@pytest.mark.parametrize("lang, width", [("en", 1280), ("es", 320)])
def test_the_whole_journey_from_first_upload_to_ready(browser: Any, live_server: str, corpus: Path,
                                                      filled: Callable[..., bytes], tmp_path: Path,
                                                      lang: str, width: int) -> None:
    words = WORDS[lang]
    files = _files(tmp_path, corpus, filled)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    page = context.new_page()
    page.goto(f"{live_server}/?lang={lang}")
    _accessible(page, f"{lang}-{width}-home")
    page.get_by_role("link", name=words["service"]).click()
    _accessible(page, f"{lang}-{width}-checklist")
    page.locator("#item-ds11").set_input_files(str(files["ds11"]))
    page.get_by_role("button", name=words["check"]).click()
    page.wait_for_url("**/r/*")
    assert page.locator("h1").inner_text() == words["missing"]
    _accessible(page, f"{lang}-{width}-result-incomplete")
    reference = page.locator(".status .reference").inner_text()
    context.close()

    again = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
    page = again.new_page()
    page.goto(f"{live_server}/r?lang={lang}")
    _accessible(page, f"{lang}-{width}-lookup")
    page.locator("#reference").fill(reference.lower())
    page.locator("#zip").fill("62704")
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/r/*")
    page.locator("#item-citizenship").set_input_files(str(files["birth"]))
    page.locator("#item-photo_id").set_input_files(str(files["id"]))
    page.locator("#item-proof_of_address").set_input_files(str(files["bill"]))
    page.get_by_role("button", name=words["again"]).click()
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText.length > 0")
    page.wait_for_selector(f"h1:has-text('{words['ready']}')")
    _accessible(page, f"{lang}-{width}-result-ready")
    page.goto(page.url + "/bring")
    _accessible(page, f"{lang}-{width}-bring")
    again.close()


def test_the_journey_works_with_the_keyboard_alone(browser: Any, live_server: str, corpus: Path,
                                                   filled: Callable[..., bytes], tmp_path: Path) -> None:
    files = _files(tmp_path, corpus, filled)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Listening from the start lets the browser hand every file dialog to the test, so a
    # dialog opened by a key press on a busy machine is never missed.
    page.on("filechooser", lambda chooser: chooser.set_files(str(files["ds11"])))
    page.goto(live_server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    link = page.get_by_role("link", name=WORDS["en"]["service"])
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == WORDS["en"]["service"]:
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/s/passport-first-time")
    assert link is not None
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "item-ds11":
            break
    assert page.evaluate("document.activeElement.id") == "item-ds11"
    page.keyboard.press("Space")
    for _ in range(600):
        if page.evaluate("document.getElementById('item-ds11').files.length") == 1:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.getElementById('item-ds11').files.length") == 1
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/r/*")
    assert page.locator("h1").inner_text() == WORDS["en"]["missing"]
    context.close()


def test_the_journey_works_with_javascript_off(browser: Any, live_server: str, corpus: Path,
                                               filled: Callable[..., bytes], tmp_path: Path) -> None:
    files = _files(tmp_path, corpus, filled)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/s/passport-first-time")
    page.locator("#everything").set_input_files([str(files["ds11"]), str(files["bill"])])
    page.get_by_role("button", name=WORDS["en"]["check"]).click()
    page.wait_for_url("**/r/*")
    assert page.locator("h1").inner_text() == WORDS["en"]["missing"]
    assert "Proof of address" in page.content()
    context.close()


def test_error_pages_are_accessible_too(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    for url, name in (("/s/no-such-service", "404"), ("/r?lang=es", "lookup-es"), ("/clerk/sign-in", "sign-in")):
        page.goto(live_server + url)
        _accessible(page, f"page-{name}")
    context.close()


def test_too_many_megabytes_are_caught_before_sending_and_the_form_keeps_what_was_typed(
        browser: Any, live_server: str, tmp_path: Path) -> None:
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (61 * 1024 * 1024))
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/s/passport-first-time")
    page.locator("#zip").fill("62704")
    page.locator("#everything").set_input_files(str(big))
    page.get_by_role("button", name=WORDS["en"]["check"]).click()
    assert "bigger than 60 MB" in page.locator(".size-error").inner_text()
    assert page.locator("#zip").input_value() == "62704"
    assert page.url.endswith("/s/passport-first-time")
    context.close()


def test_a_wrong_form_is_named_and_a_fresh_bill_outweighs_a_stale_one(browser: Any, live_server: str,
                                                                       corpus: Path, filled: Callable[..., bytes],
                                                                       tmp_path: Path) -> None:
    files = _files(tmp_path, corpus, filled)
    synthetic = corpus / "supporting" / "synthetic"
    context = browser.new_context(viewport={"width": 360, "height": 900}, locale="en")
    page = context.new_page()
    page.goto(f"{live_server}/?lang=en")
    page.get_by_role("link", name=WORDS["en"]["service"]).click()
    page.locator("#item-ds11").set_input_files(str(corpus / "forms" / "irs_fw9_2024.pdf"))
    page.locator("#item-proof_of_address").set_input_files([str(synthetic / "utility_bill_2.pdf"),
                                                            str(synthetic / "utility_bill_1.pdf")])
    page.get_by_role("button", name=WORDS["en"]["check"]).click()
    page.wait_for_url("**/r/*")
    body = page.locator("main").inner_text()
    assert "This is Form W-9, not Form DS-11" in body
    assert "Fill in the “Last name” box" not in body
    assert "utility_bill_2.pdf: This document is older than 90 days" in body
    assert "We used utility_bill_1.pdf instead" in body
    _accessible(page, "en-360-result-wrong-form")
    page.locator("#item-ds11").set_input_files(str(files["ds11"]))
    page.locator("#replace-ds11").check()
    page.get_by_role("button", name=WORDS["en"]["again"]).click()
    page.wait_for_selector("#changes-title")
    assert "This is Form W-9" in page.locator("section.fixed, ul.fixed").first.inner_text()
    _accessible(page, "en-360-result-right-form")
    context.close()
