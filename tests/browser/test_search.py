"""Typing in the home page's search on a phone: the list filters as the person types, the status
line says how many services match (read out politely), and the page passes axe-core; without
JavaScript the same search goes to the server."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_journey import _accessible

expect = pytest.importorskip("playwright.sync_api").expect


def _shown(page: Any) -> list[str]:
    return page.eval_on_selector_all("#services li:not([hidden])", "items => items.map(i => i.dataset.service)")


def test_typing_a_form_number_filters_the_list_and_says_how_many_match(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="en")
    page = context.new_page()
    page.goto(f"{live_server}/")
    everything = _shown(page)
    assert len(everything) > 2
    search = page.get_by_role("searchbox", name="Search for a service")
    search.press_sequentially("w 9", delay=60)
    expect(page.locator("#search-status")).to_contain_text("w 9")
    assert _shown(page) == ["w9-vendor"]
    assert page.locator("#search-status").inner_text() == "1 service matches “w 9”."
    assert page.locator("#search-status").get_attribute("role") == "status"
    assert page.url.endswith("/?q=w%209")
    _accessible(page, "en-360-search-typed")

    search.fill("")
    search.press_sequentially("zzzz", delay=30)
    expect(page.locator("#search-status")).to_contain_text("No service matches")
    assert _shown(page) == []
    _accessible(page, "en-360-search-nothing")

    search.fill("")
    search.press("Backspace")
    expect(page.locator("#services li:not([hidden])")).to_have_count(len(everything))
    expect(page.locator("#search-status")).to_have_text("")
    context.close()


def test_spanish_words_filter_the_spanish_page(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="es")
    page = context.new_page()
    page.goto(f"{live_server}/?lang=es")
    page.locator("#q").press_sequentially("guardería", delay=40)
    expect(page.locator("#search-status")).to_contain_text("guardería")
    assert _shown(page) == ["il-child-care"]
    _accessible(page, "es-360-search-typed")
    context.close()


def test_without_javascript_the_search_goes_to_the_server(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/")
    page.locator("#q").fill("SS5")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/?q=SS5")
    assert _shown(page) == ["social-security-card"]
    assert page.locator("#search-status").inner_text() == "1 service matches “SS5”."
    context.close()
