"""The printable list on paper (Chromium's print media): the packet's open problems are on it,
and the appointment link prints with its address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests import shared_corpus


def test_the_printed_list_shows_open_problems_and_the_appointment_address(
        browser: Any, live_server: str, filled: Callable[..., bytes], tmp_path: Path) -> None:
    ds11 = tmp_path / "ds11.pdf"
    ds11.write_bytes(filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT))
    page = browser.new_context(viewport={"width": 800, "height": 900}, locale="en").new_page()
    page.goto(f"{live_server}/s/passport-first-time?lang=en")
    page.locator("#item-ds11").set_input_files(str(ds11))
    page.get_by_role("button", name="Check my files").click()
    page.wait_for_selector("h1:has-text('Some things are missing')")
    page.get_by_role("link", name="Printable list to bring").click()
    page.wait_for_selector("h1:has-text('Bring to your visit')")
    address = page.locator(".print-address")
    assert not address.is_visible(), "on screen the link is enough"
    page.emulate_media(media="print")
    assert address.is_visible() and "travel.state.gov" in address.inner_text()
    problems = page.locator("section.open-problems")
    assert problems.is_visible() and "This packet still has problems" in problems.inner_text()
    assert "Proof of U.S. citizenship" in problems.inner_text()
    assert not page.locator(".site-footer").is_visible()
