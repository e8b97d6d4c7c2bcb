"""Upload feedback in a real browser: a refused file among good ones keeps the rest, the
browser's own size check says so with focus on the message, an error-summary link moves
focus to the input it names, and the result is a task list with status tags — on a phone and
a desktop, in English and Spanish, with the keyboard alone and with JavaScript off. axe-core
checks each page on the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import shared_corpus
from tests.browser.test_journey import WORDS, _accessible

DS11, PERSON = shared_corpus.DS11, shared_corpus.DS11_APPLICANT
SERVICE = "/s/passport-first-time"


@pytest.fixture
def packet(tmp_path: Path, filled: Callable[..., bytes]) -> dict[str, Path]:
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(DS11, **PERSON))
    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 20)
    return {"ds11": ds11, "letter": letter}


@pytest.mark.parametrize("lang, width, script", [("en", 1280, False), ("es", 360, True)])
def test_a_refused_file_among_good_ones_keeps_the_rest_and_the_result_is_a_task_list(
        browser: Any, live_server: str, packet: dict[str, Path], lang: str, width: int, script: bool) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang,
                                  java_script_enabled=script, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(live_server + SERVICE)
    assert page.locator("html").get_attribute("lang") == lang
    page.locator("#item-ds11").set_input_files(str(packet["ds11"]))
    page.locator("#everything").set_input_files(str(packet["letter"]))
    if script:  # the server's own refusal, as a browser without the type check would meet it
        page.evaluate("document.querySelector('form.upload').removeAttribute('data-wrong-type')")
    page.get_by_role("button", name=WORDS[lang]["check"]).click()
    page.wait_for_url("**/r/*")
    page.wait_for_selector(".task-list")
    assert "letter.docx" in page.locator("section.refused").inner_text()
    assert page.locator("#task-form-ds11 .task-head .tag").get_attribute("class") == "tag tag-done"
    assert page.locator("#task-document-photo_id .task-head .tag").get_attribute("class") == "tag tag-missing"
    if lang == "en":
        assert page.locator("#task-form-ds11 .task-head .tag").inner_text() == "Done"
        assert "letter.docx is not a PDF, JPEG, PNG or HEIC file" in page.locator("section.refused").inner_text()
    if script:  # axe runs as a script in the page
        _accessible(page, f"{lang}-{width}-result-refused-file")
    context.close()


@pytest.mark.parametrize("lang, width", [("en", 360), ("es", 1280)])
def test_the_size_check_in_the_browser_takes_focus_and_its_link_moves_focus_to_the_input(
        browser: Any, live_server: str, tmp_path: Path, lang: str, width: int) -> None:
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024))
    context = browser.new_context(viewport={"width": width, "height": 800}, locale=lang,
                                  extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(live_server + SERVICE)
    page.locator("#item-proof_of_address").set_input_files(str(big))
    page.locator("#zip").fill("62704")
    page.locator("#zip").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".size-error")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    said = page.locator(".size-error").inner_text()
    assert "scan.pdf" in said and "20 MB" in said
    assert page.url.endswith(SERVICE) and page.locator("#zip").input_value() == "62704"
    _accessible(page, f"{lang}-{width}-size-check")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#item-proof_of_address"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "item-proof_of_address"
    context.close()


def test_the_server_error_summary_link_moves_focus_to_the_input_and_the_lookup_page_is_accessible(
        browser: Any, live_server: str, packet: dict[str, Path]) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server + SERVICE)
    page.locator("#everything").set_input_files(str(packet["ds11"]))
    page.evaluate("document.getElementById('everything').removeAttribute('accept')")
    page.locator("#everything").set_input_files(str(packet["letter"]))
    page.evaluate("document.querySelector('form.upload').removeAttribute('data-wrong-type')")
    page.get_by_role("button", name=WORDS["en"]["check"]).click()
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    _accessible(page, "en-360-every-file-refused")
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "everything"
    page.goto(live_server + "/r")
    _accessible(page, "en-360-lookup")
    context.close()
