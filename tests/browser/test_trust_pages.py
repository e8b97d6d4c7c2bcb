"""The pages that say who runs the site, in a real browser: privacy, accessibility and contact
with the official banner, in English and Spanish, on a phone and a desktop screen, with axe-core
finding nothing and every footer link reached with the keyboard and visibly focused. Then a
shared computer: the session cookie ends with the browser, and "Forget this device" closes the
result until the reference code is typed again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import shared_corpus
from tests.browser.conftest import serving
from tests.browser.test_journey import _accessible

AGENCY = {"AGENCY_NAME": "Springfield County", "AGENCY_CONTACT_EMAIL": "help@springfield.example",
          "AGENCY_CONTACT_PHONE": "555-0100", "AGENCY_CONTACT_URL": "https://springfield.example/help",
          "OFFICIAL_BANNER": True}
WORDS = {
    "en": {"banner": "An official website of Springfield County",
           "links": ["Privacy", "Accessibility", "Contact"], "h1": ["Privacy", "Accessibility", "Contact"]},
    "es": {"banner": "Un sitio web oficial de Springfield County",
           "links": ["Privacidad", "Accesibilidad", "Contacto"], "h1": ["Privacidad", "Accesibilidad", "Contacto"]},
}
PAGES = ["/privacy", "/accessibility", "/contact"]


@pytest.fixture
def agency_server(tmp_path: Path) -> Iterator[str]:
    with serving(tmp_path, **AGENCY) as (address, _app):
        yield address


def _tab_to(page: Any, text: str, presses: int = 60) -> None:
    """Press Tab until the focused element reads ``text``; fail if it never does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    pytest.fail(f"the keyboard never reached {text!r}")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_trust_pages_and_the_banner_are_accessible_and_the_footer_is_reached_by_keyboard(
        browser: Any, agency_server: str, lang: str, width: int) -> None:
    words = WORDS[lang]
    context = browser.new_context(viewport={"width": width, "height": 800}, locale=lang)
    page = context.new_page()
    for path, heading in zip(PAGES, words["h1"], strict=True):
        page.goto(f"{agency_server}{path}?lang={lang}")
        assert page.locator("h1").inner_text() == heading
        assert page.locator(".official-banner").inner_text().strip() == words["banner"]
        _accessible(page, f"trust-{lang}-{width}{path.replace('/', '-')}")
        page.locator("body").focus()
        page.evaluate("document.activeElement.blur()")
        for link in words["links"]:
            _tab_to(page, link)
            focused = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return {inFooter: !!document.activeElement.closest('footer'), shadow: s.boxShadow,
                        outline: s.outlineStyle}; }""")
            assert focused["inFooter"] and (focused["shadow"] != "none" or focused["outline"] != "none"), focused
    assert "help@springfield.example" in page.locator("main").inner_text()
    context.close()


def test_a_shared_computer_forgets_the_check_when_asked(browser: Any, agency_server: str, corpus: Path,
                                                         filled: Callable[..., bytes], tmp_path: Path) -> None:
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT))
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="es")
    page = context.new_page()
    page.goto(f"{agency_server}/s/passport-first-time?lang=es")
    page.locator("#item-ds11").set_input_files(str(ds11))
    page.locator("#shared_device").check()
    page.get_by_role("button", name="Revisar mis archivos").click()
    page.wait_for_url("**/r/*")
    result = page.url
    cookies = {c["name"]: c for c in context.cookies()}
    assert "intake_lang" not in cookies and cookies["session"]["expires"] == -1
    assert page.locator("html").get_attribute("lang") == "es"
    _accessible(page, "shared-es-360-result")
    page.locator("form.forget-device button").click()
    page.wait_for_url("**/forgotten")
    _accessible(page, "shared-es-360-forgotten")
    assert page.locator("form.forget-device").count() == 0
    page.goto(result)
    assert "/r?reference=" in page.url and page.locator("#reference").input_value()
    context.close()
