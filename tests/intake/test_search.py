"""``intake.search``: finding a service by the words people type, in either language."""

from __future__ import annotations

from pathlib import Path

import pytest

import intake
from intake import search
from intake.services import SearchWords, Service
from intake.words import Words

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@pytest.fixture(scope="module")
def shipped() -> list[Service]:
    return [intake.load_service(p) for p in sorted(SCHEMAS.glob("*.yaml")) if p.name != "kinds.yaml"]


def _ids(services: list[Service], query: str) -> list[str]:
    return [s.id for s in search.search(services, query)]


def test_a_form_number_is_one_word_with_or_without_its_dash_or_space() -> None:
    assert search.normalise("Form W-9") == "form w9"
    assert search.normalise("w 9") == search.normalise("W9") == search.normalise("w-9") == "w9"
    assert search.normalise("SS-5 and DS.11") == "ss5 and ds11"
    assert search.normalise("Guardería") == "guarderia"


@pytest.mark.parametrize(("query", "service"), [
    ("W9", "w9-vendor"), ("W-9", "w9-vendor"), ("w 9", "w9-vendor"), ("how do I get a W9 form", "w9-vendor"),
    ("SS-5", "social-security-card"), ("SS5", "social-security-card"), ("ss 5", "social-security-card"),
    ("daycare", "il-child-care"), ("guardería", "il-child-care"), ("GUARDERIA", "il-child-care"),
    ("licence", "ny-driver-licence"), ("license", "ny-driver-licence"), ("licenses", "ny-driver-licence"),
    ("licencia de conducir", "ny-driver-licence"), ("pasaporte", "passport-first-time"),
    ("DS11", "passport-first-time"), ("name change", "ny-name-change"), ("cambio de nombre", "ny-name-change"),
])
def test_each_common_name_and_number_finds_its_service(shipped: list[Service], query: str, service: str) -> None:
    assert service in _ids(shipped, query)


def test_a_form_number_finds_only_its_own_service(shipped: list[Service]) -> None:
    assert _ids(shipped, "w-9") == ["w9-vendor"]
    assert _ids(shipped, "SS5") == ["social-security-card"]


def test_every_word_must_match_and_an_empty_query_finds_all(shipped: list[Service]) -> None:
    assert _ids(shipped, "passport daycare") == []
    assert _ids(shipped, "zzzz") == []
    assert _ids(shipped, "  ") == [s.id for s in shipped]


def test_the_search_words_of_the_file_are_searched_in_both_languages() -> None:
    service = Service(id="bike-permit", version="1", title=Words("Park a bike", "Estacionar una bicicleta"),
                      search=SearchWords(en=("cycle rack",), es=("aparcabicis",)))
    assert search.matches(service, "Cycle rack") and search.matches(service, "aparcabicis")
    assert search.matches(service, "bicicletas"), "a plural finds the singular"
    assert not search.matches(service, "car")
