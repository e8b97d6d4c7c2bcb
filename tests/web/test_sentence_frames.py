"""The words of the citizen's pages where titles and reasons are fitted into sentences: the
checklist does not repeat an item's title under it, a points rule says where the person stands
in a sentence of its own, and the headline names what the box under it lists."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages

SYNTHETIC = "supporting/synthetic/"


def _submit(client: FlaskClient, service: str, **files: object) -> object:
    data = upload_data(**files)
    data["client_key"] = os.urandom(8).hex()
    return post_files(client, f"/s/{service}", data)


def _item(page: object, title: str) -> str:
    for strong in page.find("ul", class_="checklist").find_all("strong"):  # type: ignore[attr-defined]
        if strong.get_text(strip=True) == title:
            return " ".join(strong.parent.get_text(" ").split())
    raise AssertionError(f"no checklist item {title!r}")


def test_an_item_whose_one_kind_is_its_title_does_not_repeat_it(pages: Pages) -> None:
    page = pages.get("/s/ny-driver-licence")
    birth = _item(page, "Birth certificate (2 points)")
    assert "Any one of" not in birth and "It must be" not in birth


def test_an_item_says_the_one_kind_it_takes_inside_a_sentence(pages: Pages) -> None:
    photo = _item(pages.get("/s/passport-first-time"), "Photo ID (front and back)")
    assert "It must be a driver license or state ID card." in photo and "Any one of" not in photo


def test_an_item_with_a_description_is_not_described_twice(pages: Pages) -> None:
    citizenship = _item(pages.get("/s/passport-first-time"), "Proof of U.S. citizenship")
    assert "Any one of" not in citizenship and "It must be" not in citizenship


def test_alternatives_read_as_one_sentence_in_lower_case(pages: Pages) -> None:
    address = _item(pages.get("/s/passport-first-time"), "Proof of address from the last 90 days")
    assert ("Any one of: a utility bill (electric, gas, water or phone), a bank statement or a signed lease "
            "or rental agreement.") in address


def test_us_services_say_driver_license(pages: Pages) -> None:
    for service in ("passport-first-time", "ny-name-change", "social-security-card"):
        text = pages.get(f"/s/{service}").get_text(" ")
        assert "licence" not in text, service
    assert "driver license or state ID card" in pages.get("/s/ny-name-change").get_text(" ")


def test_a_points_rule_says_where_the_person_stands_in_a_sentence_of_its_own(
        client: FlaskClient, pages: Pages, corpus: Path) -> None:
    bill = (corpus / SYNTHETIC / "utility_bill_1.pdf").read_bytes()
    page = pages.follow(_submit(client, "ny-driver-licence", everything=[(bill, "bill.pdf")]))
    task = page.find(id="task-points-identity_points")
    assert task is not None and "tag-missing" in str(task)
    text = " ".join(task.get_text(" ").split())
    assert "You have 0 of the 6 points needed." in text
    assert "because You" not in page.get_text(" ") and "because you have" not in text
    summary = page.find(class_="task-summary")
    assert summary.find("a", href="#task-points-identity_points") is not None
    assert "Some things are missing" not in page.h1.get_text(strip=True) or "Fix:" not in summary.get_text(" ")


def test_a_form_with_an_empty_box_is_headed_something_needs_fixing_in_the_red_box(
        client: FlaskClient, pages: Pages, corpus: Path, filled: Callable[..., bytes]) -> None:
    person = {**shared_corpus.DS11_APPLICANT, "Applicant Place of Birth": ""}
    files = {"item-ds11": (filled(shared_corpus.DS11, **person), "ds11.pdf"),
             "item-citizenship": ((corpus / SYNTHETIC / "birth_certificate_scan.pdf").read_bytes(), "birth.pdf"),
             "item-photo_id": ((corpus / SYNTHETIC / "state_id_front_photo.jpg").read_bytes(), "id.jpg"),
             "item-proof_of_address": ((corpus / SYNTHETIC / "utility_bill_1.pdf").read_bytes(), "bill.pdf")}
    page = pages.follow(_submit(client, "passport-first-time", **files))
    summary = page.find(class_="task-summary").get_text(" ")
    assert "Fix: Form DS-11" in summary and "Add:" not in summary
    assert page.h1.get_text(strip=True) == "Something needs fixing"
    assert "status-invalid" in page.find(class_="status")["class"]
