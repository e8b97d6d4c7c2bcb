"""A service sent by mail in a real browser: from the home page to the printable list, the
pages a citizen goes through speak of sending the papers, never of a visit, on a phone and a
desktop, in English and Spanish; axe-core checks each page on the way."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_journey import WORDS, _accessible
from tests.pdfs import scanned_pdf

VISIT_WORDS = re.compile(r"\b(visit|visits|visita|visitas|cita|citas)\b", re.IGNORECASE)
SEND = {"en": "Send these", "es": "Envíe estos documentos"}


@pytest.mark.parametrize("lang, width", [("en", 360), ("es", 1280)])
def test_a_citizen_of_a_service_sent_by_mail_is_told_to_send_the_papers_on_every_page(
        browser: Any, live_server: str, tmp_path: Path, lang: str, width: int) -> None:
    scan = tmp_path / "w9-scan.pdf"
    scan.write_bytes(scanned_pdf())
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang,
                                  extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(live_server + "/s/w9-vendor")
    assert not VISIT_WORDS.search(page.locator("main").inner_text())
    page.locator("#item-w9").set_input_files(str(scan))
    page.get_by_role("button", name=WORDS[lang]["check"]).click()
    page.wait_for_url("**/r/*")
    page.wait_for_selector(".task-list")
    result = page.locator("main").inner_text()
    assert not VISIT_WORDS.search(result), result
    _accessible(page, f"{lang}-{width}-mail-in-result")
    page.goto(page.url.split("?", 1)[0] + "/bring")
    listed = page.locator("main").inner_text()
    assert SEND[lang] in listed and not VISIT_WORDS.search(listed), listed
    _accessible(page, f"{lang}-{width}-mail-in-list")
    context.close()
