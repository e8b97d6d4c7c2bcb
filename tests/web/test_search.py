"""The home page's search, and the API's ``q``: common names, form numbers and Spanish words find
the service, without JavaScript (the server hides the rest) and with it (the script asks the API)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from tests.web.pages import Pages

API = "/api/v1"
EXAMPLES = [
    ("SS-5", "social-security-card"), ("SS5", "social-security-card"), ("daycare", "il-child-care"),
    ("guardería", "il-child-care"), ("licence", "ny-driver-licence"), ("license", "ny-driver-licence"),
    ("licencia de conducir", "ny-driver-licence"), ("W9", "w9-vendor"), ("W-9", "w9-vendor"),
    ("w 9", "w9-vendor"), ("name change", "ny-name-change"), ("cambio de nombre", "ny-name-change"),
    ("pasaporte", "passport-first-time"),
]


def _shown(page: BeautifulSoup) -> list[str]:
    return [li["data-service"] for li in page.find(id="services").find_all("li") if not li.has_attr("hidden")]


@pytest.mark.parametrize(("query", "service"), EXAMPLES)
def test_the_home_page_search_finds_the_service_by_its_common_name_or_number(
        pages: Pages, query: str, service: str) -> None:
    page = pages.get(f"/?q={quote(query)}")
    assert service in _shown(page)
    assert page.find(id="q")["value"] == query


def test_a_form_number_shows_only_its_service_and_says_how_many_match(pages: Pages) -> None:
    page = pages.get("/?q=w-9")
    assert _shown(page) == ["w9-vendor"]
    status = page.find(id="search-status")
    assert status["role"] == "status" and status.get_text(strip=True) == "1 service matches “w-9”."
    several = pages.get("/?q=name+change").find(id="search-status").get_text(strip=True)
    assert several.endswith("services match “name change”.") and several[0].isdigit()


def test_the_services_a_search_does_not_find_are_hidden_not_dropped(pages: Pages) -> None:
    everything = pages.get("/")
    page = pages.get("/?q=SS5")
    assert len(page.find(id="services").find_all("li")) == len(_shown(everything)) > 1
    assert everything.find(id="search-status").get_text(strip=True) == ""


def test_a_search_that_finds_nothing_says_so_and_what_to_try(pages: Pages) -> None:
    page = pages.get("/?q=zzzz")
    assert _shown(page) == []
    assert page.find(id="search-status").get_text(strip=True) == (
        "No service matches “zzzz”. Try another word.")


def test_the_spanish_page_finds_english_words_and_speaks_spanish(pages: Pages) -> None:
    page = pages.get("/?q=daycare&lang=es")
    assert _shown(page) == ["il-child-care"]
    assert page.html["lang"] == "es"


def test_the_page_loads_the_live_search_script_and_points_it_at_the_api(pages: Pages) -> None:
    page = pages.get("/")
    assert page.find("script", src="/static/search.js") is not None
    form = page.find("form", role="search")
    assert form["data-live-search"] == f"{API}/services" and form["method"] == "get"
    assert "{n}" in form["data-many"] and "{query}" in form["data-none"]


def test_the_api_list_of_services_takes_the_same_search(client: FlaskClient) -> None:
    for query, service in EXAMPLES:
        body = client.get(f"{API}/services", query_string={"q": query}).get_json()
        assert service in [s["id"] for s in body["services"]], query
    assert [s["id"] for s in client.get(f"{API}/services?q=SS-5&lang=es").get_json()["services"]] == [
        "social-security-card"]
    assert len(client.get(f"{API}/services").get_json()["services"]) > 1
    assert client.get(f"{API}/services", query_string={"q": "x" * 201}).status_code == 422
