"""A shared computer and "forget this device": on a library computer the session ends when the
browser closes and no language cookie is kept; "Forget this device" empties what this browser
keeps, and the result then opens only with the reference code again."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import shared_corpus
from tests.web.conftest import post_files, upload_data
from tests.web.pages import Pages
from web.models import Submission, db

SERVICE = "/s/passport-first-time"


@pytest.fixture
def ds11(filled: Callable[..., bytes]) -> bytes:
    return filled(shared_corpus.DS11, **shared_corpus.DS11_APPLICANT)


def _upload(client: FlaskClient, ds11: bytes, **fields: str) -> Any:
    data = upload_data(**{"item-ds11": (ds11, "ds11.pdf")})
    data.update({"client_key": os.urandom(8).hex(), "zip": "62704", **fields})
    response = post_files(client, SERVICE, data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def _cookies(response: Any, name: str) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]


def _reference(app: Flask) -> str:
    with app.app_context():
        (submission,) = db.session.query(Submission).all()
        return submission.reference


def test_the_upload_page_offers_a_shared_computer_choice_with_a_plain_hint(pages: Pages) -> None:
    page = pages.get(SERVICE)
    box = page.find("input", id="shared_device")
    assert box["type"] == "checkbox" and box["name"] == "shared_device" and not box.has_attr("checked")
    assert page.find("label", attrs={"for": "shared_device"}).get_text(strip=True) == "This is a shared computer"
    assert "forgets your check when you close it" in page.find(id=box["aria-describedby"]).get_text()
    assert box.find_parent("form")["action"] == SERVICE


def test_on_a_shared_computer_the_session_cookie_ends_with_the_browser(client: FlaskClient, ds11: bytes) -> None:
    (cookie,) = _cookies(_upload(client, ds11, shared_device="1"), "session")
    attributes = cookie.lower()
    assert "expires=" not in attributes and "max-age=" not in attributes
    assert "httponly" in attributes and "samesite=lax" in attributes
    result = client.get(f"/r/{_reference(client.application)}")
    assert result.status_code == 200
    assert all("expires=" not in c.lower() for c in _cookies(result, "session"))


def test_on_their_own_device_the_citizen_is_remembered_for_thirty_days(client: FlaskClient, ds11: bytes) -> None:
    (cookie,) = _cookies(_upload(client, ds11), "session")
    assert "expires=" in cookie.lower()


def test_a_shared_computer_keeps_no_language_cookie_and_still_speaks_the_chosen_language(
        client: FlaskClient, ds11: bytes) -> None:
    assert _cookies(client.get("/?lang=es"), "intake_lang")
    (dropped,) = _cookies(_upload(client, ds11, shared_device="1"), "intake_lang")
    assert dropped.startswith("intake_lang=;") and "1970" in dropped
    reference = _reference(client.application)
    switched = client.get(f"/r/{reference}?lang=en")
    assert not _cookies(switched, "intake_lang") and 'lang="en"' in switched.get_data(as_text=True)
    again = client.get(f"/r/{reference}")
    assert 'lang="en"' in again.get_data(as_text=True) and not _cookies(again, "intake_lang")
    spanish = client.get(f"/r/{reference}?lang=es")
    assert not _cookies(spanish, "intake_lang")
    assert 'lang="es"' in client.get(f"/r/{reference}").get_data(as_text=True)
    assert all("expires=" not in c.lower() for c in _cookies(spanish, "session"))


def test_a_shared_computer_choice_stays_ticked_when_the_form_comes_back_with_an_error(pages: Pages) -> None:
    data = upload_data(everything=[(b"", "empty.pdf")]) | {"shared_device": "1"}
    page = Pages.check(post_files(pages.client, SERVICE, data), 422)
    assert page.find("input", id="shared_device").has_attr("checked")


def test_forgetting_this_device_closes_the_result_until_the_reference_code_is_typed(
        client: FlaskClient, pages: Pages, ds11: bytes) -> None:
    client.get("/?lang=en")
    result = pages.follow(_upload(client, ds11))
    reference = _reference(client.application)
    form = result.find("form", class_="forget-device")
    assert form is not None and form["method"] == "post" and form["action"] == "/forget"
    assert form.find("button").get_text(strip=True) == "Forget this device"
    assert "reference code" in form.get_text()

    forgot = client.post("/forget")
    assert forgot.status_code == 303 and forgot.headers["Location"].endswith("/forgotten")
    (session_cookie,) = _cookies(forgot, "session")
    (language_cookie,) = _cookies(forgot, "intake_lang")
    assert "1970" in session_cookie and "1970" in language_cookie
    assert forgot.headers["Clear-Site-Data"] == '"storage"'
    page = pages.follow(forgot)
    assert page.h1.get_text(strip=True) == "This browser has forgotten your check"
    assert page.find("main").find("a", href="/r") is not None
    assert page.find("form", class_="forget-device") is None

    closed = client.get(f"/r/{reference}")
    assert closed.status_code == 303 and "/r?reference=" in closed.headers["Location"]
    assert client.get(f"/r/{reference}/bring").status_code == 404
    assert client.get(f"/r/{reference}/progress.json").status_code == 404

    back = client.post("/r", data={"reference": reference, "zip": "62704"})
    assert back.status_code == 303
    assert pages.follow(back).find("form", class_="forget-device") is not None


def test_the_forget_button_is_only_shown_while_this_browser_remembers_a_check(pages: Pages) -> None:
    assert pages.get("/").find("form", class_="forget-device") is None
    assert pages.get("/privacy").find("form", class_="forget-device") is None


def test_forgetting_needs_the_pages_csrf_token(another_app: Callable[..., Flask], ds11: bytes) -> None:
    app = another_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = Pages(client).get(SERVICE)
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    data = upload_data(**{"item-ds11": (ds11, "ds11.pdf")}) | {"csrf_token": token, "zip": "62704"}
    result = Pages(client).follow(post_files(client, SERVICE, data))
    assert client.post("/forget").status_code == 400
    assert result.find("form", class_="forget-device") is not None
    form_token = result.find("form", class_="forget-device").find("input", attrs={"name": "csrf_token"})["value"]
    assert client.post("/forget", data={"csrf_token": form_token}).status_code == 303


def _session_lasts(response: Any) -> bool:
    """Whether the session cookie this response sets outlives the browser (has an expiry date)."""
    (cookie,) = _cookies(response, "session")
    return "expires=" in cookie.lower()


def test_the_look_up_page_offers_the_shared_computer_choice_too(pages: Pages) -> None:
    page = pages.get("/r")
    box = page.find("input", id="shared_device")
    assert box["type"] == "checkbox" and not box.has_attr("checked")
    assert page.find("label", attrs={"for": "shared_device"}).get_text(strip=True) == "This is a shared computer"
    assert box.find_parent("form")["action"] == "/r"
    wrong = Pages.check(pages.client.post("/r", data={"reference": "ACD-EFG-HJK", "zip": "1",
                                                       "shared_device": "1"}), 400)
    assert wrong.find("input", id="shared_device").has_attr("checked")


def test_coming_back_by_the_look_up_on_a_shared_computer_ends_the_session_with_the_browser(
        app: Flask, client: FlaskClient, ds11: bytes) -> None:
    _upload(client, ds11)
    reference = _reference(app)
    library = app.test_client()
    shared = library.post("/r", data={"reference": reference, "zip": "62704", "shared_device": "1"})
    assert shared.status_code == 303 and not _session_lasts(shared)
    assert library.get(f"/r/{reference}").status_code == 200
    home = app.test_client().post("/r", data={"reference": reference, "zip": "62704"})
    assert home.status_code == 303 and _session_lasts(home)


def test_a_private_link_opened_on_a_computer_marked_shared_keeps_the_short_session(
        app: Flask, client: FlaskClient, pages: Pages, ds11: bytes) -> None:
    result = pages.follow(_upload(client, ds11, shared_device="1"))
    link = result.find("a", class_="long-link")["href"]
    opened = client.get(link.removeprefix("http://localhost"))
    assert opened.status_code == 303 and not _session_lasts(opened)


def test_after_a_private_link_the_footer_offers_the_shared_computer_choice(
        app: Flask, client: FlaskClient, pages: Pages, ds11: bytes) -> None:
    link = pages.follow(_upload(client, ds11)).find("a", class_="long-link")["href"]
    library = app.test_client()
    opened = library.get(link.removeprefix("http://localhost"))
    assert opened.status_code == 303 and _session_lasts(opened), "a link alone cannot know the computer is shared"
    reference = _reference(app)
    page = Pages(library).get(f"/r/{reference}")
    form = page.find("form", class_="shared-later")
    assert form is not None and form["action"] == "/shared" and form["method"] == "post"
    assert form.find("button").get_text(strip=True) == "This is a shared computer"
    assert form.find("input", attrs={"name": "next"})["value"] == f"/r/{reference}"
    marked = library.post("/shared", data={"next": f"/r/{reference}"})
    assert marked.status_code == 303 and marked.headers["Location"].endswith(f"/r/{reference}")
    assert not _session_lasts(marked)
    again = Pages(library).get(f"/r/{reference}")
    assert again.find("form", class_="shared-later") is None and again.find("form", class_="forget-device")
    assert library.post("/shared", data={"next": "//elsewhere.example/"}).headers["Location"] == "/"
